"""Browser journey: a receptionist records the walk-in of a known person with the keyboard
only, then creates the record of a newcomer."""

import re
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from sqlalchemy import select

from ressourcerie.extensions import db
from ressourcerie.members.models import Person, Visit
from ressourcerie.notifications.models import OutboxMessage
from tests.members.conftest import make_person  # noqa: F401 - the builder fixture

pytestmark = pytest.mark.e2e


def _focus_button(page, name: str, tries: int = 8) -> None:
    for _ in range(tries):
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement && document.activeElement.value") == name:
            return
    raise AssertionError(f"button {name!r} not reachable with Tab")


def test_walk_in_by_keyboard_then_new_person(
    app,
    live_server,
    page,
    sign_in,
    make_user,
    make_person,  # noqa: F811 - fixture
):
    receptionist = make_user("reception")
    person_id = make_person(first_name="Mireille", last_name="Darrieussecq", phone="0611223344")
    make_person(first_name="Marc", last_name="Darras")

    sign_in(page, receptionist)
    page.goto(f"{live_server.url}/members/desk")
    search = page.get_by_role("combobox", name="Nom ou téléphone")
    assert search.evaluate("el => el === document.activeElement")  # ready to type
    page.keyboard.type("darr")
    listbox = page.get_by_role("listbox")
    listbox.wait_for()
    assert search.get_attribute("aria-expanded") == "true"
    options = listbox.get_by_role("option")
    assert options.count() == 2
    page.keyboard.press("ArrowDown")
    page.keyboard.press("ArrowUp")
    page.keyboard.press("ArrowDown")  # back on the second: Mireille Darrieussecq (sorted by name)
    active = page.locator("[role=option][aria-selected=true]")
    assert "Mireille" in active.inner_text()
    assert search.get_attribute("aria-activedescendant") == active.get_attribute("id")
    page.keyboard.press("Enter")
    page.get_by_role("radio", name=re.compile("Mireille Darrieussecq")).wait_for()
    assert page.get_by_role("radio", name=re.compile("Mireille Darrieussecq")).is_checked()
    # Focus moved to the purpose; choose "Information" with the arrows, tick "caregiver".
    page.keyboard.press("ArrowDown")
    page.keyboard.press("Tab")
    page.keyboard.press("Space")
    _focus_button(page, "Enregistrer la venue")
    page.keyboard.press("Enter")
    page.get_by_text("Venue enregistrée : Mireille Darrieussecq").wait_for()
    page.get_by_role("heading", name=re.compile("Aujourd'hui : 1 venue")).wait_for()
    with app.app_context():
        visit = db.session.scalars(select(Visit)).one()
        assert visit.person_id == person_id
        assert visit.purpose == "information" and visit.as_caregiver

    # A newcomer: create the record from the desk.
    page.get_by_role("link", name="Nouvelle personne : créer sa fiche").click()
    page.get_by_label("Prénom").fill("Odette")
    page.get_by_label("Code postal").fill("331")
    page.get_by_role("button", name="Enregistrer").click()
    page.locator(".invalid-feedback", has_text="Le code postal compte 5 chiffres").wait_for()
    assert page.get_by_label("Prénom").input_value() == "Odette"  # kept after the error
    page.get_by_label("Code postal").fill("33130")
    page.get_by_label("Commune").fill("Bègles")
    page.get_by_role("button", name="Enregistrer").click()
    # Back at the desk with Odette chosen: her first visit takes one more click.
    page.get_by_text("Fiche créée : Odette.").wait_for()
    assert page.get_by_role("radio", name=re.compile("Odette")).is_checked()
    page.get_by_role("button", name="Enregistrer la venue").click()
    page.get_by_text("Venue enregistrée : Odette").wait_for()
    with app.app_context():
        odette = db.session.scalars(select(Person).where(Person.first_name == "Odette")).one()
        assert odette.postcode == "33130"
        assert db.session.scalars(select(Visit.person_id).order_by(Visit.id)).all()[-1] == odette.id


def test_visitor_signs_up_from_a_phone_then_downloads_their_data(app, live_server, phone_page):
    page = phone_page
    page.goto(f"{live_server.url}/members/signup")
    page.get_by_label("Prénom").fill("Louise")
    page.get_by_label("Adresse e-mail").fill("louise@example.org")
    page.get_by_label("Mot de passe", exact=True).fill("trois pommes vertes au marché")
    page.get_by_label("Mot de passe, une seconde fois").fill("trois pommes vertes au marché")
    page.get_by_role("button", name="Créer mon compte").click()
    page.locator(".invalid-feedback", has_text="La charte doit être acceptée").wait_for()
    assert page.get_by_label("Prénom").input_value() == "Louise"
    page.get_by_label("Mot de passe", exact=True).fill("trois pommes vertes au marché")
    page.get_by_label("Mot de passe, une seconde fois").fill("trois pommes vertes au marché")
    page.get_by_label(re.compile("J'accepte que la Ressourcerie")).check()
    page.get_by_label(re.compile("accepte la charte")).check()
    page.get_by_role("button", name="Créer mon compte").click()
    page.get_by_role("heading", name="Vérifiez votre messagerie").wait_for()
    assert page.evaluate("document.documentElement.scrollWidth") <= 375  # no sideways scroll

    with app.app_context():
        body = db.session.scalars(select(OutboxMessage)).one().body_text
    link = re.search(r"http\S+/members/signup/confirm/\S+", body).group(0)
    page.goto(live_server.url + urlsplit(link).path)
    page.get_by_text("Adresse confirmée").wait_for()
    page.get_by_label("Adresse e-mail").fill("louise@example.org")
    page.get_by_label("Mot de passe").fill("trois pommes vertes au marché")
    page.get_by_role("button", name="Se connecter").click()
    page.wait_for_load_state()
    page.goto(f"{live_server.url}/members/me")
    with page.expect_download() as download_info:
        page.get_by_role("link", name="Document lisible (PDF)").click()
    download = download_info.value
    assert download.suggested_filename == "mes-donnees.pdf"
    assert Path(download.path()).read_bytes().startswith(b"%PDF")
