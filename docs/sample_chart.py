"""Draw docs/history-chart.png, the README's picture of a /history chart, from made-up
counts (no report is behind them: it shows what the chart looks like, not a history).

    python docs/sample_chart.py
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

from bot.history import Month
from handlers import charts

OUT = Path(__file__).with_name("history-chart.png")
# Per month, oldest first: (calls, Pakistan hosted, Russia hosted, third location), level.
COUNTS = [
    (0, 0, 0, 0, None),
    (1, 0, 0, 0, "ministers"),
    (0, 0, 0, 0, None),
    (0, 0, 1, 0, "ministers"),
    (1, 0, 0, 0, "ministers"),
    (0, 0, 0, 0, None),
    (0, 0, 0, 2, "leaders"),
    (1, 0, 0, 0, "ministers"),
    (0, 0, 0, 0, None),
    (0, 1, 0, 0, "officials"),
    (0, 0, 0, 0, None),
    (2, 0, 0, 0, "leaders"),
    (0, 0, 0, 0, None),
    (0, 0, 0, 1, "ministers"),
    (1, 0, 1, 0, "ministers"),
    (0, 0, 0, 0, None),
    (0, 0, 0, 0, None),
    (1, 0, 0, 0, "ministers"),
    (0, 2, 0, 0, "leaders"),
    (0, 0, 0, 0, None),
    (1, 0, 0, 0, "officials"),
    (0, 0, 0, 1, "ministers"),
    (0, 0, 1, 0, "ministers"),
    (1, 0, 0, 0, "ministers"),
]


SERIES = [  # as /history labels them, in its stacking order
    ("call", "calls"),
    ("hosted:country:PK", "Pakistan hosted"),
    ("hosted:country:RU", "Russia hosted"),
    ("third location", "third location"),
]


def main() -> None:
    months = []
    for index, (*counts, level) in enumerate(COUNTS):
        year, month = divmod(2024 * 12 + 11 + index, 12)  # December 2024 onwards
        keys = [key for key, _ in SERIES]
        months.append(Month(date(year, month + 1, 1), dict(zip(keys, counts, strict=True)), level))
    image = charts.meetings_by_month(
        months,
        "Pakistan \u2013 Russia: meetings per month, last 24 months (made-up counts)",
        SERIES,
        "months to 30 Nov 2026 (Asia/Karachi)",
    )
    OUT.write_bytes(image)
    print(f"{OUT}: {len(image):,} bytes")


if __name__ == "__main__":
    main()
