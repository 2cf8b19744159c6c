#!/usr/bin/env bash
# Restore a backup made by backup.sh into DATABASE_URL and MEDIA_ROOT:
#   deploy/backup/restore.sh /var/backups/shelfmark/20260101T023000Z
# Stop the web and worker services first. The database named by DATABASE_URL must exist (for
# a fresh one: createdb -O shelfmark shelfmark); tables already in it are replaced. Media files
# in the backup are written over those in MEDIA_ROOT; others there are left alone.
set -euo pipefail

if [ $# -ne 1 ] || [ ! -d "$1" ]; then
    echo "Usage: $0 BACKUP_FOLDER (a folder made by backup.sh)" >&2
    exit 2
fi
: "${DATABASE_URL:?Set DATABASE_URL to the PostgreSQL database to restore into.}"
backup=$1
media_root=${MEDIA_ROOT:-${SHELFMARK_VAR_DIR:-/srv/shelfmark/var}/media}

(cd "$backup" && sha256sum --check --quiet SHA256SUMS) || {
    echo "The backup in $backup does not match its checksums: not restoring it." >&2
    exit 1
}

# All or nothing: one transaction, stopping at the first error.
pg_restore --clean --if-exists --no-owner --no-privileges --exit-on-error --single-transaction \
    --dbname="$DATABASE_URL" "$backup/database.dump"

mkdir -p "$media_root"
tar -C "$media_root" -xzf "$backup/media.tar.gz"
echo "Restored $backup into the database and $media_root."
