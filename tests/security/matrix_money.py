"""Route × role matrix: memberships, payments, newsletter, import, settings, outbox sending."""

from tests.security.matrix import RECEPTION, Route

ROUTES = {
    "members.sell_membership": Route(
        "GET", "/members/people/{money_person_id}/membership", RECEPTION
    ),
    "members.new_payment": Route(
        "GET", "/members/people/{money_person_id}/payments/new", RECEPTION
    ),
    "members.ledger": Route("GET", "/members/payments", RECEPTION),
    "members.payment_show": Route("GET", "/members/payments/{money_payment_id}", RECEPTION),
    "members.reverse_payment": Route(
        "GET", "/members/payments/{money_payment_id}/reverse", RECEPTION
    ),
    "members.receipt": Route("GET", "/members/payments/{money_payment_id}/receipt.pdf", RECEPTION),
    "members.newsletter_index": Route("GET", "/members/newsletter", RECEPTION),
    "members.newsletter_new": Route("GET", "/members/newsletter/new", RECEPTION),
    "members.newsletter_edit": Route(
        "GET", "/members/newsletter/{money_newsletter_id}/edit", RECEPTION
    ),
    "members.newsletter_show": Route("GET", "/members/newsletter/{money_newsletter_id}", RECEPTION),
    "members.newsletter_send": Route(
        "POST", "/members/newsletter/{money_newsletter_id}/send", RECEPTION, ok=302
    ),
    "members.newsletter_export": Route("GET", "/members/newsletter/subscribers.csv", RECEPTION),
    # Public: the signed token is the key; a forged one finds nothing.
    "members.newsletter_unsubscribe": Route(
        "GET", "/members/newsletter/unsubscribe/not-a-token", "public", ok=404
    ),
    "members.import_upload": Route("GET", "/members/import", RECEPTION),
    # An unknown token sends back to the upload page.
    "members.import_review": Route(
        "GET", "/members/import/aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa", RECEPTION, ok=302
    ),
    "members.import_run": Route(
        "POST", "/members/import/aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa", RECEPTION, ok=400
    ),
    "settings.index": Route("GET", "/settings/", {"coordinator"}),
    # An empty form is shown again with its errors.
    "settings.change": Route("POST", "/settings/membership.fee", {"coordinator"}, ok=422),
    "outbox.retry": Route("POST", "/admin/outbox/{money_message_id}/retry", {"admin"}, ok=302),
}


def url_values(app, make_user):
    from ressourcerie.extensions import db
    from ressourcerie.members.models import Person
    from ressourcerie.members.services.payments import record_payment
    from ressourcerie.notifications.models import Newsletter
    from ressourcerie.notifications.services import queue_email
    from ressourcerie.security.models import Site

    with app.test_request_context():
        site = db.session.query(Site).order_by(Site.id).first()
        person = Person(site_id=site.id)
        person.set_identity("Matrice", "Argent")
        db.session.add(person)
        db.session.flush()
        payment = record_payment(
            site=site,
            person=person,
            kind="other",
            label="Test",
            amount_cents=500,
            method="cash",
            by=None,
        )
        newsletter = Newsletter(site_id=site.id, subject="Lettre", body_markdown="Bonjour")
        db.session.add(newsletter)
        message = queue_email(
            kind="test",
            to="x@example.org",
            subject="Test",
            template="newsletter",
            newsletter=newsletter,
            unsubscribe_link="http://x",
        )
        message.status = "failed"
        db.session.commit()
        return {
            "money_person_id": person.id,
            "money_payment_id": payment.id,
            "money_newsletter_id": newsletter.id,
            "money_message_id": message.id,
        }
