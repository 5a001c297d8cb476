"""iCalendar documents: the public planning feed and a person's own bookings."""

from collections.abc import Iterable

from icalendar import Calendar, Event

from ressourcerie.columns import utcnow
from ressourcerie.workshops.models import Booking, BookingStatus, WorkshopSession

PRODID = "-//Ressourcerie//Ateliers//FR"


def _calendar(name: str) -> Calendar:
    calendar = Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("x-wr-calname", name)
    calendar.add("x-wr-timezone", "Europe/Paris")
    return calendar


def _location(session: WorkshopSession) -> str:
    """Where, as a phone's map finds it: the site's name, street, postcode and town; the
    room last, so it does not get in the way of the address."""
    site = session.site
    town = " ".join(part for part in (site.postcode, site.town) if part)
    location = ", ".join(part for part in (site.name, site.address, town) if part)
    if session.room:
        location = f"{location} ({session.room})" if location else session.room
    return location


def _event(session: WorkshopSession, *, uid_suffix: str, base_url: str, description: str) -> Event:
    event = Event()
    event.add("uid", f"session-{session.id}-{uid_suffix}@ressourcerie")
    event.add("dtstamp", utcnow())
    event.add("dtstart", session.starts_at)
    event.add("dtend", session.ends_at)
    event.add("summary", session.activity.title)
    location = _location(session)
    if location:
        event.add("location", location)
    event.add("description", description)
    event.add("url", f"{base_url}/workshops/sessions/{session.id}")
    event.add("status", "CANCELLED" if session.is_cancelled else "CONFIRMED")
    return event


def public_feed(sessions: Iterable[WorkshopSession], *, name: str, base_url: str) -> bytes:
    calendar = _calendar(name)
    for session in sessions:
        summary = session.activity.easy_summary or session.activity.description
        calendar.add_component(
            _event(session, uid_suffix="public", base_url=base_url, description=summary)
        )
    return calendar.to_ical()


def personal_feed(bookings: Iterable[Booking], *, name: str, base_url: str, labels) -> bytes:
    """A person's bookings; the video link appears only on confirmed seats."""
    calendar = _calendar(name)
    for booking in bookings:
        session = booking.session
        lines = [str(labels.get(booking.status, booking.status))]
        if booking.status == BookingStatus.CONFIRMED and session.video_link:
            lines.append(session.video_link)
        event = _event(
            session,
            uid_suffix=f"booking-{booking.id}",
            base_url=base_url,
            description="\n".join(lines),
        )
        if booking.status == BookingStatus.WAITLISTED:
            event["status"] = "TENTATIVE"
        calendar.add_component(event)
    return calendar.to_ical()
