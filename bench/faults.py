"""Faults under load, on a private PostgreSQL cluster (port 5433, created with
pg_createcluster when missing; needs root) so that restarting it disturbs no one:
SIGKILL of a gunicorn worker during bookings, a PostgreSQL restart during reads, and the
outbox while the mail server is down then back."""

import os
import shutil
import signal
import subprocess
import tempfile
import time
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import requests

from bench import servers
from bench.servers import csrf_token

CLUSTER = ("15", "bench")
PORT = 5433
APP_PORT = 8121
SMTP_PORT = 8025


def _run(command: list[str], **kwargs) -> subprocess.CompletedProcess:
    return subprocess.run(command, check=True, capture_output=True, text=True, **kwargs)  # noqa: S603


def private_database(source_url: str) -> str:
    """Copy the benchmark database into the private cluster (pg_dump | pg_restore)."""
    version, name = CLUSTER
    clusters = _run(["pg_lsclusters", "-h"]).stdout
    if not any(line.split()[:2] == [version, name] for line in clusters.splitlines()):
        _run(["pg_createcluster", version, name, "-p", str(PORT)])
    _run(["pg_ctlcluster", version, name, "start"]) if " online " not in _cluster_line() else None
    _run(["runuser", "-u", "postgres", "--", "psql", "-p", str(PORT), "-qc",
          "DO $$ BEGIN IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname='ressourcerie_test') "
          "THEN CREATE ROLE ressourcerie_test LOGIN CREATEDB PASSWORD 'ressourcerie_test'; "
          "END IF; END $$;"])  # fmt: skip
    target = f"postgresql+psycopg://ressourcerie_test:ressourcerie_test@127.0.0.1:{PORT}/ressourcerie_fault"
    servers.drop_database(target)
    base = target.rsplit("/", 1)[0]
    servers.sql(base + "/postgres", "create database ressourcerie_fault")
    dump = Path(tempfile.gettempdir()) / "bench_fault.dump"
    env = dict(os.environ, PGPASSWORD="ressourcerie_test")
    source = servers.libpq_url(source_url)
    _run(["pg_dump", "-Fc", "-f", str(dump), source], env=env)
    _run(
        ["pg_restore", "--no-owner", "-j", "2", "-d", servers.libpq_url(target), str(dump)], env=env
    )
    dump.unlink()
    return target


def _cluster_line() -> str:
    for line in _run(["pg_lsclusters", "-h"]).stdout.splitlines():
        if line.split()[:2] == list(CLUSTER):
            return f" {line} "
    return ""


def _sign_in(url: str, email: str) -> tuple[requests.Session, str]:
    client = requests.Session()
    page = client.get(url + "/login")
    client.post(url + "/login", data={"csrf_token": csrf_token(page.text), "email": email,
                                      "password": "ressourcerie-demo"})  # fmt: skip
    return client, csrf_token(client.get(url + "/account").text)


def kill_worker_during_bookings(app: servers.Gunicorn, database: str, pools: dict) -> dict:
    sites = pools["sites"][:5]
    clients = {s["id"]: _sign_in(app.url, s["reception"]["email"]) for s in sites}
    work = [(s["id"], pair) for s in sites for pair in s["booking_pairs"][-200:-10]]
    outcomes: dict[tuple, str] = {}
    window_start = servers.sql(database, "select now()")[0][0]
    started = time.monotonic()
    killed = {}

    def book(item):
        site_id, (session_id, person_id) = item
        if time.monotonic() - started > 10:
            return
        client, token = clients[site_id]
        try:
            response = client.post(
                f"{app.url}/workshops/sessions/{session_id}/book-for",
                data={"csrf_token": token, "person_id": person_id, "channel": "phone",
                      "method": "", "amount": ""},
                allow_redirects=False, timeout=30,
            )  # fmt: skip
            outcomes[(session_id, person_id)] = str(response.status_code)
        except requests.RequestException as error:
            outcomes[(session_id, person_id)] = type(error).__name__

    def killer():
        time.sleep(3)
        victim = app.worker_pids()[0]
        os.kill(victim, signal.SIGKILL)
        killed["pid"], killed["at_s"] = victim, round(time.monotonic() - started, 1)

    with ThreadPoolExecutor(11) as pool:
        pool.submit(killer)
        list(pool.map(book, work))
    acknowledged = [pair for pair, status in outcomes.items() if status == "302"]
    in_db = {
        (s, p)
        for s, p in servers.sql(
            database,
            "select session_id, person_id from booking where booked_at >= %s",
            (window_start,),
        )
    }
    duplicates = servers.sql(
        database,
        "select count(*) from (select session_id, person_id from booking "
        "group by 1, 2 having count(*) > 1) d",
    )[0][0]
    sessions = sorted({s for s, _ in outcomes})
    inconsistent = servers.sql(
        database,
        "select w.id from workshop_session w left join booking b on b.session_id = w.id "
        "and b.status in ('confirmed', 'attended', 'no_show') where w.id = any(%s) "
        "group by w.id having w.seats_taken <> coalesce(sum(case when b.with_companion "
        "then 2 else 1 end), 0) or w.seats_taken > w.capacity",
        (sessions,),
    )
    result = {
        "killed_worker": killed,
        "posts": len(outcomes),
        "outcomes": dict(Counter(outcomes.values())),
        "acknowledged": len(acknowledged),
        "acknowledged_missing_in_db": len([p for p in acknowledged if p not in in_db]),
        # Committed, but the worker died before answering: the client must look before retrying.
        "in_db_without_acknowledgement": len(
            [p for p in outcomes if p in in_db and outcomes[p] != "302"]
        ),
        "refused_422": [list(p) for p in outcomes if outcomes[p] == "422"][:10],
        "duplicate_bookings": duplicates,
        "sessions_with_wrong_seat_count": len(inconsistent),
        "workers_after": len(app.worker_pids()),
    }
    result["ok"] = (
        result["acknowledged_missing_in_db"] == 0 and duplicates == 0 and not inconsistent
    )
    return result


