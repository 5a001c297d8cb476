"""Memberships: periods across years and leap days, states, sale, renewal, reminders."""

from datetime import date

import pytest
from sqlalchemy import func, select

from ressourcerie.extensions import db as _db
from ressourcerie.members.models import Membership, MembershipReminder, Payment
from ressourcerie.members.services import memberships as svc
from ressourcerie.notifications.models import OutboxMessage
from ressourcerie.settings import services as settings
from tests.members.money_builders import first_site, new_person


@pytest.mark.parametrize(
    ("start", "period", "end"),
    [
        (date(2026, 3, 15), "rolling", date(2027, 3, 14)),
        (date(2026, 1, 1), "rolling", date(2026, 12, 31)),
        (date(2026, 12, 31), "rolling", date(2027, 12, 30)),
        (date(2024, 2, 29), "rolling", date(2025, 2, 28)),
        (date(2023, 3, 1), "rolling", date(2024, 2, 29)),
        (date(2026, 3, 15), "calendar", date(2026, 12, 31)),
        (date(2024, 2, 29), "calendar", date(2024, 12, 31)),
    ],
)
def test_period(start, period, end):
    assert svc.period_for(start, period) == (start, end)


def test_states_from_dates():
    m = Membership(starts_on=date(2026, 1, 10), ends_on=date(2027, 1, 9))
    assert svc.state_of(m, date(2026, 1, 9)) == svc.MembershipState.UPCOMING
    assert svc.state_of(m, date(2026, 6, 1)) == svc.MembershipState.ACTIVE
    assert svc.state_of(m, date(2026, 12, 9)) == svc.MembershipState.ACTIVE
    assert svc.state_of(m, date(2026, 12, 10)) == svc.MembershipState.EXPIRING
    assert svc.state_of(m, date(2027, 1, 9)) == svc.MembershipState.EXPIRING
    assert svc.state_of(m, date(2027, 1, 10)) == svc.MembershipState.EXPIRED
    assert svc.state_of(None, date(2027, 1, 10)) == svc.MembershipState.NONE


def test_sale_needs_charter_and_records_it(db):
    person = new_person()
    with pytest.raises(svc.MembershipError):
        svc.sell_membership(person=person, site=first_site(), method="cash", by=None)
    membership = svc.sell_membership(
        person=person,
        site=first_site(),
        method="cash",
        by=None,
        accept_charter_today=True,
        paid_on=date(2026, 5, 4),
    )
    assert person.charter_accepted_on == date(2026, 5, 4)
    assert (membership.starts_on, membership.ends_on) == (date(2026, 5, 4), date(2027, 5, 3))
    assert membership.fee_cents == 2900
    payment = membership.payment
    assert payment.amount_cents == 2900 and payment.kind == "membership"
    assert payment.person_id == person.id and payment.receipt_number == 1


def test_fee_and_period_come_from_dated_settings(db):
    settings.set_value("membership.fee", "32,50", date(2026, 9, 1), by_id=None)
    settings.set_value("membership.period", "calendar", date(2026, 9, 1), by_id=None)
    before = svc.sell_membership(
        person=new_person(charter_accepted_on=date(2026, 1, 1)),
        site=first_site(),
        method="card",
        by=None,
        paid_on=date(2026, 8, 31),
    )
    after = svc.sell_membership(
        person=new_person("Anne", "Durand", charter_accepted_on=date(2026, 1, 1)),
        site=first_site(),
        method="card",
        by=None,
        paid_on=date(2026, 9, 1),
    )
    assert before.fee_cents == 2900 and before.ends_on == date(2027, 8, 30)
    assert after.fee_cents == 3250 and after.ends_on == date(2026, 12, 31)


def test_renewal_starts_after_the_running_one(db):
    person = new_person(charter_accepted_on=date(2025, 1, 1))
    first = svc.sell_membership(
        person=person, site=first_site(), method="cash", by=None, paid_on=date(2025, 6, 1)
    )
    renewal = svc.sell_membership(
        person=person, site=first_site(), method="cash", by=None, paid_on=date(2026, 5, 20)
    )
    assert renewal.starts_on == date(2026, 6, 1)
    assert renewal.ends_on == date(2027, 5, 31)
    assert renewal.renewal_of_id == first.id
    late = svc.sell_membership(
        person=person, site=first_site(), method="cash", by=None, paid_on=date(2027, 7, 1)
    )
    assert late.starts_on == date(2027, 7, 1) and late.renewal_of_id is None


