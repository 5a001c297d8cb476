"""Session lifetime: idle and absolute timeouts, disabling, password and role changes."""

from datetime import timedelta

import pytest
import time_machine

from ressourcerie.columns import utcnow
from ressourcerie.extensions import db
from ressourcerie.security import services
from ressourcerie.security.models import LoginSession, Role, User
from tests.conftest import PASSWORD


def signed_in(client) -> bool:
    response = client.get("/account")
    return response.status_code == 200


def test_staff_session_ends_after_30_minutes_idle(client, login_as):
    login_as("reception")
    start = utcnow()
    with time_machine.travel(start + timedelta(minutes=29), tick=False):
        assert signed_in(client)  # activity: idle clock restarts
    with time_machine.travel(start + timedelta(minutes=29 + 29), tick=False):
        assert signed_in(client)
    with time_machine.travel(start + timedelta(minutes=29 + 29 + 31), tick=False):
        response = client.get("/account")
        assert response.status_code == 302 and response.location.startswith("/login")


def test_staff_session_ends_after_12_hours_even_when_active(client, login_as):
    login_as("animator")
    start = utcnow()
    for minutes in range(20, 12 * 60, 20):
        with time_machine.travel(start + timedelta(minutes=minutes), tick=False):
            assert signed_in(client), minutes
    with time_machine.travel(start + timedelta(hours=12, minutes=5), tick=False):
        assert not signed_in(client)


def test_member_session_is_not_cut_after_30_minutes(client, login_as):
    login_as("member")
    with time_machine.travel(utcnow() + timedelta(minutes=45), tick=False):
        assert signed_in(client)


def test_disabling_an_account_ends_its_session_mid_way(app, client, login_as, make_user):
    victim = login_as("reception")
    assert signed_in(client)
    admin = make_user("admin")
    with app.test_request_context():
        services.set_account_active(
            db.session.get(User, victim.id), False, by=db.session.get(User, admin.id)
        )
        db.session.commit()
    response = client.get("/account")
    assert response.status_code == 302 and response.location.startswith("/login")


def test_disabled_account_is_locked_out_even_with_a_live_session_row(app, client, login_as):
    user = login_as("coordinator")
    with app.app_context():
        db.session.get(User, user.id).active = False  # changed behind the app's back
        db.session.commit()
    assert not signed_in(client)


def test_changing_password_ends_the_other_sessions(app, client, make_user):
    user = make_user("reception")
    other = app.test_client()
    for browser in (client, other):
        browser.post("/login", data={"email": user.email, "password": PASSWORD})
        assert signed_in(browser)
    response = client.post(
        "/account/password",
        data={
            "current_password": PASSWORD,
            "password": "a brand new passphrase",
            "confirm": "a brand new passphrase",
        },
    )
    assert response.status_code == 302
    assert signed_in(client)
    assert not signed_in(other)


def test_weak_or_common_password_is_refused_with_reasons(client, login_as):
    login_as("reception")
    for weak, reason in [
        ("short", "au moins 12 caractères"),
        ("password1234", "plus courants"),
        ("azertyuiop123", "plus courants"),
    ]:
        response = client.post(
            "/account/password",
            data={"current_password": PASSWORD, "password": weak, "confirm": weak},
        )
        assert response.status_code == 200
        assert reason in response.get_data(as_text=True), weak


def test_removing_a_role_takes_effect_at_once(app, client, login_as, make_user):
    user = login_as("coordinator")
    admin = make_user("admin")
    with app.test_request_context():
        target = db.session.get(User, user.id)
        services.update_staff_user(
            target,
            by=db.session.get(User, admin.id),
            display_name=target.display_name,
            email=target.email,
            roles=[Role.RECEPTION],
            sites=target.sites,
        )
        db.session.commit()
    assert not signed_in(client)


def test_logout_ends_the_session_on_the_server(app, client, make_user):
    user = make_user("reception")
    client.post("/login", data={"email": user.email, "password": PASSWORD})
    with client.session_transaction() as session:
        stolen_cookie_session = dict(session)
    client.post("/logout")
    replay = app.test_client()
    with replay.session_transaction() as session:
        session.update(stolen_cookie_session)
    assert not signed_in(replay)
    with app.app_context():
        row = db.session.get(LoginSession, stolen_cookie_session["_user_id"])
        assert row.end_reason == "logout"


@pytest.mark.parametrize("reason", ["idle_timeout"])
def test_expired_session_row_records_why(app, client, login_as, reason):
    user = login_as("reception")
    with time_machine.travel(utcnow() + timedelta(hours=1), tick=False):
        client.get("/account")
    with app.app_context():
        row = db.session.get(LoginSession, user.session_id)
        assert row.ended_at is not None and row.end_reason == reason


@pytest.mark.parametrize("minutes", [60, 12 * 60 + 5])  # idle, then absolute timeout
def test_expired_session_says_so_on_the_login_page(client, login_as, minutes):
    login_as("reception")
    start = utcnow()
    if minutes > 60:  # stay active (every 10 minutes) until just before the absolute limit
        for active in range(10, 12 * 60, 10):
            with time_machine.travel(start + timedelta(minutes=active), tick=False):
                assert client.get("/account").status_code == 200
    with time_machine.travel(start + timedelta(minutes=minutes), tick=False):
        response = client.get("/account")
        assert response.status_code == 302 and "/login" in response.location
        page = client.get(response.location).get_data(as_text=True)
    assert "Votre session a expiré, merci de vous reconnecter." in page
    assert "Connectez-vous pour accéder à cette page." not in page
