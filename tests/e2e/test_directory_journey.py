"""Browser journey: a visitor on a phone finds respite help for their commune and prints it."""

import re
import subprocess
from pathlib import Path

import pytest
from axe_playwright_python.sync_playwright import Axe

from ressourcerie.extensions import db
from tests.directory.builders import make_partner

pytestmark = [
    pytest.mark.e2e,
    pytest.mark.skipif(
        not (Path(__file__).parent / "conftest.py").exists(),
        reason="tests/e2e/conftest.py (browser fixtures) is not there yet",
    ),
]


def test_visitor_on_a_phone_finds_respite_help_and_prints_the_sheet(app, live_server, phone_page):
    with app.app_context():
        make_partner(
            "Plateforme de répit Rive Gauche",
            type="respite_platform",
            description="Une personne vient prendre le relais à la maison.",
            phone="05 56 11 22 33",
            address="4 rue du Moulin",
            commune="Villenave-d'Ornon",
            postcode="33140",
            communes=["Villenave-d'Ornon", "Bègles"],
            commit=False,
        )
        make_partner("Répit Gironde", type="association", departements=["33"], commit=False)
        make_partner(
            "Répit interne (équipe seulement)",
            communes=["Villenave-d'Ornon"],
            is_public=False,
            commit=False,
        )
        make_partner("Aide aux papiers", needs=["administrative_help"], departements=["33"])
        make_partner("Ailleurs", communes=["Libourne"])
        db.session.commit()

    page = phone_page
    page.goto(f"{live_server.url}/")
    page.get_by_role("button", name="Ouvrir le menu").click()
    page.get_by_role("link", name="Trouver de l'aide").click()
    page.get_by_role("heading", name=re.compile("Trouver de l'aide")).wait_for()

    page.get_by_label("De quoi avez-vous besoin ?").select_option(label="Répit")
    # Typed as people type it: no accent, no hyphen.
    page.get_by_label("Votre commune ou code postal").fill("villenave d ornon")
    page.get_by_role("button", name="Chercher").click()
    page.get_by_role("heading", name="2 adresses trouvées").wait_for()

    titles = page.locator("ol h3").all_inner_texts()
    assert titles == ["Plateforme de répit Rive Gauche", "Répit Gironde"]
    assert page.get_by_text("Intervient dans votre commune").is_visible()
    assert page.get_by_role("link", name="05 56 11 22 33").get_attribute("href") == (
        "tel:0556112233"
    )
    content = page.content()
    assert "Répit interne" not in content and "Aide aux papiers" not in content
    # Nothing overflows sideways on a phone.
    assert page.evaluate("document.documentElement.scrollWidth") <= 375

    page.get_by_label("Mettre sur la fiche").nth(1).uncheck()
    with page.expect_response(re.compile(r"/directory/aide/fiche\?")) as response_info:
        page.get_by_role("button", name="Imprimer la fiche").click()
    response = response_info.value
    assert response.status == 200
    assert response.headers["content-type"] == "application/pdf"
    # Chromium shows the PDF in its viewer; fetch the same URL to read the file itself.
    pdf = page.request.get(response.url).body()
    assert pdf.startswith(b"%PDF")
    info = subprocess.run(["pdftotext", "-", "-"], input=pdf, capture_output=True, check=True)
    text = info.stdout.decode()
    assert "Plateforme de répit Rive Gauche" in text
    assert "Répit Gironde" not in text
    assert "05 56 11 22 33" in text


def _serious_violations(page):
    results = Axe().run(page)
    return [
        (violation["id"], [node["target"] for node in violation["nodes"]][:3])
        for violation in results.response["violations"]
        if violation.get("impact") in {"serious", "critical"}
    ]


def test_directory_pages_have_no_serious_accessibility_violation(
    app, live_server, page, phone_page, sign_in, make_user
):
    with app.app_context():
        partner = make_partner(
            "Accueil de jour Les Tilleuls",
            type="day_care",
            communes=["Cenon"],
            phone="05 56 00 11 22",
            description="Votre proche est accueilli à la journée.",
        )
        make_partner("Interne", communes=["Cenon"], is_public=False, last_verified_on=None)
        partner_id = partner.id

    phone_page.goto(f"{live_server.url}/directory/aide?need=respite&place=Cenon")
    assert not _serious_violations(phone_page)

    sign_in(page, make_user("reception"))
    for path in (
        "/directory/",
        "/directory/a-verifier",
        "/directory/new",
        f"/directory/{partner_id}",
        f"/directory/{partner_id}/edit",
        "/directory/import",
    ):
        response = page.goto(f"{live_server.url}{path}")
        assert response.status == 200, path
        assert not _serious_violations(page), path
