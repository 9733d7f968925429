#!/usr/bin/env bash
# The whole suite: project checks and tests against real PostGIS, Redis and a Celery worker,
# then the browser stage on Debian's Chromium. Artefacts (screenshots, logs) go to test-results/.
here=$(dirname "$0"); . "$here/lib.sh"
export DJANGO_SETTINGS_MODULE=config.settings.test
mkdir -p test-results
status=0
say "tests: everything but the browser"
.venv/bin/pytest -m "not browser" -q "$@" || status=$?
say "tests: browser stage (Debian's Chromium)"
.venv/bin/pytest -m browser -q tests/browser "$@" || { s=$?; [ $status -eq 0 ] && status=$s; }
exit $status
