#!/bin/sh
# The container's health check: GET /health/ from inside the container, as nginx would ask it.
# Django refuses a Host it does not know (400) and redirects plain HTTP to HTTPS (301), so the
# request names the first of DJANGO_ALLOWED_HOSTS (a plain name, no leading dot) and says, as
# nginx does, that the visitor came over HTTPS. PORT: gunicorn's port (8000).
host=${DJANGO_ALLOWED_HOSTS%%,*}
host=${host#.}
exec curl -fsS --max-time 4 -o /dev/null -H "Host: ${host}" -H "X-Forwarded-Proto: https" \
  "http://127.0.0.1:${PORT:-8000}/health/"
