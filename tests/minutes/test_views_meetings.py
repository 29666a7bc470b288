"""Meetings: the list per forum and a meeting's page with items, decisions and highlighted follow-ups."""
from __future__ import annotations

import datetime as dt
import re
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.urls import reverse

from minutes.highlight import Span, highlight_spans
from tests.factories import ActionItemFactory, AgendaItemFactory, BodyFactory, MeetingFactory

pytestmark = pytest.mark.django_db

SAMPLE = Path(__file__).resolve().parents[2] / "minutes" / "samples" / "000_3bcc5eede57647e4.txt"
DECIDED = "Kommissorierne skal være færdige til 12. maj."
PLANNED = "Arbejdsgrupperne skal levere deres produkt primo september 2022."


@pytest.fixture(autouse=True)
def frozen():
    with time_machine.travel(dt.datetime(2022, 6, 1, 9, tzinfo=ZoneInfo("Europe/Copenhagen")), tick=False):
        yield


@pytest.fixture
def meeting(personas):
    """Chefforum 28 April 2022 from the sample minutes: item 4 with two follow-ups, item 2 closed."""
    text = SAMPLE.read_text(encoding="utf-8")
    meeting = MeetingFactory(body=personas.body, date=dt.date(2022, 4, 28), text=text, participants=["Mette Duekilde"])
    start, end = text.index("Punkt 4: CF - Opfølgning"), text.index("Punkt 5: CF")
    decision_start = text.index("Tilbagemeldinger fra organisationen", start)
    decision = text[decision_start:text.index("\n\nBilag", decision_start)]
    lederdoegn = AgendaItemFactory(
        meeting=meeting, number=4, title="CF - Opfølgning på Lederdøgn", outcome="decided",
        text_start=start, text_end=end, sections={"Indstilling": "…", "Beslutning": decision},
    )
    AgendaItemFactory(meeting=meeting, number=2, title="Lukket", closed=True, outcome="closed")
    decided_at, planned_at = text.index(DECIDED), text.index(PLANNED)
    return {
        "meeting": meeting,
        "decided": ActionItemFactory(
            body=personas.body, source_item=lederdoegn, responsible_role=personas.role, title="Kommissorier færdige",
            quote=DECIDED, quote_start=decided_at, quote_end=decided_at + len(DECIDED),
        ),
        "planned": ActionItemFactory(
            body=personas.body, source_item=lederdoegn, title="Arbejdsgruppernes produkt", quote=PLANNED,
            quote_start=planned_at, quote_end=planned_at + len(PLANNED), due_date=dt.date(2022, 9, 10),
        ),
        "proposal": ActionItemFactory(
            body=personas.body, source_item=lederdoegn, title="Forslag: oplæg om fredagen", status="proposed",
            quote="Overveje eksternt oplæg om fredagen", quote_start=None, quote_end=None,
        ),
    }


def detail(meeting) -> str:
    return reverse("minutes:meeting_detail", args=[meeting.pk])


# -- The list --------------------------------------------------------------------------------------


def test_it_lists_the_meetings_of_my_forums_newest_first_with_their_follow_ups(client, personas, meeting):
    MeetingFactory(body=personas.body, date=dt.date(2022, 5, 19))
    MeetingFactory(body=BodyFactory(name="Direktionen", slug="direktionen"), date=dt.date(2022, 5, 20))
    client.force_login(personas.carol)
    response = client.get(reverse("minutes:meeting_list"))
    html = response.content.decode()
    assert response.status_code == 200
    assert re.findall(r'<td><a href="/moeder/\d+/">([^<]+)</a>', html) == ["19. maj 2022", "28. april 2022"]
    assert "20. maj 2022" not in html
    open_link = f'{reverse("tracker:item_list")}?status=open&amp;meeting={meeting["meeting"].pk}">2</a>'
    assert open_link in html


def test_it_shows_the_secretary_how_many_proposals_wait(client, personas, meeting):
    client.force_login(personas.alice)
    assert "1 forslag" in client.get(reverse("minutes:meeting_list")).content.decode()
    client.force_login(personas.bob)
    assert "1 forslag" not in client.get(reverse("minutes:meeting_list")).content.decode()


def test_it_lists_one_forum_at_a_time(client, personas, meeting):
    direktionen = BodyFactory(name="Direktionen", slug="direktionen")
    MeetingFactory(body=direktionen, date=dt.date(2023, 11, 27))
    client.force_login(personas.admin)
    html = client.get(reverse("minutes:meeting_list"), {"forum": "direktionen"}).content.decode()
    assert "Møder i Direktionen" in html and "27. november 2023" in html and "28. april 2022" not in html


