"""The reminder policy: when does a follow-up remind its owner? A pure function.

No database and no clock: the item's dates, today's date, a working-day
calendar and the policy settings go in, the planned reminders come out. The
planner in ``tracker.reminders`` turns them into outbox rows, one per recipient.

The rules (all numbers configurable, see ``ReminderPolicy``):

1. A deadline on a day (or within a week, like "inden ugens udgang"): 5 and 1
   working days before, and the morning of the due date.
2. A window (a month, part of a month, a quarter, a season, a year, or an
   approximate period): on the first working day of the window, and 5 working
   days before its end. When the window is so short that the second would not
   come after the first, only the first is sent.
3. After the deadline or window: one working day after it, then weekly until
   the item is done. Only the next ``overdue_plan_ahead`` of these are planned;
   sending one plans the next.
4. Undated items get no reminders of their own; they appear in the weekly digest.

Weekends and public holidays are never sending days. A reminder before the
deadline moves to the previous working day, one after it to the next. At most
one reminder per item and day: when two land on the same day the one closest
to the deadline wins. Nothing is planned before today.
"""
from __future__ import annotations

import datetime as dt
from collections.abc import Container, Mapping, Sequence
from dataclasses import dataclass, fields, replace
from functools import lru_cache
from typing import Any

# The kinds of reminder about one item (tracker.models.Reminder.Kind values).
BEFORE = "before"
DUE = "due"
OVERDUE = "overdue"
WINDOW_START = "window_start"
WINDOW_END = "window_end"
ITEM_KINDS = (BEFORE, DUE, OVERDUE, WINDOW_START, WINDOW_END)

# Precisions whose deadline is one day for practical purposes; the others are windows.
_DAY_LIKE = {"day", "week"}
_UNDATED = {"none"}

# When two reminders fall on the same day, the higher one is kept.
_PRIORITY = {WINDOW_START: 0, BEFORE: 1, WINDOW_END: 2, DUE: 3, OVERDUE: 4}


@dataclass(frozen=True)
class ReminderPolicy:
    """Settings of the policy: ``settings.REMINDER_POLICY``, overridden per forum by ``Body.reminder_policy``."""

    days_before: tuple[int, ...] = (5, 1)
    on_due_date: bool = True
    overdue_after_days: int = 1
    overdue_repeat_days: int = 7
    overdue_plan_ahead: int = 2
    window_end_days_before: int = 5
    escalate_after_days: int = 14
    send_hour: int = 7
    send_minute: int = 30
    holiday_categories: tuple[str, ...] = ("public",)

    @classmethod
    def from_settings(cls, *layers: Mapping[str, Any] | None) -> tuple[ReminderPolicy, list[str]]:
        """Merge the layers (later ones win) onto the defaults.

        Returns the policy and a list of problems: an unknown key or a bad value
        is skipped (and reported) rather than stopping every change of an item.
        """
        policy = cls()
        problems: list[str] = []
        known = {f.name for f in fields(cls)}
        for layer in layers:
            if not layer:
                continue
            if not isinstance(layer, Mapping):
                problems.append(f"reminder policy must be a mapping, not {type(layer).__name__}")
                continue
            for key, raw in layer.items():
                if key not in known:
                    problems.append(f"unknown reminder policy setting {key!r}")
                    continue
                try:
                    value = _coerce(key, raw)
                except (TypeError, ValueError) as exc:
                    problems.append(f"reminder policy setting {key}={raw!r}: {exc}")
                    continue
                policy = replace(policy, **{key: value})
        return policy, problems

    def send_time(self) -> dt.time:
        return dt.time(self.send_hour, self.send_minute)


def _int(raw: Any, low: int, high: int) -> int:
    if isinstance(raw, bool) or not isinstance(raw, int):
        raise TypeError("must be a whole number")
    if not low <= raw <= high:
        raise ValueError(f"must be between {low} and {high}")
    return raw


def _coerce(key: str, raw: Any) -> Any:
    if key == "days_before":
        if not isinstance(raw, (list, tuple)):
            raise TypeError("must be a list of whole numbers")
        return tuple(sorted({_int(v, 1, 60) for v in raw}, reverse=True))
    if key == "on_due_date":
        if not isinstance(raw, bool):
            raise TypeError("must be true or false")
        return raw
    if key == "holiday_categories":
        if not isinstance(raw, (list, tuple)) or not all(isinstance(v, str) for v in raw):
            raise TypeError("must be a list of names")
        if not set(raw) <= {"public", "optional"}:
            raise ValueError("use 'public' and/or 'optional'")
        return tuple(sorted(set(raw)))
    limits = {
        "overdue_after_days": (1, 60),
        "overdue_repeat_days": (1, 365),
        "overdue_plan_ahead": (1, 10),
        "window_end_days_before": (1, 60),
        "escalate_after_days": (0, 365),
        "send_hour": (0, 23),
        "send_minute": (0, 59),
    }
    return _int(raw, *limits[key])


