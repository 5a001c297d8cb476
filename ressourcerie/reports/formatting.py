"""How report cells are written: French numbers, euros, shares, "< 5"."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from flask_babel import format_currency, format_decimal, format_percent

from ressourcerie import dates
from ressourcerie.reports.tables import COUNT, HOURS, MONEY, NUMBER, SHARE, is_hidden


def cell_text(value, kind: str) -> str:
    if is_hidden(value):
        return str(value)
    if value is None:
        return "—"
    if kind == MONEY:
        return format_currency(Decimal(value) / 100, "EUR")
    if kind == SHARE:
        return format_percent(value, format="#,##0.0 %")
    if kind == HOURS:
        return format_decimal(value, format="#,##0.0")
    if kind in (COUNT, NUMBER):
        return format_decimal(value)
    return str(value)


def raw_value(value, kind: str):
    """The value written in CSV/XLSX cells: numbers stay numbers, euros in euros."""
    if is_hidden(value):
        return str(value)
    if value is None:
        return ""
    if kind == MONEY:
        return Decimal(value) / 100
    if kind == SHARE:
        return value
    return value


def long_date(day: date) -> str:
    """ "1er juillet 2026" in French (the first of the month is written as an ordinal)."""
    return dates.day(day, "d MMMM y")
