#!/usr/bin/env bash
# Restores a dump made by scripts/backup.sh into an empty database.
#   DATABASE_URL=postgres://.../empty_db scripts/restore.sh FILE
# Stops at the first error, in one transaction: a failed restore leaves the
# target database as empty as it was.
set -euo pipefail
: "${DATABASE_URL:?set DATABASE_URL to the (empty) database to restore into}"
file=${1:?usage: scripts/restore.sh FILE}
pg_restore --exit-on-error --single-transaction --no-owner --no-acl --dbname="$DATABASE_URL" "$file"
echo "restored $file" >&2
