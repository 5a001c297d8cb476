"""Start and stop gunicorn, PostgreSQL databases and Redis for the benchmark; read worker memory."""

import os
import re
import signal
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from pathlib import Path

import psycopg

ROOT = Path(__file__).resolve().parent.parent
VENV_BIN = Path(sys.executable).parent
SCALE_URL = (
    "postgresql+psycopg://ressourcerie_test:ressourcerie_test@127.0.0.1:5432/ressourcerie_scale"
)
# The development encryption key: the scale and demo data were written with it.
DEV_ENCRYPTION_KEYS = "ZGV2LW9ubHktZW5jcnlwdGlvbi1rZXktMzJieXRlcyE="
CSRF = re.compile(r'name="csrf_token"[^>]*value="([^"]+)"')
WORKERS = int(os.environ.get("BENCH_WORKERS", "2"))
THREADS = int(os.environ.get("BENCH_THREADS", "4"))


def app_env(database_url: str, **extra: str) -> dict:
    """Production configuration, plain HTTP on loopback, login limits out of the way (the
    benchmark signs in 40 accounts from one address); everything else as in production."""
    env = dict(os.environ)
    env.update(
        RESSOURCERIE_CONFIG="production",
        DATABASE_URL=database_url,
        SECRET_KEY=os.environ.get("BENCH_SECRET_KEY", "bench-only-secret-key"),
        ENCRYPTION_KEYS=os.environ.get("BENCH_ENCRYPTION_KEYS", DEV_ENCRYPTION_KEYS),
        SESSION_COOKIE_SECURE="0",
        LOGIN_RATE_LIMIT="100000 per minute",
        LOGIN_ACCOUNT_RATE_LIMIT="100000 per minute",
        MAIL_SERVER="",
        PYTHONPATH=str(ROOT),
    )
    env.update(extra)
    return env


class Gunicorn:
    """One gunicorn master (WORKERS × THREADS gthread workers) on 127.0.0.1:port."""

    def __init__(self, target: str, port: int, env: dict, name: str):
        self.target, self.port, self.env, self.name = target, port, env, name
        self.url = f"http://127.0.0.1:{port}"
        self.process: subprocess.Popen | None = None
        self.log = (
            Path(os.environ.get("BENCH_LOG_DIR", tempfile.gettempdir()))
            / f"bench-{name}-{port}.log"
        )

    def start(self, ready_path: str = "/login") -> "Gunicorn":
        command = [
            str(VENV_BIN / "gunicorn"),
            "--workers", str(WORKERS),
            "--threads", str(THREADS),
            "--worker-class", "gthread",
            "--bind", f"127.0.0.1:{self.port}",
            "--timeout", "60",
            "--graceful-timeout", "5",
            self.target,
        ]  # fmt: skip
        self.process = subprocess.Popen(  # noqa: S603 - our own command line
            command,
            cwd=ROOT,
            env=self.env,
            stdout=self.log.open("ab"),
            stderr=subprocess.STDOUT,
        )
        wait_http(self.url + ready_path, self.process)
        return self

    def worker_pids(self) -> list[int]:
        return children(self.process.pid) if self.process else []

    def worker_rss_mb(self) -> list[float]:
        return [rss_mb(pid) for pid in self.worker_pids()]

    def stop(self) -> None:
        if self.process and self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(15)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        self.process = None


def wait_http(url: str, process: subprocess.Popen | None = None, timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process is not None and process.poll() is not None:
            raise RuntimeError(f"server for {url} exited with {process.returncode}")
        try:
            with urllib.request.urlopen(url, timeout=5) as response:  # noqa: S310 - loopback
                if response.status < 500:
                    return
        except urllib.error.HTTPError as error:
            if error.code < 500:
                return
        except OSError:
            pass
        time.sleep(0.3)
    raise RuntimeError(f"{url} did not answer within {timeout} s")


def children(pid: int) -> list[int]:
    found = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            status = (entry / "status").read_text()
        except OSError:
            continue
        for line in status.splitlines():
            if line.startswith("PPid:") and int(line.split()[1]) == pid:
                found.append(int(entry.name))
    return sorted(found)


def rss_mb(pid: int) -> float:
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    except OSError:
        pass
    return 0.0


def libpq_url(url: str) -> str:
    return url.replace("postgresql+psycopg://", "postgresql://")


def clone_database(source_url: str, name: str, attempts: int = 10) -> str:
    """A throw-away copy of the source database (CREATE DATABASE ... TEMPLATE): the
    benchmark books, kills and restarts without touching the shared scale data."""
    base, source = source_url.rsplit("/", 1)
    with psycopg.connect(libpq_url(base + "/postgres"), autocommit=True) as connection:
        connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        for attempt in range(attempts):
            try:
                connection.execute(f'CREATE DATABASE "{name}" TEMPLATE "{source}"')
                break
            except psycopg.errors.ObjectInUse:
                if attempt == attempts - 1:
                    raise
                time.sleep(3)  # someone is connected to the source: wait for them to leave
    return f"{base}/{name}"


def drop_database(url: str) -> None:
    base, name = url.rsplit("/", 1)
    with psycopg.connect(libpq_url(base + "/postgres"), autocommit=True) as connection:
        connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def sql(url: str, statement: str, params: tuple = ()) -> list[tuple]:
    with psycopg.connect(libpq_url(url), autocommit=True) as connection:
        cursor = connection.execute(statement, params)
        return cursor.fetchall() if cursor.description else []


def csrf_token(html: str) -> str:
    match = CSRF.search(html)
    if not match:
        raise ValueError("no CSRF token in the page")
    return match.group(1)
