"""Builders of casework rows for tests (people, cases, entries, partners, referrals)."""

from datetime import date

from sqlalchemy import select

from ressourcerie.casework import services
from ressourcerie.casework.models import Case, MandateDuration, OrientationStatus, ProcedureType
from ressourcerie.columns import local_today
from ressourcerie.directory.models import Partner
from ressourcerie.extensions import db
from ressourcerie.members.models import Person, Referral
from ressourcerie.security.models import Site, User


def default_site() -> Site:
    return db.session.execute(select(Site).order_by(Site.id).limit(1)).scalar_one()


def other_site(name: str = "Antenne de Libourne") -> Site:
    site = db.session.execute(select(Site).where(Site.name == name)).scalar_one_or_none()
    if site is None:
        site = Site(name=name, town="Libourne")
        db.session.add(site)
        db.session.flush()
    return site


def make_person(first: str = "Martine", last: str = "Lefort", site: Site | None = None) -> Person:
    person = Person(site_id=(site or default_site()).id)
    person.set_identity(first, last)
    db.session.add(person)
    db.session.flush()
    return person


def make_partner(name: str = "Plateforme de répit du Bordelais") -> Partner:
    partner = Partner(name=name)
    for attribute, value in (("type", "respite_platform"), ("public", True)):
        if hasattr(Partner, attribute):
            setattr(partner, attribute, value)
    db.session.add(partner)
    db.session.flush()
    return partner


def make_case(
    person: Person | None = None,
    *,
    site: Site | None = None,
    sharing: bool = True,
    by: User | None = None,
    opened_on: date | None = None,
) -> Case:
    site = site or default_site()
    person = person or make_person(site=site)
    return services.open_case(
        person,
        site_id=site.id,
        consent_on=opened_on or local_today(),
        consent_method="written",
        consent_sharing=sharing,
        by=by,
        opened_on=opened_on,
    )


def make_referral(person: Person, site: Site | None = None, by_id: int | None = None) -> Referral:
    referral = Referral(
        site_id=(site or default_site()).id,
        person_id=person.id,
        category="possible_caregiver",
        comment="Semble épuisée, parle de sa mère.",
        created_by_id=by_id,
    )
    db.session.add(referral)
    db.session.flush()
    return referral


def build_casework_fixture() -> dict:
    """One case at the default site with an entry, a mandate, an orientation, a referral."""
    case = make_case(make_person("Matrice", "Dossier"))
    services.add_entry(
        case,
        by=_care_author(),
        occurred_on=local_today(),
        duration_minutes=30,
        kind="phone",
        visibility="team",
        note="Note de matrice",
    )
    mandate = services.create_mandate(
        case,
        scope=[ProcedureType.APA],
        duration=MandateDuration.ONE_MONTH,
        starts_on=local_today(),
        by=None,
    )
    orientation = services.add_orientation(
        case,
        partner=make_partner(),
        need="respite",
        oriented_on=local_today(),
        status=OrientationStatus.PROPOSED,
        outcome="",
        by=None,
    )
    referral = make_referral(make_person("Matrice", "Signalée"))
    free = make_person("Matrice", "Libre")
    db.session.commit()
    return {
        "cw_case_id": case.id,
        "cw_mandate_id": mandate.id,
        "cw_orientation_id": orientation.id,
        "cw_referral_id": referral.id,
        "cw_free_person_id": free.id,
    }


def _care_author():
    from ressourcerie.security import services as security_services
    from ressourcerie.security.models import Role

    user = security_services.find_user_by_email("matrix-author@example.org")
    if user is None:
        user = security_services.create_user(
            email="matrix-author@example.org",
            display_name="Auteur matrice",
            roles=[Role.SOCIAL_WORKER],
            sites=[default_site()],
            password="correct horse battery staple",
        )
        db.session.flush()
    return user
