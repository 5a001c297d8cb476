"""The verbs of casework: open and close cases, write entries, act under a mandate, retention.

Services flush and raise domain errors with a plain French message; views commit.
"""

from __future__ import annotations

import calendar
from datetime import date, datetime, timedelta

from flask_babel import gettext as _
from sqlalchemy import delete, select

from ressourcerie import dates
from ressourcerie.casework.models import (
    Case,
    CaseReferral,
    CaseStatus,
    DifficultySheet,
    Entry,
    Mandate,
    MandateDuration,
    Orientation,
    Procedure,
    RetentionRun,
    Situation,
)
from ressourcerie.casework.permissions import authoring_profession
from ressourcerie.casework.wording import CURRENT_MANDATE_WORDING
from ressourcerie.columns import local_today, utcnow
from ressourcerie.extensions import db
from ressourcerie.members.models import Person, Referral, ReferralStatus
from ressourcerie.security import audit

RETENTION_MONTHS = 24


class CaseworkError(Exception):
    """A refusal to show the user as is (already translated)."""


class CaseAlreadyOpen(CaseworkError):
    def __init__(self, case: Case):
        super().__init__(_("Cette personne a déjà un dossier ouvert."))
        self.case = case


class ProcedureRefused(CaseworkError):
    pass


def log_case(action: str, case: Case, **detail) -> None:
    """Access log of one case: who did what, never content (ids and counts only)."""
    audit.record(
        "casework",
        action,
        object_type="case",
        object_id=case.id,
        site_id=case.site_id,
        detail=detail or None,
    )


def log_site(action: str, object_type: str, site_id: int | None = None, object_id=None) -> None:
    audit.record("casework", action, object_type=object_type, object_id=object_id, site_id=site_id)


def add_months(day: date, months: int) -> date:
    month_index = day.month - 1 + months
    year, month = day.year + month_index // 12, month_index % 12 + 1
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def open_case_of(person_id: int) -> Case | None:
    return db.session.execute(
        select(Case).where(Case.person_id == person_id, Case.status == CaseStatus.OPEN)
    ).scalar_one_or_none()


def open_case(
    person: Person,
    *,
    site_id: int,
    consent_on: date,
    consent_method: str,
    consent_sharing: bool,
    by,
    opened_on: date | None = None,
) -> Case:
    existing = open_case_of(person.id)
    if existing is not None:
        raise CaseAlreadyOpen(existing)
    opened_on = opened_on or local_today()
    case = Case(
        site_id=site_id,
        person_id=person.id,
        status=CaseStatus.OPEN,
        opened_on=opened_on,
        opened_by_id=getattr(by, "id", None),
        consent_on=consent_on,
        consent_method=consent_method,
        consent_sharing=consent_sharing,
        last_contact_on=opened_on,
    )
    db.session.add(case)
    db.session.flush()
    return case


def accept_referral(referral: Referral, case: Case, *, by) -> CaseReferral:
    """Take a referral from the queue into `case` (newly opened or the person's open one)."""
    if referral.status != ReferralStatus.NEW:
        raise CaseworkError(_("Ce signalement a déjà été traité."))
    if case.person_id != referral.person_id:
        raise CaseworkError(_("Ce dossier n'est pas celui de la personne signalée."))
    link = CaseReferral(case=case, referral=referral, linked_by_id=getattr(by, "id", None))
    referral.status = ReferralStatus.ACCEPTED
    referral.handled_by_id = getattr(by, "id", None)
    referral.handled_at = utcnow()
    db.session.add(link)
    db.session.flush()
    return link


def close_referral(referral: Referral, reason: str, *, by) -> None:
    if referral.status != ReferralStatus.NEW:
        raise CaseworkError(_("Ce signalement a déjà été traité."))
    reason = (reason or "").strip()
    if not reason:
        raise CaseworkError(_("Indiquez la raison de la clôture."))
    referral.status = ReferralStatus.CLOSED
    referral.closing_reason = reason[:200]
    referral.handled_by_id = getattr(by, "id", None)
    referral.handled_at = utcnow()
    db.session.flush()


