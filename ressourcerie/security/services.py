"""Verbs of accounts and security: sign in, two factors, sessions, passwords, staff and sites."""

from __future__ import annotations

import hashlib
import secrets
from collections.abc import Iterable
from datetime import datetime, timedelta

import pyotp
from flask import current_app, g, has_request_context
from flask_babel import gettext as _
from itsdangerous import BadSignature, URLSafeTimedSerializer
from sqlalchemy import func, select, update
from sqlalchemy.orm import joinedload

from ressourcerie.columns import utcnow
from ressourcerie.extensions import db
from ressourcerie.security import audit, passwords
from ressourcerie.security.models import (
    CARE_ROLES,
    NO_CASEWORK_ROLES,
    STAFF_ROLES,
    LoginSession,
    RecoveryCode,
    Role,
    Site,
    User,
)

RECOVERY_CODE_COUNT = 10
RESET_SALT = "password-reset"


class SecurityError(Exception):
    """A refusal the user should read, in plain words."""


class PasswordPolicyError(SecurityError):
    def __init__(self, reasons: list[str]):
        super().__init__(" ".join(reasons))
        self.reasons = reasons


class RoleCombinationError(SecurityError):
    pass


def normalise_email(email: str) -> str:
    return (email or "").strip().lower()


def find_user_by_email(email: str) -> User | None:
    return db.session.execute(
        select(User).where(User.email == normalise_email(email))
    ).scalar_one_or_none()


# --- passwords ----------------------------------------------------------------------------


def check_password_policy(password: str, email: str = "") -> None:
    reasons = passwords.policy_errors(
        password, min_length=current_app.config["PASSWORD_MIN_LENGTH"], email=email
    )
    if reasons:
        raise PasswordPolicyError(reasons)


def set_password(user: User, password: str, *, by: User | None = None) -> None:
    """Set a new password and end every open session of the account."""
    check_password_policy(password, user.email)
    user.password_hash = passwords.hash_password(password)
    user.password_changed_at = utcnow()
    end_sessions(user, reason="password_changed")
    audit.record(
        "security", "password.changed", actor=by or user, object_type="user", object_id=user.id
    )


def authenticate(email: str, password: str) -> User | None:
    """Return the user when email and password match an active account, else None.

    Always verifies a hash, so the time taken reveals nothing about which accounts exist.
    """
    user = find_user_by_email(email)
    valid = passwords.verify_password(user.password_hash if user else None, password)
    if user is None or not valid or not user.active:
        audit.record(
            "security",
            "login.failed",
            outcome="failure",
            actor=None,
            object_type="user",
            object_id=user.id if user else None,
        )
        return None
    if passwords.needs_rehash(user.password_hash):
        user.password_hash = passwords.hash_password(password)
    return user


# --- login sessions -----------------------------------------------------------------------


def _timeouts(user: User) -> tuple[timedelta, timedelta]:
    config = current_app.config
    if user.is_staff:
        return config["STAFF_IDLE_TIMEOUT"], config["STAFF_ABSOLUTE_TIMEOUT"]
    return config["MEMBER_IDLE_TIMEOUT"], config["MEMBER_ABSOLUTE_TIMEOUT"]


def start_login_session(user: User, *, ip: str | None, user_agent: str | None) -> LoginSession:
    login_session = LoginSession(
        id=secrets.token_urlsafe(32),
        user=user,
        ip_address=ip,
        user_agent=(user_agent or "")[:255],
    )
    db.session.add(login_session)
    user.last_login_at = utcnow()
    user.current_login_session = login_session
    audit.record("security", "login.succeeded", actor=user, object_type="user", object_id=user.id)
    db.session.flush()
    return login_session


def load_login_session(session_id: str, now: datetime | None = None) -> User | None:
    """Return the signed-in user for a session id, or None if it ended, expired or is disabled."""
    now = now or utcnow()
    # One query for the session, its user, roles and sites (a few rows: roles × sites),
    # instead of three: this runs on every authenticated request.
    user_load = joinedload(LoginSession.user)
    login_session = db.session.get(
        LoginSession,
        session_id,
        options=[user_load.joinedload(User.role_rows), user_load.joinedload(User.sites)],
    )
    if login_session is None or login_session.ended_at is not None:
        return None
    user = login_session.user
    idle, absolute = _timeouts(user)
    reason = None
    if not user.active:
        reason = "account_disabled"
    elif now - login_session.created_at > absolute:
        reason = "absolute_timeout"
    elif now - login_session.last_seen_at > idle:
        reason = "idle_timeout"
    if reason:
        login_session.ended_at = now
        login_session.end_reason = reason
        if has_request_context():  # lets the login page say why the person was signed out
            g.session_end_reason = reason
        return None
    if now - login_session.last_seen_at > timedelta(seconds=60):
        login_session.last_seen_at = now
    user.current_login_session = login_session
    return user


def end_login_session(login_session: LoginSession | None, reason: str = "logout") -> None:
    if login_session is not None and login_session.ended_at is None:
        login_session.ended_at = utcnow()
        login_session.end_reason = reason


