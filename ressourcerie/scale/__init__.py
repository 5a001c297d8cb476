"""Network-scale demo data: 20 sites and five years of activity, written in bulk.

`flask --app ressourcerie demo --scale network` calls `generate()`; `factor` shrinks every
count (tests use 0.002). Nothing is ever deleted: on a database that already holds people
it refuses, unless forced, and then adds the network beside what is there.
"""

from __future__ import annotations

import time as clock

from flask import current_app
from sqlalchemy import func, select, text

from ressourcerie.extensions import db
from ressourcerie.members.models import Person
from ressourcerie.scale import people, workshops
from ressourcerie.scale.casework import write_casework
from ressourcerie.scale.generator import NETWORK, Generator, Report

__all__ = ["NETWORK", "Report", "ScaleRefused", "generate"]


class ScaleRefused(Exception):
    """The database already holds people and the caller did not force the generation."""


def generate(*, factor: float = 1.0, force: bool = False, seed: int = 2026) -> Report:
    """Write the network in one transaction, then refresh the planner statistics
    (VACUUM ANALYZE on PostgreSQL, ANALYZE on SQLite)."""
    existing = db.session.scalar(select(func.count(Person.id)))
    db.session.rollback()
    if existing and not force:
        raise ScaleRefused(
            f"The database already holds {existing} people: nothing was written. "
            "Use --force to add the network data beside them (nothing is deleted)."
        )
    started = clock.perf_counter()
    with db.engine.begin() as connection:
        generator = Generator(connection, factor, seed, current_app.config["DEMO_EMAIL_DOMAIN"])
        for step in (generator.sites, generator.staff, generator.hours, generator.partners):
            step()
        people.add_people(generator)
        people.add_visits(generator)
        people.add_memberships(generator)
        workshops.add_sessions(generator)
        workshops.add_bookings(generator)
        # Memberships and bookings point at their receipts: the ledger is written first.
        generator.flush_payments()
        people.write_memberships(generator)
        workshops.write_sessions_and_bookings(generator)
        write_casework(generator)
        generator.fix_sequences()
    analyzed = clock.perf_counter()
    tables = ", ".join(f'"{name}"' for name in generator.report.rows)
    with db.engine.connect() as connection:
        if connection.dialect.name == "postgresql":
            # VACUUM too: it sets the visibility map that index-only scans rely on.
            connection.execution_options(isolation_level="AUTOCOMMIT").execute(
                text(f"VACUUM ANALYZE {tables}")
            )
        else:
            connection.execute(text("ANALYZE"))
            connection.commit()
    report = generator.report
    report.rows["ANALYZE"] = 0
    report.seconds["ANALYZE"] = clock.perf_counter() - analyzed
    report.total_seconds = clock.perf_counter() - started
    return report
