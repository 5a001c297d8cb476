"""Demo data of the people half: people around Bordeaux, visits, referrals, memberships
with their payments, and the demo member's Person. Loaded by `flask --app ressourcerie demo`."""

import random
from datetime import datetime, time, timedelta

from faker import Faker
from flask import current_app
from sqlalchemy import select

from ressourcerie.columns import LOCAL_TZ, local_today
from ressourcerie.extensions import db
from ressourcerie.members.models import (
    CaregiverStatus,
    CaregiverStatusChange,
    ContactChannel,
    Membership,
    PaymentKind,
    Person,
    Referral,
    Visit,
    VisitPurpose,
)
from ressourcerie.members.services.memberships import period_for
from ressourcerie.members.services.payments import record_payment
from ressourcerie.security.models import Site, User

PEOPLE = 120
VISITS = 400
MEMBERSHIPS = 40
COMMUNES = (
    ("Bordeaux", "33000"),
    ("Bordeaux", "33100"),
    ("Bordeaux", "33200"),
    ("Bordeaux", "33300"),
    ("Bordeaux", "33800"),
    ("Mérignac", "33700"),
    ("Pessac", "33600"),
    ("Talence", "33400"),
    ("Bègles", "33130"),
    ("Villenave-d'Ornon", "33140"),
    ("Le Bouscat", "33110"),
    ("Bruges", "33520"),
    ("Cenon", "33150"),
    ("Lormont", "33310"),
    ("Floirac", "33270"),
    ("Eysines", "33320"),
    ("Gradignan", "33170"),
    ("Saint-Médard-en-Jalles", "33160"),
)
HEARD_FROM = ("bouche à oreille", "CCAS", "médecin traitant", "affiche", "site internet", "")
PURPOSES = (
    [VisitPurpose.ACTIVITY] * 5
    + [VisitPurpose.INFORMATION] * 2
    + [VisitPurpose.SOCIAL_TIME] * 2
    + [VisitPurpose.SUPPORT_REQUEST, VisitPurpose.OTHER]
)


def _moment(rng: random.Random, days_ago: int) -> datetime:
    day = local_today() - timedelta(days=days_ago)
    while day.weekday() == 6:  # closed on Sundays
        day -= timedelta(days=1)
    clock = time(rng.randint(9, 17), rng.choice((0, 10, 20, 30, 40, 50)))
    moment = datetime.combine(day, clock, tzinfo=LOCAL_TZ)
    now = datetime.now(LOCAL_TZ)
    if moment > now:  # today's visits have happened already, never later today
        earliest = datetime.combine(day, time(9), tzinfo=LOCAL_TZ)
        moment = max(earliest, now - timedelta(minutes=rng.randint(5, 90)))
        if moment > now:  # before 9:00: yesterday's (or Saturday's) end of day
            return _moment(rng, days_ago + 1)
    return moment


def _person(fake: Faker, rng: random.Random, site: Site, today) -> Person:
    woman = rng.random() < 0.85
    age = max(19, min(92, round(rng.gauss(54, 14))))
    commune, postcode = rng.choice(COMMUNES)
    person = Person(
        site_id=site.id,
        birth_year=today.year - age,
        gender="woman" if woman else ("man" if rng.random() < 0.95 else "other"),
        commune=commune,
        postcode=postcode,
        heard_from=rng.choice(HEARD_FROM),
        consent_on=today - timedelta(days=rng.randint(1, 180)),
        consent_method=rng.choice(("oral", "written")),
    )
    person.set_identity(
        fake.first_name_female() if woman else fake.first_name_male(),
        fake.last_name() if rng.random() < 0.9 else "",
    )
    if rng.random() < 0.8:
        person.set_phone(fake.phone_number())
    if rng.random() < 0.6:
        person.email = f"{person.search_name.replace(' ', '.')}.{rng.randint(1, 99)}@example.org"
        person.preferred_contact = ContactChannel.EMAIL
        person.newsletter_opt_in = rng.random() < 0.6
    elif person.phone:
        person.preferred_contact = rng.choice((ContactChannel.PHONE, ContactChannel.SMS))
    return person


