"""Route × role matrix: every route is classified, and each principal gets what it should.

Routes are declared per feature in `tests/security/matrix_*.py`; adding a route
without a line there fails `test_every_route_is_classified`.
"""

import importlib
import pkgutil

import pytest

import tests.security
from tests.security.matrix import ANON, PRINCIPALS, Route

MODULES = [
    importlib.import_module(f"tests.security.{info.name}")
    for info in pkgutil.iter_modules(tests.security.__path__)
    if info.name.startswith("matrix_")
]
MATRIX: dict[str, Route] = {}
for module in MODULES:
    duplicated = MATRIX.keys() & module.ROUTES.keys()
    assert not duplicated, f"{module.__name__} classifies again {sorted(duplicated)}"
    MATRIX.update(module.ROUTES)


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
    values = {}
    for module in MODULES:
        if hasattr(module, "url_values"):
            values.update(module.url_values(app, make_user))
    return values


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
