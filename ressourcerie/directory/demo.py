"""Demo data of this feature, loaded by `flask --app ressourcerie demo`."""

import random
import re
from datetime import timedelta

from faker import Faker
from sqlalchemy import select

from ressourcerie.columns import local_today
from ressourcerie.directory.models import Partner, PartnerType, place_key
from ressourcerie.directory.needs import Need
from ressourcerie.directory.services import PartnerData, save_partner
from ressourcerie.extensions import db
from ressourcerie.security.models import Site

# Real communes of the Bordeaux area with their postcodes (places, not people).
COMMUNES = [
    ("Bordeaux", "33000"),
    ("Bordeaux", "33100"),
    ("Bordeaux", "33200"),
    ("Bordeaux", "33300"),
    ("Bordeaux", "33800"),
    ("Mérignac", "33700"),
    ("Pessac", "33600"),
    ("Talence", "33400"),
    ("Bègles", "33130"),
    ("Villenave-d'Ornon", "33140"),
    ("Cenon", "33150"),
    ("Lormont", "33310"),
    ("Floirac", "33270"),
    ("Le Bouscat", "33110"),
    ("Libourne", "33500"),
    ("Arcachon", "33120"),
]
TOWNS = sorted({name for name, _ in COMMUNES})
BORDEAUX_POSTCODES = [pc for name, pc in COMMUNES if name == "Bordeaux"]
ONE_PER_TOWN = [(name, pc) for name, pc in COMMUNES if name != "Bordeaux" or pc == "33000"]

# type → (how many, needs covered, plain description, name pattern)
TYPES = {
    PartnerType.CCAS: (
        8,
        [Need.ADMINISTRATIVE_HELP, Need.RIGHTS_INFORMATION, Need.HOME_HELP],
        "Le service social de la mairie. Il vous aide à demander les aides (APA, aide "
        "ménagère, portage de repas) et à remplir les dossiers.",
        "CCAS {de_town}",
    ),
    PartnerType.CLIC: (
        3,
        [Need.RIGHTS_INFORMATION, Need.ADMINISTRATIVE_HELP, Need.ISOLATION],
        "Un lieu d'information pour les personnes âgées et leurs proches : on vous "
        "explique vos droits et on vous oriente vers les bons services.",
        "CLIC {word} {town}",
    ),
    PartnerType.RESPITE_PLATFORM: (
        4,
        [Need.RESPITE, Need.PSYCHOLOGICAL_SUPPORT, Need.ISOLATION],
        "Pour souffler quelques heures : une personne vient prendre le relais à la "
        "maison, ou votre proche est accueilli. Des groupes de parole pour les aidants.",
        "Plateforme de répit {word}",
    ),
    PartnerType.DAY_CARE: (
        5,
        [Need.RESPITE, Need.ISOLATION],
        "Votre proche est accueilli une ou plusieurs journées par semaine, avec des "
        "activités. Pendant ce temps, vous pouvez vous reposer ou travailler.",
        "Accueil de jour {word}",
    ),
    PartnerType.HOME_HELP: (
        7,
        [Need.HOME_HELP, Need.WORK_CARE_BALANCE],
        "Des aides à domicile pour le ménage, les repas, la toilette et les courses de "
        "votre proche. Une partie peut être prise en charge par l'APA.",
        "{company} Services à domicile",
    ),
    PartnerType.NURSING_SERVICE: (
        4,
        [Need.HOME_HELP, Need.OWN_HEALTH],
        "Des soignants viennent à la maison pour les soins de votre proche, sur "
        "prescription du médecin.",
        "SSIAD {word} {town}",
    ),
    PartnerType.TEMPORARY_ACCOMMODATION: (
        4,
        [Need.TEMPORARY_ACCOMMODATION, Need.RESPITE],
        "Votre proche peut être hébergé quelques jours ou quelques semaines, par "
        "exemple pendant une hospitalisation de l'aidant ou des vacances.",
        "Résidence {word}",
    ),
    PartnerType.MDPH: (
        1,
        [Need.RIGHTS_INFORMATION, Need.ADMINISTRATIVE_HELP],
        "Pour les demandes liées au handicap : allocations, carte mobilité inclusion, "
        "prestation de compensation (PCH), y compris pour l'aidant.",
        "MDPH de la Gironde",
    ),
    PartnerType.CAF: (
        2,
        [Need.RIGHTS_INFORMATION, Need.WORK_CARE_BALANCE],
        "Informations sur l'allocation journalière du proche aidant (AJPA) quand vous "
        "prenez un congé pour vous occuper d'un proche.",
        "CAF de la Gironde — accueil {town}",
    ),
    PartnerType.CPAM: (
        2,
        [Need.OWN_HEALTH, Need.RIGHTS_INFORMATION],
        "Votre santé compte aussi : bilan de santé gratuit, aide pour la complémentaire "
        "santé, remboursements.",
        "CPAM de la Gironde — agence {town}",
    ),
    PartnerType.FRANCE_SERVICES: (
        4,
        [Need.ADMINISTRATIVE_HELP, Need.RIGHTS_INFORMATION],
        "Un conseiller vous aide pour toutes vos démarches en ligne (impôts, CAF, "
        "retraite, santé), gratuitement et près de chez vous.",
        "France Services {town}",
    ),
    PartnerType.ASSOCIATION: (
        10,
        [Need.PSYCHOLOGICAL_SUPPORT, Need.ISOLATION, Need.RESPITE, Need.OWN_HEALTH],
        "Des bénévoles et des aidants qui vous écoutent : permanences, cafés des "
        "aidants, sorties, groupes de parole.",
        "Association {word} Aidants",
    ),
    PartnerType.PENSION_FUND: (
        3,
        [Need.HOME_HELP, Need.WORK_CARE_BALANCE, Need.RIGHTS_INFORMATION],
        "Votre caisse de retraite peut financer de l'aide à domicile et des séjours de "
        "répit, et vous conseiller pour votre propre retraite d'aidant.",
        "Caisse de retraite {company}",
    ),
    PartnerType.OTHER: (
        3,
        [Need.PSYCHOLOGICAL_SUPPORT, Need.WORK_CARE_BALANCE, Need.OWN_HEALTH],
        "Consultations et conseils pour les aidants : psychologue, sophrologie, aide "
        "pour parler de votre situation avec votre employeur.",
        "Espace {word} Santé",
    ),
}
WORDS = [
    "Les Tilleuls",
    "Horizon",
    "Le Phare",
    "Les Pins",
    "L'Estuaire",
    "Garonne",
    "Les Vignes",
    "Le Relais",
    "Entre-Deux-Mers",
    "Les Chênes",
    "Océane",
    "La Passerelle",
    "Les Acacias",
    "Le Lien",
    "Soleil",
]
HOURS = [
    "Du lundi au vendredi, 9 h – 12 h 30 et 13 h 30 – 17 h",
    "Lundi, mardi, jeudi 9 h – 17 h ; mercredi matin",
    "Du lundi au vendredi, 8 h 30 – 18 h ; sur rendez-vous l'après-midi",
    "Permanence le mardi 14 h – 17 h et le samedi matin",
    "7 jours sur 7, 8 h – 20 h",
]


