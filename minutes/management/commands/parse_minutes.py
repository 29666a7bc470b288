"""Parse minutes files and print what the importer would see; writes nothing.

    python manage.py parse_minutes referat.pdf andet.docx --format json

JSON mode prints one list with one object per file, in argument order (the
parse contract in the design notes). A file that cannot be parsed becomes
``{"source": …, "error": {"code": …, "message": …}}`` in its place, so one bad
file does not hide the others. The exit status is 0 when at least one file
parsed and 1 when none did: a batch with a bad file in it is still useful
output, an all-failed batch is a failed run.
"""
from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from minutes.models import AgendaItem
from minutes.parsing import MAX_BYTES, ParsedMinutes, ParseError, parse_bytes, to_contract_dict
from minutes.parsing.dates import describe_window, format_date_da

def _warning(code: str) -> str:
    return _("ugedagen passer ikke med datoen") if code == "weekday_mismatch" else code


class Command(BaseCommand):
    # Parsing needs neither the database nor the system checks; skipping them keeps a batch quick.
    requires_system_checks: list[str] = []
    help = (
        "Læser referater (.txt, .md, .docx, .pdf) og viser møde, punkter og forslag til opfølgninger. "
        "Skriver intet i databasen. Med --format json: én JSON-liste med ét objekt pr. fil; "
        "exit-status 1 kun hvis ingen fil kunne læses."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("files", nargs="+", metavar="FIL", help="referater, der skal læses")
        parser.add_argument(
            "--format",
            choices=("text", "json"),
            default="text",
            help="text (læsbart resumé, standard) eller json (parse-kontrakten)",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        results: list[dict[str, Any]] = []
        parsed_count = 0
        for name in options["files"]:
            try:
                parsed = parse_bytes(_read(name), Path(name).name)
            except ParseError as error:
                results.append({"source": name, "error": {"code": error.code, "message": error.message_da}})
                if options["format"] != "json":
                    self.stdout.write(self.style.ERROR(f"{name}: {error.message_da}"))
                continue
            parsed_count += 1
            if options["format"] == "json":
                results.append(to_contract_dict(parsed, name))
            else:
                self.stdout.write(_summary(name, parsed))
        if options["format"] == "json":
            self.stdout.write(json.dumps(results, ensure_ascii=False, indent=1))
        if parsed_count == 0:
            raise CommandError("Ingen af filerne kunne læses som referat.", returncode=1)


def _read(name: str) -> bytes:
    path = Path(name)
    try:
        size = path.stat().st_size
        if size > MAX_BYTES:
            # Refuse before reading 50 MB into memory; the reader would refuse it anyway.
            return b"\0" * (MAX_BYTES + 1)
        return path.read_bytes()
    except FileNotFoundError:
        raise ParseError("file_not_found", f"Filen findes ikke: {name}", f"No such file: {name}") from None
    except IsADirectoryError:
        raise ParseError("file_not_found", f"Det er en mappe, ikke en fil: {name}", f"Is a directory: {name}") from None
    except OSError as error:
        raise ParseError(
            "unreadable", f"Filen kunne ikke åbnes: {name}", f"Could not open {name}: {error.strerror}"
        ) from None


def _summary(name: str, parsed: ParsedMinutes) -> str:
    meeting = parsed.meeting
    lines = [f"== {name}"]
    when = format_date_da(meeting.date) if meeting.date else _("ukendt dato")
    if meeting.start_time:
        when += _(" kl. %(time)s") % {"time": f"{meeting.start_time:%H:%M}"}
    body = meeting.body or _("Ukendt forum")
    place = meeting.location or _("ukendt mødested")
    lines.append(f"{body}, {when}, {place}")
    if meeting.participants:
        lines.append(_("Deltagere: %(names)s") % {"names": ", ".join(meeting.participants)})
    count = len(parsed.items)
    lines.append(ngettext("%(count)d punkt:", "%(count)d punkter:", count) % {"count": count})
    outcomes = dict(AgendaItem.Outcome.choices)
    for item in parsed.items:
        extra = f" [{item.case_number}]" if item.case_number else ""
        outcome = str(outcomes.get(item.outcome, item.outcome)).lower()
        lines.append(f"  {item.number}. {item.title}{extra} – {outcome}")
        if item.attachments:
            count = len(item.attachments)
            lines.append("     " + ngettext("%(count)d bilag", "%(count)d bilag", count) % {"count": count})
    count = len(parsed.followups)
    lines.append(
        ngettext("%(count)d forslag til opfølgning:", "%(count)d forslag til opfølgninger:", count) % {"count": count}
    )
    for followup in parsed.followups:
        due = _("ingen frist")
        if followup.due:
            due = describe_window(followup.window_start, followup.window_end, followup.precision)
        elif followup.deadline_start is not None:
            # "inden næste møde": a deadline relative to something without a date yet
            due = parsed.text[followup.deadline_start:followup.deadline_end]
        who = followup.responsible or _("ansvarlig ikke angivet")
        warning = "".join(f" ({_warning(w)})" for w in followup.warnings)
        where = _("punkt %(number)s (%(section)s)") % {
            "number": followup.item, "section": followup.section or _("referat"),
        }
        lines.append(f"  {where}: {due}{warning}; {who}")
        lines.append(f"     »{followup.quote}«")
    return "\n".join(lines)
