"""Impact questionnaire services: one answer per person and year, and the summary figures
the report shows, checked against a hand-built set of answers."""

from datetime import date, timedelta
from decimal import Decimal

import pytest
import sqlalchemy as sa
from sqlalchemy.exc import IntegrityError

from ressourcerie.columns import local_today, utcnow
from ressourcerie.members.models import Person, Visit
from ressourcerie.members.services.rights import anonymise
from ressourcerie.reports import impact
from ressourcerie.reports.impact import QuestionnaireError, impact_summary, record_answer
from ressourcerie.reports.questionnaire import QUESTION_KEYS, Channel, ImpactAnswer
from ressourcerie.security.models import Site, User

ALL_IMPROVED = {**dict.fromkeys(QUESTION_KEYS, "improved"), "sees_self_as_caregiver": "yes"}


def _site(db, name=None):
    if name is None:
        return db.session.execute(sa.select(Site).order_by(Site.id).limit(1)).scalar_one()
    site = Site(name=name)
    db.session.add(site)
    db.session.flush()
    return site


def _person(db, site=None, **kwargs):
    person = Person(site_id=(site or _site(db)).id if site is not False else None, **kwargs)
    person.set_identity("Odile", "Réponse")
    db.session.add(person)
    db.session.flush()
    return person


def _answer(db, site, day, person=None, channel="paper", **answers):
    """A row written directly (any date, no rule checked): the summary's test data."""
    row = ImpactAnswer(
        person_id=person.id if person else None, site_id=site.id, channel=channel, **answers
    )
    row.set_answered_on(day)
    db.session.add(row)
    db.session.flush()
    return row


# --- one answer per person and year ---------------------------------------------------------


def test_an_online_answer_is_stored_with_its_year_site_and_author(db, make_user):
    site = _site(db)
    person = _person(db, site)
    today = local_today()
    answer, created = record_answer(
        person,
        {**ALL_IMPROVED, "isolation": "worse", "sees_self_as_caregiver": "dont_know"},
        answered_on=today,
        channel=Channel.ONLINE,
        site_id=site.id,
        by=None,
    )
    assert created
    db.session.expire_all()
    row = db.session.get(ImpactAnswer, answer.id)
    assert (row.person_id, row.site_id, row.answered_on, row.campaign_year) == (
        person.id,
        site.id,
        today,
        today.year,
    )
    assert row.channel == "online"
    assert row.wellbeing == "improved" and row.isolation == "worse"
    assert row.sees_self_as_caregiver == "dont_know"


def test_a_second_answer_the_same_year_replaces_the_first(db, make_user):
    reception = make_user("reception")  # before this session writes (SQLite locks)
    site = _site(db)
    person = _person(db, site)
    today = local_today()
    first, created = record_answer(
        person, ALL_IMPROVED, answered_on=today, channel=Channel.ONLINE, site_id=site.id, by=None
    )
    second, created_again = record_answer(
        person,
        {"wellbeing": "same"},
        answered_on=today,
        channel=Channel.PAPER,
        site_id=site.id,
        by=db.session.get(User, reception.id),
    )
    assert created and not created_again
    assert second.id == first.id
    assert db.session.scalar(sa.select(sa.func.count()).select_from(ImpactAnswer)) == 1
    assert second.channel == "paper" and second.entered_by_id == reception.id
    # Everything is replaced, blanks included: the newer form is the person's answer.
    assert second.wellbeing == "same" and second.social_ties is None


def test_answers_of_two_years_are_two_answers(db):
    site = _site(db)
    person = _person(db, site)
    today = local_today()
    last_day_of_last_year = date(today.year - 1, 12, 31)
    old, _ = record_answer(
        person,
        ALL_IMPROVED,
        answered_on=last_day_of_last_year,
        channel=Channel.PAPER,
        site_id=site.id,
        by=None,
    )
    new, created = record_answer(
        person,
        ALL_IMPROVED,
        answered_on=date(today.year, 1, 1),
        channel=Channel.PAPER,
        site_id=site.id,
        by=None,
    )
    assert created and old.id != new.id
    assert (old.campaign_year, new.campaign_year) == (today.year - 1, today.year)
    assert impact.answer_for_year(person.id, today.year - 1).id == old.id


def test_the_database_refuses_two_rows_for_one_person_and_year(db):
    site = _site(db)
    person = _person(db, site)
    _answer(db, site, date(2025, 3, 1), person)
    with pytest.raises(IntegrityError):
        _answer(db, site, date(2025, 11, 30), person)
    db.session.rollback()


