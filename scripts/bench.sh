#!/usr/bin/env bash
# Measures Bookwork's throughput on a seeded dataset, as a ratio to the same
# server's /readyz in the same run (so the figures compare across machines).
#
#   scripts/bench.sh [--clubs N] [--members-per-club M] [--events-per-club E]
#   scripts/bench.sh --quick     # a small dataset, 3 s per route, nothing written
#
# It builds the release server, starts a fresh PostgreSQL cluster in
# target/bench-pg, migrates it as bookwork_owner, adds the demo dataset
# (default: 300 clubs, 20 members each, 12 events each), serves it as
# bookwork_app in production mode, signs in a demo member and drives with wrk:
# /readyz, home, discover, a club, its members, an event, the member's .ics
# feed, the RSVP write and a join/leave write. The table (with each route's
# ratio to /readyz) goes to docs/PERFORMANCE.md with the machine it ran on.
# BENCH_DURATION (default 10s), BENCH_CONNECTIONS (32) and BENCH_THREADS (2)
# tune the load; BENCH_PORT (3999) the port; BENCH_PAIRS (1024) how many
# members take turns joining and leaving.
source "$(dirname "${BASH_SOURCE[0]}")/setup.sh"

QUICK=
if [ "${1:-}" = "--quick" ]; then
  # Keeps the script working: a small dataset, 3 s per route, no report file.
  QUICK=1
  shift
  # Enough people (about a thousand) for the join/leave write's turns.
  SIZE=(--clubs 20 --members-per-club 60 --events-per-club 4)
  : "${BENCH_DURATION:=3s}"
