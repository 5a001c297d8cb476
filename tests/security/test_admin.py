"""Administration of staff accounts, roles and sites."""

import sqlalchemy as sa

from ressourcerie.extensions import db
from ressourcerie.notifications.models import OutboxMessage
from ressourcerie.security.models import AuditEvent, Site, User


def test_admin_creates_a_staff_account_which_gets_a_password_link(app, client, login_as):
    login_as("admin")
    with app.app_context():
        site_id = db.session.execute(sa.select(Site.id)).scalar()
    response = client.post(
        "/admin/users/new",
        data={
            "display_name": "Nouvelle Personne",
            "email": "Nouvelle@Example.org",
            "roles": ["reception", "animator"],
            "sites": [str(site_id)],
        },
    )
    assert response.status_code == 302
    with app.app_context():
        user = db.session.execute(
            sa.select(User).where(User.email == "nouvelle@example.org")
        ).scalar_one()
        assert {r.value for r in user.roles} == {"reception", "animator"}
        assert user.site_ids == {site_id}
        mail = db.session.execute(sa.select(OutboxMessage)).scalar_one()
        assert mail.to_address == "nouvelle@example.org"
        assert "/password/reset/" in mail.body_text
    listing = client.get("/admin/").get_data(as_text=True)
    assert "Nouvelle Personne" in listing


def test_form_keeps_what_was_typed_after_an_error(client, login_as):
    login_as("admin")
    response = client.post(
        "/admin/users/new",
        data={"display_name": "Quelqu'un de précis", "email": "precis@example.org", "roles": []},
    )
    page = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "Choisissez au moins un rôle." in page
    assert "precis@example.org" in page and "Quelqu&#39;un de précis" in page


def test_care_roles_cannot_be_combined_with_coordinator_or_admin(app, client, login_as):
    login_as("admin")
    with app.app_context():
        site_id = db.session.execute(sa.select(Site.id)).scalar()
    response = client.post(
        "/admin/users/new",
        data={
            "display_name": "Cumul",
            "email": "cumul@example.org",
            "roles": ["coordinator", "social_worker"],
            "sites": [str(site_id)],
        },
    )
    assert response.status_code == 200
    assert "ne peuvent pas être cumulés" in response.get_data(as_text=True)
    with app.app_context():
        assert (
            db.session.execute(sa.select(User).where(User.email == "cumul@example.org")).first()
            is None
        )


def test_admin_cannot_change_own_roles_nor_disable_self(app, client, login_as):
    admin = login_as("admin")
    with app.app_context():
        site_id = db.session.execute(sa.select(Site.id)).scalar()
    response = client.post(
        f"/admin/users/{admin.id}",
        data={
            "display_name": "Moi",
            "email": admin.email,
            "roles": ["admin", "reception"],
            "sites": [str(site_id)],
        },
    )
    assert "Vous ne pouvez pas modifier vos propres rôles" in response.get_data(as_text=True)
    client.post(f"/admin/users/{admin.id}/active", data={"confirm": "y"})
    with app.app_context():
        user = db.session.get(User, admin.id)
        assert user.active and {r.value for r in user.roles} == {"admin"}


def test_role_change_and_disable_are_logged(app, client, login_as, make_user):
    login_as("admin")
    target = make_user("reception")
    with app.app_context():
        site_id = db.session.execute(sa.select(Site.id)).scalar()
    client.post(
        f"/admin/users/{target.id}",
        data={
            "display_name": "X",
            "email": target.email,
            "roles": ["animator"],
            "sites": [str(site_id)],
        },
    )
    unconfirmed = client.post(f"/admin/users/{target.id}/active", follow_redirects=True)
    assert "Cochez la case de confirmation" in unconfirmed.get_data(as_text=True)
    with app.app_context():
        assert db.session.get(User, target.id).active
    client.post(f"/admin/users/{target.id}/active", data={"confirm": "y"})
    with app.app_context():
        actions = set(
            db.session.execute(
                sa.select(AuditEvent.action).where(AuditEvent.object_id == str(target.id))
            ).scalars()
        )
    assert {"account.roles_changed", "account.disabled"} <= actions
    log = client.get("/admin/security-log").get_data(as_text=True)
    assert "account.roles_changed" in log


def test_admin_manages_sites(app, client, login_as):
    login_as("admin")
    bad = client.post("/admin/sites/new", data={"name": "Antenne de Pessac", "postcode": "3360"})
    assert "Le code postal compte 5 chiffres" in bad.get_data(as_text=True)
    response = client.post(
        "/admin/sites/new",
        data={
            "name": "Antenne de Pessac",
            "town": "Pessac",
            "postcode": "33600",
            "phone": "05 57 00 00 00",
            "active": "y",
        },
    )
    assert response.status_code == 302
    with app.app_context():
        site = db.session.scalars(sa.select(Site).where(Site.name == "Antenne de Pessac")).one()
        assert (site.postcode, site.phone) == ("33600", "05 57 00 00 00")
    duplicate = client.post("/admin/sites/new", data={"name": "Antenne de Pessac"})
    assert "Un site porte déjà ce nom." in duplicate.get_data(as_text=True)
    assert "Antenne de Pessac" in client.get("/admin/sites").get_data(as_text=True)


def test_security_log_shows_no_casework_events(app, client, login_as, make_user):
    worker = make_user("social_worker")
    from tests.security.test_route_matrix import _sign_in

    care_client = app.test_client()
    _sign_in(app, care_client, worker.id)
    assert care_client.get("/casework/").status_code == 200
    login_as("admin")
    log = client.get("/admin/security-log").get_data(as_text=True)
    assert "casework.index.read" not in log
    # A refused attempt on casework is shown (who and when, never content).
    with app.app_context():
        from ressourcerie.security import audit

        audit.record("casework", "access.denied", outcome="denied", object_type="case", object_id=7)
        db.session.commit()
    log = client.get("/admin/security-log").get_data(as_text=True)
    assert "Accès refusé" in log and "dossier" in log


def test_coordinator_and_admin_are_refused_casework_and_it_is_logged(app, login_as):
    for role in ("coordinator", "admin"):
        client = app.test_client()
        login_as(role, client=client)
        assert client.get("/casework/").status_code == 403
    with app.app_context():
        denied = (
            db.session.execute(
                sa.select(AuditEvent).where(
                    AuditEvent.action == "access.denied", AuditEvent.category == "casework"
                )
            )
            .scalars()
            .all()
        )
    assert len(denied) == 2
