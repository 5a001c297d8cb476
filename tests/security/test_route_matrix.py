"""Route × role matrix: every route is classified, and each principal gets what it should.

Adding a route without a line here fails `test_every_route_is_classified`.
"""

from dataclasses import dataclass, field

import pytest

from ressourcerie.security.models import Role

ANON = "anonymous"
PRINCIPALS = [ANON, *[role.value for role in Role]]
STAFF = {r.value for r in Role} - {"member"}
EVERYONE_SIGNED_IN = {r.value for r in Role}


@dataclass
class Route:
    method: str
    url: str
    allowed: set | str  # "public", or the roles that may use it
    ok: int = 200  # status for a principal who may use it
    ok_for: dict = field(default_factory=dict)  # per-principal exceptions


MATRIX = {
    "static": Route("GET", "/static/css/app.css", "public"),
    "bootstrap.static": Route("GET", "/bootstrap/static/css/bootstrap.min.css", "public"),
    "home.index": Route("GET", "/", "public", ok_for={p: 302 for p in EVERYONE_SIGNED_IN}),
    "home.health": Route("GET", "/healthz", "public"),
    "home.dashboard": Route("GET", "/dashboard", EVERYONE_SIGNED_IN, ok_for={"member": 302}),
    "auth.login": Route("GET", "/login", "public", ok_for={p: 302 for p in EVERYONE_SIGNED_IN}),
    # Without a pending password step these send back to the login page.
    "auth.two_factor": Route("GET", "/login/code", "public", ok=302),
    "auth.two_factor_setup": Route("GET", "/login/setup", "public", ok=302),
    "auth.logout": Route("POST", "/logout", "public", ok=302),
    "auth.password_forgot": Route("GET", "/password/forgot", "public"),
    "auth.password_reset": Route("GET", "/password/reset/not-a-token", "public", ok=302),
    "auth.set_language": Route("POST", "/language", "public", ok=302),
    "auth.account": Route("GET", "/account", EVERYONE_SIGNED_IN),
    "auth.change_password": Route("GET", "/account/password", EVERYONE_SIGNED_IN),
    "auth.account_two_factor_setup": Route(
        "GET",
        "/account/two-factor",
        EVERYONE_SIGNED_IN,
        # Already enrolled (mandatory roles) are sent back to their account page.
        ok_for={"social_worker": 302, "psychologist": 302, "admin": 302},
    ),
    "auth.recovery_codes": Route("GET", "/account/recovery-codes", EVERYONE_SIGNED_IN, ok=302),
    "auth.regenerate_recovery_codes": Route(
        "POST",
        "/account/recovery-codes/new",
        EVERYONE_SIGNED_IN,
        ok=400,
        ok_for={"social_worker": 302, "psychologist": 302, "admin": 302},
    ),
    "auth.disable_two_factor": Route(
        "POST", "/account/two-factor/disable", EVERYONE_SIGNED_IN, ok=302
    ),
    "admin.users": Route("GET", "/admin/", {"admin"}),
    "admin.create_user": Route("GET", "/admin/users/new", {"admin"}),
    "admin.edit_user": Route("GET", "/admin/users/{staff_id}", {"admin"}),
    "admin.toggle_active": Route("POST", "/admin/users/{staff_id}/active", {"admin"}, ok=302),
    "admin.reset_two_factor": Route(
        "POST", "/admin/users/{staff_id}/two-factor/reset", {"admin"}, ok=302
    ),
    "admin.send_password_link": Route(
        "POST", "/admin/users/{staff_id}/password-link", {"admin"}, ok=302
    ),
    "admin.sites": Route("GET", "/admin/sites", {"admin"}),
    "admin.create_site": Route("GET", "/admin/sites/new", {"admin"}),
    "admin.edit_site": Route("GET", "/admin/sites/{site_id}", {"admin"}),
    "admin.security_log": Route("GET", "/admin/security-log", {"admin"}),
    "outbox.index": Route("GET", "/admin/outbox/", {"admin"}),
    "outbox.show": Route("GET", "/admin/outbox/{message_id}", {"admin"}),
    "members.my_space": Route("GET", "/members/me", {"member"}),
    "casework.index": Route("GET", "/casework/", {"social_worker", "psychologist"}),
}


def test_every_route_is_classified(app):
    endpoints = {rule.endpoint for rule in app.url_map.iter_rules()}
    unclassified = endpoints - MATRIX.keys()
    assert not unclassified, f"routes missing from the route × role matrix: {sorted(unclassified)}"
    stale = MATRIX.keys() - endpoints
    assert not stale, f"matrix lines for routes that no longer exist: {sorted(stale)}"


def test_every_view_declares_its_access(app):
    from ressourcerie.security.access import ACCESS_ATTRIBUTE

    for endpoint, view in app.view_functions.items():
        if endpoint == "static" or endpoint.endswith(".static"):
            continue
        assert getattr(view, ACCESS_ATTRIBUTE, None), f"{endpoint} declares no access rule"


def expected_status(route: Route, principal: str) -> int | str:
    if principal in route.ok_for:
        return route.ok_for[principal]
    if route.allowed == "public":
        return route.ok
    if principal == ANON:
        return "login"
    return route.ok if principal in route.allowed else 403


@pytest.fixture
def fixtures_for_urls(app, make_user):
    from ressourcerie.extensions import db
    from ressourcerie.notifications.services import queue_email
    from ressourcerie.security.models import Site, User

    staff = make_user("reception")
    with app.test_request_context():
        site = db.session.query(Site).first()
        message = queue_email(
            kind="test",
            to="someone@example.org",
            subject="Test",
            template="password_reset",
            user=db.session.get(User, staff.id),
            link="http://x",
        )
        db.session.commit()
        return {"staff_id": staff.id, "site_id": site.id, "message_id": message.id}


def _sign_in(app, client, user_id):
    import uuid

    from ressourcerie.extensions import db
    from ressourcerie.security.models import LoginSession

    with app.app_context():
        login_session = LoginSession(id=uuid.uuid4().hex, user_id=user_id)
        db.session.add(login_session)
        db.session.commit()
        session_id = login_session.id
    with client.session_transaction() as session:
        session["_user_id"] = session_id


@pytest.mark.parametrize("principal", PRINCIPALS)
def test_route_matrix(app, make_user, fixtures_for_urls, principal):
    failures = []
    user = make_user(principal) if principal != ANON else None
    for endpoint, route in sorted(MATRIX.items()):
        client = app.test_client()
        if user is not None:
            _sign_in(app, client, user.id)
        url = route.url.format(**fixtures_for_urls)
        response = client.open(url, method=route.method)
        response.close()
        expected = expected_status(route, principal)
        if expected == "login":
            ok = response.status_code == 302 and response.location.startswith("/login")
        else:
            ok = response.status_code == expected
            if expected == 302:
                ok = ok and not response.location.startswith("/login?next")
        if not ok:
            failures.append(
                f"{endpoint} {route.method} {url}: got {response.status_code} "
                f"({response.location}), expected {expected}"
            )
    assert not failures, f"as {principal}:\n" + "\n".join(failures)
