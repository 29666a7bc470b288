"""Uploading minutes: several files at once, each imported on its own.

Without JavaScript the form posts all files and the page lists one status
line per file. ``static/js/upload.js`` adds drag and drop and sends the files
one by one (asking for JSON), so each file's status appears as soon as it is
known.
"""
from __future__ import annotations

import os

from django import forms
from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db.models import Count, Q
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods

from minutes.importing import ALLOWED_EXTENSIONS, ImportResult, Status, import_file
from minutes.models import Meeting
from tracker import access
from tracker.models import ActionItem


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    """Several files; each is judged on its own by the importer (an empty one fails alone, not the batch)."""

    def clean(self, data: object, initial: object = None) -> list[UploadedFile]:
        files = [f for f in (data if isinstance(data, (list, tuple)) else [data]) if f]
        if not files and self.required:
            raise ValidationError(self.error_messages["required"], code="required")
        return files


class UploadForm(forms.Form):
    files = MultipleFileField(
        label=gettext_lazy("Referater"),
        widget=MultipleFileInput(attrs={"accept": ",".join(ALLOWED_EXTENSIONS), "multiple": True}),
        help_text=gettext_lazy("Word (.docx), PDF med tekst, .txt eller .md. Du kan vælge flere filer på én gang."),
        error_messages={"required": gettext_lazy("Vælg mindst én fil.")},
    )
    body = forms.ModelChoiceField(
        label=gettext_lazy("Forum"), queryset=None, required=False,
        empty_label=gettext_lazy("Læs forummet i referatet"),
        help_text=gettext_lazy("Vælg kun et forum, hvis referatets overskrift ikke nævner det rigtigt."),
    )

    def __init__(self, *args: object, user: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)
        self.fields["body"].queryset = access.editable_bodies(user).order_by("name")


def _refused(upload: UploadedFile) -> ImportResult | None:
    """Type and size are checked before a byte is read into memory."""
    name = os.path.basename(upload.name or "")
    if not name.lower().endswith(ALLOWED_EXTENSIONS):
        return ImportResult(
            filename=name, status=Status.FAILED, error_code="unsupported_format",
            message=_("Filtypen kan ikke importeres. Brug .docx, .pdf, .txt eller .md."),
        )
    limit = settings.MINUTES_MAX_UPLOAD_BYTES
    if upload.size is not None and upload.size > limit:
        return ImportResult(
            filename=name, status=Status.FAILED, error_code="file_too_large",
            message=_("Filen er for stor (%(size)s MB); grænsen er %(limit)s MB.")
            % {"size": round(upload.size / 1024 / 1024), "limit": limit // 1024 // 1024},
        )
    return None


def _result_row(result: ImportResult) -> dict[str, object]:
    row = result.as_dict()
    row["review_url"] = reverse("minutes:review", args=[result.meeting.pk]) if result.meeting else None
    return row


@login_required
@require_http_methods(["GET", "POST"])
def import_minutes_view(request: HttpRequest) -> HttpResponse:
    if not access.is_secretary(request.user):
        raise PermissionDenied
    wants_json = "application/json" in request.headers.get("Accept", "")
    form = UploadForm(request.POST or None, request.FILES or None, user=request.user)
    results: list[ImportResult] = []
    if request.method == "POST":
        if form.is_valid():
            body = form.cleaned_data["body"]
            for upload in form.cleaned_data["files"]:
                refused = _refused(upload)
                results.append(refused or import_file(
                    data=upload.read(), filename=upload.name or "", body=body, by=request.user
                ))
        elif wants_json:
            errors = [str(e) for error_list in form.errors.values() for e in error_list]
            return JsonResponse({"results": [], "errors": errors}, status=400)
        if wants_json:
            return JsonResponse({"results": [_result_row(r) for r in results]})
    return render(request, "minutes/import.html", {
        "form": form,
        "results": [_result_row(r) for r in results],
        "failed": sum(1 for r in results if not r.ok),
        "waiting": _meetings_waiting_for_review(request),
        "max_mb": settings.MINUTES_MAX_UPLOAD_BYTES // 1024 // 1024,
        "max_bytes": settings.MINUTES_MAX_UPLOAD_BYTES,
        "extensions": ", ".join(ALLOWED_EXTENSIONS),
    }, status=200 if form.is_valid() or request.method == "GET" else 400)


def _meetings_waiting_for_review(request: HttpRequest) -> list[Meeting]:
    """The secretary's meetings that still have proposals nobody has looked at."""
    return list(
        Meeting.objects.filter(body__in=access.editable_bodies(request.user))
        .annotate(pending=Count(
            "agenda_items__action_items",
            filter=Q(agenda_items__action_items__status=ActionItem.Status.PROPOSED),
        ))
        .filter(pending__gt=0)
        .select_related("body")
        .order_by("-date")[:20]
    )
