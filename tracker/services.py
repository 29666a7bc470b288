"""Every change of an action item's state, in one place.

Each service validates, writes the ActionItemEvent and re-plans the item's
reminders in one transaction. Views, admin actions, the API and the importer
call these; nothing else sets ``status``.

Concurrent edits: a caller that showed the user a version passes it as
``expected_version``; if somebody else changed the item meanwhile the service
raises ``ConflictError`` instead of overwriting their change.
"""
from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from minutes.models import AgendaItem, Body
from tracker.models import ActionItem, ActionItemEvent, Person, Role, RoleAssignment
from tracker.reminders import notify_new_assignments, replan_item_reminders

Status = ActionItem.Status
Kind = ActionItemEvent.Kind
Actor = AbstractBaseUser | None


class ConflictError(Exception):
    """The item changed since the user loaded it."""

    def __init__(self, item: ActionItem) -> None:
        super().__init__(
            _("Opfølgningen er blevet ændret af en anden, mens du arbejdede på den. Genindlæs siden og prøv igen.")
        )
        self.item = item


class TransitionError(ValidationError):
    """The requested change does not apply to the item's current status."""


def _actor(by: Actor) -> AbstractBaseUser | None:
    return by if by is not None and by.is_authenticated else None


def _jsonable(value: Any) -> Any:
    if isinstance(value, (dt.date, dt.datetime)):
        return value.isoformat()
    if isinstance(value, (Role, Person, Body, AgendaItem)):
        return str(value)
    return value


def _lock(item: ActionItem, expected_version: int | None) -> ActionItem:
    """Re-read the row under a lock; refuse when it moved on since the caller saw it."""
    locked = ActionItem.objects.select_for_update().get(pk=item.pk)
    if expected_version is not None and locked.version != expected_version:
        raise ConflictError(locked)
    return locked


def _record(
    item: ActionItem, *, kind: str, by: Actor, changes: dict[str, tuple[Any, Any]] | None = None, comment: str = ""
) -> ActionItemEvent:
    return ActionItemEvent.objects.create(
        item=item,
        actor=_actor(by),
        kind=kind,
        changes={k: [_jsonable(a), _jsonable(b)] for k, (a, b) in (changes or {}).items()},
        comment=comment,
    )


def _save(item: ActionItem, fields: Iterable[str]) -> None:
    """Save the named fields and bump the version, which calendars read as SEQUENCE."""
    item.version = F("version") + 1
    item.save(update_fields=[*fields, "version", "updated_at"])
    item.refresh_from_db(fields=["version", "updated_at"])


def _validate_window(window_start: dt.date | None, due_date: dt.date | None, precision: str) -> None:
    if precision not in ActionItem.Precision.values:
        raise ValidationError({"precision": _("Ukendt præcision.")})
    if window_start and due_date and window_start > due_date:
        raise ValidationError({"window_start": _("Tidsrummet kan ikke begynde efter fristen.")})
    if due_date is None and precision not in (ActionItem.Precision.NONE, ActionItem.Precision.RELATIVE):
        raise ValidationError({"due_date": _("Angiv en frist, eller vælg “uden dato”.")})


@dataclass(frozen=True, kw_only=True)
class Proposal:
    """A follow-up the parser found (or the importer derived), before it exists."""

    body: Body
    title: str
    source_item: AgendaItem | None = None
    quote: str = ""
    quote_start: int | None = None
    quote_end: int | None = None
    section: str = ""
    window_start: dt.date | None = None
    due_date: dt.date | None = None
    precision: str = ActionItem.Precision.NONE
    responsible_text: str = ""
    responsible_role: Role | None = None
    responsible_person: Person | None = None
    warnings: tuple[str, ...] = ()


