"""Opening hours and closures of a site, and whether a session fits in them."""

from datetime import date, datetime, time, timedelta

from flask_babel import gettext as _
from sqlalchemy import delete, select

from ressourcerie import dates
from ressourcerie.columns import LOCAL_TZ
from ressourcerie.extensions import db
from ressourcerie.security.models import Site
from ressourcerie.workshops.labels import WEEKDAY_LABELS
from ressourcerie.workshops.models import Closure, OpeningHours

# The reference hours of the demo site (DESIGN §3): Tue/Wed/Fri 10:00–18:00 (Wednesday
# until 19:00), afternoons on the other weekdays, and the first Saturday of the month.
REFERENCE_HOURS = (
    (0, time(14), time(18), None),
    (1, time(10), time(18), None),
    (2, time(10), time(19), None),
    (3, time(14), time(18), None),
    (4, time(10), time(18), None),
    (5, time(10), time(17), 1),
)


class OutsideOpeningHours(Exception):
    """A session outside the site's opening hours or on a closure day; says why."""


class OverlappingHours(Exception):
    """A new opening interval overlaps one the site already has that day; names it."""


def hours_of(site_id: int) -> list[OpeningHours]:
    return list(
        db.session.scalars(
            select(OpeningHours)
            .where(OpeningHours.site_id == site_id)
            .order_by(OpeningHours.weekday, OpeningHours.opens_at)
        )
    )


def closures_of(site_id: int, since: date | None = None) -> list[Closure]:
    statement = select(Closure).where(Closure.site_id == site_id)
    if since is not None:
        statement = statement.where(Closure.last_day >= since)
    return list(db.session.scalars(statement.order_by(Closure.first_day)))


def closures_by_day(
    site_id: int | None, first: date, last: date, *, name_sites: bool
) -> dict[date, list[tuple[str | None, str]]]:
    """What the planning says of closed days between two dates (included): one site's
    closures, or every active site's when `site_id` is None; each as (site name, label),
    the name only when several sites are shown (`name_sites`)."""
    statement = (
        select(Closure, Site.name)
        .join(Site, Site.id == Closure.site_id)
        .where(Closure.first_day <= last, Closure.last_day >= first, Site.active.is_(True))
        .order_by(Site.name, Closure.first_day)
    )
    if site_id is not None:
        statement = statement.where(Closure.site_id == site_id)
    days: dict[date, list[tuple[str | None, str]]] = {}
    for closure, site_name in db.session.execute(statement):
        day = max(closure.first_day, first)
        while day <= min(closure.last_day, last):
            days.setdefault(day, []).append((site_name if name_sites else None, closure.label))
            day += timedelta(days=1)
    return days


def closure_on(site_id: int, day: date) -> Closure | None:
    return db.session.execute(
        select(Closure)
        .where(Closure.site_id == site_id, Closure.first_day <= day, Closure.last_day >= day)
        .limit(1)
    ).scalar_one_or_none()


def check(site_id: int, starts_at: datetime, ends_at: datetime) -> None:
    """Raise OutsideOpeningHours unless the session lies inside one opening interval."""
    start = starts_at.astimezone(LOCAL_TZ)
    end = ends_at.astimezone(LOCAL_TZ)
    day = start.date()
    closure = closure_on(site_id, day)
    if closure is not None:
        raise OutsideOpeningHours(
            _(
                "Le lieu est fermé le %(day)s (%(label)s).",
                day=dates.day(day, "EEEE d MMMM y"),
                label=closure.label or _("fermeture"),
            )
        )
    if end.date() != day:
        raise OutsideOpeningHours(_("Une séance doit commencer et finir le même jour."))
    intervals = [hours for hours in hours_of(site_id) if hours.applies_on(day)]
    if not intervals:
        raise OutsideOpeningHours(
            _("Le lieu n'est pas ouvert le %(day)s.", day=dates.day(day, "EEEE d MMMM y"))
        )
    for hours in intervals:
        if hours.opens_at <= start.time() and end.time() <= hours.closes_at:
            return
    opening = ", ".join(f"{hours.opens_at:%H:%M}–{hours.closes_at:%H:%M}" for hours in intervals)
    raise OutsideOpeningHours(
        _(
            "Le %(day)s, le lieu est ouvert %(hours)s : la séance doit tenir dans ces horaires.",
            day=dates.day(day, "EEEE d MMMM"),
            hours=opening,
        )
    )


def add_hours(
    site_id: int, weekday: int, opens_at: time, closes_at: time, week_of_month: int | None
) -> OpeningHours:
    if closes_at <= opens_at:
        raise ValueError("closes before it opens")
    overlapping = [
        hours
        for hours in hours_of(site_id)
        if hours.weekday == weekday
        # "Every week" meets every n-th week; two n-th weeks meet only when equal.
        and (None in (hours.week_of_month, week_of_month) or hours.week_of_month == week_of_month)
        and hours.opens_at < closes_at
        and opens_at < hours.closes_at
    ]
    if overlapping:
        raise OverlappingHours(
            _(
                "Ce créneau chevauche celui du %(day)s déjà enregistré (%(slots)s) : "
                "retirez-le d'abord ou choisissez d'autres heures.",
                day=WEEKDAY_LABELS[weekday],
                slots=", ".join(
                    f"{hours.opens_at:%H:%M}–{hours.closes_at:%H:%M}" for hours in overlapping
                ),
            )
        )
    hours = OpeningHours(
        site_id=site_id,
        weekday=weekday,
        opens_at=opens_at,
        closes_at=closes_at,
        week_of_month=week_of_month,
    )
    db.session.add(hours)
    db.session.flush()
    return hours


def add_closure(site_id: int, first_day: date, last_day: date, label: str) -> Closure:
    if last_day < first_day:
        raise ValueError("ends before it starts")
    closure = Closure(site_id=site_id, first_day=first_day, last_day=last_day, label=label.strip())
    db.session.add(closure)
    db.session.flush()
    return closure


def set_reference_hours(site_id: int) -> None:
    """Replace the site's hours by the reference ones (demo site, new sites)."""
    db.session.execute(delete(OpeningHours).where(OpeningHours.site_id == site_id))
    for weekday, opens_at, closes_at, week in REFERENCE_HOURS:
        add_hours(site_id, weekday, opens_at, closes_at, week)
