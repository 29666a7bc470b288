"""The forum overview: where a forum's follow-ups stand, per role and over time."""
from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.views.decorators.http import require_GET

from tracker import access, selectors


@require_GET
@login_required
def body_overview(request: HttpRequest, slug: str) -> HttpResponse:
    body = get_object_or_404(access.visible_bodies(request.user), slug=slug)
    today = access.local_today()
    overview = selectors.body_overview(user=request.user, body=body, today=today)
    return render(request, "tracker/body_overview.html", {
        "body": body,
        "overview": overview,
        "today": today,
        "is_secretary": access.is_secretary(request.user, body),
        "recent_meetings": selectors.meeting_list(user=request.user, body=body)[:5],
    })