def test_online_answers_must_answer_every_question(db):
    site = _site(db)
    person = _person(db, site)
    answers = {**ALL_IMPROVED, "information": None}
    with pytest.raises(QuestionnaireError, match="toutes les questions"):
        record_answer(
            person,
            answers,
            answered_on=local_today(),
            channel=Channel.ONLINE,
            site_id=site.id,
            by=None,
        )


def test_paper_answers_may_have_blanks_but_not_be_empty(db):
    site = _site(db)
    person = _person(db, site)
    answer, _ = record_answer(
        person,
        {"support": "improved"},
        answered_on=local_today(),
        channel=Channel.PAPER,
        site_id=site.id,
        by=None,
    )
    assert answer.support == "improved" and answer.wellbeing is None
    with pytest.raises(QuestionnaireError, match="vide"):
        record_answer(
            _person(db, site),
            {},
            answered_on=local_today(),
            channel=Channel.PAPER,
            site_id=site.id,
            by=None,
        )


@pytest.mark.parametrize(
    ("shift", "message"),
    [
        (lambda today: today + timedelta(days=1), "futur"),
        (lambda today: date(today.year - 2, 12, 31), "année"),
    ],
)
def test_answers_dated_in_the_future_or_too_long_ago_are_refused(db, shift, message):
    site = _site(db)
    with pytest.raises(QuestionnaireError, match=message):
        record_answer(
            _person(db, site),
            ALL_IMPROVED,
            answered_on=shift(local_today()),
            channel=Channel.PAPER,
            site_id=site.id,
            by=None,
        )


def test_an_unknown_answer_value_is_a_programming_error(db):
    site = _site(db)
    with pytest.raises(ValueError, match="unknown answer"):
        record_answer(
            _person(db, site),
            {**ALL_IMPROVED, "wellbeing": "great"},
            answered_on=local_today(),
            channel=Channel.ONLINE,
            site_id=site.id,
            by=None,
        )


def test_an_online_answer_counts_for_the_persons_site_or_the_last_one_visited(db):
    first = _site(db)
    other = _site(db, "Antenne de Libourne")
    assert impact.member_site_id(_person(db, other)) == other.id
    drifter = _person(db, site=False)
    assert impact.member_site_id(drifter) == first.id  # no site, no visit: the first site
    db.session.add(
        Visit(site_id=other.id, person_id=drifter.id, visited_at=utcnow() - timedelta(days=3))
    )
    db.session.flush()
    assert impact.member_site_id(drifter) == other.id


# --- the summary --------------------------------------------------------------------------


@pytest.fixture
def dataset(db):
    """Five answers at the main site in 2025, one at another site, two outside the period.

    wellbeing: improved ×3, same ×1, worse ×1           → 3/5 = 0.6
    social_ties: improved ×2, dont_know ×1, blank ×2    → 2/3 = 0.6667
    support: improved ×1, same ×4                        → 1/5 = 0.2
    isolation: improved ×1, worse ×2, dont_know ×2       → 1/5 = 0.2
    information: all blank                              → None
    caregiver: yes ×2, no ×1, dont_know ×1, blank ×1
    channels: online ×2, paper ×3
    """
    main = _site(db)
    other = _site(db, "Antenne de Libourne")
    start, end = date(2025, 1, 1), date(2025, 6, 30)
    rows = [
        # (day, channel, wellbeing, social_ties, support, isolation, caregiver)
        (start, "online", "improved", "improved", "improved", "improved", "yes"),
        (date(2025, 3, 10), "online", "improved", "improved", "same", "worse", "yes"),
        (date(2025, 4, 2), "paper", "improved", "dont_know", "same", "worse", "no"),
        (date(2025, 5, 20), "paper", "same", None, "same", "dont_know", "dont_know"),
        (end, "paper", "worse", None, "same", "dont_know", None),
    ]
    for day, channel, wellbeing, social_ties, support, isolation, caregiver in rows:
        _answer(
            db,
            main,
            day,
            _person(db, main),
            channel=channel,
            wellbeing=wellbeing,
            social_ties=social_ties,
            support=support,
            isolation=isolation,
            sees_self_as_caregiver=caregiver,
        )
    # Outside: another site, the day before, the day after.
    _answer(db, other, date(2025, 2, 1), _person(db, other), wellbeing="worse")
    _answer(db, main, start - timedelta(days=1), _person(db, main), wellbeing="worse")
    _answer(db, main, end + timedelta(days=1), _person(db, main), wellbeing="worse")
    return {"main": main, "other": other, "start": start, "end": end}


def _question(summary, key):
    return next(q for q in summary["questions"] if q["key"] == key)


