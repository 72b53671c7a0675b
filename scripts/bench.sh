#!/usr/bin/env bash
# Measures Bookwork's throughput on a seeded dataset, as a ratio to the same
# server's /readyz in the same run (so the figures compare across machines).
#
#   scripts/bench.sh [--clubs N] [--members-per-club M] [--events-per-club E]
#
# It builds the release server, starts a fresh PostgreSQL cluster in
# target/bench-pg, migrates it as bookwork_owner, adds the demo dataset
# (default: 300 clubs, 20 members each, 12 events each), serves it as
# bookwork_app in production mode, signs in a demo member and drives each page
# with wrk. BENCH_DURATION (default 10s), BENCH_CONNECTIONS (32) and
# BENCH_THREADS (2) tune the load; BENCH_PORT (3999) the port.
source "$(dirname "${BASH_SOURCE[0]}")/setup.sh"

SIZE=("$@")
[ ${#SIZE[@]} -gt 0 ] || SIZE=(--clubs 300 --members-per-club 20 --events-per-club 12)
DURATION=${BENCH_DURATION:-10s}
CONNECTIONS=${BENCH_CONNECTIONS:-32}
THREADS=${BENCH_THREADS:-2}
PORT=${BENCH_PORT:-3999}
BASE="http://127.0.0.1:$PORT"

ensure_postgres
ensure_build_tools
ensure_node_packages # wasm-opt, for the release build
command -v wrk >/dev/null || apt_install wrk

say "building the release server"
cargo leptos build --release
BIN="$ROOT/target/release/bookwork"

DIR="$ROOT/target/bench-pg"
SERVER_PID=
cleanup() {
  [ -z "$SERVER_PID" ] || kill "$SERVER_PID" 2>/dev/null || true
  "$BIN" db stop --dir "$DIR" >/dev/null 2>&1 || true
}
trap cleanup EXIT
cleanup
rm -rf "$DIR"

say "starting a fresh PostgreSQL cluster in $DIR"
OWNER_URL=$("$BIN" db start --dir "$DIR")
APP_URL=$("$BIN" db url --dir "$DIR" --as bookwork_app)
DATABASE_URL=$OWNER_URL "$BIN" migrate >/dev/null

say "adding the demo dataset (${SIZE[*]})"
REPORT=$(DATABASE_URL=$OWNER_URL "$BIN" demo-data "${SIZE[@]}")
echo "$REPORT" | sed -n 1,2p >&2
# Measure a settled database, not one autovacuum has yet to catch up with.
psql -q "$OWNER_URL" -c "VACUUM ANALYZE"
# Lines read "member  Name Surname  email  password": the last two fields.
read -r EMAIL PASSWORD < <(echo "$REPORT" | awk '$1 == "member" { print $(NF-1), $NF; exit }')
[ -n "$EMAIL" ] || die "the demo report listed no member account"

CLUB_ID=$(psql -qAt "$OWNER_URL" -v email="$EMAIL" <<'SQL'
SELECT m.club_id FROM club_members m JOIN users u ON u.id = m.user_id
WHERE u.email = :'email' AND m.is_active ORDER BY m.joined_date LIMIT 1
SQL
)
EVENT_ID=$(psql -qAt "$OWNER_URL" -v club="$CLUB_ID" <<'SQL'
SELECT e.id FROM events e WHERE e.club_id = :'club'
ORDER BY (SELECT count(*) FROM availability a WHERE a.event_id = e.id) DESC, e.id LIMIT 1
SQL
)
[ -n "$CLUB_ID" ] && [ -n "$EVENT_ID" ] || die "could not find the member's club and an event"

say "starting the server on port $PORT (production mode, as bookwork_app)"
ENVIRONMENT=production JWT_SECRET=$(head -c 48 /dev/urandom | base64 | tr -d '\n') \
  DATABASE_URL=$APP_URL MIGRATION_DATABASE_URL=$OWNER_URL PUBLIC_URL=$BASE MAIL_DIR=$ROOT/target/bench-mail \
  HOST=127.0.0.1 PORT=$PORT METRICS_ADDR=127.0.0.1:0 RUST_LOG=warn LOG_FORMAT=text \
  "$BIN" >"$ROOT/target/bench-server.log" 2>&1 &
SERVER_PID=$!
for _ in $(seq 100); do
  curl -fs "$BASE/readyz" >/dev/null && break
  sleep 0.2
done
curl -fs "$BASE/readyz" >/dev/null || die "the server did not start: see target/bench-server.log"

# Sign in the way a script does (no Origin header): keep the cookies' name=value.
COOKIE=$(curl -s -o /dev/null -D - --data-urlencode "email=$EMAIL" \
  --data-urlencode "password=$PASSWORD" "$BASE/api/auth/login" \
  | sed -n 's/^[Ss]et-[Cc]ookie: \([^;]*\);.*/\1/p' | paste -sd ';' | sed 's/;/; /g')
[ -n "$COOKIE" ] || die "signing in as $EMAIL failed"

ROUTES=(/readyz / /clubs "/clubs/$CLUB_ID" "/events/$EVENT_ID")
for route in "${ROUTES[@]}"; do
  status=$(curl -s -o /dev/null -w '%{http_code}' -H "Cookie: $COOKIE" "$BASE$route")
  [ "$status" = 200 ] || die "$route answered $status before the run"
done
curl -s -H "Cookie: $COOKIE" "$BASE/" | grep -q 'Sign out' || die "the cookies did not sign the member in"

say "driving each route for $DURATION with $CONNECTIONS connections"
printf '\n| route | req/s | p50 | p99 | ratio to /readyz |\n|---|---|---|---|---|\n'
floor=
for route in "${ROUTES[@]}"; do
  out=$(wrk -t"$THREADS" -c"$CONNECTIONS" -d"$DURATION" --latency -H "Cookie: $COOKIE" "$BASE$route")
  if echo "$out" | grep -q 'Non-2xx'; then
    die "$route: $(echo "$out" | grep 'Non-2xx')"
  fi
  rps=$(echo "$out" | awk '/^Requests\/sec/ { print $2 }')
  p50=$(echo "$out" | awk '$1 == "50%" { print $2 }')
  p99=$(echo "$out" | awk '$1 == "99%" { print $2 }')
  [ -n "$floor" ] || floor=$rps
  label=$route
  label=${label//$CLUB_ID/\{id\}}
  label=${label//$EVENT_ID/\{id\}}
  printf '| `%s` | %.0f | %s | %s | %.3f |\n' "$label" "$rps" "$p50" "$p99" \
    "$(echo "$rps / $floor" | bc -l)"
done
echo