def _require_open(case: Case) -> None:
    if not case.is_open:
        raise CaseworkError(_("Ce dossier est clôturé : rouvrez-en un nouveau si besoin."))


def update_consent(case: Case, *, consent_on: date, consent_method: str, consent_sharing: bool):
    _require_open(case)
    case.consent_on = consent_on
    case.consent_method = consent_method
    case.consent_sharing = consent_sharing
    db.session.flush()


def add_situation(case: Case, *, by, **fields) -> Situation:
    _require_open(case)
    needs = fields.pop("needs", []) or []
    situation = Situation(
        case=case, recorded_by_id=getattr(by, "id", None), needs=",".join(needs), **fields
    )
    db.session.add(situation)
    db.session.flush()
    return situation


def add_entry(
    case: Case,
    *,
    by,
    occurred_on: date,
    duration_minutes: int,
    kind: str,
    visibility: str,
    note: str,
) -> Entry:
    _require_open(case)
    if occurred_on > local_today():
        raise CaseworkError(_("La date de l'entretien ne peut pas être dans le futur."))
    entry = Entry(
        case=case,
        occurred_on=occurred_on,
        duration_minutes=duration_minutes,
        kind=kind,
        author_id=by.id,
        profession=authoring_profession(by),
        visibility=visibility,
        note=note,
    )
    db.session.add(entry)
    case.note_contact(occurred_on)
    db.session.flush()
    return entry


def add_orientation(
    case: Case, *, partner, need: str, oriented_on: date, status: str, outcome: str, by
) -> Orientation:
    _require_open(case)
    orientation = Orientation(
        case=case,
        partner_id=partner.id,
        need=need,
        oriented_on=oriented_on,
        status=status,
        outcome=outcome or None,
        created_by_id=getattr(by, "id", None),
    )
    db.session.add(orientation)
    db.session.flush()
    return orientation


def update_orientation(orientation: Orientation, *, status: str, outcome: str) -> None:
    _require_open(orientation.case)
    orientation.status = status
    orientation.outcome = outcome or None
    db.session.flush()


def mandate_expiry(starts_on: date, duration: str) -> date:
    """The last valid day of a mandate starting on `starts_on`."""
    months = {
        MandateDuration.ONE_MONTH: 1,
        MandateDuration.SIX_MONTHS: 6,
        MandateDuration.ONE_YEAR: 12,
    }
    if duration == MandateDuration.ONE_DAY:
        return starts_on
    return add_months(starts_on, months[MandateDuration(duration)]) - timedelta(days=1)


def create_mandate(case: Case, *, scope: list[str], duration: str, starts_on: date, by) -> Mandate:
    _require_open(case)
    if not scope:
        raise CaseworkError(_("Choisissez au moins un type de démarche."))
    mandate = Mandate(
        case=case,
        scope=",".join(scope),
        duration=duration,
        starts_on=starts_on,
        expires_on=mandate_expiry(starts_on, duration),
        wording_version=CURRENT_MANDATE_WORDING,
        created_by_id=getattr(by, "id", None),
    )
    db.session.add(mandate)
    db.session.flush()
    return mandate


def revoke_mandate(mandate: Mandate, *, on: date | None = None, by) -> None:
    if mandate.revoked_on is not None:
        raise CaseworkError(_("Ce mandat est déjà révoqué."))
    on = on or local_today()
    if on > local_today():
        raise CaseworkError(_("La date de révocation ne peut pas être dans le futur."))
    later = [p.done_on for p in mandate.procedures if p.done_on >= on]
    if later:
        raise CaseworkError(
            _(
                "Une démarche a été faite sous ce mandat le %(date)s : la révocation ne peut "
                "pas être antérieure.",
                date=dates.day(max(later), "long"),
            )
        )
    mandate.revoked_on = on
    mandate.revoked_by_id = getattr(by, "id", None)
    db.session.flush()


