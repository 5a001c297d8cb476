"""Visits at the reception desk: record a walk-in; first visit and returns are derived."""

from __future__ import annotations

from datetime import datetime

from flask_babel import lazy_gettext as _l

from ressourcerie.columns import utcnow
from ressourcerie.extensions import db
from ressourcerie.members.models import CaregiverStatus, Person, Visit, VisitPurpose
from ressourcerie.members.services.people import set_caregiver_status
from ressourcerie.security.models import Site, User

PURPOSE_LABELS = {
    VisitPurpose.ACTIVITY: _l("Atelier ou activité"),
    VisitPurpose.INFORMATION: _l("Information"),
    VisitPurpose.SUPPORT_REQUEST: _l("Demande de soutien"),
    VisitPurpose.SOCIAL_TIME: _l("Moment convivial"),
    VisitPurpose.OTHER: _l("Autre"),
}


class VisitError(Exception):
    """A visit that cannot be recorded; the message is shown to staff."""


def record_visit(
    *,
    site: Site,
    person: Person | None,
    purpose: str,
    as_caregiver: bool,
    by: User | None,
    at: datetime | None = None,
) -> Visit:
    """Record a passage (person None: anonymous). Arriving as a caregiver marks an
    unknown caregiver status as self-declared."""
    if person is not None and person.anonymised_at is not None:
        raise VisitError(_l("Cette fiche a été anonymisée."))
    visit = Visit(
        site_id=site.id,
        person_id=person.id if person else None,
        visited_at=at or utcnow(),
        purpose=VisitPurpose(purpose),
        as_caregiver=bool(as_caregiver),
        recorded_by_id=by.id if by else None,
    )
    db.session.add(visit)
    if person is not None and as_caregiver and person.caregiver_status == CaregiverStatus.UNKNOWN:
        set_caregiver_status(person, CaregiverStatus.SELF_DECLARED, by=by)
    db.session.flush()
    return visit
