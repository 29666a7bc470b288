""" "Alle opfølgninger": filters in the URL, sorting, pages, and only what the user may see."""
from __future__ import annotations

import datetime as dt
import re
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from tests.factories import (
    ActionItemFactory,
    AgendaItemFactory,
    BodyFactory,
    MeetingFactory,
    RoleAssignmentFactory,
    RoleFactory,
)
from tracker.filters import ActionItemFilter
from tracker.models import ActionItem

pytestmark = pytest.mark.django_db

NOW = dt.datetime(2022, 6, 1, 9, 0, tzinfo=ZoneInfo("Europe/Copenhagen"))
LIST = reverse("tracker:item_list")


@pytest.fixture(autouse=True)
def frozen():
    with time_machine.travel(NOW, tick=False):
        yield


@pytest.fixture
def world(personas):
    """Items of Chefforum (bob's role, another role, a person, a proposal) and of a forum nobody here is in."""
    meeting = MeetingFactory(body=personas.body, date=dt.date(2022, 4, 28))
    other_meeting = MeetingFactory(body=personas.body, date=dt.date(2022, 5, 19))
    culture = RoleFactory(name="Chef for Kultur", body=personas.body, is_chef=True)
    RoleAssignmentFactory(role=culture, person=personas.carol.person)
    agenda = AgendaItemFactory(meeting=meeting, number=4)
    direktionen = BodyFactory(name="Direktionen", slug="direktionen")
    return {
        "meeting": meeting,
        "other_meeting": other_meeting,
        "culture": culture,
        "kommissorier": ActionItemFactory(
            body=personas.body, source_item=agenda, responsible_role=personas.role, title="Kommissorier færdige",
            quote="Kommissorierne skal være færdige til 12. maj.", due_date=dt.date(2022, 5, 12),
        ),
        "status": ActionItemFactory(
            body=personas.body, source_item=AgendaItemFactory(meeting=other_meeting, number=2),
            responsible_role=culture, title="Status på arbejdsgrupperne", due_date=dt.date(2022, 6, 23),
        ),
        "sundhed": ActionItemFactory(
            body=personas.body, source_item=agenda, responsible_person=personas.bob.person,
            title="Fordeling af sundhedspuljen", window_start=dt.date(2022, 9, 1), due_date=dt.date(2022, 9, 30),
            precision=ActionItem.Precision.MONTH, status="done",
        ),
        "proposal": ActionItemFactory(
            body=personas.body, source_item=agenda, title="Foreslået: lederforum primo oktober", status="proposed",
        ),
        "elsewhere": ActionItemFactory(body=direktionen, title="Direktionens budgetopfølgning"),
    }


def titles(response) -> list[str]:
    body = re.search(r"<tbody>(.*?)</tbody>", response.content.decode(), re.S)
    return re.findall(r'<td data-label="Opfølgning"><a href="[^"]+">([^<]+)</a>', body.group(1)) if body else []


def test_it_sends_anonymous_visitors_to_the_login(client):
    response = client.get(LIST)
    assert response.status_code == 302 and response.url.startswith(reverse("login"))


def test_it_opens_on_the_open_items_with_the_filter_in_the_url(client, personas, world):
    client.force_login(personas.carol)
    response = client.get(LIST)
    assert response.status_code == 302 and response.url == f"{LIST}?status=open"
    assert titles(client.get(response.url)) == ["Kommissorier færdige", "Status på arbejdsgrupperne"]


def test_it_shows_a_chef_the_forums_items_but_not_proposals_or_other_forums(client, personas, world):
    client.force_login(personas.carol)
    shown = titles(client.get(LIST, {"status": ""}))
    assert shown == ["Kommissorier færdige", "Status på arbejdsgrupperne", "Fordeling af sundhedspuljen"]


def test_it_shows_the_secretary_the_proposals_too(client, personas, world):
    client.force_login(personas.alice)
    response = client.get(LIST, {"status": "proposed"})
    assert titles(response) == ["Foreslået: lederforum primo oktober"]
    assert '<option value="proposed" selected>Foreslået</option>' in response.content.decode()


