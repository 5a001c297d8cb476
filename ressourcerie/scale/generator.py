"""The bulk writer, and the sites, staff, opening hours, directory and ledger steps.

Rows are built in Python with explicit ids (so links need no round trip) and written with
SQLAlchemy Core `insert()` executemany in batches; encrypted columns go through their
column type, so they are encrypted exactly as the application does.
"""

from __future__ import annotations

import random
import time as clock
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta

import pyotp
from faker import Faker
from sqlalchemy import Connection, Table, func, insert, select, text

from ressourcerie.columns import LOCAL_TZ, local_date, local_today, utcnow
from ressourcerie.directory.models import AreaKind, Partner, PartnerArea, PartnerNeed, PartnerType
from ressourcerie.directory.models import place_key as directory_place_key
from ressourcerie.directory.needs import Need
from ressourcerie.members.models import Payment, PaymentKind, PaymentMethod, ReceiptCounter
from ressourcerie.security import passwords
from ressourcerie.security.models import Role, Site, User, UserRole, user_site
from ressourcerie.workshops.models import Closure, OpeningHours, Tier
from ressourcerie.workshops.services.hours import REFERENCE_HOURS

BATCH = 5000
YEARS = 5
PRICES = {Tier.FULL: 1200, Tier.MEMBER: 600, Tier.REDUCED: 450, Tier.FREE: 0}
MEMBERSHIP_FEE = 2900

# The full network; `factor` scales every count but the number of sites (at least 2).
NETWORK = {
    "sites": 20,
    "people": 50_000,
    "visits": 200_000,
    "sessions": 20_000,
    "bookings": 400_000,
    "cases": 5_000,
    "entries": 50_000,
    "partners": 2_000,
}

# Towns of the network (the reference site first) with their postcode.
TOWNS = (
    ("Bordeaux", "33000"),
    ("Mérignac", "33700"),
    ("Pessac", "33600"),
    ("Libourne", "33500"),
    ("Arcachon", "33120"),
    ("Agen", "47000"),
    ("Périgueux", "24000"),
    ("Pau", "64000"),
    ("Bayonne", "64100"),
    ("Mont-de-Marsan", "40000"),
    ("Dax", "40100"),
    ("Angoulême", "16000"),
    ("La Rochelle", "17000"),
    ("Niort", "79000"),
    ("Poitiers", "86000"),
    ("Limoges", "87000"),
    ("Brive-la-Gaillarde", "19100"),
    ("Toulouse", "31000"),
    ("Montauban", "82000"),
    ("Cahors", "46000"),
)

# Staff of every site: (email prefix, role). Site 1 uses the usual demo addresses.
SITE_STAFF = (
    ("accueil", Role.RECEPTION),
    ("animation", Role.ANIMATOR),
    ("social", Role.SOCIAL_WORKER),
    ("psy", Role.PSYCHOLOGIST),
)
NETWORK_STAFF = (("coordination", Role.COORDINATOR), ("admin", Role.ADMIN))

HEARD_FROM = ("Bouche à oreille", "CCAS", "Affiche", "Internet", "Médecin", "Presse", "")
COMPANION_NOTES = (
    "Se déplace avec un déambulateur.",
    "Fauteuil roulant, prévoir une place près de la porte.",
    "Malentendant, parler face à lui.",
    "Régime sans sel.",
    "A besoin de pauses régulières.",
)


@dataclass
class Counts:
    sites: int
    people: int
    visits: int
    sessions: int
    bookings: int
    cases: int
    entries: int
    partners: int

    @classmethod
    def scaled(cls, factor: float) -> Counts:
        sites = NETWORK["sites"] if factor >= 1 else max(2, round(NETWORK["sites"] * factor * 50))
        values = {name: max(1, round(n * factor)) for name, n in NETWORK.items()}
        values["sites"] = min(sites, NETWORK["sites"])
        values["people"] = max(values["people"], 20 * values["sites"])
        return cls(**values)


@dataclass
class Report:
    """Rows written and seconds spent per table (building and inserting)."""

    rows: dict[str, int] = field(default_factory=dict)
    seconds: dict[str, float] = field(default_factory=dict)
    total_seconds: float = 0.0

    def lines(self) -> list[str]:
        lines = [f"{'table':<24} {'rows':>9} {'seconds':>8}"]
        for name, rows in self.rows.items():
            lines.append(f"{name:<24} {rows:>9} {self.seconds[name]:>8.1f}")
        lines.append(f"{'total':<24} {sum(self.rows.values()):>9} {self.total_seconds:>8.1f}")
        return lines