else
  SIZE=("$@")
  [ ${#SIZE[@]} -gt 0 ] || SIZE=(--clubs 300 --members-per-club 20 --events-per-club 12)
fi
DURATION=${BENCH_DURATION:-10s}
CONNECTIONS=${BENCH_CONNECTIONS:-32}
THREADS=${BENCH_THREADS:-2}
PORT=${BENCH_PORT:-3999}
BASE="http://127.0.0.1:$PORT"
# How many (member, club) pairs the join/leave write cycles through.
PAIRS=${BENCH_PAIRS:-1024}
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
psql -q "$("$BIN" db url --dir "$DIR" --as postgres)" -c "VACUUM ANALYZE"
# Lines read "member  Name Surname  email  password": the last two fields.
read -r EMAIL PASSWORD < <(echo "$REPORT" | awk '$1 == "member" { print $(NF-1), $NF; exit }')
[ -n "$EMAIL" ] || die "the demo report listed no member account"

CLUB_ID=$(psql -qAt "$OWNER_URL" -v email="$EMAIL" <<'SQL'
SELECT m.club_id FROM club_members m JOIN users u ON u.id = m.user_id
WHERE u.email = :'email' AND m.is_active ORDER BY m.joined_date LIMIT 1
SQL
)
EVENT_ID=$(psql -qAt "$OWNER_URL" -v club="$CLUB_ID" <<'SQL'
-- One still to come (answers to past or cancelled ones are refused).
SELECT e.id FROM events e
 WHERE e.club_id = :'club' AND e.starts_at > now() AND e.cancelled_at IS NULL
ORDER BY (SELECT count(*) FROM availability a WHERE a.event_id = e.id) DESC, e.id LIMIT 1
SQL
)
POLL_ID=$(psql -qAt "$OWNER_URL" -v club="$CLUB_ID" <<'SQL'
-- One still open: the member sees the ballot.
SELECT p.id FROM polls p WHERE p.club_id = :'club' AND p.closes_at > now() ORDER BY p.id LIMIT 1
SQL
)
[ -n "$CLUB_ID" ] && [ -n "$EVENT_ID" ] && [ -n "$POLL_ID" ] ||
  die "could not find the member's club, an event and an open poll"

# The same secret across a restart (see the query plans below), so the
# member's sign-in stays good.
JWT_SECRET=$(head -c 48 /dev/urandom | base64 | tr -d '\n')
start_server() {
  ENVIRONMENT=production JWT_SECRET=$JWT_SECRET \
    DATABASE_URL=$APP_URL MIGRATION_DATABASE_URL=$OWNER_URL PUBLIC_URL=$BASE MAIL_DIR=$ROOT/target/bench-mail \
    HOST=127.0.0.1 PORT=$PORT METRICS_ADDR=127.0.0.1:0 RUST_LOG=warn LOG_FORMAT=text \
    "$BIN" >>"$ROOT/target/bench-server.log" 2>&1 &
  SERVER_PID=$!
  for _ in $(seq 100); do
    curl -fs "$BASE/readyz" >/dev/null && break
    sleep 0.2
  done
}
say "starting the server on port $PORT (production mode, as bookwork_app)"
: >"$ROOT/target/bench-server.log"
start_server
curl -fs "$BASE/readyz" >/dev/null || die "the server did not start: see target/bench-server.log"

# Sign in the way a script does (no Origin header): keep the cookies' name=value.
COOKIE=$(curl -s -o /dev/null -D - --data-urlencode "email=$EMAIL" \
  --data-urlencode "password=$PASSWORD" "$BASE/api/auth/login" \
  | sed -n 's/^[Ss]et-[Cc]ookie: \([^;]*\);.*/\1/p' | paste -sd ';' | sed 's/;/; /g')
[ -n "$COOKIE" ] || die "signing in as $EMAIL failed"

# The member's private calendar feed (made for them here, shown once).
FEED=$(curl -s -X POST -H "Cookie: $COOKIE" "$BASE/api/calendar/reset" | tr -d '"')
FEED_PATH=${FEED#"$BASE"}
[ -n "$FEED_PATH" ] && [ "$FEED_PATH" != "$FEED" ] || die "could not make a calendar feed: $FEED"

ROUTES=(/readyz / /clubs "/clubs/$CLUB_ID" "/clubs/$CLUB_ID/members" "/clubs/$CLUB_ID/books" "/events/$EVENT_ID"
  "/polls/$POLL_ID" "$FEED_PATH")
for route in "${ROUTES[@]}"; do
  status=$(curl -s -o /dev/null -w '%{http_code}' -H "Cookie: $COOKIE" "$BASE$route")
  [ "$status" = 200 ] || die "$route answered $status before the run"
done
curl -s -H "Cookie: $COOKIE" "$BASE/" | grep -q 'Sign out' || die "the cookies did not sign the member in"

# The writes. RSVP: the member answers "going" to the event again and again
# (each an update under the event's lock). Join: $PAIRS other members, each
# signed in, join a public club they are not in and leave it again on the
# next pass, so every request really joins or really leaves.
WORK="$ROOT/target/bench-work"
rm -rf "$WORK" && mkdir -p "$WORK"
cat >"$WORK/rsvp.lua" <<LUA
wrk.method = "POST"
wrk.body = "event=$EVENT_ID&status=available&note="
wrk.headers["Content-Type"] = "application/x-www-form-urlencoded"
LUA
psql -qAt -F $'\t' "$OWNER_URL" -v email="$EMAIL" -v pairs="$PAIRS" >"$WORK/pairs.tsv" <<'SQL'
-- Members who are not the benchmark's member, each with a public club of
-- no size limit that they are not in; they get the member's password.
WITH picked AS (
  SELECT u.id AS user_id, u.email,
         (SELECT c.id FROM clubs c
           WHERE c.is_public AND c.max_members IS NULL AND c.owner_id <> u.id
             AND NOT EXISTS (SELECT 1 FROM club_members m
                              WHERE m.club_id = c.id AND m.user_id = u.id AND m.is_active)
           ORDER BY c.id LIMIT 1) AS club_id
    FROM users u
   WHERE u.email <> :'email' AND u.is_active AND u.role = 'member'
   ORDER BY u.email LIMIT :pairs
)
SELECT email, club_id FROM picked WHERE club_id IS NOT NULL;
SQL
# (psql interpolates :'email' only in what it reads, not in -c.)
psql -q "$OWNER_URL" -v email="$EMAIL" >/dev/null <<SQL
UPDATE users SET password_hash = (SELECT password_hash FROM users WHERE email = :'email')
 WHERE email IN ($(cut -f1 "$WORK/pairs.tsv" | sed "s/.*/'&'/" | paste -sd,));
SQL
# A pair's join and its leave must be far apart in its thread's sequence
# (see join.lua): with too few pairs for the connections, leaves overtake
# their joins and are refused. At 16 pairs per connection they are 256
# requests apart at the defaults, where about one leave in a few thousand
# overtakes its join (within the refusals tolerated below).
PAIRS_FOUND=$(wc -l <"$WORK/pairs.tsv")
PAIRS_NEEDED=$((CONNECTIONS * 16))
[ "$PAIRS_FOUND" -ge "$PAIRS_NEEDED" ] ||
  die "the join/leave write needs at least $PAIRS_NEEDED members who can join a public club; the dataset has $PAIRS_FOUND (a bigger --members-per-club, or fewer BENCH_CONNECTIONS)"
say "signing in $PAIRS_FOUND members for the join/leave write"
sign_in() { # sign_in EMAIL CLUB: prints "CLUB<TAB>COOKIES"
  local cookie
  cookie=$(curl -s -o /dev/null -D - --data-urlencode "email=$1" \
    --data-urlencode "password=$PASSWORD" "$BASE/api/auth/login" \
    | sed -n 's/^[Ss]et-[Cc]ookie: \([^;]*\);.*/\1/p' | paste -sd ';' | sed 's/;/; /g')
  [ -n "$cookie" ] && printf '%s\t%s\n' "$2" "$cookie"
}
export -f sign_in
export BASE PASSWORD
# Several at a time: each is an argon2 verification on the server.
tr '\t' ' ' <"$WORK/pairs.tsv" | xargs -P 4 -L 1 bash -c 'sign_in "$0" "$1"' >"$WORK/join-pairs.txt"
[ "$(wc -l <"$WORK/join-pairs.txt")" -eq "$(wc -l <"$WORK/pairs.tsv")" ] || die "signing in the join/leave members failed"
cat >"$WORK/join.lua" <<'LUA'
-- Thread t sends pairs t, t+T, t+2T, … (mod n): joins on even passes over
-- the list, leaves on odd ones. A pair's join and leave are n/T requests of
-- its thread apart (512 by default, a second or more), far more than are
-- ever in flight (with 256 apart, one in a few thousand leaves overtook its
-- slow join).
local threads, next_id = {}, 0
function setup(thread)
  thread:set("id", next_id)
  next_id = next_id + 1
  table.insert(threads, thread)
end
function init(args)
  pairs_list = {}
  for line in io.lines(os.getenv("BENCH_JOIN_PAIRS")) do
    local club, cookie = line:match("^([^\t]+)\t(.+)$")
    table.insert(pairs_list, { club = club, cookie = cookie })
  end
  count = 0
  nthreads = tonumber(os.getenv("BENCH_THREADS"))
end
function request()
  local slot = count * nthreads + id
  count = count + 1
  local n = #pairs_list
  local pair = pairs_list[(slot % n) + 1]
  local action = (math.floor(slot / n) % 2 == 0) and "join" or "leave"
  return wrk.format("POST", "/api/clubs/" .. action,
    { ["Content-Type"] = "application/x-www-form-urlencoded", ["Cookie"] = pair.cookie },
    "id=" .. pair.club)
end
-- Say what went wrong, the first few times.
shown = 0
function response(status, headers, body)
  if status >= 300 and shown < 3 then
    shown = shown + 1
    io.stderr:write("join/leave answered " .. status .. ": " .. body .. "\n")
  end
end
LUA

say "driving each route for $DURATION with $CONNECTIONS connections"
TABLE="$WORK/table.md"
printf '| route | req/s | p50 | p99 | ratio to `/readyz` |\n|---|---|---|---|---|\n' >"$TABLE"
floor=
route_label() { # route_label PATH: the path as the report names it (ids and tokens left out)
  local label=${1//$CLUB_ID/\{id\}}
  label=${label//$EVENT_ID/\{id\}}
  label=${label//$POLL_ID/\{id\}}
  [ "$1" = "$FEED_PATH" ] && label="/calendar/{token}/bookwork.ics"
  [ "$1" = / ] && label="/ (signed in)"
  echo "$label"
}
measure() { # measure LABEL PATH [wrk options...]; REFUSALS_PER_MILLE=n tolerates a few 4xx
  local label=$1 path=$2
  shift 2
  local out rps p50 p99 refused total
  out=$(BENCH_JOIN_PAIRS="$WORK/join-pairs.txt" BENCH_THREADS=$THREADS \
    wrk -t"$THREADS" -c"$CONNECTIONS" -d"$DURATION" --latency -H "Cookie: $COOKIE" "$@" "$BASE$path")
  refused=$(echo "$out" | awk '/Non-2xx/ { print $NF }')
  total=$(echo "$out" | awk '/requests in/ { print $1 }')
  if [ -n "$refused" ]; then
    if [ $((refused * 1000)) -gt $((total * ${REFUSALS_PER_MILLE:-0})) ]; then
      die "$label: $refused of $total requests answered non-2xx"
    fi
    label="$label ($refused of $total refused)"
  fi
  rps=$(echo "$out" | awk '/^Requests\/sec/ { print $2 }')
  p50=$(echo "$out" | awk '$1 == "50%" { print $2 }')
  p99=$(echo "$out" | awk '$1 == "99%" { print $2 }')
  [ -n "$floor" ] || floor=$rps
  printf '| %s | %.0f | %s | %s | %.3f |\n' "$label" "$rps" "$p50" "$p99" \
    "$(echo "$rps / $floor" | bc -l)" | tee -a "$TABLE" >&2
}
for route in "${ROUTES[@]}"; do
  measure "\`$(route_label "$route")\`" "$route"
done
measure 'RSVP (`POST /api/events/rsvp`)' /api/events/rsvp -s "$WORK/rsvp.lua"
# Now and then (one request in several thousand) a leave finds that its
# join, 512 requests earlier, never happened: wrk seems to use up a request
# without sending it when it reconnects. Such refusals are counted, and up to
# one per thousand tolerated; anything else stops the run.
REFUSALS_PER_MILLE=1 measure 'join/leave (`POST /api/clubs/join`, `…/leave`)' /api/clubs/join -s "$WORK/join.lua"

# The WASM a first visit downloads, and how long a slow device takes to
# bring a page to life (end2end/bench/hydration.mjs: a visitor, nothing
# cached, Chromium's CPU slowed 4×, navigation start to `data-hydrated`).
# The size that counts is every `.wasm` a page fetched, as sent with brotli:
# one file today, the main module plus the page's pieces if the bundle is
# ever split (docs/PERFORMANCE.md, "The WASM bundle").
say "measuring the WASM each page loads and the time to hydrated (Chromium, CPU slowed 4×)"
ensure_chromium
WASM_PATH=$(curl -s "$BASE/" | grep -o '/pkg/[^"]*\.wasm' | head -1)
[ -n "$WASM_PATH" ] || die "the home page names no WASM bundle"
WASM_RAW=$(curl -s "$BASE$WASM_PATH" | wc -c)
WASM_BR=$(curl -s -H 'Accept-Encoding: br' "$BASE$WASM_PATH" | wc -c)
PUBLIC_CLUB=$(psql -qAt "$OWNER_URL" -c "SELECT id FROM clubs WHERE is_public ORDER BY name LIMIT 1")
PUBLIC_EVENT=$(psql -qAt "$OWNER_URL" -c "SELECT e.id FROM events e JOIN clubs c ON c.id = e.club_id
  WHERE c.is_public AND e.is_public ORDER BY c.name, e.starts_at LIMIT 1")
PUBLIC_POLL=$(psql -qAt "$OWNER_URL" -c "SELECT p.id FROM polls p JOIN clubs c ON c.id = p.club_id
  WHERE c.is_public ORDER BY c.name, p.id LIMIT 1")
[ -n "$PUBLIC_CLUB" ] && [ -n "$PUBLIC_EVENT" ] && [ -n "$PUBLIC_POLL" ] ||
  die "the demo data has no public club, public event or public club's poll"
HYDRATION=$(node "$ROOT/end2end/bench/hydration.mjs" "$BASE" / /clubs "/clubs/$PUBLIC_CLUB" "/events/$PUBLIC_EVENT" \
  "/polls/$PUBLIC_POLL") || die "could not measure the time to hydrated"
HYDRATION=$(echo "$HYDRATION" | sed -e "s#$PUBLIC_CLUB#{id}#" -e "s#$PUBLIC_EVENT#{id}#" -e "s#$PUBLIC_POLL#{id}#" |
  awk '{ printf "%s`%s` %s ms (%d KB of WASM in %d file%s)", (NR > 1 ? ", " : ""), $1, $2, $3 / 1024, $4, ($4 == 1 ? "" : "s") }')
say "main WASM module: $((WASM_RAW / 1024)) KB, $((WASM_BR / 1024)) KB as brotli; hydrated (median of 3): $HYDRATION"

# Each page's statements as PostgreSQL ran them: auto_explain logs every
# plan of the server's login (ANALYZE, BUFFERS, nested statements too) while
# each route is asked once more, on a restarted server (role settings apply
# to new connections), after a first request that warms its connections.
say "recording each route's query plans (auto_explain)"
SUPER_URL=$("$BIN" db url --dir "$DIR" --as postgres)
PG_LOG="$DIR/postgres.log"
explain_settings() { # explain_settings SET|RESET
  local setting
  for setting in "session_preload_libraries = 'auto_explain'" "auto_explain.log_min_duration = 0" \
    "auto_explain.log_analyze = on" "auto_explain.log_buffers = on" "auto_explain.log_nested_statements = on"; do
    if [ "$1" = SET ]; then
      psql -q "$SUPER_URL" -c "ALTER ROLE bookwork_app SET $setting"
    else
      psql -q "$SUPER_URL" -c "ALTER ROLE bookwork_app RESET ${setting%% =*}"
    fi
  done
}
kill "$SERVER_PID" && wait "$SERVER_PID" 2>/dev/null || true
explain_settings SET
start_server
PLANS="$WORK/plans.md"
SEQ_SCANS=0
: >"$PLANS"
plans_of() { # plans_of LABEL curl-arguments...
  local label=$1 from
  shift
  curl -s -o /dev/null -H "Cookie: $COOKIE" "$@"
  from=$(($(stat -c %s "$PG_LOG") + 1))
  curl -s -o /dev/null -H "Cookie: $COOKIE" "$@"
  sleep 0.2
  local plans
  plans=$(tail -c +"$from" "$PG_LOG" | sed -n '/LOG:  duration: .* plan:/,$p' | sed 's/^[0-9-]* [0-9:.]* [A-Z]* \[[0-9]*\] //')
  local scans
  scans=$(echo "$plans" | grep -cE 'Seq Scan on (events|availability|club_members)( |$)' || true)
  SEQ_SCANS=$((SEQ_SCANS + scans))
  {
    echo "## $label"
    echo
    echo "$(echo "$plans" | grep -c 'LOG:  duration') plans; sequential scans over events, RSVPs or memberships: $scans."
    echo
    echo '```'
    echo "$plans"
    echo '```'
    echo
  } >>"$PLANS"
}
for route in "${ROUTES[@]}"; do
  [ "$route" = /readyz ] && continue
  plans_of "\`$(route_label "$route")\`" "$BASE$route"
done
plans_of 'RSVP (`POST /api/events/rsvp`)' --data "event=$EVENT_ID&status=available&note=" "$BASE/api/events/rsvp"
kill "$SERVER_PID" && wait "$SERVER_PID" 2>/dev/null || true
SERVER_PID=
explain_settings RESET
say "sequential scans over events, RSVPs or memberships on these routes: $SEQ_SCANS"

echo
cat "$TABLE"
echo
if [ -z "$QUICK" ]; then
  {
    echo "# Query plans"
    echo
    echo "Written by \`scripts/bench.sh\` (run of $(date -u '+%Y-%m-%d %H:%M UTC'), dataset \`${SIZE[*]}\`):"
    echo "every statement Bookwork's login ran for one request of each route, as PostgreSQL's"
    echo "\`auto_explain\` logged it (\`EXPLAIN (ANALYZE, BUFFERS)\`, statements inside functions too),"
    echo "with the server's generic plans. Summary in [PERFORMANCE.md](PERFORMANCE.md)."
    echo
    cat "$PLANS"
  } >"$ROOT/docs/QUERY-PLANS.md"
  REPORT_FILE="$ROOT/docs/PERFORMANCE.md"
  RUN="$WORK/run.md"
  {
    echo "<!-- bench:start (scripts/bench.sh writes this section) -->"
    echo "Run $(date -u '+%Y-%m-%d %H:%M UTC') on $(nproc) cores ($(sed -n 's/^model name[[:space:]]*: //p' /proc/cpuinfo | head -1)), $(free -g | awk '/^Mem/ {print $2}') GB RAM;"
    echo "dataset \`${SIZE[*]}\`: $(echo "$REPORT" | sed -n 2p | sed 's/^ *//');"
    echo "wrk, $THREADS threads, $CONNECTIONS connections, $DURATION per route, a signed-in member."
    echo
    cat "$TABLE"
    echo
    echo "Main WASM module as served: $((WASM_RAW / 1024)) KB, $((WASM_BR / 1024)) KB with \`Accept-Encoding: br\`."
    echo "A visitor's first load with Chromium's CPU slowed 4×, time to hydrated (median of 3) and all the WASM the page fetched (brotli, as sent): $HYDRATION."
    echo
    echo "Query plans of every route's statements: [QUERY-PLANS.md](QUERY-PLANS.md); sequential scans over events, RSVPs or memberships among them: $SEQ_SCANS."
    echo "<!-- bench:end -->"
  } >"$RUN"
  if [ -f "$REPORT_FILE" ] && grep -q '<!-- bench:start' "$REPORT_FILE"; then
    awk -v run="$RUN" '
      /<!-- bench:start/ { while ((getline line < run) > 0) print line; skip = 1; next }
      /<!-- bench:end -->/ { skip = 0; next }
      !skip { print }' "$REPORT_FILE" >"$REPORT_FILE.new" && mv "$REPORT_FILE.new" "$REPORT_FILE"
  else
    { echo "# Performance"; echo; cat "$RUN"; } >"$REPORT_FILE"
  fi
  say "written to docs/PERFORMANCE.md"
fi
