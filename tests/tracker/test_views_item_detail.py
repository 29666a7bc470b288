"""The item page and its actions, for each persona: who sees what, who may change what."""
from __future__ import annotations

import datetime as dt
import re
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from tests.factories import ActionItemFactory, AgendaItemFactory, MeetingFactory, RoleFactory
from tracker import services
from tracker.models import ActionItem

pytestmark = pytest.mark.django_db

NOW = dt.datetime(2022, 6, 1, 9, 0, tzinfo=ZoneInfo("Europe/Copenhagen"))


@pytest.fixture(autouse=True)
def frozen():
    with time_machine.travel(NOW, tick=False):
        yield


@pytest.fixture
def item(personas):
    """Bob's item through his role, from Chefforum 28 April 2022, item 4."""
    meeting = MeetingFactory(body=personas.body, date=dt.date(2022, 4, 28))
    agenda = AgendaItemFactory(meeting=meeting, number=4, title="CF - Opfølgning på Lederdøgn")
    return ActionItemFactory(
        body=personas.body, source_item=agenda, responsible_role=personas.role, responsible_text="Økonomichefen",
        title="Kommissorier færdige", quote="Kommissorierne skal være færdige til 12. maj.", section="Beslutning",
        quote_start=2484, quote_end=2529, due_date=dt.date(2022, 5, 12),
    )


def url(name: str, item: ActionItem) -> str:
    return reverse(f"tracker:{name}", args=[item.pk])


def page(client, item: ActionItem) -> str:
    response = client.get(url("item_detail", item))
    assert response.status_code == 200
    return response.content.decode()


# -- Seeing the page -------------------------------------------------------------------------------


def test_it_sends_anonymous_visitors_to_the_login(client, item):
    response = client.get(url("item_detail", item))
    assert response.status_code == 302 and response.url.startswith(reverse("login"))


def test_it_hides_the_item_from_an_outsider(client, personas, item):
    client.force_login(personas.dave)
    assert client.get(url("item_detail", item)).status_code == 404


def test_it_shows_the_owner_details_source_and_the_done_button(client, personas, item):
    client.force_login(personas.bob)
    html = page(client, item)
    assert "<h1>Kommissorier færdige</h1>" in html
    assert "20 dage over fristen" in html
    assert "Chef for Økonomi" in html and "Har rollen i dag: Bob Økonomichef" in html
    assert "I referatet: “Økonomichefen”" in html
    assert "Chefforum, møde 28. april 2022, punkt 4: CF - Opfølgning på Lederdøgn" in html
    assert "Kommissorierne skal være færdige til 12. maj." in html
    meeting_link = reverse("minutes:meeting_detail", args=[item.source_item.meeting_id])
    assert f'href="{meeting_link}?opfoelgning={item.pk}#citat-{item.pk}"' in html
    assert url("item_complete", item) in html and url("item_comment", item) in html
    assert url("item_change_due", item) not in html and url("item_reassign", item) not in html


def test_it_links_an_item_without_a_sentence_span_to_its_agenda_item(client, personas, item):
    by_hand = ActionItemFactory(body=personas.body, source_item=item.source_item, quote="", quote_start=None)
    client.force_login(personas.bob)
    meeting_link = reverse("minutes:meeting_detail", args=[item.source_item.meeting_id])
    assert f'href="{meeting_link}#punkt-4">Se punktet i referatet' in page(client, by_hand)


def test_it_shows_a_chef_of_the_same_forum_the_item_read_only(client, personas, item):
    client.force_login(personas.carol)
    html = page(client, item)
    assert "Kommissorier færdige" in html
    assert "Du kan se opfølgningen, men ikke ændre den" in html
    assert "<form" not in html.split('class="item-actions"')[1].split("</aside>")[0]


def test_it_gives_the_secretary_every_action(client, personas, item):
    client.force_login(personas.alice)
    html = page(client, item)
    for name in ("item_complete", "item_comment", "item_change_due", "item_reassign", "item_cancel"):
        assert url(name, item) in html
    assert f'name="expected_version" value="{item.version}"' in html


def test_it_hides_a_proposal_from_chefs_but_shows_it_to_the_secretary(client, personas, item):
    proposal = ActionItemFactory(body=personas.body, status="proposed", responsible_role=personas.role)
    client.force_login(personas.bob)
    assert client.get(url("item_detail", proposal)).status_code == 404
    client.force_login(personas.alice)
    html = page(client, proposal)
    assert "Foreslået" in html and "Forslaget venter på at blive bekræftet eller afvist." in html
    assert reverse("minutes:review", args=[proposal.source_item.meeting_id]) in html


