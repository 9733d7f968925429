# GroundHeat Atlas. The two commands of the quick start: `make run` and `make test`.
# Each sets up everything it needs on a fresh Debian 12 machine and is safe to run again.
SHELL := /bin/bash
.DEFAULT_GOAL := help
PY := .venv/bin/python
MANAGE := $(PY) manage.py

.PHONY: help run test bench backup restore system system-test venv venv-test services messages lint \
        test-fast test-browser worker-stop

help:
	@echo "make run    set up, migrate, load regions, compute through a Celery worker, serve :8000"
	@echo "make test   set up and run the whole suite (lint, checks, tests, browser tests)"
	@echo "make bench  run every benchmark under bench/ and print their figures"
	@echo "make backup   database, map layers and uploads into var/backups/<time>/"
	@echo "make restore BACKUP=var/backups/<time>  check its checksums, then restore it"

system:
	@scripts/system-packages.sh run
system-test:
	@scripts/system-packages.sh test
venv: system
	@scripts/venv.sh run
venv-test: system-test
	@scripts/venv.sh test
services:
	@scripts/services.sh
messages:
	@$(MANAGE) compilemessages -v 0 --ignore=.venv --ignore=var --ignore=node_modules

run: venv services messages
	@scripts/run.sh

test: venv-test services messages
	@scripts/test.sh

bench: venv-test services messages
	@scripts/bench.sh

backup:
	@scripts/backup.sh

restore:
	@scripts/restore.sh "$(BACKUP)"
