"""A forum's decisions register as a CSV file for Excel.

One row per agenda item: date, item, title, case number, outcome, the decision
and the follow-ups (text, status, deadline, responsible) that the user may see.
Written like the follow-up sheets of ``tracker.exports``: UTF-8 with a byte
order mark, semicolons, dd-mm-yyyy dates, cells that a spreadsheet would run as
a formula neutralised. A closed ("Lukket") item is a row with its number and
outcome only: no title, case number, decision or follow-up text.
"""
from __future__ import annotations

from collections.abc import Iterable, Iterator
from typing import Any

from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser
from django.db.models import F
from django.urls import reverse

from minutes import search
from minutes.models import AgendaItem
from tracker import access
from tracker.exports import csv_stream
from tracker.models import ActionItem
from tracker.templatetags.tracker_ui import due as due_as_written

HEADERS = [
    "Forum", "Mødedato", "Punkt", "Titel", "Sagsnummer", "Udfald", "Beslutning", "Opfølgninger",
    "Åbne opfølgninger", "Link",
]
CHUNK = 500


def _responsible(item: ActionItem) -> str:
    names = [x.name for x in (item.responsible_role, item.responsible_person) if x is not None]
    return " / ".join(names) or item.responsible_text


def followup_line(item: ActionItem) -> str:
    """ "Kommissorierne færdige (Åben, 12. maj 2022, Chef for Økonomi)"."""
    facts = [item.get_status_display(), due_as_written(item)]
    responsible = _responsible(item)
    if responsible:
        facts.append(responsible)
    return f"{item.title} ({', '.join(str(f) for f in facts)})"


def register_row(agenda_item: AgendaItem, followups: list[ActionItem]) -> list[Any]:
    meeting = agenda_item.meeting
    link = f"{settings.SITE_URL}{reverse('minutes:meeting_detail', args=[meeting.pk])}#punkt-{agenda_item.number}"
    open_count = sum(1 for f in followups if f.status == ActionItem.Status.OPEN)
    if agenda_item.closed:
        return [meeting.body.name, meeting.date, agenda_item.number, str(agenda_item.display_title), "",
                agenda_item.get_outcome_display(), "", f"{len(followups)}" if followups else "", open_count, link]
    return [
        meeting.body.name, meeting.date, agenda_item.number, agenda_item.title, agenda_item.case_number,
        agenda_item.get_outcome_display(), search.decision_text(agenda_item.sections),
        "\n".join(followup_line(f) for f in followups), open_count, link,
    ]


def register_rows(*, user: AbstractBaseUser, criteria: search.Criteria, sort: str) -> Iterator[list[Any]]:
    """Every agenda item the criteria select, in the register's order, a chunk of queries per 500 items."""
    rows = search.match_rows(user=user, criteria=criteria, sort=sort) or []
    pks = [r.pk for r in search.sorted_rows(search.selected_rows(rows, criteria), sort)]
    for start in range(0, len(pks), CHUNK):
        chunk = pks[start:start + CHUNK]
        followups: dict[int, list[ActionItem]] = {}
        for item in (
            access.visible_items(user).filter(source_item_id__in=chunk)
            .select_related("responsible_role", "responsible_person")
            .order_by(F("due_date").asc(nulls_last=True), "pk")
        ):
            followups.setdefault(item.source_item_id, []).append(item)
        for agenda_item in search.agenda_items_in_order(chunk):
            yield register_row(agenda_item, followups.get(agenda_item.pk, []))


def csv_chunks(rows: Iterable[list[Any]]) -> Iterator[bytes]:
    """The register as CSV for Danish Excel, streamed row by row (the list export's format)."""
    return csv_stream(HEADERS, rows)

