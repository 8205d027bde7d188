#!/usr/bin/env bash
# Installs pgTAP and pg_prove from Debian's packages when they are missing (for supabase/tests).
set -euo pipefail
PGHOST=${PGHOST:-127.0.0.1}
PGPORT=${PGPORT:-5432}
PGUSER=${PGUSER:-postgres}
export PGHOST PGPORT PGUSER

available=$(psql -d postgres -Atqc "select count(*) from pg_available_extensions where name = 'pgtap'")
if [ "$available" = "1" ] && command -v pg_prove >/dev/null; then
  echo "pgTAP: already available"
  exit 0
fi
server_major=$(psql -d postgres -Atqc "show server_version_num" | cut -c1-2)
if [ "$(id -u)" != "0" ] || ! command -v apt-get >/dev/null; then
  echo "pgTAP is missing; as root run: apt-get install postgresql-$server_major-pgtap libtap-parser-sourcehandler-pgtap-perl" >&2
  exit 3
fi
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
apt-get install -y -qq --no-install-recommends "postgresql-$server_major-pgtap" libtap-parser-sourcehandler-pgtap-perl >/dev/null
echo "pgTAP: installed"
