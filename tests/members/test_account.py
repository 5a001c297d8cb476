"""Member sign-up with email confirmation, account claim, the member's own space."""

import re
from urllib.parse import urlsplit

from sqlalchemy import select

from ressourcerie.extensions import db as _db
from ressourcerie.members.models import Person
from ressourcerie.members.services import accounts
from ressourcerie.notifications.models import OutboxMessage
from ressourcerie.security.models import User

GOOD_PASSWORD = "une phrase de passe tranquille"


def signup_data(**overrides):
    data = {
        "first_name": "Camille",
        "last_name": "Roux",
        "email": "Camille.Roux@example.org",
        "password": GOOD_PASSWORD,
        "password_again": GOOD_PASSWORD,
        "consent": "y",
        "charter": "y",
        "newsletter": "y",
    }
    data.update(overrides)
    return data


def test_signup_requires_consent_and_charter_and_keeps_input(client):
    page = client.post("/members/signup", data=signup_data(consent="", charter=""))
    assert page.status_code == 200
    assert "Ce consentement est nécessaire" in page.text
    assert "La charte doit être acceptée" in page.text
    # The summary at the top names each field with its message (translatable messages too).
    summary = page.text.split('role="alert"', 1)[1].split("</div>", 1)[0]
    assert 'href="#charter"' in summary and "La charte doit être acceptée" in summary
    assert 'aria-invalid="true"' in page.text and 'aria-describedby="charter-errors"' in page.text
    assert 'value="Camille"' in page.text
    weak = client.post(
        "/members/signup", data=signup_data(password="password", password_again="password")
    )
    assert "au moins 12 caractères" in weak.text


def test_signup_confirm_then_login(app, client):
    response = client.post("/members/signup", data=signup_data())
    assert "Vérifiez votre messagerie" in response.text
    with app.app_context():
        user = _db.session.scalars(select(User)).one()
        assert user.email == "camille.roux@example.org" and not user.active
        person = _db.session.scalars(select(Person)).one()
        assert person.user_id == user.id and person.newsletter_opt_in
        assert person.consent_method == "online" and person.charter_accepted_on
        message = _db.session.scalars(select(OutboxMessage)).one()
        assert message.to_address == user.email
        link = re.search(r"http\S+/members/signup/confirm/\S+", message.body_text).group(0)
    login = client.post(
        "/login", data={"email": "camille.roux@example.org", "password": GOOD_PASSWORD}
    )
    assert "incorrect" in login.text  # not usable before confirmation
    confirmed = client.get(urlsplit(link).path)
    assert confirmed.status_code == 302 and confirmed.location.startswith("/login")
    login = client.post(
        "/login", data={"email": "camille.roux@example.org", "password": GOOD_PASSWORD}
    )
    assert login.status_code == 302
    assert client.get("/members/me").status_code == 200


def test_forged_confirmation_link(client):
    response = client.get("/members/signup/confirm/forged")
    assert response.status_code == 302


def test_signup_with_taken_email_tells_nothing_on_the_page(app, client, make_user):
    make_user("member", email="taken@example.org")
    page = client.post("/members/signup", data=signup_data(email="taken@example.org"))
    fresh = client.post("/members/signup", data=signup_data(email="new.one@example.org"))
    assert "déjà utilisée" not in page.text
    # The same page for a taken address and a new one; the holder is told by e-mail.
    assert page.status_code == fresh.status_code == 200

    def shown(response, email):  # the page without its per-request CSRF token
        return re.sub(r"<[^>]*csrf[^>]*>", "", response.text.replace(email, "X"))

    assert shown(page, "taken@example.org") == shown(fresh, "new.one@example.org")
    with app.app_context():
        from sqlalchemy import select

        from ressourcerie.extensions import db
        from ressourcerie.notifications.models import OutboxMessage

        kinds = dict(db.session.execute(select(OutboxMessage.to_address, OutboxMessage.kind)).all())
    assert kinds["taken@example.org"] == "account_exists"
    assert kinds["new.one@example.org"] == "account_confirmation"


def test_claim_code_printed_then_used(app, client, login_as, make_person):
    person_id = make_person(first_name="Yvette", last_name="Horner")
    login_as("reception")
    page = client.get(f"/members/people/{person_id}/account")
    assert "Créer un code à imprimer" in page.text
    pdf = client.post(f"/members/people/{person_id}/account", data={"print_code": "1"})
    assert pdf.mimetype == "application/pdf"
    with app.app_context():
        person = _db.session.get(Person, person_id)
        assert person.claim_code_hash and person.claim_code_expires_at
        code = accounts.new_claim_code(person, by=None)  # a new code replaces the old one
        _db.session.commit()
    visitor = app.test_client()
    wrong = visitor.post(
        "/members/claim",
        data={
            "code": "AAAA-BBBB-CCCC",
            "email": "yvette@example.org",
            "password": GOOD_PASSWORD,
            "password_again": GOOD_PASSWORD,
        },
    )
    assert "pas valable" in wrong.text
    ok = visitor.post(
        "/members/claim",
        data={
            "code": code.lower(),
            "email": "yvette@example.org",
            "password": GOOD_PASSWORD,
            "password_again": GOOD_PASSWORD,
        },
    )
    assert ok.status_code == 302
    with app.app_context():
        person = _db.session.get(Person, person_id)
        assert person.user is not None and person.user.email == "yvette@example.org"
        assert person.email == "yvette@example.org" and person.claim_code_hash is None
    again = visitor.post(
        "/members/claim",
        data={
            "code": code,
            "email": "other@example.org",
            "password": GOOD_PASSWORD,
            "password_again": GOOD_PASSWORD,
        },
    )
    assert "pas valable" in again.text  # one use only


def test_claim_link_by_email(app, client, login_as, make_person):
    person_id = make_person(email="marc@example.org")
    login_as("reception")
    response = client.post(f"/members/people/{person_id}/account", data={"send_email": "1"})
    assert response.status_code == 302
    with app.app_context():
        message = _db.session.scalars(select(OutboxMessage)).one()
        assert message.to_address == "marc@example.org"
        assert "/members/claim?code=" in message.body_text


def test_member_edits_profile_and_contact_choices(app, client, login_as):
    user = login_as("member")
    with app.app_context():
        person = Person(user_id=user.id)
        person.set_identity("Ana", "Lopez")
        _db.session.add(person)
        _db.session.commit()
        person_id = person.id
    page = client.get("/members/me")
    assert 'value="Ana"' in page.text
    assert "Pas d'adhésion" in page.text and "se prend ou se renouvelle à l'accueil" in page.text
    bad = client.post(
        "/members/me", data={"first_name": "Ana", "postcode": "12", "preferred_contact": "sms"}
    )
    assert "5 chiffres" in bad.text
    saved = client.post(
        "/members/me",
        data={
            "first_name": "Ana",
            "last_name": "López",
            "phone": "0600000001",
            "postcode": "33400",
            "commune": "Talence",
            "preferred_contact": "sms",
            "newsletter_opt_in": "y",
        },
    )
    assert saved.status_code == 302
    with app.app_context():
        person = _db.session.get(Person, person_id)
        assert person.search_last_name == "lopez" and person.phone_digits == "0600000001"
        assert person.preferred_contact == "sms" and person.newsletter_opt_in
