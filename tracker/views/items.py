"""“Alle opfølgninger”, the item page and the item actions.

Every action is an ordinary form POST that redirects (works without
JavaScript); sent by htmx it answers with the fragment that changed instead.
Changes go through ``tracker.services``; each form carries the version the user
saw, so a change made meanwhile by somebody else gives a clear message (409)
rather than being overwritten.
"""
from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.cache import patch_vary_headers
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from tracker import access, selectors, services
from tracker.filters import ActionItemFilter
from tracker.forms import CancelForm, CommentForm, CompleteForm, DueDateForm, ReassignForm, ReopenForm, VersionedForm
from tracker.models import ActionItem

PAGE_SIZE = 25
# The filters always in view; the rest fold away until used.
MAIN_FILTERS = ("status", "body", "role", "person")
MORE_FILTERS = ("due_from", "due_to", "precision", "meeting", "sort")


# -- Alle opfølgninger -----------------------------------------------------------------------------


@require_GET
@login_required
def item_list(request: HttpRequest) -> HttpResponse:
    today = access.local_today()
    if not request.GET:
        # The plain menu link shows what is still to do, with the filter in the URL like any other.
        return redirect(f"{reverse('tracker:item_list')}?status={ActionItem.Status.OPEN}")
    data = request.GET
    filterset = ActionItemFilter(
        data, queryset=selectors.item_list_queryset(user=request.user), request=request, today=today
    )
    page = None
    if filterset.is_valid():
        page = selectors.item_page(queryset=filterset.qs, number=request.GET.get("page"), per_page=PAGE_SIZE)
        selectors.annotate_permissions(user=request.user, items=page.object_list)
        for item in page.object_list:
            item.days_overdue = selectors.days_overdue(item, today)
    context = {
        "filter": filterset, "page": page, "today": today,
        "sort": data.get("sort") or "due",
        "main_filters": MAIN_FILTERS, "more_filters": MORE_FILTERS,
        "more_filters_used": any(data.get(name) for name in MORE_FILTERS if name != "sort"),
    }
    if request.htmx and request.htmx.target == "results":
        response = render(request, "tracker/_item_results.html", context)
    else:
        response = render(request, "tracker/item_list.html", context, status=200 if page is not None else 400)
    patch_vary_headers(response, ("HX-Request",))
    return response


# -- The item page ---------------------------------------------------------------------------------


@require_GET
@login_required
def item_detail(request: HttpRequest, pk: int) -> HttpResponse:
    item = access.get_item_for_user(request.user, pk)
    return _render_item(request, item)


def _item_context(
    request: HttpRequest, item: ActionItem, *, bound: VersionedForm | None = None, error: str = "",
    notice: str = "",
) -> dict[str, Any]:
    today = access.local_today()
    selectors.annotate_permissions(user=request.user, items=[item])
    item.days_overdue = selectors.days_overdue(item, today)
    forms: dict[str, VersionedForm] = {}
    if item.can_change:
        if item.status == ActionItem.Status.OPEN:
            forms["complete"] = CompleteForm(item=item)
        if item.status in (ActionItem.Status.DONE, ActionItem.Status.CANCELLED):
            forms["reopen"] = ReopenForm(item=item)
        if item.status != ActionItem.Status.REJECTED:
            forms["comment"] = CommentForm(item=item)
    if item.can_edit and item.status in (ActionItem.Status.OPEN, ActionItem.Status.PROPOSED):
        forms["due"] = DueDateForm(item=item)
        forms["reassign"] = ReassignForm(item=item, body=item.body)
        forms["cancel"] = CancelForm(item=item)
    if bound is not None:
        # Show the user's input and its errors in place of the blank form.
        forms[_FORM_NAMES[type(bound)]] = bound
    return {
        "item": item,
        "today": today,
        "events": selectors.item_events(item=item),
        "holders": selectors.role_holders(role=item.responsible_role, today=today),
        "forms": forms,
        "error": error,
        "notice": notice,
    }


def _render_item(request: HttpRequest, item: ActionItem, *, status: int = 200, **kwargs: Any) -> HttpResponse:
    context = _item_context(request, item, **kwargs)
    in_place = bool(request.htmx) and request.htmx.target == "item-panel"
    template = "tracker/_item_panel.html" if in_place else "tracker/item_detail.html"
    return render(request, template, context, status=status)


# -- Item actions ----------------------------------------------------------------------------------

Perform = Callable[[ActionItem, dict[str, Any], Any], ActionItem | object]


