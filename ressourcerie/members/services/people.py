"""People: create and edit a person record, caregiver status with its history."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from flask_babel import lazy_gettext as _l
from sqlalchemy import and_, or_, select

from ressourcerie.columns import local_today
from ressourcerie.extensions import db
from ressourcerie.members import queries as members_queries
from ressourcerie.members.models import (
    CaregiverStatus,
    CaregiverStatusChange,
    ContactChannel,
    Gender,
    Person,
    phone_digits,
    search_key,
)
from ressourcerie.security.models import User

GENDER_LABELS = {
    Gender.WOMAN: _l("Femme"),
    Gender.MAN: _l("Homme"),
    Gender.OTHER: _l("Autre"),
    Gender.NOT_SAID: _l("Non précisé"),
}
CHANNEL_LABELS = {
    ContactChannel.EMAIL: _l("E-mail"),
    ContactChannel.PHONE: _l("Téléphone"),
    ContactChannel.SMS: _l("SMS"),
    ContactChannel.POST: _l("Courrier"),
    ContactChannel.NONE: _l("Aucun"),
}
CAREGIVER_LABELS = {
    CaregiverStatus.UNKNOWN: _l("Non connu"),
    CaregiverStatus.IDENTIFIED_BY_TEAM: _l("Repéré·e par l'équipe"),
    CaregiverStatus.SELF_DECLARED: _l("Se déclare proche aidant·e"),
}
CONSENT_METHOD_LABELS = {
    "oral": _l("Oral"),
    "written": _l("Écrit"),
    "online": _l("En ligne"),
}
# Fields a person form may set; identity and phone go through the model's setters.
PLAIN_FIELDS = (
    "birth_year",
    "gender",
    "commune",
    "postcode",
    "preferred_contact",
    "heard_from",
    "consent_on",
    "consent_method",
    "charter_accepted_on",
    "newsletter_opt_in",
    "reduced_rate_until",
    "reduced_rate_reason",
)


@dataclass
class PersonData:
    first_name: str = ""
    last_name: str = ""
    phone: str = ""
    email: str | None = None
    birth_year: int | None = None
    gender: str = Gender.NOT_SAID
    commune: str = ""
    postcode: str = ""
    preferred_contact: str = ContactChannel.NONE
    heard_from: str = ""
    consent_on: date | None = None
    consent_method: str = ""
    charter_accepted_on: date | None = None
    newsletter_opt_in: bool = False
    caregiver_status: str = CaregiverStatus.UNKNOWN
    reduced_rate_until: date | None = None
    reduced_rate_reason: str = ""


def likely_duplicates(
    data: PersonData, site_ids: set[int], limit: int = 5
) -> list[tuple[Person, bool]]:
    """People of the whole network who may be the same human (DESIGN §2: one record per
    human): same first and last names (and birth year when both are known), same e-mail
    or same phone. Each with whether the user may see it (their sites), those first."""
    conditions = []
    if data.first_name and data.last_name:
        # The same two names, in either box; the same birth year when both are known.
        names = {
            search_key(f"{data.first_name} {data.last_name}"),
            search_key(f"{data.last_name} {data.first_name}"),
        }
        same_name = Person.search_name.in_(names)
        if data.birth_year:
            same_name = and_(
                same_name,
                or_(Person.birth_year.is_(None), Person.birth_year == data.birth_year),
            )
        conditions.append(same_name)
    email = normalise_email(data.email)
    if email:
        conditions.append(Person.email == email)
    digits = phone_digits(data.phone)
    if len(digits) >= 6:
        conditions.append(Person.phone_digits == digits)
    if not conditions:
        return []
    visible = members_queries.visible_to(site_ids).label("visible")
    rows = db.session.execute(
        select(Person, visible)
        .where(Person.anonymised_at.is_(None), or_(*conditions))
        .order_by(visible.desc(), Person.id)
        .limit(limit)
    )
    return [(person, bool(is_visible)) for person, is_visible in rows]


def normalise_email(email: str | None) -> str | None:
    email = (email or "").strip().lower()
    return email or None


def set_caregiver_status(
    person: Person, status: str, *, by: User | None, on: date | None = None
) -> bool:
    """Change the caregiver status and keep its history; False when unchanged."""
    status = CaregiverStatus(status)
    if person.caregiver_status == status:
        return False
    person.caregiver_status = status
    person.caregiver_status_changed_on = on or local_today()
    person.caregiver_history.append(
        CaregiverStatusChange(status=status, changed_by_id=by.id if by else None)
    )
    return True


def _apply(person: Person, data: PersonData) -> None:
    person.set_identity(data.first_name, data.last_name)
    person.set_phone(data.phone)
    person.email = normalise_email(data.email)
    for name in PLAIN_FIELDS:
        value = getattr(data, name)
        if isinstance(value, str):
            value = value.strip()
        setattr(person, name, value)
    if not person.reduced_rate_until:
        person.reduced_rate_reason = ""


def create_person(data: PersonData, *, site_id: int | None, by: User | None) -> Person:
    person = Person(site_id=site_id, created_by_id=by.id if by else None)
    _apply(person, data)
    person.caregiver_status = CaregiverStatus.UNKNOWN
    db.session.add(person)
    if data.caregiver_status != CaregiverStatus.UNKNOWN:
        set_caregiver_status(person, data.caregiver_status, by=by)
    db.session.flush()
    return person


def update_person(person: Person, data: PersonData, *, by: User | None) -> None:
    _apply(person, data)
    set_caregiver_status(person, data.caregiver_status, by=by)
    db.session.flush()


def data_of(person: Person) -> PersonData:
    """The editable fields of a person, to fill a form."""
    values = {name: getattr(person, name) for name in PersonData.__dataclass_fields__}
    return PersonData(**values)
