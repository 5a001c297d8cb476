"""Dates as each language writes them."""

from datetime import UTC, date, datetime

from flask import render_template_string
from flask_babel import force_locale

from ressourcerie import dates


def test_french_writes_the_first_of_the_month_as_an_ordinal(app):
    with app.test_request_context(), force_locale("fr"):
        assert dates.day(date(2026, 12, 1), "EEEE d MMMM y") == "mardi 1er décembre 2026"
        assert dates.day(date(2026, 12, 11), "d MMMM y") == "11 décembre 2026"
        assert dates.day(date(2026, 12, 1), "long") == "1er décembre 2026"
        # 23:30 UTC on 30 November is 00:30 on 1 December in Paris.
        moment = datetime(2026, 11, 30, 23, 30, tzinfo=UTC)
        assert dates.moment(moment, "d MMMM 'à' HH:mm") == "1er décembre à 00:30"
        assert dates.day(moment, "d MMMM y") == "1er décembre 2026"


def test_english_reads_at_and_keeps_capitals(app):
    with app.test_request_context(), force_locale("en"):
        moment = datetime(2026, 12, 1, 9, 30, tzinfo=UTC)
        assert dates.moment(moment, "EEEE d MMMM 'à' HH:mm") == "Tuesday 1 December at 10:30"
        html = render_template_string(
            "{{ m|datetimeformat(\"EEEE d MMMM 'à' HH:mm\")|capfirst }}", m=moment
        )
        assert html == "Tuesday 1 December at 10:30"


def test_templates_use_the_ordinal_filter(app):
    with app.test_request_context(), force_locale("fr"):
        html = render_template_string(
            "{{ d|dateformat('EEEE d MMMM')|capfirst }}", d=date(2026, 12, 1)
        )
        assert html == "Mardi 1er décembre"


def test_english_short_dates_are_not_american(app):
    with app.test_request_context(), force_locale("en"):
        assert dates.day(date(2026, 11, 30), "short") == "30 Nov 2026"
        assert dates.day(date(2026, 11, 30), "long") == "30 November 2026"
        moment = datetime(2026, 11, 30, 14, 9, tzinfo=UTC)
        assert dates.moment(moment, "short") == "30 Nov 2026, 15:09"
    with app.test_request_context(), force_locale("fr"):
        assert dates.day(date(2026, 11, 30), "short") == "30/11/2026"
