"""Planning of reminder rows (the outbox) when an item changes.

Called by every service in the same transaction as the change.
"""
from __future__ import annotations

from tracker.models import ActionItem, Reminder


def replan_item_reminders(item: ActionItem) -> None:
    """Cancel the pending reminders of an item that is no longer open."""
    if item.status != ActionItem.Status.OPEN:
        Reminder.objects.filter(item=item, status=Reminder.Status.PENDING).update(status=Reminder.Status.CANCELLED)
