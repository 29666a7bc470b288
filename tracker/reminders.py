"""Planning of the outbox: which e-mail goes to whom, on which day.

``replan_item_reminders`` is called by every service in ``tracker.services`` in
the same transaction as the change, so the rows always match the item. The
rules themselves live in ``tracker.policy`` (a pure function); this module
resolves the recipients and reconciles the rows:

- a planned reminder that has no row gets one (one row per recipient);
- a pending row that no longer fits (the date moved, the item was done, the
  role changed hands) is cancelled;
- a row cancelled by an earlier re-plan that fits again is revived;
- a sent row is never touched.

Recipients are the responsible person and the holders of the responsible role
*on the sending day*, so a handover recorded ahead of time already routes the
reminders to the new holder. The sweep checks again just before sending.
"""
from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from minutes.models import Body
from tracker.models import ActionItem, Membership, Person, Reminder, RoleAssignment
from tracker.policy import (
    ITEM_KINDS,
    PlannedReminder,
    ReminderPolicy,
    WorkingDays,
    danish_working_days,
    digest_send_on,
    overdue_first,
    plan_item_reminders,
)

logger = logging.getLogger(__name__)

Status = Reminder.Status
Kind = Reminder.Kind
Actor = AbstractBaseUser | None


# --------------------------------------------------------------------------
# Policy and calendar for a forum
# --------------------------------------------------------------------------


def reminder_policy_for(body: Body | None) -> ReminderPolicy:
    """The site's policy with the forum's overrides; bad overrides are logged and ignored."""
    overrides = body.reminder_policy if body is not None else None
    policy, problems = ReminderPolicy.from_settings(getattr(settings, "REMINDER_POLICY", None), overrides)
    for problem in problems:
        logger.warning("%s (forum: %s)", problem, body or "-")
    return policy


def working_days_for(policy: ReminderPolicy) -> WorkingDays:
    return danish_working_days(policy.holiday_categories)


def local_now(now: dt.datetime | None = None) -> dt.datetime:
    return timezone.localtime(now) if now is not None else timezone.localtime()


# --------------------------------------------------------------------------
# Recipients
# --------------------------------------------------------------------------


@dataclass(frozen=True)
class Holders:
    """The assignments of one role, to answer "who holds it on day X" without a query per day."""

    assignments: tuple[RoleAssignment, ...]

    @classmethod
    def of_role(cls, role_id: int | None) -> Holders:
        if role_id is None:
            return cls(())
        return cls(tuple(RoleAssignment.objects.filter(role_id=role_id).select_related("person")))

    def on(self, day: dt.date) -> list[Person]:
        return [
            a.person for a in self.assignments
            if a.starts_on <= day and (a.ends_on is None or a.ends_on > day)
        ]


def item_recipients(item: ActionItem, day: dt.date, holders: Holders | None = None) -> list[Person]:
    """Who hears about ``item`` on ``day``: the responsible person and the role's holders that day."""
    people: dict[int, Person] = {}
    if item.responsible_person_id is not None:
        people[item.responsible_person_id] = item.responsible_person
    if item.responsible_role_id is not None:
        for person in (holders or Holders.of_role(item.responsible_role_id)).on(day):
            people.setdefault(person.pk, person)
    return [p for p in people.values() if p.is_active]


# --------------------------------------------------------------------------
# Item reminders
# --------------------------------------------------------------------------


def planned_for(item: ActionItem, *, today: dt.date) -> list[PlannedReminder]:
    policy = reminder_policy_for(item.body)
    return plan_item_reminders(
        window_start=item.window_start,
        due_date=item.due_date,
        precision=item.precision,
        status=item.status,
        today=today,
        calendar=working_days_for(policy),
        policy=policy,
        tz=timezone.get_default_timezone(),
    )


