"""Follow-ups discussed again at a later meeting of their forum.

When a forum's new minutes are imported (``meeting_link_followups``, inside
the import's transaction) every open follow-up of that forum is looked at:

1. its agenda item's case number is on the new agenda: the case was treated
   again, so the secretary is asked whether the follow-up is done;
2. it was scheduled for this very meeting ("På Chefforum den 3 februar vil
   Chefforum …" and the minutes of 3 February arrive);
3. it waits for "the next meeting" (no date yet, e.g. a postponed item) and
   this is the forum's next meeting after the one it came from: it gets this
   meeting's date as its deadline.

Each becomes an ``ActionItemLink`` the review page shows with both quotes;
the secretary closes the follow-up, moves its deadline, or keeps it. A
postponed or withdrawn item of the new meeting itself becomes a proposed
follow-up "Behandles på næste møde: …", due at the forum's next meeting.

Confidential ("Lukket") agenda items are never linked, on either side.
Case numbers used by several items of one meeting are standing items
(agenda approval, "Eventuelt", "Øvrige sager"), not cases, and link nothing.
"""
from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field

from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Count, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from minutes.models import AgendaItem, Meeting
from minutes.parsing.dates import format_date_da
from tracker import services
from tracker.models import ActionItem, ActionItemLink

Reason = ActionItemLink.Reason
Proposal = ActionItemLink.Proposal
Outcome = AgendaItem.Outcome
Actor = AbstractBaseUser | None

# Outcomes that send a case on to a later meeting instead of dealing with it.
DEFERRED = (Outcome.POSTPONED, Outcome.WITHDRAWN)
NEXT_MEETING_PREFIX = "Behandles på næste møde: "
_DEFERRAL_SENTENCE = re.compile(r"[^.\n]*\b(?:udskud|udsat|udgik|udgår|udtaget)[^.\n]*\.?", re.IGNORECASE)
_QUOTE_LIMIT = 400


@dataclass
class LinkResult:
    linked: list[ActionItemLink] = field(default_factory=list)
    next_meeting: list[ActionItem] = field(default_factory=list)  # new "Behandles på næste møde" proposals


def meeting_name(meeting: Meeting) -> str:
    """ "Chefforum 3. februar 2022"."""
    return f"{meeting.body.name} {format_date_da(meeting.date)}"


def decision_text(agenda_item: AgendaItem) -> str:
    """What the meeting decided on an item: its decision section, else its notes."""
    sections = agenda_item.sections if isinstance(agenda_item.sections, dict) else {}
    for name, text in sections.items():
        if name.startswith("Beslutning") and str(text).strip():
            return " ".join(str(text).split())
    meeting_text = agenda_item.meeting.text if agenda_item.text_start is not None else ""
    body = meeting_text[agenda_item.text_start:agenda_item.text_end] if meeting_text else ""
    return " ".join(body.split())[:_QUOTE_LIMIT]


# -- finding links -------------------------------------------------------------------------------


def _standing_case_numbers(meeting_ids: set[int]) -> set[tuple[int, str]]:
    """(meeting, case number) pairs used by more than one item of a meeting: standing items, not cases."""
    rows = (
        AgendaItem.objects.filter(meeting_id__in=meeting_ids).exclude(case_number="")
        .values("meeting_id", "case_number").annotate(n=Count("pk")).filter(n__gt=1)
    )
    return {(row["meeting_id"], row["case_number"]) for row in rows}


def _names_the_forum(quote: str, meeting: Meeting) -> bool:
    body = meeting.body
    aliases = body.aliases if isinstance(body.aliases, list) else []
    names = [n for n in (body.name, body.abbreviation, *aliases) if isinstance(n, str) and n.strip()]
    pattern = r"\b(?:" + "|".join(re.escape(n) for n in names) + r")\b|møde" if names else r"møde"
    return re.search(pattern, quote, re.IGNORECASE) is not None


def _next_meeting_after(meeting: Meeting) -> Meeting | None:
    return Meeting.objects.filter(body_id=meeting.body_id, date__gt=meeting.date).order_by("date").first()


def _previous_meeting_date(meeting: Meeting) -> dt.date | None:
    previous = Meeting.objects.filter(body_id=meeting.body_id, date__lt=meeting.date).order_by("-date").first()
    return previous.date if previous else None


