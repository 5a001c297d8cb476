"""Demo data of this feature, loaded by `flask --app ressourcerie demo`: the reference
opening hours, a winter closure, a dozen activities with weekly sessions over the past and
next two months, and bookings of the demo people (past ones checked in)."""

import random
from datetime import date, datetime, time, timedelta

from faker import Faker
from sqlalchemy import select

from ressourcerie.columns import local_date, local_today, utcnow
from ressourcerie.extensions import db
from ressourcerie.members.models import Person
from ressourcerie.security.models import Role, Site, User, UserRole
from ressourcerie.workshops.models import (
    Activity,
    Booking,
    BookingStatus,
    Category,
    Channel,
    Mode,
    WorkshopSession,
)
from ressourcerie.workshops.services import hours
from ressourcerie.workshops.services.pricing import price_for
from ressourcerie.workshops.services.sessions import Slot, create_series

# title, category, paid, mode, weekday, start, minutes, capacity, external provider, summary
ACTIVITIES = (
    (
        "Yoga doux sur chaise",
        Category.PHYSICAL,
        True,
        Mode.ON_SITE,
        1,
        time(10, 30),
        60,
        10,
        "Association Souffle",
        "On bouge doucement, assis sur une chaise. Pas besoin d'être sportif.",
    ),
    (
        "Pilates",
        Category.PHYSICAL,
        True,
        Mode.ON_SITE,
        4,
        time(16),
        60,
        8,
        "Claire Dubreuil, éducatrice sportive",
        "Des exercices pour le dos et l'équilibre.",
    ),
    (
        "Sophrologie",
        Category.WELLBEING,
        True,
        Mode.HYBRID,
        2,
        time(17),
        75,
        12,
        "",
        "On apprend à respirer et à se détendre. On peut venir ou suivre en visio.",
    ),
    (
        "Soins esthétiques et pause beauté",
        Category.WELLBEING,
        True,
        Mode.ON_SITE,
        4,
        time(14),
        120,
        6,
        "École d'esthétique de Bordeaux",
        "Un moment pour prendre soin de soi.",
    ),
    (
        "Visite guidée du quartier",
        Category.LEISURE,
        False,
        Mode.ON_SITE,
        2,
        time(14),
        120,
        15,
        "",
        "On se promène ensemble et on découvre l'histoire du quartier.",
    ),
    (
        "Atelier créatif : collage et peinture",
        Category.LEISURE,
        False,
        Mode.ON_SITE,
        3,
        time(14, 30),
        90,
        10,
        "",
        "On crée avec du papier, des couleurs et de la colle. Aucun talent requis.",
    ),
    (
        "Conférence : les droits de l'aidant",
        Category.LEISURE,
        False,
        Mode.HYBRID,
        2,
        time(17, 30),
        90,
        30,
        "France Services",
        "Une conférence pour connaître vos droits et les aides.",
    ),
    (
        "Numérique : mon téléphone au quotidien",
        Category.PRACTICAL,
        False,
        Mode.ON_SITE,
        0,
        time(14),
        120,
        8,
        "",
        "On apprend à se servir de son téléphone : messages, photos, démarches.",
    ),
    (
        "Zéro déchet à la maison",
        Category.PRACTICAL,
        False,
        Mode.ON_SITE,
        2,
        time(10, 30),
        90,
        12,
        "",
        "Des astuces pour moins jeter et faire ses produits ménagers.",
    ),
    (
        "Repas partagé",
        Category.SOCIAL,
        False,
        Mode.ON_SITE,
        4,
        time(12),
        120,
        20,
        "",
        "Chacun apporte un plat et on mange ensemble.",
    ),
    (
        "Pause thé",
        Category.SOCIAL,
        False,
        Mode.ON_SITE,
        3,
        time(16),
        90,
        15,
        "",
        "Un thé, des gâteaux, et du temps pour parler.",
    ),
    (
        "Groupe de parole des aidants",
        Category.SUPPORT,
        False,
        Mode.HYBRID,
        1,
        time(14),
        90,
        10,
        "",
        "On parle de ce qu'on vit avec d'autres aidants. Ce qui est dit reste dans le groupe.",
    ),
)
ACCESSIBILITY = "Salle de plain-pied, accessible en fauteuil. Boucle magnétique sur demande."


def _animator(site: Site) -> User | None:
    return db.session.execute(
        select(User)
        .join(UserRole, UserRole.user_id == User.id)
        .where(UserRole.role == Role.ANIMATOR.value)
        .order_by(User.id)
        .limit(1)
    ).scalar_one_or_none()


