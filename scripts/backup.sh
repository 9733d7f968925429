#!/usr/bin/env bash
# make backup: the database (pg_dump, custom format), the map layers (COGs under LAYER_ROOT)
# and the uploads (MEDIA_ROOT) into BACKUP_DIR/<UTC time>/, with a SHA-256 manifest.
# The database and folders are those of DATABASE_URL / LAYER_ROOT / MEDIA_ROOT, or else of the
# Django settings (DJANGO_SETTINGS_MODULE, dev by default). Prints the backup's folder.
here=$(dirname "$0"); . "$here/lib.sh"
cd "$here/.."
PY=${PY:-.venv/bin/python}
BACKUP_DIR=${BACKUP_DIR:-var/backups}

command -v pg_dump >/dev/null 2>&1 || die "pg_dump is missing: install postgresql-client-15 (make does)"
eval "$($PY scripts/backup_env.py)" || die "could not read the database and folders from the settings"
export PGHOST PGPORT PGUSER PGPASSWORD PGDATABASE

stamp=$(date -u +%Y%m%dT%H%M%SZ)
target="$BACKUP_DIR/$stamp"
[ -e "$target" ] && die "$target exists already"
mkdir -p "$BACKUP_DIR"
work=$(mktemp -d "$BACKUP_DIR/.partial-$stamp-XXXX")
trap 'rm -rf "$work"' EXIT

say "backup: database $PGDATABASE on $PGHOST:$PGPORT" >&2
pg_dump --format=custom --no-owner --no-privileges --file="$work/database.dump" \
  || die "pg_dump of $PGDATABASE failed"
# Folders as tars of their contents (an absent folder gives an empty tar), names sorted.
for pair in "layers:$LAYER_ROOT" "media:$MEDIA_ROOT"; do
  name=${pair%%:*}; folder=${pair#*:}
  say "backup: $name from $folder" >&2
  if [ -d "$folder" ]; then
    tar --create --file="$work/$name.tar" --sort=name --directory="$folder" . \
      || die "could not archive $folder"
  else
    tar --create --file="$work/$name.tar" --files-from=/dev/null
  fi
done
cat >"$work/backup.txt" <<INFO
created_utc=$stamp
database=$PGDATABASE
layer_root=$LAYER_ROOT
media_root=$MEDIA_ROOT
git_commit=$(git rev-parse HEAD 2>/dev/null || echo unknown)
pg_dump=$(pg_dump --version)
INFO
(cd "$work" && sha256sum database.dump layers.tar media.tar backup.txt >MANIFEST.sha256)
mv "$work" "$target"  # the folder appears whole or not at all
trap - EXIT
say "backup: written to $target" >&2
echo "$target"