def test_summary_counts_every_answer_of_the_period_and_site(db, dataset):
    summary = impact_summary(dataset["start"], dataset["end"], [dataset["main"].id])
    assert summary["answers"] == 5
    assert summary["by_channel"] == {"online": 2, "paper": 3}
    assert [q["key"] for q in summary["questions"]] == [
        "wellbeing",
        "social_ties",
        "support",
        "isolation",
        "information",
    ]
    wellbeing = _question(summary, "wellbeing")
    assert wellbeing["counts"] == {"improved": 3, "same": 1, "worse": 1, "dont_know": 0}
    assert (wellbeing["answered"], wellbeing["unanswered"]) == (5, 0)
    assert wellbeing["improved_share"] == Decimal("0.6000")
    assert wellbeing["reference_share"] == Decimal("0.87")
    social = _question(summary, "social_ties")
    assert social["counts"] == {"improved": 2, "same": 0, "worse": 0, "dont_know": 1}
    assert (social["answered"], social["unanswered"]) == (3, 2)
    assert social["improved_share"] == Decimal("0.6667")  # "don't know" counts as an answer
    assert social["reference_share"] == Decimal("0.72")
    assert _question(summary, "support")["improved_share"] == Decimal("0.2000")
    isolation = _question(summary, "isolation")
    assert isolation["counts"] == {"improved": 1, "same": 0, "worse": 2, "dont_know": 2}
    assert isolation["reference_share"] is None
    information = _question(summary, "information")
    assert information["answered"] == 0 and information["unanswered"] == 5
    assert information["improved_share"] is None
    caregiver = summary["sees_self_as_caregiver"]
    assert caregiver["counts"] == {"yes": 2, "no": 1, "dont_know": 1}
    assert (caregiver["answered"], caregiver["unanswered"]) == (4, 1)
    assert caregiver["yes_share"] == Decimal("0.5000")
    assert wellbeing["label"].startswith("Depuis que vous venez")
    assert wellbeing["short_label"] == "Bien-être"
    assert wellbeing["choice_labels"]["improved"] == "s'est amélioré"
    assert caregiver["choice_labels"] == {"yes": "oui", "no": "non", "dont_know": "je ne sais pas"}


def test_summary_keeps_to_the_sites_asked(db, dataset):
    both = impact_summary(
        dataset["start"], dataset["end"], [dataset["main"].id, dataset["other"].id]
    )
    assert both["answers"] == 6
    assert _question(both, "wellbeing")["counts"]["worse"] == 2
    other = impact_summary(dataset["start"], dataset["end"], [dataset["other"].id])
    assert other["answers"] == 1 and other["by_channel"] == {"online": 0, "paper": 1}
    nothing = impact_summary(dataset["start"], dataset["end"], [])
    assert nothing["answers"] == 0
    assert all(q["improved_share"] is None for q in nothing["questions"])


def test_summary_includes_both_ends_of_the_period_and_nothing_beyond(db, dataset):
    main = [dataset["main"].id]
    one_day = impact_summary(dataset["start"], dataset["start"], main)
    assert one_day["answers"] == 1
    assert impact_summary(dataset["end"], dataset["end"], main)["answers"] == 1
    wider = impact_summary(
        dataset["start"] - timedelta(days=1), dataset["end"] + timedelta(days=1), main
    )
    assert wider["answers"] == 7
    assert _question(wider, "wellbeing")["counts"]["worse"] == 3


def test_answers_of_anonymised_people_still_count(db, dataset):
    person = db.session.scalars(
        sa.select(Person).join(ImpactAnswer, ImpactAnswer.person_id == Person.id).limit(1)
    ).one()
    anonymise(person, by=None)
    summary = impact_summary(dataset["start"], dataset["end"], [dataset["main"].id])
    assert summary["answers"] == 5


def test_summary_is_one_sql_query(app, db, dataset):
    statements = []

    def count(conn, cursor, statement, parameters, context, executemany):
        statements.append(statement)

    sa.event.listen(db.engine, "before_cursor_execute", count)
    try:
        impact_summary(dataset["start"], dataset["end"], [dataset["main"].id])
    finally:
        sa.event.remove(db.engine, "before_cursor_execute", count)
    assert len(statements) == 1
    assert "GROUP BY" in statements[0].upper()


def test_answers_by_year_counts_per_year_site_and_channel(db, dataset):
    rows = impact.answers_by_year({dataset["main"].id})
    # 2024: the answer of the day before the period (31 December).
    assert [(r.year, r.online, r.paper, r.total) for r in rows] == [
        (2025, 2, 4, 6),
        (2024, 0, 1, 1),
    ]
    rows = impact.answers_by_year({dataset["main"].id, dataset["other"].id})
    assert [(r.year, r.site_name, r.total) for r in rows] == [
        (2025, "Antenne de Libourne", 1),
        (2025, _site(db).name, 6),
        (2024, _site(db).name, 1),
    ]
