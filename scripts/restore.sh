#!/usr/bin/env bash
# make restore BACKUP=var/backups/<time> [RESTORE_DATABASE=name]: check the backup's SHA-256
# manifest first, then restore its database into RESTORE_DATABASE (default: the settings'
# database), created when missing, and its layers and media into LAYER_ROOT and MEDIA_ROOT.
# A database or folder that is not empty is refused unless RESTORE_REPLACE=1 (then replaced).
here=$(dirname "$0"); . "$here/lib.sh"
cd "$here/.."
PY=${PY:-.venv/bin/python}

backup=${1:-${BACKUP:-}}
[ -n "$backup" ] || die "name the backup: make restore BACKUP=var/backups/<time>"
[ -f "$backup/MANIFEST.sha256" ] || die "$backup has no MANIFEST.sha256: not a backup"
command -v pg_restore >/dev/null 2>&1 || die "pg_restore is missing: install postgresql-client-15 (make does)"

say "restore: checking the checksums of $backup" >&2
(cd "$backup" && sha256sum --check --quiet --strict MANIFEST.sha256) \
  || die "$backup does not match its manifest: nothing was restored"
for name in database.dump layers.tar media.tar; do
  grep -q " $name\$" "$backup/MANIFEST.sha256" || die "the manifest does not list $name"
done

eval "$($PY scripts/backup_env.py)" || die "could not read the database and folders from the settings"
PGDATABASE=${RESTORE_DATABASE:-$PGDATABASE}
LAYER_ROOT=${RESTORE_LAYER_ROOT:-$LAYER_ROOT}
MEDIA_ROOT=${RESTORE_MEDIA_ROOT:-$MEDIA_ROOT}
export PGHOST PGPORT PGUSER PGPASSWORD
replace=${RESTORE_REPLACE:-0}

exists=$(psql -d postgres -tAc "SELECT 1 FROM pg_database WHERE datname = '${PGDATABASE//\'/\'\'}'")
if [ "$exists" = 1 ]; then
  tables=$(psql -d "$PGDATABASE" -tAc \
    "SELECT count(*) FROM pg_tables WHERE schemaname = 'public' AND tablename <> 'spatial_ref_sys'")
  if [ "$tables" != 0 ]; then
    [ "$replace" = 1 ] || die "database $PGDATABASE is not empty: set RESTORE_REPLACE=1 to replace it"
    say "restore: dropping database $PGDATABASE (RESTORE_REPLACE=1)" >&2
    dropdb "$PGDATABASE" || die "could not drop $PGDATABASE (is something connected to it?)"
    exists=0
  fi
fi
if [ "$exists" != 1 ]; then
  # template1 carries postgis (scripts/services.sh), so no superuser right is needed here.
  createdb "$PGDATABASE" || die "could not create database $PGDATABASE"
fi
for folder in "$LAYER_ROOT" "$MEDIA_ROOT"; do
  if [ -d "$folder" ] && [ -n "$(ls -A "$folder")" ] && [ "$replace" != 1 ]; then
    die "$folder is not empty: set RESTORE_REPLACE=1 to replace it"
  fi
done

say "restore: database into $PGDATABASE on $PGHOST:$PGPORT" >&2
# Every extension the project uses (postgis, and any a migration adds) exists already in the new
# database (template1, scripts/services.sh) and belongs to a superuser: skip them and their
# comments, and postgis's spatial_ref_sys rows (EPSG's own; the project adds none).
list=$(mktemp); trap 'rm -f "$list"' EXIT
pg_restore --list "$backup/database.dump" \
  | grep -v -E ' EXTENSION - | COMMENT - EXTENSION |TABLE DATA public spatial_ref_sys' >"$list"
pg_restore --no-owner --no-privileges --exit-on-error --single-transaction \
  --use-list="$list" --dbname="$PGDATABASE" "$backup/database.dump" \
  || die "pg_restore into $PGDATABASE failed (the database is left as it was before the restore)"
for pair in "layers:$LAYER_ROOT" "media:$MEDIA_ROOT"; do
  name=${pair%%:*}; folder=${pair#*:}
  say "restore: $name into $folder" >&2
  if [ -d "$folder" ] && [ "$replace" = 1 ]; then
    find "$folder" -mindepth 1 -delete
  fi
  mkdir -p "$folder"
  tar --extract --file="$backup/$name.tar" --directory="$folder" --no-same-owner \
    || die "could not unpack $name.tar into $folder"
done
say "restore: done ($PGDATABASE, $LAYER_ROOT, $MEDIA_ROOT)" >&2
