"""Query budgets of the key pages: at most BUDGET SQL queries, the same with 10× the rows.

Each page is requested on a dataset built with `size` rows of everything it shows (the
busy week's sessions, a person's visits, bookings, payments and memberships, a session's
bookings, a case's entries, orientations and mandates, partners matching a search), then
on one ten times larger; the two counts must be equal and within the budget (12, or the
documented budget of a page that must write or aggregate more).
"""

from contextlib import contextmanager
from datetime import date, datetime, time, timedelta
from types import SimpleNamespace

import pytest
from sqlalchemy import event, select

from ressourcerie.casework.models import (
    Case,
    Entry,
    Mandate,
    Orientation,
    Procedure,
    Situation,
)
from ressourcerie.columns import LOCAL_TZ, local_today
from ressourcerie.directory.models import Partner, PartnerArea, PartnerNeed
from ressourcerie.extensions import db
from ressourcerie.members.models import Membership, Payment, Person, Referral, Visit
from ressourcerie.security.models import Site
from ressourcerie.workshops.models import Activity, Booking, WorkshopSession
from ressourcerie.workshops.services import hours
from tests.conftest import TEST_DATABASE_URL

BUDGET = 12
SMALL, LARGE = 3, 30
# Writing to the hash-chained access log: the last hash, the insert, and on PostgreSQL
# the advisory lock that serialises the chain first.
ACCESS_LOG = 3 if (TEST_DATABASE_URL or "").startswith("postgresql") else 2
BUDGETS = {
    # Not a page but an action: 6 reads (login session with user, roles and sites; the
    # session; the person; an existing booking; a current membership; the prices), the 6
    # writes of a desk booking paid on the spot (seats, booking, confirmation e-mail,
    # receipt counter upsert, payment, booking's receipt) and the access log.
    "booking POST": 6 + 6 + ACCESS_LOG,
}


@contextmanager
def counting(app):
    statements: list[str] = []

    def before(_conn, _cursor, statement, *_args):
        statements.append(statement)

    with app.app_context():
        engine = db.engine
    event.listen(engine, "before_cursor_execute", before)
    try:
        yield statements
    finally:
        event.remove(engine, "before_cursor_execute", before)


def next_tuesday(weeks: int) -> date:
    today = local_today()
    return today + timedelta(days=(1 - today.weekday()) % 7 + 7 * weeks)


def at(day: date, clock: time) -> datetime:
    return datetime.combine(day, clock, tzinfo=LOCAL_TZ)