def replan_item_reminders(item: ActionItem, *, today: dt.date | None = None) -> None:
    """Make the item's pending reminder rows match the policy; see the module docstring.

    Called inside the caller's transaction (the services hold a lock on the item).
    """
    today = today or timezone.localdate()
    rows = list(Reminder.objects.filter(item=item, kind__in=ITEM_KINDS))
    if item.status != ActionItem.Status.OPEN:
        pending = [r.pk for r in rows if r.status == Status.PENDING]
        if pending:
            Reminder.objects.filter(pk__in=pending, status=Status.PENDING).update(status=Status.CANCELLED)
        return

    holders = Holders.of_role(item.responsible_role_id)

    def expand(planned: Iterable[PlannedReminder]) -> dict[tuple[int, str, dt.date], dt.datetime]:
        return {
            (person.pk, p.kind, p.send_on): p.due_at
            for p in planned
            for person in item_recipients(item, p.send_on, holders)
        }

    wanted = expand(planned_for(item, today=today))
    # A pending row of an earlier day (the sweep was down) stays while it still fits the
    # item: the sweep sends it late, or drops it if the deadline has passed meanwhile.
    earlier = [r.send_on for r in rows if r.status == Status.PENDING and r.send_on < today]
    still_fits = expand(planned_for(item, today=min(earlier))) if earlier else {}

    existing = {(r.recipient_id, r.kind, r.send_on): r for r in rows}
    cancel = [
        r.pk for key, r in existing.items()
        if r.status == Status.PENDING and key not in wanted and key not in still_fits
    ]
    if cancel:
        Reminder.objects.filter(pk__in=cancel, status=Status.PENDING).update(status=Status.CANCELLED)
    for key, due_at in wanted.items():
        row = existing.get(key)
        if row is None:
            continue
        if row.status == Status.CANCELLED and not row.last_error:
            # Cancelled by an earlier re-plan, and fitting again. A row the sweep decided
            # against (its reason is in last_error) stays cancelled.
            Reminder.objects.filter(pk=row.pk, status=Status.CANCELLED, last_error="").update(
                status=Status.PENDING, due_at=due_at, attempts=0, last_error=""
            )
        elif row.status == Status.PENDING and row.attempts == 0 and row.due_at != due_at:
            # Not yet claimed by a sweep: follow a changed sending time.
            Reminder.objects.filter(pk=row.pk, status=Status.PENDING, attempts=0).update(due_at=due_at)
    new = [
        Reminder(item=item, recipient_id=recipient_id, kind=kind, send_on=send_on, due_at=due_at)
        for (recipient_id, kind, send_on), due_at in wanted.items()
        if (recipient_id, kind, send_on) not in existing
    ]
    if new:
        Reminder.objects.bulk_create(new, ignore_conflicts=True)


@transaction.atomic
def item_reminders_refresh(*, item_id: int, today: dt.date | None = None) -> None:
    """Re-plan one item outside any service (after an overdue reminder went out, or weekly)."""
    item = ActionItem.objects.select_for_update().select_related("body").filter(pk=item_id).first()
    if item is not None:
        replan_item_reminders(item, today=today)


# --------------------------------------------------------------------------
# New assignments: one e-mail per person for the whole meeting
# --------------------------------------------------------------------------


def _actor_name(by: Actor) -> str:
    if by is None or not by.is_authenticated:
        return ""
    person = Person.objects.filter(user=by).only("name").first()
    if person is not None:
        return person.name
    return by.get_full_name() or by.get_username()


@transaction.atomic
def notify_new_assignments(
    *,
    items: Iterable[ActionItem],
    by: Actor = None,
    recipient: Person | None = None,
    starting: dt.date | None = None,
    now: dt.datetime | None = None,
) -> list[Reminder]:
    """Queue one "Du har fået N nye opfølgninger" e-mail per person who became responsible for ``items``.

    ``items``: the follow-ups just confirmed (or handed over); items that are not
    open are skipped. Each responsible person and each holder of a responsible
    role gets one outbox row of kind ``assigned`` listing all their new items
    (grouped by meeting in the e-mail), sent by the next sweep. ``recipient``
    limits the notice to one person (the new holder after a handover);
    ``starting`` delays it to the day a handover takes effect.

    Best called inside the transaction that made the change (it opens its own
    otherwise). Returns the rows created or extended.
    """
    now = local_now(now)
    today = now.date()
    send_on = max(today, starting or today)
    policy = reminder_policy_for(None)
    due_at = now if send_on == today else dt.datetime.combine(send_on, policy.send_time(), tzinfo=now.tzinfo)

    # Read the items afresh: callers may hold copies from before their confirmation.
    ids = list(dict.fromkeys(item.pk for item in items))
    fresh = ActionItem.objects.filter(pk__in=ids, status=ActionItem.Status.OPEN).select_related("responsible_person")
    by_id = {item.pk: item for item in fresh}

    per_person: dict[int, list[int]] = {}
    people: dict[int, Person] = {}
    holders_cache: dict[int | None, Holders] = {}
    for item in (by_id[pk] for pk in ids if pk in by_id):
        holders = holders_cache.setdefault(item.responsible_role_id, Holders.of_role(item.responsible_role_id))
        for person in item_recipients(item, send_on, holders):
            if recipient is not None and person.pk != recipient.pk:
                continue
            people[person.pk] = person
            ids = per_person.setdefault(person.pk, [])
            if item.pk not in ids:
                ids.append(item.pk)

    by_name = _actor_name(by)
    rows = []
    for person_id, item_ids in per_person.items():
        row = _queue_assigned(people[person_id], item_ids, send_on=send_on, due_at=due_at, by_name=by_name)
        if row is not None:
            rows.append(row)
    return rows


