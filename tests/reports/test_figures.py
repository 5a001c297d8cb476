"""Each report figure against a hand-built dataset whose answers are known."""

from datetime import date
from decimal import Decimal

import pytest

from ressourcerie.casework.aggregates import SupportFigures
from ressourcerie.columns import utcnow
from ressourcerie.extensions import db as _db
from ressourcerie.members.models import CaregiverStatusChange
from ressourcerie.reports import figures
from ressourcerie.reports.figures import (
    attendance,
    impact_section,
    memberships,
    public,
    support,
    workshops,
)
from ressourcerie.reports.periods import Period, last_month, last_quarter, last_year
from ressourcerie.reports.questionnaire import ImpactAnswer
from ressourcerie.reports.tables import SECONDARY, SUPPRESSED, UNDISCLOSED
from tests.reports.builders import (
    Q3,
    activity,
    booking,
    first_site,
    membership,
    other_site,
    paris,
    payment,
    person,
    session,
    visit,
)


def key(section, label_start):
    found = [f.value for f in section.figures if f.label.startswith(label_start)]
    assert found, [f.label for f in section.figures]
    return found[0]


def table(section, name):
    return next(t for t in section.tables if t.key == name)


def column(found, index=0):
    return {row.label: row.values[index] for row in found.all_rows}


def test_presets_are_whole_local_months_quarters_and_years():
    today = date(2026, 11, 22)
    assert last_month(today) == Period(date(2026, 10, 1), date(2026, 10, 31))
    assert last_quarter(today) == Period(date(2026, 7, 1), date(2026, 9, 30))
    assert last_year(today) == Period(date(2025, 1, 1), date(2025, 12, 31))
    assert last_quarter(date(2026, 2, 3)) == Period(date(2025, 10, 1), date(2025, 12, 31))
    assert last_month(date(2026, 1, 15)) == Period(date(2025, 12, 1), date(2025, 12, 31))


def test_period_bounds_are_paris_midnights():
    assert Q3.utc_start.isoformat() == "2026-06-30T22:00:00+00:00"
    assert Q3.utc_end.isoformat() == "2026-09-30T22:00:00+00:00"
    winter = Period(date(2026, 1, 1), date(2026, 1, 31))
    assert winter.utc_start.isoformat() == "2025-12-31T23:00:00+00:00"


def test_attendance_counts_local_days_first_visits_and_returns(db):
    site, elsewhere = first_site(), other_site()
    newcomer_back = person(site)  # first visit in Q3, back 44 days later
    newcomer_gone = person(site)  # first visit in Q3, back after 91 days
    regular = person(site)  # first came in May
    late_evening = person(site)
    anonymised = person(site, anonymised_at=utcnow())
    visit(site, newcomer_back, paris(2026, 7, 2, 10))
    visit(site, newcomer_back, paris(2026, 8, 15, 15), "information")
    visit(site, newcomer_gone, paris(2026, 7, 3, 11))
    visit(site, newcomer_gone, paris(2026, 10, 2, 11))
    visit(site, regular, paris(2026, 5, 4, 10))
    visit(site, regular, paris(2026, 7, 1, 0, 15))  # first minutes of the period
    visit(site, late_evening, paris(2026, 9, 30, 23, 30))  # 21:30 UTC: still 30 September
    visit(site, late_evening, paris(2026, 10, 1, 0, 30))  # 22:30 UTC on 30 September: October
    visit(site, regular, paris(2026, 6, 30, 23, 30))  # June in Paris
    visit(site, anonymised, paris(2026, 8, 1, 14), "social_time")
    visit(site, None, paris(2026, 8, 1, 14), "other")  # anonymous passage
    visit(elsewhere, regular, paris(2026, 8, 3, 10))  # another site: not counted
    db.session.flush()

    section = attendance(Q3, [site.id])
    assert key(section, "Passages") == 7
    assert key(section, "dont passages anonymes") == 1
    assert key(section, "Personnes venues à l'accueil") == 5
    # newcomer_back, newcomer_gone, late_evening, anonymised
    assert key(section, "Premières venues") == 4
    # newcomer_back, late_evening (1 h later)
    assert key(section, "Revenu·es dans les 90 jours (part des premières venues)") == Decimal("0.5")
    purposes = column(table(section, "visits_by_purpose"))
    assert purposes["Atelier ou activité"] == 4
    assert purposes["Information"] == 1
    assert purposes["Total"] == 7
    assert section.heatmap[date(2026, 9, 30).weekday()][23] == 1
    assert section.heatmap[date(2026, 7, 1).weekday()][0] == 1
    assert sum(map(sum, section.heatmap)) == 7
    months = column(table(section, "visits_by_month"))
    assert months == {"07/2026": 3, "08/2026": 3, "09/2026": 1, "Total": 7}


