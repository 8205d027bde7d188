#!/usr/bin/env bash
# Runs supabase/tests/database/*.test.sql with pg_prove on a fresh database with the stand-in and the migrations.
# On Supabase the same files run with `supabase test db`.
set -euo pipefail
here=$(cd "$(dirname "$0")/.." && pwd)
PGHOST=${PGHOST:-127.0.0.1}
PGPORT=${PGPORT:-5432}
PGUSER=${PGUSER:-postgres}
export PGHOST PGPORT PGUSER
export PGOPTIONS="-c client_min_messages=warning"
db="pgtap_$(date +%s)_$$"
psql -d postgres -qc "create database $db"
trap 'psql -d postgres -qc "drop database if exists $db with (force)"' EXIT
psql -d "$db" -q -v ON_ERROR_STOP=1 -f "$here/standin/auth_standin.sql"
# the migrations run as the stand-in's non-superuser owner, as on Supabase (not as a superuser)
for migration in "$here"/migrations/*.sql; do
  PGOPTIONS="$PGOPTIONS -c role=project_owner" psql -d "$db" -q -v ON_ERROR_STOP=1 -f "$migration"
done
psql -d "$db" -qc "create extension if not exists pgtap with schema extensions"
pg_prove -d "$db" --ext .sql "$here"/tests/database/*.test.sql
