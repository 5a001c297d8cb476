"""Amounts typed by people, the French way, into cents (money is never a float)."""

from __future__ import annotations

import re
from decimal import Decimal

# Above a million euros it is a typing error, and cents must fit a database integer.
MAX_AMOUNT = Decimal(1_000_000)
# "12", "12,5", "12,50", "12.50" (spaces and € removed first), or "1.234,50": dots may
# group thousands only before a comma. "1.234" or "12.505" are ambiguous: refused.
_PLAIN_RE = re.compile(r"^-?\d+(?:[.,]\d{1,2})?$")
_GROUPED_RE = re.compile(r"^-?\d{1,3}(?:\.\d{3})+,\d{1,2}$")


def parse_money(text: str | None) -> int:
    """'12', '12,5', '12,50 €', '1 200,00', '1.234,50' → cents; ValueError when it is not
    an amount (letters, '1e3', three decimals, ambiguous dots, a million euros or more)."""
    cleaned = (text or "").replace("€", "").replace("\u00a0", "").replace("\u202f", "")
    cleaned = cleaned.replace(" ", "").strip()
    if _GROUPED_RE.match(cleaned):
        cleaned = cleaned.replace(".", "").replace(",", ".")
    elif _PLAIN_RE.match(cleaned):
        cleaned = cleaned.replace(",", ".")
    else:
        raise ValueError(text)
    amount = Decimal(cleaned)
    if abs(amount) >= MAX_AMOUNT:
        raise ValueError(text)
    return int(amount * 100)
