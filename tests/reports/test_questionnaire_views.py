"""Impact questionnaire pages: a member answers online from their space, reception enters a
paper form and prints blank ones, coordinators count answers; everyone else is refused."""

import re
import shutil
import subprocess
from datetime import date, timedelta

import pytest
import sqlalchemy as sa

from ressourcerie.columns import local_today
from ressourcerie.extensions import db as _db
from ressourcerie.members.models import Person
from ressourcerie.reports.questionnaire import ImpactAnswer
from ressourcerie.security.models import Site

ONLINE = {
    "wellbeing": "improved",
    "social_ties": "same",
    "support": "improved",
    "isolation": "worse",
    "information": "dont_know",
    "sees_self_as_caregiver": "yes",
}


def paper(**overrides):
    data = {
        "answered_on": local_today().isoformat(),
        "site_id": "",
        **dict.fromkeys(ONLINE, ""),
    }
    data.update(overrides)
    return data


@pytest.fixture
def build(app):
    """Builders that commit: person(**columns) -> id, site(name) -> id, answers() -> rows."""

    def default_site_id():
        return _db.session.execute(sa.select(Site.id).order_by(Site.id).limit(1)).scalar_one()

    def person(site_id=None, **columns):
        with app.app_context():
            row = Person(site_id=site_id or default_site_id(), **columns)
            row.set_identity("Lucienne", columns.pop("last_name", "Papier"))
            _db.session.add(row)
            _db.session.commit()
            return row.id

    def site(name):
        with app.app_context():
            row = Site(name=name)
            _db.session.add(row)
            _db.session.commit()
            return row.id

    def answers():
        with app.app_context():
            rows = _db.session.scalars(sa.select(ImpactAnswer).order_by(ImpactAnswer.id)).all()
            _db.session.expunge_all()
            return rows

    def answer(person_id, day, channel="paper", **columns):
        with app.app_context():
            row = ImpactAnswer(
                person_id=person_id, site_id=default_site_id(), channel=channel, **columns
            )
            row.set_answered_on(day)
            _db.session.add(row)
            _db.session.commit()
            return row.id

    return type(
        "Build",
        (),
        {
            "person": staticmethod(person),
            "site": staticmethod(site),
            "answers": staticmethod(answers),
            "answer": staticmethod(answer),
            "default_site_id": staticmethod(lambda: _in(app, default_site_id)),
        },
    )


def _in(app, fn):
    with app.app_context():
        return fn()


# --- members, online ----------------------------------------------------------------------


def test_member_answers_online_from_their_space(client, login_as, build):
    member = login_as("member")
    person_id = build.person(user_id=member.id)
    space = client.get("/members/me")
    assert "/reports/questionnaire" in space.text
    form = client.get("/reports/questionnaire")
    assert form.status_code == 200
    assert "votre bien-être" in form.text and "proche aidant·e" in form.text
    done = client.post("/reports/questionnaire", data=ONLINE)
    assert done.status_code == 302 and done.location.endswith("/members/me")
    (row,) = build.answers()
    assert row.person_id == person_id and row.channel == "online"
    assert row.entered_by_id == member.id and row.site_id == build.default_site_id()
    assert row.answered_on == local_today()
    assert {key: getattr(row, key) for key in ONLINE} == ONLINE
    assert "Vos réponses sont enregistrées" in client.get("/members/me").text


def test_member_must_answer_every_question_and_keeps_what_was_ticked(client, login_as, build):
    member = login_as("member")
    build.person(user_id=member.id)
    page = client.post("/reports/questionnaire", data={**ONLINE, "isolation": ""})
    assert page.status_code == 200
    assert "Choisissez une réponse" in page.text
    for name, value in ONLINE.items():
        if name != "isolation":
            assert re.search(
                rf'<input[^>]*\bchecked[^>]*name="{name}"[^>]*value="{value}"', page.text
            )
    assert not re.search(r'<input[^>]*\bchecked[^>]*name="isolation"', page.text)
    assert build.answers() == []


def test_member_answering_again_the_same_year_updates_the_answer(client, login_as, build):
    member = login_as("member")
    build.person(user_id=member.id)
    client.post("/reports/questionnaire", data=ONLINE)
    again = client.get("/reports/questionnaire")
    assert "Vous avez déjà répondu" in again.text
    assert "remplacera vos réponses précédentes" in again.text
    client.post("/reports/questionnaire", data={**ONLINE, "wellbeing": "worse"})
    (row,) = build.answers()
    assert row.wellbeing == "worse"
    assert "sont mises à jour" in client.get("/members/me").text


def test_a_member_without_a_person_record_gets_not_found(client, login_as):
    login_as("member")
    assert client.get("/reports/questionnaire").status_code == 404


# --- reception, from paper ----------------------------------------------------------------


def test_reception_enters_a_paper_answer_from_the_person_page(client, login_as, build):
    reception = login_as("reception")
    person_id = build.person()
    person_page = client.get(f"/members/people/{person_id}")
    assert f"/reports/questionnaire/people/{person_id}" in person_page.text
    form = client.get(f"/reports/questionnaire/people/{person_id}")
    assert form.status_code == 200 and "pas de réponse sur le papier" in form.text
    day = local_today() - timedelta(days=1) if local_today().day > 1 else local_today()
    saved = client.post(
        f"/reports/questionnaire/people/{person_id}",
        data=paper(
            answered_on=day.isoformat(),
            site_id=build.default_site_id(),
            wellbeing="improved",
            sees_self_as_caregiver="dont_know",
        ),
    )
    assert saved.status_code == 302 and saved.location.endswith(f"/members/people/{person_id}")
    (row,) = build.answers()
    assert (row.person_id, row.channel, row.entered_by_id) == (person_id, "paper", reception.id)
    assert row.answered_on == day and row.wellbeing == "improved" and row.support is None
    assert "Questionnaire papier enregistré" in client.get(saved.location).text


