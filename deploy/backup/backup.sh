#!/usr/bin/env bash
# Back up Shelfmark: the database (pg_dump, custom format) and MEDIA_ROOT (a tar file) into a
# new folder BACKUP_DIR/<UTC time>/ with their checksums; folders older than
# BACKUP_KEEP_DAYS days are removed. Prints the new folder. Reads the site's environment:
#   set -a; . /etc/shelfmark/shelfmark.env; set +a; deploy/backup/backup.sh
set -euo pipefail

: "${DATABASE_URL:?Set DATABASE_URL to the PostgreSQL database to back up.}"
backup_dir=${BACKUP_DIR:-/var/backups/shelfmark}
media_root=${MEDIA_ROOT:-${SHELFMARK_VAR_DIR:-/srv/shelfmark/var}/media}
keep_days=${BACKUP_KEEP_DAYS:-14}

stamp=$(date -u +%Y%m%dT%H%M%SZ)
target="$backup_dir/$stamp"
partial="$target.partial"
umask 077
mkdir -p "$partial"

# One consistent snapshot of the database, restorable table by table with pg_restore.
pg_dump --format=custom --no-owner --no-privileges --file="$partial/database.dump" "$DATABASE_URL"

if [ -d "$media_root" ]; then
    tar -C "$media_root" -czf "$partial/media.tar.gz" .
else
    echo "No media folder at $media_root: backing up none." >&2
    tar -czf "$partial/media.tar.gz" --files-from /dev/null
fi

(cd "$partial" && sha256sum database.dump media.tar.gz > SHA256SUMS)
# Only a finished backup gets its final name, so a folder without ".partial" is complete.
mv "$partial" "$target"

find "$backup_dir" -mindepth 1 -maxdepth 1 -type d -name '20*' -mtime +"$keep_days" \
    -exec rm -rf {} +
echo "$target"
