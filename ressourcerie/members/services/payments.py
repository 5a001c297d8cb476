"""The payments ledger: gapless receipt numbers per site and year, reversals only."""

from datetime import datetime

from sqlalchemy import select, update
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert

from ressourcerie.columns import local_date, utcnow
from ressourcerie.extensions import db
from ressourcerie.members.models import Payment, PaymentKind, PaymentMethod, Person, ReceiptCounter
from ressourcerie.security.models import Site, User


class PaymentError(Exception):
    """A payment that cannot be recorded; the message is shown to staff."""


def next_receipt_number(site_id: int, year: int) -> int:
    """Take the next number of the site's year in the current transaction.

    The counter row is created if missing, then incremented by one UPDATE, which
    holds its row lock until commit: concurrent sales wait, and a rolled back sale
    gives its number back, so the sequence has no gaps.
    """
    dialect = db.session.get_bind().dialect.name
    insert = pg_insert if dialect == "postgresql" else sqlite_insert
    db.session.execute(
        insert(ReceiptCounter)
        .values(site_id=site_id, year=year, last_number=0)
        .on_conflict_do_nothing(index_elements=["site_id", "year"])
    )
    return db.session.execute(
        update(ReceiptCounter)
        .where(ReceiptCounter.site_id == site_id, ReceiptCounter.year == year)
        .values(last_number=ReceiptCounter.last_number + 1)
        .returning(ReceiptCounter.last_number)
    ).scalar_one()


def record_payment(
    *,
    site: Site,
    person: Person | None,
    kind: PaymentKind | str,
    label: str,
    amount_cents: int,
    method: PaymentMethod | str,
    by: User | None,
    received_at: datetime | None = None,
) -> Payment:
    """Add a line to the ledger with the next receipt number of the site and year."""
    if amount_cents <= 0:
        raise PaymentError("amount must be positive")
    PaymentMethod(method)  # ValueError on an unknown method
    received_at = received_at or utcnow()
    year = local_date(received_at).year
    payment = Payment(
        site_id=site.id,
        person_id=person.id if person else None,
        kind=PaymentKind(kind),
        label=label,
        amount_cents=amount_cents,
        method=PaymentMethod(method),
        received_by_id=by.id if by else None,
        received_at=received_at,
        receipt_year=year,
        receipt_number=next_receipt_number(site.id, year),
    )
    db.session.add(payment)
    db.session.flush()
    return payment


def reverse_payment(payment: Payment, *, reason: str, by: User | None) -> Payment:
    """Cancel a line by a reversing line (negative amount) that states why."""
    reason = (reason or "").strip()
    if not reason:
        raise PaymentError("a reversal needs a reason")
    if payment.reverses_id is not None or payment.amount_cents < 0:
        raise PaymentError("a reversing line cannot be reversed")
    already = db.session.execute(
        select(Payment.id).where(Payment.reverses_id == payment.id)
    ).scalar_one_or_none()
    if already is not None:
        raise PaymentError("this payment is already reversed")
    now = utcnow()
    reversal = Payment(
        site_id=payment.site_id,
        person_id=payment.person_id,
        kind=payment.kind,
        label=payment.label,
        amount_cents=-payment.amount_cents,
        method=payment.method,
        received_by_id=by.id if by else None,
        received_at=now,
        receipt_year=local_date(now).year,
        receipt_number=next_receipt_number(payment.site_id, local_date(now).year),
        reverses_id=payment.id,
        reason=reason,
    )
    db.session.add(reversal)
    db.session.flush()
    return reversal