def test_calendar_renewal_covers_next_year(db):
    settings.set_value("membership.period", "calendar", date(2020, 1, 1), by_id=None)
    person = new_person(charter_accepted_on=date(2025, 1, 1))
    svc.sell_membership(
        person=person, site=first_site(), method="cash", by=None, paid_on=date(2026, 3, 1)
    )
    renewal = svc.sell_membership(
        person=person, site=first_site(), method="cash", by=None, paid_on=date(2026, 12, 15)
    )
    assert (renewal.starts_on, renewal.ends_on) == (date(2027, 1, 1), date(2027, 12, 31))


def _outbox_count():
    return _db.session.scalar(select(func.count(OutboxMessage.id)))


def test_reminders_at_30_7_and_0_days_are_idempotent(app, db):
    with app.test_request_context():
        with_mail = new_person(email="elodie@example.org", charter_accepted_on=date(2025, 1, 1))
        no_mail = new_person("Paul", "Sans", charter_accepted_on=date(2025, 1, 1))
        for person in (with_mail, no_mail):
            svc.sell_membership(
                person=person, site=first_site(), method="cash", by=None, paid_on=date(2026, 1, 1)
            )
        # Ends 2026-12-31.
        assert svc.queue_reminders(date(2026, 11, 30)) == 0
        assert svc.queue_reminders(date(2026, 12, 1)) == 1
        assert svc.queue_reminders(date(2026, 12, 1)) == 0
        assert svc.queue_reminders(date(2026, 12, 24)) == 1
        assert svc.queue_reminders(date(2026, 12, 31)) == 1
        assert svc.queue_reminders(date(2026, 12, 31)) == 0
        assert _outbox_count() == 3
        message = db.session.scalars(select(OutboxMessage).order_by(OutboxMessage.id)).first()
        assert message.to_address == "elodie@example.org"
        assert "31 décembre 2026" in message.body_text
        days = sorted(db.session.scalars(select(MembershipReminder.days_before)))
        assert days == [0, 7, 30]


def test_no_reminder_once_renewed(app, db):
    with app.test_request_context():
        person = new_person(email="a@example.org", charter_accepted_on=date(2025, 1, 1))
        svc.sell_membership(
            person=person, site=first_site(), method="cash", by=None, paid_on=date(2026, 1, 1)
        )
        svc.sell_membership(
            person=person, site=first_site(), method="cash", by=None, paid_on=date(2026, 11, 20)
        )
        assert svc.queue_reminders(date(2026, 12, 24)) == 0
        assert _db.session.scalar(select(func.count(Payment.id))) == 2


def test_remind_command(app, runner):
    with app.test_request_context():
        person = new_person(email="b@example.org", charter_accepted_on=date(2025, 1, 1))
        svc.sell_membership(
            person=person, site=first_site(), method="cash", by=None, paid_on=date(2026, 1, 1)
        )
        _db.session.commit()
    result = runner.invoke(args=["memberships", "remind", "--on", "2026-12-01"])
    assert result.exit_code == 0, result.output
    assert "1" in result.output
    with app.app_context():
        assert _outbox_count() == 1


def test_current_memberships_of_many_people_in_one_go(db):
    a = new_person(charter_accepted_on=date(2025, 1, 1))
    b = new_person("Bob", "B", charter_accepted_on=date(2025, 1, 1))
    c = new_person("Cy", "C")
    first = svc.sell_membership(
        person=a, site=first_site(), method="cash", by=None, paid_on=date(2025, 3, 1)
    )
    svc.sell_membership(  # paid in advance: starts 2026-03-01
        person=a, site=first_site(), method="cash", by=None, paid_on=date(2026, 2, 1)
    )
    old = svc.sell_membership(
        person=b, site=first_site(), method="cash", by=None, paid_on=date(2024, 1, 1)
    )
    chosen = svc.current_memberships([a.id, b.id, c.id], today=date(2026, 2, 15))
    assert chosen[a.id].id == first.id
    assert chosen[b.id].id == old.id and c.id not in chosen
    assert svc.state_of(chosen[a.id], date(2026, 2, 15)) == svc.MembershipState.EXPIRING
    assert svc.person_state(b.id, date(2026, 2, 15)) == svc.MembershipState.EXPIRED
