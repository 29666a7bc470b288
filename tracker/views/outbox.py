"""The secretaries' view of the reminder outbox.

Who gets no reminders because they have no e-mail address, which reminders
are waiting, and which could not be sent (with why), for the forums the user
runs. A failed reminder can be sent again once the cause is fixed.
"""
from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from tracker import access
from tracker.models import Reminder
from tracker.reminders import outbox_rows, outbox_scope, people_without_email, reminder_retry

LIST_LIMIT = 100


@require_GET
@login_required
def outbox(request: HttpRequest) -> HttpResponse:
    if not access.is_secretary(request.user):
        raise PermissionDenied
    bodies = access.editable_bodies(request.user)
    pending = outbox_rows(bodies=bodies, status=Reminder.Status.PENDING).order_by("due_at", "pk")
    failed = outbox_rows(bodies=bodies, status=Reminder.Status.FAILED).order_by("-due_at", "-pk")
    return render(request, "tracker/outbox.html", {
        "bodies": bodies,
        "without_email": people_without_email(bodies=bodies, today=access.local_today()),
        "pending": list(pending[:LIST_LIMIT]),
        "pending_count": pending.count(),
        "failed": list(failed[:LIST_LIMIT]),
        "failed_count": failed.count(),
        "limit": LIST_LIMIT,
    })


@require_POST
@login_required
def outbox_retry(request: HttpRequest, pk: int) -> HttpResponse:
    bodies = access.editable_bodies(request.user)
    reminder = get_object_or_404(outbox_scope(bodies=bodies), pk=pk)
    try:
        reminder_retry(reminder=reminder)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("Påmindelsen sendes igen inden for et minut."))
    return redirect("tracker:outbox")
