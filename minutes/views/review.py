"""The secretary's review of a meeting's proposed follow-ups.

The minutes text on one side with every proposal marked at its sentence, the
proposals on the other. Per proposal: accept, edit (title, deadline and its
precision, role, person) or reject; add a follow-up from a sentence of the
text; accept all that remain. Every change goes through ``tracker.services``.

Above the proposals, "Opfølgninger fra tidligere møder": the forum's earlier
follow-ups that this meeting discussed again (``tracker.links``), each with
its own quote and what this meeting said, to close ("Afslut"), give a new
deadline ("Ret frist") or keep ("Behold").

Everything works as plain forms and links (POST, then back to the page at the
next proposal); ``static/js/review.js`` adds selecting text to add a
follow-up, linking marks and proposals, and j/k to move between proposals.

The people who become responsible hear about it once per meeting: when the
last proposal has been dealt with (or on "accept all"), everybody with newly
confirmed items gets one e-mail listing them; the secretary can also send
the notices earlier with a button.
"""
from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import F, Q, QuerySet
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils.dates import WEEKDAYS
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from django.views.decorators.http import require_GET, require_POST

from minutes.highlight import Span, highlight_spans
from minutes.importing import locate_quote, meeting_label, proposal_title, same_quote
from minutes.models import AgendaItem, Meeting
from tracker import access, links, services
from tracker.localdates import format_date
from tracker.models import (
    ActionItem, ActionItemEvent, ActionItemLink, Membership, Person, Reminder, Role, RoleAssignment,
)
from tracker.reminders import notify_new_assignments
from tracker.resolution import ResponsibleResolver

Precision = ActionItem.Precision
Status = ActionItem.Status
DATE_INPUTS = ["%Y-%m-%d", "%d-%m-%Y", "%d.%m.%Y", "%d/%m/%Y"]


# -- deadlines -------------------------------------------------------------------------------------


