#!/usr/bin/env bash
# The whole suite on SQLite, then on PostgreSQL when a server answers. Says clearly which passes ran.
set -u
cd "$(dirname "$0")/.."
BIN=.venv/bin
PG_URL="${KHRONIKA_TEST_POSTGRES_URL:-postgres://postgres@127.0.0.1:5432/test}"

# Tests never touch a developer's node: they get a throw-away home of their own.
home=$(mktemp -d)
trap 'rm -rf "$home"' EXIT

echo "=== Pass 1: SQLite (embedded) ==="
KHRONIKA_HOME="$home" KHRONIKA_DATABASE_URL="" $BIN/pytest "$@"
sqlite_status=$?

if $BIN/python - "$PG_URL" <<'PY' 2>/dev/null
import sys, psycopg
psycopg.connect(sys.argv[1].replace("postgres://", "postgresql://", 1), connect_timeout=3).close()
PY
then
  echo "=== Pass 2: PostgreSQL (${PG_URL}) ==="
  KHRONIKA_HOME="$home" KHRONIKA_DATABASE_URL="$PG_URL" $BIN/pytest "$@"
  pg_status=$?
  pg_summary=$([ $pg_status = 0 ] && echo "passed" || echo "FAILED")
else
  pg_status=0
  pg_summary="NOT RUN: cannot connect to ${PG_URL} (set KHRONIKA_TEST_POSTGRES_URL to point at a server)"
fi

echo
echo "Test passes: SQLite $([ $sqlite_status = 0 ] && echo passed || echo FAILED); PostgreSQL ${pg_summary}"
[ $sqlite_status = 0 ] && [ $pg_status = 0 ]
