"""manage.py compute_regions [--wait]: queue the computations of every region on the worker."""

from __future__ import annotations

import time
from typing import Any

from celery import current_app as celery_app
from django.core.management.base import BaseCommand, CommandError, CommandParser

from core import tasks
from core.jobs import dispatch
from core.models import Job, Region
from potential_map.services import request_recompute

WORKER_WAIT_S = 30.0
POLL_S = 0.2


class Command(BaseCommand):
    help = "Queue what there is to compute for every region and, with --wait, wait for it."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--wait", action="store_true", help="wait until the jobs end")
        parser.add_argument("--timeout", type=float, default=1200.0, help="seconds to wait")

    def handle(self, *args: Any, **options: Any) -> None:
        if options["wait"] and not self._worker_answers():
            raise CommandError(
                f"No Celery worker answered within {WORKER_WAIT_S:.0f} s: "
                "start one with scripts/worker.sh start"
            )
        job = Job.objects.create(kind="measure_regions")
        dispatch(job, tasks.measure_regions)
        jobs = [job]
        for region in Region.objects.order_by("code"):
            jobs.append(request_recompute(region, delay_s=0))
        for queued in jobs:
            where = f" ({queued.region.code})" if queued.region_id else ""
            self.stdout.write(f"queued job {queued.pk}: {queued.kind}{where}")
        if not options["wait"]:
            return
        deadline = time.monotonic() + options["timeout"]
        for queued in jobs:
            while time.monotonic() < deadline:
                queued.refresh_from_db()
                if queued.state in (Job.State.SUCCEEDED, Job.State.FAILED):
                    break
                time.sleep(POLL_S)
            else:
                raise CommandError(
                    f"job {queued.pk} did not finish within {options['timeout']:.0f} s"
                )
            if queued.state == Job.State.FAILED:
                raise CommandError(f"job {queued.pk} ({queued.kind}) failed: {queued.message}")
            self.stdout.write(f"job {queued.pk} ({queued.kind}) succeeded")

    def _worker_answers(self) -> bool:
        deadline = time.monotonic() + WORKER_WAIT_S
        while time.monotonic() < deadline:
            if celery_app.control.ping(timeout=1.0):
                return True
        return False
