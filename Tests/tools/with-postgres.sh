#!/bin/sh
# Runs CMD… with a throwaway PostgreSQL/PostGIS cluster of its own: initdb into a temporary
# directory, a Unix socket there and no TCP port (listen_addresses=''), a database `routerisk`
# with PostGIS, and PGHOST/PGPORT/PGUSER/PGDATABASE exported for CMD. The cluster is stopped and
# its directory removed when CMD ends, whatever its status (trap on EXIT, INT, TERM).
#
# Roles: `postgres` (trust over the socket) and `analyst` with password `analyst-secret`
# (scram-sha-256), for the tests of wrong passwords and masking.
#   Tests/tools/with-postgres.sh swift test --skip-build
set -eu

bin=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1)
if [ -z "$bin" ] || [ ! -x "$bin/initdb" ]; then
  echo "with-postgres.sh: no PostgreSQL server (Debian's postgresql and postgresql-15-postgis-3; make test-deps installs them)" >&2
  exit 69
fi
dir=$(mktemp -d /tmp/routerisk-pg.XXXXXX)
chmod 755 "$dir"
# initdb refuses to run as root: the cluster belongs to `postgres` then.
if [ "$(id -u)" = 0 ]; then
  chown postgres "$dir"
  as_owner() { runuser -u postgres -- "$@"; }
else
  as_owner() { "$@"; }
fi

stop() {
  status=$?
  trap - EXIT INT TERM
  as_owner "$bin/pg_ctl" -D "$dir/data" -m immediate -w stop >/dev/null 2>&1 || true
  rm -rf "$dir"
  exit $status
}
trap stop EXIT INT TERM

started=$(date +%s.%N)
as_owner "$bin/initdb" -D "$dir/data" -U postgres -A trust -E UTF8 --locale=C.UTF-8 --no-sync >"$dir/initdb.log" 2>&1 \
  || { cat "$dir/initdb.log" >&2; exit 70; }
cat >"$dir/data/pg_hba.conf" <<HBA
local all analyst scram-sha-256
local all all trust
HBA
as_owner "$bin/pg_ctl" -D "$dir/data" -l "$dir/server.log" -w \
  -o "-c listen_addresses='' -c unix_socket_directories='$dir' -c port=5432 -c fsync=off -c synchronous_commit=off -c full_page_writes=off" \
  start >/dev/null || { cat "$dir/server.log" >&2; exit 70; }

export PGHOST="$dir" PGPORT=5432 PGUSER=postgres PGDATABASE=routerisk
export ROUTERISK_TEST_POSTGRES=1
"$bin/psql" -q -v ON_ERROR_STOP=1 -d postgres -c "CREATE DATABASE routerisk" >/dev/null
"$bin/psql" -q -v ON_ERROR_STOP=1 -c "CREATE EXTENSION postgis" \
  -c "SET password_encryption = 'scram-sha-256'" \
  -c "CREATE ROLE analyst LOGIN PASSWORD 'analyst-secret' SUPERUSER" >/dev/null
ready=$(date +%s.%N)
echo "with-postgres.sh: cluster in $dir ready in $(awk "BEGIN { printf \"%.1f\", $ready - $started }") s (PostgreSQL $("$bin/postgres" --version | awk '{print $3}'), PostGIS $("$bin/psql" -tAc 'SELECT postgis_lib_version()'))" >&2

set +e
"$@"
