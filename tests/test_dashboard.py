"""The staff dashboard: today's sessions, visits and (care team only) referrals to handle."""

from datetime import datetime, time, timedelta

from sqlalchemy import select

from ressourcerie.columns import LOCAL_TZ, local_today
from ressourcerie.extensions import db as _db
from ressourcerie.members.models import Person, Referral, Visit
from ressourcerie.security.models import Site
from ressourcerie.workshops.models import Activity, WorkshopSession


def _seed_today(app) -> None:
    with app.app_context():
        site = _db.session.scalars(select(Site).order_by(Site.id)).first()
        activity = Activity(site_id=site.id, title="Atelier du jour", category="social", paid=False)
        person = Person(site_id=site.id)
        person.set_identity("Rose", "Martin")
        _db.session.add_all([activity, person])
        _db.session.flush()
        start = datetime.combine(local_today(), time(23, 0), tzinfo=LOCAL_TZ)
        tomorrow = start + timedelta(hours=2)
        for starts_at, title in ((start, "today"), (tomorrow, "tomorrow")):
            _db.session.add(
                WorkshopSession(
                    activity_id=activity.id,
                    site_id=site.id,
                    starts_at=starts_at,
                    ends_at=starts_at + timedelta(minutes=30),
                    capacity=8,
                    seats_taken=3 if title == "today" else 0,
                )
            )
        _db.session.add(Visit(site_id=site.id, person_id=person.id, purpose="information"))
        _db.session.add(
            Referral(site_id=site.id, person_id=person.id, category="isolation", comment="x")
        )
        _db.session.commit()


def test_reception_sees_today_sessions_and_visits_not_referrals(app, client, login_as):
    login_as("reception")
    _seed_today(app)
    page = client.get("/dashboard")
    assert page.status_code == 200
    assert "Atelier du jour" in page.text and "3 / 8" in page.text
    assert "<strong>1</strong> venue notée" in page.text
    assert "signalement" not in page.text.split("Aujourd")[1].split("</section>")[0]
    assert "0 / 8" not in page.text  # the session after midnight is tomorrow's


def test_care_team_sees_how_many_referrals_wait(app, client, login_as):
    login_as("social_worker")
    _seed_today(app)
    page = client.get("/dashboard")
    assert "<strong>1</strong> signalement à traiter" in page.text
    assert "Rose" not in page.text