def test_the_return_share_is_provisional_while_a_90_day_window_is_open(db, monkeypatch):
    site = first_site()
    visit(site, person(site), paris(2026, 9, 20, 10))
    db.session.flush()
    monkeypatch.setattr(figures, "utcnow", lambda: paris(2026, 12, 18, 9))  # 89 days on
    assert "Chiffre provisoire" in attendance(Q3, [site.id]).note
    monkeypatch.setattr(figures, "utcnow", lambda: paris(2026, 12, 19, 11))  # 90 days on
    assert attendance(Q3, [site.id]).note == ""


def test_public_counts_people_seen_with_protection(db):
    site = first_site()
    people = []
    for _index in range(6):
        people.append(person(site, gender="woman", birth_year=1960, commune="Bordeaux"))
    for index in range(5):
        people.append(person(site, gender="man", birth_year=1990 + index, commune="Pessac"))
    people.append(person(site, gender="other", birth_year=1940, commune="Talence"))
    people[0].caregiver_status = "self_declared"
    people[0].anonymised_at = utcnow()  # still counted
    for index, who in enumerate(people):
        if index % 2:
            visit(site, who, paris(2026, 8, 1, 10))
    # Even ones came to a workshop only.
    act = activity(site)
    held = session(act, paris(2026, 8, 2, 14))
    for who in people[::2]:
        booking(held, who, "attended")
    nobody = person(site, gender="man")  # booked but did not come: not counted
    booking(held, nobody, "no_show")
    db.session.flush()

    section = public(Q3, [site.id])
    assert key(section, "Personnes venues") == 12
    # Ages at the end of 2026: 6 × 66, 32 to 36, 86 → mean 54.3
    assert key(section, "Âge moyen") == 54
    genders = column(table(section, "public_gender"))
    assert [genders[k] for k in ("Femme", "Non précisé", "Total")] == [6, 0, 12]
    assert genders["Autre"] is SUPPRESSED  # 1 person
    assert genders["Homme"] is SECONDARY  # 5 men: hidden so that 12 - 6 reveals nothing
    ages = column(table(section, "public_age"))
    assert ages["Total"] == 12
    assert ages["65 à 74 ans"] == 6
    assert ages["75 ans et plus"] is SUPPRESSED  # 1 person
    assert ages["Moins de 40 ans"] is SECONDARY  # 5, hidden so the total reveals nothing
    assert ages["40 à 54 ans"] == 0
    communes = column(table(section, "public_communes"))
    assert communes["Bordeaux"] == 6
    assert communes["Talence"] is SUPPRESSED  # 1 person
    assert communes["Pessac"] is SECONDARY  # 5, the second cell hidden
    carers = column(table(section, "public_caregivers"))
    assert carers["Total"] == 12


def caregiver_change(who, status, moment):
    who.caregiver_status = status
    _db.session.add(CaregiverStatusChange(person_id=who.id, status=status, changed_at=moment))


def test_caregivers_are_counted_as_they_stood_in_the_period(db):
    site = first_site()
    groups = {name: [person(site) for _ in range(5)] for name in ("arrived", "team", "self", "no")}
    for who in groups["arrived"]:
        visit(site, who, paris(2026, 8, 3, 10)).as_caregiver = True
        caregiver_change(who, "self_declared", paris(2026, 8, 3, 10))
    for index, who in enumerate(groups["team"]):
        visit(site, who, paris(2026, 7, 3, 10))
        if index < 3:
            caregiver_change(who, "identified_by_team", paris(2026, 9, 30, 23))
        else:  # loaded before the history existed: the status and its date
            who.caregiver_status = "identified_by_team"
            who.caregiver_status_changed_on = date(2026, 9, 1)
    for who in groups["self"]:
        # Said so at the desk in June; their visits of the period are not flagged.
        visit(site, who, paris(2026, 6, 3, 10)).as_caregiver = True
        caregiver_change(who, "self_declared", paris(2026, 6, 3, 10))
        visit(site, who, paris(2026, 7, 8, 10))
    for index, who in enumerate(groups["no"]):
        visit(site, who, paris(2026, 7, 9, 10))
        if index < 3:  # identified in October: not yet on 30 September
            caregiver_change(who, "identified_by_team", paris(2026, 10, 1, 0, 30))
        elif index == 3:
            who.caregiver_status = "identified_by_team"
            who.caregiver_status_changed_on = date(2026, 10, 2)
    db.session.flush()

    carers = column(table(public(Q3, [first_site().id]), "public_caregivers"))
    assert list(carers.values()) == [5, 5, 5, 5, 20]
    assert carers["Arrivé·es en tant que proches aidant·es (passage de la période)"] == 5
    assert carers["Repéré·es ensuite comme proches aidant·es"] == 5
    assert carers["Non connu"] == 5