def test_it_hides_a_closed_agenda_items_sentence_from_chefs(client, personas, item):
    closed = AgendaItemFactory(meeting=item.source_item.meeting, number=2, title="Lukket", closed=True)
    secret = ActionItemFactory(
        body=personas.body, source_item=closed, responsible_role=personas.role, quote="Fortrolig personalesag",
    )
    client.force_login(personas.bob)
    html = page(client, secret)
    assert "Fortrolig personalesag" not in html and "punkt 2: Lukket punkt" in html
    client.force_login(personas.alice)
    assert "Fortrolig personalesag" in page(client, secret)


# -- History ---------------------------------------------------------------------------------------


def test_it_shows_the_history_with_who_when_and_what_changed(client, personas, item):
    with time_machine.travel(dt.datetime(2022, 5, 2, 14, 5, tzinfo=ZoneInfo("Europe/Copenhagen")), tick=False):
        services.action_item_update(
            item=item, by=personas.alice, due_date=dt.date(2022, 5, 19), reason="Afventer MED-udvalget"
        )
    services.action_item_comment(item=item, by=personas.bob, comment="Udkast sendt til høring")
    client.force_login(personas.carol)
    html = page(client, item)
    history = html.split('id="h-history"')[1]
    assert "Frist ændret" in history and "af Alice Sekretær" in history and "2. maj 2022 kl. 14.05" in history
    assert "Frist: 12. maj 2022 → 19. maj 2022" in history and "Afventer MED-udvalget" in history
    assert history.index("Frist ændret") < history.index("Udkast sendt til høring")
    assert "af Bob Økonomichef" in history


# -- Actions, for each persona ---------------------------------------------------------------------

ACTIONS = {
    "item_complete": {"comment": "Færdig"},
    "item_comment": {"comment": "Et spørgsmål"},
    "item_change_due": {"due_date": "2022-06-30", "reason": "Ny plan"},
    "item_reassign": {"responsible_role": "", "responsible_person": "__carol__", "reason": ""},
    "item_cancel": {"comment": "Dropped"},
}
# Who may do what: the owner changes status and comments; only the secretary edits.
EXPECTED = {
    "alice": {"item_complete": 302, "item_comment": 302, "item_change_due": 302, "item_reassign": 302, "item_cancel": 302},
    "bob": {"item_complete": 302, "item_comment": 302, "item_change_due": 403, "item_reassign": 403, "item_cancel": 403},
    "carol": {"item_complete": 403, "item_comment": 403, "item_change_due": 403, "item_reassign": 403, "item_cancel": 403},
    "dave": {"item_complete": 404, "item_comment": 404, "item_change_due": 404, "item_reassign": 404, "item_cancel": 404},
}


@pytest.mark.parametrize("who", ["alice", "bob", "carol", "dave"])
@pytest.mark.parametrize("action", list(ACTIONS))
def test_it_allows_each_action_only_to_those_who_may(client, personas, item, who, action):
    data = {k: (personas.carol.person.pk if v == "__carol__" else v) for k, v in ACTIONS[action].items()}
    client.force_login(getattr(personas, who))
    response = client.post(url(action, item), {**data, "expected_version": item.version})
    assert response.status_code == EXPECTED[who][action]
    events = list(item.events.values_list("kind", flat=True))
    assert bool(events) == (response.status_code == 302)


@pytest.mark.parametrize("action", list(ACTIONS))
def test_it_sends_anonymous_actions_to_the_login(client, item, action):
    response = client.post(url(action, item), {"expected_version": item.version})
    assert response.status_code == 302 and response.url.startswith(reverse("login"))
    assert not item.events.exists()


@pytest.mark.parametrize("action", list(ACTIONS))
def test_it_does_not_change_anything_on_get(client, personas, item, action):
    client.force_login(personas.alice)
    assert client.get(url(action, item)).status_code == 405


def test_it_marks_done_and_reopens_from_the_item_page(client, personas, item):
    client.force_login(personas.bob)
    response = client.post(url("item_complete", item), {"expected_version": item.version, "comment": "Vedtaget i MED"})
    assert response.status_code == 302 and response.url == url("item_detail", item)
    html = client.get(response.url).content.decode()
    assert "Opfølgningen er markeret som udført." in html
    assert '<span class="badge status-done">Udført</span>' in html and "Vedtaget i MED" in html

    item.refresh_from_db()
    client.post(url("item_reopen", item), {"expected_version": item.version, "comment": "Mangler bilag"})
    item.refresh_from_db()
    assert item.status == "open"
    assert [e.kind for e in item.events.all()] == ["completed", "reopened"]