def meeting_link_followups(*, meeting: Meeting, by: Actor = None) -> LinkResult:
    """Link the forum's earlier follow-ups to this meeting and propose the next-meeting follow-ups.

    Idempotent: a re-import (or a corrected file) finds the same links; a link
    the secretary already answered is never asked again, and a still-open
    question that no longer applies to the corrected minutes is withdrawn.
    """
    result = LinkResult()
    agenda = [a for a in meeting.agenda_items.all() if not a.closed]
    standing_here = _standing_case_numbers({meeting.pk})
    by_case = {
        a.case_number: a for a in agenda
        if a.case_number and (meeting.pk, a.case_number) not in standing_here
    }
    earlier = (
        ActionItem.objects.filter(body_id=meeting.body_id, source_item__meeting__date__lt=meeting.date)
        .exclude(source_item__closed=True)
        .select_related("source_item")
    )
    wanted: dict[int, tuple[ActionItem, AgendaItem | None, str]] = {}

    # 1. The same case on the new agenda.
    if by_case:
        same_case = list(earlier.filter(status=ActionItem.Status.OPEN, source_item__case_number__in=by_case))
        standing_there = _standing_case_numbers({i.source_item.meeting_id for i in same_case})
        for item in same_case:
            if (item.source_item.meeting_id, item.source_item.case_number) not in standing_there:
                wanted[item.pk] = (item, by_case[item.source_item.case_number], Reason.CASE_NUMBER)

    # 2. Scheduled for this meeting.
    scheduled = earlier.filter(
        status=ActionItem.Status.OPEN, due_date=meeting.date, precision=ActionItem.Precision.DAY
    )
    for item in scheduled:
        if item.pk not in wanted and _names_the_forum(item.quote, meeting):
            wanted[item.pk] = (item, by_case.get(item.source_item.case_number), Reason.SCHEDULED)

    # 3. Waiting for the next meeting, which this is.
    previous = _previous_meeting_date(meeting)
    waiting = earlier.filter(
        Q(due_date__isnull=True, precision=ActionItem.Precision.RELATIVE)
        | Q(links__meeting=meeting, links__reason=Reason.POSTPONED),
        status__in=(ActionItem.Status.OPEN, ActionItem.Status.PROPOSED),
    ).distinct()
    if previous is not None:
        waiting = waiting.filter(source_item__meeting__date__gte=previous)
    for item in waiting:
        if item.due_date is None:
            services.action_item_update(
                item=item, by=by, due_date=meeting.date, precision=ActionItem.Precision.DAY,
                reason=_("Næste møde: %(meeting)s") % {"meeting": meeting_name(meeting)},
            )
        if item.status == ActionItem.Status.OPEN:
            target = by_case.get(item.source_item.case_number) or _same_title(agenda, item.source_item)
            wanted[item.pk] = (item, target, Reason.POSTPONED)

    result.linked = _save_links(meeting, wanted)
    result.next_meeting = _propose_next_meeting(meeting, agenda, by=by)
    return result


def _same_title(agenda: list[AgendaItem], source: AgendaItem) -> AgendaItem | None:
    key = " ".join(source.title.split()).casefold()
    return next((a for a in agenda if " ".join(a.title.split()).casefold() == key), None)


def _proposal_for(agenda_item: AgendaItem | None) -> str:
    """Close when the meeting dealt with the case; otherwise the deadline needs a new date."""
    if agenda_item is not None and agenda_item.outcome not in DEFERRED:
        return Proposal.CLOSE
    return Proposal.UPDATE


def _save_links(meeting: Meeting, wanted: dict[int, tuple[ActionItem, AgendaItem | None, str]]) -> list[ActionItemLink]:
    existing = {link.item_id: link for link in ActionItemLink.objects.filter(meeting=meeting)}
    saved = []
    new = []
    for item_pk, (item, agenda_item, reason) in wanted.items():
        link = existing.pop(item_pk, None)
        proposal = _proposal_for(agenda_item)
        if link is None:
            link = ActionItemLink(item=item, meeting=meeting, agenda_item=agenda_item, reason=reason, proposal=proposal)
            new.append(link)
        elif link.status == ActionItemLink.Status.PROPOSED and (
            (link.agenda_item_id, link.reason, link.proposal) != (getattr(agenda_item, "pk", None), reason, proposal)
        ):
            link.agenda_item, link.reason, link.proposal = agenda_item, reason, proposal
            link.save(update_fields=["agenda_item", "reason", "proposal"])
        saved.append(link)
    ActionItemLink.objects.bulk_create(new)  # one statement for a meeting's new links
    # A corrected file may no longer discuss a case: its unanswered question goes away.
    stale = [link.pk for link in existing.values() if link.status == ActionItemLink.Status.PROPOSED]
    if stale:
        ActionItemLink.objects.filter(pk__in=stale).delete()
    return saved