def test_it_does_not_offer_chefs_the_proposal_status(client, personas, world):
    client.force_login(personas.carol)
    html = client.get(LIST, {"status": ""}).content.decode()
    assert 'value="proposed"' not in html
    assert titles(client.get(LIST, {"status": "proposed"})) == []


def test_it_shows_an_outsider_nothing(client, personas, world):
    client.force_login(personas.dave)
    response = client.get(LIST, {"status": ""})
    assert response.status_code == 200
    assert titles(response) == [] and "Ingen opfølgninger passer til filtrene." in response.content.decode()


def test_it_filters_by_role_and_by_forum(client, personas, world):
    client.force_login(personas.alice)
    assert titles(client.get(LIST, {"status": "open", "role": world["culture"].pk})) == ["Status på arbejdsgrupperne"]
    assert titles(client.get(LIST, {"status": "", "body": "chefforum", "role": personas.role.pk})) == [
        "Kommissorier færdige"
    ]


def test_it_filters_by_person_including_the_roles_they_hold(client, personas, world):
    client.force_login(personas.alice)
    shown = titles(client.get(LIST, {"status": "", "person": personas.bob.person.pk}))
    assert shown == ["Kommissorier færdige", "Fordeling af sundhedspuljen"]


def test_it_filters_by_due_dates_overdue_and_precision(client, personas, world):
    client.force_login(personas.alice)
    assert titles(client.get(LIST, {"status": "", "due_from": "2022-06-01", "due_to": "2022-06-30"})) == [
        "Status på arbejdsgrupperne"
    ]
    assert titles(client.get(LIST, {"status": "", "overdue": "on"})) == ["Kommissorier færdige"]
    assert titles(client.get(LIST, {"status": "", "precision": "month"})) == ["Fordeling af sundhedspuljen"]


def test_it_filters_by_meeting(client, personas, world):
    client.force_login(personas.carol)
    assert titles(client.get(LIST, {"status": "", "meeting": world["other_meeting"].pk})) == [
        "Status på arbejdsgrupperne"
    ]


def test_it_searches_every_word_in_title_and_quote(client, personas, world):
    client.force_login(personas.carol)
    assert titles(client.get(LIST, {"status": "", "q": "færdige 12. maj"})) == ["Kommissorier færdige"]
    assert titles(client.get(LIST, {"status": "", "q": "ARBEJDSGRUPPERNE"})) == ["Status på arbejdsgrupperne"]


def test_it_keeps_a_closed_agenda_items_sentence_from_members_search(client, personas, world):
    closed = AgendaItemFactory(meeting=world["meeting"], number=2, closed=True, title="Lukket")
    ActionItemFactory(body=personas.body, source_item=closed, title="Personalesag", quote="Fortrolig afskedigelse")
    client.force_login(personas.carol)
    assert titles(client.get(LIST, {"status": "", "q": "afskedigelse"})) == []
    client.force_login(personas.alice)
    assert titles(client.get(LIST, {"status": "", "q": "afskedigelse"})) == ["Personalesag"]


def test_it_refuses_a_forum_the_user_is_not_in_with_a_danish_message(client, personas, world):
    client.force_login(personas.carol)
    response = client.get(LIST, {"status": "", "body": "direktionen"})
    assert response.status_code == 400
    html = response.content.decode()
    assert "Filtrene kunne ikke bruges" in html and "Direktionens budgetopfølgning" not in html


def test_it_keeps_each_users_choices_after_the_filters_were_built_for_the_api_schema(client, personas, world):
    for filter_ in ActionItemFilter.base_filters.values():
        filter_.field  # what the schema generator does with the class's filters
    client.force_login(personas.carol)
    assert client.get(LIST, {"status": "", "body": "direktionen"}).status_code == 400
    assert titles(client.get(LIST, {"status": "", "body": "chefforum", "role": world["culture"].pk})) == [
        "Status på arbejdsgrupperne"
    ]
    assert 'value="proposed"' not in client.get(LIST, {"status": ""}).content.decode()


