"""The care team's share of the network data: referrals, cases, situations, entries,
orientations, mandates with their procedures, and difficulty sheets."""

from __future__ import annotations

from datetime import date, timedelta

from ressourcerie.casework.models import (
    CareReason,
    Case,
    CaseReferral,
    CaseStatus,
    ClosingReason,
    DifficultyCategory,
    DifficultySheet,
    Entry,
    EntryKind,
    Institution,
    Mandate,
    MandateDuration,
    Orientation,
    OrientationStatus,
    Procedure,
    ProcedureType,
    Profession,
    Relation,
    Situation,
    Visibility,
    WorkSituation,
)
from ressourcerie.casework.services import mandate_expiry
from ressourcerie.casework.wording import CURRENT_MANDATE_WORDING
from ressourcerie.directory.needs import Need
from ressourcerie.members.models import CaregiverStatus, Referral, ReferralCategory, ReferralStatus
from ressourcerie.scale.generator import Generator, Human
from ressourcerie.security.models import Role

NOTES = (
    "Entretien de suivi : fatigue importante, point sur les aides possibles.",
    "Appel pour préparer le dossier APA, pièces à réunir listées ensemble.",
    "Échange sur le répit : intérêt pour l'accueil de jour deux fois par semaine.",
    "La personne se sent moins isolée depuis les ateliers.",
    "Point sur la conciliation travail et aide, congé de proche aidant évoqué.",
    "Visite à domicile : aménagement de la salle de bain à prévoir.",
    "Séance de soutien : expression de la culpabilité, travail sur les limites.",
    "Relance de la MDPH sans réponse depuis trois mois.",
    "Orientation vers la plateforme de répit, premier contact pris.",
    "Bilan : situation stabilisée, prochain rendez-vous dans un mois.",
)
# Support types of the reference site: 132 social only, 30 psychological only, 37 both.
SUPPORT_WEIGHTS = {"social": 132, "psychological": 30, "both": 37}
ROLE_OF = {Profession.SOCIAL_WORKER: Role.SOCIAL_WORKER, Profession.PSYCHOLOGIST: Role.PSYCHOLOGIST}


def entry_counts(gen: Generator, cases: int) -> list[int]:
    """At least one entry per case, the total exactly as planned."""
    total = max(gen.counts.entries, cases)
    mean = total / cases
    counts = [max(1, round(gen.rng.expovariate(1 / mean))) for _ in range(cases)]
    difference = total - sum(counts)
    while difference:
        index = gen.rng.randrange(cases)
        if difference > 0:
            counts[index] += 1
            difference -= 1
        elif counts[index] > 1:
            counts[index] -= 1
            difference += 1
    return counts