def end_sessions(user: User, *, reason: str, keep: LoginSession | None = None) -> None:
    statement = (
        update(LoginSession)
        .where(LoginSession.user_id == user.id, LoginSession.ended_at.is_(None))
        .values(ended_at=utcnow(), end_reason=reason)
    )
    if keep is not None:
        statement = statement.where(LoginSession.id != keep.id)
    db.session.execute(statement)


# --- two-factor login ---------------------------------------------------------------------


def new_totp_secret() -> str:
    return pyotp.random_base32()


def totp_uri(user: User, secret: str) -> str:
    return pyotp.TOTP(secret).provisioning_uri(
        name=user.email, issuer_name=current_app.config["TOTP_ISSUER"]
    )


def _accept_totp(user: User, secret: str, code: str, now: datetime | None = None) -> bool:
    """Accept a code of the current step or its neighbours, never the same step twice."""
    code = "".join(ch for ch in code or "" if ch.isdigit())
    if len(code) != 6:
        return False
    totp = pyotp.TOTP(secret)
    moment = now or utcnow()
    current_step = totp.timecode(moment)
    for offset in (0, -1, 1):
        step = current_step + offset
        if secrets.compare_digest(totp.generate_otp(step), code):
            if user.totp_last_step is not None and step <= user.totp_last_step:
                return False
            user.totp_last_step = step
            return True
    return False


def confirm_totp_enrolment(user: User, secret: str, code: str) -> list[str] | None:
    """Enable TOTP when the first code is right; return fresh recovery codes."""
    if not _accept_totp(user, secret, code):
        audit.record("security", "2fa.enrol_failed", outcome="failure", actor=user)
        return None
    user.totp_secret = secret
    user.totp_enabled_at = utcnow()
    codes = regenerate_recovery_codes(user)
    audit.record("security", "2fa.enabled", actor=user, object_type="user", object_id=user.id)
    return codes


def _hash_recovery_code(code: str) -> str:
    normalised = "".join(ch for ch in code.lower() if ch.isalnum())
    return hashlib.sha256(normalised.encode()).hexdigest()


def regenerate_recovery_codes(user: User) -> list[str]:
    codes = [
        f"{secrets.token_hex(2)}-{secrets.token_hex(2)}-{secrets.token_hex(2)}"
        for _ in range(RECOVERY_CODE_COUNT)
    ]
    user.recovery_codes = [RecoveryCode(code_hash=_hash_recovery_code(code)) for code in codes]
    return codes


def verify_second_factor(user: User, code: str) -> bool:
    """Check a TOTP code, or else a one-time recovery code (which is then spent)."""
    if user.two_factor_enabled and _accept_totp(user, user.totp_secret, code):
        audit.record("security", "2fa.succeeded", actor=user, object_type="user", object_id=user.id)
        return True
    digest = _hash_recovery_code(code or "")
    recovery = db.session.execute(
        select(RecoveryCode).where(
            RecoveryCode.user_id == user.id,
            RecoveryCode.code_hash == digest,
            RecoveryCode.used_at.is_(None),
        )
    ).scalar_one_or_none()
    if recovery is not None:
        recovery.used_at = utcnow()
        audit.record(
            "security", "2fa.recovery_code_used", actor=user, object_type="user", object_id=user.id
        )
        return True
    audit.record(
        "security",
        "2fa.failed",
        outcome="failure",
        actor=user,
        object_type="user",
        object_id=user.id,
    )
    return False


def remaining_recovery_codes(user: User) -> int:
    return db.session.execute(
        select(func.count())
        .select_from(RecoveryCode)
        .where(RecoveryCode.user_id == user.id, RecoveryCode.used_at.is_(None))
    ).scalar_one()


def disable_two_factor(user: User, *, by: User) -> None:
    user.totp_secret = None
    user.totp_enabled_at = None
    user.totp_last_step = None
    user.recovery_codes = []
    end_sessions(user, reason="2fa_reset", keep=by.current_login_session if by is user else None)
    audit.record("security", "2fa.reset", actor=by, object_type="user", object_id=user.id)


# --- password reset -----------------------------------------------------------------------


def _reset_serializer() -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(current_app.config["SECRET_KEY"], salt=RESET_SALT)


def _password_fingerprint(user: User) -> str:
    # Changes with the password, so a reset link works once.
    return hashlib.sha256((user.password_hash or "none").encode()).hexdigest()[:16]


def make_reset_token(user: User) -> str:
    return _reset_serializer().dumps({"u": user.id, "p": _password_fingerprint(user)})


def user_from_reset_token(token: str) -> User | None:
    """The account of a valid link: one hour to reset a password, longer for the welcome
    link of an account that has none yet (a new colleague may read it the next day)."""
    try:
        data, signed_at = _reset_serializer().loads(token, return_timestamp=True)
    except BadSignature:
        return None
    user = db.session.get(User, data.get("u"))
    if user is None or not user.active or data.get("p") != _password_fingerprint(user):
        return None
    key = "PASSWORD_RESET_MAX_AGE" if user.password_hash else "WELCOME_LINK_MAX_AGE"
    if (utcnow() - signed_at).total_seconds() > current_app.config[key]:
        return None
    return user


