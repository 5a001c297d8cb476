"""Membership sale, payments, reversal, receipt and ledger through the web pages."""

import shutil
import subprocess
from datetime import date

from sqlalchemy import event, func, select

from ressourcerie.extensions import db as _db
from ressourcerie.members.models import Membership, Payment, Person
from ressourcerie.members.services.payments import record_payment
from ressourcerie.security.models import Site
from tests.members.money_builders import first_site, new_person


def make_person(app, **fields):
    with app.app_context():
        person = new_person(**fields)
        _db.session.commit()
        return person.id


def test_sell_membership_asks_for_the_charter(app, client, login_as):
    login_as("reception")
    person_id = make_person(app)
    page = client.get(f"/members/people/{person_id}/membership")
    assert page.status_code == 200
    assert "Charte acceptée aujourd" in page.text and "charter_accepted_today" in page.text
    assert "29,00" in page.text
    refused = client.post(f"/members/people/{person_id}/membership", data={"method": "cash"})
    assert refused.status_code == 200
    assert "La charte doit être acceptée" in refused.text
    sold = client.post(
        f"/members/people/{person_id}/membership",
        data={"method": "cheque", "charter_accepted_today": "y"},
        follow_redirects=True,
    )
    assert sold.status_code == 200
    assert "Adhésion enregistrée" in sold.text
    assert "Adhésion active" in sold.text
    with app.app_context():
        person = _db.session.get(Person, person_id)
        assert person.charter_accepted_on is not None
        membership = _db.session.scalars(select(Membership)).one()
        assert membership.payment.method == "cheque"
        assert membership.payment.received_by_id is not None
        payment_id = membership.payment_id
    receipt = client.get(f"/members/payments/{payment_id}/receipt.pdf")
    assert receipt.status_code == 200
    assert receipt.mimetype == "application/pdf"
    assert receipt.data.startswith(b"%PDF")
    # Right after the sale the page offers the receipt, not a second sale: a second click
    # sells nothing, a renewal a year ahead takes the deliberate "in advance" link.
    assert f"/members/payments/{payment_id}/receipt.pdf" in sold.text
    assert "Renouveler quand même par avance" in sold.text
    again = client.post(
        f"/members/people/{person_id}/membership", data={"method": "cash"}, follow_redirects=True
    )
    assert "rien n&#39;a été encaissé" in again.text
    advance = client.post(
        f"/members/people/{person_id}/membership?early=1", data={"method": "cash"}
    )
    assert advance.status_code == 302
    with app.app_context():
        assert _db.session.scalar(select(func.count()).select_from(Membership)) == 2


def test_record_payment_with_french_amount(app, client, login_as):
    login_as("coordinator")
    person_id = make_person(app)
    bad = client.post(
        f"/members/people/{person_id}/payments/new",
        data={"kind": "session", "label": "Atelier", "amount": "douze", "method": "cash"},
    )
    assert "Montant invalide" in bad.text
    assert 'value="Atelier"' in bad.text  # what was typed is kept
    done = client.post(
        f"/members/people/{person_id}/payments/new",
        data={
            "kind": "session",
            "label": "Atelier",
            "amount": "12,50",
            "method": "holiday_voucher",
            "site_id": "1",
        },
        follow_redirects=True,
    )
    assert "Paiement enregistré" in done.text
    assert "12,50" in done.text
    with app.app_context():
        payment = _db.session.scalars(select(Payment)).one()
        assert payment.amount_cents == 1250 and payment.method == "holiday_voucher"


def test_reverse_from_the_ledger(app, client, login_as, tmp_path):
    login_as("reception")
    with app.app_context():
        payment = record_payment(
            site=first_site(),
            person=new_person(),
            kind="other",
            label="Tote bag",
            amount_cents=800,
            method="cash",
            by=None,
        )
        _db.session.commit()
        payment_id = payment.id
    ledger = client.get("/members/payments")
    assert f"/members/payments/{payment_id}/reverse" in ledger.text
    assert "8,00" in ledger.text
    missing = client.post(f"/members/payments/{payment_id}/reverse", data={"reason": ""})
    assert missing.status_code == 200
    done = client.post(
        f"/members/payments/{payment_id}/reverse",
        data={"reason": "Erreur de saisie"},
        follow_redirects=True,
    )
    assert "Paiement annulé" in done.text
    assert "Erreur de saisie" in done.text
    assert f"/members/payments/{payment_id}/reverse" not in done.text
    with app.app_context():
        assert _db.session.scalar(select(func.sum(Payment.amount_cents))) == 0
        reversal_id = _db.session.scalar(
            select(Payment.id).where(Payment.reverses_id == payment_id)
        )
    page = client.get(f"/members/payments/{payment_id}/reverse")
    assert "Autre" in page.text and ">other<" not in page.text  # the kind's label, not its code
    if shutil.which("pdftotext"):
        original = _pdf_text(
            client.get(f"/members/payments/{payment_id}/receipt.pdf").data, tmp_path
        )
        assert "Paiement annulé" in original and "Erreur de saisie" in original
        credit = _pdf_text(
            client.get(f"/members/payments/{reversal_id}/receipt.pdf").data, tmp_path
        )
        assert "Avoir" in credit and "Merci de votre soutien" not in credit


def _pdf_text(data: bytes, tmp_path) -> str:
    path = tmp_path / "receipt.pdf"
    path.write_bytes(data)
    text = subprocess.run(
        ["pdftotext", str(path), "-"], check=True, capture_output=True, text=True
    ).stdout
    return " ".join(text.split())


def test_other_site_payments_are_hidden(app, client, login_as):
    with app.app_context():
        other = Site(name="Antenne")
        _db.session.add(other)
        _db.session.flush()
        payment = record_payment(
            site=other,
            person=None,
            kind="other",
            label="x",
            amount_cents=100,
            method="cash",
            by=None,
        )
        _db.session.commit()
        payment_id, other_id = payment.id, other.id
    login_as("reception")
    assert client.get(f"/members/payments/{payment_id}/receipt.pdf").status_code == 404
    assert client.get(f"/members/payments/{payment_id}/reverse").status_code == 404
    assert client.get(f"/members/payments?site_id={other_id}").status_code == 403


def test_ledger_query_count_does_not_grow(app, client, login_as):
    login_as("reception")

    def add(n):
        with app.app_context():
            site = first_site()
            for i in range(n):
                record_payment(
                    site=site,
                    person=new_person(f"P{i}", "Test"),
                    kind="session",
                    label="Atelier",
                    amount_cents=100 + i,
                    method="cash",
                    by=None,
                )
            _db.session.commit()

    def count_queries():
        counter = {"n": 0}

        def on_execute(*args, **kwargs):
            counter["n"] += 1

        with app.app_context():
            engine = _db.engine
        event.listen(engine, "before_cursor_execute", on_execute)
        try:
            response = client.get("/members/payments")
        finally:
            event.remove(engine, "before_cursor_execute", on_execute)
        assert response.status_code == 200
        return counter["n"]

    add(1)
    one = count_queries()
    add(49)
    fifty = count_queries()
    assert fifty == one
    assert date.today()  # the page is about today's lines