def test_it_shows_an_outsider_no_meetings(client, personas, meeting):
    client.force_login(personas.dave)
    response = client.get(reverse("minutes:meeting_list"))
    assert response.status_code == 200
    assert "Du er ikke medlem af et forum" in response.content.decode()


def test_it_sends_anonymous_visitors_to_the_login(client, meeting):
    for path in (reverse("minutes:meeting_list"), detail(meeting["meeting"])):
        response = client.get(path)
        assert response.status_code == 302 and response.url.startswith(reverse("login"))


# -- The meeting page ------------------------------------------------------------------------------


def test_it_shows_the_meeting_with_its_decision_and_follow_ups(client, personas, meeting):
    client.force_login(personas.carol)
    response = client.get(detail(meeting["meeting"]))
    html = response.content.decode()
    assert response.status_code == 200
    assert "<h1>Chefforum 28. april 2022</h1>" in html
    assert "Punkt 4: CF - Opfølgning på Lederdøgn" in html and "Besluttet" in html
    assert "Tilbagemeldinger fra organisationen er gode." in html
    assert "Kommissorier færdige" in html and "Arbejdsgruppernes produkt" in html
    assert "Forslag: oplæg om fredagen" not in html  # proposals are the secretary's draft
    assert "Mette Duekilde" in html


def test_it_highlights_each_quote_once_with_an_anchor(client, personas, meeting):
    decided, planned = meeting["decided"], meeting["planned"]
    client.force_login(personas.carol)
    html = client.get(detail(meeting["meeting"])).content.decode()
    assert html.count(f'id="citat-{decided.pk}"') == 1 and html.count(f'id="citat-{planned.pk}"') == 1
    decision = html.split('<div class="decision">')[1].split("</div>")[0]
    assert re.search(rf'<mark id="citat-{decided.pk}" class="quote-mark"[^>]*>{DECIDED}</mark>', decision)
    full_text = html.split('<details class="full-text"')[1]
    assert re.search(rf'<mark id="citat-{planned.pk}" class="quote-mark"[^>]*>{PLANNED}</mark>', full_text)


def test_it_emphasises_the_quote_the_user_came_from_and_unfolds_its_text(client, personas, meeting):
    planned = meeting["planned"]
    client.force_login(personas.bob)
    html = client.get(detail(meeting["meeting"]), {"opfoelgning": planned.pk}).content.decode()
    assert f'<mark id="citat-{planned.pk}" class="quote-mark is-focus"' in html
    assert '<details class="full-text" open>' in html


def test_it_shows_nothing_of_a_closed_agenda_item(client, personas, meeting):
    client.force_login(personas.alice)
    html = client.get(detail(meeting["meeting"])).content.decode()
    assert "Punkt 2: Lukket punkt" in html
    assert "Lukket punkt: indholdet er fortroligt og vises ikke." in html


def test_it_shows_the_secretary_the_proposals_too(client, personas, meeting):
    client.force_login(personas.alice)
    html = client.get(detail(meeting["meeting"])).content.decode()
    assert "Forslag: oplæg om fredagen" in html and "Foreslået" in html


def test_it_escapes_markup_in_the_minutes(client, personas):
    text = "Punkt 1: <script>alert(1)</script> Beslutning: Godkendt."
    meeting = MeetingFactory(body=personas.body, text=text)
    AgendaItemFactory(meeting=meeting, number=1, title="<b>Fed</b>", text_start=0, text_end=len(text))
    client.force_login(personas.carol)
    html = client.get(detail(meeting)).content.decode()
    assert "<script>alert(1)</script>" not in html and "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert "&lt;b&gt;Fed&lt;/b&gt;" in html


@pytest.mark.parametrize("who, status", [("alice", 200), ("bob", 200), ("carol", 200), ("dave", 404)])
def test_it_shows_the_meeting_to_the_forums_members_only(client, personas, meeting, who, status):
    client.force_login(getattr(personas, who))
    assert client.get(detail(meeting["meeting"])).status_code == status


# -- The highlighting helper -----------------------------------------------------------------------


def test_it_marks_spans_in_a_slice_of_the_text_and_escapes_the_rest():
    text = "Intro. A & B skal mødes <i>. Slut."
    html = highlight_spans(text[7:], [Span(start=7, end=23, id="citat-1", css_class="quote-mark")], offset=7)
    assert html == '<mark id="citat-1" class="quote-mark">A &amp; B skal mødes</mark> &lt;i&gt;. Slut.'


def test_it_never_nests_overlapping_marks():
    html = highlight_spans("abcdefghij", [Span(start=2, end=6), Span(start=4, end=8), Span(start=5, end=6)])
    assert html == "ab<mark>cdef</mark><mark>gh</mark>ij"
