#!/usr/bin/env bash
# The main job: migrate, load the regions, compute through a real Celery worker, serve the site.
here=$(dirname "$0"); . "$here/lib.sh"
export DJANGO_SETTINGS_MODULE=${DJANGO_SETTINGS_MODULE:-config.settings.dev}
HOST=${HOST:-127.0.0.1}; PORT=${PORT:-8000}
M=".venv/bin/python manage.py"

if curl -s -o /dev/null "http://$HOST:$PORT/" 2>/dev/null; then
  die "something already answers on http://$HOST:$PORT/: stop it, or run make run PORT=8001"
fi
say "database: migrating"
$M migrate --noinput -v 0
say "regions: loading fixtures/"
$M load_region --all
scripts/worker.sh stop  # a worker left from an earlier run may run older code
scripts/worker.sh start
trap 'scripts/worker.sh stop' EXIT INT TERM
say "maps: computing through the Celery worker"
$M compute_regions --wait
echo
echo "GroundHeat Atlas is served on http://$HOST:$PORT/  (Ctrl-C stops the site and the worker)"
echo
$M runserver "$HOST:$PORT" --noreload --skip-checks
