"""Memberships: who holds an active one on a given day."""

from datetime import date

from sqlalchemy import select

from ressourcerie.extensions import db
from ressourcerie.members.models import Membership


def has_active_membership(person_id: int, day: date) -> bool:
    """True when a membership of the person covers `day` (member price, member-only pages)."""
    return (
        db.session.execute(
            select(Membership.id)
            .where(
                Membership.person_id == person_id,
                Membership.starts_on <= day,
                Membership.ends_on >= day,
            )
            .limit(1)
        ).scalar_one_or_none()
        is not None
    )
