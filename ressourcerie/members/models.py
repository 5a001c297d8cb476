"""People, visits, internal referrals, memberships and the payments ledger."""

from __future__ import annotations

import unicodedata
from datetime import date, datetime
from enum import StrEnum

from sqlalchemy import (
    Boolean,
    CheckConstraint,
    Date,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ressourcerie.columns import UTCDateTime, utcnow
from ressourcerie.extensions import db
from ressourcerie.security.crypto import EncryptedText
from ressourcerie.security.models import Site, User


class Gender(StrEnum):
    WOMAN = "woman"
    MAN = "man"
    OTHER = "other"
    NOT_SAID = "not_said"


class ContactChannel(StrEnum):
    EMAIL = "email"
    PHONE = "phone"
    SMS = "sms"
    POST = "post"
    NONE = "none"


class CaregiverStatus(StrEnum):
    UNKNOWN = "unknown"
    IDENTIFIED_BY_TEAM = "identified_by_team"
    SELF_DECLARED = "self_declared"


class VisitPurpose(StrEnum):
    ACTIVITY = "activity"
    INFORMATION = "information"
    SUPPORT_REQUEST = "support_request"
    SOCIAL_TIME = "social_time"
    OTHER = "other"


class ReferralCategory(StrEnum):
    POSSIBLE_CAREGIVER = "possible_caregiver"
    SOCIAL_SUPPORT = "social_support"
    PSYCHOLOGICAL_SUPPORT = "psychological_support"
    RIGHTS = "rights"
    ISOLATION = "isolation"
    OTHER = "other"


class ReferralStatus(StrEnum):
    NEW = "new"
    ACCEPTED = "accepted"
    CLOSED = "closed"


class PaymentKind(StrEnum):
    MEMBERSHIP = "membership"
    SESSION = "session"
    OTHER = "other"


class PaymentMethod(StrEnum):
    CASH = "cash"
    CARD = "card"
    CHEQUE = "cheque"
    TRANSFER = "transfer"
    HOLIDAY_VOUCHER = "holiday_voucher"


def search_key(text: str | None) -> str:
    """Lower case, accents removed, single spaces: what name search compares."""
    if not text:
        return ""
    decomposed = unicodedata.normalize("NFKD", text)
    plain = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return " ".join(plain.lower().split())


def phone_digits(phone: str | None) -> str:
    """Digits only, a French international prefix turned into the leading 0, so any way of
    typing matches: "+33 6 12…", "+33 (0)6 12…", "0033 6 12…" and "06 12…" all give "0612…"."""
    digits = "".join(ch for ch in (phone or "") if ch.isdigit())
    for prefix in ("00330", "0033", "330", "33"):
        rest = digits[len(prefix) :]
        if digits.startswith(prefix) and len(rest) == 9 and rest[0] != "0":
            return "0" + rest
    return digits


class Person(db.Model):
    """One record per human, with or without a login; identity may be partial."""

    __tablename__ = "person"
    __table_args__ = (
        Index("ix_person_search_name", "search_name"),
        Index("ix_person_search_last_name", "search_last_name"),
        Index("ix_person_phone_digits", "phone_digits"),
        Index("ix_person_email", "email"),
        Index("ix_person_postcode", "postcode"),
        # Search is a prefix LIKE: on PostgreSQL only pattern_ops indexes serve it (the
        # indexes above, in the database collation, serve the ordering).
        *(
            Index(
                f"ix_person_{column}_prefix", column, postgresql_ops={column: "varchar_pattern_ops"}
            )
            for column in (
                "search_name",
                "search_last_name",
                "phone_digits",
                "phone_digits_reversed",
                "email",
                "postcode",
            )
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    # The site where the person was first recorded; people are shared across sites.
    site_id: Mapped[int | None] = mapped_column(ForeignKey("site.id"))
    first_name: Mapped[str] = mapped_column(String(100), default="")
    last_name: Mapped[str] = mapped_column(String(100), default="")
    # "first last" and "last" as search_key(); kept in step by set_identity().
    search_name: Mapped[str] = mapped_column(String(201), default="")
    search_last_name: Mapped[str] = mapped_column(String(100), default="")
    birth_year: Mapped[int | None] = mapped_column(Integer)
    gender: Mapped[str] = mapped_column(String(10), default=Gender.NOT_SAID)
    commune: Mapped[str] = mapped_column(String(120), default="")
    postcode: Mapped[str] = mapped_column(String(10), default="")
    phone: Mapped[str] = mapped_column(String(30), default="")
    phone_digits: Mapped[str] = mapped_column(String(20), default="")
    # The digits backwards: "the number ending in 51 29" is a prefix search on this column.
    phone_digits_reversed: Mapped[str] = mapped_column(String(20), default="", server_default="")
    email: Mapped[str | None] = mapped_column(String(254))  # lower case, optional
    preferred_contact: Mapped[str] = mapped_column(String(10), default=ContactChannel.NONE)
    heard_from: Mapped[str] = mapped_column(String(120), default="")
    consent_on: Mapped[date | None] = mapped_column(Date)
    consent_method: Mapped[str] = mapped_column(String(20), default="")  # oral, written, online
    charter_accepted_on: Mapped[date | None] = mapped_column(Date)
    newsletter_opt_in: Mapped[bool] = mapped_column(Boolean, default=False)
    caregiver_status: Mapped[str] = mapped_column(String(20), default=CaregiverStatus.UNKNOWN)
    caregiver_status_changed_on: Mapped[date | None] = mapped_column(Date)
    # Reduced rate granted by staff; the reason is never shown to the person or in public.
    reduced_rate_until: Mapped[date | None] = mapped_column(Date)
    reduced_rate_reason: Mapped[str] = mapped_column(String(200), default="")
    # The member login of this person, once they have one.
    user_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"), unique=True)
    # Account claim for people created at the desk: hash of a one-time code.
    claim_code_hash: Mapped[str | None] = mapped_column(String(128))
    claim_code_expires_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    erasure_requested_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # Set when identity was removed (erasure or retention); statistics remain.
    anonymised_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)

    site: Mapped[Site | None] = relationship()
    user: Mapped[User | None] = relationship(foreign_keys=[user_id])
    memberships: Mapped[list[Membership]] = relationship(
        back_populates="person", order_by="Membership.starts_on.desc()"
    )
    caregiver_history: Mapped[list[CaregiverStatusChange]] = relationship(
        back_populates="person", order_by="CaregiverStatusChange.changed_at"
    )

    def set_identity(self, first_name: str, last_name: str) -> None:
        self.first_name = (first_name or "").strip()
        self.last_name = (last_name or "").strip()
        self.search_last_name = search_key(self.last_name)
        self.search_name = search_key(f"{self.first_name} {self.last_name}")

    def set_phone(self, phone: str) -> None:
        self.phone = (phone or "").strip()
        self.phone_digits = phone_digits(self.phone)
        self.phone_digits_reversed = self.phone_digits[::-1]

    @property
    def full_name(self) -> str:
        return " ".join(part for part in (self.first_name, self.last_name) if part)

    def reduced_rate_on(self, day: date) -> bool:
        return self.reduced_rate_until is not None and day <= self.reduced_rate_until

    def __repr__(self) -> str:
        return f"<Person {self.id}>"


class CaregiverStatusChange(db.Model):
    """History of a person's caregiver status (who changed it, when)."""

    __tablename__ = "caregiver_status_change"

    id: Mapped[int] = mapped_column(primary_key=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("person.id", ondelete="CASCADE"), index=True)
    status: Mapped[str] = mapped_column(String(20))
    changed_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    changed_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))

    person: Mapped[Person] = relationship(back_populates="caregiver_history")


