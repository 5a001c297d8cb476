"""People of the network: identities, caregiver history, visits and memberships."""

from __future__ import annotations

from collections import defaultdict
from datetime import timedelta

from ressourcerie.members.models import (
    CaregiverStatus,
    CaregiverStatusChange,
    ContactChannel,
    Gender,
    Membership,
    PaymentKind,
    Person,
    Visit,
    VisitPurpose,
    phone_digits,
    search_key,
)
from ressourcerie.members.services.memberships import anniversary
from ressourcerie.scale.generator import HEARD_FROM, MEMBERSHIP_FEE, Generator, Human
from ressourcerie.security.models import Role

# The reference site's public: 85 % women.
GENDER_SHARES = {Gender.WOMAN: 85, Gender.MAN: 13, Gender.OTHER: 1, Gender.NOT_SAID: 1}


def add_people(gen: Generator) -> None:
    rows, changes = [], []
    weights = [4] + [1] * (len(gen.site_rows) - 1)
    span = (gen.today - gen.start).days - 1  # everyone came before today

    def build() -> None:
        for _ in range(gen.counts.people):
            site = gen.rng.choices(range(len(gen.site_rows)), weights)[0]
            # Slightly more newcomers in recent years: the network grows.
            first_day = gen.start + timedelta(days=int(span * gen.rng.random() ** 0.8))
            gender = gen.rng.choices(list(GENDER_SHARES), list(GENDER_SHARES.values()))[0]
            names = gen.men if gender == Gender.MAN else gen.women
            first_name = gen.rng.choice(names)
            last_name = "" if gen.rng.random() < 0.03 else gen.rng.choice(gen.last_names)
            age = min(95, max(18, round(gen.rng.gauss(54, 14))))
            roll = gen.rng.random()
            caregiver, since = CaregiverStatus.UNKNOWN, None
            if roll < 0.30:  # arrives as a caregiver
                caregiver, since = CaregiverStatus.SELF_DECLARED, first_day
            elif roll < 0.45:  # did not see themselves as one; the team noticed later
                caregiver = CaregiverStatus.IDENTIFIED_BY_TEAM
                since = gen.day_between(first_day, min(gen.today, first_day + timedelta(400)))
            reduced = None
            if gen.rng.random() < 0.08:
                reduced = gen.day_between(first_day, first_day + timedelta(days=730))
            person_id = gen.new_id(Person.__table__)
            human = Human(person_id, site, first_day, caregiver, since, reduced)
            gen.humans.append(human)
            phone = gen.phone() if gen.rng.random() < 0.75 else ""
            email = None
            if gen.rng.random() < 0.55:
                local = search_key(f"{first_name}.{last_name or 'contact'}").replace(" ", "-")
                email = f"{local}.{person_id}@exemple.fr"
            commune, postcode = gen.rng.choice(gen.communes[site])
            created = gen.open_moment(first_day)
            reception = gen.staff_of[site].get(Role.RECEPTION)
            rows.append(
                {
                    "id": person_id,
                    "site_id": gen.site_id(site),
                    "first_name": first_name,
                    "last_name": last_name,
                    # Exactly what Person.set_identity() stores.
                    "search_name": search_key(f"{first_name} {last_name}"),
                    "search_last_name": search_key(last_name),
                    "birth_year": gen.today.year - age,
                    "gender": gender.value,
                    "commune": commune,
                    "postcode": postcode,
                    "phone": phone,
                    "phone_digits": phone_digits(phone),
                    "phone_digits_reversed": phone_digits(phone)[::-1],
                    "email": email,
                    "preferred_contact": (
                        ContactChannel.EMAIL
                        if email
                        else ContactChannel.PHONE
                        if phone
                        else ContactChannel.NONE
                    ).value,
                    "heard_from": gen.rng.choice(HEARD_FROM),
                    "consent_on": first_day,
                    "consent_method": gen.rng.choice(("oral", "written")),
                    "charter_accepted_on": first_day if gen.rng.random() < 0.6 else None,
                    "newsletter_opt_in": bool(email) and gen.rng.random() < 0.45,
                    "caregiver_status": caregiver.value,
                    "caregiver_status_changed_on": since,
                    "reduced_rate_until": reduced,
                    "reduced_rate_reason": "Minima sociaux" if reduced else "",
                    "created_by_id": reception,
                    "created_at": created,
                    "updated_at": created,
                }
            )
            if since is not None:
                changes.append(
                    {
                        "id": gen.new_id(CaregiverStatusChange.__table__),
                        "person_id": person_id,
                        "status": caregiver.value,
                        "changed_at": gen.open_moment(since),
                        "changed_by_id": reception,
                    }
                )

    gen.timed("person", build)
    gen.write(Person.__table__, rows)
    gen.write(CaregiverStatusChange.__table__, changes)
    by_site: dict[int, list[Human]] = defaultdict(list)
    for human in sorted(gen.humans, key=lambda h: h.first_day):
        by_site[human.site].append(human)
    gen.humans_by_site = by_site
    gen.first_days_by_site = {
        site: [h.first_day for h in humans] for site, humans in by_site.items()
    }