# --- staff accounts and sites -------------------------------------------------------------


def check_role_combination(roles: Iterable[Role]) -> None:
    roles = set(roles)
    if roles & set(CARE_ROLES) and roles & set(NO_CASEWORK_ROLES):
        raise RoleCombinationError(
            _(
                "Les rôles de l'équipe d'accompagnement ne peuvent pas être cumulés avec "
                "les rôles coordination ou administration : ils n'ont pas accès aux dossiers."
            )
        )
    if Role.MEMBER in roles and roles & set(STAFF_ROLES):
        raise RoleCombinationError(_("Un compte adhérent ne peut pas avoir de rôle d'équipe."))


def create_user(
    *,
    email: str,
    display_name: str,
    roles: Iterable[Role],
    sites: Iterable[Site] = (),
    password: str | None = None,
    by: User | None = None,
) -> User:
    roles = {Role(role) for role in roles}
    check_role_combination(roles)
    email = normalise_email(email)
    if find_user_by_email(email) is not None:
        raise SecurityError(_("Cette adresse e-mail est déjà utilisée par un autre compte."))
    user = User(email=email, display_name=display_name.strip(), active=True)
    user.set_roles(roles)
    user.sites = list(sites)
    db.session.add(user)
    if password is not None:
        check_password_policy(password, email)
        user.password_hash = passwords.hash_password(password)
        user.password_changed_at = utcnow()
    db.session.flush()
    audit.record(
        "security",
        "account.created",
        actor=by,
        object_type="user",
        object_id=user.id,
        detail={"roles": sorted(role.value for role in roles)},
    )
    return user


def update_staff_user(
    user: User,
    *,
    by: User,
    display_name: str,
    email: str,
    roles: Iterable[Role],
    sites: Iterable[Site],
) -> None:
    roles = {Role(role) for role in roles}
    check_role_combination(roles)
    email = normalise_email(email)
    if email != user.email:
        other = find_user_by_email(email)
        if other is not None and other.id != user.id:
            raise SecurityError(_("Cette adresse e-mail est déjà utilisée par un autre compte."))
    if user.id == by.id and (roles != user.roles or set(s.id for s in sites) != user.site_ids):
        raise SecurityError(
            _("Vous ne pouvez pas modifier vos propres rôles ni vos propres sites.")
        )
    old_roles = sorted(role.value for role in user.roles)
    old_sites = sorted(user.site_ids)
    user.display_name = display_name.strip()
    user.email = email
    user.set_roles(roles)
    user.sites = list(sites)
    new_roles = sorted(role.value for role in roles)
    new_sites = sorted(user.site_ids)
    if old_roles != new_roles:
        # A role removed must stop working now, not at the next login.
        end_sessions(user, reason="roles_changed")
        audit.record(
            "security",
            "account.roles_changed",
            actor=by,
            object_type="user",
            object_id=user.id,
            detail={"before": old_roles, "after": new_roles},
        )
    if old_sites != new_sites:
        audit.record(
            "security",
            "account.sites_changed",
            actor=by,
            object_type="user",
            object_id=user.id,
            detail={"before": old_sites, "after": new_sites},
        )
    audit.record("security", "account.updated", actor=by, object_type="user", object_id=user.id)


def set_account_active(user: User, active: bool, *, by: User) -> None:
    if user.id == by.id and not active:
        raise SecurityError(_("Vous ne pouvez pas désactiver votre propre compte."))
    user.active = active
    user.disabled_at = None if active else utcnow()
    if not active:
        end_sessions(user, reason="account_disabled")
    audit.record(
        "security",
        "account.enabled" if active else "account.disabled",
        actor=by,
        object_type="user",
        object_id=user.id,
    )


def create_site(
    *,
    name: str,
    town: str = "",
    address: str = "",
    postcode: str = "",
    phone: str = "",
    by: User | None = None,
) -> Site:
    site = Site(
        name=name.strip(),
        town=(town or "").strip(),
        address=(address or "").strip(),
        postcode=(postcode or "").strip(),
        phone=(phone or "").strip(),
    )
    db.session.add(site)
    db.session.flush()
    audit.record("security", "site.created", actor=by, object_type="site", object_id=site.id)
    return site


def update_site(
    site: Site,
    *,
    name: str,
    town: str,
    address: str,
    active: bool,
    by: User,
    postcode: str = "",
    phone: str = "",
) -> None:
    site.name = name.strip()
    site.town = (town or "").strip()
    site.address = (address or "").strip()
    site.postcode = (postcode or "").strip()
    site.phone = (phone or "").strip()
    site.active = active
    audit.record("security", "site.updated", actor=by, object_type="site", object_id=site.id)


def ensure_default_site() -> Site:
    """A fresh install has one site."""
    site = db.session.execute(select(Site).order_by(Site.id).limit(1)).scalar_one_or_none()
    if site is None:
        site = create_site(name="Site principal")
    return site
