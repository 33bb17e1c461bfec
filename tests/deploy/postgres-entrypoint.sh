#!/bin/sh
# The official postgres image's start-up, in short: a first start makes the cluster (the
# superuser POSTGRES_USER with POSTGRES_PASSWORD, the database POSTGRES_DB), then the server
# runs in the foreground as the postgres user and takes the container's signals itself.
set -eu
: "${POSTGRES_USER:=postgres}" "${POSTGRES_DB:=$POSTGRES_USER}" "${PGPORT:=5432}"
: "${POSTGRES_PASSWORD:?the stand-in, like postgres:16, needs POSTGRES_PASSWORD}"
bindir=$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -n 1)
as_postgres() { setpriv --reuid=postgres --regid=postgres --init-groups "$@"; }

mkdir -p "$PGDATA" /var/run/postgresql
chown -R postgres:postgres "$PGDATA" /var/run/postgresql
chmod 700 "$PGDATA"
if [ ! -s "$PGDATA/PG_VERSION" ]; then
  secret=$(mktemp)
  printf '%s' "$POSTGRES_PASSWORD" >"$secret"
  chown postgres "$secret"
  as_postgres "$bindir/initdb" -D "$PGDATA" -U "$POSTGRES_USER" --pwfile="$secret" \
    --auth-local=trust --auth-host=scram-sha-256 -E UTF8 --no-locale >/dev/null
  rm -f "$secret"
  echo "host all all all scram-sha-256" >>"$PGDATA/pg_hba.conf"
  as_postgres "$bindir/pg_ctl" -D "$PGDATA" -w -o "-c listen_addresses='' -p $PGPORT" start >/dev/null
  if [ "$POSTGRES_DB" != postgres ]; then
    as_postgres "$bindir/psql" -v ON_ERROR_STOP=1 -q -p "$PGPORT" -U "$POSTGRES_USER" -d postgres \
      -c "CREATE DATABASE \"$POSTGRES_DB\""
  fi
  as_postgres "$bindir/pg_ctl" -D "$PGDATA" -m fast -w stop >/dev/null
fi
exec setpriv --reuid=postgres --regid=postgres --init-groups \
  "$bindir/postgres" -D "$PGDATA" -p "$PGPORT" -c "listen_addresses=${POSTGRES_LISTEN_ADDRESSES:-*}"
