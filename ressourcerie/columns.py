"""Column types shared by every feature package."""

from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import DateTime
from sqlalchemy.types import TypeDecorator


class UTCDateTime(TypeDecorator):
    """A timezone-aware datetime, always stored and returned in UTC.

    SQLite has no time zone type, so naive UTC is stored there; PostgreSQL uses
    ``timestamp with time zone``. Naive values are refused to catch mistakes early.
    """

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime given to a UTCDateTime column")
        value = value.astimezone(UTC)
        if dialect.name == "sqlite":
            return value.replace(tzinfo=None)
        return value

    def process_result_value(self, value: datetime | None, dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            return value.replace(tzinfo=UTC)
        return value.astimezone(UTC)


# Times are stored in UTC and shown, and counted in days, in the places' time zone.
LOCAL_TZ = ZoneInfo("Europe/Paris")


def utcnow() -> datetime:
    return datetime.now(UTC)


def local_today() -> date:
    """Today's date where the places are (not in UTC: 00:30 in Paris is still 'today')."""
    return datetime.now(LOCAL_TZ).date()


def local_date(moment: datetime) -> date:
    return moment.astimezone(LOCAL_TZ).date()


def local_day_bounds(
    first: date | None = None, last: date | None = None
) -> tuple[datetime, datetime]:
    """The first instant of `first` and the first instant after `last` (both Paris days,
    `first` defaults to today and `last` to `first`): bounds for UTC timestamp columns."""
    first = first or local_today()
    start = datetime.combine(first, time.min, tzinfo=LOCAL_TZ)
    return start, datetime.combine((last or first) + timedelta(days=1), time.min, tzinfo=LOCAL_TZ)
