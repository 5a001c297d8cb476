"""Read and change settings; every setting is declared once in SETTINGS with its default."""

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date

from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from ressourcerie.columns import local_today
from ressourcerie.extensions import db
from ressourcerie.money import parse_money
from ressourcerie.settings.models import SettingValue


@dataclass(frozen=True)
class Setting:
    key: str
    label: str
    default: str
    parse: Callable[[str], object]
    choices: tuple[tuple[str, str], ...] = ()
    # Bounds of a number (cents for money), and what to type, said when refused.
    minimum: int | None = None
    maximum: int | None = None
    hint: str = ""


class InvalidSetting(ValueError):
    """A value refused; str() is what to type instead, in plain words."""


_MONEY_HINT = _l("Un montant en euros de 0 à 1 000, par exemple 6,00.")


SETTINGS = {
    setting.key: setting
    for setting in (
        Setting(
            "price.full",
            _l("Tarif plein d'un atelier payant"),
            "1200",
            int,
            (),
            0,
            100_000,
            _MONEY_HINT,
        ),
        Setting("price.member", _l("Tarif adhérent·e"), "600", int, (), 0, 100_000, _MONEY_HINT),
        Setting("price.reduced", _l("Tarif réduit"), "450", int, (), 0, 100_000, _MONEY_HINT),
        Setting(
            "membership.fee", _l("Cotisation annuelle"), "2900", int, (), 0, 100_000, _MONEY_HINT
        ),
        Setting(
            "membership.period",
            _l("Durée de l'adhésion"),
            "rolling",
            str,
            (("rolling", _l("12 mois glissants")), ("calendar", _l("Année civile"))),
        ),
        Setting(
            "booking.cancel_hours",
            _l("Délai d'annulation en ligne (heures)"),
            "24",
            int,
            (),
            0,
            720,
            _l("Un nombre entier d'heures, de 0 à 720 (30 jours)."),
        ),
        Setting(
            "casework.dormant_days",
            _l("Dossier sans contact après (jours)"),
            "90",
            int,
            (),
            7,
            3650,
            _l("Un nombre entier de jours, de 7 à 3650."),
        ),
        Setting(
            "mail.max_attempts",
            _l("Essais d'envoi d'un courriel avant de le marquer en échec"),
            "8",
            int,
            (),
            1,
            50,
            _l("Un nombre entier d'essais, de 1 à 50."),
        ),
    )
}
MONEY_KEYS = {"price.full", "price.member", "price.reduced", "membership.fee"}


def get(key: str, on: date | None = None):
    """The value of `key` in force on `on` (today by default), parsed."""
    setting = SETTINGS[key]
    on = on or local_today()
    raw = db.session.execute(
        select(SettingValue.value)
        .where(SettingValue.key == key, SettingValue.effective_from <= on)
        .order_by(SettingValue.effective_from.desc())
        .limit(1)
    ).scalar_one_or_none()
    return setting.parse(raw if raw is not None else setting.default)


def get_many(keys: list[str], on: date | None = None) -> dict:
    """Several settings in one query (pages that show all prices)."""
    on = on or local_today()
    rows = db.session.execute(
        select(SettingValue.key, SettingValue.value, SettingValue.effective_from)
        .where(SettingValue.key.in_(keys), SettingValue.effective_from <= on)
        .order_by(SettingValue.effective_from)
    ).all()
    raw = {key: SETTINGS[key].default for key in keys}
    for key, value, _effective in rows:  # later dates overwrite earlier ones
        raw[key] = value
    return {key: SETTINGS[key].parse(value) for key, value in raw.items()}


def values_on(key: str, days) -> dict[date, object]:
    """The value of `key` in force on each of `days`, from one read of its history (pages
    that show many sessions: one query, not one per day)."""
    setting = SETTINGS[key]
    changes = history(key)  # latest first
    default = setting.parse(setting.default)
    return {
        day: next(
            (setting.parse(row.value) for row in changes if row.effective_from <= day), default
        )
        for day in set(days)
    }


def history(key: str) -> list[SettingValue]:
    return list(
        db.session.scalars(
            select(SettingValue)
            .where(SettingValue.key == key)
            .order_by(SettingValue.effective_from.desc())
        )
    )


def set_value(key: str, value: str, effective_from: date, *, by_id: int | None) -> SettingValue:
    """Record a new value from `effective_from` on (replacing one on the same date)."""
    setting = SETTINGS[key]
    try:
        if key in MONEY_KEYS:
            value = str(parse_money(value))
        parsed = setting.parse(value.strip())
    except (ValueError, ArithmeticError):
        raise InvalidSetting(setting.hint or _l("Valeur invalide pour ce réglage.")) from None
    value = value.strip()
    if setting.choices and value not in {choice for choice, _label in setting.choices}:
        raise InvalidSetting(_l("Choisissez une des valeurs proposées."))
    if (setting.minimum is not None and parsed < setting.minimum) or (
        setting.maximum is not None and parsed > setting.maximum
    ):
        raise InvalidSetting(setting.hint)
    row = db.session.execute(
        select(SettingValue).where(
            SettingValue.key == key, SettingValue.effective_from == effective_from
        )
    ).scalar_one_or_none()
    if row is None:
        row = SettingValue(key=key, effective_from=effective_from)
        db.session.add(row)
    row.value = value
    row.changed_by_id = by_id
    db.session.flush()
    return row
