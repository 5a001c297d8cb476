"""The figures of an activity report, computed with SQL aggregates (GROUP BY).

Each section is a list of key figures and tables (`tables.Table`); protected tables go
through `tables.protect` before anyone reads them. Periods are local days in
Europe/Paris; timestamps are compared with the period's UTC bounds.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import (
    Interval,
    String,
    and_,
    case,
    cast,
    func,
    literal,
    select,
    true,
    union,
    union_all,
)
from sqlalchemy.orm import aliased

from ressourcerie.casework import labels as casework_labels
from ressourcerie.casework.aggregates import support_figures
from ressourcerie.columns import LOCAL_TZ, utcnow
from ressourcerie.directory.models import PARTNER_TYPE_LABELS
from ressourcerie.extensions import db
from ressourcerie.members.models import (
    CaregiverStatus,
    CaregiverStatusChange,
    Gender,
    Membership,
    Payment,
    PaymentKind,
    Person,
    Visit,
)
from ressourcerie.members.services.people import GENDER_LABELS
from ressourcerie.members.services.visits import PURPOSE_LABELS
from ressourcerie.reports import impact
from ressourcerie.reports.periods import Period
from ressourcerie.reports.tables import (
    COUNT,
    HOURS,
    MONEY,
    NUMBER,
    SECONDARY,
    SHARE,
    SUPPRESSED,
    THRESHOLD,
    UNDISCLOSED,
    Column,
    Row,
    Table,
    is_hidden,
    protect,
    share,
)
from ressourcerie.workshops.labels import CATEGORY_LABELS, MODE_LABELS, TIER_LABELS
from ressourcerie.workshops.models import (
    Activity,
    Booking,
    BookingStatus,
    Category,
    Mode,
    SessionStatus,
    Tier,
    WorkshopSession,
)

RETURN_WINDOW_DAYS = 90
TOP_COMMUNES = 10
WEEKDAYS = (_l("Lun."), _l("Mar."), _l("Mer."), _l("Jeu."), _l("Ven."), _l("Sam."), _l("Dim."))
AGE_BANDS = (  # (label, lowest age, highest age)
    (_l("Moins de 40 ans"), None, 39),
    (_l("40 à 54 ans"), 40, 54),
    (_l("55 à 64 ans"), 55, 64),
    (_l("65 à 74 ans"), 65, 74),
    (_l("75 ans et plus"), 75, None),
)


@dataclass
class KeyFigure:
    label: str
    value: object  # int, Decimal share, cents (MONEY), or hidden (tables.Suppressed)
    kind: str = COUNT


@dataclass
class Section:
    key: str
    title: str
    figures: list[KeyFigure] = field(default_factory=list)
    tables: list[Table] = field(default_factory=list)
    heatmap: list[list[int]] | None = None  # attendance: 7 weekdays × 24 hours
    note: str = ""


@dataclass
class Report:
    period: Period
    site_ids: list[int]
    site_label: str
    sections: list[Section]
    generated_at: datetime

    def tables(self) -> list[Table]:
        return [table for section in self.sections for table in section.tables]


def _dialect() -> str:
    return db.session.get_bind().dialect.name


def _plus_days(column, days: int):
    if _dialect() == "postgresql":
        return column + literal(timedelta(days=days), type_=Interval())
    return func.datetime(column, f"+{days} days")


def _count_table(key, title, header, counts: dict, labels: dict, *, protected=False, chart=True):
    """A one-count-column table with its share column and total row."""
    order = list(labels) + sorted(k for k in counts if k not in labels and k is not None)
    if None in counts:
        order.append(None)
    rows = [
        Row(
            str(labels.get(code, code if code is not None else _("Non renseigné"))),
            [counts.get(code, 0), None],
        )
        for code in order
        if code in labels or counts.get(code)
    ]
    total = Row(_("Total"), [sum(counts.values()), None], is_total=True)
    return protect(
        Table(
            key=key,
            title=title,
            label_header=header,
            columns=[Column(_("Nombre")), Column(_("Part"), SHARE, share_of=0)],
            rows=rows,
            total=total,
            protected=protected,
            chart="bars" if chart else None,
        )
    )


def _matrix_table(
    key, title, header, counts: dict, row_labels: dict, col_labels: dict, *, protected
):
    """A two-way count table with row and column totals (`counts` by (row, column))."""
    row_codes = [c for c in row_labels if any(counts.get((c, k)) for k in col_labels)]
    row_codes += sorted({r for r, _k in counts} - set(row_labels), key=str)
    col_codes = list(col_labels) + sorted({k for _r, k in counts} - set(col_labels), key=str)
    rows = []
    for code in row_codes:
        values = [counts.get((code, k), 0) for k in col_codes]
        rows.append(Row(str(row_labels.get(code, code)), [*values, sum(values)]))
    totals = [sum(counts.get((r, k), 0) for r in row_codes) for k in col_codes]
    return protect(
        Table(
            key=key,
            title=title,
            label_header=header,
            columns=[*(Column(str(col_labels.get(k, k))) for k in col_codes), Column(_("Total"))],
            rows=rows,
            total=Row(_("Total"), [*totals, sum(totals)], is_total=True),
            protected=protected,
            total_column=True,
        )
    )


def _one_row(*aggregates) -> tuple:
    """Several one-row aggregate SELECTs in one statement: a cross join of their results."""
    subqueries = [aggregate.subquery() for aggregate in aggregates]
    joined = subqueries[0]
    for subquery in subqueries[1:]:
        joined = joined.join(subquery, true())
    columns = [column for subquery in subqueries for column in subquery.c]
    return tuple(db.session.execute(select(*columns).select_from(joined)).one())


def _as_utc(moment) -> datetime:
    """An aggregate of a timestamp column, as an aware UTC datetime (SQLite gives text)."""
    if isinstance(moment, str):
        moment = datetime.fromisoformat(moment)
    return moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment


def _small(value: int) -> object:
    return SUPPRESSED if 0 < value < THRESHOLD else value


# --- attendance ---------------------------------------------------------------------------


def _visits_in(period: Period, site_ids: list[int]):
    return and_(
        Visit.site_id.in_(site_ids),
        Visit.visited_at >= period.utc_start,
        Visit.visited_at < period.utc_end,
    )


def _purposes_and_hours(period: Period, site_ids: list[int]) -> tuple[dict, list]:
    """Visits per purpose, and per local hour (aware datetime, count), in one statement."""
    postgresql = _dialect() == "postgresql"
    if postgresql:
        local = func.timezone(str(LOCAL_TZ), Visit.visited_at)
        bucket = func.to_char(func.date_trunc("hour", local), "YYYY-MM-DD HH24:00:00")
    else:  # SQLite stores UTC text: the hour is converted to local time in Python
        bucket = func.strftime("%Y-%m-%d %H:00:00", Visit.visited_at)
    in_period = _visits_in(period, site_ids)
    rows = db.session.execute(
        union_all(
            select(
                cast(literal("purpose"), String(10)).label("tag"),
                cast(Visit.purpose, String(20)).label("code"),
                func.count().label("n"),
            )
            .where(in_period)
            .group_by(Visit.purpose),
            select(literal("hour"), cast(bucket, String(20)), func.count())
            .where(in_period)
            .group_by(bucket),
        )
    ).all()
    purposes = {code: n for tag, code, n in rows if tag == "purpose"}
    hours = []
    for tag, text, n in rows:
        if tag == "hour":
            moment = datetime.fromisoformat(text)
            if postgresql:
                moment = moment.replace(tzinfo=LOCAL_TZ)
            else:
                moment = moment.replace(tzinfo=UTC).astimezone(LOCAL_TZ)
            hours.append((moment, n))
    return purposes, hours


def attendance(period: Period, site_ids: list[int]) -> Section:
    in_period = _visits_in(period, site_ids)
    counts = select(
        func.count(),
        func.count().filter(Visit.person_id.is_(None)),
        func.count(func.distinct(Visit.person_id)),
    ).where(in_period)

    first = (
        select(Visit.person_id, func.min(Visit.visited_at).label("first_at"))
        .where(Visit.site_id.in_(site_ids), Visit.person_id.isnot(None))
        .group_by(Visit.person_id)
        .subquery()
    )
    later = aliased(Visit)
    came_back = (
        select(later.id)
        .where(
            later.person_id == first.c.person_id,
            later.site_id.in_(site_ids),
            later.visited_at > first.c.first_at,
            later.visited_at <= _plus_days(first.c.first_at, RETURN_WINDOW_DAYS),
        )
        .exists()
    )
    newcomers = select(
        func.count(), func.count().filter(came_back), func.max(first.c.first_at)
    ).where(first.c.first_at >= period.utc_start, first.c.first_at < period.utc_end)
    visits, anonymous, unique, newcomers, returned, last_first_at = _one_row(counts, newcomers)
    by_purpose, by_hour = _purposes_and_hours(period, site_ids)

    heatmap = [[0] * 24 for _day in range(7)]
    by_month: Counter = Counter()
    for moment, n in by_hour:
        heatmap[moment.weekday()][moment.hour] += n
        by_month[(moment.year, moment.month)] += n

    section = Section("attendance", _("Fréquentation"), heatmap=heatmap)
    section.figures = [
        KeyFigure(_("Passages"), visits),
        KeyFigure(_("dont passages anonymes"), anonymous),
        KeyFigure(_("Personnes venues à l'accueil"), unique),
        KeyFigure(_("Premières venues"), newcomers),
        KeyFigure(
            _(
                "Revenu·es dans les %(days)s jours (part des premières venues)",
                days=RETURN_WINDOW_DAYS,
            ),
            share(returned, newcomers),
            SHARE,
        ),
    ]
    if (
        last_first_at is not None
        and _as_utc(last_first_at) + timedelta(days=RETURN_WINDOW_DAYS) > utcnow()
    ):
        section.note = _(
            "Chiffre provisoire : pour les premières venues de moins de %(days)s jours, le "
            "délai de retour n'est pas fini ; la part des revenu·es peut encore monter.",
            days=RETURN_WINDOW_DAYS,
        )
    section.tables.append(
        _count_table(
            "visits_by_purpose", _("Passages par motif"), _("Motif"), by_purpose, PURPOSE_LABELS
        )
    )
    if len(by_month) > 1:
        months = []
        cursor = date(period.start.year, period.start.month, 1)
        while cursor <= period.end:
            months.append((cursor.year, cursor.month))
            cursor = date(cursor.year + cursor.month // 12, cursor.month % 12 + 1, 1)
        section.tables.append(
            protect(
                Table(
                    key="visits_by_month",
                    title=_("Passages par mois"),
                    label_header=_("Mois"),
                    columns=[Column(_("Passages"))],
                    rows=[
                        Row(f"{month:02d}/{year}", [by_month.get((year, month), 0)])
                        for year, month in months
                    ],
                    total=Row(_("Total"), [sum(by_month.values())], is_total=True),
                    chart="columns",
                )
            )
        )
    hours = [h for h in range(24) if any(heatmap[d][h] for d in range(7))]
    if hours:
        first_hour, last_hour = min(hours), max(hours)
        section.tables.append(
            protect(
                Table(
                    key="visits_by_weekday_hour",
                    title=_("Passages par jour et heure d'arrivée"),
                    label_header=_("Heure"),
                    columns=[*(Column(str(day)) for day in WEEKDAYS), Column(_("Total"))],
                    rows=[
                        Row(
                            f"{hour} h",
                            [
                                *(heatmap[d][hour] for d in range(7)),
                                sum(heatmap[d][hour] for d in range(7)),
                            ],
                        )
                        for hour in range(first_hour, last_hour + 1)
                    ],
                    total=Row(
                        _("Total"),
                        [*(sum(heatmap[d]) for d in range(7)), sum(map(sum, heatmap))],
                        is_total=True,
                    ),
                    total_column=True,
                    chart="heatmap",
                )
            )
        )
    return section


# --- public -------------------------------------------------------------------------------


def _people_seen(period: Period, site_ids: list[int]):
    """Ids of the people who came: a visit, or attended a session, in the period."""
    attended = (
        select(Booking.person_id)
        .join(WorkshopSession, WorkshopSession.id == Booking.session_id)
        .where(
            WorkshopSession.site_id.in_(site_ids),
            WorkshopSession.starts_at >= period.utc_start,
            WorkshopSession.starts_at < period.utc_end,
            Booking.status == BookingStatus.ATTENDED,
        )
    )
    visited = select(Visit.person_id).where(
        _visits_in(period, site_ids), Visit.person_id.isnot(None)
    )
    return union(visited, attended).subquery()


ARRIVED_AS_CAREGIVER = "arrived"


def _caregiver_group(period: Period, site_ids: list[int]):
    """Where a person falls in the caregiver table, as a SQL expression on `Person`.

    "arrived": a visit of the period flagged "arrives as caregiver"; otherwise the status
    in force on the last day of the period, read from the status history, so a report
    printed again later gives the same figures. People without any history (rows loaded
    before it existed) fall back on their status and its date.
    """
    history = CaregiverStatusChange
    status_at_end = (
        select(history.status)
        .where(history.person_id == Person.id, history.changed_at < period.utc_end)
        .order_by(history.changed_at.desc(), history.id.desc())
        .limit(1)
        .scalar_subquery()
    )
    has_history = select(history.id).where(history.person_id == Person.id).exists()
    without_history = case(
        (has_history, literal(CaregiverStatus.UNKNOWN.value)),
        (
            Person.caregiver_status_changed_on.is_(None)
            | (Person.caregiver_status_changed_on <= period.end),
            Person.caregiver_status,
        ),
        else_=literal(CaregiverStatus.UNKNOWN.value),
    )
    arrived = (
        select(Visit.id)
        .where(
            Visit.person_id == Person.id,
            Visit.as_caregiver.is_(True),
            _visits_in(period, site_ids),
        )
        .exists()
    )
    return case(
        (arrived, literal(ARRIVED_AS_CAREGIVER)),
        else_=func.coalesce(status_at_end, without_history),
    )


def public(period: Period, site_ids: list[int]) -> Section:
    seen = _people_seen(period, site_ids)
    seen_people = (
        select(Person, _caregiver_group(period, site_ids).label("caregiver_group"))
        .where(Person.id.in_(select(seen.c.person_id)))
        .subquery()
    )
    age = literal(period.end.year) - seen_people.c.birth_year
    band = case(
        *(
            (
                and_(
                    *([age >= low] if low is not None else []),
                    *([age <= high] if high is not None else []),
                ),
                literal(index),
            )
            for index, (_label, low, high) in enumerate(AGE_BANDS)
        ),
        else_=literal(None),
    )
    # One pass over the people for gender, age band and caregiver status (a few dozen
    # groups), then one for the communes.
    genders: Counter = Counter()
    bands: Counter = Counter()
    caregivers: Counter = Counter()
    known_ages = age_total = 0
    for gender, age_band, status, n, known, ages in db.session.execute(
        select(
            seen_people.c.gender,
            band,
            seen_people.c.caregiver_group,
            func.count(),
            func.count(seen_people.c.birth_year),
            func.coalesce(func.sum(age), 0),
        ).group_by(seen_people.c.gender, band, seen_people.c.caregiver_group)
    ):
        genders[gender] += n
        bands[age_band] += n
        caregivers[status] += n
        known_ages += known
        age_total += int(ages)
    average_age = age_total / known_ages if known_ages else None
    communes = db.session.execute(
        select(seen_people.c.commune, func.count())
        .group_by(seen_people.c.commune)
        .order_by(func.count().desc(), seen_people.c.commune)
    ).all()
    people = sum(genders.values())

    section = Section("public", _("Public"))
    section.figures = [
        # The total of the protected tables below: shown, 1 to 4 would name them.
        KeyFigure(_("Personnes venues (passage ou atelier)"), _small(people)),
        KeyFigure(
            _("Âge moyen"),
            UNDISCLOSED
            if known_ages < THRESHOLD or average_age is None
            else round(float(average_age)),
            NUMBER,
        ),
    ]
    gender_labels = {
        g: GENDER_LABELS[g] for g in (Gender.WOMAN, Gender.MAN, Gender.OTHER, Gender.NOT_SAID)
    }
    if "" in genders:
        genders[Gender.NOT_SAID] = genders.get(Gender.NOT_SAID, 0) + genders.pop("")
    section.tables.append(
        _count_table(
            "public_gender",
            _("Public par genre"),
            _("Genre"),
            genders,
            gender_labels,
            protected=True,
        )
    )
    band_labels = {index: label for index, (label, _low, _high) in enumerate(AGE_BANDS)}
    section.tables.append(
        _count_table(
            "public_age", _("Public par âge"), _("Âge"), bands, band_labels, protected=True
        )
    )
    named = [(name, n) for name, n in communes if name]
    top = named[:TOP_COMMUNES]
    others = sum(n for _name, n in named[TOP_COMMUNES:])
    unknown = sum(n for name, n in communes if not name)
    commune_counts = {name: n for name, n in top}
    commune_labels = {name: name for name, _n in top}
    if others:
        commune_counts["~others"] = others
        commune_labels["~others"] = _("Autres communes")
    if unknown:
        commune_counts["~unknown"] = unknown
        commune_labels["~unknown"] = _("Non renseignée")
    section.tables.append(
        _count_table(
            "public_communes",
            _("Communes les plus représentées"),
            _("Commune"),
            commune_counts,
            commune_labels,
            protected=True,
            chart=False,
        )
    )
    caregiver_labels = {
        ARRIVED_AS_CAREGIVER: _("Arrivé·es en tant que proches aidant·es (passage de la période)"),
        CaregiverStatus.IDENTIFIED_BY_TEAM: _("Repéré·es ensuite comme proches aidant·es"),
        CaregiverStatus.SELF_DECLARED: _(
            "Se disant proches aidant·es, sans passage « aidant » sur la période"
        ),
        CaregiverStatus.UNKNOWN: _("Non connu"),
    }
    section.tables.append(
        _count_table(
            "public_caregivers",
            _("Proches aidant·es"),
            _("Statut"),
            caregivers,
            caregiver_labels,
            protected=True,
        )
    )
    return section


# --- memberships --------------------------------------------------------------------------


def memberships(period: Period, site_ids: list[int]) -> Section:
    started = and_(
        Membership.site_id.in_(site_ids), Membership.starts_on.between(period.start, period.end)
    )
    new, renewed, active, revenue = _one_row(
        select(
            func.count().filter(Membership.renewal_of_id.is_(None)),
            func.count().filter(Membership.renewal_of_id.isnot(None)),
        ).where(started),
        select(func.count(func.distinct(Membership.person_id))).where(
            Membership.site_id.in_(site_ids),
            Membership.starts_on <= period.end,
            Membership.ends_on >= period.end,
        ),
        select(func.coalesce(func.sum(Payment.amount_cents), 0)).where(
            Payment.site_id.in_(site_ids),
            Payment.kind == PaymentKind.MEMBERSHIP,
            Payment.received_at >= period.utc_start,
            Payment.received_at < period.utc_end,
        ),
    )
    section = Section("memberships", _("Adhésions"))
    section.figures = [
        KeyFigure(_("Nouvelles adhésions"), new),
        KeyFigure(_("Renouvellements"), renewed),
        KeyFigure(_("Adhérent·es à la fin de la période"), active),
        KeyFigure(_("Cotisations encaissées"), int(revenue), MONEY),
    ]
    section.tables.append(
        protect(
            Table(
                key="memberships",
                title=_("Adhésions"),
                label_header=_("Indicateur"),
                columns=[Column(_("Valeur"))],
                rows=[
                    Row(_("Nouvelles adhésions"), [new]),
                    Row(_("Renouvellements"), [renewed]),
                    Row(_("Adhérent·es à la fin de la période"), [active]),
                ],
            )
        )
    )
    return section


# --- workshops ----------------------------------------------------------------------------


def workshops(period: Period, site_ids: list[int]) -> Section:
    now = utcnow()
    in_period = and_(
        WorkshopSession.site_id.in_(site_ids),
        WorkshopSession.starts_at >= period.utc_start,
        WorkshopSession.starts_at < period.utc_end,
    )
    cancelled = WorkshopSession.status == SessionStatus.CANCELLED
    held = and_(WorkshopSession.status != SessionStatus.CANCELLED, WorkshopSession.starts_at <= now)
    session_rows = db.session.execute(
        select(
            Activity.category,
            WorkshopSession.mode,
            func.count().filter(held),
            func.count().filter(cancelled),
            func.coalesce(func.sum(case((held, WorkshopSession.capacity), else_=0)), 0),
            func.count().filter(held, Activity.paid.is_(False)),
        )
        .join(Activity, Activity.id == WorkshopSession.activity_id)
        .where(in_period)
        .group_by(Activity.category, WorkshopSession.mode)
    ).all()
    held_count = sum(row[2] for row in session_rows)
    cancelled_count = sum(row[3] for row in session_rows)
    places = sum(int(row[4]) for row in session_rows)
    free_sessions = sum(row[5] for row in session_rows)

    seats = case((Booking.with_companion, 2), else_=1)
    seated = Booking.status.in_(
        (BookingStatus.CONFIRMED, BookingStatus.ATTENDED, BookingStatus.NO_SHOW)
    )
    booking_base = (
        select()
        .select_from(Booking)
        .join(WorkshopSession, WorkshopSession.id == Booking.session_id)
        .where(in_period, held)
    )
    bookings, seats_taken, attended, no_show, participants = db.session.execute(
        booking_base.add_columns(
            func.count().filter(seated),
            func.coalesce(func.sum(case((seated, seats), else_=0)), 0),
            func.count().filter(Booking.status == BookingStatus.ATTENDED),
            func.count().filter(Booking.status == BookingStatus.NO_SHOW),
            func.count(
                func.distinct(case((Booking.status == BookingStatus.ATTENDED, Booking.person_id)))
            ),
        )
    ).one()
    tier_rows = db.session.execute(
        booking_base.add_columns(
            Booking.tier, func.count(), func.coalesce(func.sum(Booking.amount_cents), 0)
        )
        .where(seated)
        .group_by(Booking.tier)
    ).all()
    pointed = attended + no_show

    section = Section("workshops", _("Ateliers"))
    section.figures = [
        KeyFigure(_("Séances tenues"), held_count),
        KeyFigure(_("Séances annulées"), cancelled_count),
        KeyFigure(_("Places offertes"), places),
        KeyFigure(_("Réservations"), bookings),
        KeyFigure(_("Taux de remplissage"), share(int(seats_taken), places), SHARE),
        KeyFigure(_("Taux de présence"), share(attended, pointed), SHARE),
        KeyFigure(_("Taux d'absence non excusée"), share(no_show, pointed), SHARE),
        KeyFigure(_("Participant·es différent·es"), participants),
        KeyFigure(_("Séances gratuites"), free_sessions),
        KeyFigure(
            _("Montant des réservations (tarif appliqué)"),
            sum(int(row[2]) for row in tier_rows),
            MONEY,
        ),
    ]
    by_category: dict = {}
    for category, mode, held_n, cancelled_n, capacity, _free in session_rows:
        by_category[(category, mode)] = (held_n, cancelled_n, int(capacity))
    categories = [c for c in Category if any(k[0] == c for k in by_category)]
    categories += sorted({k[0] for k in by_category} - set(categories))
    rows = []
    for category in categories:
        for mode in [m for m in Mode if (category, m) in by_category] + sorted(
            {k[1] for k in by_category if k[0] == category} - set(Mode)
        ):
            held_n, cancelled_n, capacity = by_category[(category, mode)]
            rows.append(
                Row(
                    f"{CATEGORY_LABELS.get(category, category)} — {MODE_LABELS.get(mode, mode)}",
                    [held_n, cancelled_n, capacity],
                )
            )
    section.tables.append(
        protect(
            Table(
                key="sessions_by_category",
                title=_("Séances par catégorie et modalité"),
                label_header=_("Catégorie — modalité"),
                columns=[Column(_("Tenues")), Column(_("Annulées")), Column(_("Places offertes"))],
                rows=rows,
                total=Row(_("Total"), [held_count, cancelled_count, places], is_total=True),
                chart="bars",
            )
        )
    )
    tiers = {tier: (n, int(cents)) for tier, n, cents in tier_rows}
    section.tables.append(
        protect(
            Table(
                key="revenue_by_tier",
                title=_("Réservations et montants par tarif"),
                label_header=_("Tarif"),
                columns=[
                    Column(_("Réservations")),
                    Column(_("Montant au tarif appliqué"), MONEY),
                ],
                rows=[
                    Row(str(TIER_LABELS.get(tier, tier)), list(tiers.get(tier, (0, 0))))
                    for tier in [*Tier, *sorted(set(tiers) - set(Tier))]
                ],
                total=Row(
                    _("Total"),
                    [sum(v[0] for v in tiers.values()), sum(v[1] for v in tiers.values())],
                    is_total=True,
                ),
            )
        )
    )
    section.tables.append(
        protect(
            Table(
                key="workshop_attendance",
                title=_("Présence aux séances tenues"),
                label_header=_("Indicateur"),
                columns=[Column(_("Valeur"), NUMBER)],
                rows=[
                    Row(_("Places offertes"), [places]),
                    Row(
                        _("Places occupées (une réservation avec accompagnant·e en compte deux)"),
                        [int(seats_taken)],
                    ),
                    Row(_("Réservations"), [bookings]),
                    Row(_("Présent·es"), [attended]),
                    Row(_("Absent·es sans prévenir"), [no_show]),
                    Row(_("Participant·es différent·es"), [participants]),
                    Row(_("Séances gratuites"), [free_sessions]),
                ],
            )
        )
    )
    return section


# --- support ------------------------------------------------------------------------------


def support(period: Period, site_ids: list[int]) -> Section:
    figures = support_figures(period.start, period.end, site_ids)
    section = Section(
        "support",
        _("Accompagnement"),
        note=_(
            "Chiffres agrégés ; toute case de moins de 5 personnes est masquée (« < 5 »), "
            "« s » masque une autre case pour protéger la première."
        ),
    )
    section.figures = [
        KeyFigure(_("Personnes accompagnées"), _small(figures.people_supported)),
        KeyFigure(_("Nouveaux dossiers"), _small(figures.new_cases)),
        KeyFigure(_("Entretiens et actions"), _small(figures.entries)),
        KeyFigure(
            _("Heures d'entretien et d'action"),
            UNDISCLOSED if 0 < figures.people_supported < THRESHOLD else figures.hours,
            HOURS,
        ),
    ]
    section.tables.append(
        _count_table(
            "support_type",
            _("Personnes accompagnées par type de soutien"),
            _("Soutien"),
            figures.people_by_support_type,
            {k: v for k, v in casework_labels.SUPPORT_TYPE_LABELS.items() if k is not None},
            protected=True,
        )
    )
    section.tables.append(
        _count_table(
            "support_closed",
            _("Dossiers clôturés par motif"),
            _("Motif"),
            figures.closed_by_reason,
            casework_labels.CLOSING_REASON_LABELS,
            protected=True,
            chart=False,
        )
    )
    section.tables.append(
        _count_table(
            "support_entries",
            _("Entretiens et actions par forme"),
            _("Forme"),
            figures.entries_by_kind,
            casework_labels.ENTRY_KIND_LABELS,
            protected=True,
            chart=False,
        )
    )
    section.tables.append(
        _matrix_table(
            "support_orientations",
            _("Orientations par type de partenaire et état"),
            _("Type de partenaire"),
            figures.orientations_by_partner_type_and_status,
            PARTNER_TYPE_LABELS,
            casework_labels.ORIENTATION_STATUS_LABELS,
            protected=True,
        )
    )
    section.tables.append(
        _count_table(
            "support_procedures",
            _("Démarches administratives par type"),
            _("Démarche"),
            figures.procedures_by_type,
            casework_labels.PROCEDURE_LABELS,
            protected=True,
            chart=False,
        )
    )
    section.tables.append(
        _matrix_table(
            "support_difficulties",
            _("Fiches de remontée par catégorie et institution"),
            _("Catégorie"),
            figures.difficulties_by_category_and_institution,
            casework_labels.DIFFICULTY_LABELS,
            casework_labels.INSTITUTION_LABELS,
            protected=True,
        )
    )
    return section


# --- impact -------------------------------------------------------------------------------


BLANK = "~blank"


def _impact_table(summary: dict) -> Table:
    """Per question: each answer, blanks, the questionnaires (row total), share "better".

    Protected like demographics. The share of "better" (among the answers given) is hidden
    when the "better" or the blank count is: with the row total it would give them back.
    """
    questions = summary["questions"]
    rows = [
        Row(
            question["short_label"],
            [
                question["counts"]["improved"],
                question["counts"]["same"],
                question["counts"]["worse"],
                question["counts"]["dont_know"],
                question["unanswered"],
                question["answered"] + question["unanswered"],
                question["improved_share"],
                question["reference_share"],
            ],
        )
        for question in questions
    ]
    table = protect(
        Table(
            key="impact",
            title=_("Résultats du questionnaire d'impact"),
            label_header=_("Question"),
            columns=[
                Column(_("Mieux")),
                Column(_("Pareil")),
                Column(_("Moins bien")),
                Column(_("Ne sait pas")),
                Column(_("Sans réponse")),
                Column(_("Total")),
                Column(_("Part « mieux »"), SHARE),
                Column(_("Référence Bordeaux"), SHARE),
            ],
            rows=rows,
            protected=True,
            total_column=True,
            chart="impact",
        )
    )
    for row in table.rows:
        improved, blank = row.values[0], row.values[4]
        if is_hidden(improved) or is_hidden(blank):
            row.values[6] = SECONDARY  # a share: "< 5" would read as "under 5 %"
    return table


def impact_section(period: Period, site_ids: list[int]) -> Section:
    summary = impact.impact_summary(period.start, period.end, site_ids)
    section = Section("impact", _("Impact"))
    answers = summary.get("answers", 0)
    section.figures = [KeyFigure(_("Réponses au questionnaire"), _small(answers))]
    if not answers:
        section.note = _("Pas encore de réponse au questionnaire d'impact sur la période.")
        return section
    section.tables.append(_impact_table(summary))
    section.note = _(
        "Part « mieux » : parmi les réponses données à la question (« ne sait pas » compris, "
        "sans réponse exclu). Toute case de moins de 5 personnes est masquée (« < 5 ») ; "
        "« s » masque une autre case pour protéger la première."
    )
    caregiver = summary["sees_self_as_caregiver"]
    section.tables.append(
        _count_table(
            "impact_caregiver",
            caregiver["label"],
            _("Réponse"),
            {**caregiver["counts"], BLANK: caregiver["unanswered"]},
            {**caregiver["choice_labels"], BLANK: _("Sans réponse")},
            protected=True,
            chart=False,
        )
    )
    return section


SECTIONS = (attendance, public, memberships, workshops, support, impact_section)


def build_report(period: Period, site_ids: list[int], site_label: str) -> Report:
    site_ids = sorted(site_ids)
    return Report(
        period=period,
        site_ids=site_ids,
        site_label=site_label,
        sections=[build(period, site_ids) for build in SECTIONS],
        generated_at=utcnow(),
    )
