"""EXPLAIN ANALYZE of every query the key pages run, on the network-scale database.

Not a test: run it against PostgreSQL loaded with `flask --app ressourcerie demo --scale
network` to see each page's queries with their plan and time:

    DATABASE_URL=postgresql+psycopg://.../ressourcerie_scale \\
        .venv/bin/python -m tests.performance.explain_pages [--plans]

It signs in the reference site's demo accounts (accueil@, social@) through a login
session row, requests each page once to warm up, then once while recording the SQL, and
runs EXPLAIN (ANALYZE, BUFFERS) on each SELECT with the same parameters.
"""

import json
import sys
import uuid
from datetime import timedelta

from sqlalchemy import event, func, select

from ressourcerie import create_app
from ressourcerie.casework.models import Case, Entry
from ressourcerie.columns import local_date, local_today, utcnow
from ressourcerie.extensions import db
from ressourcerie.members.models import Person, Visit
from ressourcerie.security.models import LoginSession, User
from ressourcerie.workshops.models import Booking, WorkshopSession


def pick_targets(app) -> dict:
    """The busiest objects of the reference site: the worst case of each page."""
    domain = app.config["DEMO_EMAIL_DOMAIN"]
    with app.app_context():
        reception = db.session.scalar(select(User).where(User.email == f"accueil@{domain}"))
        social = db.session.scalar(select(User).where(User.email == f"social@{domain}"))
        site_id = reception.sites[0].id
        person_id = db.session.scalar(
            select(Visit.person_id)
            .where(Visit.site_id == site_id, Visit.person_id.is_not(None))
            .group_by(Visit.person_id)
            .order_by(func.count().desc())
            .limit(1)
        )
        session_id = db.session.scalar(
            select(Booking.session_id)
            .join(WorkshopSession)
            .where(WorkshopSession.site_id == site_id)
            .group_by(Booking.session_id)
            .order_by(func.count().desc())
            .limit(1)
        )
        case_id = db.session.scalar(
            select(Entry.case_id)
            .join(Case)
            .where(Case.site_id == site_id)
            .group_by(Entry.case_id)
            .order_by(func.count().desc())
            .limit(1)
        )
        person = db.session.get(Person, person_id)
        last_name = person.last_name
        phone = db.session.scalar(
            select(Person.phone_digits).where(Person.site_id == site_id, Person.phone_digits != "")
        )[:6]
        email = db.session.scalar(
            select(Person.email).where(Person.site_id == site_id, Person.email.is_not(None))
        )[:5]
        week = local_today() + timedelta(days=7)
        sessions = {}
        for role, user in (("reception", reception), ("social", social)):
            login = LoginSession(id=uuid.uuid4().hex, user_id=user.id, last_seen_at=utcnow())
            db.session.add(login)
            sessions[role] = login.id
        db.session.commit()
        first_session = db.session.get(WorkshopSession, session_id)
        print(f"session {session_id} on {local_date(first_session.starts_at)}", file=sys.stderr)
    return {
        "pages": {
            "public planning week": (None, f"/workshops/?date={week.isoformat()}"),
            "people search": ("reception", f"/members/people?q={last_name[:4]}"),
            "people list": ("reception", "/members/people"),
            "people by phone": ("reception", f"/members/people?q={phone}"),
            "people by email": ("reception", f"/members/people?q={email}%40"),
            "person page": ("reception", f"/members/people/{person_id}"),
            "check-in page": ("reception", f"/workshops/sessions/{session_id}/checkin"),
            "case page": ("social", f"/casework/cases/{case_id}"),
            "directory search": (None, "/directory/aide?need=respite&place=33"),
        },
        "sessions": sessions,
    }


def explain(app, show_plans: bool) -> list[dict]:
    targets = pick_targets(app)
    results = []
    for page, (role, url) in targets["pages"].items():
        client = app.test_client()
        if role:
            with client.session_transaction() as cookie:
                cookie["_user_id"] = targets["sessions"][role]
                cookie["_fresh"] = True
        client.get(url)  # warm caches
        recorded: list[tuple[str, object]] = []

        def before(_conn, _cursor, statement, parameters, _context, _many, recorded=recorded):
            recorded.append((statement, parameters))

        with app.app_context():
            engine = db.engine
        event.listen(engine, "before_cursor_execute", before)
        try:
            status = client.get(url).status_code
        finally:
            event.remove(engine, "before_cursor_execute", before)
        with app.app_context():
            raw = db.engine.raw_connection()
            try:
                cursor = raw.cursor()
                for statement, parameters in recorded:
                    if not statement.lstrip().upper().startswith("SELECT"):
                        continue
                    cursor.execute(
                        "EXPLAIN (ANALYZE, BUFFERS, FORMAT JSON) " + statement, parameters
                    )
                    plan = cursor.fetchone()[0]
                    plan = plan if isinstance(plan, list) else json.loads(plan)
                    results.append(
                        {
                            "page": page,
                            "status": status,
                            "sql": " ".join(statement.split())[:150],
                            "ms": round(plan[0]["Execution Time"], 2),
                            "plan": plan[0]["Plan"],
                        }
                    )
                raw.rollback()
            finally:
                raw.close()
    for row in results:
        print(f"{row['page']:<22} {row['ms']:>8.2f} ms  {row['sql']}")
        if show_plans:
            print(describe(row["plan"], 1))
    return results


def describe(node: dict, depth: int) -> str:
    line = "  " * depth + f"{node['Node Type']}"
    if "Index Name" in node:
        line += f" using {node['Index Name']}"
    if "Relation Name" in node:
        line += f" on {node['Relation Name']}"
    line += f" (rows {node.get('Actual Rows')}, {node.get('Actual Total Time')} ms)"
    children = [describe(child, depth + 1) for child in node.get("Plans", [])]
    return "\n".join([line, *children])


if __name__ == "__main__":
    explain(create_app(), "--plans" in sys.argv)
