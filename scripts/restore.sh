#!/usr/bin/env bash
# Restore a Kyokan backup made by scripts/backup.sh into an EMPTY database and data folder,
# then check the audit trail.
#
#   DATABASE_URL=postgres://…/kyokan_restored KYOKAN_DATA_DIR=/var/lib/kyokan-restored \
#   KYOKAN_AUDIT_KEY=… scripts/restore.sh /backup/kyokan/kyokan-20260401T010000Z
#
# The database must exist and be empty (createdb); the restore runs in one transaction and
# stops at the first error. The uploads are unpacked into $KYOKAN_DATA_DIR/media. Finally
# `kyokan audit-verify` (the command named by $KYOKAN, default `kyokan`) checks the restored
# audit trail with the same KYOKAN_AUDIT_KEY as the original: it prints the head of the
# chain, to compare with the one recorded when the backup was made.
set -euo pipefail
prefix="${1:?usage: restore.sh BACKUP_PREFIX (as printed by backup.sh)}"
: "${DATABASE_URL:?DATABASE_URL must name the (empty) database to restore into}"
: "${KYOKAN_DATA_DIR:?KYOKAN_DATA_DIR must name the data folder to restore into}"
[ -f "$prefix.dump" ] || { echo "no database dump $prefix.dump" >&2; exit 1; }
[ -f "$prefix-media.tar.gz" ] || { echo "no uploads archive $prefix-media.tar.gz" >&2; exit 1; }
tables=$(psql -X -At -d "$DATABASE_URL" -c "SELECT count(*) FROM pg_tables WHERE schemaname = 'public'")
[ "$tables" = 0 ] || { echo "the database is not empty ($tables tables); restore into a new one" >&2; exit 1; }
if [ -e "$KYOKAN_DATA_DIR/media" ] && [ -n "$(ls -A "$KYOKAN_DATA_DIR/media")" ]; then
  echo "$KYOKAN_DATA_DIR/media is not empty; restore into a new data folder" >&2
  exit 1
fi
pg_restore --no-owner --no-privileges --single-transaction --exit-on-error \
  --dbname="$DATABASE_URL" "$prefix.dump"
mkdir -p "$KYOKAN_DATA_DIR"
tar -xzf "$prefix-media.tar.gz" -C "$KYOKAN_DATA_DIR"
echo "restored the database and $(find "$KYOKAN_DATA_DIR/media" -type f | wc -l) uploaded files"
"${KYOKAN:-kyokan}" audit-verify
