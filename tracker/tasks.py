"""Celery tasks: thin wrappers that call the services (the beat schedule is in config/settings.py)."""
from __future__ import annotations

from celery import shared_task

from tracker.reminders import digests_plan
from tracker.sending import reminders_send_due


@shared_task(ignore_result=True)
def send_due_reminders() -> str:
    """Every minute: send what is due in the outbox."""
    return str(reminders_send_due())


@shared_task(ignore_result=True)
def plan_weekly_digests() -> int:
    """Monday morning: queue each person's weekly digest."""
    return digests_plan()
