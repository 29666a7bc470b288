"""Reads behind the workspace pages, each in a fixed number of queries whatever the data size.

Every selector starts from ``tracker.access``: what a user may see is decided
there and nowhere else.
"""
from __future__ import annotations

import datetime as dt
from bisect import bisect_right
from collections.abc import Iterable
from dataclasses import dataclass, field

from django.contrib.auth.models import AbstractBaseUser
from django.core.paginator import Page, Paginator
from django.db.models import Case, Count, DateTimeField, F, OuterRef, Prefetch, Q, QuerySet, Subquery, When
from django.db.models.functions import Coalesce, TruncDate
from django.utils import timezone

from minutes.models import AgendaItem, Body, Meeting
from tracker import access
from tracker.models import ActionItem, ActionItemEvent, Person, Role, RoleAssignment

Status = ActionItem.Status

# What a row of any item list shows: forum, meeting and agenda item, responsible ...
ITEM_ROW_RELATED = ("body", "source_item__meeting", "responsible_role", "responsible_person")
# ... and what it never needs: the minutes text (kilobytes per row) and the agenda item's sections.
ITEM_ROW_DEFERRED = ("source_item__meeting__text", "source_item__meeting__participants", "source_item__sections")


def item_rows(queryset: QuerySet[ActionItem]) -> QuerySet[ActionItem]:
    return queryset.select_related(*ITEM_ROW_RELATED).defer(*ITEM_ROW_DEFERRED)


def item_page(*, queryset: QuerySet[ActionItem], number: str | int | None, per_page: int) -> Page:
    """One page of a filtered, sorted list, in three queries whatever the size.

    The database sorts and counts the bare rows first and only then joins the
    forum, meeting and people for the page's rows: joining first would make it
    join every matching row before it can sort (the plan for 100,000 items).
    """
    page = Paginator(queryset.values_list("pk", flat=True), per_page).get_page(number)
    ids = list(page.object_list)
    rows = item_rows(ActionItem.objects.filter(pk__in=ids)).in_bulk(ids)
    page.object_list = [rows[pk] for pk in ids if pk in rows]
    return page


def annotate_permissions(*, user: AbstractBaseUser, items: Iterable[ActionItem]) -> None:
    """Mark each item with what the user may do with it, for templates (no query per row)."""
    for item in items:
        item.can_edit = access.can_edit_item(user, item)
        item.can_change = access.can_change_status(user, item)
        # A confidential ("Lukket") agenda item's sentence stays with the forum's secretaries.
        item.show_quote = bool(item.quote) and (not _from_closed_item(item) or item.can_edit)


def _from_closed_item(item: ActionItem) -> bool:
    return item.source_item_id is not None and item.source_item.closed


def days_overdue(item: ActionItem, today: dt.date) -> int:
    """Whole days past the deadline for an open item; 0 when not overdue."""
    if item.status != Status.OPEN or item.due_date is None or item.due_date >= today:
        return 0
    return (today - item.due_date).days


# -- Mine opgaver ---------------------------------------------------------------------------------


@dataclass
class MyItems:
    """A user's open items in the order a chef reads them: overdue, this week, later, undated."""

    today: dt.date
    overdue: list[ActionItem] = field(default_factory=list)
    this_week: list[ActionItem] = field(default_factory=list)
    later: list[ActionItem] = field(default_factory=list)
    undated: list[ActionItem] = field(default_factory=list)

    @property
    def total(self) -> int:
        return len(self.overdue) + len(self.this_week) + len(self.later) + len(self.undated)


def end_of_week(day: dt.date) -> dt.date:
    """The Sunday of ``day``'s week (Danish weeks start on Monday)."""
    return day + dt.timedelta(days=6 - day.weekday())


def my_items(*, user: AbstractBaseUser, today: dt.date) -> MyItems:
    """ "Mine opgaver": the open items where the user is the person or holds the role today."""
    items = list(item_rows(access.my_open_items(user, on=today)).order_by(F("due_date").asc(nulls_last=True), "pk"))
    annotate_permissions(user=user, items=items)
    result = MyItems(today=today)
    week_end = end_of_week(today)
    for item in items:
        item.days_overdue = days_overdue(item, today)
        if item.due_date is None:
            result.undated.append(item)
        elif item.due_date < today:
            result.overdue.append(item)
        elif item.due_date <= week_end:
            result.this_week.append(item)
        else:
            result.later.append(item)
    return result


