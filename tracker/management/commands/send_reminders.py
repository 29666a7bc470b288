"""Send the reminders that are due, as the Celery beat sweep does (for cron and for debugging)."""
from __future__ import annotations

import datetime as dt

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone

from tracker.sending import reminders_send_due


def parse_now(value: str) -> dt.datetime:
    """An ISO date or date-time; without a time zone it is local time."""
    try:
        parsed = dt.datetime.fromisoformat(value)
    except ValueError:
        raise CommandError(f"--now {value!r}: skriv et tidspunkt som 2022-05-12T07:30 eller 2022-05-12.") from None
    if timezone.is_naive(parsed):
        parsed = timezone.make_aware(parsed)
    return parsed


class Command(BaseCommand):
    help = "Sender de påmindelser, der er forfaldne (samme service som Celery beat kører hvert minut)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--now", type=parse_now, help="Gør som om klokken er dette ISO-tidspunkt (lokal tid).")
        parser.add_argument("--dry-run", action="store_true", help="Vis hvad der ville blive sendt; send intet.")

    def handle(self, *args: object, now: dt.datetime | None = None, dry_run: bool = False, **options: object) -> None:
        report = reminders_send_due(now=now, dry_run=dry_run)
        for line in report.preview:
            self.stdout.write(line)
        if dry_run:
            self.stdout.write(
                f"Prøvekørsel: {report.sent} ville blive sendt, {report.cancelled} annulleret, {report.failed} fejle."
            )
        else:
            self.stdout.write(f"Påmindelser: {report}.")