def _act(
    request: HttpRequest, pk: int, *, form_class: type[VersionedForm], perform: Perform, done: str,
    for_edit: bool = False,
) -> HttpResponse:
    """Run one action: check access, validate, call the service, answer as page, row or panel."""
    item = access.get_item_for_user(request.user, pk, for_change=not for_edit, for_edit=for_edit)
    extra = {"body": item.body} if form_class is ReassignForm else {}
    form = form_class(request.POST, item=item, **extra)
    error, status = "", 400
    if form.is_valid():
        try:
            perform(item, form.cleaned_data, request.user)
        except services.ConflictError as exc:
            error, status = str(exc.args[0]), 409
            item = access.get_item_for_user(request.user, pk)
            form = None
        except ValidationError as exc:
            error, status = " ".join(exc.messages), 409
            item = access.get_item_for_user(request.user, pk)
            form = None
        else:
            return _after_success(request, pk, done)
    else:
        error = _("Ændringen blev ikke gemt. Ret det markerede og prøv igen.")
    if _targets_row(request, pk):
        return _render_row(request, item, error=error, status=status)
    return _render_item(request, item, status=status, bound=form, error=error)


def _after_success(request: HttpRequest, pk: int, done: str) -> HttpResponse:
    item = access.get_item_for_user(request.user, pk)
    if _targets_row(request, pk):
        return _render_row(request, item)
    if request.htmx and request.htmx.target == "item-panel":
        return _render_item(request, item, notice=done)
    messages.success(request, done)
    return redirect(_next_url(request) or reverse("tracker:item_detail", kwargs={"pk": pk}))


def _targets_row(request: HttpRequest, pk: int) -> bool:
    return bool(request.htmx) and request.htmx.target == f"item-row-{pk}"


def _render_row(request: HttpRequest, item: ActionItem, *, error: str = "", status: int = 200) -> HttpResponse:
    """A row of "Mine opgaver": the open item, or the just-completed item with its undo button."""
    today = access.local_today()
    selectors.annotate_permissions(user=request.user, items=[item])
    item.days_overdue = selectors.days_overdue(item, today)
    template = "tracker/_my_item_done.html" if item.status == ActionItem.Status.DONE else "tracker/_my_item_row.html"
    return render(request, template, {"item": item, "today": today, "error": error}, status=status)


def _next_url(request: HttpRequest) -> str | None:
    target = request.POST.get("next", "")
    if target and url_has_allowed_host_and_scheme(target, {request.get_host()}, require_https=request.is_secure()):
        return target
    return None


@require_POST
@login_required
def item_complete(request: HttpRequest, pk: int) -> HttpResponse:
    return _act(
        request, pk, form_class=CompleteForm, done=_("Opfølgningen er markeret som udført."),
        perform=lambda item, data, by: services.action_item_complete(
            item=item, by=by, comment=data["comment"], expected_version=data["expected_version"]
        ),
    )


@require_POST
@login_required
def item_reopen(request: HttpRequest, pk: int) -> HttpResponse:
    return _act(
        request, pk, form_class=ReopenForm, done=_("Opfølgningen er åben igen."),
        perform=lambda item, data, by: services.action_item_reopen(
            item=item, by=by, comment=data["comment"], expected_version=data["expected_version"]
        ),
    )


@require_POST
@login_required
def item_comment(request: HttpRequest, pk: int) -> HttpResponse:
    # A comment adds to the history and overwrites nothing, so it is never refused as a conflict.
    return _act(
        request, pk, form_class=CommentForm, done=_("Kommentaren er gemt."),
        perform=lambda item, data, by: services.action_item_comment(item=item, by=by, comment=data["comment"]),
    )


@require_POST
@login_required
def item_change_due(request: HttpRequest, pk: int) -> HttpResponse:
    return _act(
        request, pk, form_class=DueDateForm, for_edit=True, done=_("Fristen er ændret."),
        perform=lambda item, data, by: services.action_item_update(
            item=item, by=by, due_date=data["due_date"], reason=data["reason"],
            expected_version=data["expected_version"],
        ),
    )


@require_POST
@login_required
def item_reassign(request: HttpRequest, pk: int) -> HttpResponse:
    return _act(
        request, pk, form_class=ReassignForm, for_edit=True, done=_("Opfølgningen har fået ny ansvarlig."),
        perform=lambda item, data, by: services.action_item_update(
            item=item, by=by, responsible_role=data["responsible_role"],
            responsible_person=data["responsible_person"], reason=data["reason"],
            expected_version=data["expected_version"],
        ),
    )


@require_POST
@login_required
def item_cancel(request: HttpRequest, pk: int) -> HttpResponse:
    return _act(
        request, pk, form_class=CancelForm, for_edit=True, done=_("Opfølgningen er annulleret."),
        perform=lambda item, data, by: services.action_item_cancel(
            item=item, by=by, comment=data["comment"], expected_version=data["expected_version"]
        ),
    )


_FORM_NAMES: dict[type[VersionedForm], str] = {
    CompleteForm: "complete", ReopenForm: "reopen", CommentForm: "comment", DueDateForm: "due",
    ReassignForm: "reassign", CancelForm: "cancel",
}
