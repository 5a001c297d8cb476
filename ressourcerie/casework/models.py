"""Case files of the care team: consent, situations, entries, orientations, mandates, sheets."""

from __future__ import annotations

from datetime import date, datetime
from enum import StrEnum

from sqlalchemy import Boolean, Date, ForeignKey, Index, Integer, String, text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ressourcerie.columns import UTCDateTime, utcnow
from ressourcerie.directory.models import Partner
from ressourcerie.extensions import db
from ressourcerie.members.models import Person, Referral
from ressourcerie.security.crypto import EncryptedText
from ressourcerie.security.models import Role, Site, User


class CaseStatus(StrEnum):
    OPEN = "open"
    CLOSED = "closed"
    ANONYMISED = "anonymised"


class ClosingReason(StrEnum):
    GOALS_MET = "goals_met"
    REFERRED_ELSEWHERE = "referred_elsewhere"
    MOVED = "moved"
    CARED_FOR_DEATH = "cared_for_death"
    NO_LONGER_WISHED = "no_longer_wished"
    LOST_CONTACT = "lost_contact"


class ConsentMethod(StrEnum):
    ORAL = "oral"
    WRITTEN = "written"


class Relation(StrEnum):
    SPOUSE = "spouse"
    PARENT = "parent"
    CHILD = "child"
    SIBLING = "sibling"
    FRIEND_NEIGHBOUR = "friend_neighbour"
    OTHER = "other"


class CareReason(StrEnum):
    AGE = "age"
    DISABILITY = "disability"
    ILLNESS = "illness"
    MENTAL_HEALTH = "mental_health"


class WorkSituation(StrEnum):
    EMPLOYED = "employed"
    JOB_SEEKER = "job_seeker"
    RETIRED = "retired"
    OTHER = "other"


class EntryKind(StrEnum):
    IN_PERSON = "in_person"
    PHONE = "phone"
    HOME_VISIT = "home_visit"
    VIDEO = "video"
    PARTNER_MEETING = "partner_meeting"


class Visibility(StrEnum):
    TEAM = "team"  # both professions, only if the person agreed to sharing
    PROFESSION = "profession"  # the author's profession only
    PRIVATE = "private"  # the author only


class Profession(StrEnum):
    SOCIAL_WORKER = Role.SOCIAL_WORKER.value
    PSYCHOLOGIST = Role.PSYCHOLOGIST.value


class OrientationStatus(StrEnum):
    PROPOSED = "proposed"
    IN_PROGRESS = "in_progress"
    DONE = "done"
    DROPPED = "dropped"


class ProcedureType(StrEnum):
    APA = "apa"
    CAREGIVER_LEAVE = "caregiver_leave"  # AJPA / congé de proche aidant
    MDPH_PCH = "mdph_pch"
    CAF = "caf"
    PENSION = "pension"  # pension and supplementary-pension aid
    RESPITE_AID = "respite_aid"
    OTHER = "other"


class MandateDuration(StrEnum):
    ONE_DAY = "1d"
    ONE_MONTH = "1m"
    SIX_MONTHS = "6m"
    ONE_YEAR = "1y"


class DifficultyCategory(StrEnum):
    RIGHTS_NOT_ACCESSED = "rights_not_accessed"
    LONG_DELAY = "long_delay"
    PRECARIOUSNESS = "precariousness"
    ONLINE_ONLY = "online_only"
    MISUNDERSTANDING = "misunderstanding"


class Institution(StrEnum):
    CAF = "caf"
    CPAM = "cpam"
    CARSAT = "carsat"
    MDPH = "mdph"
    MSA = "msa"
    DEPARTEMENT = "departement"
    FRANCE_TRAVAIL = "france_travail"
    OTHER = "other"


def split_codes(value: str | None) -> list[str]:
    return [part for part in (value or "").split(",") if part]


