"""The forum overview: open / overdue / done per role, and the chart of open vs. overdue over time."""
from __future__ import annotations

import datetime as dt
import re
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from tests.factories import ActionItemFactory, BodyFactory, MeetingFactory, RoleFactory
from tracker import selectors, services
from tracker.models import ActionItem

pytestmark = pytest.mark.django_db

TZ = ZoneInfo("Europe/Copenhagen")
NOW = dt.datetime(2022, 6, 1, 9, 0, tzinfo=TZ)


def at(day: dt.date):
    return time_machine.travel(dt.datetime.combine(day, dt.time(10), tzinfo=TZ), tick=False)


@pytest.fixture
def history(personas):
    """Items confirmed, completed and cancelled at known days, as the services record it."""
    culture = RoleFactory(name="Chef for Kultur", body=personas.body, is_chef=True)
    made = {}
    with at(dt.date(2022, 3, 1)):
        for key, due, role in (
            ("early", dt.date(2022, 3, 20), personas.role),   # overdue from 21 March, done 10 April
            ("late", dt.date(2022, 4, 15), personas.role),    # overdue from 16 April, still open
            ("culture", dt.date(2022, 8, 1), culture),        # not due yet
            ("dropped", dt.date(2022, 3, 10), culture),       # overdue, then cancelled 1 April
        ):
            made[key] = ActionItemFactory(body=personas.body, responsible_role=role, due_date=due, status="proposed")
            services.action_item_confirm(item=made[key], by=personas.alice)
    with at(dt.date(2022, 4, 1)):
        services.action_item_cancel(item=made["dropped"], by=personas.alice, comment="Udgår")
    with at(dt.date(2022, 4, 10)):
        services.action_item_complete(item=made["early"], by=personas.bob)
    with at(dt.date(2022, 5, 2)):
        made["person"] = services.action_item_create(
            by=personas.alice, body=personas.body, title="Personlig opgave", due_date=dt.date(2022, 5, 20),
            responsible_person=personas.carol.person,
        )
    made["culture_role"] = culture
    return made


def overview_url(slug: str = "chefforum") -> str:
    return reverse("tracker:body_overview", args=[slug])


def test_it_counts_open_overdue_and_done_per_role(client, personas, history):
    client.force_login(personas.carol)
    with time_machine.travel(NOW, tick=False):
        response = client.get(overview_url())
    assert response.status_code == 200
    html = response.content.decode()
    rows = {
        name.strip(): cells
        for name, cells in re.findall(r'<th scope="row">(.*?)</th>(.*?)</tr>', html, re.S)
    }
    economy = re.findall(r'class="num"[^>]*>(?:<a[^>]*>)?(?:<strong>)?(\d+)', rows["Chef for Økonomi"])
    culture = re.findall(r'class="num"[^>]*>(?:<a[^>]*>)?(?:<strong>)?(\d+)', rows["Chef for Kultur"])
    assert economy == ["1", "1", "1"]  # open, over the deadline, done
    assert culture == ["1", "0", "0"]
    assert "Bob Økonomichef" in rows["Chef for Økonomi"] and "Carol Kulturchef" not in rows["Chef for Kultur"]
    assert re.search(r'tile-number">3<.*?åbne', html, re.S) and re.search(r'tile-number">2<.*?over fristen', html, re.S)


def test_it_draws_the_chart_as_inline_svg_without_scripts(client, personas, history):
    client.force_login(personas.alice)
    with time_machine.travel(NOW, tick=False):
        html = client.get(overview_url()).content.decode()
    svg = re.search(r"<svg.*?</svg>", html, re.S).group(0)
    assert 'role="img"' in svg and "<polyline" in svg and "<script" not in svg
    assert "Senest 3 åbne, heraf 2 over fristen." in svg
    # Coordinates are numbers as SVG reads them, never Danish decimal commas ("210,5").
    assert re.findall(r'\s(?:x|y|x1|y1|cx|cy)="([^"]*)"', svg)
    assert all(re.fullmatch(r"-?\d+(\.\d+)?", v) for v in re.findall(r'\s(?:x|y|x1|y1|cx|cy)="([^"]*)"', svg))
    assert "<script" not in html.split("</head>")[1]


def test_it_computes_open_and_overdue_at_the_end_of_each_week(personas, history):
    items = ActionItem.objects.filter(body=personas.body)
    series = selectors.open_overdue_series(items=items, today=dt.date(2022, 6, 1), weeks=14)
    by_day = {p.day: (p.open, p.overdue) for p in series}
    assert by_day[dt.date(2022, 3, 2)] == (4, 0)   # all four confirmed on 1 March
    assert by_day[dt.date(2022, 3, 16)] == (4, 1)  # "dropped" past 10 March
    assert by_day[dt.date(2022, 3, 23)] == (4, 2)  # "early" past 20 March
    assert by_day[dt.date(2022, 4, 6)] == (3, 1)   # "dropped" cancelled 1 April
    assert by_day[dt.date(2022, 4, 13)] == (2, 0)  # "early" done 10 April
    assert by_day[dt.date(2022, 4, 20)] == (2, 1)  # "late" past 15 April
    assert by_day[dt.date(2022, 5, 25)] == (3, 2)  # the hand-made item from 2 May, past 20 May
    assert series[-1].day == dt.date(2022, 6, 1)


@pytest.mark.parametrize("who, status", [("alice", 200), ("bob", 200), ("carol", 200), ("dave", 404)])
def test_it_shows_the_overview_to_the_forums_members_only(client, personas, history, who, status):
    client.force_login(getattr(personas, who))
    assert client.get(overview_url()).status_code == status


def test_it_sends_anonymous_visitors_to_the_login(client, personas):
    response = client.get(overview_url())
    assert response.status_code == 302 and response.url.startswith(reverse("login"))


def test_it_does_not_reveal_a_forum_the_user_is_not_in(client, personas):
    BodyFactory(name="Direktionen", slug="direktionen")
    client.force_login(personas.bob)
    assert client.get(overview_url("direktionen")).status_code == 404


def test_it_links_each_count_to_the_filtered_list(client, personas, history):
    client.force_login(personas.carol)
    with time_machine.travel(NOW, tick=False):
        html = client.get(overview_url()).content.decode()
    assert f'?status=open&amp;overdue=on&amp;body=chefforum&amp;role={personas.role.pk}"' in html


def test_it_uses_the_same_number_of_queries_for_5_and_200_items(client, personas):
    def add(n: int) -> None:
        for i in range(n):
            item = ActionItemFactory(body=personas.body, responsible_role=personas.role, status="proposed",
                                     due_date=dt.date(2022, 5, 1) + dt.timedelta(days=i % 60))
            services.action_item_confirm(item=item, by=personas.alice)
        MeetingFactory(body=personas.body)

    def count() -> int:
        with time_machine.travel(NOW, tick=False), CaptureQueriesContext(connection) as queries:
            assert client.get(overview_url()).status_code == 200
        return len(queries)

    client.force_login(personas.alice)
    add(5)
    few = count()
    add(195)
    assert count() == few
