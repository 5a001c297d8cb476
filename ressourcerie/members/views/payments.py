"""Payments pages: the ledger of a site, a payment, a reversal, the PDF receipt."""

from datetime import timedelta
from decimal import Decimal

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import format_currency
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import select
from sqlalchemy.orm import joinedload
from werkzeug.routing import BuildError

from ressourcerie.columns import local_today
from ressourcerie.extensions import db
from ressourcerie.members.blueprint import bp
from ressourcerie.members.forms.payments import LedgerFilterForm, PaymentForm, ReversalForm
from ressourcerie.members.models import Payment, Person
from ressourcerie.members.services import payments as payment_services
from ressourcerie.members.views.people import load_visible_person
from ressourcerie.pdf import pdf_response
from ressourcerie.security import audit, working_site
from ressourcerie.security.access import requires
from ressourcerie.security.permissions import can_see_site


@bp.app_template_filter("euros")
def euros(cents: int | None) -> str:
    """Cents shown the French way: 1200 → « 12,00 € »."""
    if cents is None:
        return ""
    return format_currency(Decimal(cents) / 100, "EUR")


def person_page_url(person: Person) -> str | None:
    """Link back to the person's page, when the people pages provide one."""
    try:
        return url_for("members.person", person_id=person.id)
    except BuildError:
        return None


def staff_sites():
    """The sites of the signed-in staff member; without any, nothing can be cashed."""
    sites = list(current_user.sites)
    if not sites:
        abort(403)
    return sites


def chosen_site(sites, site_id: int | None):
    """The site picked among the user's (403 otherwise); a site chosen in a submitted form
    is offered first next time (opening a page with a default does not count)."""
    for site in sites:
        if site.id == site_id:
            if request.method == "POST":
                working_site.remember(site.id)
            return site
    abort(403)


def load_payment(payment_id: int) -> Payment:
    payment = db.session.get(
        Payment,
        payment_id,
        options=[
            joinedload(Payment.person),
            joinedload(Payment.site),
            joinedload(Payment.received_by),
        ],
    )
    if payment is None:
        abort(404)
    if not can_see_site(current_user, payment.site_id):
        abort(404)
    return payment


@bp.get("/payments")
@requires("reception")
def ledger():
    sites = staff_sites()
    form = LedgerFilterForm(request.args, sites=sites)
    form.validate()
    site = chosen_site(sites, form.site_id.data or working_site.working_site_id(sites))
    today = local_today()
    last = form.last.data or today
    first = form.first.data or (last if not form.last.data else last - timedelta(days=30))
    if first > last:
        first, last = last, first
    if (last - first).days > 400:
        first = last - timedelta(days=400)
    form.first.data, form.last.data, form.site_id.data = first, last, site.id
    result = payment_services.ledger(
        site.id,
        first,
        last,
        method=form.method.data or None,
        kind=form.kind.data or None,
    )
    return render_template(
        "members/payments_ledger.html",
        form=form,
        site=site,
        ledger=result,
        first=first,
        last=last,
        METHOD_LABELS=payment_services.METHOD_LABELS,
        KIND_LABELS=payment_services.KIND_LABELS,
    )


@bp.route("/people/<int:person_id>/payments/new", methods=["GET", "POST"])
@requires("reception")
def new_payment(person_id: int):
    person = load_visible_person(person_id)
    sites = staff_sites()
    form = PaymentForm(sites=sites, site_id=working_site.working_site_id(sites))
    if form.validate_on_submit():
        site = chosen_site(sites, form.site_id.data)
        try:
            payment = payment_services.record_payment(
                site=site,
                person=person,
                kind=form.kind.data,
                label=form.label.data.strip(),
                amount_cents=form.amount.cents,
                method=form.method.data,
                by=current_user,
            )
        except payment_services.PaymentError as error:
            db.session.rollback()
            flash(str(error), "danger")
        else:
            audit.record(
                "members",
                "payment.recorded",
                object_type="payment",
                object_id=payment.id,
                site_id=site.id,
            )
            db.session.commit()
            flash(
                _(
                    "Paiement enregistré, reçu n° %(number)s.",
                    number=payment.receipt_label,
                ),
                "success",
            )
            return redirect(url_for("members.payment_show", payment_id=payment.id))
    return render_template(
        "members/payment_form.html",
        form=form,
        person=person,
        person_page_url=person_page_url(person),
    )


@bp.get("/payments/<int:payment_id>")
@requires("reception")
def payment_show(payment_id: int):
    payment = load_payment(payment_id)
    return render_template(
        "members/payment_show.html",
        payment=payment,
        reversed=payment_services.is_reversed(payment),
        METHOD_LABELS=payment_services.METHOD_LABELS,
        KIND_LABELS=payment_services.KIND_LABELS,
    )


@bp.route("/payments/<int:payment_id>/reverse", methods=["GET", "POST"])
@requires("reception")
def reverse_payment(payment_id: int):
    payment = load_payment(payment_id)
    form = ReversalForm()
    if form.validate_on_submit():
        try:
            reversal = payment_services.reverse_payment(
                payment, reason=form.reason.data, by=current_user
            )
        except payment_services.PaymentError as error:
            db.session.rollback()
            flash(str(error), "danger")
        else:
            audit.record(
                "members",
                "payment.reversed",
                object_type="payment",
                object_id=payment.id,
                site_id=payment.site_id,
                detail={"reversal_id": reversal.id},
            )
            db.session.commit()
            flash(
                _(
                    "Paiement annulé par l'écriture n° %(number)s.",
                    number=reversal.receipt_label,
                ),
                "success",
            )
            return redirect(url_for("members.ledger", site_id=payment.site_id))
    return render_template(
        "members/payment_reverse.html",
        form=form,
        payment=payment,
        reversed=payment_services.is_reversed(payment),
        METHOD_LABELS=payment_services.METHOD_LABELS,
        KIND_LABELS=payment_services.KIND_LABELS,
    )


@bp.get("/payments/<int:payment_id>/receipt.pdf")
@requires("reception")
def receipt(payment_id: int):
    payment = load_payment(payment_id)
    reversal = db.session.scalar(select(Payment).where(Payment.reverses_id == payment.id))
    return pdf_response(
        "print/receipt.html",
        f"recu-{payment.receipt_label}.pdf",
        payment=payment,
        reversal=reversal,
        METHOD_LABELS=payment_services.METHOD_LABELS,
        KIND_LABELS=payment_services.KIND_LABELS,
        printed_on=local_today(),
    )
