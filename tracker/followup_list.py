"""The "Opfølgningsliste" a secretary puts on the next meeting's agenda.

Open follow-ups of a forum and those completed since its last meeting, grouped
by case (the case number ties an item to the same case at later meetings), or
by agenda item when there is no case number. Built once as plain data; the page
and the Word document only lay it out.

The list may be pasted into an agenda that is published, so a confidential
("Lukket") agenda item shows only its number and date, and its follow-ups only
who, when and status.
"""
from __future__ import annotations

import datetime as dt
import io
from dataclasses import dataclass, field

from django.contrib.auth.models import AbstractBaseUser
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from minutes.models import AgendaItem, Body
from tracker import access, exports
from tracker.localdates import format_date
from tracker.models import ActionItem, RoleAssignment
from tracker.templatetags.tracker_ui import due as due_as_written

Status = ActionItem.Status


class DueState:
    OVERDUE = "overdue"
    BEFORE_MEETING = "before_meeting"
    LATER = "later"
    UNDATED = "undated"
    DONE = "done"


@dataclass
class Entry:
    item: ActionItem
    title: str
    responsible: str
    due_text: str
    state: str
    state_label: str
    comment: str = ""


@dataclass
class Group:
    heading: str
    case_number: str
    treated: list[str]  # "28. april 2022, punkt 4": where the case was on the agenda
    entries: list[Entry] = field(default_factory=list)
    sort_key: tuple = ()


@dataclass
class FollowupList:
    body: Body
    today: dt.date
    next_meeting: dt.date | None
    last_meeting: dt.date | None
    groups: list[Group]

    @property
    def open_count(self) -> int:
        return sum(1 for g in self.groups for e in g.entries if e.state != DueState.DONE)

    @property
    def overdue_count(self) -> int:
        return sum(1 for g in self.groups for e in g.entries if e.state == DueState.OVERDUE)

    @property
    def done_count(self) -> int:
        return sum(1 for g in self.groups for e in g.entries if e.state == DueState.DONE)

    @property
    def title(self) -> str:
        return _("Opfølgningsliste – %(body)s") % {"body": self.body.name}

    @property
    def introduction(self) -> str:
        parts = []
        if self.next_meeting:
            parts.append(_("Til mødet %(date)s.") % {"date": format_date(self.next_meeting)})
        if self.last_meeting:
            parts.append(
                _("Åbne opfølgninger og opfølgninger udført siden mødet %(date)s.")
                % {"date": format_date(self.last_meeting)}
            )
        else:
            parts.append(_("Åbne opfølgninger."))
        parts.append(_("Status pr. %(date)s.") % {"date": format_date(self.today)})
        return " ".join(parts)


def _start_of_day(day: dt.date) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time.min))


def _due_state(item: ActionItem, today: dt.date, next_meeting: dt.date | None) -> tuple[str, str]:
    if item.status == Status.DONE:
        done_on = timezone.localtime(item.completed_at).date() if item.completed_at else None
        label = _("Udført %(date)s") % {"date": format_date(done_on)} if done_on else _("Udført")
        return DueState.DONE, label
    if item.due_date is None:
        return DueState.UNDATED, _("Uden frist")
    if item.due_date < today:
        days = (today - item.due_date).days
        return DueState.OVERDUE, ngettext(
            "Overskredet (%(days)d dag)", "Overskredet (%(days)d dage)", days
        ) % {"days": days}
    if next_meeting and item.due_date <= next_meeting:
        return DueState.BEFORE_MEETING, _("Frist før mødet")
    return DueState.LATER, _("Åben")


def _holders_by_role(role_ids: set[int], today: dt.date) -> dict[int, list[str]]:
    holders: dict[int, list[str]] = {}
    current = (
        RoleAssignment.objects.filter(role_id__in=role_ids, starts_on__lte=today)
        .filter(Q(ends_on__isnull=True) | Q(ends_on__gt=today))
        .select_related("person")
        .order_by("person__name")
    )
    for assignment in current:
        holders.setdefault(assignment.role_id, []).append(assignment.person.name)
    return holders


def _responsible(item: ActionItem, holders: dict[int, list[str]]) -> str:
    if item.responsible_role and item.responsible_person:
        return f"{item.responsible_role.name} ({item.responsible_person.name})"
    if item.responsible_role:
        names = holders.get(item.responsible_role_id, [])
        return f"{item.responsible_role.name} ({', '.join(names)})" if names else item.responsible_role.name
    if item.responsible_person:
        return item.responsible_person.name
    if item.responsible_text and not exports.is_from_closed_item(item):
        return item.responsible_text
    return "–"


def _treated(source: AgendaItem) -> str:
    return _("%(date)s, punkt %(number)d") % {"date": format_date(source.meeting.date), "number": source.number}