def build(size: int, users: SimpleNamespace, tag: str) -> SimpleNamespace:
    """Rows for every key page, `size` of each thing a page lists. Returns the ids."""
    site = db.session.scalars(select(Site).order_by(Site.id)).first()
    hours.set_reference_hours(site.id)
    counter = iter(range(1_000_000))

    def person(last: str) -> Person:
        row = Person(site_id=site.id, birth_year=1970, email=f"{tag}{next(counter)}@example.org")
        row.set_identity("Budget", last)
        row.set_phone(f"06 00 00 {next(counter) % 100:02d} 00")
        db.session.add(row)
        return row

    def session_on(day: date, activity: Activity, capacity: int = 100) -> WorkshopSession:
        row = WorkshopSession(
            activity=activity,
            site_id=site.id,
            starts_at=at(day, time(14)),
            ends_at=at(day, time(15, 30)),
            capacity=capacity,
            seats_taken=0,
            mode=activity.mode,
        )
        db.session.add(row)
        return row

    activities = [
        Activity(
            site_id=site.id,
            title=f"Atelier {tag} {n}",
            paid=n % 2 == 0,
            facilitator_id=users.animator if n % 3 == 0 else None,
            facilitator_name="" if n % 3 == 0 else "Intervenante",
        )
        for n in range(size)
    ]
    db.session.add_all(activities)
    people = [person(f"{tag}{n:03d}") for n in range(size)]
    focus = person(f"{tag}focus")
    db.session.flush()

    # People search and the person page.
    for n, someone in enumerate(people):
        db.session.add(
            Visit(site_id=site.id, person_id=someone.id, visited_at=at(local_today(), time(10)))
        )
        day = local_today() - timedelta(days=30 + n)
        db.session.add(
            Membership(
                person_id=someone.id,
                site_id=site.id,
                starts_on=day,
                ends_on=day + timedelta(days=364),
                fee_cents=2900,
            )
        )
    week = next_tuesday(weeks=2)
    past_day = local_today() - timedelta(days=14)
    for n in range(size):
        day = local_today() - timedelta(days=400 * (n + 1))
        payment = Payment(
            site_id=site.id,
            person_id=focus.id,
            kind="membership",
            label="Adhésion",
            amount_cents=2900,
            method="cash",
            received_by_id=users.reception,
            received_at=at(day, time(11)),
            receipt_year=day.year,
            receipt_number=1000 * size + n,
        )
        db.session.add(payment)
        db.session.add(
            Membership(
                person_id=focus.id,
                site_id=site.id,
                starts_on=day,
                ends_on=day + timedelta(days=364),
                fee_cents=2900,
                payment=payment,
            )
        )
        db.session.add(
            Visit(
                site_id=site.id, person_id=focus.id, visited_at=at(day, time(15)), purpose="other"
            )
        )
        past = session_on(past_day - timedelta(days=7 * n), activities[n])
        db.session.add(
            Booking(
                session=past,
                person_id=focus.id,
                status="attended",
                tier="full",
                amount_cents=1200,
                booked_by_id=users.reception,
            )
        )
        past.seats_taken = 1
        db.session.add(
            Referral(
                site_id=site.id,
                person_id=focus.id,
                category="isolation",
                comment="Seule depuis peu.",
                created_by_id=users.reception,
            )
        )
    # The planning week: `size` sessions on the Tuesday.
    for activity in activities:
        session_on(week, activity)
    # Check-in and booking: a session with 2 × size bookings, companions and payments.
    checkin = session_on(week + timedelta(days=1), activities[0], capacity=4 * size + 10)
    for n, someone in enumerate(people + [person(f"{tag}x{n:03d}") for n in range(size)]):
        companion = n % 4 == 0
        payment = None
        if n % 3 == 0:
            payment = Payment(
                site_id=site.id,
                person=someone,
                kind="session",
                label="Atelier",
                amount_cents=1200,
                method="card",
                received_by_id=users.reception,
                receipt_year=2000,
                receipt_number=100_000 * size + n,
            )
        db.session.add(
            Booking(
                session=checkin,
                person=someone,
                status="confirmed",
                tier="full",
                amount_cents=1200,
                with_companion=companion,
                companion_name="Jean" if companion else "",
                companion_notes="Fauteuil" if companion else None,
                booked_by_id=users.reception,
                payment=payment,
            )
        )
        checkin.seats_taken += 2 if companion else 1
    newcomer = person(f"{tag}newcomer")
    # The case of the focus person: entries of both professions, orientations, mandates.
    db.session.flush()
    case = Case(
        site_id=site.id,
        person_id=focus.id,
        opened_on=local_today() - timedelta(days=400),
        opened_by_id=users.social,
        consent_on=local_today() - timedelta(days=400),
        consent_method="written",
        consent_sharing=True,
        last_contact_on=local_today(),
    )
    db.session.add(case)
    partners = []
    for n in range(size):
        partner = Partner(type="respite_platform", is_public=True, commune="Bordeaux")
        partner.set_name(f"Répit {tag} {n}")
        partner.postcode = "33000"
        partner.needs = [PartnerNeed(need="respite"), PartnerNeed(need="isolation")]
        partner.areas = [
            PartnerArea(kind="departement", value="33", label="33"),
            PartnerArea(kind="postcode", value="33000", label="33000"),
        ]
        partners.append(partner)
    db.session.add_all(partners)
    for n in range(size):
        day = local_today() - timedelta(days=n)
        author, profession = (users.social, "social_worker")
        if n % 2:
            author, profession = (users.psy, "psychologist")
        db.session.add(
            Entry(
                case=case,
                occurred_on=day,
                duration_minutes=45,
                kind="in_person",
                author_id=author,
                profession=profession,
                visibility=("team", "profession", "private")[n % 3],
                note=f"Note {n}",
            )
        )
        db.session.add(
            Situation(
                case=case,
                assessed_on=day,
                relation="parent",
                reason="age",
                work_situation="retired",
                needs="respite,isolation",
                recorded_by_id=users.social,
            )
        )
        db.session.add(
            Orientation(
                case=case, partner=partners[n], need="respite", oriented_on=day, outcome="Vu"
            )
        )
        mandate = Mandate(
            case=case,
            scope="apa,caf",
            duration="1y",
            starts_on=day,
            expires_on=day + timedelta(days=364),
            wording_version="2026-1",
            created_by_id=users.social,
        )
        db.session.add(mandate)
        db.session.add(
            Procedure(
                case=case,
                mandate=mandate,
                procedure_type="apa",
                done_on=day,
                description="Dossier déposé",
                done_by_id=users.social,
            )
        )
    db.session.commit()
    return SimpleNamespace(
        week=week.isoformat(),
        person=focus.id,
        checkin=checkin.id,
        newcomer=newcomer.id,
        case=case.id,
        search=f"budget {tag}",
        year_start=(local_today() - timedelta(days=365)).isoformat(),
        year_end=(local_today() + timedelta(days=30)).isoformat(),
    )