def _queue_assigned(
    person: Person, item_ids: list[int], *, send_on: dt.date, due_at: dt.datetime, by_name: str
) -> Reminder | None:
    # A notice of the same day that no sweep has picked up yet takes the new items too.
    row = (
        Reminder.objects.select_for_update()
        .filter(recipient=person, kind=Kind.ASSIGNED, item__isnull=True, send_on=send_on)
        .filter(status=Status.PENDING, attempts=0)
        .first()
    )
    if row is not None:
        known = list(row.payload.get("items", []))
        row.payload = {**row.payload, "items": known + [i for i in item_ids if i not in known]}
        row.save(update_fields=["payload"])
        return row
    payload = {"items": item_ids, "by": by_name}
    try:
        with transaction.atomic():
            return Reminder.objects.create(
                recipient=person, kind=Kind.ASSIGNED, send_on=send_on, due_at=due_at, payload=payload
            )
    except IntegrityError:
        pass
    # Today's notice has gone out already: a second one, keyed by its first item.
    try:
        with transaction.atomic():
            return Reminder.objects.create(
                item_id=item_ids[0], recipient=person, kind=Kind.ASSIGNED, send_on=send_on, due_at=due_at,
                payload=payload,
            )
    except IntegrityError:
        return None  # already told about these today


# --------------------------------------------------------------------------
# Weekly digest
# --------------------------------------------------------------------------


def open_items_of(person: Person, on: dt.date) -> list[ActionItem]:
    """A person's open items on a day: as the responsible person or as a holder of the role."""
    roles = RoleAssignment.objects.filter(person=person, starts_on__lte=on).filter(
        Q(ends_on__isnull=True) | Q(ends_on__gt=on)
    ).values("role_id")
    return list(
        ActionItem.objects.filter(status=ActionItem.Status.OPEN)
        .filter(Q(responsible_person=person) | Q(responsible_role_id__in=roles))
        .select_related("body", "responsible_role", "responsible_person", "source_item__meeting__body")
    )


def escalated_items_for(person: Person, on: dt.date) -> list[ActionItem]:
    """Items overdue beyond the forum's escalation limit, in the forums ``person`` is secretary of."""
    body_ids = Membership.objects.filter(person=person, is_secretary=True).values_list("body_id", flat=True)
    result = []
    for body in Body.objects.filter(pk__in=list(body_ids)):
        policy = reminder_policy_for(body)
        limit = on - dt.timedelta(days=policy.escalate_after_days)
        result.extend(
            ActionItem.objects.filter(body=body, status=ActionItem.Status.OPEN, due_date__lt=limit)
            .select_related("body", "responsible_role", "responsible_person", "source_item__meeting__body")
        )
    return result


