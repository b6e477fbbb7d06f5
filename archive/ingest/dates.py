"""Finding and reading dates in page text. UK dates are day-first."""

from __future__ import annotations

import datetime
import re
from dataclasses import dataclass

MONTHS = {
    name: number
    for number, names in enumerate(
        [
            ("january", "jan"),
            ("february", "feb"),
            ("march", "mar"),
            ("april", "apr"),
            ("may",),
            ("june", "jun"),
            ("july", "jul"),
            ("august", "aug"),
            ("september", "sep", "sept"),
            ("october", "oct"),
            ("november", "nov"),
            ("december", "dec"),
        ],
        start=1,
    )
    for name in names
}
_MONTH = r"(?P<month>" + "|".join(sorted(MONTHS, key=len, reverse=True)) + r")\.?"
_DAY = r"(?P<day>[0-3]?\d)(?:st|nd|rd|th)?"
_YEAR = r"(?P<year>(?:19|20)\d\d)"
_WEEKDAY = r"(?:(?:mon|tue|tues|wed|thu|thur|thurs|fri|sat|sun)(?:day|nesday|rsday|urday|sday)?\.?,?\s+)?"

DATE_PATTERNS = [
    re.compile(rf"\b{_WEEKDAY}{_DAY}\s+(?:of\s+)?{_MONTH},?\s+{_YEAR}\b", re.IGNORECASE),
    re.compile(rf"\b{_WEEKDAY}{_MONTH}\s+{_DAY},?\s+{_YEAR}\b", re.IGNORECASE),
    re.compile(r"\b(?P<year>(?:19|20)\d\d)-(?P<month>[01]?\d)-(?P<day>[0-3]?\d)(?:\b|(?=T\d))"),
    re.compile(r"\b(?P<day>[0-3]?\d)[/.](?P<month>[01]?\d)[/.](?P<year>(?:19|20)\d\d)\b"),
]

_A_YEAR = re.compile(r"(?:19|20)\d\d")


@dataclass(frozen=True)
class FoundDate:
    date: datetime.date
    start: int
    end: int
    text: str


def _month_number(value: str) -> int:
    value = value.lower().rstrip(".")
    return MONTHS[value] if value in MONTHS else int(value)


def find_dates(text: str) -> list[FoundDate]:
    """Every valid date in ``text``, in order of appearance, without overlaps."""
    found: list[FoundDate] = []
    taken: list[tuple[int, int]] = []
    if not _A_YEAR.search(text):
        return found  # every form has a four-digit year: most lines have none
    for pattern in DATE_PATTERNS:
        for match in pattern.finditer(text):
            span = match.span()
            if any(span[0] < end and start < span[1] for start, end in taken):
                continue
            try:
                date = datetime.date(int(match["year"]), _month_number(match["month"]), int(match["day"]))
            except ValueError:
                continue
            taken.append(span)
            found.append(FoundDate(date, span[0], span[1], match.group(0)))
    return sorted(found, key=lambda d: d.start)


def parse_date(value: str) -> datetime.date | None:
    """Read one date written in any of the forms we know; None when there is none."""
    value = value.strip()
    try:
        return datetime.date.fromisoformat(value[:10])
    except ValueError:
        pass
    dates = find_dates(value)
    return dates[0].date if dates else None


def parse_partial_date(value, *, end: bool = False) -> datetime.date | None:
    """'2024', '2024-07' or '2024-07-05' -> a date: the first day it covers, or with
    ``end`` the last. None for an empty value; ValueError for anything else."""
    if value in (None, ""):
        return None
    if isinstance(value, datetime.date):
        return value
    text = str(value).strip()
    if len(text) == 4:
        return datetime.date(int(text), 12, 31) if end else datetime.date(int(text), 1, 1)
    if len(text) == 7:
        year, month = int(text[:4]), int(text[5:7])
        first = datetime.date(year, month, 1)
        if not end:
            return first
        return datetime.date(year + month // 12, month % 12 + 1, 1) - datetime.timedelta(days=1)
    return datetime.date.fromisoformat(text)