def window_start_for(due: dt.date | None, precision: str, current: dt.date | None = None) -> dt.date | None:
    """The start of the window a due date closes, for the precision the secretary chose."""
    if due is None:
        return None
    if precision == Precision.WEEK:
        return due - dt.timedelta(days=min(due.weekday(), 4))
    if precision == Precision.MONTH:
        return due.replace(day=1)
    if precision == Precision.MONTH_PART:
        return due.replace(day=1 if due.day <= 10 else 11 if due.day <= 20 else 21)
    if precision == Precision.QUARTER:
        return dt.date(due.year, 3 * ((due.month - 1) // 3) + 1, 1)
    if precision == Precision.SEASON:
        month = due.month - 2
        return dt.date(due.year if month > 0 else due.year - 1, month if month > 0 else month + 12, 1)
    if precision == Precision.YEAR:
        return dt.date(due.year, 1, 1)
    if precision == Precision.RELATIVE and current is not None and current <= due:
        return current
    return due


def warning_texts(item: ActionItem) -> list[str]:
    """The parser's warnings in words the secretary can act on."""
    texts = []
    for code in item.warnings or ():
        if code == "weekday_mismatch" and item.due_date:
            texts.append(
                _("Ugedagen passer ikke med datoen: %(date)s er en %(weekday)s. Tjek fristen.")
                % {"date": format_date(item.due_date), "weekday": WEEKDAYS[item.due_date.weekday()]}
            )
        elif code == "weekday_mismatch":
            texts.append(_("Ugedagen passer ikke med datoen. Tjek fristen."))
        else:
            texts.append(_("Tjek fristen (%(code)s).") % {"code": code.replace("_", " ")})
    if item.source_missing:
        texts.append(_("Sætningen findes ikke længere i den seneste udgave af referatet."))
    return texts


# -- forms ----------------------------------------------------------------------------------------


def _role_choices(meeting: Meeting) -> QuerySet[Role]:
    return Role.objects.filter(Q(body=meeting.body) | Q(body__isnull=True)).order_by("name")


def _person_choices(meeting: Meeting) -> QuerySet[Person]:
    members = Membership.objects.filter(body=meeting.body).values("person_id")
    return Person.objects.filter(Q(pk__in=members) | Q(name__in=meeting.participants), is_active=True).order_by("name")


class FollowUpFields(forms.Form):
    title = forms.CharField(label=gettext_lazy("Opfølgning"), max_length=500)
    due_date = forms.DateField(
        label=gettext_lazy("Frist"), required=False, input_formats=DATE_INPUTS,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        error_messages={"invalid": gettext_lazy("Skriv datoen som dd-mm-åååå, fx 12-05-2022.")},
    )
    precision = forms.ChoiceField(label=gettext_lazy("Præcision"), choices=Precision.choices)
    responsible_role = forms.ModelChoiceField(
        label=gettext_lazy("Rolle"), queryset=Role.objects.none(), required=False, empty_label=gettext_lazy("— ingen —"),
    )
    responsible_person = forms.ModelChoiceField(
        label=gettext_lazy("Person"), queryset=Person.objects.none(), required=False,
        empty_label=gettext_lazy("— ingen —"),
    )

    def __init__(self, *args: Any, meeting: Meeting, choices: dict[str, list[Any]] | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.meeting = meeting
        self.fields["responsible_role"].queryset = _role_choices(meeting)
        self.fields["responsible_person"].queryset = _person_choices(meeting)
        if choices is not None:
            # One page holds a form per proposal: the options are read once for all of them.
            self.fields["responsible_role"].choices = [("", self.fields["responsible_role"].empty_label), *choices["roles"]]
            self.fields["responsible_person"].choices = [("", self.fields["responsible_person"].empty_label), *choices["people"]]

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        due, precision = data.get("due_date"), data.get("precision")
        if precision == Precision.NONE:
            data["due_date"] = None
        elif due is None and precision == Precision.DAY and "due_date" not in self.errors:
            # No date at all: an undated follow-up.
            data["precision"] = Precision.NONE
        elif due is None and precision not in (None, Precision.RELATIVE) and "due_date" not in self.errors:
            self.add_error("due_date", _("Angiv en frist, eller vælg præcisionen “Uden dato”."))
        return data


class EditForm(FollowUpFields):
    expected_version = forms.IntegerField(widget=forms.HiddenInput, min_value=1)

    def __init__(self, *args: Any, item: ActionItem, **kwargs: Any) -> None:
        kwargs.setdefault("initial", {
            "title": item.title, "due_date": item.due_date, "precision": item.precision,
            "responsible_role": item.responsible_role_id, "responsible_person": item.responsible_person_id,
            "expected_version": item.version,
        })
        kwargs.setdefault("auto_id", f"id_%s_{item.pk}")
        super().__init__(*args, **kwargs)
        self.item = item
        # Somebody outside the forum who was assigned earlier stays selectable.
        if item.responsible_person_id:
            field = self.fields["responsible_person"]
            field.queryset = Person.objects.filter(
                Q(pk__in=field.queryset.values("pk")) | Q(pk=item.responsible_person_id)
            ).order_by("name")
            if kwargs.get("choices") is not None and all(pk != item.responsible_person_id for pk, _label in field.choices):
                field.choices = [*field.choices, (item.responsible_person_id, item.responsible_person.name)]

    def changes(self) -> dict[str, Any]:
        """What the secretary changed, ready for ``action_item_update``.

        A new date with the precision left as it was is read as that exact day.
        """
        data, item = self.cleaned_data, self.item
        precision = data["precision"]
        if data["due_date"] != item.due_date and precision == item.precision and data["due_date"] is not None:
            precision = Precision.DAY
        changes = {
            "title": data["title"],
            "due_date": data["due_date"],
            "precision": precision,
            "window_start": window_start_for(data["due_date"], precision, item.window_start),
            "responsible_role": data["responsible_role"],
            "responsible_person": data["responsible_person"],
        }
        return {k: v for k, v in changes.items() if getattr(item, k) != v}


class AddForm(FollowUpFields):
    """A follow-up the parser missed: the secretary selects (or pastes) its sentence."""

    quote = forms.CharField(
        label=gettext_lazy("Sætningen i referatet"), widget=forms.Textarea(attrs={"rows": 3}),
        help_text=gettext_lazy("Markér sætningen i teksten, eller kopiér den herind."),
        error_messages={"required": gettext_lazy("Markér eller indsæt sætningen fra referatet.")},
    )
    quote_start = forms.IntegerField(widget=forms.HiddenInput, required=False, min_value=0)
    quote_end = forms.IntegerField(widget=forms.HiddenInput, required=False, min_value=0)
    agenda_item = forms.ModelChoiceField(
        label=gettext_lazy("Dagsordenspunkt"), queryset=AgendaItem.objects.none(), required=False,
        empty_label=gettext_lazy("Find det ud fra sætningen"),
    )
    field_order = ["quote", "title", "due_date", "precision", "responsible_role", "responsible_person", "agenda_item"]

    def __init__(self, *args: Any, meeting: Meeting, **kwargs: Any) -> None:
        kwargs.setdefault("initial", {"precision": Precision.DAY})
        kwargs.setdefault("prefix", "ny")
        super().__init__(*args, meeting=meeting, **kwargs)
        self.fields["title"].required = False
        self.fields["title"].help_text = _("Tom: sætningen bliver titlen.")
        self.fields["agenda_item"].queryset = meeting.agenda_items.order_by("number")
        self.fields["agenda_item"].label_from_instance = lambda a: f"{a.number}. {a.display_title}"

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        quote = (data.get("quote") or "").strip()
        if not quote:
            return data
        text = self.meeting.text
        start, end = data.get("quote_start"), data.get("quote_end")
        if start is None or end is None or not same_quote(text[start:end], quote):
            agenda_item = data.get("agenda_item")
            within = (agenda_item.text_start, agenda_item.text_end) if agenda_item and agenda_item.text_start is not None else None
            span = locate_quote(text, quote, near=start, within=within)
            if span is None:
                raise ValidationError(_("Sætningen findes ikke i referatet. Markér den i teksten, eller kopiér den præcist."))
            start, end = span
        # A selection often takes a space or line break on either side with it.
        while start < end and text[start].isspace():
            start += 1
        while end > start and text[end - 1].isspace():
            end -= 1
        data["quote_start"], data["quote_end"], data["quote"] = start, end, text[start:end]
        agenda_item = _agenda_item_at(self.meeting, start) or data.get("agenda_item")
        if agenda_item is None:
            raise ValidationError(_("Sætningen står uden for dagsordenspunkterne. Vælg det punkt, den hører til."))
        data["agenda_item"] = agenda_item
        data["title"] = (data.get("title") or "").strip() or proposal_title(data["quote"])
        return data


def _agenda_item_at(meeting: Meeting, position: int) -> AgendaItem | None:
    return meeting.agenda_items.filter(text_start__lte=position, text_end__gt=position).first()


# -- access ---------------------------------------------------------------------------------------


def _meeting_for_review(request: HttpRequest, pk: int) -> Meeting:
    """Only the forum's secretaries (and administrators) review; everyone else is refused."""
    if not access.is_secretary(request.user):
        raise PermissionDenied
    meeting = get_object_or_404(Meeting.objects.select_related("body"), pk=pk)
    if not access.is_secretary(request.user, meeting.body_id):
        raise PermissionDenied
    return meeting


def _meeting_items(meeting: Meeting) -> QuerySet[ActionItem]:
    return (
        ActionItem.objects.filter(source_item__meeting=meeting)
        .select_related("source_item", "responsible_role", "responsible_person")
        .order_by(F("quote_start").asc(nulls_last=True), "pk")
    )


def _item_for_review(meeting: Meeting, item_pk: int) -> ActionItem:
    return get_object_or_404(_meeting_items(meeting), pk=item_pk)


def _back(meeting: Meeting, anchor: str = "") -> HttpResponseRedirect:
    url = reverse("minutes:review", args=[meeting.pk])
    return HttpResponseRedirect(f"{url}#{anchor}" if anchor else url)


def _next_proposal_anchor(meeting: Meeting, after: ActionItem) -> str:
    """Where the secretary continues: the next proposal in the text, else the first one left."""
    proposals = list(_meeting_items(meeting).filter(status=Status.PROPOSED).values_list("pk", "quote_start"))
    position = after.quote_start if after.quote_start is not None else -1
    later = [pk for pk, start in proposals if start is not None and start > position]
    chosen = later[0] if later else (proposals[0][0] if proposals else None)
    return f"forslag-{chosen}" if chosen else "forslag"


# -- notices --------------------------------------------------------------------------------------


def items_awaiting_notice(meeting: Meeting) -> list[ActionItem]:
    """Open follow-ups of the meeting, confirmed or added in review, whose people have not been told yet."""
    items = list(
        _meeting_items(meeting).filter(status=Status.OPEN)
        .filter(Q(responsible_role__isnull=False) | Q(responsible_person__isnull=False))
        .filter(events__kind__in=[ActionItemEvent.Kind.CONFIRMED, ActionItemEvent.Kind.CREATED])
        .distinct()
    )
    if not items:
        return []
    since = ActionItemEvent.objects.filter(
        item__in=items, kind__in=[ActionItemEvent.Kind.CONFIRMED, ActionItemEvent.Kind.CREATED]
    ).order_by("created_at").values_list("created_at", flat=True).first()
    # Only the notices of the people concerned (their rows are indexed by recipient).
    people = {i.responsible_person_id for i in items if i.responsible_person_id}
    people |= set(
        RoleAssignment.objects.filter(role_id__in={i.responsible_role_id for i in items if i.responsible_role_id})
        .values_list("person_id", flat=True)
    )
    told: set[int] = set()
    notices = Reminder.objects.filter(
        kind=Reminder.Kind.ASSIGNED, recipient_id__in=people, created_at__gte=since
    ).values_list("item_id", "payload")
    for item_id, payload in notices:
        told.update(payload.get("items", []) if isinstance(payload, dict) else [])
        if item_id:
            told.add(item_id)
    return [item for item in items if item.pk not in told]


def notify_review(*, meeting: Meeting, by: AbstractBaseUser, force: bool = False) -> int:
    """Queue one e-mail per newly responsible person for the meeting's confirmed follow-ups.

    Without ``force`` only when no proposal is left, so that confirming one by
    one still ends in one e-mail per person for the whole meeting. Returns how
    many people will be told.
    """
    if not force and _meeting_items(meeting).filter(status=Status.PROPOSED, source_missing=False).exists():
        return 0
    items = items_awaiting_notice(meeting)
    if not items:
        return 0
    return len(notify_new_assignments(items=items, by=by))


def _told(request: HttpRequest, count: int) -> None:
    if count:
        messages.info(request, ngettext(
            "%(n)d ansvarlig får en e-mail om sine nye opfølgninger fra mødet.",
            "%(n)d ansvarlige får hver én e-mail om deres nye opfølgninger fra mødet.", count,
        ) % {"n": count})


# -- pages ----------------------------------------------------------------------------------------


@require_GET
@login_required
def review(request: HttpRequest, pk: int) -> HttpResponse:
    meeting = _meeting_for_review(request, pk)
    return _render_review(request, meeting)


def _render_review(
    request: HttpRequest, meeting: Meeting, *, edit_form: EditForm | None = None, add_form: AddForm | None = None,
    link_form: LinkDueForm | None = None, status: int = 200,
) -> HttpResponse:
    items = list(_meeting_items(meeting))
    proposals = [i for i in items if i.status == Status.PROPOSED]
    decided = [i for i in items if i.status != Status.PROPOSED]
    resolver = ResponsibleResolver.for_meeting(body=meeting.body, participants=meeting.participants)
    choices = {
        "roles": [(r.pk, r.name) for r in _role_choices(meeting)],
        "people": [(p.pk, p.name) for p in _person_choices(meeting)],
    }
    for position, item in enumerate(proposals, start=1):
        item.position = position
        item.warning_texts = warning_texts(item)
        item.title_is_quote = same_quote(item.title, item.quote) or same_quote(item.title, proposal_title(item.quote))
        if edit_form is not None and edit_form.item.pk == item.pk:
            item.form = edit_form
        else:
            item.form = EditForm(item=item, meeting=meeting, choices=choices)
        unresolved = item.responsible_text and not item.responsible_role_id and not item.responsible_person_id
        item.candidates = resolver.resolve(item.responsible_text).candidates if unresolved else ()
    for item in decided:
        item.warning_texts = warning_texts(item) if item.source_missing else []
    spans = [
        Span(
            start=item.quote_start, end=item.quote_end, id=f"citat-{item.pk}",
            css_class=f"review-mark is-{item.status}" + (" is-missing" if item.source_missing else ""),
            title=item.title, data={"item": str(item.pk)},
        )
        for item in items
        # A vanished sentence's old offsets point at whatever is there now: not marked.
        if item.quote_start is not None and item.quote_end is not None and not item.source_missing
        and item.quote_end <= len(meeting.text)
    ]
    counts = {s: sum(1 for i in items if i.status == s) for s in Status.values}
    earlier = meeting_links(meeting)
    if link_form is not None:
        for link in earlier:
            if link.pk == link_form.link.pk:
                link.form = link_form
    context = {
        "meeting": meeting,
        "label": meeting_label(meeting),
        "text_html": highlight_spans(meeting.text, spans),
        "proposals": proposals,
        "decided": decided,
        "counts": counts,
        "acceptable": sum(1 for i in proposals if not i.source_missing),
        "awaiting_notice": len(items_awaiting_notice(meeting)) if proposals else 0,
        "add_form": add_form or AddForm(meeting=meeting, choices=choices),
        "open_edit": edit_form.item.pk if edit_form is not None else None,
        "links": [link for link in earlier if link.status == ActionItemLink.Status.PROPOSED],
        "decided_links": [link for link in earlier if link.status != ActionItemLink.Status.PROPOSED],
        "open_link": link_form.link.pk if link_form is not None else None,
    }
    return render(request, "minutes/review.html", context, status=status)


@require_POST
@login_required
def review_accept(request: HttpRequest, pk: int, item_pk: int) -> HttpResponse:
    return _decide(request, pk, item_pk, services.action_item_confirm, _("Bekræftet: “%(title)s”."))


@require_POST
@login_required
def review_reject(request: HttpRequest, pk: int, item_pk: int) -> HttpResponse:
    return _decide(request, pk, item_pk, services.action_item_reject, _("Afvist: “%(title)s”."))


def _decide(
    request: HttpRequest, pk: int, item_pk: int, service: Callable[..., ActionItem], done: str
) -> HttpResponse:
    """Confirm or reject one proposal, then go on to the next one."""
    meeting = _meeting_for_review(request, pk)
    item = _item_for_review(meeting, item_pk)
    try:
        with transaction.atomic():
            service(item=item, by=request.user, expected_version=_version(request))
            told = notify_review(meeting=meeting, by=request.user)
    except services.ConflictError as error:
        messages.error(request, str(error))
        return _back(meeting, f"forslag-{item.pk}")
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return _back(meeting, f"forslag-{item.pk}")
    messages.success(request, done % {"title": item.title})
    _told(request, told)
    return _back(meeting, _next_proposal_anchor(meeting, item))


@require_POST
@login_required
def review_edit(request: HttpRequest, pk: int, item_pk: int) -> HttpResponse:
    """Save the secretary's corrections; "Gem og bekræft" confirms in the same step."""
    meeting = _meeting_for_review(request, pk)
    item = _item_for_review(meeting, item_pk)
    form = EditForm(request.POST, item=item, meeting=meeting)
    if not form.is_valid():
        return _render_review(request, meeting, edit_form=form, status=400)
    confirm = "confirm" in request.POST
    told = 0
    try:
        with transaction.atomic():
            version = form.cleaned_data["expected_version"]
            changes = form.changes()
            if changes:
                item = services.action_item_update(item=item, by=request.user, expected_version=version, **changes)
                version = item.version
            if confirm and item.status == Status.PROPOSED:
                item = services.action_item_confirm(item=item, by=request.user, expected_version=version)
                told = notify_review(meeting=meeting, by=request.user)
    except services.ConflictError as error:
        messages.error(request, str(error))
        return _back(meeting, f"forslag-{item.pk}")
    except ValidationError as error:
        for message in error.messages:
            form.add_error(None, message)
        return _render_review(request, meeting, edit_form=form, status=400)
    if confirm:
        messages.success(request, _("Rettet og bekræftet: “%(title)s”.") % {"title": item.title})
        _told(request, told)
        return _back(meeting, _next_proposal_anchor(meeting, item))
    messages.success(request, _("Rettelsen er gemt: “%(title)s”.") % {"title": item.title})
    return _back(meeting, f"forslag-{item.pk}")


@require_POST
@login_required
def review_add(request: HttpRequest, pk: int) -> HttpResponse:
    """A follow-up from a sentence the parser did not propose: open at once, kept on every re-import."""
    meeting = _meeting_for_review(request, pk)
    form = AddForm(request.POST, meeting=meeting)
    if not form.is_valid():
        return _render_review(request, meeting, add_form=form, status=400)
    data = form.cleaned_data
    try:
        with transaction.atomic():
            item = services.action_item_create(
                by=request.user, body=meeting.body, title=data["title"], source_item=data["agenda_item"],
                quote=data["quote"], quote_start=data["quote_start"], quote_end=data["quote_end"],
                due_date=data["due_date"], precision=data["precision"],
                window_start=window_start_for(data["due_date"], data["precision"]),
                responsible_role=data["responsible_role"], responsible_person=data["responsible_person"],
            )
            told = notify_review(meeting=meeting, by=request.user)
    except ValidationError as error:
        for message in error.messages:
            form.add_error(None, message)
        return _render_review(request, meeting, add_form=form, status=400)
    messages.success(request, _("Tilføjet: “%(title)s”.") % {"title": item.title})
    _told(request, told)
    return _back(meeting, f"opfoelgning-{item.pk}")


@require_POST
@login_required
def review_accept_all(request: HttpRequest, pk: int) -> HttpResponse:
    """Confirm every proposal still waiting, except those whose sentence has disappeared."""
    meeting = _meeting_for_review(request, pk)
    with transaction.atomic():
        remaining = list(_meeting_items(meeting).filter(status=Status.PROPOSED, source_missing=False))
        for item in remaining:
            services.action_item_confirm(item=item, by=request.user)
        told = notify_review(meeting=meeting, by=request.user, force=True)
    if remaining:
        messages.success(request, ngettext(
            "%(n)d opfølgning er bekræftet.", "%(n)d opfølgninger er bekræftet.", len(remaining)
        ) % {"n": len(remaining)})
    else:
        messages.info(request, _("Der var ingen forslag tilbage at bekræfte."))
    _told(request, told)
    return _back(meeting)


@require_POST
@login_required
def review_notify(request: HttpRequest, pk: int) -> HttpResponse:
    """Tell the responsible people now, without waiting for the last proposal."""
    meeting = _meeting_for_review(request, pk)
    with transaction.atomic():
        told = notify_review(meeting=meeting, by=request.user, force=True)
    if not told:
        messages.info(request, _("Alle ansvarlige har allerede fået besked."))
    _told(request, told)
    return _back(meeting)


def _version(request: HttpRequest) -> int | None:
    value = request.POST.get("expected_version", "")
    return int(value) if value.isdigit() else None


# -- follow-ups from earlier meetings ---------------------------------------------------------------


class LinkDueForm(forms.Form):
    """"Ret frist": the new deadline the later meeting agreed on."""

    due_date = forms.DateField(
        label=gettext_lazy("Ny frist"), input_formats=DATE_INPUTS,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        error_messages={
            "required": gettext_lazy("Angiv den nye frist."),
            "invalid": gettext_lazy("Skriv datoen som dd-mm-åååå, fx 12-05-2022."),
        },
    )
    expected_version = forms.IntegerField(widget=forms.HiddenInput, min_value=1)

    def __init__(self, *args: Any, link: ActionItemLink, **kwargs: Any) -> None:
        kwargs.setdefault("initial", {"due_date": link.item.due_date, "expected_version": link.item.version})
        kwargs.setdefault("auto_id", f"id_%s_link{link.pk}")
        super().__init__(*args, **kwargs)
        self.link = link


def meeting_links(meeting: Meeting) -> list[ActionItemLink]:
    """The earlier follow-ups this meeting discussed again, each with both quotes and its "Ret frist" form."""
    rows = list(
        ActionItemLink.objects.filter(meeting=meeting)
        .select_related(
            "item__source_item__meeting__body", "item__responsible_role", "item__responsible_person",
            "agenda_item__meeting", "decided_by",
        )
        .order_by(F("agenda_item__number").asc(nulls_last=True), "item__due_date", "pk")
    )
    for link in rows:
        source = link.item.source_item
        link.source_label = meeting_label(source.meeting) if source else ""
        link.source_number = source.number if source else None
        link.new_quote = links.decision_text(link.agenda_item) if link.agenda_item else ""
        link.form = LinkDueForm(link=link)
    return rows


def _link_for_review(meeting: Meeting, link_pk: int) -> ActionItemLink:
    return get_object_or_404(ActionItemLink.objects.select_related("item", "meeting__body"), pk=link_pk, meeting=meeting)


def _link_done(request: HttpRequest, meeting: Meeting, message: str) -> HttpResponseRedirect:
    messages.success(request, message)
    return _back(meeting, "tidligere")


@require_POST
@login_required
def review_link_close(request: HttpRequest, pk: int, link_pk: int) -> HttpResponse:
    """"Afslut": the earlier follow-up was dealt with at this meeting."""
    meeting = _meeting_for_review(request, pk)
    link = _link_for_review(meeting, link_pk)
    try:
        links.action_item_link_close(link=link, by=request.user, expected_version=_version(request))
    except services.ConflictError as error:
        messages.error(request, str(error))
        return _back(meeting, f"tidligere-{link.pk}")
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return _back(meeting, f"tidligere-{link.pk}")
    return _link_done(request, meeting, _("Afsluttet: “%(title)s”.") % {"title": link.item.title})


@require_POST
@login_required
def review_link_update(request: HttpRequest, pk: int, link_pk: int) -> HttpResponse:
    """"Ret frist": the meeting agreed on a new deadline for the earlier follow-up."""
    meeting = _meeting_for_review(request, pk)
    link = _link_for_review(meeting, link_pk)
    form = LinkDueForm(request.POST, link=link)
    if not form.is_valid():
        return _render_review(request, meeting, link_form=form, status=400)
    try:
        links.action_item_link_update(
            link=link, by=request.user, due_date=form.cleaned_data["due_date"],
            expected_version=form.cleaned_data["expected_version"],
        )
    except services.ConflictError as error:
        messages.error(request, str(error))
        return _back(meeting, f"tidligere-{link.pk}")
    except ValidationError as error:
        for message in error.messages:
            form.add_error(None, message)
        return _render_review(request, meeting, link_form=form, status=400)
    return _link_done(request, meeting, _("Ny frist for “%(title)s”: %(date)s.") % {
        "title": link.item.title, "date": format_date(form.cleaned_data["due_date"]),
    })


@require_POST
@login_required
def review_link_dismiss(request: HttpRequest, pk: int, link_pk: int) -> HttpResponse:
    """"Behold": the follow-up stays as it is."""
    meeting = _meeting_for_review(request, pk)
    link = _link_for_review(meeting, link_pk)
    try:
        links.action_item_link_dismiss(link=link, by=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return _back(meeting, f"tidligere-{link.pk}")
    return _link_done(request, meeting, _("Beholdt uændret: “%(title)s”.") % {"title": link.item.title})
