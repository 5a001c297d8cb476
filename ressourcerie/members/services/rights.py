"""Personal-data rights: everything held about a person, erasure requests, anonymisation."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select, update

from ressourcerie.columns import LOCAL_TZ, utcnow
from ressourcerie.extensions import db
from ressourcerie.members.models import (
    CaregiverStatusChange,
    Membership,
    Payment,
    Person,
    Referral,
    Visit,
)
from ressourcerie.members.queries import visible_to
from ressourcerie.reports.questionnaire import ImpactAnswer
from ressourcerie.security import audit
from ressourcerie.security import services as security
from ressourcerie.security.models import User
from ressourcerie.workshops.models import Activity, Booking, WorkshopSession


def _local(moment):
    return moment.astimezone(LOCAL_TZ).isoformat(timespec="minutes") if moment else None


def _day(day):
    return day.isoformat() if day else None


IMPACT_ANSWER_KEYS = (
    "wellbeing",
    "social_ties",
    "support",
    "isolation",
    "information",
    "sees_self_as_caregiver",
)


def export_data(person: Person) -> dict[str, Any]:
    """All the person's own data, in plain JSON-able values.

    The reduced-rate reason is left out (never shown to the person, DESIGN §2); support
    follow-up is confidential and asked for from the care team.
    """
    visits = db.session.scalars(
        select(Visit).where(Visit.person_id == person.id).order_by(Visit.visited_at)
    )
    memberships = db.session.scalars(
        select(Membership).where(Membership.person_id == person.id).order_by(Membership.starts_on)
    )
    payments = db.session.scalars(
        select(Payment).where(Payment.person_id == person.id).order_by(Payment.received_at)
    )
    bookings = db.session.execute(
        select(Booking, WorkshopSession.starts_at, Activity.title)
        .join(Booking.session)
        .join(WorkshopSession.activity)
        .where(Booking.person_id == person.id)
        .order_by(WorkshopSession.starts_at)
    )
    answers = db.session.scalars(
        select(ImpactAnswer)
        .where(ImpactAnswer.person_id == person.id)
        .order_by(ImpactAnswer.answered_on)
    )
    history = db.session.scalars(
        select(CaregiverStatusChange)
        .where(CaregiverStatusChange.person_id == person.id)
        .order_by(CaregiverStatusChange.changed_at)
    )
    return {
        "exported_at": _local(utcnow()),
        "person": {
            "first_name": person.first_name,
            "last_name": person.last_name,
            "birth_year": person.birth_year,
            "gender": person.gender,
            "commune": person.commune,
            "postcode": person.postcode,
            "phone": person.phone,
            "email": person.email,
            "preferred_contact": person.preferred_contact,
            "heard_from": person.heard_from,
            "consent_on": _day(person.consent_on),
            "consent_method": person.consent_method,
            "charter_accepted_on": _day(person.charter_accepted_on),
            "newsletter_opt_in": person.newsletter_opt_in,
            "caregiver_status": person.caregiver_status,
            "caregiver_status_changed_on": _day(person.caregiver_status_changed_on),
            "reduced_rate_until": _day(person.reduced_rate_until),
            "created_at": _local(person.created_at),
            "erasure_requested_at": _local(person.erasure_requested_at),
        },
        "account": {"email": person.user.email} if person.user else None,
        "caregiver_status_history": [
            {"status": row.status, "changed_at": _local(row.changed_at)} for row in history
        ],
        "visits": [
            {
                "visited_at": _local(v.visited_at),
                "purpose": v.purpose,
                "as_caregiver": v.as_caregiver,
            }
            for v in visits
        ],
        "memberships": [
            {"starts_on": _day(m.starts_on), "ends_on": _day(m.ends_on), "fee_cents": m.fee_cents}
            for m in memberships
        ],
        "payments": [
            {
                "received_at": _local(p.received_at),
                "receipt": p.receipt_label,
                "kind": p.kind,
                "label": p.label,
                "amount_cents": p.amount_cents,
                "method": p.method,
            }
            for p in payments
        ],
        "workshop_bookings": [
            {
                "session_starts_at": _local(starts_at),
                "activity": title,
                "status": b.status,
                "with_companion": b.with_companion,
                "tier": b.tier,
                "amount_cents": b.amount_cents,
                "booked_at": _local(b.booked_at),
                "cancelled_at": _local(b.cancelled_at),
            }
            for b, starts_at, title in bookings
        ],
        "impact_questionnaires": [
            {
                "answered_on": _day(a.answered_on),
                "channel": a.channel,
                **{key: getattr(a, key) for key in IMPACT_ANSWER_KEYS},
            }
            for a in answers
        ],
    }


def request_erasure(person: Person, *, by: User | None) -> bool:
    """Record the wish; staff carry it out. False when already asked."""
    if person.erasure_requested_at is not None:
        return False
    person.erasure_requested_at = utcnow()
    audit.record(
        "members", "erasure.requested", actor=by, object_type="person", object_id=person.id
    )
    return True


def withdraw_erasure(person: Person, *, by: User | None) -> bool:
    """The person changed their mind before staff carried the erasure out."""
    if person.erasure_requested_at is None or person.anonymised_at is not None:
        return False
    person.erasure_requested_at = None
    audit.record(
        "members", "erasure.withdrawn", actor=by, object_type="person", object_id=person.id
    )
    return True


def erasure_requests(site_ids: set[int]) -> list[Person]:
    return list(
        db.session.scalars(
            select(Person)
            .where(
                Person.erasure_requested_at.is_not(None),
                Person.anonymised_at.is_(None),
                visible_to(site_ids),
            )
            .order_by(Person.erasure_requested_at)
        )
    )


def _release_bookings(person: Person, *, by: User | None) -> None:
    """Cancel the person's coming bookings and waiting-list places (the freed seats go to
    the waiting list, in order) and blank the companions' names and notes everywhere."""
    # Imported here: workshops builds on members, not the other way round.
    from ressourcerie.workshops.models import Booking, BookingStatus, CancelReason, WorkshopSession
    from ressourcerie.workshops.services import bookings as booking_services

    coming = db.session.scalars(
        select(Booking)
        .join(WorkshopSession, WorkshopSession.id == Booking.session_id)
        .where(
            Booking.person_id == person.id,
            Booking.status.in_((BookingStatus.CONFIRMED, BookingStatus.WAITLISTED)),
            WorkshopSession.starts_at > utcnow(),
        )
        .order_by(WorkshopSession.starts_at)
    ).all()
    for booking in coming:
        booking_services.cancel(booking, reason=CancelReason.OTHER, by=by, by_member=False)
    db.session.execute(
        update(Booking)
        .where(Booking.person_id == person.id)
        .values(companion_name="", companion_notes=None)
    )


def anonymise(person: Person, *, by: User | None) -> None:
    """Remove identity, keep statistics (birth year, gender, commune, postcode, dates,
    visits) and the payments ledger (legal retention); the login is disabled."""
    if person.anonymised_at is not None:
        return
    person.set_identity("", "")
    person.set_phone("")
    person.email = None
    person.preferred_contact = "none"
    person.newsletter_opt_in = False
    person.reduced_rate_reason = ""
    person.claim_code_hash = None
    person.claim_code_expires_at = None
    person.anonymised_at = utcnow()
    db.session.execute(update(Referral).where(Referral.person_id == person.id).values(comment=None))
    _release_bookings(person, by=by)
    user = person.user
    if user is not None:
        person.user_id = None
        user.email = f"erased-{user.id}@invalid.example"
        user.display_name = "—"
        user.password_hash = None
        user.totp_secret = None
        user.totp_enabled_at = None
        user.active = False
        user.disabled_at = utcnow()
        security.end_sessions(user, reason="account_disabled")
    audit.record(
        "members", "person.anonymised", actor=by, object_type="person", object_id=person.id
    )
    db.session.flush()