@transaction.atomic
def action_items_propose(proposals: Sequence[Proposal], *, by: Actor = None) -> list[ActionItem]:
    """Follow-ups waiting for the secretary's review, each with its history entry.

    All or none: one invalid proposal raises ValidationError and nothing is
    written. A minutes file gives a dozen at once, so they are inserted together.
    """
    for proposal in proposals:
        _validate_window(proposal.window_start, proposal.due_date, proposal.precision)
    items = ActionItem.objects.bulk_create(
        ActionItem(
            body=p.body, title=p.title[:500], source_item=p.source_item, quote=p.quote, quote_start=p.quote_start,
            quote_end=p.quote_end, section=p.section, window_start=p.window_start or p.due_date,
            due_date=p.due_date, precision=p.precision, responsible_text=p.responsible_text[:200],
            responsible_role=p.responsible_role, responsible_person=p.responsible_person,
            warnings=list(p.warnings), status=Status.PROPOSED,
        )
        for p in proposals
    )
    actor = _actor(by)
    ActionItemEvent.objects.bulk_create(ActionItemEvent(item=item, actor=actor, kind=Kind.PROPOSED) for item in items)
    return items


def action_item_propose(*, by: Actor = None, warnings: Iterable[str] = (), **fields: Any) -> ActionItem:
    """One follow-up waiting for review (see ``action_items_propose``)."""
    return action_items_propose([Proposal(warnings=tuple(warnings), **fields)], by=by)[0]


@transaction.atomic
def action_item_create(
    *,
    by: Actor,
    body: Body,
    title: str,
    source_item: AgendaItem | None = None,
    quote: str = "",
    quote_start: int | None = None,
    quote_end: int | None = None,
    section: str = "",
    window_start: dt.date | None = None,
    due_date: dt.date | None = None,
    precision: str = ActionItem.Precision.DAY,
    responsible_role: Role | None = None,
    responsible_person: Person | None = None,
    comment: str = "",
) -> ActionItem:
    """A follow-up added by hand: open at once, and kept on every re-import."""
    if due_date is None and precision == ActionItem.Precision.DAY:
        precision = ActionItem.Precision.NONE
    _validate_window(window_start, due_date, precision)
    if not title.strip():
        raise ValidationError({"title": _("Skriv, hvad der skal følges op på.")})
    item = ActionItem.objects.create(
        body=body, title=title.strip()[:500], source_item=source_item, quote=quote, quote_start=quote_start,
        quote_end=quote_end, section=section, window_start=window_start or due_date, due_date=due_date,
        precision=precision, responsible_role=responsible_role, responsible_person=responsible_person,
        status=Status.OPEN, edited=True,
    )
    _record(item, kind=Kind.CREATED, by=by, comment=comment)
    replan_item_reminders(item)
    return item


@transaction.atomic
def action_item_confirm(*, item: ActionItem, by: Actor, expected_version: int | None = None) -> ActionItem:
    """The secretary accepts a proposal: it becomes an open commitment."""
    item = _lock(item, expected_version)
    if item.status != Status.PROPOSED:
        raise TransitionError(_("Kun foreslåede opfølgninger kan bekræftes."))
    item.status = Status.OPEN
    _save(item, ["status"])
    _record(item, kind=Kind.CONFIRMED, by=by, changes={"status": (Status.PROPOSED, Status.OPEN)})
    replan_item_reminders(item)
    return item


_EDITABLE = ("title", "due_date", "window_start", "precision", "responsible_role", "responsible_person")