def _first_on_or_after(day: date, weekday: int) -> date:
    return day + timedelta(days=(weekday - day.weekday()) % 7)


def seed(site: Site, fake: Faker) -> list[str]:
    """Create this feature's demo rows at `site` (idempotent); return lines to print."""
    if db.session.scalar(select(Activity.id).limit(1)) is not None:
        return []
    rng = random.Random(44)
    today = local_today()
    hours.set_reference_hours(site.id)
    christmas = date(today.year, 12, 24)
    hours.add_closure(site.id, christmas, christmas + timedelta(days=8), "Fermeture de fin d'année")
    animator = _animator(site)
    start, end = today - timedelta(days=61), today + timedelta(days=61)
    sessions: list[WorkshopSession] = []
    for index, row in enumerate(ACTIVITIES):
        title, category, paid, mode, weekday, clock, minutes, capacity, provider, summary = row
        activity = Activity(
            site_id=site.id,
            title=title,
            category=category,
            paid=paid,
            mode=mode,
            description=(
                f"{summary} Séance de {minutes} minutes en petit groupe ({capacity} places). "
                "Aucune expérience n'est nécessaire : venez comme vous êtes, "
                "l'équipe vous accueille dix minutes avant."
            ),
            easy_summary=summary,
            accessibility_notes=ACCESSIBILITY,
            facilitator_id=animator.id if animator and not provider and index % 2 == 0 else None,
            facilitator_name=provider,
            default_capacity=capacity,
            default_duration_minutes=minutes,
        )
        db.session.add(activity)
        db.session.flush()
        first = _first_on_or_after(start, weekday)
        finish = (datetime.combine(first, clock) + timedelta(minutes=minutes)).time()
        slot = Slot(
            day=first,
            start=clock,
            end=finish,
            capacity=capacity,
            room=rng.choice(("Salle du jardin", "Grande salle", "Atelier")),
            mode=mode,
            video_link="https://visio.example.org/ressourcerie-" + str(index)
            if mode != Mode.ON_SITE
            else "",
        )
        sessions.extend(create_series(activity, slot, end, by=animator).sessions)
    db.session.flush()
    people = list(
        db.session.scalars(select(Person).where(Person.anonymised_at.is_(None)).order_by(Person.id))
    )
    bookings = _bookings(sessions, people, rng) if people else 0
    return [
        f"{len(ACTIVITIES)} activities, {len(sessions)} sessions, {bookings} bookings "
        "(opening hours: Tue/Wed/Fri 10-18, other afternoons, first Saturday)"
    ]


def _bookings(sessions: list[WorkshopSession], people: list[Person], rng: random.Random) -> int:
    """Fill sessions directly (no messages for demo data): past ones checked in."""
    now = utcnow()
    member = db.session.execute(
        select(Person).where(Person.user_id.is_not(None)).order_by(Person.id).limit(1)
    ).scalar_one_or_none()
    count = 0
    for session in sessions:
        past = session.ends_at < now
        wanted = rng.randint(1, session.capacity) if past else rng.randint(0, session.capacity)
        chosen = rng.sample(people, min(wanted, len(people)))
        if member is not None and not past and rng.random() < 0.15 and member not in chosen:
            chosen.append(member)
        day = local_date(session.starts_at)
        for person in chosen:
            companion = rng.random() < 0.1
            seats = 2 if companion else 1
            if session.seats_taken + seats > session.capacity:
                status = BookingStatus.WAITLISTED
            else:
                session.seats_taken += seats
                status = BookingStatus.CONFIRMED
                if past:
                    status = (
                        BookingStatus.ATTENDED if rng.random() < 0.85 else BookingStatus.NO_SHOW
                    )
            price = price_for(person, paid=session.activity.paid, day=day)
            db.session.add(
                Booking(
                    session_id=session.id,
                    person_id=person.id,
                    status=status,
                    with_companion=companion,
                    companion_name="Jean" if companion else "",
                    companion_notes="Se déplace avec un déambulateur." if companion else None,
                    tier=price.tier,
                    amount_cents=price.amount_cents,
                    channel=rng.choice((Channel.ONLINE, Channel.PHONE, Channel.DESK)),
                    booked_at=session.starts_at - timedelta(days=rng.randint(1, 20)),
                    waitlisted_at=session.starts_at - timedelta(days=1)
                    if status == BookingStatus.WAITLISTED
                    else None,
                    checked_in_at=session.starts_at if status == BookingStatus.ATTENDED else None,
                    reminder_queued_at=session.starts_at if past else None,
                )
            )
            count += 1
    db.session.flush()
    return count
