# shellcheck shell=bash
# Installs what Bookwork's build and tests need, skipping whatever is already
# there, and says what it is doing. Sourced by scripts/run.sh and scripts/test.sh.
#
# Pinned versions (see docs/TOOLCHAIN.md for why these):
CARGO_LEPTOS_VERSION=0.3.10
WASM_BINDGEN_VERSION=0.2.130 # must equal the wasm-bindgen crate pinned in Cargo.toml
SQLX_CLI_VERSION=0.8.6       # must equal the sqlx crate
SCHEMATHESIS_VERSION=4.32.5  # the API conformance run (scripts/api-conformance.sh)

set -euo pipefail
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$ROOT"
export PATH="$HOME/.cargo/bin:$ROOT/end2end/node_modules/.bin:$PATH"
# Builds use the committed .sqlx/ query cache; no database needed to compile.
export SQLX_OFFLINE=true

# Each step says how long the run has taken so far, so a slow step shows.
export SETUP_STARTED=${SETUP_STARTED:-$(date +%s)}
say() { printf '\033[1;34m==>\033[0m [%4d s] %s\n' "$(( $(date +%s) - SETUP_STARTED ))" "$*" >&2; }
die() { printf '\033[1;31merror:\033[0m %s\n' "$*" >&2; exit 1; }

as_root() {
  if [ "$(id -u)" -eq 0 ]; then "$@"
  elif command -v sudo >/dev/null; then sudo "$@"
  else die "need root to run: $* (install it yourself, or run as root)"
  fi
}

APT_UPDATED=
apt_install() { # apt_install PACKAGE...
  command -v apt-get >/dev/null || die "apt-get not found: install $* with your system's package manager"
  if [ -z "$APT_UPDATED" ]; then
    say "updating the Debian package lists"
    as_root apt-get update -qq
    APT_UPDATED=1
  fi
  say "installing $* from Debian"
  as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "$@" >/dev/null
}

ensure_postgres() {
  if ! compgen -G "/usr/lib/postgresql/*/bin/initdb" >/dev/null; then
    apt_install postgresql
  fi
  # Debian's package starts a system-wide cluster we do not use; leave it be.
  command -v pg_dump >/dev/null || apt_install postgresql-client
  # Backups with point-in-time recovery (`bookwork backup`, `restore`).
  [ -x /usr/bin/pgbackrest ] || apt_install pgbackrest
}

# The connection pooler the two-instance test runs Bookwork behind.
ensure_pgbouncer() {
  [ -x /usr/sbin/pgbouncer ] || apt_install pgbouncer
}

# What checks the deployment kit under deploy/ (scripts/check-deploy.sh):
# promtool (Debian's prometheus package), systemd-analyze, nginx, openssl.
ensure_deploy_tools() {
  command -v promtool >/dev/null || apt_install prometheus
  command -v systemd-analyze >/dev/null || apt_install systemd
  [ -x /usr/sbin/nginx ] || apt_install nginx
  command -v openssl >/dev/null || apt_install openssl
}

ensure_chromium() {
  [ -x /usr/bin/chromium ] || apt_install chromium
}

ensure_wasm_target() {
  if ! rustup target list --installed | grep -qx wasm32-unknown-unknown; then
    say "adding the wasm32-unknown-unknown Rust target"
    rustup target add wasm32-unknown-unknown
  fi
}

# cargo_tool BINARY CRATE VERSION [cargo install options...]
cargo_tool() {
  local bin=$1 crate=$2 version=$3
  shift 3
  if command -v "$bin" >/dev/null && "$bin" --version 2>/dev/null | grep -qF "$version"; then
    return
  fi
  say "installing $crate $version (one-off; this takes a few minutes)"
  cargo install "$crate" --version "$version" "$@"
}

ensure_build_tools() {
  ensure_wasm_target
  cargo_tool cargo-leptos cargo-leptos "$CARGO_LEPTOS_VERSION" --locked
  # Not --locked: its lock file pins crates that no longer build on this toolchain.
  cargo_tool wasm-bindgen wasm-bindgen-cli "$WASM_BINDGEN_VERSION"
}

ensure_sqlx_cli() {
  if ! cargo sqlx --version 2>/dev/null | grep -qF "$SQLX_CLI_VERSION"; then
    say "installing sqlx-cli $SQLX_CLI_VERSION"
    cargo install sqlx-cli --version "$SQLX_CLI_VERSION" --no-default-features --features postgres,rustls --locked
  fi
}

# Schemathesis in a virtual environment of its own under target/.
SCHEMATHESIS_VENV="$ROOT/target/schemathesis-venv"
ensure_schemathesis() {
  if [ -x "$SCHEMATHESIS_VENV/bin/st" ] && "$SCHEMATHESIS_VENV/bin/st" --version 2>/dev/null | grep -qF "$SCHEMATHESIS_VERSION"; then
    return
  fi
  command -v python3 >/dev/null || apt_install python3
  python3 -c 'import ensurepip, venv' 2>/dev/null || apt_install python3-venv
  say "installing Schemathesis $SCHEMATHESIS_VERSION (the API conformance run)"
  rm -rf "$SCHEMATHESIS_VENV"
  python3 -m venv "$SCHEMATHESIS_VENV"
  "$SCHEMATHESIS_VENV/bin/pip" install --quiet --disable-pip-version-check "schemathesis==$SCHEMATHESIS_VERSION"
}

ensure_node_packages() {
  command -v npm >/dev/null || apt_install nodejs npm
  if [ ! -x end2end/node_modules/.bin/playwright ] || [ ! -x end2end/node_modules/.bin/wasm-opt ] \
    || [ end2end/package-lock.json -nt end2end/node_modules/.package-lock.json ]; then
    say "installing the end-to-end test packages (Playwright, binaryen's wasm-opt)"
    # Never let Playwright fetch a browser: Debian's Chromium is used.
    (cd end2end && PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1 npm ci --no-audit --no-fund --loglevel=error)
  fi
}
