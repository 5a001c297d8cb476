"""Accounts, roles, sites, login sessions, recovery codes and the security event store."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum

from flask_login import UserMixin
from sqlalchemy import Boolean, Column, ForeignKey, Index, Integer, String, Table, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ressourcerie.columns import UTCDateTime, utcnow
from ressourcerie.extensions import db
from ressourcerie.security.crypto import EncryptedText


class Role(StrEnum):
    MEMBER = "member"
    RECEPTION = "reception"
    ANIMATOR = "animator"
    SOCIAL_WORKER = "social_worker"
    PSYCHOLOGIST = "psychologist"
    COORDINATOR = "coordinator"
    ADMIN = "admin"


STAFF_ROLES = (
    Role.RECEPTION,
    Role.ANIMATOR,
    Role.SOCIAL_WORKER,
    Role.PSYCHOLOGIST,
    Role.COORDINATOR,
    Role.ADMIN,
)
CARE_ROLES = (Role.SOCIAL_WORKER, Role.PSYCHOLOGIST)
TWO_FACTOR_ROLES = (Role.SOCIAL_WORKER, Role.PSYCHOLOGIST, Role.ADMIN)
# Roles that must never be combined with the care team: they may not read casework.
NO_CASEWORK_ROLES = (Role.COORDINATOR, Role.ADMIN)


user_site = Table(
    "user_site",
    db.metadata,
    Column("user_id", ForeignKey("user_account.id", ondelete="CASCADE"), primary_key=True),
    Column("site_id", ForeignKey("site.id", ondelete="CASCADE"), primary_key=True),
)


class Site(db.Model):
    __tablename__ = "site"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(120), unique=True)
    town: Mapped[str] = mapped_column(String(120), default="")
    address: Mapped[str] = mapped_column(String(255), default="")
    postcode: Mapped[str] = mapped_column(String(10), default="", server_default="")
    phone: Mapped[str] = mapped_column(String(30), default="", server_default="")
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    def __repr__(self) -> str:
        return f"<Site {self.id} {self.name}>"


class UserRole(db.Model):
    __tablename__ = "user_role"

    user_id: Mapped[int] = mapped_column(
        ForeignKey("user_account.id", ondelete="CASCADE"), primary_key=True
    )
    role: Mapped[str] = mapped_column(String(20), primary_key=True)


class User(UserMixin, db.Model):
    """A login: a staff member or a member (whose Person record comes with the members work)."""

    __tablename__ = "user_account"

    id: Mapped[int] = mapped_column(primary_key=True)
    email: Mapped[str] = mapped_column(String(254), unique=True)  # always lower case
    display_name: Mapped[str] = mapped_column(String(120))
    password_hash: Mapped[str | None] = mapped_column(String(255))
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    locale: Mapped[str | None] = mapped_column(String(5))
    # Base32 TOTP secret, encrypted at rest; enabled once a first code was confirmed.
    totp_secret: Mapped[str | None] = mapped_column(EncryptedText)
    totp_enabled_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # Last accepted TOTP time step, so a code cannot be replayed.
    totp_last_step: Mapped[int | None] = mapped_column(Integer)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    password_changed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    last_login_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    disabled_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    role_rows: Mapped[list[UserRole]] = relationship(cascade="all, delete-orphan", lazy="selectin")
    sites: Mapped[list[Site]] = relationship(
        secondary=user_site, lazy="selectin", order_by=Site.name
    )
    recovery_codes: Mapped[list[RecoveryCode]] = relationship(
        cascade="all, delete-orphan", back_populates="user"
    )

    # The login session this request runs under (set by the user loader, not stored).
    current_login_session = None

    def __repr__(self) -> str:
        return f"<User {self.id} {self.email}>"

    # Flask-Login stores the login session id, so ending a session row logs out at once.
    def get_id(self) -> str | None:
        return self.current_login_session.id if self.current_login_session else None

    @property
    def is_active(self) -> bool:
        return self.active

    @property
    def roles(self) -> set[Role]:
        return {Role(row.role) for row in self.role_rows}

    def set_roles(self, roles) -> None:
        wanted = {Role(role) for role in roles}
        self.role_rows = [row for row in self.role_rows if Role(row.role) in wanted]
        have = self.roles
        for role in sorted(wanted - have):
            self.role_rows.append(UserRole(role=role.value))

    def has_role(self, *roles: Role) -> bool:
        return bool(self.roles & set(roles))

    @property
    def is_staff(self) -> bool:
        return self.has_role(*STAFF_ROLES)

    @property
    def is_care_team(self) -> bool:
        return self.has_role(*CARE_ROLES)

    @property
    def requires_two_factor(self) -> bool:
        return self.has_role(*TWO_FACTOR_ROLES)

    @property
    def two_factor_enabled(self) -> bool:
        return self.totp_enabled_at is not None and self.totp_secret is not None

    @property
    def site_ids(self) -> set[int]:
        return {site.id for site in self.sites}


class RecoveryCode(db.Model):
    """A one-time code that replaces a TOTP code when the phone is lost."""

    __tablename__ = "recovery_code"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(
        ForeignKey("user_account.id", ondelete="CASCADE"), index=True
    )
    code_hash: Mapped[str] = mapped_column(String(64))  # sha256 of the normalised code
    used_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    user: Mapped[User] = relationship(back_populates="recovery_codes")


class LoginSession(db.Model):
    """One signed-in browser; its random id is what the session cookie carries."""

    __tablename__ = "login_session"

    id: Mapped[str] = mapped_column(String(64), primary_key=True)
    user_id: Mapped[int] = mapped_column(
        ForeignKey("user_account.id", ondelete="CASCADE"), index=True
    )
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    last_seen_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    ended_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    end_reason: Mapped[str | None] = mapped_column(String(30))
    ip_address: Mapped[str | None] = mapped_column(String(45))
    user_agent: Mapped[str | None] = mapped_column(String(255))

    user: Mapped[User] = relationship(lazy="joined", innerjoin=True)


class AuditEvent(db.Model):
    """One entry of the append-only, hash-chained event store (security and casework logs).

    Never holds content: who, which role, what action on which object, when, from where.
    """

    __tablename__ = "audit_event"
    # The access history of one object (a case page lists it): newest first, by id.
    __table_args__ = (Index("ix_audit_event_object", "object_type", "object_id", "id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, index=True)
    category: Mapped[str] = mapped_column(String(20), index=True)  # security | casework
    action: Mapped[str] = mapped_column(String(60))
    outcome: Mapped[str] = mapped_column(String(10), default="success")  # success|failure|denied
    # Plain integers, not foreign keys: the log outlives anonymised or merged records.
    actor_id: Mapped[int | None] = mapped_column(Integer, index=True)
    actor_roles: Mapped[str] = mapped_column(String(200), default="")
    object_type: Mapped[str | None] = mapped_column(String(40))
    object_id: Mapped[str | None] = mapped_column(String(40))
    site_id: Mapped[int | None] = mapped_column(Integer)
    ip_address: Mapped[str | None] = mapped_column(String(45))
    request_id: Mapped[str | None] = mapped_column(String(40))
    detail: Mapped[str] = mapped_column(Text, default="{}")  # small JSON, never content
    prev_hash: Mapped[str] = mapped_column(String(64))
    hash: Mapped[str] = mapped_column(String(64), unique=True)


class AuditCheckpoint(db.Model):
    """Written when old events are purged: the chain goes on from its last hash."""

    __tablename__ = "audit_checkpoint"

    id: Mapped[int] = mapped_column(primary_key=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    last_event_id: Mapped[int] = mapped_column(Integer)
    last_hash: Mapped[str] = mapped_column(String(64))
    purged_count: Mapped[int] = mapped_column(Integer)
    purged_before: Mapped[datetime] = mapped_column(UTCDateTime)
