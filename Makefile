# Shortcuts; the README's two commands are scripts/run.sh and scripts/test.sh.
.PHONY: run test install lint translations bench
run:  ## Install, create the SQLite database with demo data, serve on http://127.0.0.1:5000
	bash scripts/run.sh
test:  ## The whole suite: SQLite, PostgreSQL, browser journeys (installs what is missing)
	bash scripts/test.sh
install:
	bash scripts/install.sh --test
lint:
	.venv/bin/ruff check ressourcerie tests
	.venv/bin/ruff format --check ressourcerie tests
translations:  ## Extract strings and update the English catalog
	.venv/bin/pybabel extract -F babel.cfg -k _l -k lazy_gettext -o ressourcerie/translations/messages.pot --no-location --sort-output --omit-header --ignore-dirs=".*" .
	.venv/bin/pybabel update -i ressourcerie/translations/messages.pot -d ressourcerie/translations --no-fuzzy-matching --ignore-obsolete
	.venv/bin/pybabel compile -d ressourcerie/translations
bench:  ## Benchmark on a copy of the scale database (not a test; see bench/README.md)
	.venv/bin/python -c 'import locust' 2>/dev/null || .venv/bin/pip install -q -e '.[bench]'
	command -v redis-server >/dev/null || (apt-get update -qq && apt-get install -y -qq redis-server)
	.venv/bin/python -m bench.run
