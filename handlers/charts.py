"""The /history charts, drawn with matplotlib's Agg backend to PNG bytes in memory: no
display, no file. Made for a phone: large type, few colours, a title that says what is
shown. The figures come from `bot.history` (pure, tested on their own); this only draws."""

from __future__ import annotations

import io
from collections.abc import Sequence
from typing import Any

import matplotlib
from matplotlib.figure import Figure  # drawn without pyplot: no global state, no display
from matplotlib.ticker import MaxNLocator

from bot.history import Month

SIZE = (8.0, 5.0)  # inches
DPI = 120  # 960 x 600 pixels: sharp on a phone, small to send
# Okabe and Ito's palette, told apart by the common kinds of colour blindness: one colour
# per series, in stacking order (calls, each side's hosted visits, visits whose host is
# not said, third locations, the rest).
OKABE_ITO = ("#56B4E9", "#0072B2", "#D55E00", "#CC79A7", "#E69F00", "#999999", "#009E73")
_LEVEL_MARK = {"leaders": "L", "ministers": "M", "officials": ""}
_STYLE: Any = {"font.size": 14, "axes.titlesize": 17, "axes.titleweight": "bold"}


def meetings_by_month(
    months: Sequence[Month], title: str, series: Sequence[tuple[str, str]], axis: str
) -> bytes:
    """Stacked bars: meetings per month by series (`series`: (key, label) in stacking
    order, "Pakistan hosted"); above each bar the highest level met at (L leaders, M
    ministers); `axis` says up to when, in whose time zone."""
    with matplotlib.rc_context(_STYLE):
        return _meetings_by_month(months, title, series, axis)


def _meetings_by_month(
    months: Sequence[Month], title: str, series: Sequence[tuple[str, str]], axis: str
) -> bytes:
    fig = Figure(figsize=SIZE, dpi=DPI)
    ax = fig.add_subplot()
    x = list(range(len(months)))
    bottom = [0] * len(months)
    for (key, label), colour in zip(series, OKABE_ITO, strict=False):
        heights = [m.counts.get(key, 0) for m in months]
        if any(heights):
            ax.bar(x, heights, bottom=bottom, color=colour, label=label, width=0.8)
            bottom = [b + h for b, h in zip(bottom, heights, strict=True)]
    for i, month in enumerate(months):
        mark = _LEVEL_MARK.get(month.level or "", "")
        if mark:
            ax.text(i, bottom[i] + 0.05, mark, ha="center", va="bottom", fontsize=12)
    labels = [m.start.strftime("%b\n%Y") if m.start.month in (1, 7) else "" for m in months]
    ax.set_xticks(x, labels)
    ax.set_ylabel("meetings")
    ax.yaxis.set_major_locator(MaxNLocator(integer=True))
    top = max(bottom, default=0)
    ax.set_ylim(0, max(top * 1.35, 1))
    long = len(title) > 55  # two long names: the title on two lines, smaller
    ax.set_title(title.replace(": ", ":\n", 1) if long else title, fontsize=14 if long else None)
    if top:
        ax.legend(loc="upper left", fontsize=11, frameon=False, ncol=2)
    ax.spines[["top", "right"]].set_visible(False)
    ax.set_xlabel(f"{axis}; above a bar, the highest level: L leaders, M ministers", fontsize=10)
    # Margins set for this size and type rather than measured (tight_layout draws the
    # figure once more to measure it: a third of the time).
    fig.subplots_adjust(left=0.1, right=0.98, top=0.86 if long else 0.91, bottom=0.2)
    return _png(fig)


def counterparts(pairs: Sequence[tuple[str, int]], title: str) -> bytes:
    """Horizontal bars: with whom, how many meetings, most at the top."""
    with matplotlib.rc_context(_STYLE):
        return _counterparts(pairs, title)


def _counterparts(pairs: Sequence[tuple[str, int]], title: str) -> bytes:
    fig = Figure(figsize=SIZE, dpi=DPI)
    ax = fig.add_subplot()
    names = [name for name, _ in pairs][::-1]
    counts = [count for _, count in pairs][::-1]
    ax.barh(names, counts, color=OKABE_ITO[1])
    for y, count in enumerate(counts):
        ax.text(count, y, f" {count}", va="center", fontsize=12)
    ax.set_xlabel("meetings")
    ax.xaxis.set_major_locator(MaxNLocator(integer=True))
    ax.set_title(title)
    ax.spines[["top", "right"]].set_visible(False)
    fig.tight_layout()
    return _png(fig)


def _png(fig: Figure) -> bytes:
    out = io.BytesIO()
    fig.savefig(out, format="png", dpi=DPI)
    return out.getvalue()
