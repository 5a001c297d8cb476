"""CSRF, cookie flags, security headers, error pages."""

import re

import pytest

from ressourcerie.security.access import public
from tests.conftest import PASSWORD


@pytest.fixture
def csrf_app(app, make_app):
    return make_app(WTF_CSRF_ENABLED=True)


def test_post_without_csrf_token_is_refused(csrf_app, make_user):
    user = make_user("reception")
    client = csrf_app.test_client()
    response = client.post("/login", data={"email": user.email, "password": PASSWORD})
    assert response.status_code == 400
    assert "Le formulaire a expiré" in response.get_data(as_text=True)
    assert client.get("/dashboard").status_code == 302


def test_post_with_csrf_token_is_accepted(csrf_app, make_user):
    user = make_user("reception")
    client = csrf_app.test_client(use_cookies=True)
    page = client.get("/login").get_data(as_text=True)
    token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', page).group(1)
    response = client.post(
        "/login", data={"email": user.email, "password": PASSWORD, "csrf_token": token}
    )
    assert response.status_code == 302


def test_session_cookie_flags(app, make_app):
    client = make_app(WTF_CSRF_ENABLED=True, SESSION_COOKIE_SECURE=True).test_client()
    response = client.get("/login", base_url="https://localhost")
    cookie = response.headers["Set-Cookie"]
    assert "HttpOnly" in cookie
    assert "SameSite=Lax" in cookie
    assert "Secure" in cookie


def test_security_headers_on_every_page(client, login_as):
    response = client.get("/login")
    csp = response.headers["Content-Security-Policy"]
    assert "frame-ancestors 'none'" in csp
    assert "script-src 'self'" in csp and "unsafe-inline" not in csp
    assert response.headers["Referrer-Policy"] == "same-origin"
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert (
        "Cache-Control" not in response.headers
        or "no-store" not in response.headers["Cache-Control"]
    )
    login_as("reception")
    assert client.get("/dashboard").headers["Cache-Control"] == "no-store"


def test_no_inline_script_in_pages(client, login_as):
    login_as("admin")
    for url in ["/", "/dashboard", "/account", "/admin/"]:
        html = client.get(url, follow_redirects=True).get_data(as_text=True)
        assert not re.search(r"<script(?![^>]*\bsrc=)[^>]*>", html), url
        assert "cdn" not in html.lower(), url


def test_calm_error_pages(app, client):
    @app.get("/boom")
    @public
    def boom():
        raise RuntimeError("unexpected")

    not_found = client.get("/no-such-page")
    assert not_found.status_code == 404
    assert "Page introuvable" in not_found.get_data(as_text=True)
    app.config["PROPAGATE_EXCEPTIONS"] = False
    error = client.get("/boom")
    body = error.get_data(as_text=True)
    assert error.status_code == 500
    assert "Traceback" not in body and "RuntimeError" not in body
    assert error.headers["X-Request-Id"] in body


def test_unclassified_route_is_refused(app, client, login_as):
    @app.get("/forgotten")
    def forgotten():
        return "should never be served"

    login_as("admin")
    assert client.get("/forgotten").status_code == 403


def test_links_in_emails_ignore_a_forged_host_header(app, client, make_user):
    """A password-reset link is built on BASE_URL, never on the Host the request claims."""
    from sqlalchemy import select

    from ressourcerie.extensions import db
    from ressourcerie.notifications.models import OutboxMessage

    user = make_user("reception")
    client.post("/password/forgot", data={"email": user.email}, headers={"Host": "evil.example"})
    with app.app_context():
        body = db.session.scalars(select(OutboxMessage.body_text)).one()
    assert "evil.example" not in body
    assert app.config["BASE_URL"].rstrip("/") + "/password/reset/" in body


def test_the_admin_cannot_read_personal_links_in_stored_emails(app, client, make_user, login_as):
    """Reading a stored password-reset e-mail must not let an admin take the account over."""
    from sqlalchemy import select

    from ressourcerie.extensions import db
    from ressourcerie.notifications.models import OutboxMessage

    social = make_user("social_worker")
    client.post("/password/forgot", data={"email": social.email})
    with app.app_context():
        message = db.session.scalars(select(OutboxMessage)).one()
        message_id, body = message.id, message.body_text
    token = body.split("/password/reset/")[1].split()[0]
    login_as("admin")
    page = client.get(f"/admin/outbox/{message_id}").get_data(as_text=True)
    assert token not in page
    assert "/password/reset/[lien personnel masqué]" in page


def test_a_welcome_link_lasts_two_days_and_a_reset_link_one_hour(app, make_user):
    from datetime import timedelta

    import time_machine

    from ressourcerie.columns import utcnow
    from ressourcerie.extensions import db
    from ressourcerie.security import services
    from ressourcerie.security.models import User

    with_password = make_user("reception")
    new = make_user("reception", password=None)
    start = utcnow()
    with app.app_context():
        reset = services.make_reset_token(db.session.get(User, with_password.id))
        welcome = services.make_reset_token(db.session.get(User, new.id))
        with time_machine.travel(start + timedelta(hours=2), tick=False):
            assert services.user_from_reset_token(reset) is None
            assert services.user_from_reset_token(welcome).id == new.id
        with time_machine.travel(start + timedelta(hours=49), tick=False):
            assert services.user_from_reset_token(welcome) is None