class Case(db.Model):
    """A person's case file at one site; at most one open case per person."""

    __tablename__ = "casework_case"
    __table_args__ = (
        Index(
            "uq_casework_case_one_open_per_person",
            "person_id",
            unique=True,
            sqlite_where=text("status = 'open'"),
            postgresql_where=text("status = 'open'"),
        ),
        Index("ix_casework_case_site_status", "site_id", "status"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    site_id: Mapped[int] = mapped_column(ForeignKey("site.id"))
    # Emptied when the case is anonymised (retention): the counts stay, the identity goes.
    person_id: Mapped[int | None] = mapped_column(ForeignKey("person.id"))
    status: Mapped[str] = mapped_column(String(12), default=CaseStatus.OPEN)
    opened_on: Mapped[date] = mapped_column(Date)
    opened_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))
    consent_on: Mapped[date] = mapped_column(Date)
    consent_method: Mapped[str] = mapped_column(String(10))  # oral | written
    # Whether the person agrees that the social worker and the psychologist share information.
    consent_sharing: Mapped[bool] = mapped_column(Boolean, default=False)
    closed_on: Mapped[date | None] = mapped_column(Date)
    closing_reason: Mapped[str | None] = mapped_column(String(30))
    anonymised_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # Latest entry date (or the opening date): drives follow-up and retention.
    last_contact_on: Mapped[date] = mapped_column(Date, index=True)
    next_appointment_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    site: Mapped[Site] = relationship()
    person: Mapped[Person | None] = relationship()
    opened_by: Mapped[User | None] = relationship()
    entries: Mapped[list[Entry]] = relationship(
        back_populates="case", order_by="(Entry.occurred_on.desc(), Entry.id.desc())"
    )
    situations: Mapped[list[Situation]] = relationship(
        back_populates="case", order_by="(Situation.assessed_on.desc(), Situation.id.desc())"
    )
    orientations: Mapped[list[Orientation]] = relationship(
        back_populates="case", order_by="Orientation.oriented_on.desc()"
    )
    mandates: Mapped[list[Mandate]] = relationship(
        back_populates="case", order_by="Mandate.starts_on.desc()"
    )
    procedures: Mapped[list[Procedure]] = relationship(
        back_populates="case", order_by="Procedure.done_on.desc()"
    )
    referral_links: Mapped[list[CaseReferral]] = relationship(back_populates="case")

    @property
    def is_open(self) -> bool:
        return self.status == CaseStatus.OPEN

    @property
    def support_type(self) -> str | None:
        """'social', 'psychological' or 'both', from the professions that wrote entries."""
        return support_type_of({entry.profession for entry in self.entries})

    def note_contact(self, day: date) -> None:
        if self.last_contact_on is None or day > self.last_contact_on:
            self.last_contact_on = day


def support_type_of(professions: set[str]) -> str | None:
    social = Profession.SOCIAL_WORKER in professions
    psychological = Profession.PSYCHOLOGIST in professions
    if social and psychological:
        return "both"
    if social:
        return "social"
    if psychological:
        return "psychological"
    return None


class CaseReferral(db.Model):
    """A referral of the queue accepted into a case (a referral feeds at most one case)."""

    __tablename__ = "case_referral"

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("casework_case.id"), index=True)
    referral_id: Mapped[int] = mapped_column(ForeignKey("referral.id"), unique=True)
    linked_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    linked_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))

    case: Mapped[Case] = relationship(back_populates="referral_links")
    referral: Mapped[Referral] = relationship()


class Situation(db.Model):
    """The caregiving situation as assessed on one day; a new assessment adds a row."""

    __tablename__ = "casework_situation"

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("casework_case.id"), index=True)
    assessed_on: Mapped[date] = mapped_column(Date)
    relation: Mapped[str] = mapped_column(String(20))
    reason: Mapped[str] = mapped_column(String(20))
    living_together: Mapped[bool] = mapped_column(Boolean, default=False)
    hours_per_week: Mapped[int | None] = mapped_column(Integer)
    work_situation: Mapped[str] = mapped_column(String(20))
    caring_since: Mapped[date | None] = mapped_column(Date)
    exhaustion_level: Mapped[int | None] = mapped_column(Integer)  # 0 (none) … 10 (exhausted)
    needs: Mapped[str] = mapped_column(String(300), default="")  # comma-separated Need codes
    recorded_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    case: Mapped[Case] = relationship(back_populates="situations")

    @property
    def need_list(self) -> list[str]:
        return split_codes(self.needs)