@dataclass
class Human:
    """What the generator remembers of a generated person."""

    id: int
    site: int  # index in the generator's site list
    first_day: date
    caregiver: str
    caregiver_since: date | None
    reduced_until: date | None
    memberships: list[tuple[date, date]] = field(default_factory=list)

    def tier_on(self, day: date, paid: bool) -> Tier:
        if not paid:
            return Tier.FREE
        if self.reduced_until is not None and day <= self.reduced_until:
            return Tier.REDUCED
        if any(start <= day <= end for start, end in self.memberships):
            return Tier.MEMBER
        return Tier.FULL


class Generator:
    def __init__(self, connection: Connection, factor: float, seed: int, demo_domain: str):
        self.connection = connection
        self.counts = Counts.scaled(factor)
        self.rng = random.Random(seed)
        self.fake = Faker("fr_FR")
        self.fake.seed_instance(seed)
        self.domain = demo_domain
        self.today = local_today()
        self.start = self.today - timedelta(days=365 * YEARS)
        self.report = Report()
        self.next_ids: dict[str, int] = {}
        self.payments: list[dict] = []
        # Filled by the steps, read by the later ones (people.py, workshops.py, casework.py).
        self.humans: list[Human] = []
        self.humans_by_site: dict[int, list[Human]] = {}
        self.first_days_by_site: dict[int, list[date]] = {}
        self.membership_rows: list[dict] = []
        self.session_rows: list[dict] = []
        self.booking_rows: list[tuple] = []
        self.partner_ids: list[int] = []
        self._pools()

    # -- plumbing ---------------------------------------------------------------------

    def new_id(self, table: Table) -> int:
        if table.name not in self.next_ids:
            current = self.connection.scalar(select(func.max(table.c.id)))
            self.next_ids[table.name] = (current or 0) + 1
        value = self.next_ids[table.name]
        self.next_ids[table.name] += 1
        return value

    def write(self, table: Table, rows: Iterable[dict]) -> int:
        """Insert rows in batches of executemany; add the time to the table's line."""
        started = clock.perf_counter()
        count = 0
        batch: list[dict] = []
        for row in rows:
            batch.append(row)
            if len(batch) >= BATCH:
                self.connection.execute(insert(table), batch)
                count += len(batch)
                batch = []
        if batch:
            self.connection.execute(insert(table), batch)
            count += len(batch)
        self._account(table.name, count, clock.perf_counter() - started)
        return count

    def _account(self, name: str, rows: int, seconds: float) -> None:
        self.report.rows[name] = self.report.rows.get(name, 0) + rows
        self.report.seconds[name] = self.report.seconds.get(name, 0.0) + seconds

    def timed(self, name: str, build: Callable[[], object]):
        """Time the Python side of building rows, added to the table's line."""
        started = clock.perf_counter()
        result = build()
        self._account(name, 0, clock.perf_counter() - started)
        return result

    def moment(self, day: date, at: time) -> datetime:
        return datetime.combine(day, at, tzinfo=LOCAL_TZ).astimezone(UTC)

    def day_between(self, first: date, last: date) -> date:
        span = (last - first).days
        return first + timedelta(days=self.rng.randint(0, max(span, 0)))

    def open_moment(self, day: date) -> datetime:
        """A time the desk is open on `day` (moved off Sundays)."""
        if day.weekday() == 6:
            day -= timedelta(days=1) if day > self.start else timedelta(days=-1)
        first_hour = 14 if day.weekday() in (0, 3) else 10
        return self.moment(day, time(self.rng.randint(first_hour, 17), self.rng.randrange(0, 60)))

    def _pools(self) -> None:
        fake = self.fake
        self.women = list({fake.first_name_female() for _ in range(600)})
        self.men = list({fake.first_name_male() for _ in range(400)})
        self.last_names = list({fake.last_name() for _ in range(2500)})
        self.streets = [fake.street_address() for _ in range(300)]
        self.sentences = [fake.sentence(nb_words=10) for _ in range(200)]

    # -- the steps --------------------------------------------------------------------

    def sites(self) -> None:
        taken = set(self.connection.scalars(select(Site.name)))
        self.site_rows = []
        for town, _postcode in TOWNS[: self.counts.sites]:
            name = f"Ressourcerie de {town}"
            suffix = 2
            while name in taken:
                name, suffix = f"Ressourcerie de {town} ({suffix})", suffix + 1
            taken.add(name)
            self.site_rows.append(
                {
                    "id": self.new_id(Site.__table__),
                    "name": name,
                    "town": town,
                    "address": self.rng.choice(self.streets),
                    "active": True,
                    "created_at": self.moment(self.start, time(9)),
                }
            )
        self.site_postcodes = [postcode for _, postcode in TOWNS[: self.counts.sites]]
        self.write(Site.__table__, self.site_rows)
        # Neighbouring communes of each site, for people's addresses and partner areas.
        self.communes = []
        for (town, postcode), _row in zip(TOWNS, self.site_rows, strict=False):
            around = [(town, postcode)] * 6
            for _ in range(6):
                around.append((self.fake.city(), postcode[:2] + f"{self.rng.randint(100, 990)}"))
            self.communes.append(around)

    def staff(self) -> None:
        taken = set(self.connection.scalars(select(User.email)))
        password_hash = passwords.hash_password("ressourcerie-demo")
        users, roles, links = [], [], []
        self.staff_of: list[dict[Role, int]] = [{} for _ in self.site_rows]
        all_sites = range(len(self.site_rows))
        plan = [(prefix, role, [index]) for index in all_sites for prefix, role in SITE_STAFF]
        plan += [(prefix, role, list(all_sites)) for prefix, role in NETWORK_STAFF]
        for prefix, role, site_indexes in plan:
            local = f"{prefix}.s{site_indexes[0] + 1:02d}" if len(site_indexes) == 1 else prefix
            if site_indexes == [0] or len(site_indexes) > 1:
                local = prefix  # the usual demo addresses work on the reference site
            email = f"{local}@{self.domain}"
            number = 2
            while email in taken:
                email, number = f"{local}.{number}@{self.domain}", number + 1
            taken.add(email)
            user_id = self.new_id(User.__table__)
            two_factor = role in (Role.SOCIAL_WORKER, Role.PSYCHOLOGIST, Role.ADMIN)
            users.append(
                {
                    "id": user_id,
                    "email": email,
                    "display_name": self.fake.name(),
                    "password_hash": password_hash,
                    "active": True,
                    "totp_secret": pyotp.random_base32() if two_factor else None,
                    "totp_enabled_at": utcnow() if two_factor else None,
                    "created_at": self.moment(self.start, time(9)),
                    "password_changed_at": utcnow(),
                }
            )
            roles.append({"user_id": user_id, "role": role.value})
            for index in site_indexes:
                links.append({"user_id": user_id, "site_id": self.site_rows[index]["id"]})
                self.staff_of[index].setdefault(role, user_id)
        self.write(User.__table__, users)
        self.write(UserRole.__table__, roles)
        self.write(user_site, links)

    def site_id(self, index: int) -> int:
        return self.site_rows[index]["id"]

    def hours(self) -> None:
        hours, closures = [], []
        for index in range(len(self.site_rows)):
            for weekday, opens_at, closes_at, week in REFERENCE_HOURS:
                hours.append(
                    {
                        "id": self.new_id(OpeningHours.__table__),
                        "site_id": self.site_id(index),
                        "weekday": weekday,
                        "opens_at": opens_at,
                        "closes_at": closes_at,
                        "week_of_month": week,
                    }
                )
            for year in range(self.start.year, self.today.year + 1):
                closures.append(
                    {
                        "id": self.new_id(Closure.__table__),
                        "site_id": self.site_id(index),
                        "first_day": date(year, 12, 24),
                        "last_day": date(year + 1, 1, 1),
                        "label": "Fermeture de fin d'année",
                    }
                )
        self.write(OpeningHours.__table__, hours)
        self.write(Closure.__table__, closures)

    def partners(self) -> None:
        partners, needs, areas = [], [], []
        types = list(PartnerType)
        all_needs = list(Need)

        def build() -> None:
            for _ in range(self.counts.partners):
                site = self.rng.randrange(len(self.site_rows))
                commune, postcode = self.rng.choice(self.communes[site])
                kind = self.rng.choice(types)
                name = f"{kind.value.replace('_', ' ').upper()} {commune} {self.fake.last_name()}"
                partner_id = self.new_id(Partner.__table__)
                partners.append(
                    {
                        "id": partner_id,
                        "name": name,
                        "type": kind.value,
                        "description": self.rng.choice(self.sentences),
                        "address": self.rng.choice(self.streets),
                        "commune": commune,
                        "postcode": postcode,
                        "phone": self.phone(),
                        "email": f"contact{partner_id}@partenaire.example",
                        "website": "",
                        "hours": "Du lundi au vendredi, 9 h – 17 h",
                        "is_public": self.rng.random() < 0.8,
                        "last_verified_on": self.day_between(
                            self.today - timedelta(days=720), self.today
                        ),
                        "search_name": directory_place_key(name),
                    }
                )
                for need in self.rng.sample(all_needs, self.rng.randint(1, 4)):
                    needs.append({"partner_id": partner_id, "need": need.value})
                area_choices = (
                    (AreaKind.COMMUNE, directory_place_key(commune), commune),
                    (AreaKind.POSTCODE, postcode, postcode),
                    (AreaKind.DEPARTEMENT, postcode[:2], postcode[:2]),
                )
                for kind_, value, label in self.rng.sample(area_choices, self.rng.randint(1, 3)):
                    areas.append(
                        {
                            "id": self.new_id(PartnerArea.__table__),
                            "partner_id": partner_id,
                            "kind": kind_.value,
                            "value": value,
                            "label": label,
                        }
                    )

        self.timed("partner", build)
        self.partner_ids = [row["id"] for row in partners]
        self.write(Partner.__table__, partners)
        self.write(PartnerNeed.__table__, needs)
        self.write(PartnerArea.__table__, areas)

    def phone(self) -> str:
        digits = "".join(str(self.rng.randrange(10)) for _ in range(8))
        prefix = self.rng.choice(("06", "07", "05"))
        return " ".join([prefix] + [digits[i : i + 2] for i in range(0, 8, 2)])

    # -- the ledger ------------------------------------------------------------------

    def payment(
        self,
        site: int,
        person_id: int | None,
        kind: PaymentKind,
        label: str,
        amount: int,
        received_at: datetime,
    ) -> int:
        payment_id = self.new_id(Payment.__table__)
        self.payments.append(
            {
                "id": payment_id,
                "site_id": self.site_id(site),
                "person_id": person_id,
                "kind": kind.value,
                "label": label[:200],
                "amount_cents": amount,
                "method": self.rng.choices(list(PaymentMethod), (35, 40, 15, 5, 5))[0].value,
                "received_by_id": self.staff_of[site].get(Role.RECEPTION),
                "received_at": received_at,
                "reason": "",
            }
        )
        return payment_id

    def flush_payments(self) -> None:
        """Number receipts per site and local year in time order, then set the counters."""
        started = clock.perf_counter()
        counters: dict[tuple[int, int], int] = {
            (row.site_id, row.year): row.last_number
            for row in self.connection.execute(select(ReceiptCounter.__table__))
        }
        self.payments.sort(key=lambda row: (row["site_id"], row["received_at"], row["id"]))
        for row in self.payments:
            key = (row["site_id"], local_date(row["received_at"]).year)
            counters[key] = counters.get(key, 0) + 1
            row["receipt_year"], row["receipt_number"] = key[1], counters[key]
        self._account("payment", 0, clock.perf_counter() - started)
        self.write(Payment.__table__, self.payments)
        table = ReceiptCounter.__table__
        existing = {(row.site_id, row.year) for row in self.connection.execute(select(table))}
        for (site_id, year), number in counters.items():
            if (site_id, year) in existing:
                self.connection.execute(
                    table.update()
                    .where(table.c.site_id == site_id, table.c.year == year)
                    .values(last_number=number)
                )
        self.write(
            table,
            (
                {"site_id": site_id, "year": year, "last_number": number}
                for (site_id, year), number in counters.items()
                if (site_id, year) not in existing
            ),
        )
        self.payments = []

    # -- care team: referrals, cases and what hangs from them --------------------------

    def fix_sequences(self) -> None:
        """Explicit ids were written: move PostgreSQL sequences past them."""
        if self.connection.dialect.name != "postgresql":
            return
        for name in self.next_ids:
            self.connection.execute(
                text(
                    f"SELECT setval(pg_get_serial_sequence('{name}', 'id'), "  # noqa: S608 - our table names  # nosec B608
                    f'(SELECT COALESCE(MAX(id), 1) FROM "{name}"))'
                )
            )
