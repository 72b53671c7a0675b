#!/usr/bin/env bash
# Restores a dump made by scripts/backup.sh into an empty database, with its
# owners, grants and row-security policies.
#   DATABASE_URL=postgres://bookwork_owner@.../empty_db scripts/restore.sh FILE
# Bookwork's roles must exist on the server (`bookwork db roles`), and the
# empty database belong to bookwork_owner (CREATE DATABASE ... OWNER
# bookwork_owner). Run it as the owner or a superuser. Stops at the first
# error, in one transaction: a failed restore leaves the database empty.
set -euo pipefail
: "${DATABASE_URL:?set DATABASE_URL to the (empty) database to restore into}"
file=${1:?usage: scripts/restore.sh FILE}
pg_restore --exit-on-error --single-transaction --dbname="$DATABASE_URL" "$file"
echo "restored $file" >&2
