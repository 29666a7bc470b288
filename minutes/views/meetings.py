"""Meetings: the list per forum and a meeting's page with its items, decisions and follow-ups."""
from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.views.decorators.http import require_GET

from minutes.highlight import Span, find_span, highlight_spans
from minutes.search import highlight_words
from minutes.models import AgendaItem, Meeting
from tracker import access, selectors
from tracker.models import ActionItem

PAGE_SIZE = 30
DECISION = "Beslutning"


@require_GET
@login_required
def meeting_list(request: HttpRequest) -> HttpResponse:
    bodies = list(access.visible_bodies(request.user).order_by("name"))
    chosen = next((b for b in bodies if b.slug == request.GET.get("forum")), None)
    meetings = selectors.meeting_list(user=request.user, body=chosen)
    page = Paginator(meetings, PAGE_SIZE).get_page(request.GET.get("page"))
    _annotate_secretary(request, page.object_list)
    return render(request, "minutes/meeting_list.html", {"bodies": bodies, "chosen": chosen, "page": page})


@require_GET
@login_required
def meeting_detail(request: HttpRequest, pk: int) -> HttpResponse:
    meeting = get_object_or_404(access.visible_meetings(request.user).select_related("body"), pk=pk)
    today = access.local_today()
    agenda = selectors.meeting_agenda(user=request.user, meeting=meeting, today=today)
    focus = request.GET.get("opfoelgning", "")
    focus_pk = int(focus) if focus.isdigit() else None
    entries = [_entry(meeting, entry, focus_pk) for entry in agenda]
    return render(request, "minutes/meeting_detail.html", {
        "meeting": meeting,
        "entries": entries,
        "today": today,
        "focus_pk": focus_pk,
        "is_secretary": access.is_secretary(request.user, meeting.body),
        "followup_count": sum(len(e["followups"]) for e in entries),
        # Arriving from the search page (?q=…): the words to mark on the page.
        "search_words": highlight_words(user=request.user, meeting=meeting, text=request.GET.get("q", "")),
    })


def quote_spans(items: list[ActionItem], *, focus_pk: int | None = None, with_ids: bool = True) -> list[Span]:
    """A <mark> per follow-up sentence, linked to the follow-up; the one the user came from stands out."""
    spans = []
    for item in items:
        if item.quote_start is None or item.quote_end is None:
            continue
        focused = item.pk == focus_pk
        spans.append(Span(
            start=item.quote_start, end=item.quote_end, id=f"citat-{item.pk}" if with_ids else "",
            css_class="quote-mark is-focus" if focused else "quote-mark",
            title=item.title, data={"item": str(item.pk), "status": item.status},
        ))
    return spans


def _entry(meeting: Meeting, entry: selectors.AgendaEntry, focus_pk: int | None) -> dict[str, object]:
    """What the template shows of one agenda item; a closed item shows its number and nothing else.

    The decision is shown on its own and again inside the item's full text; a
    sentence gets its anchor (``#citat-<pk>``) where it is seen first: in the
    decision when it lies there, in the full text otherwise.
    """
    agenda_item: AgendaItem = entry.agenda_item
    result: dict[str, object] = {
        "agenda_item": agenda_item,
        "followups": entry.followups,
        "decision": "",
        "text": "",
        "open_text": False,
    }
    if agenda_item.closed:
        return result
    quoted = [i for i in entry.followups if i.show_quote and i.quote_start is not None and i.quote_end is not None]
    start, end = agenda_item.text_start, agenda_item.text_end
    decision = next((text for name, text in (agenda_item.sections or {}).items() if name.startswith(DECISION)), "")
    located = find_span(meeting.text, decision, start=start or 0, end=end) if decision else None
    in_decision = [i for i in quoted if located and located[0] <= i.quote_start and i.quote_end <= located[1]]
    elsewhere = [i for i in quoted if i not in in_decision]
    if located:
        result["decision"] = highlight_spans(
            meeting.text[located[0]:located[1]], quote_spans(in_decision, focus_pk=focus_pk), offset=located[0]
        )
    elif decision:
        result["decision"] = highlight_spans(decision, [])
    if start is not None and end is not None and start <= end <= len(meeting.text):
        spans = quote_spans(elsewhere, focus_pk=focus_pk) + quote_spans(in_decision, focus_pk=focus_pk, with_ids=False)
        result["text"] = highlight_spans(meeting.text[start:end], spans, offset=start)
        result["open_text"] = any(i.pk == focus_pk for i in elsewhere)
    return result


def _annotate_secretary(request: HttpRequest, meetings: list[Meeting]) -> None:
    for meeting in meetings:
        meeting.show_proposed = access.is_secretary(request.user, meeting.body_id)