def restart_postgres_during_reads(app: servers.Gunicorn, pools: dict) -> dict:
    site = pools["sites"][0]
    client, _ = _sign_in(app.url, site["reception"]["email"])
    people = site["people"]
    timeline: list[tuple[float, str]] = []
    started = time.monotonic()
    duration = 25.0
    restart = {}

    def reader(index):
        number = index
        while time.monotonic() - started < duration:
            number += 10
            at = time.monotonic() - started
            try:
                response = client.get(
                    f"{app.url}/members/people/{people[number % len(people)]}",
                    allow_redirects=False, timeout=10,
                )  # fmt: skip
                timeline.append((at, str(response.status_code)))
            except requests.RequestException as error:
                timeline.append((at, type(error).__name__))
            time.sleep(0.05)

    def restarter():
        time.sleep(5)
        begun = time.monotonic() - started
        _run(["pg_ctlcluster", *CLUSTER, "restart", "-m", "fast"])
        restart["from_s"], restart["to_s"] = round(begun, 1), round(time.monotonic() - started, 1)

    with ThreadPoolExecutor(11) as pool:
        pool.submit(restarter)
        list(pool.map(reader, range(10)))
    errors = [at for at, status in timeline if status != "200"]
    after_restart = [(at, s) for at, s in timeline if at > restart.get("to_s", duration)]
    first_ok_after = next((at for at, s in sorted(after_restart) if s == "200"), None)
    last_error = max(errors) if errors else None
    tail = [s for at, s in timeline if last_error is not None and at > last_error]
    result = {
        "postgres_restart_s": restart,
        "requests": len(timeline),
        "outcomes": dict(Counter(s for _, s in timeline)),
        "errors_between_s": [round(min(errors), 1), round(last_error, 1)] if errors else None,
        "first_success_after_restart_s": round(first_ok_after, 1) if first_ok_after else None,
        "successes_after_last_error": len(tail),
        "app_restarted": False,
    }
    result["ok"] = bool(tail) and all(s == "200" for s in tail) and len(tail) > 20
    return result


def outbox_resends(database: str) -> dict:
    env = servers.app_env(
        database, MAIL_SERVER="127.0.0.1", MAIL_PORT=str(SMTP_PORT), MAIL_TIMEOUT="5"
    )
    flask = [
        str(servers.VENV_BIN / "flask"),
        "--app",
        "ressourcerie",
        "outbox",
        "send",
        "--limit",
        "20",
    ]

    def pending() -> int:
        return servers.sql(
            database, "select count(*) from outbox_message where status = 'pending'"
        )[0][0]

    before = pending()
    down = _run(flask, cwd=servers.ROOT, env=env).stdout.strip()
    after_down = pending()
    # Skip the retry backoff (minutes) instead of waiting for it.
    servers.sql(
        database, "update outbox_message set next_attempt_at = now() where status = 'pending'"
    )
    maildir = Path(tempfile.mkdtemp(prefix="bench-mail-"))
    smtp = subprocess.Popen(  # noqa: S603
        [str(servers.VENV_BIN / "python"), "-m", "aiosmtpd", "-n", "-l", f"127.0.0.1:{SMTP_PORT}",
         "-c", "aiosmtpd.handlers.Mailbox", str(maildir / "box")],
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )  # fmt: skip
    try:
        time.sleep(1.5)
        up = _run(flask, cwd=servers.ROOT, env=env).stdout.strip()
    finally:
        smtp.terminate()
        smtp.wait()
    received = len(list((maildir / "box" / "new").glob("*"))) if (maildir / "box").exists() else 0
    shutil.rmtree(maildir, ignore_errors=True)
    result = {
        "pending_before": before,
        "send_while_down": down,
        "pending_after_failed_send": after_down,
        "send_after_server_back": up,
        "pending_after": pending(),
        "messages_received": received,
    }
    result["ok"] = after_down == before and received > 0 and "0 sent" in down
    return result


def run(database: str, pools: dict) -> dict:
    if shutil.which("pg_ctlcluster") is None or os.geteuid() != 0:
        return {"skipped": "needs root and Debian's pg_ctlcluster for a private cluster"}
    fault_db = private_database(database)
    app = servers.Gunicorn("bench.wsgi:application()", APP_PORT, servers.app_env(fault_db), "fault")
    result = {}
    try:
        app.start()
        result["sigkill_worker"] = kill_worker_during_bookings(app, fault_db, pools)
        print(f"  SIGKILL: {result['sigkill_worker']}", flush=True)
        result["postgres_restart"] = restart_postgres_during_reads(app, pools)
        print(f"  PostgreSQL restart: {result['postgres_restart']}", flush=True)
    finally:
        app.stop()
    result["outbox"] = outbox_resends(fault_db)
    print(f"  outbox: {result['outbox']}", flush=True)
    servers.drop_database(fault_db)
    return result
