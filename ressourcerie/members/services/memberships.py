"""Memberships: periods, derived states, sale and renewal, renewal reminders."""

from __future__ import annotations

from datetime import date, timedelta
from enum import StrEnum

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import select
from sqlalchemy.orm import aliased

from ressourcerie import dates
from ressourcerie.columns import local_today, utcnow
from ressourcerie.extensions import db
from ressourcerie.members.models import (
    Membership,
    MembershipReminder,
    PaymentKind,
    Person,
)
from ressourcerie.members.services.payments import record_payment
from ressourcerie.notifications.services import queue_email
from ressourcerie.security.models import Site, User
from ressourcerie.settings import services as settings

EXPIRING_DAYS = 30
REMINDER_DAYS = (30, 7, 0)


class MembershipState(StrEnum):
    ACTIVE = "active"
    EXPIRING = "expiring"
    EXPIRED = "expired"
    UPCOMING = "upcoming"  # a renewal paid in advance, not started yet
    NONE = "none"


STATE_LABELS = {
    MembershipState.ACTIVE: _l("Adhésion active"),
    MembershipState.EXPIRING: _l("Adhésion bientôt échue"),
    MembershipState.EXPIRED: _l("Adhésion échue"),
    MembershipState.UPCOMING: _l("Adhésion à venir"),
    MembershipState.NONE: _l("Pas d'adhésion"),
}


class MembershipError(Exception):
    """A membership that cannot be sold; the message is shown to staff."""


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


def anniversary(day: date) -> date:
    """The same day one year later; 29 February becomes 1 March."""
    try:
        return day.replace(year=day.year + 1)
    except ValueError:
        return date(day.year + 1, 3, 1)


def period_for(starts_on: date, period: str) -> tuple[date, date]:
    """First and last day (included) of a membership starting on `starts_on`."""
    if period == "calendar":
        return starts_on, date(starts_on.year, 12, 31)
    return starts_on, anniversary(starts_on) - timedelta(days=1)


def state_of(membership: Membership | None, today: date | None = None) -> MembershipState:
    """Active, expiring (≤ 30 days left), expired or upcoming, from the dates only."""
    if membership is None:
        return MembershipState.NONE
    today = today or local_today()
    if membership.starts_on > today:
        return MembershipState.UPCOMING
    if membership.ends_on < today:
        return MembershipState.EXPIRED
    if (membership.ends_on - today).days <= EXPIRING_DAYS:
        return MembershipState.EXPIRING
    return MembershipState.ACTIVE


def current_membership(person_id: int, today: date | None = None) -> Membership | None:
    """The membership that matters today: the one running, else the latest one."""
    memberships = db.session.scalars(
        select(Membership)
        .where(Membership.person_id == person_id)
        .order_by(Membership.ends_on.desc())
    )
    return current_of(list(memberships), today)


def current_of(memberships: list[Membership], today: date | None = None) -> Membership | None:
    """current_membership() among a person's memberships already loaded, latest end first."""
    today = today or local_today()
    for membership in memberships:
        if membership.is_active_on(today):
            return membership
    return memberships[0] if memberships else None


def person_state(person_id: int, today: date | None = None) -> MembershipState:
    return state_of(current_membership(person_id, today), today)


def current_memberships(person_ids, today: date | None = None) -> dict[int, Membership]:
    """current_membership() of many people in one query (lists of people)."""
    today = today or local_today()
    ids = list(set(person_ids))
    if not ids:
        return {}
    chosen: dict[int, Membership] = {}
    for membership in db.session.scalars(
        select(Membership)
        .where(Membership.person_id.in_(ids))
        .order_by(Membership.person_id, Membership.ends_on.desc())
    ):
        kept = chosen.get(membership.person_id)
        if kept is None or (membership.is_active_on(today) and not kept.is_active_on(today)):
            chosen[membership.person_id] = membership
    return chosen