def test_it_tells_a_user_about_an_impossible_date(client, personas, world):
    client.force_login(personas.carol)
    response = client.get(LIST, {"status": "", "due_from": "31-02-2022"})
    assert response.status_code == 400
    assert "Indtast en gyldig dato." in response.content.decode()


def test_it_sorts_by_title_and_by_due_date_descending_with_undated_last(client, personas, world):
    ActionItemFactory(body=personas.body, title="Aftale uden dato", due_date=None, window_start=None, precision="none")
    client.force_login(personas.carol)
    assert titles(client.get(LIST, {"status": "", "sort": "title"}))[:2] == [
        "Aftale uden dato", "Fordeling af sundhedspuljen",
    ]
    assert titles(client.get(LIST, {"status": "", "sort": "-due"})) == [
        "Fordeling af sundhedspuljen", "Status på arbejdsgrupperne", "Kommissorier færdige", "Aftale uden dato",
    ]


def test_it_pages_through_25_at_a_time_keeping_the_filters_in_the_links(client, personas):
    for i in range(30):
        ActionItemFactory(body=personas.body, title=f"Opgave {i:02d}", due_date=dt.date(2022, 7, 1) + dt.timedelta(days=i))
    client.force_login(personas.carol)
    first = client.get(LIST, {"status": "open", "q": "Opgave"})
    assert len(titles(first)) == 25
    html = first.content.decode()
    assert "30 opfølgninger" in html and "side 1 af 2" in html
    assert 'href="?status=open&amp;q=Opgave&amp;page=2"' in html
    second = client.get(LIST, {"status": "open", "q": "Opgave", "page": 2})
    assert titles(second) == [f"Opgave {i:02d}" for i in range(25, 30)]


def test_it_links_the_first_last_and_nearby_pages_and_elides_the_rest(client, personas, monkeypatch):
    monkeypatch.setattr("tracker.views.items.PAGE_SIZE", 2)
    for i in range(24):  # 12 pages
        ActionItemFactory(body=personas.body, title=f"Opgave {i:02d}", due_date=dt.date(2022, 7, 1) + dt.timedelta(days=i))
    client.force_login(personas.carol)

    html = client.get(LIST, {"status": "open", "page": 6}).content.decode()
    start = html.index('class="pagination"')
    nav = html[start:html.index("</nav>", start)]

    linked = [int(n) for n in re.findall(r"page=(\d+)\">\d+</a>", nav)]
    assert linked == [1, 4, 5, 7, 8, 12]
    assert '<span aria-current="page" class="current">6</span>' in nav
    assert nav.count('class="gap"') == 2
    assert 'rel="prev" href="?status=open&amp;page=5"' in nav and 'rel="next" href="?status=open&amp;page=7"' in nav


def test_it_answers_htmx_with_only_the_results(client, personas, world):
    client.force_login(personas.carol)
    response = client.get(LIST, {"status": "open", "role": world["culture"].pk}, HTTP_HX_REQUEST="true",
                          HTTP_HX_TARGET="results")
    html = response.content.decode()
    assert html.lstrip().startswith('<section id="results"')
    assert "<form" not in html and titles(response) == ["Status på arbejdsgrupperne"]
    assert "HX-Request" in response["Vary"]


def test_it_marks_overdue_rows_with_the_days(client, personas, world):
    client.force_login(personas.carol)
    html = client.get(LIST, {"status": "open"}).content.decode()
    assert "20 dage over fristen" in html and "12. maj 2022" in html


def test_it_uses_the_same_number_of_queries_for_5_and_200_items(client, personas):
    def add(n: int) -> None:
        for _ in range(n):
            ActionItemFactory(body=personas.body, responsible_role=personas.role, responsible_person=personas.bob.person)

    def count() -> int:
        with CaptureQueriesContext(connection) as queries:
            response = client.get(LIST, {"status": "open", "body": "chefforum", "q": "Opfølgning", "sort": "-due"})
            assert response.status_code == 200
        return len(queries)

    client.force_login(personas.alice)
    add(5)
    few = count()
    add(195)
    assert count() == few
