"""A member's side: book a session, 'Mes réservations', cancel, the personal calendar link."""

from flask import abort, flash, redirect, render_template, session, url_for
from flask_babel import gettext as _
from flask_login import current_user

from ressourcerie.columns import utcnow
from ressourcerie.extensions import db
from ressourcerie.members.services.accounts import person_of
from ressourcerie.security.access import requires
from ressourcerie.urls import external_url
from ressourcerie.workshops import queries
from ressourcerie.workshops.blueprint import bp
from ressourcerie.workshops.forms import BookForm, CancelBookingForm, EmptyForm
from ressourcerie.workshops.labels import CANCEL_REASON_LABELS, STATUS_LABELS, TIER_LABELS
from ressourcerie.workshops.models import Booking, BookingStatus, Channel
from ressourcerie.workshops.services import bookings as booking_services
from ressourcerie.workshops.services import calendar_links
from ressourcerie.workshops.services.bookings import BookingError

CALENDAR_TOKEN_KEY = "workshops_calendar_token"  # noqa: S105 - a session key name  # nosec B105


def _own_person():
    person = person_of(current_user)
    if person is None or person.anonymised_at is not None:
        abort(404)
    return person


def _own_booking(booking_id: int) -> Booking:
    """One of the signed-in member's bookings, else 404."""
    person = _own_person()
    booking = db.session.get(Booking, booking_id)
    if booking is None or booking.person_id != person.id:
        abort(404)
    return booking


def booked_message(booking: Booking, seats_left: int) -> str:
    if booking.status == BookingStatus.WAITLISTED and booking.with_companion and seats_left == 1:
        return _(
            "Il reste 1 place, il en faut 2 pour vous deux : vous êtes sur la liste d'attente. "
            "Vous pouvez aussi réserver pour vous seul·e."
        )
    if booking.status == BookingStatus.WAITLISTED:
        return _(
            "La séance est complète : vous êtes sur la liste d'attente. Nous vous écrirons si "
            "une place se libère."
        )
    return _("C'est réservé ! Vous recevrez un rappel la veille.")


@bp.post("/sessions/<int:session_id>/book")
@requires("member")
def book(session_id: int):
    person = _own_person()
    session = queries.load_session(session_id)
    if session is None or not session.activity.active:
        abort(404)
    form = BookForm()
    if not form.validate_on_submit():
        flash(_("La réservation n'a pas pu être lue : réessayez."), "danger")
        return redirect(url_for("workshops.session_page", session_id=session.id))
    try:
        booking = booking_services.book(
            session,
            person,
            by=current_user,
            channel=Channel.ONLINE,
            with_companion=form.with_companion.data,
            companion_name=form.companion_name.data,
            companion_notes=form.companion_notes.data,
        )
    except BookingError as error:
        db.session.rollback()
        flash(str(error), "danger")
        return redirect(url_for("workshops.session_page", session_id=session_id))
    # Read before the commit expires them: the seats left in this very transaction.
    message = booked_message(booking, session.seats_left)
    category = "success" if booking.status == BookingStatus.CONFIRMED else "info"
    db.session.commit()
    flash(message, category)
    return redirect(url_for("workshops.my_bookings"))


@bp.get("/my-bookings")
@requires("member")
def my_bookings():
    person = person_of(current_user)
    now = utcnow()
    upcoming, past = [], []
    deadlines, positions = {}, {}
    link = None
    if person is not None:
        for booking in queries.bookings_for_person(person.id, limit=100):
            (upcoming if booking.session.ends_at >= now else past).append(booking)
        upcoming.reverse()
        deadlines = booking_services.cancel_deadlines(booking.session for booking in upcoming)
        positions = queries.waitlist_positions(upcoming)
        link = calendar_links.active_link(person.id)
    token = session.pop(CALENDAR_TOKEN_KEY, None)
    return render_template(
        "workshops/my_bookings.html",
        person=person,
        upcoming=upcoming,
        past=past[:20],
        now=now,
        link=link,
        feed_url=external_url("workshops.personal_feed", token=token) if token else None,
        cancel_form=CancelBookingForm(),
        empty_form=EmptyForm(),
        deadlines=deadlines,
        positions=positions,
        STATUS_LABELS=STATUS_LABELS,
        TIER_LABELS=TIER_LABELS,
        CANCEL_REASON_LABELS=CANCEL_REASON_LABELS,
    )


@bp.post("/my-bookings/<int:booking_id>/cancel")
@requires("member")
def cancel_my_booking(booking_id: int):
    booking = _own_booking(booking_id)
    form = CancelBookingForm()
    if not form.validate_on_submit():
        flash(_("Choisissez la raison de l'annulation."), "danger")
        return redirect(url_for("workshops.my_bookings"))
    try:
        booking_services.cancel(booking, reason=form.reason.data, by=current_user, by_member=True)
    except BookingError as error:
        db.session.rollback()
        flash(str(error), "danger")
        return redirect(url_for("workshops.my_bookings"))
    db.session.commit()
    flash(_("Votre réservation est annulée. Merci de nous avoir prévenus."), "success")
    return redirect(url_for("workshops.my_bookings"))


@bp.post("/my-bookings/<int:booking_id>/alone")
@requires("member")
def come_alone(booking_id: int):
    """Waiting for two seats when one is free: take it for oneself."""
    booking = _own_booking(booking_id)
    if not EmptyForm().validate_on_submit():
        abort(400)
    try:
        seated = booking_services.come_alone(booking)
    except BookingError as error:
        db.session.rollback()
        flash(str(error), "danger")
        return redirect(url_for("workshops.my_bookings"))
    db.session.commit()
    if seated:
        flash(_("C'est réservé pour vous seul·e."), "success")
    else:
        flash(
            _("Plus de place libre : vous restez sur la liste d'attente, pour vous seul·e."),
            "warning",
        )
    return redirect(url_for("workshops.my_bookings"))


@bp.post("/my-bookings/calendar")
@requires("member")
def new_calendar_link():
    person = _own_person()
    if not EmptyForm().validate_on_submit():
        abort(400)
    token = calendar_links.new_link(person)
    db.session.commit()
    session[CALENDAR_TOKEN_KEY] = token
    flash(
        _("Votre lien d'agenda est prêt : copiez-le maintenant, il ne sera plus affiché."),
        "success",
    )
    return redirect(url_for("workshops.my_bookings", _anchor="agenda-title"))


@bp.post("/my-bookings/calendar/revoke")
@requires("member")
def revoke_calendar_link():
    person = _own_person()
    if not EmptyForm().validate_on_submit():
        abort(400)
    calendar_links.revoke(person.id)
    db.session.commit()
    flash(_("Le lien d'agenda ne fonctionne plus."), "success")
    return redirect(url_for("workshops.my_bookings"))