def visit_counts(gen: Generator) -> list[int]:
    """Half the people never come back; the others share the remaining visits."""
    known_visits = gen.counts.visits - gen.counts.visits // 20  # 5 % anonymous
    counts = [1] * len(gen.humans)
    returners = [i for i in range(len(gen.humans)) if gen.rng.random() < 0.5]
    if not returners:
        return counts
    extra = max(known_visits - len(gen.humans), len(returners))
    mean = extra / len(returners)
    for index in returners:
        counts[index] += max(1, round(gen.rng.expovariate(1 / mean)))
    difference = known_visits - sum(counts)
    while difference != 0:
        index = gen.rng.choice(returners)
        if difference > 0:
            counts[index] += 1
            difference -= 1
        elif counts[index] > 2:
            counts[index] -= 1
            difference += 1
    return counts


def add_visits(gen: Generator) -> None:
    purposes = list(VisitPurpose)
    purpose_weights = (45, 20, 10, 20, 5)

    def rows():
        for human, count in zip(gen.humans, visit_counts(gen), strict=True):
            reception = gen.staff_of[human.site].get(Role.RECEPTION)
            last = max(human.first_day, gen.today - timedelta(days=1))
            days = [human.first_day] + sorted(
                gen.day_between(human.first_day + timedelta(days=1), last) for _ in range(count - 1)
            )
            for number, day in enumerate(days):
                as_caregiver = number == 0 and human.caregiver == CaregiverStatus.SELF_DECLARED
                if number and human.caregiver_since and day >= human.caregiver_since:
                    as_caregiver = gen.rng.random() < 0.5
                yield {
                    "id": gen.new_id(Visit.__table__),
                    "site_id": gen.site_id(human.site),
                    "person_id": human.id,
                    "visited_at": gen.open_moment(day),
                    "purpose": gen.rng.choices(purposes, purpose_weights)[0].value,
                    "as_caregiver": as_caregiver,
                    "recorded_by_id": reception,
                }
        for _ in range(gen.counts.visits // 20):
            site = gen.rng.randrange(len(gen.site_rows))
            yield {
                "id": gen.new_id(Visit.__table__),
                "site_id": gen.site_id(site),
                "person_id": None,
                "visited_at": gen.open_moment(gen.day_between(gen.start, gen.today)),
                "purpose": VisitPurpose.INFORMATION.value,
                "as_caregiver": False,
                "recorded_by_id": gen.staff_of[site].get(Role.RECEPTION),
            }

    gen.write(Visit.__table__, rows())


def add_memberships(gen: Generator) -> None:
    """About one person in five takes a membership; half of them renew each year."""
    gen.membership_rows = []

    def build() -> None:
        for human in gen.humans:
            if gen.rng.random() >= 0.2:
                continue
            starts_on = gen.day_between(human.first_day, human.first_day + timedelta(60))
            previous = None
            while starts_on <= gen.today:
                ends_on = anniversary(starts_on) - timedelta(days=1)
                human.memberships.append((starts_on, ends_on))
                paid_at = gen.open_moment(starts_on)
                label = f"Adhésion du {starts_on:%d/%m/%Y} au {ends_on:%d/%m/%Y}"
                payment_id = gen.payment(
                    human.site, human.id, PaymentKind.MEMBERSHIP, label, MEMBERSHIP_FEE, paid_at
                )
                membership_id = gen.new_id(Membership.__table__)
                gen.membership_rows.append(
                    {
                        "id": membership_id,
                        "person_id": human.id,
                        "site_id": gen.site_id(human.site),
                        "starts_on": starts_on,
                        "ends_on": ends_on,
                        "fee_cents": MEMBERSHIP_FEE,
                        "payment_id": payment_id,
                        "renewal_of_id": previous,
                        "created_by_id": gen.staff_of[human.site].get(Role.RECEPTION),
                        "created_at": paid_at,
                    }
                )
                previous = membership_id
                if gen.rng.random() >= 0.5:
                    break
                starts_on = ends_on + timedelta(days=1)

    gen.timed("membership", build)


def write_memberships(gen: Generator) -> None:
    gen.write(Membership.__table__, gen.membership_rows)
    gen.membership_rows = []