def test_it_changes_the_due_date_with_a_reason(client, personas, item):
    client.force_login(personas.alice)
    client.post(url("item_change_due", item), {
        "expected_version": item.version, "due_date": "2022-06-30", "reason": "Afventer KL",
    })
    item.refresh_from_db()
    assert item.due_date == dt.date(2022, 6, 30)
    event = item.events.get()
    assert (event.kind, event.comment, event.actor) == ("due_changed", "Afventer KL", personas.alice)


def test_it_requires_a_reason_to_change_the_due_date_and_changes_nothing(client, personas, item):
    client.force_login(personas.alice)
    response = client.post(url("item_change_due", item), {
        "expected_version": item.version, "due_date": "2022-06-30", "reason": "",
    })
    assert response.status_code == 400
    assert "Skriv, hvorfor fristen ændres." in response.content.decode()
    item.refresh_from_db()
    assert item.due_date == dt.date(2022, 5, 12) and not item.events.exists()


def test_it_accepts_a_danish_written_date(client, personas, item):
    client.force_login(personas.alice)
    client.post(url("item_change_due", item), {
        "expected_version": item.version, "due_date": "30-06-2022", "reason": "Ny plan",
    })
    item.refresh_from_db()
    assert item.due_date == dt.date(2022, 6, 30)


def test_it_reassigns_to_a_role_of_the_forum(client, personas, item):
    culture = RoleFactory(name="Chef for Kultur", body=personas.body)
    client.force_login(personas.alice)
    client.post(url("item_reassign", item), {
        "expected_version": item.version, "responsible_role": culture.pk, "responsible_person": "",
        "reason": "Hører under kultur",
    })
    item.refresh_from_db()
    assert item.responsible_role == culture
    assert item.events.get().changes["responsible_role"] == ["Chef for Økonomi", "Chef for Kultur"]


def test_it_refuses_a_role_of_another_forum(client, personas, item):
    foreign = RoleFactory(name="Direktør for By og Miljø", body=MeetingFactory().body)
    client.force_login(personas.alice)
    response = client.post(url("item_reassign", item), {
        "expected_version": item.version, "responsible_role": foreign.pk, "responsible_person": "",
    })
    assert response.status_code == 400
    item.refresh_from_db()
    assert item.responsible_role == personas.role


def test_it_reports_a_conflict_in_danish_instead_of_overwriting(client, personas, item):
    seen = item.version
    services.action_item_update(item=item, by=personas.admin, due_date=dt.date(2022, 6, 15), reason="Admin")
    client.force_login(personas.alice)
    response = client.post(url("item_change_due", item), {
        "expected_version": seen, "due_date": "2022-07-01", "reason": "Min ændring",
    })
    assert response.status_code == 409
    html = response.content.decode()
    assert "Opfølgningen er blevet ændret af en anden, mens du arbejdede på den." in html
    assert "15. juni 2022" in html
    item.refresh_from_db()
    assert item.due_date == dt.date(2022, 6, 15)
    assert f'name="expected_version" value="{item.version}"' in html


def test_it_answers_htmx_with_the_updated_panel(client, personas, item):
    client.force_login(personas.bob)
    response = client.post(
        url("item_comment", item), {"expected_version": item.version, "comment": "Møde booket"},
        HTTP_HX_REQUEST="true", HTTP_HX_TARGET="item-panel",
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert html.lstrip().startswith('<div id="item-panel"') and "<html" not in html
    assert "Kommentaren er gemt." in html and "Møde booket" in html


def test_it_answers_htmx_with_errors_in_the_panel(client, personas, item):
    client.force_login(personas.bob)
    response = client.post(
        url("item_comment", item), {"expected_version": item.version, "comment": "  "},
        HTTP_HX_REQUEST="true", HTTP_HX_TARGET="item-panel",
    )
    assert response.status_code == 400
    assert "Skriv en kommentar." in response.content.decode()


def test_it_uses_the_same_number_of_queries_with_5_and_200_history_lines(client, personas, item):
    def add_events(n: int) -> None:
        for i in range(n):
            services.action_item_comment(item=item, by=personas.bob if i % 2 else personas.alice, comment=f"Note {i}")

    def count() -> int:
        with CaptureQueriesContext(connection) as queries:
            html = page(client, item)
        return len(queries), html

    # Many items in the forum must not matter either.
    for _ in range(20):
        ActionItemFactory(body=personas.body, responsible_role=personas.role)
    client.force_login(personas.alice)
    add_events(5)
    few, _ = count()
    add_events(195)
    many, html = count()
    assert many == few
    assert len(re.findall(r'<li class="event event-commented">', html)) == 200
