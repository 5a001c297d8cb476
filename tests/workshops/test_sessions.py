"""Opening hours, closures, single sessions and weekly series (across DST), cancellation."""

from datetime import date, time

import pytest
from sqlalchemy import delete, select

from ressourcerie.columns import LOCAL_TZ
from ressourcerie.extensions import db
from ressourcerie.notifications.models import OutboxMessage
from ressourcerie.security.models import AuditEvent
from ressourcerie.workshops.models import OpeningHours, WorkshopSession
from ressourcerie.workshops.services import bookings, hours
from ressourcerie.workshops.services.sessions import (
    SessionError,
    Slot,
    cancel_session,
    create_series,
    create_session,
    update_session,
)
from tests.workshops.conftest import next_weekday


def slot(day, start=time(14), end=time(15, 30), capacity=8):
    return Slot(day=day, start=start, end=end, capacity=capacity)


def test_session_inside_opening_hours_is_created(make_activity):
    session = create_session(make_activity(), slot(next_weekday(1)), by=None)
    assert session.starts_at.astimezone(LOCAL_TZ).time() == time(14)
    assert session.hours_override_reason == ""


@pytest.mark.parametrize(
    ("weekday", "start", "end", "why"),
    [
        (1, time(17), time(19), "10:00–18:00"),  # Tuesday closes at 18:00
        (0, time(10), time(11), "14:00–18:00"),  # Monday: afternoons only
        (6, time(14), time(15), "pas ouvert"),  # Sunday: closed
    ],
)
def test_session_outside_hours_is_refused_with_a_clear_message(
    make_activity, weekday, start, end, why
):
    with pytest.raises(SessionError, match=why):
        create_session(make_activity(), slot(next_weekday(weekday), start, end), by=None)


def test_overlapping_opening_hours_are_refused_naming_the_existing_slot(site):
    db.session.execute(
        delete(OpeningHours).where(OpeningHours.site_id == site.id, OpeningHours.weekday == 1)
    )
    hours.add_hours(site.id, 1, time(9, 30), time(12, 30), None)
    hours.add_hours(site.id, 1, time(14), time(17), None)
    with pytest.raises(hours.OverlappingHours) as refused:
        hours.add_hours(site.id, 1, time(12), time(15), None)
    assert "mardi" in str(refused.value)
    assert "09:30–12:30, 14:00–17:00" in str(refused.value)
    # Back to back is not an overlap; the same hours on another day are fine.
    hours.add_hours(site.id, 1, time(12, 30), time(14), None)
    hours.add_hours(site.id, 3, time(9, 30), time(12, 30), None)


def test_opening_hours_of_other_weeks_of_the_month_do_not_overlap(site):
    # The reference site opens the first Saturday 10:00–17:00.
    hours.add_hours(site.id, 5, time(10), time(12), 3)
    with pytest.raises(hours.OverlappingHours, match="10:00–17:00"):
        hours.add_hours(site.id, 5, time(11), time(12), None)
    with pytest.raises(hours.OverlappingHours, match="10:00–12:00"):
        hours.add_hours(site.id, 5, time(9), time(11), 3)


def test_saturday_only_the_first_of_the_month(make_activity):
    first_saturday = date(2027, 3, 6)
    second_saturday = date(2027, 3, 13)
    create_session(make_activity(), slot(first_saturday), by=None)
    with pytest.raises(SessionError):
        create_session(make_activity(), slot(second_saturday), by=None)


def test_closure_day_is_refused(make_activity, site):
    day = next_weekday(2)
    hours.add_closure(site.id, day, day, "Travaux")
    with pytest.raises(SessionError, match="Travaux"):
        create_session(make_activity(), slot(day), by=None)


def test_coordinator_override_is_kept_and_logged(make_activity):
    session = create_session(
        make_activity(), slot(next_weekday(6)), by=None, override_reason="Fête de quartier"
    )
    db.session.commit()
    assert session.hours_override_reason == "Fête de quartier"
    event = db.session.scalars(
        select(AuditEvent).where(AuditEvent.action == "session.hours_override")
    ).one()
    assert event.object_id == str(session.id)


