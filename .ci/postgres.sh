# PostgreSQL for the tests that use a real database (the broker's store): sourced by .ci/run.
#
#   postgres_up     installs Debian's postgresql when its server is missing, starts Debian's cluster (or a
#                   private one), makes the role and database launchpad_test, and exports DATABASE_URL.
#   postgres_down   stops what postgres_up started, nothing else.
#
# Runs as root (CI); the server runs as the postgres user. A DATABASE_URL already set is used as it is. Running
# it again finds the role, database and a running server in place.

PG_TEST_PORT="${PG_TEST_PORT:-5432}"
PG_TEST_NAME=launchpad_test
PG_STOP_CMD=()
PG_PRIVATE_DIR=""

# The newest server's binaries (a client-only install has psql there but no postgres or initdb).
pg_bin_dir() {
  local found
  found="$(ls -d /usr/lib/postgresql/*/bin/postgres 2>/dev/null | sort -V | tail -n 1 || true)"
  if [ -n "$found" ] && [ -x "$(dirname "$found")/initdb" ]; then dirname "$found"; fi
}

# Debian's cluster on our port, as "version name status", if there is one.
pg_debian_cluster() {
  command -v pg_lsclusters >/dev/null 2>&1 || return 0
  { pg_lsclusters --no-header 2>/dev/null || true; } | awk -v port="$PG_TEST_PORT" '$3 == port { print $1, $2, $4; exit }'
}

pg_as_postgres() {
  runuser -u postgres -- "$@"
}

postgres_up() {
  if [ -n "${DATABASE_URL:-}" ]; then
    echo "PostgreSQL: using DATABASE_URL from the environment"
    return 0
  fi

  if [ -z "$(pg_bin_dir)" ]; then
    echo "Installing Debian's postgresql"
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq
    # The package's own start of the cluster may be refused in a container; this script starts it.
    apt-get install -y -qq postgresql >/dev/null
  fi
  local bin socket cluster
  bin="$(pg_bin_dir)"
  if [ -z "$bin" ]; then
    echo "PostgreSQL: no server binaries under /usr/lib/postgresql" >&2
    return 1
  fi

  cluster="$(pg_debian_cluster)"
  if [ -n "$cluster" ]; then
    # shellcheck disable=SC2086
    set -- $cluster
    socket=/var/run/postgresql
    if [[ "$3" != online* ]]; then
      pg_ctlcluster "$1" "$2" start
      PG_STOP_CMD=(pg_ctlcluster "$1" "$2" stop)
    fi
  elif pg_as_postgres "$bin/pg_isready" -q -h 127.0.0.1 -p "$PG_TEST_PORT"; then
    echo "PostgreSQL: port $PG_TEST_PORT is taken by a server this script does not know; set DATABASE_URL" >&2
    return 1
  else
    # A private cluster in a temporary directory: trust on its own socket, passwords over TCP.
    PG_PRIVATE_DIR="$(mktemp -d /tmp/ci-postgres.XXXXXX)"
    chown postgres: "$PG_PRIVATE_DIR"
    socket="$PG_PRIVATE_DIR"
    pg_as_postgres "$bin/initdb" -D "$PG_PRIVATE_DIR/data" -U postgres --auth-local=trust --auth-host=scram-sha-256 >/dev/null
    pg_as_postgres "$bin/pg_ctl" -D "$PG_PRIVATE_DIR/data" -l "$PG_PRIVATE_DIR/server.log" -w -s \
      -o "-c listen_addresses=127.0.0.1 -p $PG_TEST_PORT -k $PG_PRIVATE_DIR" start
    PG_STOP_CMD=(pg_as_postgres "$bin/pg_ctl" -D "$PG_PRIVATE_DIR/data" -m fast -w -s stop)
  fi

  local tries=0
  until pg_as_postgres "$bin/pg_isready" -q -h "$socket" -p "$PG_TEST_PORT"; do
    tries=$((tries + 1))
    if [ "$tries" -ge 30 ]; then
      echo "PostgreSQL: the server did not become ready" >&2
      return 1
    fi
    sleep 1
  done

  local psql=(pg_as_postgres "$bin/psql" -X -q -v ON_ERROR_STOP=1 -h "$socket" -p "$PG_TEST_PORT" -d postgres)
  "${psql[@]}" -c "DO \$\$ BEGIN
    IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = '$PG_TEST_NAME') THEN CREATE ROLE $PG_TEST_NAME LOGIN; END IF;
  END \$\$" -c "ALTER ROLE $PG_TEST_NAME LOGIN PASSWORD '$PG_TEST_NAME'"
  if [ -z "$("${psql[@]}" -tA -c "SELECT 1 FROM pg_database WHERE datname = '$PG_TEST_NAME'")" ]; then
    "${psql[@]}" -c "CREATE DATABASE $PG_TEST_NAME OWNER $PG_TEST_NAME"
  fi
  # The tests make and drop their own schemas.
  "${psql[@]}" -c "GRANT CREATE ON DATABASE $PG_TEST_NAME TO $PG_TEST_NAME"

  export DATABASE_URL="postgres://$PG_TEST_NAME:$PG_TEST_NAME@127.0.0.1:$PG_TEST_PORT/$PG_TEST_NAME"
  echo "PostgreSQL: DATABASE_URL=postgres://$PG_TEST_NAME:***@127.0.0.1:$PG_TEST_PORT/$PG_TEST_NAME"
}

postgres_down() {
  if [ "${#PG_STOP_CMD[@]}" -gt 0 ]; then
    "${PG_STOP_CMD[@]}" || true
    PG_STOP_CMD=()
  fi
  if [ -n "$PG_PRIVATE_DIR" ]; then
    rm -rf "$PG_PRIVATE_DIR"
    PG_PRIVATE_DIR=""
  fi
}
