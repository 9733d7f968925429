"""manage.py load_region <code> [<code> ...] | --all: load regions from fixtures/, idempotently."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from region_fixtures.errors import FixtureError
from region_fixtures.services import available_codes, load_region_fixture


class Command(BaseCommand):
    help = "Load regions (settings and outline) from fixtures/<code>/; idempotent."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("codes", nargs="*", help="region codes, e.g. okinawa gunma")
        parser.add_argument("--all", action="store_true", help="every region under fixtures/")

    def handle(self, *args: Any, **options: Any) -> None:
        codes = available_codes() if options["all"] else options["codes"]
        if not codes:
            if options["all"]:
                self.stdout.write("No region fixtures found under fixtures/.")
                return
            raise CommandError("Name at least one region code, or pass --all.")
        for code in codes:
            try:
                result = load_region_fixture(code)
            except FixtureError as exc:
                raise CommandError(f"fixtures/{code}/{exc}") from exc
            files = ", ".join(result.imported) if result.imported else "none new"
            self.stdout.write(f"{code}: {result.status}; survey files imported: {files}")
