"""Phone numbers shown one way, however they were typed ("0612345678", "06.12.34.56.78",
"+33 (0)6 12 34 56 78" all read "06 12 34 56 78"); what was typed is kept as is."""

from __future__ import annotations

from flask import Flask

from ressourcerie.members.models import phone_digits


def readable_phone(phone: str | None) -> str:
    text = (phone or "").strip()
    digits = phone_digits(text)  # a French +33 number becomes 0…
    if len(digits) == 10 and digits.startswith("0") and digits[1] != "0":
        return " ".join(digits[i : i + 2] for i in range(0, 10, 2))
    return text  # another country, or not a full number: as typed


def init_app(app: Flask) -> None:
    app.jinja_env.filters["phone"] = readable_phone
