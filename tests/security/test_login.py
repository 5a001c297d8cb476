"""Login with password and two factors, throttling, and what the log records."""

import re

import pyotp
import pytest
import sqlalchemy as sa

from ressourcerie.extensions import db
from ressourcerie.security.models import AuditEvent, RecoveryCode, User
from tests.conftest import PASSWORD, totp_code


def login(client, email, password=PASSWORD, environ=None):
    return client.post(
        "/login", data={"email": email, "password": password}, environ_base=environ or {}
    )


def events(app, action=None):
    with app.app_context():
        query = sa.select(AuditEvent).order_by(AuditEvent.id)
        if action:
            query = query.where(AuditEvent.action == action)
        return db.session.execute(query).scalars().all()


def test_reception_logs_in_with_password_only(client, make_user):
    user = make_user("reception")
    response = login(client, user.email.upper())  # email is not case sensitive
    assert response.status_code == 302 and response.location == "/dashboard"
    page = client.get("/dashboard")
    assert page.status_code == 200
    assert "Tableau de bord" in page.get_data(as_text=True)


def test_wrong_password_and_unknown_account_get_the_same_neutral_answer(app, client, make_user):
    user = make_user("reception")
    wrong = login(client, user.email, "not the password at all")
    unknown = login(client, "nobody@example.org", "not the password at all")
    assert wrong.status_code == unknown.status_code == 200
    message = "Adresse e-mail ou mot de passe incorrect."
    assert message in wrong.get_data(as_text=True)
    assert message in unknown.get_data(as_text=True)
    failures = events(app, "login.failed")
    assert len(failures) == 2
    assert all(event.outcome == "failure" for event in failures)


def test_disabled_account_cannot_log_in(client, make_user):
    user = make_user("reception", active=False)
    response = login(client, user.email)
    assert "Adresse e-mail ou mot de passe incorrect." in response.get_data(as_text=True)
    assert client.get("/dashboard").status_code == 302


@pytest.mark.parametrize("role", ["social_worker", "psychologist", "admin"])
def test_two_factor_is_required_for_sensitive_roles(app, client, make_user, role):
    user = make_user(role)
    response = login(client, user.email)
    assert response.location == "/login/code"
    # Not signed in yet: the password alone opens nothing.
    assert client.get("/dashboard").status_code == 302
    response = client.post("/login/code", data={"code": "000000"})
    assert "Ce code n&#39;est pas valable" in response.get_data(as_text=True)
    response = client.post("/login/code", data={"code": totp_code(user.totp_secret)})
    assert response.location == "/dashboard"
    assert client.get("/dashboard").status_code == 200
    assert events(app, "2fa.failed") and events(app, "2fa.succeeded")


def test_a_totp_code_cannot_be_replayed(client, make_user, app):
    user = make_user("psychologist")
    code = totp_code(user.totp_secret)
    login(client, user.email)
    assert client.post("/login/code", data={"code": code}).location == "/dashboard"
    other = app.test_client()
    login(other, user.email)
    response = other.post("/login/code", data={"code": code})
    assert response.status_code == 200  # refused, stays on the code page


def test_sensitive_role_without_totp_must_enrol_before_anything(app, client, make_user):
    user = make_user("admin", two_factor=False)
    response = login(client, user.email)
    assert response.location == "/login/setup"
    page = client.get("/login/setup").get_data(as_text=True)
    secret = re.search(r'id="totp-secret">([A-Z2-7]+)<', page).group(1)
    assert "data:image/svg+xml;base64," in page  # the QR code
    assert client.get("/admin/").status_code == 302
    response = client.post("/login/setup", data={"code": pyotp.TOTP(secret).now()})
    assert response.location == "/account/recovery-codes"
    codes_page = client.get("/account/recovery-codes").get_data(as_text=True)
    codes = re.findall(r"[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}", codes_page)
    assert len(codes) == 10
    # Shown once only.
    assert client.get("/account/recovery-codes").status_code == 302
    assert client.get("/admin/").status_code == 200
    with app.app_context():
        stored = db.session.get(User, user.id)
        assert stored.two_factor_enabled
        raw = db.session.execute(
            sa.text("SELECT totp_secret FROM user_account WHERE id = :id"), {"id": user.id}
        ).scalar_one()
        assert secret not in raw  # encrypted at rest


def test_recovery_code_works_once(app, client, make_user):
    user = make_user("social_worker")
    with app.test_request_context():
        from ressourcerie.security import services

        codes = services.regenerate_recovery_codes(db.session.get(User, user.id))
        db.session.commit()
    login(client, user.email)
    assert client.post("/login/code", data={"code": codes[0].upper()}).location == "/dashboard"
    other = app.test_client()
    login(other, user.email)
    assert other.post("/login/code", data={"code": codes[0]}).status_code == 200
    with app.app_context():
        used = db.session.execute(
            sa.select(sa.func.count())
            .select_from(RecoveryCode)
            .where(RecoveryCode.used_at.isnot(None))
        ).scalar_one()
        assert used == 1


def test_login_is_throttled_with_a_neutral_message(app, make_app, make_user):
    app = make_app(LOGIN_RATE_LIMIT="100 per minute", LOGIN_ACCOUNT_RATE_LIMIT="3 per 15 minutes")
    client = app.test_client()
    for _ in range(3):
        assert login(client, "someone@example.org", "wrong password here").status_code == 200
    blocked = login(client, "someone@example.org", "wrong password here")
    assert blocked.status_code == 429
    text = blocked.get_data(as_text=True)
    assert "Trop de tentatives" in text
    assert "someone@example.org" not in text
    # Another account from the same address is not blocked by this account's limit.
    assert login(client, "other@example.org", "wrong password here").status_code == 200
    with app.app_context():
        assert db.session.execute(
            sa.select(AuditEvent).where(AuditEvent.action == "request.throttled")
        ).first()


def test_only_failed_logins_count_and_a_stranger_cannot_lock_the_owner_out(make_app, make_user):
    app = make_app(LOGIN_RATE_LIMIT="100 per minute", LOGIN_ACCOUNT_RATE_LIMIT="3 per 15 minutes")
    with app.app_context():
        user = make_user("reception")
    owner = app.test_client()
    for _ in range(6):  # signing in and out many times is not an attack
        assert login(owner, user.email).status_code == 302
        owner.post("/logout")
    attacker = app.test_client()
    for _ in range(4):
        login(attacker, user.email, "wrong password here", environ={"REMOTE_ADDR": "203.0.113.9"})
    blocked = login(
        attacker, user.email, "wrong password here", environ={"REMOTE_ADDR": "203.0.113.9"}
    )
    assert blocked.status_code == 429
    assert "/password/forgot" in blocked.get_data(as_text=True)
    # The owner, from the place's own address, still signs in.
    assert login(owner, user.email).status_code == 302


def test_open_redirect_after_login_is_refused(client, make_user):
    user = make_user("reception")
    client.get("/login?next=//evil.example.org/")
    assert login(client, user.email).location == "/dashboard"
    client.post("/logout")
    client.get("/login?next=/account")
    assert login(client, user.email).location == "/account"


def test_new_session_id_at_login(client, make_user):
    user = make_user("reception")
    with client.session_transaction() as session:
        session["planted"] = "by an attacker"
    login(client, user.email)
    with client.session_transaction() as session:
        assert "planted" not in session
        first = session["_user_id"]
    client.post("/logout")
    login(client, user.email)
    with client.session_transaction() as session:
        assert session["_user_id"] != first
