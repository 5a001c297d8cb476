"""Reception and animators: a session's bookings, booking for someone, check-in, prices,
payments and the sign-in sheet."""

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from ressourcerie.columns import local_date, utcnow
from ressourcerie.extensions import db
from ressourcerie.members import queries as people_queries
from ressourcerie.members.services.payments import METHOD_LABELS, PaymentError
from ressourcerie.members.views.people import load_visible_person
from ressourcerie.pdf import pdf_response
from ressourcerie.security import audit
from ressourcerie.security.access import requires
from ressourcerie.security.permissions import can
from ressourcerie.workshops import queries
from ressourcerie.workshops.blueprint import bp
from ressourcerie.workshops.forms import (
    CancelBookingForm,
    MarkForm,
    PayForm,
    PriceForm,
    StaffBookForm,
    WalkInForm,
)
from ressourcerie.workshops.labels import (
    CANCEL_REASON_LABELS,
    CHANNEL_LABELS,
    MODE_LABELS,
    STATUS_LABELS,
    TIER_LABELS,
)
from ressourcerie.workshops.models import Booking, BookingStatus
from ressourcerie.workshops.permissions import ensure_site
from ressourcerie.workshops.services import bookings as booking_services
from ressourcerie.workshops.services.bookings import BookingError
from ressourcerie.workshops.services.pricing import price_for

BACK_PAGES = {"checkin": "workshops.checkin", "bookings": "workshops.session_bookings"}


def _load_session(session_id: int):
    session = queries.load_session(session_id)
    if session is None:
        abort(404)
    ensure_site(current_user, session)
    return session


def _load_booking(booking_id: int) -> Booking:
    booking = db.session.get(Booking, booking_id)
    if booking is None:
        abort(404)
    ensure_site(current_user, booking)
    return booking


def _back(session_id: int):
    endpoint = BACK_PAGES.get(request.form.get("back", ""), "workshops.session_bookings")
    return redirect(url_for(endpoint, session_id=session_id))


def _matches(session_id: int):
    search = request.args.get("q", "").strip()[:100]
    return search, people_queries.desk_matches(search, current_user.site_ids, limit=10)


@bp.get("/sessions/<int:session_id>/bookings")
@requires("front_desk")
def session_bookings(session_id: int):
    session = _load_session(session_id)
    search, matches = _matches(session_id)
    return render_template(
        "workshops/session_bookings.html",
        session=session,
        bookings=queries.session_bookings(session.id),
        search=search,
        matches=matches,
        cancel_form=CancelBookingForm(),
        price_form=PriceForm(formdata=None),
        pay_form=PayForm(formdata=None),
        can_cash=can("reception"),
        STATUS_LABELS=STATUS_LABELS,
        TIER_LABELS=TIER_LABELS,
        CHANNEL_LABELS=CHANNEL_LABELS,
        CANCEL_REASON_LABELS=CANCEL_REASON_LABELS,
        METHOD_LABELS=METHOD_LABELS,
        MODE_LABELS=MODE_LABELS,
    )