class Entry(db.Model):
    """An interview or an action, with a note whose visibility the author chose."""

    __tablename__ = "casework_entry"

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("casework_case.id"), index=True)
    occurred_on: Mapped[date] = mapped_column(Date)
    duration_minutes: Mapped[int] = mapped_column(Integer, default=0)
    kind: Mapped[str] = mapped_column(String(20))
    author_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))
    # The author's profession when writing: visibility is decided on it, not on today's roles.
    profession: Mapped[str] = mapped_column(String(20))
    visibility: Mapped[str] = mapped_column(String(12))
    note: Mapped[str | None] = mapped_column(EncryptedText)  # emptied on anonymisation
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    case: Mapped[Case] = relationship(back_populates="entries")
    author: Mapped[User | None] = relationship()


class Orientation(db.Model):
    """An orientation of the person to a partner of the directory for one need."""

    __tablename__ = "casework_orientation"

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("casework_case.id"), index=True)
    partner_id: Mapped[int] = mapped_column(ForeignKey("partner.id"), index=True)
    need: Mapped[str] = mapped_column(String(30))
    oriented_on: Mapped[date] = mapped_column(Date)
    status: Mapped[str] = mapped_column(String(12), default=OrientationStatus.PROPOSED)
    outcome: Mapped[str | None] = mapped_column(EncryptedText)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)

    case: Mapped[Case] = relationship(back_populates="orientations")
    partner: Mapped[Partner] = relationship()


class Mandate(db.Model):
    """The person's written permission to act on their behalf for some procedure types."""

    __tablename__ = "casework_mandate"

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("casework_case.id"), index=True)
    scope: Mapped[str] = mapped_column(String(200))  # comma-separated ProcedureType codes
    duration: Mapped[str] = mapped_column(String(4))
    starts_on: Mapped[date] = mapped_column(Date)
    expires_on: Mapped[date] = mapped_column(Date)  # last valid day
    revoked_on: Mapped[date | None] = mapped_column(Date)  # invalid from this day on
    revoked_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))
    wording_version: Mapped[str] = mapped_column(String(20))
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    case: Mapped[Case] = relationship(back_populates="mandates")
    procedures: Mapped[list[Procedure]] = relationship(back_populates="mandate")

    @property
    def scope_list(self) -> list[str]:
        return split_codes(self.scope)

    def is_valid_on(self, day: date) -> bool:
        revoked = self.revoked_on is not None and day >= self.revoked_on
        return self.starts_on <= day <= self.expires_on and not revoked


class Procedure(db.Model):
    """An administrative procedure done for the person, always under a mandate."""

    __tablename__ = "casework_procedure"

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("casework_case.id"), index=True)
    mandate_id: Mapped[int] = mapped_column(ForeignKey("casework_mandate.id"), index=True)
    procedure_type: Mapped[str] = mapped_column(String(20))
    done_on: Mapped[date] = mapped_column(Date)
    description: Mapped[str | None] = mapped_column(EncryptedText)
    done_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    case: Mapped[Case] = relationship(back_populates="procedures")
    mandate: Mapped[Mandate] = relationship(back_populates="procedures")


class DifficultySheet(db.Model):
    """An anonymised access-to-rights difficulty ("fiche de remontée"), tied to no person."""

    __tablename__ = "casework_difficulty"
    __table_args__ = (Index("ix_casework_difficulty_site_reported", "site_id", "reported_on"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    site_id: Mapped[int] = mapped_column(ForeignKey("site.id"))
    reported_on: Mapped[date] = mapped_column(Date)
    category: Mapped[str] = mapped_column(String(30))
    institution: Mapped[str] = mapped_column(String(20))
    description: Mapped[str | None] = mapped_column(EncryptedText)  # written without identity
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class RetentionRun(db.Model):
    """A count-only record of one retention run (never which cases)."""

    __tablename__ = "casework_retention_run"

    id: Mapped[int] = mapped_column(primary_key=True)
    ran_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    cutoff_on: Mapped[date] = mapped_column(Date)
    anonymised_count: Mapped[int] = mapped_column(Integer, default=0)
