#!/usr/bin/env bash
# Backs up the Bookwork database in PostgreSQL's custom format, with its
# owners, grants and row-security policies.
#   DATABASE_URL=postgres://bookwork_owner@.../bookwork scripts/backup.sh [FILE]
# Run it as the owner (bookwork_owner, whose policies let it read every row)
# or a superuser. FILE defaults to backups/bookwork-YYYYmmdd-HHMMSS.dump.
# Restore with scripts/restore.sh.
set -euo pipefail
: "${DATABASE_URL:?set DATABASE_URL to the database to back up (as bookwork_owner)}"
file=${1:-backups/bookwork-$(date -u +%Y%m%d-%H%M%S).dump}
mkdir -p "$(dirname "$file")"
# --enable-row-security: the owner reads through its own policies (which
# allow every row) rather than needing the right to switch row security off.
pg_dump --format=custom --enable-row-security --file="$file" --dbname="$DATABASE_URL"
echo "backup written to $file" >&2
