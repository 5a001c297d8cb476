"""Reads what the journeys need from the benchmark database and prints it as JSON: per site,
the accounts (with the TOTP secret of the social worker, decrypted by the app), people,
search prefixes, sessions for check-in, cases, and (session, person) pairs to book.

    DATABASE_URL=... python -m bench.pools > pools.json
"""

import json
import random
import sys

from sqlalchemy import text

from ressourcerie import create_app
from ressourcerie.extensions import db
from ressourcerie.security.models import User

PER_SITE = 200
PAIRS_PER_SITE = 600
ACCOUNT = (
    "select u.id from user_account u join user_role r on r.user_id = u.id "
    "join user_site s on s.user_id = u.id where r.role = :role and s.site_id = :site "
    "and u.active and (select count(*) from user_site s2 where s2.user_id = u.id) "
)
SITE_ACCOUNT = ACCOUNT + "= 1 order by u.id limit 1"
NETWORK_ACCOUNT = ACCOUNT + "> 1 order by u.id limit 1"


def _ids(sql: str, **params) -> list:
    return [row[0] for row in db.session.execute(text(sql), params)]


def _account(site_id: int, role: str, network: bool = False) -> dict | None:
    # Site staff have one site; network staff (coordination) have several.
    query = NETWORK_ACCOUNT if network else SITE_ACCOUNT
    user_id = db.session.execute(text(query), {"role": role, "site": site_id}).scalar()
    if user_id is None:
        return None
    user = db.session.get(User, user_id)
    return {
        "email": user.email,
        "totp_secret": user.totp_secret if user.two_factor_enabled else None,
        "totp_last_step": user.totp_last_step,
    }


def collect(seed: int = 8) -> dict:
    rng = random.Random(seed)
    site_ids = _ids("select id from site where active order by id")
    sites = []
    for site_id in site_ids:
        people = _ids(
            "select id from person where site_id = :s and anonymised_at is null "
            "order by random() limit :n",
            s=site_id,
            n=PER_SITE,
        )
        prefixes = _ids(
            "select left(search_last_name, 4) p from person where site_id = :s "
            "and length(search_last_name) >= 4 group by p order by count(*) desc limit 20",
            s=site_id,
        )
        checkin = _ids(
            "select id from workshop_session where site_id = :s and status = 'scheduled' "
            "and starts_at between now() - interval '30 days' and now() + interval '30 days' "
            "order by starts_at",
            s=site_id,
        )
        cases = _ids(
            "select id from casework_case where site_id = :s and anonymised_at is null "
            "order by random() limit :n",
            s=site_id,
            n=PER_SITE,
        )
        future = _ids(
            "select id from workshop_session where site_id = :s and status = 'scheduled' "
            "and starts_at > now() + interval '2 hours' order by starts_at",
            s=site_id,
        )
        booked = set(
            map(
                tuple,
                db.session.execute(
                    text(
                        "select b.session_id, b.person_id from booking b join workshop_session w "
                        "on w.id = b.session_id where w.site_id = :s and w.starts_at > now()"
                    ),
                    {"s": site_id},
                ).all(),
            )
        )
        pairs = set()
        if future and people:
            for _ in range(PAIRS_PER_SITE * 3):
                pair = (rng.choice(future), rng.choice(people))
                if pair not in booked:
                    pairs.add(pair)
                if len(pairs) >= PAIRS_PER_SITE:
                    break
        sites.append(
            {
                "id": site_id,
                "reception": _account(site_id, "reception"),
                "social_worker": _account(site_id, "social_worker"),
                "people": people,
                "prefixes": prefixes,
                "checkin_sessions": checkin,
                "cases": cases,
                "booking_pairs": sorted(pairs),
            }
        )
    coordinator = _account(site_ids[0], "coordinator", network=True)
    return {"sites": sites, "coordinator": coordinator, "bare_row": site_ids[0]}


def main() -> None:
    app = create_app()
    with app.app_context():
        json.dump(collect(), sys.stdout)


if __name__ == "__main__":
    main()
