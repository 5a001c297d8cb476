"""`make bench`: the application and the bare Flask endpoint under gunicorn on a copy of the
scale database, 20 concurrent users per journey, then two servers and faults.

Environment: BENCH_DATABASE_URL (source, default the ressourcerie_scale database),
BENCH_SECONDS (measured seconds per journey, default 20), BENCH_USERS (20),
BENCH_WORKERS / BENCH_THREADS (2 × 4), BENCH_ONLY (comma-separated journeys),
BENCH_SKIP (comma-separated parts among: journeys, reports, cluster, faults),
BENCH_OUTPUT (write the results to this file only, not bench/results.json nor the docs).
"""

from gevent import monkey

monkey.patch_all()

import json  # noqa: E402
import os  # noqa: E402
import statistics  # noqa: E402
import subprocess  # noqa: E402
import sys  # noqa: E402
import time  # noqa: E402
from collections import defaultdict  # noqa: E402
from pathlib import Path  # noqa: E402

import gevent  # noqa: E402
import pyotp  # noqa: E402
import requests  # noqa: E402
from locust.env import Environment  # noqa: E402

from bench import journeys, servers  # noqa: E402
from bench.report import write_results  # noqa: E402

USERS = int(os.environ.get("BENCH_USERS", "20"))
SECONDS = float(os.environ.get("BENCH_SECONDS", "20"))
WARMUP = float(os.environ.get("BENCH_WARMUP", "4"))
APP_PORT, BARE_PORT = 8101, 8102


def load_pools(database_url: str) -> dict:
    env = servers.app_env(database_url, RESSOURCERIE_CONFIG="development")
    output = subprocess.run(  # noqa: S603
        [sys.executable, "-m", "bench.pools"], cwd=servers.ROOT, env=env, check=True,
        capture_output=True, text=True,
    ).stdout  # fmt: skip
    return json.loads(output)


def totp_code(account: dict) -> str:
    totp = pyotp.TOTP(account["totp_secret"])
    step = totp.timecode(time.time())
    last = account.get("totp_last_step") or 0
    if last >= step + 1:
        time.sleep(30 * (last - step))  # this account already used the next code
        step = totp.timecode(time.time())
    chosen = max(step, last + 1)
    account["totp_last_step"] = chosen
    return totp.generate_otp(chosen)


def sign_in(base_url: str, account: dict, form_page: str | None = None) -> dict:
    """Sign in through the login form (and the two-factor form); return cookies and a CSRF
    token valid for the session's forms."""
    client = requests.Session()
    page = client.get(base_url + "/login")
    response = client.post(
        base_url + "/login",
        data={
            "csrf_token": servers.csrf_token(page.text),
            "email": account["email"],
            "password": "ressourcerie-demo",
        },
    )
    if "/login/code" in response.url:
        response = client.post(
            base_url + "/login/code",
            data={"csrf_token": servers.csrf_token(response.text), "code": totp_code(account)},
        )
    if "/login" in response.url:
        raise RuntimeError(f"could not sign in {account['email']}")
    csrf = ""
    if form_page:
        csrf = servers.csrf_token(client.get(base_url + form_page).text)
    return {"cookies": client.cookies.get_dict(), "csrf": csrf, "client": client}


def sign_in_everyone(base_url: str, pools: dict) -> dict:
    logins = {"reception": {}, "social_worker": {}, "coordinator": {}}
    for site in pools["sites"]:
        session_id, person_id = site["booking_pairs"][0]
        form = f"/workshops/sessions/{session_id}/book-for?person_id={person_id}"
        logins["reception"][site["id"]] = sign_in(base_url, site["reception"], form)
        if site["social_worker"] and site["social_worker"]["totp_secret"]:
            logins["social_worker"][site["id"]] = sign_in(base_url, site["social_worker"])
    logins["coordinator"][0] = sign_in(base_url, pools["coordinator"])
    return logins