def write_casework(gen: Generator) -> None:
    rng, today = gen.rng, gen.today
    caregivers = [h for h in gen.humans if h.caregiver != CaregiverStatus.UNKNOWN]
    others = [h for h in gen.humans if h.caregiver == CaregiverStatus.UNKNOWN]
    wanted = min(gen.counts.cases, len(gen.humans))
    chosen: list[Human] = rng.sample(caregivers, min(wanted, len(caregivers)))
    if len(chosen) < wanted:
        chosen += rng.sample(others, wanted - len(chosen))
    referrals, links = [], []
    referral_of: dict[int, int] = {}
    case_people = {human.id for human in chosen}

    def build_referrals() -> None:
        for human in gen.humans:
            identified = human.caregiver == CaregiverStatus.IDENTIFIED_BY_TEAM
            if not identified and rng.random() >= 0.04:
                continue
            day = human.caregiver_since if identified else gen.day_between(human.first_day, today)
            referral_id = gen.new_id(Referral.__table__)
            if human.id in case_people:
                status = ReferralStatus.ACCEPTED
                referral_of[human.id] = referral_id
            else:
                status = ReferralStatus.NEW if (today - day).days < 30 else ReferralStatus.CLOSED
            care = gen.staff_of[human.site].get(Role.SOCIAL_WORKER)
            referrals.append(
                {
                    "id": referral_id,
                    "site_id": gen.site_id(human.site),
                    "person_id": human.id,
                    "category": (
                        ReferralCategory.POSSIBLE_CAREGIVER
                        if identified
                        else rng.choice(list(ReferralCategory))
                    ).value,
                    "comment": "Semble très fatiguée, parle souvent de sa mère.",
                    "status": status.value,
                    "created_by_id": gen.staff_of[human.site].get(Role.RECEPTION),
                    "created_at": gen.open_moment(day),
                    "handled_by_id": care if status != ReferralStatus.NEW else None,
                    "handled_at": gen.open_moment(day) if status != ReferralStatus.NEW else None,
                    "closing_reason": "Pas de besoin exprimé"
                    if status == ReferralStatus.CLOSED
                    else "",
                }
            )

    gen.timed("referral", build_referrals)
    gen.write(Referral.__table__, referrals)

    cases, situations, entries, orientations, mandates, procedures = [], [], [], [], [], []
    support_types = list(SUPPORT_WEIGHTS)

    def build_cases() -> None:
        for human, count in zip(chosen, entry_counts(gen, len(chosen)), strict=True):
            since = human.caregiver_since or human.first_day
            opened_on = gen.day_between(since, min(today, since + timedelta(days=90)))
            support = rng.choices(support_types, list(SUPPORT_WEIGHTS.values()))[0]
            closed = (today - opened_on).days > 365 and rng.random() < 0.7
            last_day = gen.day_between(opened_on, today) if closed else today
            staff = gen.staff_of[human.site]
            case_id = gen.new_id(Case.__table__)
            days = sorted(gen.day_between(opened_on, last_day) for _ in range(count))
            days[0] = opened_on
            for number, day in enumerate(days):
                if support == "both":
                    profession = (
                        Profession.SOCIAL_WORKER if number % 3 != 1 else Profession.PSYCHOLOGIST
                    )
                elif support == "social":
                    profession = Profession.SOCIAL_WORKER
                else:
                    profession = Profession.PSYCHOLOGIST
                if profession == Profession.PSYCHOLOGIST:
                    visibility = rng.choices(list(Visibility), (30, 30, 40))[0]
                else:
                    visibility = rng.choices(list(Visibility), (60, 40, 0))[0]
                entries.append(
                    {
                        "id": gen.new_id(Entry.__table__),
                        "case_id": case_id,
                        "occurred_on": day,
                        "duration_minutes": rng.choice((20, 30, 45, 60, 90)),
                        "kind": rng.choices(list(EntryKind), (50, 30, 8, 7, 5))[0].value,
                        "author_id": staff.get(ROLE_OF[profession]),
                        "profession": profession.value,
                        "visibility": visibility.value,
                        "note": rng.choice(NOTES),
                        "created_at": gen.open_moment(day),
                    }
                )
            cases.append(
                {
                    "id": case_id,
                    "site_id": gen.site_id(human.site),
                    "person_id": human.id,
                    "status": (CaseStatus.CLOSED if closed else CaseStatus.OPEN).value,
                    "opened_on": opened_on,
                    "opened_by_id": staff.get(Role.SOCIAL_WORKER),
                    "consent_on": opened_on,
                    "consent_method": rng.choice(("oral", "written")),
                    "consent_sharing": rng.random() < 0.75,
                    "closed_on": last_day if closed else None,
                    "closing_reason": rng.choice(list(ClosingReason)).value if closed else None,
                    "last_contact_on": days[-1],
                    "next_appointment_at": gen.open_moment(today + timedelta(rng.randint(1, 30)))
                    if not closed and rng.random() < 0.5
                    else None,
                    "created_at": gen.open_moment(opened_on),
                }
            )
            if human.id in referral_of:
                links.append(
                    {
                        "id": gen.new_id(CaseReferral.__table__),
                        "case_id": case_id,
                        "referral_id": referral_of[human.id],
                        "linked_at": gen.open_moment(opened_on),
                        "linked_by_id": staff.get(Role.SOCIAL_WORKER),
                    }
                )
            for assessment in range(1 if rng.random() < 0.75 else 2):
                assessed_on = opened_on if assessment == 0 else days[-1]
                situations.append(
                    {
                        "id": gen.new_id(Situation.__table__),
                        "case_id": case_id,
                        "assessed_on": assessed_on,
                        "relation": rng.choice(list(Relation)).value,
                        "reason": rng.choice(list(CareReason)).value,
                        "living_together": rng.random() < 0.5,
                        "hours_per_week": rng.randint(2, 60),
                        "work_situation": rng.choice(list(WorkSituation)).value,
                        "caring_since": opened_on - timedelta(days=rng.randint(100, 3000)),
                        "exhaustion_level": rng.randint(0, 10),
                        "needs": ",".join(n.value for n in rng.sample(list(Need), 3)),
                        "recorded_by_id": staff.get(Role.SOCIAL_WORKER),
                        "created_at": gen.open_moment(assessed_on),
                    }
                )
            for _ in range(rng.choice((0, 1, 1, 2, 3))):
                status = rng.choice(list(OrientationStatus))
                orientations.append(
                    {
                        "id": gen.new_id(Orientation.__table__),
                        "case_id": case_id,
                        "partner_id": rng.choice(gen.partner_ids),
                        "need": rng.choice(list(Need)).value,
                        "oriented_on": gen.day_between(opened_on, last_day),
                        "status": status.value,
                        "outcome": "Premier rendez-vous obtenu."
                        if status == OrientationStatus.DONE
                        else None,
                        "created_by_id": staff.get(Role.SOCIAL_WORKER),
                        "updated_at": gen.open_moment(last_day),
                    }
                )
            if rng.random() < 0.3:
                add_mandate(gen, case_id, staff, opened_on, last_day, mandates, procedures)

    gen.timed("casework_entry", build_cases)
    gen.write(Case.__table__, cases)
    gen.write(CaseReferral.__table__, links)
    gen.write(Situation.__table__, situations)
    gen.write(Entry.__table__, entries)
    gen.write(Orientation.__table__, orientations)
    gen.write(Mandate.__table__, mandates)
    gen.write(Procedure.__table__, procedures)
    gen.write(
        DifficultySheet.__table__,
        (
            {
                "id": gen.new_id(DifficultySheet.__table__),
                "site_id": gen.site_id(site),
                "reported_on": day,
                "category": rng.choice(list(DifficultyCategory)).value,
                "institution": rng.choice(list(Institution)).value,
                "description": "Dossier en attente de réponse depuis plus de quatre mois.",
                "created_by_id": gen.staff_of[site].get(Role.SOCIAL_WORKER),
                "created_at": gen.open_moment(day),
            }
            for site, day in (
                (rng.randrange(len(gen.site_rows)), gen.day_between(gen.start, today))
                for _ in range(max(1, gen.counts.cases // 3))
            )
        ),
    )


def add_mandate(
    gen: Generator, case_id: int, staff: dict, first: date, last: date, mandates, procedures
) -> None:
    rng = gen.rng
    duration = rng.choice(list(MandateDuration))
    starts_on = gen.day_between(first, last)
    expires_on = mandate_expiry(starts_on, duration)
    scope = rng.sample(list(ProcedureType), rng.randint(1, 3))
    mandate_id = gen.new_id(Mandate.__table__)
    mandates.append(
        {
            "id": mandate_id,
            "case_id": case_id,
            "scope": ",".join(kind.value for kind in scope),
            "duration": duration.value,
            "starts_on": starts_on,
            "expires_on": expires_on,
            "revoked_on": None,
            "wording_version": CURRENT_MANDATE_WORDING,
            "created_by_id": staff.get(Role.SOCIAL_WORKER),
            "created_at": gen.open_moment(starts_on),
        }
    )
    for _ in range(rng.randint(1, 2)):
        done_on = gen.day_between(starts_on, min(expires_on, gen.today))
        procedures.append(
            {
                "id": gen.new_id(Procedure.__table__),
                "case_id": case_id,
                "mandate_id": mandate_id,
                "procedure_type": rng.choice(scope).value,
                "done_on": done_on,
                "description": "Dossier déposé, accusé de réception conservé.",
                "done_by_id": staff.get(Role.SOCIAL_WORKER),
                "created_at": gen.open_moment(done_on),
            }
        )