def check_mandate(mandate: Mandate, procedure_type: str, day: date) -> None:
    """Raise ProcedureRefused with the reason when `mandate` does not cover this act."""
    if mandate.revoked_on is not None and day >= mandate.revoked_on:
        raise ProcedureRefused(
            _(
                "Démarche refusée : le mandat a été révoqué le %(date)s.",
                date=dates.day(mandate.revoked_on, "long"),
            )
        )
    if day < mandate.starts_on:
        raise ProcedureRefused(
            _(
                "Démarche refusée : le mandat ne commence que le %(date)s.",
                date=dates.day(mandate.starts_on, "long"),
            )
        )
    if day > mandate.expires_on:
        raise ProcedureRefused(
            _(
                "Démarche refusée : le mandat a expiré le %(date)s. Faites signer un nouveau mandat.",
                date=dates.day(mandate.expires_on, "long"),
            )
        )
    if procedure_type not in mandate.scope_list:
        raise ProcedureRefused(
            _(
                "Démarche refusée : ce type de démarche n'est pas couvert par le mandat. "
                "Faites signer un mandat qui le prévoit."
            )
        )


def log_procedure(
    case: Case,
    *,
    mandate: Mandate | None,
    procedure_type: str,
    done_on: date,
    description: str,
    by,
) -> Procedure:
    _require_open(case)
    if mandate is None or mandate.case_id != case.id:
        raise ProcedureRefused(
            _("Démarche refusée : aucun mandat valide de la personne ne la couvre.")
        )
    check_mandate(mandate, procedure_type, done_on)
    procedure = Procedure(
        case=case,
        mandate=mandate,
        procedure_type=procedure_type,
        done_on=done_on,
        description=description or None,
        done_by_id=getattr(by, "id", None),
    )
    db.session.add(procedure)
    db.session.flush()
    return procedure


def set_next_appointment(case: Case, when: datetime | None) -> None:
    _require_open(case)
    case.next_appointment_at = when
    db.session.flush()


def close_case(case: Case, *, reason: str, closed_on: date | None = None) -> None:
    _require_open(case)
    case.status = CaseStatus.CLOSED
    case.closing_reason = reason
    case.closed_on = closed_on or local_today()
    case.next_appointment_at = None
    db.session.flush()


def add_difficulty(
    *, site_id: int, reported_on: date, category: str, institution: str, description: str, by
) -> DifficultySheet:
    sheet = DifficultySheet(
        site_id=site_id,
        reported_on=reported_on,
        category=category,
        institution=institution,
        description=description or None,
        created_by_id=getattr(by, "id", None),
    )
    db.session.add(sheet)
    db.session.flush()
    return sheet


def anonymise_case(case: Case) -> None:
    """Remove identity and every written text; keep dates, codes and durations for counts."""
    for entry in case.entries:
        entry.note = None
    for orientation in case.orientations:
        orientation.outcome = None
    for procedure in case.procedures:
        procedure.description = None
    db.session.execute(delete(CaseReferral).where(CaseReferral.case_id == case.id))
    if case.status == CaseStatus.OPEN:
        case.closed_on = local_today()
    case.status = CaseStatus.ANONYMISED
    case.person_id = None
    case.next_appointment_at = None
    case.anonymised_at = utcnow()
    db.session.flush()


def retention_cutoff(today: date, months: int = RETENTION_MONTHS) -> date:
    return add_months(today, -months)


def cases_due_for_retention(today: date, months: int = RETENTION_MONTHS) -> list[Case]:
    """Closed or dormant cases whose last contact is more than `months` months old."""
    cutoff = retention_cutoff(today, months)
    return list(
        db.session.scalars(
            select(Case)
            .where(Case.status != CaseStatus.ANONYMISED, Case.last_contact_on < cutoff)
            .order_by(Case.id)
        )
    )


def run_retention(
    *, today: date | None = None, months: int = RETENTION_MONTHS, dry_run: bool
) -> int:
    """Anonymise the cases due; record a count-only run (none on a dry run). Idempotent."""
    today = today or local_today()
    due = cases_due_for_retention(today, months)
    if dry_run:
        return len(due)
    for case in due:
        anonymise_case(case)
    cutoff = retention_cutoff(today, months)
    db.session.add(RetentionRun(cutoff_on=cutoff, anonymised_count=len(due)))
    audit.record(
        "casework",
        "retention.run",
        object_type="retention",
        detail={"anonymised": len(due), "cutoff": cutoff.isoformat()},
    )
    db.session.flush()
    return len(due)
