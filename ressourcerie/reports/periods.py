"""Report periods: local days in Europe/Paris, their UTC bounds and the form presets."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta

from ressourcerie.columns import local_day_bounds


@dataclass(frozen=True)
class Period:
    """From `start` to `end`, both local days included."""

    start: date
    end: date

    @property
    def utc_start(self) -> datetime:
        """The first instant of `start` in Paris, in UTC."""
        return local_day_bounds(self.start)[0].astimezone(UTC)

    @property
    def utc_end(self) -> datetime:
        """The first instant after `end` in Paris, in UTC (exclusive bound)."""
        return local_day_bounds(self.end)[1].astimezone(UTC)

    @property
    def days(self) -> int:
        return (self.end - self.start).days + 1


def last_month(today: date) -> Period:
    end = today.replace(day=1) - timedelta(days=1)
    return Period(end.replace(day=1), end)


def last_quarter(today: date) -> Period:
    quarter_start = date(today.year, 3 * ((today.month - 1) // 3) + 1, 1)
    end = quarter_start - timedelta(days=1)
    return Period(date(end.year, 3 * ((end.month - 1) // 3) + 1, 1), end)


def last_year(today: date) -> Period:
    return Period(date(today.year - 1, 1, 1), date(today.year - 1, 12, 31))


PRESETS = {
    "last_month": last_month,
    "last_quarter": last_quarter,
    "last_year": last_year,
}
