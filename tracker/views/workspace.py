"""The chef's start page, "Mine opgaver"."""
from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET

from tracker import access, selectors
from tracker.models import ActionItem


@require_GET
def home(request: HttpRequest) -> HttpResponse:
    if request.user.is_authenticated:
        return redirect("tracker:my_items")
    return redirect("login")


@require_GET
@login_required
def my_items(request: HttpRequest) -> HttpResponse:
    today = access.local_today()
    mine = selectors.my_items(user=request.user, today=today)
    return render(request, "tracker/my_items.html", {
        "mine": mine,
        "today": today,
        "sections": [
            ("overdue", mine.overdue),
            ("this_week", mine.this_week),
            ("later", mine.later),
            ("undated", mine.undated),
        ],
        "has_person": access.person_for(request.user) is not None,
        "bodies": access.visible_bodies(request.user).order_by("name"),
        "just_done": _just_completed(request),
    })


def _just_completed(request: HttpRequest) -> ActionItem | None:
    """The item named by ?udfoert=<pk> after "Udført" without JavaScript, so it can be undone."""
    pk = request.GET.get("udfoert", "")
    if not pk.isdigit():
        return None
    item = access.visible_items(request.user).filter(pk=pk, status=ActionItem.Status.DONE).first()
    if item is None or not access.can_change_status(request.user, item):
        return None
    return item
