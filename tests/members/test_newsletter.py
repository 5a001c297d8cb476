"""Newsletter: safe Markdown, sending to opted-in people, signed unsubscribe, CSV export."""

import json

from sqlalchemy import select

from ressourcerie.extensions import db as _db
from ressourcerie.members.models import Person
from ressourcerie.members.services import newsletter as svc
from ressourcerie.notifications.models import Newsletter, OutboxMessage
from tests.members.money_builders import first_site, new_person


def test_markdown_is_rendered_safely():
    html = svc.render_markdown(
        "# Titre\n\n**gras** <script>alert(1)</script> [x](javascript:alert(1)) "
        "[ok](https://example.org) <img src=x onerror=alert(1)>"
    )
    assert "<h1>Titre</h1>" in html and "<strong>gras</strong>" in html
    assert "<script" not in html and "<img" not in html
    assert "javascript:" not in html.replace("[x](javascript:alert(1))", "")
    assert 'href="https://example.org"' in html


def people(app):
    with app.app_context():
        site = first_site()
        a = new_person("Alice", "Abonnée", email="alice@example.org", newsletter_opt_in=True)
        new_person("Bob", "SansMail", newsletter_opt_in=True)
        new_person("Carla", "Refus", email="carla@example.org", newsletter_opt_in=False)
        new_person(
            "Dan", "=HYPERLINK(1)", email="dan@example.org", newsletter_opt_in=True, site_id=site.id
        )
        _db.session.commit()
        return a.id


def test_compose_preview_send_once(app, client, login_as):
    alice_id = people(app)
    login_as("reception")
    page = client.get("/members/newsletter")
    assert "2 adresses e-mail inscrites" in page.text
    created = client.post(
        "/members/newsletter/new",
        data={"subject": "Programme de mars", "body": "Bonjour,\n\n**Yoga** <b>html</b>"},
    )
    assert created.status_code == 302
    preview = client.get(created.location)
    assert "<strong>Yoga</strong>" in preview.text
    assert "&lt;b&gt;html&lt;/b&gt;" in preview.text
    assert "Envoyer à 2 adresses" in preview.text
    with app.app_context():
        newsletter_id = _db.session.scalars(select(Newsletter.id)).one()
    unconfirmed = client.post(f"/members/newsletter/{newsletter_id}/send", follow_redirects=True)
    assert "Cochez la case de confirmation" in unconfirmed.text
    sent = client.post(
        f"/members/newsletter/{newsletter_id}/send", data={"confirm": "y"}, follow_redirects=True
    )
    assert "Lettre envoyée à 2 adresses" in sent.text
    again = client.post(
        f"/members/newsletter/{newsletter_id}/send", data={"confirm": "y"}, follow_redirects=True
    )
    assert "déjà été envoyée" in again.text
    assert client.get(f"/members/newsletter/{newsletter_id}/edit").status_code == 302
    with app.app_context():
        messages = list(
            _db.session.scalars(select(OutboxMessage).order_by(OutboxMessage.to_address))
        )
        assert [m.to_address for m in messages] == ["alice@example.org", "dan@example.org"]
        alice_message = messages[0]
        assert alice_message.kind == "newsletter"
        assert "<strong>Yoga</strong>" in alice_message.body_html
        headers = json.loads(alice_message.headers_json)
        link = headers["List-Unsubscribe"].strip("<>")
        assert link in alice_message.body_text
        assert headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
        token = link.rsplit("/", 1)[1]
        assert svc.person_from_token(token).id == alice_id

    # The signed link: GET only asks, POST unsubscribes, without being signed in.
    visitor = app.test_client()
    confirm = visitor.get(f"/members/newsletter/unsubscribe/{token}")
    assert confirm.status_code == 200 and "Me désabonner" in confirm.text
    with app.app_context():
        assert _db.session.get(Person, alice_id).newsletter_opt_in is True
    done = visitor.post(f"/members/newsletter/unsubscribe/{token}")
    assert "vous ne recevrez plus" in done.text
    with app.app_context():
        assert _db.session.get(Person, alice_id).newsletter_opt_in is False
    forged = visitor.get(f"/members/newsletter/unsubscribe/{token[:-2]}xx")
    assert forged.status_code == 404


def test_csv_export_for_excel(app, client, login_as):
    people(app)
    login_as("reception")
    response = client.get("/members/newsletter/subscribers.csv")
    assert response.status_code == 200
    assert response.data.startswith("\ufeff".encode())
    text = response.data.decode("utf-8-sig")
    lines = text.strip().split("\r\n")
    assert lines[0] == "prénom;nom;email;commune;code postal"
    assert sorted(lines[1:]) == [
        "Alice;Abonnée;alice@example.org;;",
        "Dan;'=HYPERLINK(1);dan@example.org;;",
    ]


def test_draft_validation_keeps_what_was_typed(app, client, login_as):
    login_as("coordinator")
    response = client.post("/members/newsletter/new", data={"subject": "", "body": "Mon texte"})
    assert response.status_code == 200
    assert "Mon texte" in response.text


def test_members_cannot_compose(app, client, login_as):
    login_as("member")
    assert client.get("/members/newsletter/new").status_code == 403


def test_nothing_is_sent_without_recipients(app, client, login_as):
    login_as("reception")
    with app.app_context():
        newsletter = Newsletter(site_id=first_site().id, subject="S", body_markdown="B")
        _db.session.add(newsletter)
        _db.session.commit()
        newsletter_id = newsletter.id
    response = client.post(
        f"/members/newsletter/{newsletter_id}/send", data={"confirm": "y"}, follow_redirects=True
    )
    assert "rien n&#39;a été envoyé" in response.text
    with app.app_context():
        assert _db.session.get(Newsletter, newsletter_id).sent_at is None


def test_one_letter_per_address_and_unsubscribing_covers_every_record(app, client, login_as):
    with app.app_context():
        first = new_person("Alice", "Une", email="alice@example.org", newsletter_opt_in=True)
        new_person("Alice", "Doublon", email="alice@example.org", newsletter_opt_in=True)
        _db.session.commit()
        first_id = first.id
    login_as("reception")
    assert "1 adresse e-mail inscrite" in client.get("/members/newsletter").text
    with app.test_request_context():
        newsletter = svc.save_draft(
            None, site_id=first_site().id, subject="Lettre", body="Bonjour", by=None
        )
        assert svc.send(newsletter, by=None) == 1
        token = svc.unsubscribe_token(_db.session.get(Person, first_id))
        _db.session.commit()
    visitor = app.test_client()
    visitor.post(f"/members/newsletter/unsubscribe/{token}")
    with app.app_context():
        subscribed = _db.session.scalars(
            select(Person).where(Person.newsletter_opt_in.is_(True))
        ).all()
        assert subscribed == []
    again = visitor.get(f"/members/newsletter/unsubscribe/{token}")
    assert "déjà désabonné" in again.text