class Visit(db.Model):
    """A passage at the reception desk, of a known person or anonymous."""

    __tablename__ = "visit"
    __table_args__ = (
        Index("ix_visit_site_visited_at", "site_id", "visited_at"),
        Index("ix_visit_person_visited_at", "person_id", "visited_at"),
        # Which people visited a site (who staff may see): answered from the index alone.
        Index("ix_visit_site_person", "site_id", "person_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    site_id: Mapped[int] = mapped_column(ForeignKey("site.id"))
    person_id: Mapped[int | None] = mapped_column(ForeignKey("person.id"))
    visited_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    purpose: Mapped[str] = mapped_column(String(20), default=VisitPurpose.ACTIVITY)
    as_caregiver: Mapped[bool] = mapped_column(Boolean, default=False)
    recorded_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))

    person: Mapped[Person | None] = relationship()
    site: Mapped[Site] = relationship()


class Referral(db.Model):
    """An internal referral (signalement): lands in the care team's queue.

    The author later sees only that it was taken into account.
    """

    __tablename__ = "referral"
    __table_args__ = (Index("ix_referral_site_status", "site_id", "status"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    site_id: Mapped[int] = mapped_column(ForeignKey("site.id"))
    person_id: Mapped[int] = mapped_column(ForeignKey("person.id"), index=True)
    category: Mapped[str] = mapped_column(String(30))
    comment: Mapped[str | None] = mapped_column(EncryptedText)  # short and neutral
    status: Mapped[str] = mapped_column(String(10), default=ReferralStatus.NEW)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    handled_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))
    handled_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    closing_reason: Mapped[str] = mapped_column(String(200), default="")

    person: Mapped[Person] = relationship()
    site: Mapped[Site] = relationship()
    created_by: Mapped[User | None] = relationship(foreign_keys=[created_by_id])

    @property
    def taken_into_account(self) -> bool:
        return self.status != ReferralStatus.NEW