def _digest_recipient_ids(on: dt.date) -> set[int]:
    open_items = ActionItem.objects.filter(status=ActionItem.Status.OPEN)
    ids = set(open_items.exclude(responsible_person=None).values_list("responsible_person_id", flat=True))
    role_ids = open_items.exclude(responsible_role=None).values("responsible_role_id")
    ids |= set(
        RoleAssignment.objects.filter(role_id__in=role_ids, starts_on__lte=on)
        .filter(Q(ends_on__isnull=True) | Q(ends_on__gt=on))
        .values_list("person_id", flat=True)
    )
    for body in Body.objects.filter(action_items__status=ActionItem.Status.OPEN).distinct():
        limit = on - dt.timedelta(days=reminder_policy_for(body).escalate_after_days)
        if open_items.filter(body=body, due_date__lt=limit).exists():
            ids |= set(
                Membership.objects.filter(body=body, is_secretary=True).values_list("person_id", flat=True)
            )
    return ids


def digests_plan(*, today: dt.date | None = None) -> int:
    """Queue this week's digest for everyone with open items (and secretaries with escalations).

    Run by beat on Monday morning; on a holiday Monday the digest waits for the
    next working day. The content is put together when it is sent, so it is
    current. Also tops up the weekly overdue reminders. Returns the number of
    digests queued.
    """
    today = today or timezone.localdate()
    policy = reminder_policy_for(None)
    send_on = digest_send_on(today, working_days_for(policy))
    due_at = dt.datetime.combine(send_on, policy.send_time(), tzinfo=timezone.get_default_timezone())
    people = Person.objects.filter(pk__in=_digest_recipient_ids(send_on), is_active=True).exclude(email="")
    already = set(
        Reminder.objects.filter(kind=Kind.DIGEST, item=None, send_on=send_on).values_list("recipient_id", flat=True)
    )
    rows = [
        Reminder(recipient=p, kind=Kind.DIGEST, send_on=send_on, due_at=due_at) for p in people if p.pk not in already
    ]
    Reminder.objects.bulk_create(rows, ignore_conflicts=True)

    overdue = ActionItem.objects.filter(status=ActionItem.Status.OPEN, due_date__lt=today).values_list("pk", flat=True)
    for item_id in overdue.iterator():
        item_reminders_refresh(item_id=item_id, today=today)
    return len(rows)


def sort_for_digest(items: Sequence[ActionItem], today: dt.date) -> list[ActionItem]:
    return overdue_first(items, today)


# --------------------------------------------------------------------------
# The secretaries' view of the outbox
# --------------------------------------------------------------------------


def people_without_email(*, bodies: QuerySet[Body], today: dt.date) -> list[tuple[Person, int]]:
    """People who own open items in ``bodies`` but get no e-mail, with how many items they own there."""
    open_items = ActionItem.objects.filter(body__in=bodies, status=ActionItem.Status.OPEN)
    holding = RoleAssignment.objects.filter(starts_on__lte=today).filter(Q(ends_on__isnull=True) | Q(ends_on__gt=today))
    people = (
        Person.objects.filter(is_active=True, email="")
        .filter(
            Q(action_items__in=open_items)
            | Q(role_assignments__in=holding.filter(role__action_items__in=open_items))
        )
        .distinct()
        .order_by("name")
    )
    result = []
    for person in people:
        roles = holding.filter(person=person).values("role_id")
        count = open_items.filter(Q(responsible_person=person) | Q(responsible_role_id__in=roles)).count()
        result.append((person, count))
    return result


def outbox_scope(*, bodies: QuerySet[Body]) -> QuerySet[Reminder]:
    """Outbox rows about the forums' items, and digests and notices to the forums' members."""
    return Reminder.objects.filter(
        Q(item__body__in=bodies) | Q(item__isnull=True, recipient__memberships__body__in=bodies)
    ).distinct()


def outbox_rows(*, bodies: QuerySet[Body], status: str) -> QuerySet[Reminder]:
    return outbox_scope(bodies=bodies).filter(status=status).select_related("recipient", "item__source_item")


def reminder_retry(*, reminder: Reminder, now: dt.datetime | None = None) -> Reminder:
    """Send a failed reminder again with the next sweep (after an e-mail address was fixed, say)."""
    updated = Reminder.objects.filter(pk=reminder.pk, status=Status.FAILED).update(
        status=Status.PENDING, attempts=0, last_error="", due_at=now or timezone.now()
    )
    if not updated:
        raise ValidationError(_("Kun fejlede påmindelser kan sendes igen."))
    reminder.refresh_from_db()
    return reminder