def seed(site: Site, fake: Faker) -> list[str]:
    """Create this feature's demo rows at `site` (idempotent); return lines to print."""
    member_email = f"adherent@{current_app.config['DEMO_EMAIL_DOMAIN']}"
    member = db.session.execute(select(User).where(User.email == member_email)).scalar_one_or_none()
    already = db.session.execute(
        select(Visit.id).where(Visit.site_id == site.id).limit(1)
    ).scalar_one_or_none()
    if already is not None:
        return []
    rng = random.Random(2026)
    today = local_today()
    people = [_person(fake, rng, site, today) for _ in range(PEOPLE)]
    if member is not None:
        own = people[0]
        own.set_identity(*(member.display_name.split(" ", 1) + [""])[:2])
        own.email = member.email
        own.user_id = member.id
        own.consent_method = "online"
        own.charter_accepted_on = today - timedelta(days=120)
        own.newsletter_opt_in = True
    db.session.add_all(people)
    db.session.flush()

    # 30 % arrive as caregivers; a few more are identified later by the team.
    caregivers = set(rng.sample(range(PEOPLE), k=int(PEOPLE * 0.3)))
    for index in caregivers:
        person = people[index]
        person.caregiver_status = CaregiverStatus.SELF_DECLARED
        person.caregiver_status_changed_on = person.consent_on
        person.caregiver_history.append(
            CaregiverStatusChange(
                status=CaregiverStatus.SELF_DECLARED,
                changed_at=datetime.combine(person.consent_on or today, time(11), LOCAL_TZ),
            )
        )
    identified = [i for i in range(PEOPLE) if i not in caregivers][:12]
    for index in identified:
        person = people[index]
        person.caregiver_status = CaregiverStatus.IDENTIFIED_BY_TEAM
        person.caregiver_status_changed_on = today - timedelta(days=rng.randint(1, 60))
        # Dated like the status, so the reports read the history as it happened.
        person.caregiver_history.append(
            CaregiverStatusChange(
                status=CaregiverStatus.IDENTIFIED_BY_TEAM,
                changed_at=datetime.combine(person.caregiver_status_changed_on, time(15), LOCAL_TZ),
            )
        )

    # Half come once; the others come back, some often.
    returning = set(rng.sample(range(PEOPLE), k=PEOPLE // 2))
    plan = [1] * PEOPLE
    extra = VISITS - PEOPLE - 20  # 20 anonymous visits
    for _ in range(extra):
        plan[rng.choice(sorted(returning))] += 1
    visits = []
    for index, count in enumerate(plan):
        first = rng.randint(5, 180)
        days = sorted({first, *(rng.randint(0, first) for _ in range(count - 1))}, reverse=True)
        for days_ago in days:
            visits.append(
                Visit(
                    site_id=site.id,
                    person_id=people[index].id,
                    visited_at=_moment(rng, days_ago),
                    purpose=rng.choice(PURPOSES),
                    as_caregiver=index in caregivers,
                )
            )
    for _ in range(20):
        visits.append(
            Visit(
                site_id=site.id,
                visited_at=_moment(rng, rng.randint(0, 180)),
                purpose=rng.choice(PURPOSES),
            )
        )
    db.session.add_all(visits)

    for index in rng.sample(sorted(set(range(PEOPLE)) - caregivers), k=6):
        db.session.add(
            Referral(
                site_id=site.id,
                person_id=people[index].id,
                category=rng.choice(("possible_caregiver", "isolation", "social_support")),
                comment="Évoque plusieurs fois l'accompagnement d'un parent âgé.",
                created_at=datetime.combine(
                    today - timedelta(days=rng.randint(1, 40)), time(10), tzinfo=LOCAL_TZ
                ),
            )
        )

    members = [0, *rng.sample(range(1, PEOPLE), k=MEMBERSHIPS - 1)]
    for index in members:
        person = people[index]
        paid_at = _moment(rng, rng.randint(0, 330) if index else 120)
        starts_on, ends_on = period_for(paid_at.astimezone(LOCAL_TZ).date(), "rolling")
        person.charter_accepted_on = person.charter_accepted_on or starts_on
        payment = record_payment(
            site=site,
            person=person,
            kind=PaymentKind.MEMBERSHIP,
            label=f"Adhésion du {starts_on:%d/%m/%Y} au {ends_on:%d/%m/%Y}",
            amount_cents=2900,
            method=rng.choice(("cash", "card", "cheque", "cheque", "transfer")),
            by=None,
            received_at=paid_at,
        )
        db.session.add(
            Membership(
                person_id=person.id,
                site_id=site.id,
                starts_on=starts_on,
                ends_on=ends_on,
                fee_cents=2900,
                payment_id=payment.id,
            )
        )
    db.session.flush()
    return [
        f"People: {PEOPLE} people, {len(visits)} visits, 6 referrals, {MEMBERSHIPS} memberships"
        + (f"; {member_email} is {people[0].full_name}" if member else "")
    ]
