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

from bot.history import KINDS, Month

SIZE = (8.0, 5.0)  # inches
DPI = 120  # 960 x 600 pixels: sharp on a phone, small to send
# One colour per kind, told apart also in grey (light to dark).
_COLOURS = {
    "call": "#9ecae1",
    "visit": "#3182bd",
    "host": "#08519c",
    "third location": "#fd8d3c",
    "other": "#bdbdbd",
}
_LEVEL_MARK = {"leaders": "L", "ministers": "M", "officials": ""}
_STYLE: Any = {"font.size": 14, "axes.titlesize": 17, "axes.titleweight": "bold"}


def meetings_by_month(months: Sequence[Month], title: str) -> bytes:
    """Stacked bars: meetings per month by kind; above each bar the highest level met at
    (L leaders, M ministers)."""
    with matplotlib.rc_context(_STYLE):
        return _meetings_by_month(months, title)


def _meetings_by_month(months: Sequence[Month], title: str) -> bytes:
    fig = Figure(figsize=SIZE, dpi=DPI)
    ax = fig.add_subplot()
    x = list(range(len(months)))
    bottom = [0] * len(months)
    for kind in KINDS:
        heights = [m.counts.get(kind, 0) for m in months]
        if any(heights):
            ax.bar(x, heights, bottom=bottom, color=_COLOURS[kind], label=kind, width=0.8)
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
    ax.set_ylim(0, max(top * 1.25, 1))
    long = len(title) > 55  # two long names: the title on two lines, smaller
    ax.set_title(title.replace(": ", ":\n", 1) if long else title, fontsize=14 if long else None)
    if top:
        ax.legend(loc="upper left", fontsize=11, frameon=False, ncol=3)
    ax.spines[["top", "right"]].set_visible(False)
    ax.set_xlabel("above a bar, the highest level: L leaders, M ministers", fontsize=11)
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
    ax.barh(names, counts, color="#3182bd")
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
