"""Demo answers to the impact questionnaire, this year and last, on people of the members
demo (never the demo member, who can try answering online). Idempotent."""

import random
from datetime import date, timedelta

from faker import Faker
from flask import current_app
from sqlalchemy import or_, select

from ressourcerie.columns import local_today
from ressourcerie.extensions import db
from ressourcerie.members.models import Person
from ressourcerie.reports.questionnaire import (
    QUESTION_KEYS,
    Change,
    Channel,
    ImpactAnswer,
    SelfView,
)
from ressourcerie.security import services as security_services
from ressourcerie.security.models import Site

ANSWERS_PER_YEAR = {0: 45, 1: 60}  # years ago -> answers
# Weights of improved / same / worse / don't know, close to the reference site's results.
WEIGHTS = {
    "wellbeing": (85, 10, 2, 3),
    "social_ties": (70, 22, 3, 5),
    "support": (75, 17, 3, 5),
    "isolation": (62, 28, 4, 6),
    "information": (80, 14, 1, 5),
}


def _day_in(year: int, today: date, rng: random.Random) -> date:
    last = min(date(year, 12, 31), today)
    return last - timedelta(days=rng.randint(0, (last - date(year, 1, 1)).days))


def seed(site: Site, fake: Faker) -> list[str]:
    if db.session.scalar(select(ImpactAnswer.id).limit(1)) is not None:
        return []
    domain = current_app.config["DEMO_EMAIL_DOMAIN"]
    reception = security_services.find_user_by_email(f"accueil@{domain}")
    member = security_services.find_user_by_email(f"adherent@{domain}")
    query = select(Person).where(Person.anonymised_at.is_(None)).order_by(Person.id)
    if member is not None:
        query = query.where(or_(Person.user_id.is_(None), Person.user_id != member.id))
    people = list(db.session.scalars(query))
    if not people:
        return []
    rng = random.Random(2026)
    today = local_today()
    changes = list(Change)
    total = 0
    for years_ago, count in ANSWERS_PER_YEAR.items():
        year = today.year - years_ago
        for person in rng.sample(people, min(count, len(people))):
            online = person.user_id is not None or rng.random() < 0.3
            answer = ImpactAnswer(
                person_id=person.id,
                site_id=site.id,
                channel=Channel.ONLINE if online else Channel.PAPER,
                entered_by_id=person.user_id if online else (reception.id if reception else None),
                sees_self_as_caregiver=rng.choices(list(SelfView), weights=(45, 35, 20))[0],
            )
            answer.set_answered_on(_day_in(year, today, rng))
            for key in QUESTION_KEYS:
                setattr(answer, key, rng.choices(changes, weights=WEIGHTS[key])[0].value)
            if not online and rng.random() < 0.1:
                answer.information = None  # left blank on the paper form
            db.session.add(answer)
            total += 1
    db.session.flush()
    return [f"Impact questionnaire: {total} demo answers over two years."]
