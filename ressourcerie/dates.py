"""Dates written the way each language writes them.

The templates and messages give Babel patterns written for French ("EEEE d MMMM 'à' HH:mm").
Two things Babel does not do for us: French writes the first of the month as an ordinal
("1er décembre"), and the French literal "à" must read "at" in English. `capfirst` replaces
Jinja's `capitalize`, which also lowercases the rest ("Tuesday 1 december").
"""

from __future__ import annotations

import re
from datetime import UTC, date, datetime

from flask import Flask
from flask_babel import format_date, format_datetime, get_locale

from ressourcerie.columns import local_date

_LITERALS = {"en": {"'à'": "'at'"}}
# English named formats read the British way with a 24-hour clock: Babel's "short" is
# American ("11/30/26, 3:09 PM"), which a reader of 30/11/2026 takes for another day.
_NAMED = {
    "en": {
        "day": {"short": "d MMM y", "medium": "d MMM y", "long": "d MMMM y"},
        "moment": {
            "short": "d MMM y, HH:mm",
            "medium": "d MMM y, HH:mm",
            "long": "d MMMM y, HH:mm",
        },
    }
}


def _pattern(pattern: str, kind: str) -> str:
    locale = get_locale()
    language = locale.language if locale else ""
    pattern = _NAMED.get(language, {}).get(kind, {}).get(pattern, pattern)
    for french, other in _LITERALS.get(language, {}).items():
        pattern = pattern.replace(french, other)
    return pattern


def _ordinal_first(text: str, value: date) -> str:
    """ "1 décembre" → "1er décembre" in French, whatever the pattern around it."""
    locale = get_locale()
    if value.day != 1 or locale is None or locale.language != "fr":
        return text
    months = "|".join(re.escape(name) for name in locale.months["format"]["wide"].values())
    return re.sub(rf"(?<!\d)1 ({months})", r"1er \1", text)


def _aware(value: datetime) -> datetime:
    return (
        value if value.tzinfo else value.replace(tzinfo=UTC)
    )  # naive ones in the database are UTC


def _local_day(value: date | datetime) -> date:
    """The Paris day a value falls on (a datetime of 23:30 UTC is already tomorrow)."""
    return local_date(_aware(value)) if isinstance(value, datetime) else value


def day(value: date | datetime | None, pattern: str = "medium") -> str:
    if value is None:
        return ""
    if isinstance(value, datetime):
        value = _aware(value)
    return _ordinal_first(format_date(value, _pattern(pattern, "day")), _local_day(value))


def moment(value: datetime | None, pattern: str = "medium") -> str:
    if value is None:
        return ""
    value = _aware(value)
    return _ordinal_first(format_datetime(value, _pattern(pattern, "moment")), _local_day(value))


def capfirst(value: str) -> str:
    value = str(value)
    return value[:1].upper() + value[1:]


def init_app(app: Flask) -> None:
    """Replace Flask-Babel's date filters (call after babel.init_app)."""
    app.jinja_env.filters.update(dateformat=day, datetimeformat=moment, capfirst=capfirst)
