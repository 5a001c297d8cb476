#!/usr/bin/env bash
# Start the Debian PostgreSQL cluster (creating it when needed) and print a test URL.
set -euo pipefail
version=$(ls /usr/lib/postgresql | sort -V | tail -1)
if ! pg_lsclusters -h 2>/dev/null | grep -q .; then
    pg_createcluster "$version" main >/dev/null
fi
read -r cluster_version cluster_name port status _ < <(pg_lsclusters -h | head -1)
if [ "$status" != "online" ]; then
    pg_ctlcluster "$cluster_version" "$cluster_name" start
fi
for _ in $(seq 1 30); do
    runuser -u postgres -- pg_isready -q -p "$port" && break
    sleep 1
done
runuser -u postgres -- psql -q -p "$port" -v ON_ERROR_STOP=1 >/dev/null <<SQL
DO \$\$ BEGIN
  IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'ressourcerie_test') THEN
    CREATE ROLE ressourcerie_test LOGIN CREATEDB PASSWORD 'ressourcerie_test';
  END IF;
END \$\$;
SQL
if ! runuser -u postgres -- psql -p "$port" -tAc "SELECT 1 FROM pg_database WHERE datname='ressourcerie_test'" | grep -q 1; then
    runuser -u postgres -- createdb -p "$port" -O ressourcerie_test ressourcerie_test
fi
echo "postgresql+psycopg://ressourcerie_test:ressourcerie_test@127.0.0.1:${port}/ressourcerie_test"
