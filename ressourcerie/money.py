"""Amounts typed by people, the French way, into cents (money is never a float)."""

from __future__ import annotations

import re
from decimal import Decimal

# Above a million euros it is a typing error, and cents must fit a database integer.
MAX_AMOUNT = Decimal(1_000_000)
# "12", "12,5", "12,50", "1234.50", "1 234,50", "1.234,50" (spaces, € removed first).
_AMOUNT_RE = re.compile(r"^-?(?:\d{1,3}(?:\.\d{3})+|\d+)(?:[.,]\d{1,2})?$")


def parse_money(text: str | None) -> int:
    """'12', '12,5', '12,50 €', '1 200,00', '1.234,50' → cents; ValueError when it is not
    an amount (letters, '1e3', three decimals, a million euros or more)."""
    cleaned = (text or "").replace("€", "").replace("\u00a0", "").replace("\u202f", "")
    cleaned = cleaned.replace(" ", "").strip()
    if not _AMOUNT_RE.match(cleaned):
        raise ValueError(text)
    if "," in cleaned:
        cleaned = cleaned.replace(".", "").replace(",", ".")  # 1.234,50: dots group thousands
    elif re.search(r"\.\d{3}(?:\.|$)", cleaned):
        cleaned = cleaned.replace(".", "")  # 1.234: a thousands dot, not decimals
    amount = Decimal(cleaned)
    if abs(amount) >= MAX_AMOUNT:
        raise ValueError(text)
    return int(amount * 100)