class Membership(db.Model):
    """An annual membership; active / expiring / expired are derived from the dates."""

    __tablename__ = "membership"
    __table_args__ = (Index("ix_membership_person_ends_on", "person_id", "ends_on"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("person.id"))
    site_id: Mapped[int] = mapped_column(ForeignKey("site.id"))
    starts_on: Mapped[date] = mapped_column(Date)
    ends_on: Mapped[date] = mapped_column(Date, index=True)  # last day included
    fee_cents: Mapped[int] = mapped_column(Integer)
    payment_id: Mapped[int | None] = mapped_column(ForeignKey("payment.id"))
    renewal_of_id: Mapped[int | None] = mapped_column(ForeignKey("membership.id"))
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    person: Mapped[Person] = relationship(back_populates="memberships")
    payment: Mapped[Payment | None] = relationship()

    def is_active_on(self, day: date) -> bool:
        return self.starts_on <= day <= self.ends_on


class MembershipReminder(db.Model):
    """A renewal reminder already queued, so the reminder command is idempotent."""

    __tablename__ = "membership_reminder"
    __table_args__ = (UniqueConstraint("membership_id", "days_before"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    membership_id: Mapped[int] = mapped_column(ForeignKey("membership.id", ondelete="CASCADE"))
    days_before: Mapped[int] = mapped_column(Integer)  # 30, 7 or 0
    queued_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class ReceiptCounter(db.Model):
    """Last receipt number given per site and year; locked while a payment is recorded."""

    __tablename__ = "receipt_counter"

    site_id: Mapped[int] = mapped_column(ForeignKey("site.id"), primary_key=True)
    year: Mapped[int] = mapped_column(Integer, primary_key=True)
    last_number: Mapped[int] = mapped_column(Integer, default=0)


class Payment(db.Model):
    """One line of the ledger. Never deleted: a mistake is corrected by a reversing line."""

    __tablename__ = "payment"
    __table_args__ = (
        UniqueConstraint("site_id", "receipt_year", "receipt_number"),
        CheckConstraint("reverses_id IS NULL OR reason <> ''", name="reversal_has_reason"),
        Index("ix_payment_site_received_at", "site_id", "received_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    site_id: Mapped[int] = mapped_column(ForeignKey("site.id"))
    person_id: Mapped[int | None] = mapped_column(ForeignKey("person.id"), index=True)
    kind: Mapped[str] = mapped_column(String(20))
    label: Mapped[str] = mapped_column(String(200), default="")
    amount_cents: Mapped[int] = mapped_column(Integer)  # negative on a reversing line
    method: Mapped[str] = mapped_column(String(20))
    received_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))
    received_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    receipt_year: Mapped[int] = mapped_column(Integer)
    receipt_number: Mapped[int] = mapped_column(Integer)
    # A reversing line points at the line it cancels; a line is reversed at most once.
    reverses_id: Mapped[int | None] = mapped_column(ForeignKey("payment.id"), unique=True)
    reason: Mapped[str] = mapped_column(Text, default="")

    person: Mapped[Person | None] = relationship()
    site: Mapped[Site] = relationship()
    received_by: Mapped[User | None] = relationship()
    reverses: Mapped[Payment | None] = relationship(remote_side=[id], foreign_keys=[reverses_id])

    @property
    def receipt_label(self) -> str:
        return f"{self.receipt_year}-{self.site_id:02d}-{self.receipt_number:05d}"
