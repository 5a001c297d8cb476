"""Public pages: the week and month planning, a session page, iCalendar feeds and the
printable monthly programme."""

from calendar import monthrange
from datetime import date, timedelta

from flask import Response, abort, current_app, render_template, request
from flask_babel import gettext as _
from flask_login import current_user

from ressourcerie import dates
from ressourcerie.columns import local_date, local_today, utcnow
from ressourcerie.fragments import cached_fragment
from ressourcerie.members.services.accounts import person_of
from ressourcerie.pdf import pdf_response
from ressourcerie.security.access import public
from ressourcerie.security.models import Role
from ressourcerie.workshops import ical, queries
from ressourcerie.workshops.blueprint import bp
from ressourcerie.workshops.forms import BookForm, CancelBookingForm
from ressourcerie.workshops.labels import (
    CATEGORY_LABELS,
    MODE_LABELS,
    STATUS_LABELS,
    TIER_LABELS,
)
from ressourcerie.workshops.models import BookingStatus, Category, Mode
from ressourcerie.workshops.permissions import can_manage
from ressourcerie.workshops.services import calendar_links
from ressourcerie.workshops.services import hours as hours_services
from ressourcerie.workshops.services.bookings import cancel_deadline
from ressourcerie.workshops.services.pricing import price_for, price_ranges, tier_prices


def signed_in_person():
    """The Person of a signed-in member, if any."""
    if not current_user.is_authenticated or not current_user.has_role(Role.MEMBER):
        return None
    return person_of(current_user)


def _filters() -> queries.PlanningFilters:
    site_id = request.args.get("site", type=int)
    category = request.args.get("category") or None
    mode = request.args.get("mode") or None
    return queries.PlanningFilters(
        site_id=site_id,
        category=category if category in set(Category) else None,
        mode=mode if mode in set(Mode) else None,
        free_only=request.args.get("free") == "1",
    )


def _anchor(view: str) -> date:
    try:
        return date.fromisoformat(request.args.get("date", ""))
    except ValueError:
        today = local_today()
        # On a Sunday the current week is over: show the coming one.
        if view == "week" and today.weekday() == 6:
            return today + timedelta(days=1)
        return today


def month_bounds(anchor: date) -> tuple[date, date]:
    first = anchor.replace(day=1)
    return first, first.replace(day=monthrange(first.year, first.month)[1])


@bp.get("/")
@public
def planning():
    view = "month" if request.args.get("view") == "month" else "week"
    anchor = _anchor(view)
    filters = _filters()
    if view == "week":
        first = anchor - timedelta(days=anchor.weekday())
        last = first + timedelta(days=6)
        previous, following = first - timedelta(days=7), first + timedelta(days=7)
        grid_first, grid_last = first, last
        title = _(
            "Semaine du %(first)s au %(last)s",
            first=dates.day(first, "d MMMM"),
            last=dates.day(last, "d MMMM y"),
        )
    else:
        first, last = month_bounds(anchor)
        previous = (first - timedelta(days=1)).replace(day=1)
        following = last + timedelta(days=1)
        grid_first = first - timedelta(days=first.weekday())
        grid_last = last + timedelta(days=6 - last.weekday())
        title = dates.day(first, "MMMM y").capitalize()
    sessions = queries.planning_items(first, last, filters)
    by_day: dict[date, list] = {}
    for session in sessions:
        by_day.setdefault(local_date(session.starts_at), []).append(session)
    days = [grid_first + timedelta(days=n) for n in range((grid_last - grid_first).days + 1)]
    person = signed_in_person()
    mine = {
        session_id: booking.status
        for session_id, booking in queries.person_bookings_by_session(
            person.id if person else None, (session.id for session in sessions)
        ).items()
    }
    sites = queries.active_sites()
    # Several sites shown: each session and each closure says which site it is.
    multi_site = len(sites) > 1 and not filters.site_id
    closed = hours_services.closures_by_day(
        filters.site_id, grid_first, grid_last, name_sites=multi_site
    )
    # What a paid session costs, from the lowest to the highest tier, on its day.
    prices = price_ranges(day for day, items in by_day.items() if any(i.paid for i in items))
    grid_context = {
        "view": view,
        "title": title,
        "days": days,
        "first": first,
        "by_day": by_day,
        "today": local_today(),
        "multi_site": multi_site,
        "mine": mine,
        "closed": closed,
        "prices": prices,
    }
    # The grid is most of the page's cost; its key holds every value it shows.
    grid = cached_fragment(
        "workshops.planning",
        (view, title, first, days[0], days[-1], grid_context["today"], multi_site)
        + (sessions, sorted(mine.items()), sorted(closed.items()), sorted(prices.items())),
        lambda: render_template(
            "workshops/_planning_grid.html",
            **grid_context,
            CATEGORY_LABELS=CATEGORY_LABELS,
            MODE_LABELS=MODE_LABELS,
        ),
    )
    return render_template(
        "workshops/planning.html",
        view=view,
        title=title,
        first=first,
        previous=previous,
        following=following,
        filters=filters,
        sites=sites,
        grid=grid,
        programme_months=[
            (month, dates.day(month, "MMMM y"))
            for month in (first.replace(day=1), month_bounds(first)[1] + timedelta(days=1))
        ],
        CATEGORY_LABELS=CATEGORY_LABELS,
        MODE_LABELS=MODE_LABELS,
    )


