#!/usr/bin/env bash
# Install everything the app needs into .venv; Debian packages with apt-get when root.
# Usage: scripts/install.sh [--test]   (--test also installs the test extra)
set -euo pipefail
cd "$(dirname "$0")/.."

source scripts/apt.sh

# python3-venv is needed to create the virtualenv on Debian's own Python.
if ! python3 -c "import venv, ensurepip" >/dev/null 2>&1; then
    apt_install python3-venv
fi
# WeasyPrint draws PDFs with Pango; fonts so that the PDFs have real text.
apt_install libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 fonts-dejavu-core || true

extra=""
stamp=".venv/.installed"
if [ "${1:-}" = "--test" ]; then
    extra="[test]"
    stamp=".venv/.installed-test"
fi
if [ ! -x .venv/bin/python ]; then
    python3 -m venv .venv
fi
if [ ! -f "$stamp" ] || [ setup.cfg -nt "$stamp" ] || [ scripts/install.sh -nt "$stamp" ]; then
    # The venv's own pip and setuptools come from Python's ensurepip (setuptools 65 on
    # Python 3.11, with known vulnerabilities that pip-audit rightly reports): upgrade both.
    .venv/bin/python -m pip install --quiet --upgrade pip setuptools
    .venv/bin/python -m pip install --quiet -e ".${extra}"
    touch "$stamp"
fi
.venv/bin/pybabel compile -d ressourcerie/translations
