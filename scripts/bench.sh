#!/usr/bin/env bash
# Run every benchmark under bench/ and print their figures.
here=$(dirname "$0"); . "$here/lib.sh"
export DJANGO_SETTINGS_MODULE=config.settings.dev
.venv/bin/python manage.py migrate --noinput -v 0
# TiTiler, the tile benchmark's baseline, in its own environment: never a site dependency.
if [ ! -x var/titiler-venv/bin/uvicorn ]; then
  say "bench: TiTiler into var/titiler-venv"
  var/uv/bin/uv venv -q var/titiler-venv --python "${PYTHON:-python3.11}"
  var/uv/bin/uv pip install -q --python var/titiler-venv/bin/python \
    "titiler.core==2.4.0" "uvicorn==0.38.0" || die "could not install TiTiler for the bench"
fi
status=0
for script in bench/*_bench.py; do
  say "bench: $script"
  .venv/bin/python "$script" || status=1
done
exit $status
