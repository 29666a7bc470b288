"""Follow-up sheets: export the filtered list as CSV or Excel, import a sheet (secretaries).

Import is two steps: the uploaded file is checked and the report shown with
nothing written; the secretary then imports (all rows, or the valid ones
alone). Between the steps the file waits in the session, so it is not uploaded
twice.
"""
from __future__ import annotations

import base64
import secrets

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse, StreamingHttpResponse
from django.shortcuts import redirect, render
from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods

from minutes.models import Body
from tracker import access, exports, selectors
from tracker.filters import ActionItemFilter

SESSION_KEY = "tracker_sheet_import"
XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@login_required
def export(request: HttpRequest, fmt: str) -> HttpResponse:
    """The list the user is looking at ("Alle opfølgninger" with the same filters), as a sheet."""
    today = access.local_today()
    filterset = ActionItemFilter(
        request.GET or None, queryset=selectors.item_list_queryset(user=request.user), request=request, today=today
    )
    if filterset.is_bound and not filterset.is_valid():
        return HttpResponse(
            _("Filtrene er ugyldige: %(errors)s") % {"errors": "; ".join(
                f"{name}: {' '.join(errors)}" for name, errors in filterset.errors.items()
            )},
            status=400, content_type="text/plain; charset=utf-8",
        )
    body = filterset.form.cleaned_data.get("body") if filterset.is_bound else None
    filename = f"opfoelgninger-{body.slug if body else 'alle'}-{today.isoformat()}.{fmt}"
    rows = exports.sheet_rows(filterset.qs)
    if fmt == "csv":
        response = StreamingHttpResponse(exports.csv_chunks(rows), content_type="text/csv; charset=utf-8")
    else:
        response = HttpResponse(exports.write_xlsx(rows), content_type=XLSX_TYPE)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["Cache-Control"] = "private, no-store"
    return response


class SheetUploadForm(forms.Form):
    file = forms.FileField(
        label=gettext_lazy("Opfølgningsark"),
        help_text=gettext_lazy("Excel (.xlsx) eller CSV, med kolonneoverskrifter som i en eksport."),
        widget=forms.ClearableFileInput(attrs={"accept": ".xlsx,.csv,.txt"}),
    )
    body = forms.ModelChoiceField(
        queryset=Body.objects.none(), required=False, label=gettext_lazy("Forum for rækker uden forum"),
        empty_label=gettext_lazy("Ingen – rækkerne angiver selv forum"),
    )

    def __init__(self, *args: object, user: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)
        bodies = access.editable_bodies(user).order_by("name")
        self.fields["body"].queryset = bodies
        if len(bodies) == 1:
            self.fields["body"].initial = bodies[0].pk


def _item_list_url() -> str:
    try:
        return reverse("tracker:item_list")
    except NoReverseMatch:
        return reverse("tracker:home")


def _stored(request: HttpRequest) -> dict | None:
    stored = request.session.get(SESSION_KEY)
    if not stored or stored.get("token") != request.POST.get("token"):
        return None
    return stored


def _default_body(request: HttpRequest, body_id: int | None) -> Body | None:
    if body_id is None:
        return None
    return access.editable_bodies(request.user).filter(pk=body_id).first()


@login_required
@require_http_methods(["GET", "POST"])
def sheet_import(request: HttpRequest) -> HttpResponse:
    if not access.is_secretary(request.user):
        raise PermissionDenied
    context: dict[str, object] = {"columns": exports.COLUMNS, "max_rows": exports.MAX_SHEET_ROWS}
    if request.method == "GET" or request.POST.get("step") == "upload":
        form = SheetUploadForm(request.POST or None, request.FILES or None, user=request.user)
        if request.method == "POST" and form.is_valid():
            upload = form.cleaned_data["file"]
            data = upload.read(exports.MAX_SHEET_BYTES + 1)
            try:
                rows = exports.read_sheet(data, upload.name)
            except exports.SheetError as error:
                form.add_error("file", str(error))
            else:
                body = form.cleaned_data["body"]
                report = exports.check_sheet(user=request.user, rows=rows, default_body=body)
                token = secrets.token_urlsafe(16)
                request.session[SESSION_KEY] = {
                    "token": token, "name": upload.name, "body": body.pk if body else None,
                    "data": base64.b64encode(data).decode(),
                }
                context.update(report=report, token=token, filename=upload.name)
                return render(request, "tracker/exports/sheet_report.html", context)
        context["form"] = form
        return render(request, "tracker/exports/sheet_import.html", context)

    stored = _stored(request)
    if stored is None:
        messages.error(request, _("Arket er ikke længere gemt. Vælg filen igen."))
        return redirect("tracker:sheet_import")
    rows = exports.read_sheet(base64.b64decode(stored["data"]), stored["name"])
    report = exports.followup_sheet_import(
        by=request.user, rows=rows, default_body=_default_body(request, stored["body"]),
        only_valid=request.POST.get("only_valid") == "1",
    )
    if not report.written:
        messages.error(request, _("Intet er importeret: rettelser kræves i de rækker, der er markeret med fejl."))
        context.update(report=report, token=stored["token"], filename=stored["name"])
        return render(request, "tracker/exports/sheet_report.html", context)
    del request.session[SESSION_KEY]
    messages.success(
        request,
        _("Arket er importeret: %(created)d nye, %(updated)d opdaterede, %(unchanged)d uændrede, "
          "%(skipped)d rækker sprunget over.")
        % {"created": report.created, "updated": report.updated, "unchanged": report.unchanged,
           "skipped": len(report.invalid_rows)},
    )
    return redirect(_item_list_url())
