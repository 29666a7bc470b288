"""Search across all minutes, and each forum's decisions register (with its CSV export)."""
from __future__ import annotations

from typing import Any

from django import forms
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse, StreamingHttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET

from minutes import register, search
from minutes.models import AgendaItem, Body
from tracker import access

REGISTER_PAGE_SIZE = 50
SEARCHABLE_OUTCOMES = [(v, label) for v, label in AgendaItem.Outcome.choices if v != AgendaItem.Outcome.CLOSED]


class SearchForm(forms.Form):
    """The filters of the search page and of a decisions register, kept in the URL."""

    q = forms.CharField(
        label=gettext_lazy("Søg efter"), required=False, max_length=200,
        widget=forms.TextInput(attrs={
            "type": "search", "autocomplete": "off",
            "placeholder": gettext_lazy("fx kommissorier, “sundhedspuljen” eller 00.01.00-P10-2-21"),
        }),
    )
    forum = forms.ChoiceField(label=gettext_lazy("Forum"), required=False)
    date_from = forms.DateField(label=gettext_lazy("Møder fra"), required=False,
                                widget=forms.DateInput(attrs={"type": "date"}))
    date_to = forms.DateField(label=gettext_lazy("Møder til"), required=False,
                              widget=forms.DateInput(attrs={"type": "date"}))
    outcome = forms.MultipleChoiceField(
        label=gettext_lazy("Udfald"), required=False, choices=SEARCHABLE_OUTCOMES,
        widget=forms.CheckboxSelectMultiple,
    )
    open_followups = forms.BooleanField(label=gettext_lazy("Kun punkter med åbne opfølgninger"), required=False)
    case_number = forms.CharField(
        label=gettext_lazy("Sagsnummer"), required=False, max_length=60,
        widget=forms.TextInput(attrs={"placeholder": "22/23184", "autocomplete": "off"}),
    )
    sort = forms.ChoiceField(
        label=gettext_lazy("Sortering"), required=False,
        choices=[(search.Sort.RELEVANCE, gettext_lazy("Bedste match")), (search.Sort.NEWEST, gettext_lazy("Nyeste først")),
                 (search.Sort.OLDEST, gettext_lazy("Ældste først"))],
    )

    def __init__(self, *args: Any, bodies: list[Body], fixed_body: Body | None = None,
                 **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.label_suffix = ""
        self.bodies = {b.slug: b for b in bodies}
        self.fixed_body = fixed_body
        if fixed_body is None:
            self.fields["forum"].choices = [("", _("Alle fora"))] + [(b.slug, b.name) for b in bodies]
        else:
            del self.fields["forum"]
            # The register lists closed items too (by number only): they can be picked by outcome.
            self.fields["outcome"].choices = AgendaItem.Outcome.choices
            # A register reads newest first; best match is for when something is searched for.
            relevance, newest, oldest = self.fields["sort"].choices
            self.fields["sort"].choices = [newest, oldest, relevance]

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        if data.get("date_from") and data.get("date_to") and data["date_from"] > data["date_to"]:
            self.add_error("date_to", _("Til-datoen ligger før fra-datoen."))
        return data

    def criteria(self) -> search.Criteria:
        data = self.cleaned_data
        if self.fixed_body is not None:
            body_ids = (self.fixed_body.pk,)
        else:
            chosen = self.bodies.get(data.get("forum") or "")
            body_ids = (chosen.pk,) if chosen else ()
        return search.Criteria(
            query=search.parse_query(data.get("q") or ""),
            body_ids=body_ids,
            date_from=data.get("date_from"),
            date_to=data.get("date_to"),
            outcomes=tuple(data.get("outcome") or ()),
            open_followups=bool(data.get("open_followups")),
            case_number=(data.get("case_number") or "").strip(),
            list_closed=self.fixed_body is not None,
        )


@require_GET
@login_required
def search_page(request: HttpRequest) -> HttpResponse:
    bodies = list(access.visible_bodies(request.user).order_by("name"))
    form = SearchForm(request.GET or None, bodies=bodies)
    results = None
    if form.is_bound and form.is_valid():
        criteria = form.criteria()
        if not criteria.is_blank:
            results = search.search(
                user=request.user, criteria=criteria, sort=form.cleaned_data.get("sort") or search.Sort.RELEVANCE,
                page=request.GET.get("page"),
            )
    return render(request, "minutes/search.html", {
        "form": form,
        "results": results,
        "bodies": bodies,
        "full_text": search.is_full_text(),
        "q": _query_text(form),
    })


def _query_text(form: SearchForm) -> str:
    """What was searched for, to mark in the results."""
    return form.cleaned_data.get("q", "") if form.is_bound and form.is_valid() else ""


def _register_criteria(form: SearchForm, body: Body) -> tuple[search.Criteria, str]:
    """The register as filtered (a valid bound form), or the whole of it, newest first."""
    if form.is_bound:
        return form.criteria(), form.cleaned_data.get("sort") or search.Sort.NEWEST
    return search.Criteria(body_ids=(body.pk,), list_closed=True), search.Sort.NEWEST


def _register_body(request: HttpRequest, slug: str) -> Body:
    body = access.visible_bodies(request.user).filter(slug=slug).first()
    if body is None:
        raise Http404
    return body


@require_GET
@login_required
def decisions(request: HttpRequest, slug: str) -> HttpResponse:
    """A forum's decisions register: every agenda item with its date, outcome, decision and follow-ups."""
    body = _register_body(request, slug)
    form = SearchForm(request.GET or None, bodies=[body], fixed_body=body)
    results = None
    if not form.is_bound or form.is_valid():
        criteria, sort = _register_criteria(form, body)
        results = search.search(user=request.user, criteria=criteria, sort=sort, page=request.GET.get("page"),
                                per_page=REGISTER_PAGE_SIZE, full_decision=True)
    return render(request, "minutes/search_register.html", {
        "body": body,
        "form": form,
        "results": results,
        "full_text": search.is_full_text(),
        "q": _query_text(form),
    })


@require_GET
@login_required
def decisions_csv(request: HttpRequest, slug: str) -> HttpResponse:
    """The register as the user filtered it, as a CSV file for Excel."""
    body = _register_body(request, slug)
    form = SearchForm(request.GET or None, bodies=[body], fixed_body=body)
    if form.is_bound and not form.is_valid():
        return HttpResponse(
            _("Filtrene er ugyldige: %(errors)s") % {"errors": "; ".join(
                " ".join(errors) for errors in form.errors.values())},
            status=400, content_type="text/plain; charset=utf-8",
        )
    criteria, sort = _register_criteria(form, body)
    rows = register.register_rows(user=request.user, criteria=criteria, sort=sort)
    response = StreamingHttpResponse(register.csv_chunks(rows), content_type="text/csv; charset=utf-8")
    filename = f"beslutninger-{body.slug}-{access.local_today().isoformat()}.csv"
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["Cache-Control"] = "private, no-store"
    return response
