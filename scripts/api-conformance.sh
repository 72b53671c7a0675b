#!/usr/bin/env bash
# The API conformance run: Schemathesis (from the Python registry) against
# the description a running Bookwork serves, every operation, following the
# description's links (start a club, then read, change, join, leave and
# delete it; plan a meeting, then answer it), once as a member with a token
# and once as a visitor without one. It fails on any 5xx, any response that
# does not match its schema, status code, content type or headers, and any
# request the description forbids that is accepted.
#
# Usage: scripts/api-conformance.sh BASE_URL   (e.g. http://127.0.0.1:3000)
# The server must take sign-ups from this machine and, over plain http,
# run with COOKIE_SECURE=false (scripts/test.sh starts one so).
source "$(dirname "${BASH_SOURCE[0]}")/setup.sh"
ensure_schemathesis

BASE_URL=${1:?usage: scripts/api-conformance.sh BASE_URL}
BASE_URL=${BASE_URL%/}
ST=("$SCHEMATHESIS_VENV/bin/st" --config-file "$ROOT/end2end/api/schemathesis.toml"
  run "$BASE_URL/api/v1/openapi.json" --checks all
  # "A resource just created must be found": a create retried with an
  # Idempotency-Key used before answers what the first request answered, as
  # keys are meant to, even when that club was deleted since (the run reuses
  # the keys it generates). That 201 is right, so this one check is left out;
  # that a new club and meeting can be read, changed and deleted is checked in
  # tests/app/api_v1.rs.
  --exclude-checks ensure_resource_availability --max-examples 40 --seed 20261205
  --report junit --report-dir "$ROOT/target/schemathesis")

say "API conformance as a member (a token from /me)"
TOKEN=$(python3 "$ROOT/end2end/api/member_token.py" "$BASE_URL")
"${ST[@]}" -H "Authorization: Bearer $TOKEN"

say "API conformance as a visitor (no token)"
"${ST[@]}"
