"""The network-scale generator, run small: invariants of every model and rough proportions."""

from collections import Counter, defaultdict

import pytest
from sqlalchemy import func, select

from ressourcerie.casework.models import Case, Entry
from ressourcerie.columns import local_today
from ressourcerie.directory.models import Partner
from ressourcerie.members.models import Payment, Person, ReceiptCounter, Visit
from ressourcerie.scale import ScaleRefused, generate
from ressourcerie.scale.casework import NOTES
from ressourcerie.security.models import Role, Site, User
from ressourcerie.workshops.models import SEATED, Booking, WorkshopSession

FACTOR = 0.002


@pytest.fixture
def network(db):
    report = generate(factor=FACTOR)
    db.session.expire_all()
    return report


def count(db, model) -> int:
    return db.session.scalar(select(func.count()).select_from(model))


def test_counts_follow_the_factor(db, network):
    assert count(db, Person) == 100
    assert count(db, Visit) == 400
    assert count(db, WorkshopSession) == 40
    assert 700 <= count(db, Booking) <= 800
    assert count(db, Case) == 10
    assert count(db, Entry) == 100
    assert count(db, Partner) == 4
    assert network.rows["booking"] == count(db, Booking)
    assert "ANALYZE" in "\n".join(network.lines())


def test_seats_taken_match_the_seated_bookings(db, network):
    seats = defaultdict(int)
    for booking in db.session.scalars(select(Booking)):
        if booking.status in SEATED:
            seats[booking.session_id] += booking.seats
    sessions = list(db.session.scalars(select(WorkshopSession)))
    assert any(session.seats_taken for session in sessions)
    for session in sessions:
        assert session.seats_taken == seats[session.id]
        assert session.seats_taken <= session.capacity


def test_people_identity_and_cases_match_the_models(db, network):
    people = list(db.session.scalars(select(Person)))
    for person in people:
        stored = (person.search_name, person.search_last_name)
        person.set_identity(person.first_name, person.last_name)
        assert stored == (person.search_name, person.search_last_name)
    db.session.rollback()
    for case in db.session.scalars(select(Case)):
        assert case.person.site_id == case.site_id
    notes = set(db.session.scalars(select(Entry.note)))
    assert notes <= set(NOTES)  # decrypts with the application's keys


def test_receipt_numbers_have_no_gaps(db, network):
    numbers = defaultdict(list)
    for payment in db.session.scalars(select(Payment)):
        numbers[(payment.site_id, payment.receipt_year)].append(payment.receipt_number)
    assert numbers
    counters = {
        (c.site_id, c.year): c.last_number for c in db.session.scalars(select(ReceiptCounter))
    }
    for key, values in numbers.items():
        assert sorted(values) == list(range(1, len(values) + 1))
        assert counters[key] == len(values)


def test_proportions_are_roughly_those_of_the_reference_site(db, network):
    people = list(db.session.scalars(select(Person)))
    women = sum(person.gender == "woman" for person in people) / len(people)
    assert 0.7 <= women <= 0.97
    average_age = sum(local_today().year - person.birth_year for person in people) / len(people)
    assert 47 <= average_age <= 61
    visits = Counter(
        db.session.scalars(select(Visit.person_id).where(Visit.person_id.is_not(None)))
    )
    assert 0.35 <= sum(n > 1 for n in visits.values()) / len(visits) <= 0.65
    first_visits = {}
    for visit in db.session.scalars(select(Visit).order_by(Visit.visited_at)):
        if visit.person_id is not None:
            first_visits.setdefault(visit.person_id, visit)
    caregivers = sum(v.as_caregiver for v in first_visits.values()) / len(first_visits)
    assert 0.15 <= caregivers <= 0.45


def test_staff_accounts_can_sign_in_and_new_rows_get_fresh_ids(db, network, app):
    domain = app.config["DEMO_EMAIL_DOMAIN"]
    reception = db.session.scalar(select(User).where(User.email == f"accueil@{domain}"))
    assert reception.roles == {Role.RECEPTION} and reception.sites
    social = db.session.scalar(select(User).where(User.email == f"social@{domain}"))
    assert social.two_factor_enabled
    person = Person(site_id=reception.sites[0].id)
    person.set_identity("Nouvelle", "Personne")
    db.session.add(person)
    db.session.flush()  # the id sequence was moved past the generated ids
    assert person.id > 100


def test_refuses_a_database_that_already_has_people(db, network, runner):
    with pytest.raises(ScaleRefused):
        generate(factor=FACTOR)
    result = runner.invoke(args=["demo", "--scale", "network", "--factor", str(FACTOR)])
    assert result.exit_code != 0
    assert "nothing was written" in result.output
    assert count(db, Person) == 100


def test_force_adds_a_second_network_beside_the_first(db, network):
    report = generate(factor=FACTOR, force=True)
    db.session.expire_all()
    assert report.rows["person"] == 100
    assert count(db, Person) == 200
    names = list(db.session.scalars(select(Site.name)))
    assert len(names) == len(set(names))  # new sites got their own names
    test_receipt_numbers_have_no_gaps(db, network)
    test_seats_taken_match_the_seated_bookings(db, network)
