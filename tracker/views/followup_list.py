"""“Opfølgningsliste”: a forum's follow-ups for its next meeting, as a printable page and a Word file."""
from __future__ import annotations

from django import forms
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET

from tracker import access
from tracker.followup_list import FollowupList, build_followup_list, followup_list_docx

DOCX_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


class NextMeetingForm(forms.Form):
    moede = forms.DateField(
        label=gettext_lazy("Næste møde"), required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        help_text=gettext_lazy("Frister til og med denne dag markeres “Frist før mødet”."),
    )


def _followups(request: HttpRequest, slug: str) -> tuple[FollowupList, NextMeetingForm]:
    body = access.visible_bodies(request.user).filter(slug=slug).first()
    if body is None:
        raise Http404
    form = NextMeetingForm(request.GET or None)
    next_meeting = form.cleaned_data["moede"] if form.is_valid() else None
    today = access.local_today()
    return build_followup_list(user=request.user, body=body, today=today, next_meeting=next_meeting), form


@require_GET
@login_required
def followup_list(request: HttpRequest, slug: str) -> HttpResponse:
    followups, form = _followups(request, slug)
    status = 400 if form.is_bound and not form.is_valid() else 200
    return render(
        request, "tracker/followup_list.html", {"followups": followups, "form": form, "body": followups.body},
        status=status,
    )


@require_GET
@login_required
def followup_list_word(request: HttpRequest, slug: str) -> HttpResponse:
    followups, _form = _followups(request, slug)
    response = HttpResponse(followup_list_docx(followups), content_type=DOCX_TYPE)
    day = (followups.next_meeting or followups.today).isoformat()
    response["Content-Disposition"] = f'attachment; filename="opfoelgningsliste-{followups.body.slug}-{day}.docx"'
    response["Cache-Control"] = "private, no-store"
    return response
