"""Browser journey: from a referral to a shared case, with a private note kept private."""

import re
import time

import pytest

from ressourcerie.extensions import db
from tests.casework.builders import make_partner, make_person, make_referral

pytestmark = pytest.mark.e2e


def test_referral_to_case_with_team_and_private_notes(app, live_server, page, sign_in, make_user):
    social = make_user("social_worker")
    psy = make_user("psychologist")
    coordinator = make_user("coordinator")
    with app.app_context():
        make_partner("Plateforme de répit Gironde")
        referral = make_referral(make_person("Odile", "Marchand"))
        db.session.commit()
        referral_id = referral.id

    # The social worker (with two-factor login) takes the referral from the queue.
    sign_in(page, social)
    page.goto(f"{live_server.url}/casework/referrals")
    page.get_by_text("Odile Marchand").wait_for()
    page.get_by_role("link", name="Prendre en charge").click()
    page.get_by_label("Écrit", exact=True).check()
    page.get_by_label("Oui", exact=True).check()
    page.get_by_role("button", name="Ouvrir le dossier").click()
    page.get_by_role("heading", name=re.compile("Dossier : Odile Marchand")).wait_for()
    case_url = page.url
    assert "Partage entre professions : oui" in page.content()

    # She records an interview for the whole team…
    page.get_by_role("link", name="Nouvel entretien ou action").click()
    page.get_by_label("Note", exact=True).fill("Premier entretien : épuisement, demande de répit.")
    page.get_by_label("Durée (minutes)").fill("45")
    page.get_by_role("button", name="Enregistrer la note").click()
    page.get_by_text("Note enregistrée").wait_for()

    # …and an orientation to a partner.
    page.get_by_role("link", name="Nouvelle orientation").click()
    page.get_by_label("Partenaire").select_option(label="Plateforme de répit Gironde")
    page.get_by_label("Besoin").select_option("respite")
    page.get_by_role("button", name="Enregistrer l'orientation").click()
    page.get_by_text("Orientation enregistrée").wait_for()
    assert page.get_by_role("cell", name="Plateforme de répit Gironde").is_visible()
    page.context.clear_cookies()

    # The psychologist reads the team note and writes a private working note.
    sign_in(page, psy)
    page.goto(case_url)
    page.get_by_text("Premier entretien : épuisement").wait_for()
    page.get_by_role("link", name="Nouvel entretien ou action").click()
    page.get_by_label("Privée (moi seul·e)").check()
    page.get_by_label("Note", exact=True).fill("Hypothèse de travail : deuil anticipé.")
    page.get_by_label("Durée (minutes)").fill("10")
    page.get_by_role("button", name="Enregistrer la note").click()
    page.get_by_text("Hypothèse de travail").wait_for()
    page.context.clear_cookies()

    # The social worker does not see it (signing in again waits for a fresh two-factor code).
    time.sleep(31 - time.time() % 30)
    sign_in(page, social)
    page.goto(case_url)
    page.get_by_text("Premier entretien : épuisement").wait_for()
    assert "Hypothèse de travail" not in page.content()
    page.context.clear_cookies()

    # A coordinator is refused.
    sign_in(page, coordinator)
    response = page.goto(case_url)
    assert response.status == 403
    assert "Odile" not in page.content()
    assert referral_id
