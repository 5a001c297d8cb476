"""Browser journey: a receptionist sells a membership at the desk and gets the receipt."""

import re
from pathlib import Path

import pytest

from ressourcerie.extensions import db
from tests.members.money_builders import new_person

pytestmark = [
    pytest.mark.e2e,
    # The browser fixtures (live_server, page, sign_in) come with tests/e2e/conftest.py.
    pytest.mark.skipif(
        not (Path(__file__).parent / "conftest.py").exists(),
        reason="tests/e2e/conftest.py (browser fixtures) is not there yet",
    ),
]


def test_receptionist_sells_a_membership_and_downloads_the_receipt(
    app, live_server, page, sign_in, make_user
):
    receptionist = make_user("reception")
    with app.app_context():
        person = new_person("Josiane", "Lefèvre", birth_year=1957)
        db.session.commit()
        person_id = person.id

    sign_in(page, receptionist)
    page.goto(f"{live_server.url}/members/people/{person_id}/membership")
    page.get_by_role("heading", name=re.compile("Adhésion : Josiane Lefèvre")).wait_for()
    assert "29,00" in page.content()

    # Forgetting the charter is explained, and nothing is cashed.
    page.get_by_label("Moyen de paiement").select_option("card")
    page.get_by_role("button", name="Encaisser l'adhésion").click()
    page.get_by_text("La charte doit être acceptée").wait_for()

    page.get_by_label("Charte acceptée aujourd'hui").check()
    page.get_by_label("Moyen de paiement").select_option("card")
    page.get_by_role("button", name="Encaisser l'adhésion").click()
    page.get_by_text("Adhésion enregistrée").wait_for()
    assert page.get_by_text("Adhésion active").first.is_visible()

    link = page.get_by_role("link", name=re.compile(r"Reçu n° .* \(PDF\)"))
    href = link.get_attribute("href")
    response = page.request.get(f"{live_server.url}{href}")
    assert response.status == 200
    assert response.headers["content-type"] == "application/pdf"
    assert response.body().startswith(b"%PDF")

    # The day's cash shows the sale under card.
    page.goto(f"{live_server.url}/members/payments")
    page.get_by_role("heading", name=re.compile("Caisse")).wait_for()
    row = page.get_by_role("row", name=re.compile("Carte bancaire"))
    assert "29,00" in row.first.inner_text()
