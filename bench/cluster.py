"""Two app servers (separate gunicorn masters) on one PostgreSQL, rate limits in Redis:
a session opened on one is valid on the other, logout on one ends it on both, the login
limit is counted across both, and concurrent bookings for the last seats never overbook."""

import shutil
import subprocess
import time
from concurrent.futures import ThreadPoolExecutor

import requests

from bench import servers
from bench.servers import csrf_token

REDIS_PORT = 6390
PORTS = (8111, 8112)
LAST_SEATS = 3
CONCURRENT_BOOKINGS = 30


def start_redis() -> subprocess.Popen:
    process = subprocess.Popen(  # noqa: S603
        [shutil.which("redis-server") or "/usr/bin/redis-server", "--port", str(REDIS_PORT), "--bind", "127.0.0.1", "--save", "",
         "--appendonly", "no"],
        stdout=subprocess.DEVNULL,
    )  # fmt: skip
    for _ in range(50):
        try:
            import redis

            redis.Redis(port=REDIS_PORT).ping()
            return process
        except Exception:  # noqa: BLE001 - not up yet
            time.sleep(0.1)
    raise RuntimeError("redis-server did not start")


def _login(client: requests.Session, url: str, email: str, password: str) -> requests.Response:
    page = client.get(url + "/login")
    return client.post(
        url + "/login",
        data={"csrf_token": csrf_token(page.text), "email": email, "password": password},
        allow_redirects=False,
    )


def run(database: str, pools: dict) -> dict:
    redis_process = start_redis()
    # Production login limits (not the benchmark's): this part checks they hold across servers.
    env = servers.app_env(
        database,
        RATELIMIT_STORAGE_URI=f"redis://127.0.0.1:{REDIS_PORT}/0",
        LOGIN_RATE_LIMIT="10 per minute;50 per hour",
        LOGIN_ACCOUNT_RATE_LIMIT="5 per 15 minutes",
    )
    one, two = (servers.Gunicorn("bench.wsgi:application()", p, env, "node") for p in PORTS)
    result: dict = {}
    try:
        one.start()
        two.start()
        site = pools["sites"][0]
        client = requests.Session()
        login = _login(client, one.url, site["reception"]["email"], "ressourcerie-demo")
        on_one = client.get(one.url + "/members/people", allow_redirects=False).status_code
        on_two = client.get(two.url + "/members/people", allow_redirects=False).status_code
        result["session_shared"] = {
            "login_on_1": login.status_code,
            "people_list_on_1": on_one,
            "people_list_on_2": on_two,
            "ok": login.status_code == 302 and on_one == on_two == 200,
        }

        # The last seats of one session, booked at once through both servers.
        session_id = site["booking_pairs"][-1][0]
        servers.sql(
            database,
            "update workshop_session set capacity = seats_taken + %s, status = 'scheduled' "
            "where id = %s",
            (LAST_SEATS, session_id),
        )
        booked = {
            row[0] for row in servers.sql(
                database, "select person_id from booking where session_id = %s", (session_id,)
            )
        }  # fmt: skip
        people = [p for p in site["people"] if p not in booked][:CONCURRENT_BOOKINGS]
        token = csrf_token(
            client.get(
                f"{one.url}/workshops/sessions/{session_id}/book-for?person_id={people[0]}"
            ).text
        )

        def book(index_person):
            index, person_id = index_person
            url = (one if index % 2 else two).url
            response = client.post(
                f"{url}/workshops/sessions/{session_id}/book-for",
                data={"csrf_token": token, "person_id": person_id, "channel": "phone",
                      "method": "", "amount": ""},
                allow_redirects=False,
            )  # fmt: skip
            return response.status_code

        with ThreadPoolExecutor(CONCURRENT_BOOKINGS) as pool:
            statuses = list(pool.map(book, enumerate(people)))
        capacity, taken = servers.sql(
            database, "select capacity, seats_taken from workshop_session where id = %s",
            (session_id,),
        )[0]  # fmt: skip
        counts = dict(
            servers.sql(
                database,
                "select status, count(*) from booking where session_id = %s and person_id = any(%s) "
                "group by status",
                (session_id, people),
            )
        )
        seats_in_bookings = servers.sql(
            database,
            "select coalesce(sum(case when with_companion then 2 else 1 end), 0) from booking "
            "where session_id = %s and status in ('confirmed', 'attended', 'no_show')",
            (session_id,),
        )[0][0]
        result["overbooking"] = {
            "session_id": session_id,
            "seats_left_before": LAST_SEATS,
            "concurrent_posts": len(people),
            "http_statuses": {str(s): statuses.count(s) for s in sorted(set(statuses))},
            "confirmed": counts.get("confirmed", 0),
            "waitlisted": counts.get("waitlisted", 0),
            "capacity": capacity,
            "seats_taken": taken,
            "seats_in_bookings": seats_in_bookings,
            "ok": counts.get("confirmed", 0) == LAST_SEATS
            and taken == capacity == seats_in_bookings,
        }

        # Logout on server 2 ends the session on server 1 too.
        logout_token = csrf_token(client.get(two.url + "/members/people").text)
        client.post(two.url + "/logout", data={"csrf_token": logout_token})
        after = client.get(one.url + "/members/people", allow_redirects=False)
        result["logout_shared"] = {
            "people_list_on_1_after_logout_on_2": after.status_code,
            "ok": after.status_code == 302,
        }

        # The per-account login limit (5 per 15 minutes) is counted in Redis, across servers.
        statuses = []
        for attempt in range(7):
            fresh = requests.Session()
            url = (one if attempt % 2 else two).url
            statuses.append(
                _login(fresh, url, "nobody-bench@example.org", "wrong-password").status_code
            )
        result["rate_limit_shared"] = {
            "statuses_alternating_servers": statuses,
            "ok": statuses[:5] == [200] * 5 and statuses[5:] == [429, 429],
        }
    finally:
        one.stop()
        two.stop()
        redis_process.terminate()
        redis_process.wait()
    print(f"  two servers: {result}", flush=True)
    return result