# -- Alle opfølgninger -----------------------------------------------------------------------------


def item_list_queryset(*, user: AbstractBaseUser) -> QuerySet[ActionItem]:
    """Everything the user may see, ready to be filtered, sorted and paged (see item_page)."""
    return item_rows(access.visible_items(user))


# -- The item page ---------------------------------------------------------------------------------


def item_events(*, item: ActionItem) -> list[ActionItemEvent]:
    """The item's history, oldest first, with who did each step."""
    return list(item.events.select_related("actor__person").order_by("created_at", "pk"))


def role_holders(*, role: Role | None, today: dt.date) -> list[Person]:
    return list(access.current_holders(role, today)) if role is not None else []


def assignable_roles(*, body: Body) -> QuerySet[Role]:
    """Roles a forum's item may be given: the forum's own and those across forums."""
    return Role.objects.filter(Q(body=body) | Q(body__isnull=True)).order_by("name")


def assignable_people(*, body: Body) -> QuerySet[Person]:
    return Person.objects.filter(memberships__body=body, is_active=True).order_by("name").distinct()


# -- Meetings --------------------------------------------------------------------------------------


def meeting_list(*, user: AbstractBaseUser, body: Body | None = None) -> QuerySet[Meeting]:
    """Meetings the user may see, newest first, with the number of agenda items and follow-ups.

    The counts are subqueries, evaluated only for the page shown: a join and
    GROUP BY would count the follow-ups of twenty years of meetings first.
    """
    meetings = access.visible_meetings(user).select_related("body").defer("text", "participants")
    if body is not None:
        meetings = meetings.filter(body=body)

    def followups(status: str) -> Coalesce:
        counted = (
            ActionItem.objects.filter(source_item__meeting=OuterRef("pk"), status=status)
            .order_by().values("source_item__meeting").annotate(n=Count("pk")).values("n")
        )
        return Coalesce(Subquery(counted), 0)

    agenda_items = (
        AgendaItem.objects.filter(meeting=OuterRef("pk")).order_by().values("meeting").annotate(n=Count("pk")).values("n")
    )
    return meetings.annotate(
        agenda_count=Coalesce(Subquery(agenda_items), 0),
        open_count=followups(Status.OPEN),
        done_count=followups(Status.DONE),
        # Only shown to the forum's secretaries: proposals are their draft.
        proposed_count=followups(Status.PROPOSED),
    ).order_by("-date", "body__name")


@dataclass
class AgendaEntry:
    agenda_item: AgendaItem
    followups: list[ActionItem]


def meeting_agenda(*, user: AbstractBaseUser, meeting: Meeting, today: dt.date) -> list[AgendaEntry]:
    """The meeting's agenda items with the follow-ups the user may see under each."""
    followups = list(
        item_rows(access.visible_items(user).filter(source_item__meeting=meeting)).order_by("quote_start", "pk")
    )
    annotate_permissions(user=user, items=followups)
    by_agenda_item: dict[int, list[ActionItem]] = {}
    for item in followups:
        item.days_overdue = days_overdue(item, today)
        by_agenda_item.setdefault(item.source_item_id, []).append(item)
    return [
        AgendaEntry(agenda_item=agenda_item, followups=by_agenda_item.get(agenda_item.pk, []))
        for agenda_item in meeting.agenda_items.order_by("number")
    ]


# -- Forum overview --------------------------------------------------------------------------------


@dataclass
class RoleRow:
    role: Role | None
    holders: list[Person]
    open: int = 0
    overdue: int = 0
    done: int = 0


@dataclass
class ChartPoint:
    day: dt.date
    open: int
    overdue: int


@dataclass
class BodyOverview:
    body: Body
    rows: list[RoleRow]
    open: int
    overdue: int
    done: int
    series: list[ChartPoint]


