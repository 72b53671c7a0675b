#!/usr/bin/env bash
# Writes docs/schema.sql: the schema the migrations make (tables, constraints,
# indexes, policies, functions, grants), dumped from a fresh database, so a
# reviewer sees every schema change in a diff. `--check` compares instead and
# fails when the committed file is not current (scripts/test.sh runs that).
#
# Uses the test cluster in target/test-pg (started if needed, as
# scripts/test.sh does) and a database of its own there, bookwork_schema.
source "$(dirname "${BASH_SOURCE[0]}")/setup.sh"

check=false
[ "${1:-}" = "--check" ] && check=true

ensure_postgres
[ -x target/debug/bookwork ] || RUSTFLAGS="--cfg erase_components" \
  cargo build --quiet --bin bookwork --no-default-features --features ssr
owner_url=$(target/debug/bookwork db start --dir target/test-pg --fast)
schema_url=${owner_url/\/bookwork\?//bookwork_schema?}
PGOPTIONS="-c client_min_messages=warning" psql -q "$owner_url" -c "DROP DATABASE IF EXISTS bookwork_schema WITH (FORCE)" -c "CREATE DATABASE bookwork_schema"
DATABASE_URL=$schema_url target/debug/bookwork migrate >/dev/null

# pg_dump's header names its version and, since 15.14, a random \restrict
# key per dump: neither is the schema. The migrations' own bookkeeping table
# is left out for the same reason.
dump() {
  pg_dump --schema-only --exclude-table=public._sqlx_migrations "$schema_url" |
    grep -v -e '^\\restrict ' -e '^\\unrestrict ' -e '^-- Dumped from ' -e '^-- Dumped by '
}

if $check; then
  dump | diff -u docs/schema.sql - >&2 ||
    die "docs/schema.sql is not the schema the migrations make: run scripts/schema.sh and commit it"
else
  dump >docs/schema.sql
  say "wrote docs/schema.sql"
fi
psql -q "$owner_url" -c "DROP DATABASE bookwork_schema WITH (FORCE)"
