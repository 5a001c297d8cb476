"""Payments ledger: gapless receipt numbers (also under concurrent sales), reversals, totals."""

import threading
import time
from datetime import UTC, date, datetime

import pytest
from sqlalchemy import select

from ressourcerie.extensions import db as _db
from ressourcerie.members.models import Payment
from ressourcerie.members.services import payments as svc
from ressourcerie.security.models import Site
from tests.members.money_builders import first_site


def pay(amount=1200, method="cash", kind="session", when=None, site=None, person=None):
    return svc.record_payment(
        site=site or first_site(),
        person=person,
        kind=kind,
        label="Atelier yoga",
        amount_cents=amount,
        method=method,
        by=None,
        received_at=when,
    )


def test_numbers_are_per_site_and_year(db):
    other = Site(name="Antenne de Libourne")
    db.session.add(other)
    db.session.flush()
    a1 = pay(when=datetime(2026, 12, 31, 12, tzinfo=UTC))
    a2 = pay(when=datetime(2026, 12, 31, 13, tzinfo=UTC))
    b1 = pay(when=datetime(2026, 12, 31, 13, tzinfo=UTC), site=other)
    # 23:30 UTC on 31 December is already 2027 in Paris.
    a3 = pay(when=datetime(2026, 12, 31, 23, 30, tzinfo=UTC))
    assert [(p.receipt_year, p.receipt_number) for p in (a1, a2, b1, a3)] == [
        (2026, 1),
        (2026, 2),
        (2026, 1),
        (2027, 1),
    ]


def test_rolled_back_sale_gives_its_number_back(app, db):
    pay()
    db.session.commit()
    pay()
    db.session.rollback()
    assert pay().receipt_number == 2


def test_bad_payments_are_refused(db):
    with pytest.raises(svc.PaymentError):
        pay(amount=0)
    with pytest.raises(svc.PaymentError):
        pay(method="bitcoin")


def test_reversal_needs_reason_and_happens_once(db):
    payment = pay(amount=2900)
    with pytest.raises(svc.PaymentError):
        svc.reverse_payment(payment, reason="  ", by=None)
    reversal = svc.reverse_payment(payment, reason="Erreur de montant", by=None)
    assert reversal.amount_cents == -2900 and reversal.reverses_id == payment.id
    assert reversal.receipt_number == 2
    with pytest.raises(svc.PaymentError):
        svc.reverse_payment(payment, reason="encore", by=None)
    with pytest.raises(svc.PaymentError):
        svc.reverse_payment(reversal, reason="annuler l'annulation", by=None)
    assert db.session.scalar(select(Payment).where(Payment.id == payment.id)) is not None


def test_ledger_totals_by_method_count_reversals(db):
    today = date(2026, 6, 10)
    noon = datetime(2026, 6, 10, 10, tzinfo=UTC)
    pay(1200, "cash", when=noon)
    pay(600, "cash", when=noon)
    card = pay(2900, "card", kind="membership", when=noon)
    pay(450, "cheque", when=datetime(2026, 6, 9, 10, tzinfo=UTC))  # the day before
    svc.reverse_payment(card, reason="Doublon", by=None)
    # The reversal is dated now, outside the period: only the reversed mark shows.
    ledger = svc.ledger(first_site().id, today, today)
    assert ledger.totals_by_method["cash"] == 1800
    assert ledger.totals_by_method["card"] == 2900
    assert ledger.totals_by_method["cheque"] == 0
    assert ledger.total_cents == 4700
    assert card.id in ledger.reversed_ids
    assert len(ledger.lines) == 3
    only_cash = svc.ledger(first_site().id, today, today, method="cash")
    assert [line.amount_cents for line in only_cash.lines] == [600, 1200]
    memberships = svc.ledger(
        first_site().id, date(2026, 6, 1), date(2026, 6, 30), kind="membership"
    )
    assert memberships.total_cents == 2900


def test_concurrent_sales_get_numbers_without_gaps(app):
    """N sales in parallel, each in its own session and transaction: numbers 1..N."""
    workers = 8
    barrier = threading.Barrier(workers)
    numbers, errors = [], []

    def sell():
        try:
            with app.app_context():
                site = _db.session.execute(select(Site).order_by(Site.id)).scalars().first()
                barrier.wait(timeout=10)
                payment = pay(site=site)
                time.sleep(0.05)  # hold the number a while: the others must wait
                _db.session.commit()
                numbers.append(payment.receipt_number)
                _db.session.remove()
        except Exception as error:  # reported below, with the thread's failure
            errors.append(error)

    threads = [threading.Thread(target=sell) for _ in range(workers)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert not errors, errors
    assert sorted(numbers) == list(range(1, workers + 1))
    with app.app_context():
        stored = sorted(_db.session.scalars(select(Payment.receipt_number)))
        assert stored == list(range(1, workers + 1))