@bp.route("/sessions/<int:session_id>/book-for", methods=["GET", "POST"])
@requires("front_desk")
def book_for(session_id: int):
    """Book someone who called or came to the desk (with their relative if they wish)."""
    session = _load_session(session_id)
    person_id = request.values.get("person_id", type=int)
    if person_id is None:
        return redirect(url_for("workshops.session_bookings", session_id=session.id))
    person = load_visible_person(person_id)
    form = StaffBookForm(person_id=str(person.id))
    if not can("reception"):
        form.method.choices = form.method.choices[:1]
    if form.validate_on_submit():
        override = form.amount.cents
        try:
            booking = booking_services.book(
                session,
                person,
                by=current_user,
                channel=form.channel.data,
                with_companion=form.with_companion.data,
                companion_name=form.companion_name.data,
                companion_notes=form.companion_notes.data,
                amount_override_cents=override,
                override_reason=form.override_reason.data,
            )
            if form.method.data and booking.status == BookingStatus.CONFIRMED:
                if not can("reception"):
                    abort(403)
                booking_services.pay(booking, form.method.data, by=current_user)
        except (BookingError, PaymentError) as error:
            db.session.rollback()
            form.person_id.errors.append(str(error))
        else:
            audit.record(
                "workshops",
                "booking.created",
                object_type="booking",
                object_id=booking.id,
                site_id=session.site_id,
                detail={"status": booking.status, "channel": booking.channel},
            )
            # Read before the commit expires them, so the redirect costs no reload.
            waitlisted, name = booking.status == BookingStatus.WAITLISTED, person.full_name
            one_seat_short = waitlisted and booking.with_companion and session.seats_left == 1
            receipt = booking.payment.receipt_label if booking.payment else None
            back = url_for("workshops.session_bookings", session_id=session.id)
            db.session.commit()
            if one_seat_short:
                flash(
                    _(
                        "Il reste 1 place, il en faut 2 avec la personne aidée : %(name)s est "
                        "sur la liste d'attente. Vous pouvez aussi l'inscrire seul·e.",
                        name=name,
                    ),
                    "info",
                )
            elif waitlisted:
                flash(
                    _("Séance complète : %(name)s est sur la liste d'attente.", name=name), "info"
                )
            elif receipt:
                flash(
                    _(
                        "%(name)s est inscrit·e. Paiement encaissé, reçu n° %(number)s : "
                        "imprimez-le depuis la liste ci-dessous.",
                        name=name,
                        number=receipt,
                    ),
                    "success",
                )
            else:
                flash(_("%(name)s est inscrit·e.", name=name), "success")
            return redirect(back)
    price = price_for(person, paid=session.activity.paid, day=local_date(session.starts_at))
    return render_template(
        "workshops/book_for.html",
        session=session,
        person=person,
        form=form,
        price=price,
        overlapping=queries.overlapping_bookings(person.id, session),
        TIER_LABELS=TIER_LABELS,
    ), (422 if form.errors else 200)


@bp.post("/bookings/<int:booking_id>/cancel")
@requires("front_desk")
def staff_cancel_booking(booking_id: int):
    booking = _load_booking(booking_id)
    form = CancelBookingForm()
    if not form.validate_on_submit():
        abort(400)
    try:
        promoted = booking_services.cancel(
            booking, reason=form.reason.data, by=current_user, by_member=False
        )
    except BookingError as error:
        db.session.rollback()
        flash(str(error), "danger")
        return _back(booking.session_id)
    audit.record(
        "workshops",
        "booking.cancelled",
        object_type="booking",
        object_id=booking.id,
        site_id=booking.session.site_id,
        detail={"reason": booking.cancel_reason, "promoted": [b.id for b in promoted]},
    )
    db.session.commit()
    flash(_("Réservation annulée."), "success")
    for other in promoted:
        flash(
            _(
                "%(name)s passe de la liste d'attente à une place confirmée.",
                name=other.person.full_name,
            ),
            "info",
        )
    return _back(booking.session_id)


@bp.post("/bookings/<int:booking_id>/price")
@requires("front_desk")
def override_price(booking_id: int):
    booking = _load_booking(booking_id)
    form = PriceForm()
    if not form.validate_on_submit():
        flash(_("Indiquez un montant (par exemple 3,00) et la raison."), "danger")
        return _back(booking.session_id)
    try:
        booking_services.override_price(
            booking, form.amount.cents, form.reason.data, by=current_user
        )
    except BookingError as error:
        db.session.rollback()
        flash(str(error), "danger")
        return _back(booking.session_id)
    db.session.commit()
    flash(_("Prix modifié."), "success")
    return _back(booking.session_id)


