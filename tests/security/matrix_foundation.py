"""Route × role matrix: foundation routes (home, accounts, admin, outbox)."""

from tests.security.matrix import EVERYONE_SIGNED_IN, Route

ROUTES = {
    "static": Route("GET", "/static/css/app.css", "public"),
    "bootstrap.static": Route("GET", "/bootstrap/static/css/bootstrap.min.css", "public"),
    "home.index": Route("GET", "/", "public", ok_for={p: 302 for p in EVERYONE_SIGNED_IN}),
    "home.health": Route("GET", "/healthz", "public"),
    "home.charter": Route("GET", "/charte", "public"),
    "home.privacy": Route("GET", "/donnees-personnelles", "public"),
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
}


def url_values(app, make_user):
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