PAGES = {
    "public planning week": ("anonymous", lambda ids: f"/workshops/?date={ids.week}"),
    "people search": ("reception", lambda ids: f"/members/people?q={ids.search}"),
    "person page": ("reception", lambda ids: f"/members/people/{ids.person}"),
    "booking POST": ("reception", None),
    "check-in page": ("reception", lambda ids: f"/workshops/sessions/{ids.checkin}/checkin"),
    "case page": ("social", lambda ids: f"/casework/cases/{ids.case}"),
    "directory search": ("anonymous", lambda ids: "/directory/aide?need=respite&place=33"),
    "report dashboard": (
        "coordinator",
        lambda ids: f"/reports/?preset=custom&start={ids.year_start}&end={ids.year_end}",
    ),
}


@pytest.fixture
def measure(app, make_user, login_as):
    with app.app_context():
        users = SimpleNamespace(
            reception=make_user("reception").id,
            animator=make_user("animator").id,
            social=None,
            psy=make_user("psychologist").id,
        )
    clients = {"anonymous": app.test_client(), "reception": app.test_client()}
    login_as("reception", client=clients["reception"])
    clients["coordinator"] = app.test_client()
    login_as("coordinator", client=clients["coordinator"])
    clients["social"] = app.test_client()
    users.social = login_as("social_worker", client=clients["social"]).id

    def run(page: str, size: int, tag: str) -> tuple[int, list[str]]:
        with app.app_context():
            ids = build(size, users, tag)
        who, url = PAGES[page]
        client = clients[who]
        with counting(app) as statements:
            if url is None:
                response = client.post(
                    f"/workshops/sessions/{ids.checkin}/book-for",
                    data={"person_id": str(ids.newcomer), "channel": "phone", "method": "cash"},
                )
                assert response.status_code == 302, response.get_data(as_text=True)[:2000]
            else:
                response = client.get(url(ids))
                assert response.status_code == 200, response.get_data(as_text=True)[:2000]
        return len(statements), statements

    return run


@pytest.mark.parametrize("page", list(PAGES))
def test_page_stays_within_its_query_budget_whatever_the_data_size(measure, page):
    small, _ = measure(page, SMALL, "alpha")
    large, statements = measure(page, LARGE, "omega")
    listing = "\n".join(statement.split("\n")[0][:160] for statement in statements)
    assert small == large, f"{page}: {small} queries with {SMALL} rows, {large} with {LARGE}"
    budget = BUDGETS.get(page, BUDGET)
    assert large <= budget, f"{page}: {large} queries (budget {budget}):\n{listing}"