def seed(site: Site, fake: Faker) -> list[str]:
    """Create this feature's demo rows (idempotent); return lines to print."""
    if db.session.scalar(select(Partner.id).limit(1)) is not None:
        return []
    rng = random.Random(33)
    today = local_today()
    count = 0
    names: set[str] = set()
    for type_number, (partner_type, (how_many, needs, description, pattern)) in enumerate(
        TYPES.items()
    ):
        for index in range(how_many):
            if "town}" in pattern:  # one per town: no two "CCAS de Pessac"
                town, postcode = ONE_PER_TOWN[(index * 7 + type_number * 3) % len(ONE_PER_TOWN)]
                if town == "Bordeaux":
                    postcode = rng.choice(BORDEAUX_POSTCODES)
            else:
                town, postcode = COMMUNES[(index * 5 + count) % len(COMMUNES)]
            name = pattern.format(
                town=town, de_town=_de(town), word=rng.choice(WORDS), company=fake.last_name()
            )
            if name in names:
                name = f"{name} ({town})"
            if name in names:
                name = f"{name} {index + 1}"
            names.add(name)
            slug = re.sub(r"[^a-z0-9]+", "-", place_key(name)).strip("-")[:40].strip("-")
            data = PartnerData(
                name=name,
                type=partner_type,
                description=description,
                address=fake.street_address(),
                commune=town,
                postcode=postcode,
                phone=f"05 56 {rng.randint(10, 99)} {rng.randint(10, 99)} {rng.randint(10, 99)}",
                email=f"contact@{slug}.example.org",
                website=f"https://{slug}.example.org",
                hours=rng.choice(HOURS),
                is_public=count % 9 != 4,  # about one in nine is internal
                last_verified_on=_verified_on(rng, today, count),
                needs=[
                    n.value for n in (needs if index == 0 else needs[: rng.randint(1, len(needs))])
                ],
                **_areas(partner_type, town, postcode, rng, index, how_many),
            )
            save_partner(None, data)
            count += 1
    return [f"annuaire : {count} partenaires en Gironde"]


def _de(town: str) -> str:
    """French "of the town": du Bouscat, d'Arcachon, de Pessac."""
    if town.startswith("Le "):
        return "du " + town[3:]
    if town[0] in "AEIOUÉaeiou":
        return "d'" + town
    return "de " + town


def _verified_on(rng: random.Random, today, count: int):
    if count % 11 == 3:
        return None
    if count % 6 == 1:  # overdue: last checked 13 to 30 months ago
        return today - timedelta(days=rng.randint(400, 900))
    return today - timedelta(days=rng.randint(5, 330))


def _areas(
    partner_type: PartnerType,
    town: str,
    postcode: str,
    rng: random.Random,
    index: int,
    how_many: int,
) -> dict:
    if partner_type in {
        PartnerType.MDPH,
        PartnerType.CAF,
        PartnerType.CPAM,
        PartnerType.PENSION_FUND,
    }:
        return {"departements": ["33"]}
    if partner_type == PartnerType.CCAS:
        if town == "Bordeaux":
            return {"communes": ["Bordeaux"], "postcodes": BORDEAUX_POSTCODES}
        return {"communes": [town]}
    if partner_type in {PartnerType.CLIC, PartnerType.RESPITE_PLATFORM}:
        # Sectors: together the platforms (and the CLICs) cover every town of the demo.
        return {"communes": list(dict.fromkeys([town, *TOWNS[index::how_many]]))}
    if partner_type == PartnerType.ASSOCIATION and rng.random() < 0.4:
        return {"departements": ["33"]}
    return {"communes": [town], "postcodes": [postcode]}
