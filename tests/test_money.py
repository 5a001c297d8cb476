"""Amounts typed the French way."""

import pytest

from ressourcerie.money import parse_money


@pytest.mark.parametrize(
    ("text", "cents"),
    [
        ("12", 1200),
        ("12,5", 1250),
        ("12,50 €", 1250),
        ("12.50", 1250),
        ("1 234,50", 123450),
        ("1\u202f234,50", 123450),
        ("1.234,50", 123450),
        ("-3,00", -300),
    ],
)
def test_amounts_people_type(text, cents):
    assert parse_money(text) == cents


@pytest.mark.parametrize(
    "text",
    ["", "douze", "1e3", "12,505", "12.505", "1.234", "1.234.50", "1,234.50", "1000000", "NaN"],
)
def test_not_amounts(text):
    with pytest.raises(ValueError):
        parse_money(text)