@transaction.atomic
def action_item_update(
    *, item: ActionItem, by: Actor, expected_version: int | None = None, reason: str = "", **changes: Any
) -> ActionItem:
    """Change text, deadline or assignment. Writes one event per kind of change.

    A changed deadline that is not given a new window start gets a one-day
    window (an explicit date is a day, whatever the parser guessed before).
    """
    unknown = set(changes) - set(_EDITABLE)
    if unknown:
        raise TypeError(f"action_item_update() cannot change {', '.join(sorted(unknown))}")
    item = _lock(item, expected_version)
    if item.status in (Status.REJECTED, Status.CANCELLED):
        raise TransitionError(_("En afvist eller annulleret opfølgning kan ikke ændres."))
    if "title" in changes:
        changes["title"] = (changes["title"] or "").strip()[:500]
        if not changes["title"]:
            raise ValidationError({"title": _("Skriv, hvad der skal følges op på.")})
    if "due_date" in changes and "window_start" not in changes:
        changes["window_start"] = changes["due_date"]
        changes.setdefault(
            "precision", ActionItem.Precision.DAY if changes["due_date"] else ActionItem.Precision.NONE
        )
    diff = {k: (getattr(item, k), v) for k, v in changes.items() if getattr(item, k) != v}
    if not diff:
        return item
    for field, (_old, new) in diff.items():
        setattr(item, field, new)
    _validate_window(item.window_start, item.due_date, item.precision)
    item.edited = True
    _save(item, [*diff, "edited"])

    due_keys = {"due_date", "window_start", "precision"} & diff.keys()
    who_keys = {"responsible_role", "responsible_person"} & diff.keys()
    rest = diff.keys() - due_keys - who_keys
    if due_keys:
        _record(item, kind=Kind.DUE_CHANGED, by=by, changes={k: diff[k] for k in due_keys}, comment=reason)
    if who_keys:
        _record(item, kind=Kind.REASSIGNED, by=by, changes={k: diff[k] for k in who_keys}, comment=reason)
    if rest:
        _record(item, kind=Kind.EDITED, by=by, changes={k: diff[k] for k in rest}, comment=reason)
    replan_item_reminders(item)
    return item


def _transition(
    *, item: ActionItem, by: Actor, to: str, allowed_from: tuple[str, ...], kind: str, comment: str,
    expected_version: int | None, error: str,
) -> ActionItem:
    item = _lock(item, expected_version)
    if item.status not in allowed_from:
        raise TransitionError(error)
    before = item.status
    item.status = to
    item.completed_at = timezone.now() if to == Status.DONE else None
    _save(item, ["status", "completed_at"])
    _record(item, kind=kind, by=by, changes={"status": (before, to)}, comment=comment.strip())
    replan_item_reminders(item)
    return item


@transaction.atomic
def action_item_complete(
    *, item: ActionItem, by: Actor, comment: str = "", expected_version: int | None = None
) -> ActionItem:
    return _transition(
        item=item, by=by, to=Status.DONE, allowed_from=(Status.OPEN,), kind=Kind.COMPLETED, comment=comment,
        expected_version=expected_version, error=_("Kun åbne opfølgninger kan markeres som udført."),
    )


@transaction.atomic
def action_item_reopen(
    *, item: ActionItem, by: Actor, comment: str = "", expected_version: int | None = None
) -> ActionItem:
    return _transition(
        item=item, by=by, to=Status.OPEN, allowed_from=(Status.DONE, Status.CANCELLED), kind=Kind.REOPENED,
        comment=comment, expected_version=expected_version,
        error=_("Kun udførte eller annullerede opfølgninger kan genåbnes."),
    )


@transaction.atomic
def action_item_reject(
    *, item: ActionItem, by: Actor, comment: str = "", expected_version: int | None = None
) -> ActionItem:
    """The secretary turns a proposal down; it stays rejected on every re-import."""
    return _transition(
        item=item, by=by, to=Status.REJECTED, allowed_from=(Status.PROPOSED,), kind=Kind.REJECTED, comment=comment,
        expected_version=expected_version, error=_("Kun foreslåede opfølgninger kan afvises."),
    )


@transaction.atomic
def action_item_cancel(
    *, item: ActionItem, by: Actor, comment: str = "", expected_version: int | None = None
) -> ActionItem:
    return _transition(
        item=item, by=by, to=Status.CANCELLED, allowed_from=(Status.OPEN, Status.PROPOSED), kind=Kind.CANCELLED,
        comment=comment, expected_version=expected_version, error=_("Opfølgningen er allerede afsluttet."),
    )


@transaction.atomic
def action_item_comment(*, item: ActionItem, by: Actor, comment: str) -> ActionItemEvent:
    comment = comment.strip()
    if not comment:
        raise ValidationError({"comment": _("Skriv en kommentar.")})
    # A comment is a change calendars and the list should notice.
    item = _lock(item, None)
    _save(item, [])
    return _record(item, kind=Kind.COMMENTED, by=by, comment=comment)