def body_overview(*, user: AbstractBaseUser, body: Body, today: dt.date, weeks: int = 26) -> BodyOverview:
    """Open / overdue / done per role, and open vs. overdue at the end of each of the last weeks."""
    items = access.visible_items(user).filter(body=body)
    counts = {
        row["responsible_role"]: row
        for row in items.order_by()
        .values("responsible_role")
        .annotate(
            n_open=Count("pk", filter=Q(status=Status.OPEN)),
            n_overdue=Count("pk", filter=Q(status=Status.OPEN, due_date__lt=today)),
            n_done=Count("pk", filter=Q(status=Status.DONE)),
        )
    }
    current = RoleAssignment.objects.filter(starts_on__lte=today).filter(
        Q(ends_on__isnull=True) | Q(ends_on__gt=today)
    ).select_related("person")
    roles = (
        Role.objects.filter(Q(body=body) | Q(pk__in=[pk for pk in counts if pk is not None]))
        .prefetch_related(Prefetch("assignments", queryset=current, to_attr="current_assignments"))
        .order_by("name")
    )
    rows = []
    for role in roles:
        c = counts.get(role.pk, {})
        rows.append(RoleRow(
            role=role, holders=[a.person for a in role.current_assignments],
            open=c.get("n_open", 0), overdue=c.get("n_overdue", 0), done=c.get("n_done", 0),
        ))
    rows.sort(key=lambda r: (-r.overdue, -r.open, r.role.name))
    if None in counts:
        c = counts[None]
        rows.append(RoleRow(role=None, holders=[], open=c["n_open"], overdue=c["n_overdue"], done=c["n_done"]))
    return BodyOverview(
        body=body, rows=rows,
        open=sum(r.open for r in rows), overdue=sum(r.overdue for r in rows), done=sum(r.done for r in rows),
        series=open_overdue_series(items=items, today=today, weeks=weeks),
    )


def open_overdue_series(*, items: QuerySet[ActionItem], today: dt.date, weeks: int) -> list[ChartPoint]:
    """How many items were open, and how many of those overdue, at the end of each week.

    1. An item is open from the day it was recorded until the day it was
       closed (done: its completion; cancelled: its last change, which is the
       cancellation unless somebody commented afterwards). A proposal confirmed
       some days later counts from its proposal; a reopened item counts as open
       since it was recorded.
    2. It is overdue from the day after its deadline, as the deadline stands
       today, until it was closed.
    3. Each interval adds one on its first day and removes one on its last, so
       a week's value is the number of starts minus the number of ends up to
       that day: one query for the rows (as local dates, which the database
       sends far cheaper than timestamps), then bisection of the sorted starts
       and ends; n log n, no query per week.
    """
    days = [today - dt.timedelta(weeks=weeks - 1 - i) for i in range(weeks)]
    closed_at = Case(
        When(status=Status.DONE, then=Coalesce("completed_at", "updated_at")),
        When(status=Status.CANCELLED, then=F("updated_at")),
        default=None, output_field=DateTimeField(),
    )
    rows = (
        items.filter(status__in=(Status.OPEN, Status.DONE, Status.CANCELLED))
        # Closed before the chart begins: cannot count anywhere on it (closing updates updated_at).
        .exclude(status__in=(Status.DONE, Status.CANCELLED), updated_at__lt=_start_of_day(days[0]))
        .exclude(status=Status.DONE, completed_at__lt=_start_of_day(days[0]))
        .order_by()
        .annotate(opened_on=TruncDate("created_at"), closed_on=TruncDate(closed_at))
        .values_list("due_date", "opened_on", "closed_on")
    )
    open_starts, open_ends, late_starts, late_ends = [], [], [], []
    for due_date, opened_on, closed_on in rows:
        start = opened_on.toordinal()
        end = closed_on.toordinal() if closed_on else None
        if end is not None and end <= start:
            continue
        open_starts.append(start)
        if end is not None:
            open_ends.append(end)
        if due_date is not None:
            late = max(start, due_date.toordinal() + 1)
            if end is None or late < end:
                late_starts.append(late)
                if end is not None:
                    late_ends.append(end)
    for values in (open_starts, open_ends, late_starts, late_ends):
        values.sort()
    return [
        ChartPoint(
            day=day,
            open=bisect_right(open_starts, day.toordinal()) - bisect_right(open_ends, day.toordinal()),
            overdue=bisect_right(late_starts, day.toordinal()) - bisect_right(late_ends, day.toordinal()),
        )
        for day in days
    ]


def _start_of_day(day: dt.date) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time.min))