def test_weekly_series_keeps_paris_time_across_dst_and_skips_closures(make_activity, site):
    # 2027: summer time starts on Sunday 28 March, ends on Sunday 31 October.
    hours.add_closure(site.id, date(2027, 3, 23), date(2027, 3, 23), "Formation")
    result = create_series(make_activity(), slot(date(2027, 3, 16)), date(2027, 4, 6), by=None)
    db.session.commit()
    local = [s.starts_at.astimezone(LOCAL_TZ) for s in result.sessions]
    assert [d.date() for d in local] == [date(2027, 3, 16), date(2027, 3, 30), date(2027, 4, 6)]
    assert {d.time() for d in local} == {time(14)}
    utc_hours = [s.starts_at.hour for s in result.sessions]
    assert utc_hours == [13, 12, 12]  # UTC+1 in winter, UTC+2 in summer
    assert result.skipped == [(date(2027, 3, 23), "Formation")]
    assert len({s.series_id for s in result.sessions}) == 1


def test_one_occurrence_moves_alone(make_activity):
    result = create_series(make_activity(), slot(date(2027, 3, 16)), date(2027, 3, 30), by=None)
    moved = result.sessions[1]
    update_session(moved, slot(date(2027, 3, 26), time(10), time(11)), by=None)
    db.session.commit()
    days = sorted(
        s.starts_at.astimezone(LOCAL_TZ).date() for s in db.session.scalars(select(WorkshopSession))
    )
    assert days == [date(2027, 3, 16), date(2027, 3, 26), date(2027, 3, 30)]


def test_capacity_cannot_drop_below_seats_taken(make_session, make_person):
    session = make_session(capacity=3)
    for _ in range(2):
        bookings.book(session, make_person(), by=None)
    day = session.starts_at.astimezone(LOCAL_TZ).date()
    with pytest.raises(SessionError, match="2 places"):
        update_session(session, slot(day, capacity=1), by=None)


def test_cancelling_a_session_tells_everyone_booked(make_session, make_person):
    session = make_session(capacity=1)
    seated, waiting = make_person(), make_person()
    bookings.book(session, seated, by=None)
    bookings.book(session, waiting, by=None)
    db.session.commit()
    told = cancel_session(session, reason="Intervenante malade", by=None)
    db.session.commit()
    assert told == 2
    messages = db.session.scalars(
        select(OutboxMessage).where(OutboxMessage.kind == "session_cancelled")
    ).all()
    assert sorted(m.to_address for m in messages) == sorted([seated.email, waiting.email])
    assert all("Intervenante malade" in m.body_text for m in messages)
    assert session.seats_taken == 0


def test_moving_a_session_tells_everyone_booked_and_a_capacity_change_does_not(
    make_session, make_person
):
    session = make_session(capacity=1)
    seated, waiting = make_person(), make_person()
    bookings.book(session, seated, by=None)
    bookings.book(session, waiting, by=None)
    db.session.commit()
    day = session.starts_at.astimezone(LOCAL_TZ).date()
    assert update_session(session, slot(day, capacity=1), by=None) == 0  # same time and room
    later = next_weekday(1, after=day)
    assert update_session(session, slot(later, capacity=1), by=None) == 2
    db.session.commit()
    messages = db.session.scalars(
        select(OutboxMessage).where(OutboxMessage.kind == "session_changed")
    ).all()
    assert sorted(m.to_address for m in messages) == sorted([seated.email, waiting.email])
    body = next(m.body_text for m in messages if m.to_address == waiting.email)
    assert "a changé" in body and "toujours sur la liste d'attente" in body


def test_more_seats_go_to_the_waiting_list(make_session, make_person):
    session = make_session(capacity=1)
    bookings.book(session, make_person(), by=None)
    waiting = bookings.book(session, make_person(), by=None)
    day = session.starts_at.astimezone(LOCAL_TZ).date()
    update_session(session, slot(day, capacity=2), by=None)
    assert waiting.status == "confirmed"
    assert session.seats_taken == 2
