#!/usr/bin/env bash
# Start the Celery workers in the background unless ours are still running: one per queue
# (the machine has 2 cores: concurrency 1 each), as in production. "celery" takes imports,
# recomputes and the beat's housekeeping and runs the beat; "estimates" takes closed-loop
# estimates, so a storm of them never delays an import, nor the reverse; "tiles" warms the
# low-zoom tiles of a new layer, at the lowest CPU priority.
# Usage: worker.sh start|stop
here=$(dirname "$0"); . "$here/lib.sh"
mkdir -p var/run var/log
queues=(celery estimates tiles)
pidfile() { if [ "$1" = celery ]; then echo var/run/worker.pid; else echo "var/run/worker-$1.pid"; fi; }
case "${1:-start}" in
  start)
    for queue in "${queues[@]}"; do
      pidfile=$(pidfile "$queue")
      if [ -f "$pidfile" ] && kill -0 "$(cat "$pidfile")" 2>/dev/null; then
        say "celery: $queue worker already running (pid $(cat "$pidfile")), reusing it"; continue
      fi
      extra=()
      [ "$queue" = celery ] && extra=(--beat --schedule=var/run/celerybeat-schedule)
      log=var/log/worker.log; [ "$queue" = celery ] || log="var/log/worker-$queue.log"
      niceness=10; [ "$queue" = tiles ] && niceness=19
      nice -n "$niceness" .venv/bin/celery -A config worker -Q "$queue" "${extra[@]}" --loglevel=INFO \
        --concurrency=1 --hostname="groundheat-dev-$queue@%h" --logfile="$log" \
        --pidfile="$pidfile" --detach \
        || die "the Celery $queue worker did not start: see $log"
      for _ in $(seq 1 60); do [ -s "$pidfile" ] && break; sleep 0.5; done
      say "celery: $queue worker started (log: $log)"
    done;;
  stop)
    for queue in "${queues[@]}"; do
      pidfile=$(pidfile "$queue")
      if [ -f "$pidfile" ] && kill -0 "$(cat "$pidfile")" 2>/dev/null; then
        pid=$(cat "$pidfile")
        kill -TERM "$pid"
        for _ in $(seq 1 40); do kill -0 "$pid" 2>/dev/null || break; sleep 0.25; done
        say "celery: $queue worker stopped"
      fi
    done;;
esac