@transaction.atomic
def action_item_flag_source_missing(*, item: ActionItem, missing: bool, by: Actor = None) -> ActionItem:
    """A re-imported file no longer contains the item's sentence (or contains it again)."""
    item = _lock(item, None)
    if item.source_missing == missing:
        return item
    item.source_missing = missing
    _save(item, ["source_missing"])
    if missing:
        _record(item, kind=Kind.SOURCE_MISSING, by=by, changes={"source_missing": (False, True)})
    return item


@transaction.atomic
def role_assign(
    *, role: Role, person: Person, starts_on: dt.date, ends_on: dt.date | None = None, by: Actor = None
) -> RoleAssignment:
    """Record that ``person`` holds ``role`` from ``starts_on``.

    For a role with one holder at a time, the current open-ended assignment is
    ended the day the new one starts (a handover), and the open items that were
    assigned by name to the previous holder through this role move to the new
    holder, each with a history line.
    """
    if ends_on is not None and ends_on <= starts_on:
        raise ValidationError({"ends_on": _("Slutdatoen skal ligge efter startdatoen.")})
    previous: list[RoleAssignment] = []
    if not role.is_shared:
        previous = list(
            RoleAssignment.objects.select_for_update()
            .filter(role=role, ends_on__isnull=True, starts_on__lt=starts_on)
            .exclude(person=person)
        )
        for old in previous:
            old.ends_on = starts_on
            old.save(update_fields=["ends_on"])
    assignment = RoleAssignment(role=role, person=person, starts_on=starts_on, ends_on=ends_on, shared=role.is_shared)
    assignment.full_clean(exclude=["role", "person"], validate_constraints=False)
    _check_no_overlap(assignment)
    assignment.save()
    moved: list[ActionItem] = []
    for old in previous:
        items = ActionItem.objects.select_for_update().filter(
            responsible_role=role, responsible_person=old.person, status__in=(Status.OPEN, Status.PROPOSED)
        )
        for item in items:
            item.responsible_person = person
            _save(item, ["responsible_person"])
            _record(
                item, kind=Kind.HANDOVER, by=by,
                changes={"responsible_person": (old.person, person)},
                comment=_("%(role)s overdraget fra %(old)s til %(new)s pr. %(date)s")
                % {"role": role, "old": old.person, "new": person, "date": starts_on.isoformat()},
            )
            replan_item_reminders(item)
            moved.append(item)
    role_items = list(
        ActionItem.objects.filter(responsible_role=role, responsible_person__isnull=True, status=Status.OPEN)
    )
    for item in role_items:
        # Items on the role alone follow the holder; their reminders go to whoever holds it then.
        replan_item_reminders(item)
    if ends_on is None or ends_on > timezone.localdate():
        # The new holder is told once about everything that is now theirs, from the day it is.
        notify_new_assignments(items=[*moved, *role_items], by=by, recipient=person, starting=starts_on)
    return assignment


def _check_no_overlap(assignment: RoleAssignment) -> None:
    """Give a readable error before the database constraint would reject the row."""
    if assignment.shared:
        return
    overlapping = RoleAssignment.objects.filter(role=assignment.role).exclude(pk=assignment.pk)
    overlapping = overlapping.exclude(ends_on__isnull=False, ends_on__lte=assignment.starts_on)
    if assignment.ends_on is not None:
        overlapping = overlapping.exclude(starts_on__gte=assignment.ends_on)
    holder = overlapping.select_related("person").first()
    if holder is not None:
        raise ValidationError(
            _("%(role)s er allerede besat af %(person)s i den periode.") % {"role": assignment.role, "person": holder.person}
        )


def person_language_set(*, user: AbstractBaseUser, language: str) -> None:
    """Remember the language a user chose, so e-mails, calendars and their next login use it too."""
    if language not in dict(settings.LANGUAGES):
        raise ValidationError(_("Ukendt sprog."))
    Person.objects.filter(user=user).exclude(language=language).update(language=language)
