#!/usr/bin/env bash
# Install, create the SQLite database with demo data, and serve on http://127.0.0.1:5000.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/install.sh
export SESSION_COOKIE_SECURE="${SESSION_COOKIE_SECURE:-0}"
.venv/bin/flask --app ressourcerie db upgrade heads
.venv/bin/flask --app ressourcerie demo
echo "Ressourcerie: http://${HOST:-127.0.0.1}:${PORT:-5000}/  (Ctrl+C to stop)"
exec .venv/bin/flask --app ressourcerie run --host "${HOST:-127.0.0.1}" --port "${PORT:-5000}"
