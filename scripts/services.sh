#!/usr/bin/env bash
# Start PostgreSQL and Redis when nothing answers on their ports; reuse them when something does.
# Then make sure the project's role, database and the postgis extension exist.
here=$(dirname "$0"); . "$here/lib.sh"

PGHOST=${PGHOST:-127.0.0.1}; PGPORT=${PGPORT:-5432}
REDIS_HOST=${REDIS_HOST:-127.0.0.1}; REDIS_PORT=${REDIS_PORT:-6379}
DB_NAME=${DB_NAME:-groundheat}; DB_USER=${DB_USER:-groundheat}; DB_PASSWORD=${DB_PASSWORD:-groundheat}

command -v pg_isready >/dev/null 2>&1 || die "pg_isready is missing: install postgresql-15 (make does)"
command -v redis-cli >/dev/null 2>&1 || die "redis-cli is missing: install redis-server (make does)"

# --- PostgreSQL ---
if pg_isready -q -h "$PGHOST" -p "$PGPORT"; then
  say "postgresql: already answering on $PGHOST:$PGPORT, reusing it"
else
  say "postgresql: starting the Debian cluster 15/main"
  command -v pg_ctlcluster >/dev/null 2>&1 || die "pg_ctlcluster is missing: install postgresql-common"
  if ! pg_lsclusters -h 2>/dev/null | awk '{print $1"/"$2}' | grep -qx 15/main; then
    as_root pg_createcluster 15 main >/dev/null || die "could not create the PostgreSQL 15 cluster"
  fi
  as_root pg_ctlcluster 15 main start || die "PostgreSQL 15 did not start: see /var/log/postgresql/"
  for _ in $(seq 1 30); do pg_isready -q -h "$PGHOST" -p "$PGPORT" && break; sleep 1; done
  pg_isready -q -h "$PGHOST" -p "$PGPORT" || die "PostgreSQL does not answer on $PGHOST:$PGPORT"
fi

# Role with CREATEDB (pytest makes its test database) but not superuser. postgis lives in
# template1, so every new database, the test one included, has it without superuser rights.
as_postgres psql -q -v ON_ERROR_STOP=1 -d postgres >/dev/null <<SQL || die "could not create the database role $DB_USER (is the local postgres superuser reachable?)"
DO \$\$ BEGIN
  IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = '$DB_USER') THEN
    CREATE ROLE $DB_USER LOGIN CREATEDB PASSWORD '$DB_PASSWORD';
  END IF;
END \$\$;
SQL
PGOPTIONS="--client-min-messages=warning" as_postgres psql -q -v ON_ERROR_STOP=1 -d template1 -c "CREATE EXTENSION IF NOT EXISTS postgis" >/dev/null \
  || die "the postgis extension is missing: install postgresql-15-postgis-3"
# The place search's trigram similarity and accent folding (search/migrations/0001): trusted
# extensions, which the database owner could create itself; made here as postgis is.
PGOPTIONS="--client-min-messages=warning" as_postgres psql -q -v ON_ERROR_STOP=1 -d template1 \
  -c "CREATE EXTENSION IF NOT EXISTS pg_trgm" -c "CREATE EXTENSION IF NOT EXISTS unaccent" >/dev/null \
  || die "the pg_trgm or unaccent extension is missing: install postgresql-15 (contrib)"
if ! as_postgres psql -tAq -d postgres -c "SELECT 1 FROM pg_database WHERE datname = '$DB_NAME'" | grep -q 1; then
  as_postgres createdb -O "$DB_USER" "$DB_NAME" || die "could not create the database $DB_NAME"
fi
PGOPTIONS="--client-min-messages=warning" as_postgres psql -q -v ON_ERROR_STOP=1 -d "$DB_NAME" -c "CREATE EXTENSION IF NOT EXISTS postgis" \
  -c "CREATE EXTENSION IF NOT EXISTS pg_trgm" -c "CREATE EXTENSION IF NOT EXISTS unaccent" >/dev/null
say "postgresql: database $DB_NAME ready (owner $DB_USER, postgis, pg_trgm, unaccent)"

# --- Redis ---
if redis-cli -h "$REDIS_HOST" -p "$REDIS_PORT" ping 2>/dev/null | grep -q PONG; then
  say "redis: already answering on $REDIS_HOST:$REDIS_PORT, reusing it"
else
  say "redis: starting redis-server on $REDIS_HOST:$REDIS_PORT"
  mkdir -p var/redis
  redis-server --bind "$REDIS_HOST" --port "$REDIS_PORT" --daemonize yes \
    --dir "$PWD/var/redis" --logfile "$PWD/var/redis/redis.log" --save "" --appendonly no \
    || die "redis-server did not start: see var/redis/redis.log"
  for _ in $(seq 1 20); do redis-cli -h "$REDIS_HOST" -p "$REDIS_PORT" ping 2>/dev/null | grep -q PONG && break; sleep 0.5; done
  redis-cli -h "$REDIS_HOST" -p "$REDIS_PORT" ping 2>/dev/null | grep -q PONG || die "Redis does not answer on $REDIS_HOST:$REDIS_PORT"
fi
