"""Secret, revocable links to a person's personal iCalendar feed."""

import hashlib
import secrets

from sqlalchemy import select, update

from ressourcerie.columns import utcnow
from ressourcerie.extensions import db
from ressourcerie.members.models import Person
from ressourcerie.workshops.models import CalendarLink


def _hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def active_link(person_id: int) -> CalendarLink | None:
    return db.session.execute(
        select(CalendarLink)
        .where(CalendarLink.person_id == person_id, CalendarLink.revoked_at.is_(None))
        .order_by(CalendarLink.id.desc())
        .limit(1)
    ).scalar_one_or_none()


def revoke(person_id: int) -> int:
    result = db.session.execute(
        update(CalendarLink)
        .where(CalendarLink.person_id == person_id, CalendarLink.revoked_at.is_(None))
        .values(revoked_at=utcnow())
        .execution_options(synchronize_session=False)
    )
    return result.rowcount


def new_link(person: Person) -> str:
    """Revoke any previous link and return a new secret token (only its hash is stored)."""
    revoke(person.id)
    token = secrets.token_urlsafe(32)
    db.session.add(CalendarLink(person_id=person.id, token_hash=_hash(token)))
    db.session.flush()
    return token


def person_for_token(token: str) -> Person | None:
    if not token or len(token) > 100:
        return None
    link = db.session.execute(
        select(CalendarLink).where(
            CalendarLink.token_hash == _hash(token), CalendarLink.revoked_at.is_(None)
        )
    ).scalar_one_or_none()
    if link is None:
        return None
    person = db.session.get(Person, link.person_id)
    if person is None or person.anonymised_at is not None:
        return None
    return person
