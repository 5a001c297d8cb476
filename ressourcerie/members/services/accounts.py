"""Member accounts: online sign-up with email confirmation, and account claim by a
one-time code for people created at the desk."""

from __future__ import annotations

import hashlib
import secrets
from datetime import timedelta

from flask import current_app
from flask_babel import gettext as _
from itsdangerous import BadSignature, SignatureExpired, URLSafeTimedSerializer
from sqlalchemy import select

from ressourcerie.columns import local_today, utcnow
from ressourcerie.extensions import db
from ressourcerie.members.models import ContactChannel, Person
from ressourcerie.security import audit
from ressourcerie.security import services as security
from ressourcerie.security.models import Role, Site, User

CONFIRM_SALT = "member-email-confirm"
CONFIRM_MAX_AGE = 7 * 24 * 3600
CLAIM_CODE_DAYS = 30
# No 0/O, 1/I/L: a code read from paper must not be ambiguous.
CODE_ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"


class AccountError(Exception):
    """A refusal shown to the visitor in plain words."""


# --- sign-up -----------------------------------------------------------------------------


def _serializer() -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(current_app.config["SECRET_KEY"], salt=CONFIRM_SALT)


def default_site() -> Site | None:
    return db.session.execute(select(Site).order_by(Site.id).limit(1)).scalar_one_or_none()


def sign_up(
    *,
    first_name: str,
    last_name: str,
    email: str,
    password: str,
    newsletter: bool,
) -> tuple[User, Person]:
    """Create an inactive member login and its Person; confirmation activates it.

    Raises security.SecurityError (address taken, password refused).
    """
    person = Person(site_id=getattr(default_site(), "id", None))
    person.set_identity(first_name, last_name)
    user = security.create_user(
        email=email,
        display_name=person.full_name or email,
        roles=[Role.MEMBER],
        password=password,
    )
    # Usable once the address is confirmed; disabled_at stays empty (not a staff block).
    user.active = False
    today = local_today()
    person.email = user.email
    person.user_id = user.id
    person.consent_on = today
    person.consent_method = "online"
    person.charter_accepted_on = today
    person.newsletter_opt_in = bool(newsletter)
    person.preferred_contact = ContactChannel.EMAIL
    db.session.add(person)
    db.session.flush()
    return user, person


def confirmation_token(user: User) -> str:
    return _serializer().dumps({"u": user.id, "e": user.email})


def confirm_email(token: str) -> User | None:
    """Activate the account of a valid link; None when the link is wrong or too old."""
    try:
        data = _serializer().loads(token, max_age=CONFIRM_MAX_AGE)
    except (BadSignature, SignatureExpired):
        return None
    user = db.session.get(User, data.get("u"))
    if user is None or user.email != data.get("e") or user.disabled_at is not None:
        return None
    if not user.active:
        user.active = True
        audit.record(
            "members", "account.email_confirmed", actor=user, object_type="user", object_id=user.id
        )
    return user


# --- claim of an account by a person created at the desk ----------------------------------


def _hash_code(code: str) -> str:
    normalised = "".join(ch for ch in (code or "").upper() if ch.isalnum())
    return hashlib.sha256(normalised.encode()).hexdigest()


def new_claim_code(person: Person, *, by: User | None) -> str:
    """A fresh one-time code (only its hash is stored), valid 30 days."""
    if person.user_id is not None:
        raise AccountError(_("Cette personne a déjà un compte en ligne."))
    if person.anonymised_at is not None:
        raise AccountError(_("Cette fiche a été anonymisée."))
    raw = "".join(secrets.choice(CODE_ALPHABET) for _ in range(12))
    code = "-".join(raw[i : i + 4] for i in range(0, 12, 4))
    person.claim_code_hash = _hash_code(code)
    person.claim_code_expires_at = utcnow() + timedelta(days=CLAIM_CODE_DAYS)
    audit.record(
        "members", "account.claim_code_created", actor=by, object_type="person", object_id=person.id
    )
    return code


def claim_account(*, code: str, email: str, password: str) -> tuple[User, Person]:
    """Link a new member login to the person whose valid code this is."""
    person = db.session.execute(
        select(Person).where(Person.claim_code_hash == _hash_code(code))
    ).scalar_one_or_none()
    if (
        person is None
        or person.user_id is not None
        or person.anonymised_at is not None
        or person.claim_code_expires_at is None
        or person.claim_code_expires_at < utcnow()
    ):
        raise AccountError(
            _("Ce code n'est pas valable ou a expiré. Demandez-en un nouveau à l'accueil.")
        )
    user = security.create_user(
        email=email,
        display_name=person.full_name or email,
        roles=[Role.MEMBER],
        password=password,
    )
    person.user_id = user.id
    if not person.email:
        person.email = user.email
    person.claim_code_hash = None
    person.claim_code_expires_at = None
    audit.record(
        "members", "account.claimed", actor=user, object_type="person", object_id=person.id
    )
    db.session.flush()
    return user, person


def person_of(user: User) -> Person | None:
    return db.session.execute(select(Person).where(Person.user_id == user.id)).scalar_one_or_none()