def _group_key(item: ActionItem) -> tuple:
    source = item.source_item
    if source is None:
        return ("none",)
    if source.case_number and not source.closed:
        return ("case", source.case_number)
    return ("item", source.pk)


def build_followup_list(
    *, user: AbstractBaseUser, body: Body, today: dt.date, next_meeting: dt.date | None = None
) -> FollowupList:
    """The forum's open follow-ups and those completed since its last meeting, grouped by case."""
    meetings = body.meetings.order_by("-date")
    last = (meetings.filter(date__lt=next_meeting) if next_meeting else meetings.filter(date__lte=today)).first()
    last_meeting = last.date if last else None
    recently_done = Q(status=Status.DONE, completed_at__gte=_start_of_day(last_meeting)) if last_meeting else Q(pk__in=[])
    items = list(
        exports.with_last_comment(
            access.visible_items(user).filter(body=body).filter(Q(status=Status.OPEN) | recently_done)
        ).select_related("source_item__meeting", "responsible_role", "responsible_person")
    )
    holders = _holders_by_role({i.responsible_role_id for i in items if i.responsible_role_id}, today)

    groups: dict[tuple, Group] = {}
    sources: dict[tuple, dict[int, AgendaItem]] = {}
    for item in items:
        key = _group_key(item)
        group = groups.get(key)
        if group is None:
            group = groups[key] = Group(heading="", case_number=key[1] if key[0] == "case" else "", treated=[])
            sources[key] = {}
        if item.source_item is not None:
            sources[key][item.source_item.pk] = item.source_item
        state, label = _due_state(item, today, next_meeting)
        closed = exports.is_from_closed_item(item)
        group.entries.append(Entry(
            item=item, title=exports.public_title(item), responsible=_responsible(item, holders),
            due_text=due_as_written(item), state=state, state_label=label,
            comment="" if closed or state != DueState.DONE else (item.last_comment or ""),
        ))

    for key, group in groups.items():
        agenda = sorted(sources[key].values(), key=lambda a: (a.meeting.date, a.number))
        group.treated = [_treated(a) for a in agenda]
        if key[0] == "none":
            group.heading = _("Øvrige opfølgninger")
            group.sort_key = (1, dt.date.max, 0)
        else:
            newest = agenda[-1]
            group.heading = newest.display_title if newest.closed else (
                _("%(title)s (sag %(case)s)") % {"title": newest.title, "case": group.case_number}
                if group.case_number else newest.title
            )
            group.sort_key = (0, agenda[0].meeting.date, agenda[0].number)
        group.entries.sort(key=lambda e: (
            e.state == DueState.DONE,
            e.item.due_date or dt.date.max,
            e.item.completed_at or timezone.now(),
            e.item.pk,
        ))
    return FollowupList(
        body=body, today=today, next_meeting=next_meeting, last_meeting=last_meeting,
        groups=sorted(groups.values(), key=lambda g: g.sort_key),
    )


def followup_list_docx(followups: FollowupList) -> bytes:
    """The list as a Word document to paste into the agenda: a heading and a table per case."""
    from docx import Document
    from docx.enum.section import WD_ORIENT
    from docx.shared import Cm, Pt

    document = Document()
    section = document.sections[0]
    section.orientation = WD_ORIENT.PORTRAIT
    section.left_margin = section.right_margin = Cm(2)
    document.styles["Normal"].font.size = Pt(10)
    document.core_properties.title = followups.title
    document.core_properties.language = "da-DK"
    document.add_heading(followups.title, level=1)
    document.add_paragraph(followups.introduction)
    if not followups.groups:
        document.add_paragraph(_("Ingen åbne eller nyligt udførte opfølgninger."))
    widths = (Cm(7.5), Cm(4.0), Cm(3.0), Cm(2.5))
    for group in followups.groups:
        document.add_heading(group.heading, level=2)
        if group.treated:
            document.add_paragraph(_("Behandlet: %(meetings)s") % {"meetings": "; ".join(group.treated)})
        table = document.add_table(rows=1, cols=4)
        table.style = "Table Grid"
        for cell, text, width in zip(
            table.rows[0].cells, (_("Opfølgning"), _("Ansvarlig"), _("Frist"), _("Status")), widths, strict=True
        ):
            cell.width = width
            cell.paragraphs[0].add_run(text).bold = True
        for entry in group.entries:
            cells = table.add_row().cells
            status = entry.state_label + (f": {entry.comment}" if entry.comment else "")
            for cell, text, width in zip(cells, (entry.title, entry.responsible, entry.due_text, status), widths,
                                         strict=True):
                cell.width = width
                cell.text = text
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()
