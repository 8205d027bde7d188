#!/usr/bin/env bash
# Builds and installs pgvector from Debian's own source package when `create extension vector` is impossible.
# Debian 12 ships no pgvector binary package; trixie's source package builds against postgresql-server-dev-NN.
set -euo pipefail

PGHOST=${PGHOST:-127.0.0.1}
PGPORT=${PGPORT:-5432}
PGUSER=${PGUSER:-postgres}
export PGHOST PGPORT PGUSER

vector_available() {
  [ "$(psql -d postgres -Atqc "select count(*) from pg_available_extensions where name = 'vector'" 2>/dev/null)" = "1" ]
}

if vector_available; then
  echo "pgvector: already available"
  exit 0
fi

server_major=$(psql -d postgres -Atqc "show server_version_num" | cut -c1-2)
if [ "$(id -u)" != "0" ] || ! command -v apt-get >/dev/null; then
  cat >&2 <<MSG
pgvector is not installed on the PostgreSQL server at $PGHOST:$PGPORT, and this script needs root and apt-get to build it.
Remedy: as root run 'supabase/scripts/install-pgvector.sh', or install pgvector for PostgreSQL $server_major
(https://github.com/pgvector/pgvector#installation), or set CONFORMANCE_DB_URL to a database that has it.
MSG
  exit 3
fi

echo "pgvector: building from Debian's source package for PostgreSQL $server_major"
src_list=/etc/apt/sources.list.d/trixie-src.list
if [ ! -f "$src_list" ]; then
  echo "deb-src http://deb.debian.org/debian trixie main" > "$src_list"
fi
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
apt-get install -y -qq --no-install-recommends "postgresql-server-dev-$server_major" build-essential dpkg-dev >/dev/null

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
(cd "$work" && apt-get source -qq pgvector >/dev/null 2>&1)
src=$(find "$work" -maxdepth 1 -type d -name 'pgvector-*' | head -1)
[ -n "$src" ] || { echo "pgvector: 'apt-get source pgvector' produced no source tree" >&2; exit 3; }
make -s -C "$src" PG_CONFIG="/usr/lib/postgresql/$server_major/bin/pg_config" OPTFLAGS="" >/dev/null
make -s -C "$src" PG_CONFIG="/usr/lib/postgresql/$server_major/bin/pg_config" install >/dev/null

vector_available || { echo "pgvector: installed, but PostgreSQL does not list it" >&2; exit 3; }
echo "pgvector: installed $(basename "$src")"