def _propose_next_meeting(meeting: Meeting, agenda: list[AgendaItem], *, by: Actor) -> list[ActionItem]:
    """A postponed or withdrawn item becomes a proposal to treat it at the forum's next meeting."""
    deferred = [a for a in agenda if a.outcome in DEFERRED and a.text_start is not None]
    if not deferred:
        return []
    # Imported late, after the next meeting: its date is known already.
    following = _next_meeting_after(meeting)
    covered = {}
    for item in ActionItem.objects.filter(source_item__in=deferred).exclude(quote_start=None):
        covered.setdefault(item.source_item_id, []).append((item.quote_start, item.quote_end))
    proposals = []
    for agenda_item in deferred:
        span = _deferral_span(meeting.text, agenda_item)
        if span is None:
            continue
        start, end = span
        if any(s < end and start < e for s, e in covered.get(agenda_item.pk, ())):
            continue  # proposed already (on an earlier import, or by the parser itself)
        proposals.append(
            services.Proposal(
                body=meeting.body,
                title=NEXT_MEETING_PREFIX + agenda_item.title,
                source_item=agenda_item,
                quote=meeting.text[start:end],
                quote_start=start,
                quote_end=end,
                section="Beslutning",
                due_date=following.date if following else None,
                precision=ActionItem.Precision.DAY if following else ActionItem.Precision.RELATIVE,
            )
        )
    return services.action_items_propose(proposals, by=by) if proposals else []


def _deferral_span(text: str, agenda_item: AgendaItem) -> tuple[int, int] | None:
    """Where the item's decision says it was postponed ("Udgik.", "Sagen blev udskudt …")."""
    decision = decision_text(agenda_item)
    match = _DEFERRAL_SENTENCE.search(decision)
    sentence = (match.group(0) if match else decision).strip()
    if not sentence:
        return None
    start, end = agenda_item.text_start, agenda_item.text_end
    words = sentence.split()
    pattern = re.compile(r"\s+".join(re.escape(w) for w in words))
    # The decision comes last in an item: the last occurrence is the decision, not the background.
    found = list(pattern.finditer(text, start, end))
    if not found:
        return None
    return found[-1].start(), found[-1].end()


# -- the secretary's answer ----------------------------------------------------------------------


def _decide(link: ActionItemLink, *, status: str, by: Actor) -> ActionItemLink:
    link.status = status
    link.decided_by = by if by is not None and by.is_authenticated else None
    link.decided_at = timezone.now()
    link.save(update_fields=["status", "decided_by", "decided_at"])
    return link


def _lock_open(link: ActionItemLink) -> ActionItemLink:
    locked = ActionItemLink.objects.select_for_update().select_related("meeting__body", "item").get(pk=link.pk)
    if locked.status != ActionItemLink.Status.PROPOSED:
        raise ValidationError(_("Forslaget er allerede behandlet."))
    return locked


@transaction.atomic
def action_item_link_close(
    *, link: ActionItemLink, by: Actor, comment: str = "", expected_version: int | None = None
) -> ActionItemLink:
    """The follow-up was dealt with at the later meeting: complete it, saying where."""
    link = _lock_open(link)
    note = _("Afsluttet på %(meeting)s.") % {"meeting": meeting_name(link.meeting)}
    services.action_item_complete(
        item=link.item, by=by, comment=f"{note} {comment.strip()}".strip(), expected_version=expected_version
    )
    return _decide(link, status=ActionItemLink.Status.ACCEPTED, by=by)


@transaction.atomic
def action_item_link_update(
    *, link: ActionItemLink, by: Actor, due_date: dt.date, expected_version: int | None = None
) -> ActionItemLink:
    """The later meeting moved the deadline."""
    link = _lock_open(link)
    services.action_item_update(
        item=link.item, by=by, expected_version=expected_version, due_date=due_date,
        precision=ActionItem.Precision.DAY,
        reason=_("Drøftet på %(meeting)s.") % {"meeting": meeting_name(link.meeting)},
    )
    return _decide(link, status=ActionItemLink.Status.ACCEPTED, by=by)


@transaction.atomic
def action_item_link_dismiss(*, link: ActionItemLink, by: Actor) -> ActionItemLink:
    """Keep the follow-up as it is; the history says it was seen at the later meeting."""
    link = _lock_open(link)
    services.action_item_comment(
        item=link.item, by=by,
        comment=_("Drøftet på %(meeting)s; beholdt uændret.") % {"meeting": meeting_name(link.meeting)},
    )
    return _decide(link, status=ActionItemLink.Status.DISMISSED, by=by)