def test_a_handful_of_people_is_not_given_away_by_the_headline(db):
    site = first_site()
    for index in range(3):
        visit(site, person(site, gender="woman", birth_year=1960 + index), paris(2026, 8, 1, 10))
    db.session.flush()
    section = public(Q3, [site.id])
    # Every cell of the tables is "< 5": a headline "3" next to them would say too much.
    assert key(section, "Personnes venues") is SUPPRESSED
    assert column(table(section, "public_gender"))["Total"] is SUPPRESSED
    # Not "< 5" (read as "under 5 years old").
    assert key(section, "Âge moyen") is UNDISCLOSED
    assert str(UNDISCLOSED) == "non communiqué (moins de 5 personnes)"


def answers(site, count, **values):
    for _index in range(count):
        row = ImpactAnswer(person_id=person(site).id, site_id=site.id, channel="paper", **values)
        row.set_answered_on(date(2026, 8, 10))
        _db.session.add(row)


def test_questionnaire_results_are_protected_and_count_blank_answers(db):
    site = first_site()
    answers(site, 8, wellbeing="improved", sees_self_as_caregiver="yes")
    answers(site, 2, wellbeing="same", sees_self_as_caregiver="no")
    answers(site, 1, social_ties="improved", sees_self_as_caregiver="yes")
    answers(site, 1, social_ties="improved", sees_self_as_caregiver="no")
    db.session.flush()
    section = impact_section(Q3, [site.id])
    assert key(section, "Réponses au questionnaire") == 12
    results = {row.label: row.values for row in table(section, "impact").rows}
    # Better, same, worse, don't know, blank, total (questionnaires), share "better", reference.
    assert results["Bien-être"][:6] == [8, SUPPRESSED, 0, 0, SUPPRESSED, 12]
    # 8 / 10 answers would give the 2 blanks back: hidden.
    assert results["Bien-être"][6] is SECONDARY
    assert results["Liens sociaux"][:6] == [SUPPRESSED, 0, 0, 0, SECONDARY, 12]
    assert results["Liens sociaux"][6] is SECONDARY
    caregiver = column(table(section, "impact_caregiver"))
    assert caregiver["non"] is SUPPRESSED  # 3
    assert caregiver["oui"] is SECONDARY  # 9, or 12 - 9 would give the 3 back
    assert caregiver["Sans réponse"] == 0 and caregiver["Total"] == 12


def test_a_handful_of_questionnaires_hides_the_count_of_answers(db):
    site = first_site()
    answers(site, 2, wellbeing="improved")
    db.session.flush()
    section = impact_section(Q3, [site.id])
    assert key(section, "Réponses au questionnaire") is SUPPRESSED
    wellbeing = table(section, "impact").rows[0].values
    assert wellbeing[0] is SUPPRESSED and wellbeing[5] is SUPPRESSED


def test_memberships_new_renewed_active_and_revenue(db):
    site = first_site()
    alice, bruno, chloe = person(site), person(site), person(site)
    old = membership(site, alice, date(2025, 7, 10))
    membership(site, alice, date(2026, 7, 10), renewal_of=old)  # renewed
    membership(site, bruno, date(2026, 9, 30))  # new, last day
    membership(site, chloe, date(2025, 9, 1))  # ended 31 August 2026
    payment(site, alice, 1500, paris(2026, 7, 10, 10))
    payment(site, bruno, 1500, paris(2026, 9, 30, 23, 0))  # late evening, still Q3
    payment(site, bruno, -1500, paris(2026, 10, 1, 9))  # reversed in October
    payment(site, chloe, 700, paris(2026, 8, 1, 9), kind="session")  # not a membership
    db.session.flush()
    section = memberships(Q3, [site.id])
    assert key(section, "Nouvelles") == 1
    assert key(section, "Renouvellements") == 1
    assert key(section, "Adhérent·es à la fin") == 2
    assert key(section, "Cotisations") == 3000