def test_reception_is_warned_before_replacing_this_years_answer(client, login_as, build):
    login_as("reception")
    person_id = build.person()
    build.answer(person_id, local_today(), channel="online", wellbeing="same")
    form = client.get(f"/reports/questionnaire/people/{person_id}")
    assert "a déjà répondu" in form.text and "en ligne" in form.text
    client.post(
        f"/reports/questionnaire/people/{person_id}",
        data=paper(site_id=build.default_site_id(), wellbeing="improved"),
    )
    (row,) = build.answers()
    assert row.wellbeing == "improved" and row.channel == "paper"
    assert "il remplace la réponse" in client.get(f"/members/people/{person_id}").text


def test_an_empty_paper_form_or_a_future_date_is_refused_with_the_typing_kept(
    client, login_as, build
):
    login_as("reception")
    person_id = build.person()
    url = f"/reports/questionnaire/people/{person_id}"
    empty = client.post(url, data=paper(site_id=build.default_site_id()))
    assert empty.status_code == 200 and "Le questionnaire est vide" in empty.text
    future = (local_today() + timedelta(days=3)).isoformat()
    page = client.post(
        url, data=paper(site_id=build.default_site_id(), answered_on=future, wellbeing="same")
    )
    assert "dans le futur" in page.text and future in page.text
    assert build.answers() == []


def test_reception_cannot_enter_for_another_sites_person_or_site(client, login_as, build):
    login_as("reception")
    elsewhere = build.site("Antenne de Libourne")
    stranger = build.person(site_id=elsewhere)
    assert client.get(f"/reports/questionnaire/people/{stranger}").status_code == 404
    own = build.person()
    page = client.post(
        f"/reports/questionnaire/people/{own}",
        data=paper(site_id=elsewhere, wellbeing="improved"),
    )
    assert page.status_code == 200 and build.answers() == []


def test_reception_finds_people_and_sees_who_answered(client, login_as, build):
    login_as("reception")
    answered = build.person(last_name="Aubert")
    build.person(last_name="Bernard")
    build.answer(answered, local_today(), wellbeing="same")
    page = client.get("/reports/questionnaire/people?q=aub")
    assert "Aubert" in page.text and "Bernard" not in page.text
    assert "sur papier" in page.text
    assert "pas encore" in client.get("/reports/questionnaire/people?q=bern").text


def _count_queries(app, client, url):
    statements = []

    def count(conn, cursor, statement, parameters, context, executemany):
        statements.append(statement)

    with app.app_context():
        engine = _db.engine
    sa.event.listen(engine, "before_cursor_execute", count)
    try:
        assert client.get(url).status_code == 200
    finally:
        sa.event.remove(engine, "before_cursor_execute", count)
    return len(statements)


def test_people_list_queries_do_not_grow_with_rows(app, client, login_as, build):
    login_as("reception")
    first = build.person()
    build.answer(first, local_today())
    one = _count_queries(app, client, "/reports/questionnaire/people")
    for n in range(20):
        person_id = build.person(last_name=f"Nom{n:02d}")
        if n % 2:
            build.answer(person_id, local_today())
    many = _count_queries(app, client, "/reports/questionnaire/people")
    assert many == one


@pytest.mark.skipif(shutil.which("pdftotext") is None, reason="needs pdftotext")
def test_the_paper_form_prints_with_every_question(client, login_as, build, tmp_path):
    login_as("animator")  # handed out in workshops too
    person_id = build.person(last_name="Imprimée")
    response = client.get(f"/reports/questionnaire/paper.pdf?person_id={person_id}")
    assert response.status_code == 200 and response.mimetype == "application/pdf"
    path = tmp_path / "q.pdf"
    path.write_bytes(response.data)
    text = subprocess.run(
        ["pdftotext", str(path), "-"], check=True, capture_output=True, text=True
    ).stdout
    for expected in ("votre bien-être", "seul·e", "proche aidant·e", "Lucienne Imprimée"):
        assert expected in text
    info = subprocess.run(["pdfinfo", str(path)], check=True, capture_output=True, text=True)
    assert re.search(r"^Pages:\s+1$", info.stdout, re.M)  # one sheet to hand out


def test_coordinator_sees_answers_by_year(client, login_as, build):
    login_as("coordinator")
    build.answer(build.person(), date(local_today().year - 1, 6, 1), channel="online")
    build.answer(build.person(), local_today(), wellbeing="improved")
    page = client.get("/reports/questionnaire/years")
    assert page.status_code == 200
    table = page.text.split('id="answers-by-year"')[1].split("</table>")[0]
    assert str(local_today().year) in table and str(local_today().year - 1) in table
    results = page.text.split('id="impact-results"')[1].split("</table>")[0]
    assert "100" in results  # the one answer of this year said "better"
    assert "1 réponse" in page.text


@pytest.mark.parametrize(
    ("role", "url"),
    [
        ("reception", "/reports/questionnaire"),
        ("coordinator", "/reports/questionnaire"),
        ("animator", "/reports/questionnaire/people/{pid}"),
        ("social_worker", "/reports/questionnaire/people/{pid}"),
        ("psychologist", "/reports/questionnaire/paper.pdf"),
        ("member", "/reports/questionnaire/people/{pid}"),
        ("admin", "/reports/questionnaire/people"),
        ("reception", "/reports/questionnaire/years"),
    ],
)
def test_other_roles_are_refused(client, login_as, build, role, url):
    login_as(role)
    person_id = build.person()
    assert client.get(url.format(pid=person_id)).status_code == 403
    assert client.post(url.format(pid=person_id), data=ONLINE).status_code in (403, 405)
    assert build.answers() == []
