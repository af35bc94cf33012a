#!/usr/bin/env bash
# Back up Kyokan: the PostgreSQL database (pg_dump, custom format) and the uploads folder.
#
#   DATABASE_URL=postgres://… KYOKAN_DATA_DIR=/var/lib/kyokan scripts/backup.sh /backup/kyokan
#
# Writes <dir>/kyokan-<UTC time>.dump and <dir>/kyokan-<UTC time>-media.tar.gz and prints
# <dir>/kyokan-<UTC time>, the prefix that scripts/restore.sh takes. The database is dumped
# first, then the files: a file uploaded in between is only an extra file, whereas every
# file the dump refers to is in the archive (uploaded files are never changed in place).
# pg_dump reads a consistent snapshot while Kyokan keeps running.
#
# The keys are not in the backup and must be kept apart from it: KYOKAN_SECRET_KEY and
# KYOKAN_AUDIT_KEY (without the audit key, `kyokan audit-verify` cannot check a restore).
set -euo pipefail
dest="${1:?usage: backup.sh DESTINATION_DIR}"
: "${DATABASE_URL:?DATABASE_URL must name the database}"
: "${KYOKAN_DATA_DIR:?KYOKAN_DATA_DIR must name the data folder (uploads are in its media/)}"
mkdir -p "$dest"
prefix="$dest/kyokan-$(date -u +%Y%m%dT%H%M%SZ)"
umask 077
pg_dump --format=custom --no-owner --file="$prefix.dump" "$DATABASE_URL"
mkdir -p "$KYOKAN_DATA_DIR/media"
tar -czf "$prefix-media.tar.gz" -C "$KYOKAN_DATA_DIR" media
echo "$prefix"
