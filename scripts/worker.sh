#!/usr/bin/env bash
# Start a Celery worker in the background unless ours is still running. Usage: worker.sh start|stop
here=$(dirname "$0"); . "$here/lib.sh"
mkdir -p var/run var/log
pidfile=var/run/worker.pid
case "${1:-start}" in
  start)
    if [ -f "$pidfile" ] && kill -0 "$(cat "$pidfile")" 2>/dev/null; then
      say "celery: worker already running (pid $(cat "$pidfile")), reusing it"; exit 0
    fi
    nice -n 10 .venv/bin/celery -A config worker --beat --schedule=var/run/celerybeat-schedule --loglevel=INFO --concurrency=2 \
      --hostname="groundheat-dev@%h" --logfile=var/log/worker.log --pidfile="$pidfile" --detach \
      || die "the Celery worker did not start: see var/log/worker.log"
    for _ in $(seq 1 60); do [ -s "$pidfile" ] && break; sleep 0.5; done
    say "celery: worker started (log: var/log/worker.log)";;
  stop)
    if [ -f "$pidfile" ] && kill -0 "$(cat "$pidfile")" 2>/dev/null; then
      pid=$(cat "$pidfile")
      kill -TERM "$pid"
      for _ in $(seq 1 40); do kill -0 "$pid" 2>/dev/null || break; sleep 0.25; done
      say "celery: worker stopped"
    fi;;
esac
