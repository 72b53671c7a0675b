#!/usr/bin/env bash
# Builds Bookwork and serves it at http://127.0.0.1:3000 (HOST/PORT change that).
# With no DATABASE_URL it starts its own PostgreSQL in .data/postgres, which
# keeps your data between runs. Extra arguments go to `cargo leptos serve`
# (e.g. --release).
source "$(dirname "${BASH_SOURCE[0]}")/setup.sh"

ensure_postgres
ensure_build_tools
ensure_node_packages # wasm-opt, for --release builds

say "building and starting Bookwork (first build takes a few minutes)"
exec cargo leptos serve "$@"
