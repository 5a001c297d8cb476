"""Demo data of casework, loaded by `flask --app ressourcerie demo` (after members)."""

import random
from datetime import timedelta

from faker import Faker
from flask import current_app
from sqlalchemy import select

from ressourcerie.casework import services
from ressourcerie.casework.models import (
    CareReason,
    Case,
    ClosingReason,
    ConsentMethod,
    DifficultyCategory,
    EntryKind,
    Institution,
    MandateDuration,
    OrientationStatus,
    ProcedureType,
    Relation,
    Visibility,
    WorkSituation,
)
from ressourcerie.columns import local_today
from ressourcerie.directory.models import Partner
from ressourcerie.directory.needs import Need
from ressourcerie.extensions import db
from ressourcerie.members.models import Person
from ressourcerie.security import services as security_services
from ressourcerie.security.models import Site

CASE_COUNT = 25
SOCIAL_NOTES = (
    "Point sur les droits : dossier APA à constituer, pièces listées avec la personne.",
    "Premier entretien : présentation de l'accompagnement, situation d'aide évoquée.",
    "Appel pour préparer le rendez-vous MDPH ; la personne se sent mieux informée.",
    "Information sur le congé de proche aidant et l'AJPA, simulation faite ensemble.",
    "Échange avec la plateforme de répit, une journée d'accueil est envisagée.",
)
PSY_NOTES = (
    "Entretien de soutien : fatigue importante, sommeil perturbé, besoin de parler.",
    "Culpabilité exprimée à l'idée de demander du répit ; travail sur les limites.",
    "Amélioration du moral depuis la reprise d'une activité à la Ressourcerie.",
)
PRIVATE_NOTES = (
    "Hypothèses de travail : deuil anticipé, à reprendre lors de la prochaine séance.",
    "Notes de séance personnelles : points d'appui repérés, ambivalence à explorer.",
)


def seed(site: Site, fake: Faker) -> list[str]:
    """Create about 25 cases at `site` on people of the members demo (idempotent)."""
    if db.session.scalar(select(Case.id).where(Case.site_id == site.id).limit(1)) is not None:
        return []
    domain = current_app.config["DEMO_EMAIL_DOMAIN"]
    social = security_services.find_user_by_email(f"social@{domain}")
    psy = security_services.find_user_by_email(f"psy@{domain}")
    people = list(
        db.session.scalars(
            select(Person)
            .where(Person.anonymised_at.is_(None))
            .order_by(Person.id)
            .limit(CASE_COUNT)
        )
    )
    if not people or social is None or psy is None:
        return []
    rng = random.Random(2026)
    partners = list(db.session.scalars(select(Partner).order_by(Partner.id)))
    today = local_today()
    for number, person in enumerate(people):
        opened_on = today - timedelta(days=rng.randint(20, 500))
        case = services.open_case(
            person,
            site_id=site.id,
            consent_on=opened_on,
            consent_method=rng.choice(list(ConsentMethod)),
            consent_sharing=number % 4 != 0,
            by=social,
            opened_on=opened_on,
        )
        services.add_situation(
            case,
            by=social,
            assessed_on=opened_on,
            relation=rng.choice(list(Relation)),
            reason=rng.choice(list(CareReason)),
            living_together=rng.random() < 0.6,
            hours_per_week=rng.randint(5, 60),
            work_situation=rng.choice(list(WorkSituation)),
            caring_since=opened_on - timedelta(days=rng.randint(100, 3000)),
            exhaustion_level=rng.randint(2, 9),
            needs=rng.sample([need.value for need in Need], k=rng.randint(1, 4)),
        )
        # Some cases fall dormant: their last contact is long ago.
        last_day = min(today, opened_on + timedelta(days=rng.randint(0, 120)))
        span = max((last_day - opened_on).days, 1)
        for index in range(rng.randint(1, 4)):
            services.add_entry(
                case,
                by=social,
                occurred_on=opened_on + timedelta(days=min(span, index * 15)),
                duration_minutes=rng.choice((30, 45, 60)),
                kind=rng.choice(list(EntryKind)),
                visibility=rng.choice((Visibility.TEAM, Visibility.TEAM, Visibility.PROFESSION)),
                note=rng.choice(SOCIAL_NOTES),
            )
        if number % 3 == 0:
            services.add_entry(
                case,
                by=psy,
                occurred_on=last_day,
                duration_minutes=50,
                kind=EntryKind.IN_PERSON,
                visibility=Visibility.TEAM,
                note=rng.choice(PSY_NOTES),
            )
            services.add_entry(
                case,
                by=psy,
                occurred_on=last_day,
                duration_minutes=0,
                kind=EntryKind.IN_PERSON,
                visibility=Visibility.PRIVATE,
                note=rng.choice(PRIVATE_NOTES),
            )
        if partners and number % 2 == 0:
            services.add_orientation(
                case,
                partner=rng.choice(partners),
                need=rng.choice([need.value for need in Need]),
                oriented_on=last_day,
                status=rng.choice(list(OrientationStatus)),
                outcome="",
                by=social,
            )
        if number % 5 == 1:
            mandate = services.create_mandate(
                case,
                scope=[ProcedureType.APA, ProcedureType.MDPH_PCH],
                duration=MandateDuration.SIX_MONTHS,
                starts_on=last_day,
                by=social,
            )
            services.log_procedure(
                case,
                mandate=mandate,
                procedure_type=ProcedureType.APA,
                done_on=last_day,
                description="Dossier APA déposé au Département.",
                by=social,
            )
        if number % 6 == 5:
            services.close_case(case, reason=rng.choice(list(ClosingReason)), closed_on=last_day)
        elif number % 4 == 2:
            services.set_next_appointment(
                case,
                fake.date_time_between(start_date="+1d", end_date="+30d", tzinfo=None)
                .replace(hour=10, minute=0)
                .astimezone(),
            )
    for _index in range(8):
        services.add_difficulty(
            site_id=site.id,
            reported_on=today - timedelta(days=rng.randint(1, 300)),
            category=rng.choice(list(DifficultyCategory)),
            institution=rng.choice(list(Institution)),
            description=rng.choice(
                (
                    "Dossier incomplet signalé trois fois sans indication des pièces manquantes.",
                    "Démarche uniquement en ligne, la personne n'a pas d'accès à internet.",
                    "Plus de six mois sans réponse à une demande de prestation.",
                )
            ),
            by=social,
        )
    db.session.flush()
    return [f"Casework: {len(people)} demo cases at {site.name}."]
