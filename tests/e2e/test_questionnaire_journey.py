"""Browser journeys of the impact questionnaire: a member answers from a phone, from their
space; reception enters a paper questionnaire from the person's page."""

from pathlib import Path

import pytest
import sqlalchemy as sa

from ressourcerie.columns import local_today
from ressourcerie.extensions import db
from ressourcerie.members.models import Person
from ressourcerie.reports.questionnaire import ImpactAnswer
from ressourcerie.security.models import Site

pytestmark = [
    pytest.mark.e2e,
    pytest.mark.skipif(
        not (Path(__file__).parent / "conftest.py").exists(),
        reason="tests/e2e/conftest.py (browser fixtures) is not there yet",
    ),
]
SHOTS = Path(__file__).parent / "artifacts"


def _person(app, **columns) -> int:
    with app.app_context():
        site_id = db.session.execute(sa.select(Site.id).order_by(Site.id).limit(1)).scalar_one()
        person = Person(site_id=site_id, **columns)
        person.set_identity("Yvette", "Lagarde")
        db.session.add(person)
        db.session.commit()
        return person.id


def _answers(app) -> list[ImpactAnswer]:
    with app.app_context():
        rows = db.session.scalars(sa.select(ImpactAnswer)).all()
        db.session.expunge_all()
        return rows


def test_member_answers_the_questionnaire_on_a_phone(
    app, live_server, phone_page, sign_in, make_user
):
    page = phone_page
    member = make_user("member")
    person_id = _person(app, user_id=member.id)
    sign_in(page, member)
    page.goto(f"{live_server.url}/members/me")
    page.get_by_role("link", name="Questionnaire de l'année").click()
    page.get_by_role("heading", name="Ce que la Ressourcerie change pour vous").wait_for()

    # Forgetting a question: told plainly, and what was ticked stays ticked.
    page.get_by_role("group", name="votre bien-être").get_by_label("s'est amélioré").check()
    page.get_by_role("button", name="Envoyer mes réponses").click()
    page.get_by_text("Choisissez une réponse").first.wait_for()
    wellbeing = page.get_by_role("group", name="votre bien-être")
    assert wellbeing.get_by_label("s'est amélioré").is_checked()

    page.get_by_role("group", name="amis, voisins").get_by_label("sont plus nombreuses").check()
    page.get_by_role("group", name="soutenu·e").get_by_label("davantage qu'avant").check()
    page.get_by_role("group", name="seul·e").get_by_label("moins souvent qu'avant").check()
    information = page.get_by_role("group", name="trouver de l'aide")
    information.get_by_label("je ne sais pas").check()
    page.get_by_role("group", name="proche aidant·e").get_by_label("oui").check()
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 375
    page.screenshot(path=str(SHOTS / "questionnaire-phone-form.png"), full_page=True)
    page.get_by_role("button", name="Envoyer mes réponses").click()

    page.get_by_role("heading", name="Mon espace").wait_for()
    page.get_by_text("Merci ! Vos réponses sont enregistrées.").wait_for()
    (answer,) = _answers(app)
    assert answer.person_id == person_id and answer.channel == "online"
    assert (answer.wellbeing, answer.isolation, answer.information) == (
        "improved",
        "improved",
        "dont_know",
    )
    assert answer.sees_self_as_caregiver == "yes" and answer.answered_on == local_today()

    # Coming back the same year: the answers are there, and may be changed.
    page.get_by_role("link", name="Questionnaire de l'année").click()
    page.get_by_text("Vous avez déjà répondu").wait_for()
    assert (
        page.get_by_role("group", name="seul·e").get_by_label("moins souvent qu'avant").is_checked()
    )


def test_reception_enters_a_paper_questionnaire_from_the_person_page(
    app, live_server, page, sign_in, make_user
):
    reception = make_user("reception")
    person_id = _person(app)
    sign_in(page, reception)
    page.goto(f"{live_server.url}/members/people/{person_id}")
    page.get_by_role("link", name="Questionnaire d'impact").click()
    page.get_by_role("heading", name="Questionnaire d'impact : Yvette Lagarde").wait_for()
    page.get_by_role("group", name="votre bien-être").get_by_label("est resté pareil").check()
    page.get_by_role("group", name="proche aidant·e").get_by_label("je ne sais pas").check()
    page.get_by_role("button", name="Enregistrer le questionnaire papier").click()
    page.get_by_text("Questionnaire papier enregistré").wait_for()
    assert page.url.endswith(f"/members/people/{person_id}")
    (answer,) = _answers(app)
    assert (answer.channel, answer.entered_by_id, answer.wellbeing) == (
        "paper",
        reception.id,
        "same",
    )
    assert answer.social_ties is None  # left blank on the paper
