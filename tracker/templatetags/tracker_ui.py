"""Template helpers of the workspace: deadlines in Danish, history lines, the forum chart."""
from __future__ import annotations

import datetime as dt
from collections.abc import Iterator, Sequence
from typing import Any

from django import template
from django.contrib.auth.models import AbstractBaseUser
from django.core.paginator import Page
from django.utils import timezone
from django.utils.dates import MONTHS_3
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from tracker.localdates import describe_deadline, format_date, format_time
from tracker.models import ActionItem, ActionItemEvent
from tracker.selectors import ChartPoint

register = template.Library()


@register.filter
def page_links(page: Page) -> Iterator[int | str]:
    """The page numbers to link: the first and last and two on each side of this one, the rest elided."""
    return page.paginator.get_elided_page_range(page.number, on_each_side=2, on_ends=1)


@register.filter
def due(item: ActionItem) -> str:
    """The deadline as precisely as it is known: "12. maj 2022", "i løbet af maj 2021", "primo september 2022"."""
    if item.due_date is None:
        if item.precision == ActionItem.Precision.RELATIVE:
            return _("ingen dato endnu")
        return _("uden frist")
    return describe_deadline(item.window_start, item.due_date, item.precision)


@register.filter
def overdue(days: int | None) -> str:
    """ "3 dage over fristen" for an item's days_overdue; empty when it is not overdue."""
    if not days:
        return ""
    return ngettext("%(days)d dag over fristen", "%(days)d dage over fristen", days) % {"days": days}


@register.filter
def date_da(value: dt.date | dt.datetime | None) -> str:
    """ "12. maj 2022" ("12 May 2022" when the page is in English)."""
    if value is None:
        return ""
    if isinstance(value, dt.datetime):
        value = timezone.localtime(value).date()
    return format_date(value)


@register.filter
def datetime_da(value: dt.datetime | None) -> str:
    """ "12. maj 2022 kl. 14.05", in Danish time."""
    if value is None:
        return ""
    local = timezone.localtime(value)
    return _("%(date)s kl. %(time)s") % {"date": format_date(local.date()), "time": format_time(local)}


@register.filter
def person_name(user: AbstractBaseUser | None) -> str:
    """Who did something: the person's name, else the login's full name or username."""
    if user is None:
        return _("Systemet")
    person = getattr(user, "person", None)
    if person is not None:
        return person.name
    return user.get_full_name() or user.get_username()


# The status follows from the event itself ("Udført"); the window start from the deadline.
_HIDDEN_CHANGES = {"status", "window_start"}


@register.filter
def event_changes(event: ActionItemEvent) -> list[dict[str, str]]:
    """An event's changes as readable lines: [{"label": "Frist", "before": "12. maj 2022", "after": "1. juni 2022"}]."""
    lines = []
    for name, pair in (event.changes or {}).items():
        if name in _HIDDEN_CHANGES or not isinstance(pair, list) or len(pair) != 2:
            continue
        try:
            label = str(ActionItem._meta.get_field(name).verbose_name)
        except Exception:  # a field that no longer exists: show its name
            label = name
        lines.append({
            "label": label[:1].upper() + label[1:],
            "before": _change_value(name, pair[0]),
            "after": _change_value(name, pair[1]),
        })
    return lines


def _change_value(name: str, value: Any) -> str:
    if value is None or value == "":
        return "—"
    if isinstance(value, bool):
        return _("ja") if value else _("nej")
    if name == "status" and value in ActionItem.Status.values:
        return str(ActionItem.Status(value).label)
    if name == "precision" and value in ActionItem.Precision.values:
        return str(ActionItem.Precision(value).label)
    if name in {"due_date", "window_start"}:
        try:
            return format_date(dt.date.fromisoformat(value))
        except (TypeError, ValueError):
            return str(value)
    return str(value)


# -- The forum overview's chart --------------------------------------------------------------------

CHART_WIDTH, CHART_HEIGHT = 720, 240
PAD_LEFT, PAD_RIGHT, PAD_TOP, PAD_BOTTOM = 40, 16, 14, 30


def _nice_ceiling(value: int) -> tuple[int, int]:
    """An axis maximum at or above ``value`` and a step giving at most five gridlines."""
    for step in (1, 2, 5, 10, 20, 25, 50, 100, 200, 250, 500, 1000, 2000, 2500, 5000, 10000):
        if value <= step * 4:
            return max(step, -(-value // step) * step), step
    step = 10 ** len(str(value))
    return -(-value // step) * step, step


@register.inclusion_tag("tracker/_chart.html")
def open_overdue_chart(series: Sequence[ChartPoint]) -> dict[str, Any]:
    """Open and overdue items over time as inline SVG, drawn on the server (no script, no CDN)."""
    if not series:
        return {"empty": True}
    top, step = _nice_ceiling(max(max(p.open for p in series), 1))
    plot_w = CHART_WIDTH - PAD_LEFT - PAD_RIGHT
    plot_h = CHART_HEIGHT - PAD_TOP - PAD_BOTTOM
    n = len(series)

    def x(i: int) -> float:
        return round(PAD_LEFT + (plot_w * i / (n - 1) if n > 1 else plot_w / 2), 1)

    def y(v: int) -> float:
        return round(PAD_TOP + plot_h - plot_h * v / top, 1)

    points = []
    for i, p in enumerate(series):
        points.append({
            "x": x(i), "y_open": y(p.open), "y_overdue": y(p.overdue), "point": p,
            "label": _("Uge %(week)d (%(date)s): %(open)d åbne, %(overdue)d over fristen") % {
                "week": p.day.isocalendar()[1], "date": format_date(p.day), "open": p.open, "overdue": p.overdue,
            },
        })
    months = []
    for i, p in enumerate(series):
        if i == 0 or p.day.month != series[i - 1].day.month:
            label = str(MONTHS_3[p.day.month])
            if i == 0 or p.day.month == 1:
                label += f" {p.day.year}"
            # The first and last labels must not stick out of the drawing.
            anchor = "start" if i == 0 else "end" if i == n - 1 else "middle"
            months.append({"x": x(i), "label": label, "anchor": anchor})
    baseline = y(0)
    return {
        "empty": False,
        "width": CHART_WIDTH, "height": CHART_HEIGHT,
        "left": PAD_LEFT, "right": CHART_WIDTH - PAD_RIGHT, "baseline": baseline,
        "grid": [{"y": y(v), "value": v} for v in range(0, top + 1, step)],
        "months": months, "month_y": CHART_HEIGHT - 8,
        "open_line": " ".join(f"{p['x']},{p['y_open']}" for p in points),
        "overdue_line": " ".join(f"{p['x']},{p['y_overdue']}" for p in points),
        "overdue_area": " ".join(
            [f"{points[0]['x']},{baseline}"] + [f"{p['x']},{p['y_overdue']}" for p in points]
            + [f"{points[-1]['x']},{baseline}"]
        ),
        "points": points,
        "last": series[-1],
        "first": series[0],
    }