@bp.post("/bookings/<int:booking_id>/pay")
@requires("reception")
def pay_booking(booking_id: int):
    booking = _load_booking(booking_id)
    form = PayForm()
    if not form.validate_on_submit():
        abort(400)
    try:
        payment = booking_services.pay(booking, form.method.data, by=current_user)
    except (BookingError, PaymentError) as error:
        db.session.rollback()
        flash(str(error), "danger")
        return _back(booking.session_id)
    audit.record(
        "workshops",
        "booking.paid",
        object_type="booking",
        object_id=booking.id,
        site_id=booking.session.site_id,
        detail={"payment_id": payment.id},
    )
    db.session.commit()
    flash(_("Paiement enregistré. Reçu n° %(n)s.", n=payment.receipt_label), "success")
    return _back(booking.session_id)


@bp.get("/sessions/<int:session_id>/checkin")
@requires("front_desk")
def checkin(session_id: int):
    """The tablet screen: one big button per person, present or absent."""
    session = _load_session(session_id)
    search, matches = _matches(session_id)
    bookings = [
        b for b in queries.session_bookings(session.id) if b.status != BookingStatus.CANCELLED
    ]
    return render_template(
        "workshops/checkin.html",
        session=session,
        bookings=bookings,
        search=search,
        matches=matches,
        mark_form=MarkForm(formdata=None),
        walk_in_form=WalkInForm(formdata=None),
        pay_form=PayForm(formdata=None),
        can_cash=can("reception"),
        present=sum(b.seats for b in bookings if b.status == BookingStatus.ATTENDED),
        STATUS_LABELS=STATUS_LABELS,
        TIER_LABELS=TIER_LABELS,
    )


@bp.post("/bookings/<int:booking_id>/mark")
@requires("front_desk")
def mark_booking(booking_id: int):
    booking = _load_booking(booking_id)
    form = MarkForm()
    if not form.validate_on_submit():
        abort(400)
    try:
        booking_services.mark(booking, form.status.data, by=current_user)
    except BookingError as error:
        db.session.rollback()
        flash(str(error), "danger")
        return redirect(url_for("workshops.checkin", session_id=booking.session_id))
    db.session.commit()
    return redirect(
        url_for("workshops.checkin", session_id=booking.session_id, _anchor=f"booking-{booking.id}")
    )


@bp.post("/sessions/<int:session_id>/walk-in")
@requires("front_desk")
def walk_in(session_id: int):
    session = _load_session(session_id)
    form = WalkInForm()
    if not form.validate_on_submit():
        abort(400)
    try:
        person_id = int(form.person_id.data)
    except ValueError:
        abort(400)
    person = load_visible_person(person_id)
    try:
        booking = booking_services.walk_in(
            session, person, by=current_user, with_companion=form.with_companion.data
        )
    except BookingError as error:
        db.session.rollback()
        flash(str(error), "danger")
        return redirect(url_for("workshops.checkin", session_id=session.id))
    audit.record(
        "workshops",
        "booking.walk_in",
        object_type="booking",
        object_id=booking.id,
        site_id=session.site_id,
    )
    db.session.commit()
    flash(_("%(name)s est ajouté·e et marqué·e présent·e.", name=person.full_name), "success")
    return redirect(url_for("workshops.checkin", session_id=session.id))


@bp.get("/sessions/<int:session_id>/sign-in-sheet.pdf")
@requires("front_desk")
def sign_in_sheet(session_id: int):
    """The "feuille d'émargement" funders ask for: one line per seat, a signature box."""
    session = _load_session(session_id)
    bookings = [
        b
        for b in queries.session_bookings(session.id)
        if b.status in (BookingStatus.CONFIRMED, BookingStatus.ATTENDED, BookingStatus.NO_SHOW)
    ]
    blank_lines = max(session.capacity - sum(b.seats for b in bookings), 0) + 2
    return pdf_response(
        "print/workshops_sign_in_sheet.html",
        f"emargement-{session.id}.pdf",
        session=session,
        bookings=bookings,
        blank_lines=min(blank_lines, 30),
        printed_at=utcnow(),
        MODE_LABELS=MODE_LABELS,
    )
