#!/usr/bin/env bash
# Start the Debian PostgreSQL cluster "main" (creating it when needed) and print a test URL.
# Other clusters (the benchmark's private one on port 5433) are left alone.
set -euo pipefail
# Only the URL goes to standard output, which callers capture: everything the PostgreSQL
# tools print (for instance "Removed stale pid file.") goes to standard error. The server
# must not inherit the captured descriptor, or the caller would wait for it to exit.
exec 3>&1 1>&2
version=$(ls /usr/lib/postgresql | sort -V | tail -1)
cluster_line() { pg_lsclusters -h 2>/dev/null | awk '$2 == "main"' | sort -V | tail -1; }
if [ -z "$(cluster_line)" ]; then
    pg_createcluster "$version" main 3>&-
fi
read -r cluster_version _ port status _ < <(cluster_line)
if [ "$status" != "online" ]; then
    pg_ctlcluster "$cluster_version" main start 3>&-
fi
for _ in $(seq 1 30); do
    runuser -u postgres -- pg_isready -q -p "$port" && break
    sleep 1
done
runuser -u postgres -- psql -q -p "$port" -v ON_ERROR_STOP=1 <<SQL
DO \$\$ BEGIN
  IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'ressourcerie_test') THEN
    CREATE ROLE ressourcerie_test LOGIN CREATEDB PASSWORD 'ressourcerie_test';
  END IF;
END \$\$;
SQL
if ! runuser -u postgres -- psql -p "$port" -tAc "SELECT 1 FROM pg_database WHERE datname='ressourcerie_test'" | grep -q 1; then
    runuser -u postgres -- createdb -p "$port" -O ressourcerie_test ressourcerie_test
fi
echo "postgresql+psycopg://ressourcerie_test:ressourcerie_test@127.0.0.1:${port}/ressourcerie_test" >&3
