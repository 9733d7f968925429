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
# Each bench prints its figures and records them (bench/_report.py) in one file; the summary
# prints them all as one table at the end. The file holds this run only.
export BENCH_RESULTS=${BENCH_RESULTS:-var/bench/results.jsonl}
mkdir -p "$(dirname "$BENCH_RESULTS")"; : > "$BENCH_RESULTS"
status=0; ran=()
for script in bench/*_bench.py; do
  say "bench: $script"
  name=$(basename "$script" _bench.py); ran+=("$name")
  .venv/bin/python "$script" || status=1
done
say "bench: summary ($BENCH_RESULTS)"
.venv/bin/python bench/summary.py "$BENCH_RESULTS" "${ran[@]}"
exit $status
