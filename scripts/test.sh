#!/usr/bin/env bash
# The whole test suite: on SQLite, on PostgreSQL, then the browser journeys in Chromium.
# Installs what is missing (Python packages in .venv; chromium and postgresql via apt-get).
set -euo pipefail
cd "$(dirname "$0")/.."

bash scripts/install.sh --test
source scripts/apt.sh
apt_install chromium postgresql poppler-utils

# Start PostgreSQL for this run and create a test role that may create databases.
export TEST_DATABASE_URL="${TEST_DATABASE_URL:-$(bash scripts/start-postgres.sh)}"
case "$TEST_DATABASE_URL" in
    postgresql*://*) ;;
    *) echo "TEST_DATABASE_URL is not a PostgreSQL URL: $TEST_DATABASE_URL" >&2; exit 1 ;;
esac

PYTEST=(.venv/bin/python -m pytest -q -p no:randomly)
workers=$(( $(nproc) > 1 ? $(nproc) : 1 ))

echo "== Lint"
.venv/bin/ruff check ressourcerie tests

echo "== Security scan (bandit; skipped checks explained in pyproject.toml)"
.venv/bin/bandit -q -r ressourcerie -c pyproject.toml

echo "== Dependency audit (pip-audit)"
bash scripts/audit-dependencies.sh

echo "== Suite on SQLite"
env -u TEST_DATABASE_URL "${PYTEST[@]}" -n "$workers" --ignore=tests/e2e tests

echo "== Suite on PostgreSQL"
"${PYTEST[@]}" -n "$workers" --ignore=tests/e2e tests

echo "== Browser journeys (Chromium)"
env -u TEST_DATABASE_URL "${PYTEST[@]}" tests/e2e
