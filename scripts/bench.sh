#!/usr/bin/env bash
# Run every benchmark under bench/ and print their figures.
here=$(dirname "$0"); . "$here/lib.sh"
export DJANGO_SETTINGS_MODULE=config.settings.dev
.venv/bin/python manage.py migrate --noinput -v 0
status=0
for script in bench/*_bench.py; do
  say "bench: $script"
  .venv/bin/python "$script" || status=1
done
exit $status