def next_period(person: Person, paid_on: date) -> tuple[date, date, Membership | None]:
    """Dates of the membership sold on `paid_on`: a renewal starts the day after the
    last membership still running (or paid in advance) ends."""
    period = settings.get("membership.period", on=paid_on)
    latest = db.session.execute(
        select(Membership)
        .where(Membership.person_id == person.id)
        .order_by(Membership.ends_on.desc())
        .limit(1)
    ).scalar_one_or_none()
    if latest is not None and latest.ends_on >= paid_on:
        starts_on = latest.ends_on + timedelta(days=1)
        if period == "calendar":
            starts_on = date(latest.ends_on.year + 1, 1, 1)
        first, last = period_for(starts_on, period)
        return first, last, latest
    first, last = period_for(paid_on, period)
    return first, last, None


def sell_membership(
    *,
    person: Person,
    site: Site,
    method: str,
    by: User | None,
    accept_charter_today: bool = False,
    paid_on: date | None = None,
) -> Membership:
    """Sell or renew a membership and add its payment to the ledger (same transaction)."""
    paid_on = paid_on or local_today()
    if person.anonymised_at is not None:
        raise MembershipError(_("Cette fiche a été anonymisée."))
    if person.charter_accepted_on is None:
        if not accept_charter_today:
            raise MembershipError(
                _("La charte doit être acceptée avant l'adhésion : cochez la case.")
            )
        person.charter_accepted_on = paid_on
    fee_cents = settings.get("membership.fee", on=paid_on)
    starts_on, ends_on, renewed = next_period(person, paid_on)
    label = _(
        "Adhésion du %(start)s au %(end)s",
        start=dates.day(starts_on, "d MMMM y"),
        end=dates.day(ends_on, "d MMMM y"),
    )
    payment = record_payment(
        site=site,
        person=person,
        kind=PaymentKind.MEMBERSHIP,
        label=label,
        amount_cents=fee_cents,
        method=method,
        by=by,
    )
    membership = Membership(
        person_id=person.id,
        site_id=site.id,
        starts_on=starts_on,
        ends_on=ends_on,
        fee_cents=fee_cents,
        payment_id=payment.id,
        renewal_of_id=renewed.id if renewed else None,
        created_by_id=by.id if by else None,
    )
    db.session.add(membership)
    db.session.flush()
    return membership


def queue_reminders(today: date | None = None) -> int:
    """Queue the renewal reminders due today (30, 7 and 0 days before the end).

    Idempotent: a reminder already queued for a membership and a delay is never queued
    again; people renewed in advance or without an email get none.
    """
    today = today or local_today()
    count = 0
    for days_before in REMINDER_DAYS:
        ends_on = today + timedelta(days=days_before)
        already = select(MembershipReminder.id).where(
            MembershipReminder.membership_id == Membership.id,
            MembershipReminder.days_before == days_before,
        )
        later = aliased(Membership)
        renewed = select(later.id).where(
            later.person_id == Membership.person_id, later.starts_on > ends_on
        )
        rows = db.session.execute(
            select(Membership, Person)
            .join(Person, Person.id == Membership.person_id)
            .where(
                Membership.ends_on == ends_on,
                Person.email.is_not(None),
                Person.email != "",
                Person.anonymised_at.is_(None),
                ~already.exists(),
                ~renewed.exists(),
            )
        ).all()
        for membership, person in rows:
            if days_before == 0:
                subject = _("Votre adhésion se termine aujourd'hui")
            else:
                subject = _("Votre adhésion se termine dans %(days)s jours", days=days_before)
            queue_email(
                kind="membership_reminder",
                to=person.email,
                subject=subject,
                template="membership_reminder",
                person=person,
                membership=membership,
                days_before=days_before,
            )
            db.session.add(
                MembershipReminder(
                    membership_id=membership.id, days_before=days_before, queued_at=utcnow()
                )
            )
            count += 1
    db.session.flush()
    return count