class WorkingDays:
    """Monday to Friday, except the days in ``closed`` (public holidays)."""

    def __init__(self, closed: Container[dt.date]) -> None:
        self._closed = closed

    def is_working_day(self, day: dt.date) -> bool:
        return day.weekday() < 5 and day not in self._closed

    def on_or_before(self, day: dt.date) -> dt.date:
        while not self.is_working_day(day):
            day -= dt.timedelta(days=1)
        return day

    def on_or_after(self, day: dt.date) -> dt.date:
        while not self.is_working_day(day):
            day += dt.timedelta(days=1)
        return day

    def shift(self, day: dt.date, working_days: int) -> dt.date:
        """The working day ``working_days`` working days after (positive) or before (negative) ``day``."""
        step = dt.timedelta(days=1 if working_days > 0 else -1)
        remaining = abs(working_days)
        while remaining:
            day += step
            if self.is_working_day(day):
                remaining -= 1
        return day


@lru_cache(maxsize=4)
def danish_working_days(categories: tuple[str, ...] = ("public",)) -> WorkingDays:
    """Weekends and Danish holidays (``optional`` adds Grundlovsdag, juleaftensdag, nytårsaftensdag, 1. maj)."""
    import holidays

    # The holidays object fills in each year the first time a date of it is looked up.
    return WorkingDays(holidays.country_holidays("DK", categories=categories))


@dataclass(frozen=True, order=True)
class PlannedReminder:
    send_on: dt.date
    kind: str
    due_at: dt.datetime


def is_window(precision: str, window_start: dt.date | None, due_date: dt.date | None) -> bool:
    """A deadline that is a period rather than a day ("i løbet af maj", "primo september")."""
    return (
        precision not in _DAY_LIKE
        and window_start is not None
        and due_date is not None
        and window_start < due_date
    )


def plan_item_reminders(
    *,
    window_start: dt.date | None,
    due_date: dt.date | None,
    precision: str,
    status: str,
    today: dt.date,
    calendar: WorkingDays,
    policy: ReminderPolicy,
    tz: dt.tzinfo,
) -> list[PlannedReminder]:
    """The reminders one item should still get, from today on, ordered by day."""
    if status != "open" or due_date is None or precision in _UNDATED:
        return []

    candidates: list[tuple[str, dt.date]] = []
    if is_window(precision, window_start, due_date):
        starts = calendar.on_or_after(window_start)
        ends = calendar.shift(due_date, -policy.window_end_days_before)
        if starts <= due_date:
            candidates.append((WINDOW_START, starts))
        if ends > starts:
            candidates.append((WINDOW_END, ends))
    else:
        candidates.extend((BEFORE, calendar.shift(due_date, -n)) for n in policy.days_before)
        if policy.on_due_date:
            candidates.append((DUE, calendar.on_or_before(due_date)))
    candidates.extend((OVERDUE, day) for day in _overdue_days(due_date, today, calendar, policy))

    by_day: dict[dt.date, str] = {}
    for kind, day in candidates:
        if day < today:
            continue
        if day not in by_day or _PRIORITY[kind] > _PRIORITY[by_day[day]]:
            by_day[day] = kind
    return sorted(
        PlannedReminder(send_on=day, kind=kind, due_at=dt.datetime.combine(day, policy.send_time(), tzinfo=tz))
        for day, kind in by_day.items()
    )


def _overdue_days(
    due_date: dt.date, today: dt.date, calendar: WorkingDays, policy: ReminderPolicy
) -> list[dt.date]:
    """The next overdue reminders on or after today: one working day after, then every week."""
    first = calendar.shift(due_date, policy.overdue_after_days)
    repeat = dt.timedelta(days=policy.overdue_repeat_days)
    # Skip the weeks that are already past (one early, as a holiday may push a day forward).
    k = max(0, (today - first).days // policy.overdue_repeat_days - 1)
    days: list[dt.date] = []
    while len(days) < policy.overdue_plan_ahead:
        day = calendar.on_or_after(first + k * repeat)
        if day >= today and day not in days:
            days.append(day)
        k += 1
    return days


def is_escalated(due_date: dt.date | None, today: dt.date, policy: ReminderPolicy) -> bool:
    """Overdue by more than ``escalate_after_days``: the forum's secretaries hear of it in their digest."""
    return due_date is not None and (today - due_date).days > policy.escalate_after_days


def digest_send_on(today: dt.date, calendar: WorkingDays) -> dt.date:
    """The weekly digest goes out on Monday, or the first working day after (Easter Monday, Whit Monday)."""
    return calendar.on_or_after(today)


def overdue_first(items: Sequence[Any], today: dt.date) -> list[Any]:
    """Order for a digest: overdue first (oldest first), then by deadline, then undated."""
    def key(item: Any) -> tuple[int, dt.date, int]:
        due = getattr(item, "due_date", None)
        if due is None:
            return (2, dt.date.max, item.pk)
        return (0 if due < today else 1, due, item.pk)

    return sorted(items, key=key)
