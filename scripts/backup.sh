#!/usr/bin/env bash
# Backs up the Bookwork database in PostgreSQL's custom format.
#   DATABASE_URL=postgres://... scripts/backup.sh [FILE]
# FILE defaults to backups/bookwork-YYYYmmdd-HHMMSS.dump. Restore with scripts/restore.sh.
set -euo pipefail
: "${DATABASE_URL:?set DATABASE_URL to the database to back up}"
file=${1:-backups/bookwork-$(date -u +%Y%m%d-%H%M%S).dump}
mkdir -p "$(dirname "$file")"
# --no-owner/--no-acl: the dump restores under whatever role runs the restore.
pg_dump --format=custom --no-owner --no-acl --file="$file" --dbname="$DATABASE_URL"
echo "backup written to $file" >&2
