#!/usr/bin/env bash
# Checks the deployment kit under deploy/, each file with its own tool:
# the alerting rules (`promtool check rules`) and their unit tests
# (`promtool test rules`), the dashboard (valid JSON whose every panel query
# is valid PromQL), the systemd units (`systemd-analyze verify`, which
# reports problems without failing: any report fails here), and the nginx
# configuration (`nginx -t`, with a throw-away certificate), and the
# PostgreSQL settings (read by PostgreSQL itself, `postgres -C`, in a
# throw-away cluster: a misspelt or out-of-range setting fails). Whether every
# metric the rules and the dashboard name is served is a test of its own
# (tests/app/deploy_metrics.rs), on a live scrape.
source "$(dirname "${BASH_SOURCE[0]}")/setup.sh"
ensure_deploy_tools
# The units run pgBackRest, which verifying them looks for.
ensure_postgres

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

say "deploy: Prometheus alerting rules and their unit tests"
promtool check rules deploy/prometheus/bookwork-alerts.yml
(cd deploy/prometheus && promtool test rules bookwork-alerts.test.yml)

say "deploy: the Grafana dashboard's queries"
# Each panel's query becomes a recording rule, which promtool parses.
python3 - deploy/grafana/bookwork.json "$work/dashboard-rules.yml" <<'PY'
import json, sys
dashboard = json.load(open(sys.argv[1]))
rules = []
for panel in dashboard["panels"]:
    for target in panel["targets"]:
        rules.append({"record": f"dashboard:panel{panel['id']}:{target['refId']}", "expr": target["expr"]})
if not rules:
    sys.exit("the dashboard has no queries")
json.dump({"groups": [{"name": "dashboard", "rules": rules}]}, open(sys.argv[2], "w"))
PY
promtool check rules "$work/dashboard-rules.yml" >/dev/null

say "deploy: systemd units"
# Templates are verified as the instances the timers start; Bookwork's own
# binary (installed as /opt/bookwork/bookwork) need not be there to be
# checked, so an executable that is stands in for it.
units=()
for unit in deploy/systemd/*.service deploy/systemd/*.timer; do
  case "$unit" in
    *@.service)
      for instance in full diff; do
        cp "$unit" "$work/$(basename "${unit%@.service}")@$instance.service"
        units+=("$work/$(basename "${unit%@.service}")@$instance.service")
      done ;;
    *)
      sed "s#/opt/bookwork/bookwork#/bin/true#g" "$unit" >"$work/$(basename "$unit")"
      units+=("$work/$(basename "$unit")") ;;
  esac
done
report=$(systemd-analyze verify "${units[@]}" 2>&1) || die "systemd-analyze verify failed: $report"
[ -z "$report" ] || die "systemd-analyze verify reported: $report"

say "deploy: nginx"
# The certificate paths point at a throw-away self-signed certificate, and
# the file is included as conf.d would include it.
openssl req -x509 -newkey rsa:2048 -nodes -days 1 -subj "/CN=books.example.org" \
  -keyout "$work/key.pem" -out "$work/cert.pem" 2>/dev/null
sed -e "s#/etc/letsencrypt/live/books.example.org/fullchain.pem#$work/cert.pem#" \
    -e "s#/etc/letsencrypt/live/books.example.org/privkey.pem#$work/key.pem#" \
    deploy/nginx/bookwork.conf >"$work/bookwork.conf"
printf 'pid %s/nginx.pid;\nerror_log %s/error.log;\nevents {}\nhttp {\n  access_log off;\n  include %s/bookwork.conf;\n}\n' \
  "$work" "$work" "$work" >"$work/nginx.conf"
nginx -q -t -c "$work/nginx.conf" -p "$work"

say "deploy: PostgreSQL settings"
pgbin=$(compgen -G "/usr/lib/postgresql/*/bin" | sort -V | tail -1)
as_postgres() {
  if [ "$(id -u)" -eq 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi
}
chmod 711 "$work"
mkdir -m 700 "$work/pg"
[ "$(id -u)" -ne 0 ] || chown postgres: "$work/pg"
as_postgres "$pgbin/initdb" -D "$work/pg/data" -A trust -U postgres >/dev/null
cp "$work/pg/data/postgresql.conf" "$work/postgresql.conf.initial"
for conf in deploy/postgresql/*.conf; do
  cp "$conf" "$work/pg/data/bookwork.conf"
  cp "$work/postgresql.conf.initial" "$work/pg/data/postgresql.conf"
  echo "include 'bookwork.conf'" >>"$work/pg/data/postgresql.conf"
  [ "$(id -u)" -ne 0 ] || chown postgres: "$work/pg/data/bookwork.conf" "$work/pg/data/postgresql.conf"
  # Every setting is parsed and checked; one that only this file sets
  # shows the file was read.
  got=$(as_postgres "$pgbin/postgres" -D "$work/pg/data" -C archive_command 2>&1) \
    || die "PostgreSQL refuses $conf: $got"
  want=$(sed -n "s/^archive_command = '\(.*\)'$/\1/p" "$conf")
  [ "$got" = "$want" ] || die "$conf: PostgreSQL read archive_command as '$got', not '$want'"
done

say "deploy: all checked"
