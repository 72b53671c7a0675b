#!/usr/bin/env bash
# Runs every check and test: formatting, the deployment kit (alerting rules
# and their unit tests, the dashboard, systemd units), clippy (server and
# browser builds), the .sqlx query cache, unit + database + HTTP tests
# against a real PostgreSQL (two server instances behind a real PgBouncer
# among them, a pgBackRest restore drill), the API conformance run
# (Schemathesis), and the Playwright journeys in Chromium against a release
# build.
# Exits non-zero on the first failure.
source "$(dirname "${BASH_SOURCE[0]}")/setup.sh"

ensure_postgres
ensure_pgbouncer
ensure_chromium
ensure_build_tools
ensure_sqlx_cli
ensure_node_packages
ensure_schemathesis

# Same flags cargo-leptos uses for dev builds, so these share its artifacts.
DEV_RUSTFLAGS="--cfg erase_components"
SSR=(--no-default-features --features ssr)
HYDRATE=(--no-default-features --features hydrate --target wasm32-unknown-unknown)
started=$(date +%s)

say "checking formatting"
cargo fmt --check

say "checking the deployment kit (deploy/)"
scripts/check-deploy.sh

say "building the server binary (used to run the test database)"
RUSTFLAGS=$DEV_RUSTFLAGS cargo build --quiet --bin bookwork "${SSR[@]}"

TEST_PG_DIR="$ROOT/target/test-pg"
# Its URL is bookwork_owner's: tests make their databases and fixtures as the
# owner, and the servers they start log in as bookwork_app.
say "starting the test PostgreSQL cluster in $TEST_PG_DIR"
stop_db() { "$ROOT/target/debug/bookwork" db stop --dir "$TEST_PG_DIR" || true; }
trap stop_db EXIT
DATABASE_URL=$(target/debug/bookwork db start --dir "$TEST_PG_DIR" --fast)
export DATABASE_URL
DATABASE_URL=$DATABASE_URL target/debug/bookwork migrate >/dev/null

say "checking the .sqlx query cache against the schema"
RUSTFLAGS=$DEV_RUSTFLAGS SQLX_OFFLINE=false cargo sqlx prepare --check -- --all-targets "${SSR[@]}"

say "checking docs/schema.sql is the schema the migrations make"
scripts/schema.sh --check

say "clippy: server build"
RUSTFLAGS=$DEV_RUSTFLAGS cargo clippy --quiet --all-targets "${SSR[@]}" -- -D warnings
say "clippy: browser (WASM) build"
RUSTFLAGS=$DEV_RUSTFLAGS cargo clippy --quiet --lib "${HYDRATE[@]}" -- -D warnings

say "unit, database and HTTP tests"
RUSTFLAGS=$DEV_RUSTFLAGS cargo test "${SSR[@]}"

say "API conformance: Schemathesis against the served description"
# The server built above, on a database of its own and a free port, with
# plain-http cookies (the run signs a person up and makes them a token).
# Its request budget is lifted: the run makes thousands of requests a minute
# with one token, and checks conformance, not the budget (which has its own
# test, tests/app/api_v1_budget.rs).
API_DB=bookwork_api
psql -q "$DATABASE_URL" -c "DROP DATABASE IF EXISTS $API_DB WITH (FORCE)" -c "CREATE DATABASE $API_DB"
api_url() { target/debug/bookwork db url --dir "$TEST_PG_DIR" "$@" | sed "s#/bookwork?#/$API_DB?#"; }
API_PORT=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
PORT=$API_PORT DATABASE_URL=$(api_url --as bookwork_app) MIGRATION_DATABASE_URL=$(api_url) \
  METRICS_ADDR=127.0.0.1:0 ENVIRONMENT=development COOKIE_SECURE=false MAIL_DIR="$ROOT/target/api-mail" \
  API_REQUESTS_PER_MINUTE=1000000 target/debug/bookwork >"$ROOT/target/api-conformance-server.log" 2>&1 &
API_SERVER=$!
stop_all() { kill "$API_SERVER" 2>/dev/null || true; wait "$API_SERVER" 2>/dev/null || true; stop_db; }
trap stop_all EXIT
scripts/api-conformance.sh "http://127.0.0.1:$API_PORT"
kill "$API_SERVER"
wait "$API_SERVER" || true
trap stop_db EXIT

say "end-to-end journeys (release build, Playwright + Chromium)"
E2E_DB=bookwork_e2e
psql -q "$DATABASE_URL" -c "DROP DATABASE IF EXISTS $E2E_DB WITH (FORCE)" -c "CREATE DATABASE $E2E_DB"
e2e_url() { target/debug/bookwork db url --dir "$TEST_PG_DIR" "$@" | sed "s#/bookwork?#/$E2E_DB?#"; }
# As deployed: the server logs in as bookwork_app, migrations run as the owner.
# Its metrics listener takes any free port, so a Bookwork already running on
# this machine (on the default 9464) does not stop the journeys. The journeys'
# people all sign up from 127.0.0.1, more than one client may in an hour (the
# limit has HTTP tests of its own). Books are looked up in a local stand-in
# for Open Library that Playwright starts (end2end/open-library-stub.mjs).
#
# The journeys' server listens on a port of its own (E2E_PORT, 3100), not the
# 3000 that scripts/run.sh serves on: with the app left running beside the
# tests, the journeys' server could not bind 3000 and Playwright drove the
# other Bookwork (another database) instead. Anything on E2E_PORT stops the
# run here, for the same reason.
E2E_PORT=${E2E_PORT:-3100}
if (exec 3<>"/dev/tcp/127.0.0.1/$E2E_PORT") 2>/dev/null; then
  die "port $E2E_PORT, where the journeys' server listens, is in use: stop what listens there or set E2E_PORT"
fi
# The journeys' server is built with type-erased views (`--cfg
# erase_components`, as every debug build here is): the same HTML, and the
# release build of the server takes minutes less. Only the server's target
# (this machine's) gets the flag; the browser's WASM bundle is built as
# shipped. `scripts/run.sh` and `scripts/bench.sh` build without it.
host=$(rustc -vV | sed -n 's/^host: //p')
host_var=$(printf '%s' "$host" | tr 'a-z-' 'A-Z_')
export "CARGO_TARGET_${host_var}_RUSTFLAGS=--cfg erase_components"
PORT=$E2E_PORT BASE_URL=http://127.0.0.1:$E2E_PORT \
  DATABASE_URL=$(e2e_url --as bookwork_app) MIGRATION_DATABASE_URL=$(e2e_url) METRICS_ADDR=127.0.0.1:0 SIGN_UPS_PER_HOUR=1000 \
  ENVIRONMENT=development MAIL_DIR="$ROOT/target/e2e-mail" \
  OPEN_LIBRARY_URL=http://127.0.0.1:3190 OPEN_LIBRARY_COVERS_URL=https://covers.example.org \
  cargo leptos end-to-end --release

say "all checks passed in $(( $(date +%s) - started )) s"
