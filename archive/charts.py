"""Volume over time: articles per month as bars, computed here and drawn as SVG by
``templates/includes/volume_chart.html``. Pure functions, no database."""

from __future__ import annotations

import datetime
from collections.abc import Callable, Iterable
from dataclasses import dataclass

WIDTH = 480  # SVG user units; the image scales to its column
PLOT_HEIGHT = 110
AXIS_HEIGHT = 22
MAX_MONTH_BARS = 120  # beyond ten years of months, one bar a year
TICK_SPACING = 40  # room for a year label


@dataclass(frozen=True)
class Bar:
    start: datetime.date
    label: str  # "April 2025" or "2025"
    count: int
    x: str
    y: str
    width: str
    height: str
    href: str


@dataclass(frozen=True)
class Tick:
    x: str
    label: str


@dataclass(frozen=True)
class VolumeChart:
    bars: list[Bar]
    ticks: list[Tick]
    unit: str  # "month" or "year"
    total: int
    peak: Bar
    width: int = WIDTH
    height: int = PLOT_HEIGHT + AXIS_HEIGHT
    plot_height: int = PLOT_HEIGHT
    label_y: int = PLOT_HEIGHT + 17

    @property
    def rows(self) -> list[Bar]:
        """The periods with articles, for the table."""
        return [bar for bar in self.bars if bar.count]

    @property
    def summary(self) -> str:
        first, last = self.bars[0], self.bars[-1]
        span = first.label if first is last else f"{first.label} to {last.label}"
        noun = "article" if self.total == 1 else "articles"
        return (
            f"{self.total} dated {noun} from {span}; the busiest {self.unit} was {self.peak.label} ({self.peak.count})."
        )


def _months(first: datetime.date, last: datetime.date) -> list[datetime.date]:
    months, year, month = [], first.year, first.month
    while (year, month) <= (last.year, last.month):
        months.append(datetime.date(year, month, 1))
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    return months


def _number(value: float) -> str:
    return f"{value:.2f}".rstrip("0").rstrip(".")


def period_bounds(start: datetime.date, unit: str) -> tuple[str, str]:
    """The search form's from/to values covering one bar: '2025-04' or '2025'."""
    value = f"{start:%Y-%m}" if unit == "month" else f"{start:%Y}"
    return value, value


def volume_chart(
    counts: Iterable[tuple[datetime.date, int]], link: Callable[[str, str], str] | None = None
) -> VolumeChart | None:
    """Bars for (month, articles) pairs, every month from the first to the last shown (empty
    months as zero), by year when that would be more than ``MAX_MONTH_BARS`` bars.
    ``link(from, to)`` gives each bar's address. None when there is nothing dated."""
    by_month: dict[datetime.date, int] = {}
    for day, count in counts:
        if count:
            month = day.replace(day=1)
            by_month[month] = by_month.get(month, 0) + count
    if not by_month:
        return None
    periods = _months(min(by_month), max(by_month))
    unit = "month"
    if len(periods) > MAX_MONTH_BARS:
        unit = "year"
        by_year: dict[datetime.date, int] = {}
        for month, count in by_month.items():
            year = datetime.date(month.year, 1, 1)
            by_year[year] = by_year.get(year, 0) + count
        by_month = by_year
        periods = [datetime.date(year, 1, 1) for year in range(periods[0].year, periods[-1].year + 1)]
    highest = max(by_month.values())
    slot = WIDTH / len(periods)
    gap = slot * 0.15 if slot >= 4 else 0
    bars = []
    for index, start in enumerate(periods):
        count = by_month.get(start, 0)
        height = PLOT_HEIGHT * count / highest
        if count and height < 1:
            height = 1
        bars.append(
            Bar(
                start=start,
                label=f"{start:%B %Y}" if unit == "month" else f"{start:%Y}",
                count=count,
                x=_number(index * slot + gap / 2),
                y=_number(PLOT_HEIGHT - height),
                width=_number(slot - gap),
                height=_number(height),
                href=link(*period_bounds(start, unit)) if link else "",
            )
        )
    return VolumeChart(
        bars=bars,
        ticks=_ticks(periods, unit, slot),
        unit=unit,
        total=sum(by_month.values()),
        peak=max(bars, key=lambda bar: bar.count),  # the first of equal peaks
    )


def _ticks(periods: list[datetime.date], unit: str, slot: float) -> list[Tick]:
    """Year labels at the start of each year (or of the first, partial one), thinned so that
    no two are closer than ``TICK_SPACING`` units."""
    starts = [i for i, p in enumerate(periods) if unit == "year" or p.month == 1 or i == 0]
    ticks, last_x = [], None
    for i in starts:
        x = i * slot
        if last_x is not None and x - last_x < TICK_SPACING:
            continue
        if ticks and i == starts[-1] and WIDTH - x < TICK_SPACING / 2:
            break  # no room left for the label at the right edge
        ticks.append(Tick(x=_number(x), label=f"{periods[i]:%Y}"))
        last_x = x
    return ticks
