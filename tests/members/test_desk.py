"""The reception desk: type-ahead, walk-ins of known people and anonymous visits."""

from sqlalchemy import select

from ressourcerie.extensions import db as _db
from ressourcerie.members.models import Person, Visit


def test_desk_search_json_by_name_and_phone(app, client, login_as, make_person):
    login_as("reception")
    person_id = make_person(first_name="Mireille", last_name="Darc", phone="0611223344")
    make_person(first_name="Other", last_name="Person")
    by_name = client.get("/members/desk/search?q=mirei").get_json()
    assert [row["id"] for row in by_name] == [person_id]
    assert "Mireille Darc" in by_name[0]["label"]
    assert [row["id"] for row in client.get("/members/desk/search?q=0611").get_json()] == [
        person_id
    ]
    assert client.get("/members/desk/search?q=m").get_json() == []  # too short


def test_walk_in_of_known_person_and_first_visit_derived(app, client, login_as, make_person):
    login_as("reception")
    person_id = make_person(first_name="Mireille", last_name="Darc")
    page = client.get("/members/desk?q=darc")  # the no-JS search lists matches
    assert f'value="{person_id}"' in page.text
    done = client.post(
        "/members/desk",
        data={
            "person_id": str(person_id),
            "purpose": "information",
            "as_caregiver": "y",
            "site_id": _site_id(app),
        },
        follow_redirects=True,
    )
    assert "Venue enregistrée : Mireille Darc" in done.text
    # Searching her again says she was already noted today.
    again = client.get("/members/desk/search?q=darc").get_json()
    assert "venue déjà notée aujourd'hui à" in again[0]["label"]
    assert "venue déjà notée aujourd" in client.get("/members/desk?q=darc").text
    assert "Aujourd&#39;hui : 1 venue" in done.text or "Aujourd'hui : 1 venue" in done.text
    with app.app_context():
        visit = _db.session.scalars(select(Visit)).one()
        assert visit.person_id == person_id and visit.as_caregiver
        assert visit.recorded_by_id is not None
        # arriving as a caregiver turns an unknown status into self-declared
        assert _db.session.get(Person, person_id).caregiver_status == "self_declared"
    # A second Entrée for her today is stopped and asks; ticking the box records it.
    twice = client.post(
        "/members/desk",
        data={"person_id": str(person_id), "purpose": "activity", "site_id": _site_id(app)},
    )
    assert "déjà noté·e aujourd" in twice.text and 'name="again"' in twice.text
    assert "1 passage" in client.get(f"/members/people/{person_id}").text
    client.post(
        "/members/desk",
        data={
            "person_id": str(person_id),
            "purpose": "activity",
            "site_id": _site_id(app),
            "again": "y",
        },
    )
    page = client.get(f"/members/people/{person_id}")
    assert "2 passages" in page.text


def test_anonymous_visit_and_missing_person(app, client, login_as):
    login_as("coordinator")
    missing = client.post("/members/desk", data={"purpose": "activity", "site_id": _site_id(app)})
    assert "Choisissez une personne" in missing.text
    ok = client.post(
        "/members/desk",
        data={"anonymous": "y", "purpose": "social_time", "site_id": _site_id(app)},
    )
    assert ok.status_code == 302
    with app.app_context():
        visit = _db.session.scalars(select(Visit)).one()
        assert visit.person_id is None and visit.purpose == "social_time"


def test_desk_refuses_a_site_not_mine(app, client, login_as):
    login_as("reception")
    response = client.post(
        "/members/desk", data={"anonymous": "y", "purpose": "activity", "site_id": "999"}
    )
    assert response.status_code in (200, 403)
    with app.app_context():
        assert _db.session.scalars(select(Visit)).all() == []


def _site_id(app):
    from ressourcerie.security.models import Site

    with app.app_context():
        return str(_db.session.execute(select(Site.id).order_by(Site.id)).scalars().first())


def test_staff_of_two_sites_get_the_site_they_chose_last(app, client, login_as, make_person):
    from ressourcerie.security import services as security
    from ressourcerie.security.models import Site

    with app.app_context():
        first = _db.session.execute(select(Site).order_by(Site.id)).scalars().first()
        second = security.create_site(name="Antenne du Nord")
        _db.session.commit()
        first_id, second_id = first.id, second.id
    login_as("reception", sites=[first_id, second_id])
    page = client.get("/members/desk").text
    assert f'<option selected value="{first_id}">' in page
    done = client.post(
        "/members/desk",
        data={"anonymous": "y", "purpose": "information", "site_id": str(second_id)},
        follow_redirects=True,
    )
    assert "Venue enregistrée à Antenne du Nord" in done.text
    assert f'<option selected value="{second_id}">' in done.text
    # The other forms that record at a site offer the same one.
    person_id = make_person(first_name="Mireille", last_name="Darc", site_id=first_id)
    payment_page = client.get(f"/members/people/{person_id}/payments/new").text
    assert f'<option selected value="{second_id}">' in payment_page
    # Opening a page that shows one site by default does not change the choice.
    client.get(f"/members/payments?site_id={first_id}")
    client.get("/members/newsletter")
    assert f'<option selected value="{second_id}">' in client.get("/members/desk").text


def test_desk_cannot_pick_someone_of_another_site_by_id(app, client, login_as, make_person):
    from ressourcerie.security import services as security

    with app.app_context():
        elsewhere = security.create_site(name="Ailleurs")
        _db.session.commit()
        elsewhere_id = elsewhere.id
    login_as("reception")
    person_id = make_person(first_name="Secret", last_name="Ailleurs", site_id=elsewhere_id)
    page = client.get(f"/members/desk?person_id={person_id}").text
    assert "Secret" not in page
    client.post(
        "/members/desk",
        data={"person_id": str(person_id), "purpose": "information"},
    )
    with app.app_context():
        assert not _db.session.scalars(select(Visit).where(Visit.person_id == person_id)).all()