def test_workshops_sessions_rates_and_revenue_with_a_price_change(db):
    site = first_site()
    paid = activity(site, category="wellbeing", paid=True)
    free = activity(site, category="social", paid=False)
    people = [person(site) for _ in range(6)]
    before = session(paid, paris(2026, 7, 7, 14), capacity=10)
    after = session(paid, paris(2026, 8, 4, 14), capacity=10)  # price went up on 1 August
    booking(before, people[0], "attended", "full", 500, companion=True)
    booking(before, people[1], "no_show", "member", 300)
    booking(before, people[2], "cancelled", "full", 500)
    booking(before, people[3], "waitlisted", "full", 500)
    booking(after, people[0], "attended", "full", 600)
    booking(after, people[4], "attended", "reduced", 200)
    cancelled = session(paid, paris(2026, 8, 11, 14), capacity=8, status="cancelled")
    booking(cancelled, people[5], "cancelled", "full", 600)
    gratis = session(free, paris(2026, 9, 30, 23, 0), capacity=5, mode="hybrid")
    booking(gratis, people[5], "attended", "free", 0)
    session(free, paris(2026, 10, 1, 10), capacity=5)  # October
    db.session.flush()

    section = workshops(Q3, [site.id])
    assert key(section, "Séances tenues") == 3
    assert key(section, "Séances annulées") == 1
    assert key(section, "Places offertes") == 25
    assert key(section, "Réservations") == 5
    assert key(section, "Taux de remplissage") == Decimal("0.24")  # 6 seats / 25
    assert key(section, "Taux de présence") == Decimal("0.8")
    assert key(section, "Taux d'absence") == Decimal("0.2")
    assert key(section, "Participant·es") == 3
    assert key(section, "Séances gratuites") == 1
    # Cancelled and waiting-list bookings left out; no-shows counted (they may owe it).
    assert key(section, "Montant des réservations (tarif appliqué)") == 1600
    by_tier = table(section, "revenue_by_tier")
    assert by_tier.title == "Réservations et montants par tarif"
    assert [c.label for c in by_tier.columns] == ["Réservations", "Montant au tarif appliqué"]
    tiers = {row.label: row.values for row in by_tier.all_rows}
    assert tiers["Tarif plein"] == [2, 1100]
    assert tiers["Tarif adhérent·e"] == [1, 300]
    assert tiers["Gratuit"] == [1, 0]
    assert tiers["Total"] == [5, 1600]
    by_category = {row.label: row.values for row in table(section, "sessions_by_category").all_rows}
    assert by_category["Bien-être — Sur place"] == [2, 1, 20]
    assert by_category["Convivialité — Sur place ou à distance"] == [1, 0, 5]


def test_support_uses_the_aggregates_and_hides_small_cells(db, monkeypatch):
    calls = []

    def fake(start, end, site_ids):
        calls.append((start, end, list(site_ids)))
        return SupportFigures(
            people_by_support_type={"social": 12, "psychological": 3, "both": 6},
            people_supported=21,
            new_cases=4,
            closed_by_reason={"goals_met": 7},
            entries=40,
            entries_by_kind={"in_person": 30, "phone": 10},
            hours=31.5,
            orientations_by_partner_type_and_status={("ccas", "done"): 2, ("ccas", "proposed"): 8},
            procedures_by_type={"apa": 9},
            difficulties_by_category_and_institution={("long_delay", "caf"): 6},
        )

    monkeypatch.setattr(figures, "support_figures", fake)
    site = first_site()
    section = support(Q3, [site.id])
    assert calls == [(Q3.start, Q3.end, [site.id])]
    assert key(section, "Personnes accompagnées") == 21
    assert key(section, "Nouveaux dossiers") is SUPPRESSED
    assert key(section, "Heures") == 31.5
    types = column(table(section, "support_type"))
    assert types["Social"] == 12 and types["Total"] == 21
    assert types["Psychologique"] is SUPPRESSED
    assert types["Social et psychologique"] is SECONDARY
    orientations = table(section, "support_orientations")
    ccas = orientations.rows[0].values
    # Proposed 8, in progress 0, done 2, dropped 0, total 10.
    assert ccas == [SECONDARY, 0, SUPPRESSED, 0, 10]


@pytest.mark.parametrize("builder", [attendance, public, memberships, workshops])
def test_an_empty_period_gives_zeros(db, builder):
    section = builder(Period(date(2001, 1, 1), date(2001, 12, 31)), [first_site().id])
    assert section.figures


def test_winter_visits_are_placed_at_their_paris_hour(db):
    site = first_site()
    who = person(site)
    visit(site, who, paris(2026, 1, 15, 9, 30))  # 08:30 UTC
    visit(site, who, paris(2026, 1, 31, 23, 45))  # 22:45 UTC, still January in Paris
    visit(site, who, paris(2026, 2, 1, 0, 10))  # 23:10 UTC on 31 January: February
    db.session.flush()
    section = attendance(Period(date(2026, 1, 1), date(2026, 1, 31)), [site.id])
    assert key(section, "Passages") == 2
    assert section.heatmap[date(2026, 1, 15).weekday()][9] == 1
    assert section.heatmap[date(2026, 1, 31).weekday()][23] == 1