@bp.get("/sessions/<int:session_id>")
@public
def session_page(session_id: int):
    session = queries.load_session(session_id)
    if session is None or not session.activity.active:
        abort(404)
    day = local_date(session.starts_at)
    person = signed_in_person()
    booking = None
    price = None
    overlapping = []
    if person is not None:
        booking = queries.person_bookings_by_session(person.id, [session.id]).get(session.id)
        price = price_for(person, paid=session.activity.paid, day=day)
        if booking is None:
            overlapping = queries.overlapping_bookings(person.id, session)
    now = utcnow()
    return render_template(
        "workshops/session.html",
        session=session,
        activity=session.activity,
        person=person,
        booking=booking,
        price=price,
        overlapping=overlapping,
        prices=tier_prices(day) if session.activity.paid else None,
        book_form=BookForm(),
        cancel_form=CancelBookingForm(),
        deadline=cancel_deadline(session),
        now=now,
        can_manage=can_manage(current_user, session),
        is_member=current_user.is_authenticated and current_user.has_role(Role.MEMBER),
        show_video=booking is not None
        and booking.status in (BookingStatus.CONFIRMED, BookingStatus.ATTENDED),
        CATEGORY_LABELS=CATEGORY_LABELS,
        MODE_LABELS=MODE_LABELS,
        STATUS_LABELS=STATUS_LABELS,
        TIER_LABELS=TIER_LABELS,
    )


def _ics(data: bytes, filename: str) -> Response:
    response = Response(data, mimetype="text/calendar")
    response.headers["Content-Disposition"] = f'inline; filename="{filename}"'
    return response


@bp.get("/planning.ics")
@public
def public_feed():
    """The next three months (and last month) of the planning, for calendar apps."""
    today = local_today()
    sessions = queries.planning_sessions(
        today - timedelta(days=31), today + timedelta(days=92), _filters()
    )
    data = ical.public_feed(
        sessions,
        name=_("Ateliers de la Ressourcerie"),
        base_url=current_app.config["BASE_URL"],
    )
    return _ics(data, "ateliers.ics")


@bp.get("/calendar/<token>.ics")
@public
def personal_feed(token: str):
    """A person's bookings behind their secret link (revocable from 'Mes réservations')."""
    person = calendar_links.person_for_token(token)
    if person is None:
        abort(404)
    since = utcnow() - timedelta(days=31)
    data = ical.personal_feed(
        queries.person_feed_bookings(person.id, since),
        name=_("Mes ateliers"),
        base_url=current_app.config["BASE_URL"],
        labels=STATUS_LABELS,
    )
    response = _ics(data, "mes-ateliers.ics")
    response.headers["Cache-Control"] = "no-store"
    response.headers["Referrer-Policy"] = "no-referrer"
    return response


@bp.get("/programme.pdf")
@public
def programme_pdf():
    """The month's programme, A4 landscape, for the entrance wall."""
    first, last = month_bounds(_anchor("month"))
    filters = _filters()
    sessions = queries.planning_sessions(first, last, filters, include_cancelled=False)
    by_day: dict[date, list] = {}
    for session in sessions:
        by_day.setdefault(local_date(session.starts_at), []).append(session)
    grid_first = first - timedelta(days=first.weekday())
    grid_last = last + timedelta(days=6 - last.weekday())
    weeks = []
    day = grid_first
    while day <= grid_last:
        weeks.append([day + timedelta(days=n) for n in range(7)])
        day += timedelta(days=7)
    sites = queries.active_sites()
    site = next((s for s in sites if s.id == filters.site_id), None)
    multi_site = len(sites) > 1 and not filters.site_id
    return pdf_response(
        "print/workshops_programme.html",
        f"programme-{first:%Y-%m}.pdf",
        first=first,
        weeks=weeks,
        by_day=by_day,
        closed=hours_services.closures_by_day(filters.site_id, first, last, name_sites=multi_site),
        multi_site=multi_site,
        sites=sites if multi_site else [],
        site=site,
        prices=tier_prices(first),
        CATEGORY_LABELS=CATEGORY_LABELS,
        MODE_LABELS=MODE_LABELS,
    )