def run_phase(name: str, base_url: str, server: servers.Gunicorn) -> dict:
    """One journey alone: USERS users in a closed loop, WARMUP s, then SECONDS measured."""
    user_class = journeys.JOURNEYS[name]
    journeys.Journey._numbers = __import__("itertools").count()
    env = Environment(user_classes=[user_class], host=base_url)
    queries: dict[str, list[int]] = defaultdict(list)

    def on_request(name, response=None, exception=None, **kwargs):
        if response is not None and exception is None:
            value = response.headers.get("X-Query-Count")
            if value is not None:
                queries[name].append(int(value))

    env.events.request.add_listener(on_request)
    runner = env.create_local_runner()
    runner.start(USERS, spawn_rate=min(USERS, 100))
    gevent.sleep(WARMUP)
    env.stats.reset_all()
    queries.clear()
    rss_samples = []
    started = time.monotonic()
    while time.monotonic() - started < SECONDS:
        gevent.sleep(min(2.0, SECONDS - (time.monotonic() - started)))
        rss_samples.append(server.worker_rss_mb())
    runner.quit()
    total = env.stats.total
    entry = next(iter(env.stats.entries.values()), total)
    counts = [c for values in queries.values() for c in values]
    result = {
        "requests": entry.num_requests,
        "failures": entry.num_failures,
        "rps": round(entry.num_requests / SECONDS, 1),
        "p50_ms": entry.get_response_time_percentile(0.5),
        "p95_ms": entry.get_response_time_percentile(0.95),
        "p99_ms": entry.get_response_time_percentile(0.99),
        "mean_ms": round(entry.avg_response_time, 1),
        "queries_median": statistics.median(counts) if counts else None,
        "queries_max": max(counts) if counts else None,
        "worker_rss_mb_max": round(max((max(s) for s in rss_samples if s), default=0), 1),
        "errors": {str(k): v.occurrences for k, v in env.stats.errors.items()},
        # Other jobs on the machine show here: the figures are only comparable at equal load.
        "load_avg_1m": round(os.getloadavg()[0], 1),
    }
    print(f"  {name:<14} {result['rps']:>7} rps  p50 {result['p50_ms']} ms  "
          f"p95 {result['p95_ms']} ms  queries {result['queries_median']}/{result['queries_max']}  "
          f"failures {result['failures']}  rss {result['worker_rss_mb_max']} MB", flush=True)  # fmt: skip
    return result


def time_request(client: requests.Session, url: str, runs: int = 3) -> dict:
    times, size = [], 0
    for _ in range(runs):
        started = time.perf_counter()
        response = client.get(url)
        times.append(time.perf_counter() - started)
        if response.status_code != 200:
            return {"error": f"status {response.status_code}", "median_s": None}
        size = len(response.content)
    return {"median_s": round(statistics.median(times), 3), "runs_s": [round(t, 3) for t in times],
            "bytes": size, "queries": response.headers.get("X-Query-Count")}  # fmt: skip


def main() -> None:
    skip = set(filter(None, os.environ.get("BENCH_SKIP", "").split(",")))
    only = list(filter(None, os.environ.get("BENCH_ONLY", "").split(","))) or list(
        journeys.JOURNEYS
    )
    source = os.environ.get("BENCH_DATABASE_URL", servers.SCALE_URL)
    results: dict = {
        "started_at": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
        "machine": {"cores": os.cpu_count(), "load_before": os.getloadavg()},
        "settings": {"users": USERS, "seconds": SECONDS, "warmup": WARMUP,
                     "workers": servers.WORKERS, "threads": servers.THREADS,
                     "worker_class": "gthread", "source_database": source.rsplit("/", 1)[1]},
    }  # fmt: skip
    print(f"cloning {source.rsplit('/', 1)[1]} → ressourcerie_bench", flush=True)
    database = servers.clone_database(source, "ressourcerie_bench")
    pools = load_pools(database)
    journeys.CONTEXT["pools"] = pools
    app = servers.Gunicorn("bench.wsgi:application()", APP_PORT, servers.app_env(database), "app")
    bare = servers.Gunicorn(
        "bench.wsgi:bare_application()", BARE_PORT, servers.app_env(database), "bare"
    )
    try:
        app.start()
        bare.start(ready_path=f"/row/{pools['bare_row']}")
        print("signing in", flush=True)
        logins = sign_in_everyone(app.url, pools)
        journeys.CONTEXT["logins"] = logins
        results["memory_idle_mb"] = {"app": app.worker_rss_mb(), "bare": bare.worker_rss_mb()}
        if "journeys" not in skip:
            print(f"journeys: {USERS} users, {SECONDS:.0f} s each", flush=True)
            results["journeys"] = {}
            for name in only:
                server = bare if name == "bare" else app
                results["journeys"][name] = run_phase(name, server.url, server)
            booked = journeys.CONTEXT.get("booked", [])
            results["bookings_posted"] = len(booked)
        if "reports" not in skip:
            client = logins["coordinator"][0]["client"]
            results["report_year"] = {
                "html": time_request(client, app.url + "/reports/?preset=last_year"),
                "pdf": time_request(
                    client, app.url + "/reports/rapport.pdf?preset=last_year&site="
                ),
            }
            print(f"  report year: {results['report_year']}", flush=True)
        results["memory_end_mb"] = {"app": app.worker_rss_mb(), "bare": bare.worker_rss_mb()}
    finally:
        app.stop()
        bare.stop()
    if "cluster" not in skip:
        from bench import cluster

        results["two_servers"] = cluster.run(database, pools)
    if "faults" not in skip:
        from bench import faults

        results["faults"] = faults.run(database, pools)
    results["finished_at"] = time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime())
    output = os.environ.get("BENCH_OUTPUT")
    if output:  # a side run: its own file, the table of the docs untouched
        Path(output).write_text(json.dumps(results, indent=2, default=str) + "\n")
    else:
        write_results(results, Path(servers.ROOT))
    if os.environ.get("BENCH_KEEP_DATABASE") != "1":
        servers.drop_database(database)


if __name__ == "__main__":
    main()
