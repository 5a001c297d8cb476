"""The payments ledger: gapless receipt numbers per site and year, reversals only."""

from dataclasses import dataclass
from datetime import date, datetime

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import func, select
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.orm import joinedload

from ressourcerie.columns import local_date, local_day_bounds, utcnow
from ressourcerie.extensions import db
from ressourcerie.members.models import Payment, PaymentKind, PaymentMethod, Person, ReceiptCounter
from ressourcerie.security.models import Site, User

METHOD_LABELS = {
    PaymentMethod.CASH: _l("Espèces"),
    PaymentMethod.CARD: _l("Carte bancaire"),
    PaymentMethod.CHEQUE: _l("Chèque"),
    PaymentMethod.TRANSFER: _l("Virement"),
    PaymentMethod.HOLIDAY_VOUCHER: _l("Chèque-vacances"),
}
KIND_LABELS = {
    PaymentKind.MEMBERSHIP: _l("Adhésion"),
    PaymentKind.SESSION: _l("Atelier"),
    PaymentKind.OTHER: _l("Autre"),
}


class PaymentError(Exception):
    """A payment that cannot be recorded; the message is shown to staff."""


def next_receipt_number(site_id: int, year: int) -> int:
    """Take the next number of the site's year in the current transaction.

    One upsert creates the counter row at 1 or increments it, and holds its row lock
    until commit: concurrent sales wait, and a rolled back sale gives its number back,
    so the sequence has no gaps.
    """
    dialect = db.session.get_bind().dialect.name
    insert = pg_insert if dialect == "postgresql" else sqlite_insert
    return db.session.execute(
        insert(ReceiptCounter)
        .values(site_id=site_id, year=year, last_number=1)
        .on_conflict_do_update(
            index_elements=["site_id", "year"],
            set_={"last_number": ReceiptCounter.last_number + 1},
        )
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
        raise PaymentError(_("Le montant doit être positif."))
    if method not in set(PaymentMethod):
        raise PaymentError(_("Moyen de paiement inconnu."))
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
        raise PaymentError(_("Indiquez la raison de l'annulation."))
    if payment.reverses_id is not None or payment.amount_cents < 0:
        raise PaymentError(_("Une ligne d'annulation ne peut pas être annulée."))
    already = db.session.execute(
        select(Payment.id).where(Payment.reverses_id == payment.id)
    ).scalar_one_or_none()
    if already is not None:
        raise PaymentError(_("Ce paiement est déjà annulé."))
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


@dataclass
class Ledger:
    """The lines of one site over a period, and what the cashier should count."""

    lines: list[Payment]
    totals_by_method: dict[str, int]  # cents, reversals included
    total_cents: int
    reversed_ids: set[int]


def ledger(
    site_id: int,
    first: date,
    last: date,
    *,
    method: str | None = None,
    kind: str | None = None,
) -> Ledger:
    """Ledger lines of a site between two local dates (included), newest first."""
    start, end = local_day_bounds(first, last)
    conditions = [
        Payment.site_id == site_id,
        Payment.received_at >= start,
        Payment.received_at < end,
    ]
    if method:
        conditions.append(Payment.method == method)
    if kind:
        conditions.append(Payment.kind == kind)
    lines = list(
        db.session.scalars(
            select(Payment)
            .where(*conditions)
            .options(joinedload(Payment.person), joinedload(Payment.received_by))
            .order_by(Payment.received_at.desc(), Payment.id.desc())
        )
    )
    totals = dict(
        db.session.execute(
            select(Payment.method, func.sum(Payment.amount_cents))
            .where(*conditions)
            .group_by(Payment.method)
        ).all()
    )
    totals_by_method = {m.value: int(totals.get(m.value) or 0) for m in PaymentMethod}
    ids = [line.id for line in lines]
    reversed_ids = (
        set(db.session.scalars(select(Payment.reverses_id).where(Payment.reverses_id.in_(ids))))
        if ids
        else set()
    )
    return Ledger(
        lines=lines,
        totals_by_method=totals_by_method,
        total_cents=sum(totals_by_method.values()),
        reversed_ids=reversed_ids,
    )


def is_reversed(payment: Payment) -> bool:
    return (
        db.session.execute(
            select(Payment.id).where(Payment.reverses_id == payment.id)
        ).scalar_one_or_none()
        is not None
    )
