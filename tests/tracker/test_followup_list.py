"""The "Opfølgningsliste" for a forum's next meeting: a printable page and a Word document."""
from __future__ import annotations

import datetime as dt
import io
from pathlib import Path

import docx
import pytest
import time_machine

from minutes.importing import import_minutes
from tests.factories import ActionItemFactory, AgendaItemFactory, BodyFactory, MeetingFactory
from tracker import services
from tracker.models import ActionItem

pytestmark = pytest.mark.django_db

SAMPLES = Path(__file__).resolve().parents[2] / "minutes" / "samples"
TODAY = dt.datetime(2022, 5, 5, 10, 0)
Status = ActionItem.Status


def read_docx(data: bytes) -> tuple[list[str], list[list[list[str]]]]:
    """Paragraph texts and the tables' cell texts, as Word would show them."""
    document = docx.Document(io.BytesIO(data))
    paragraphs = [p.text for p in document.paragraphs if p.text]
    tables = [[[cell.text for cell in row.cells] for row in table.rows] for table in document.tables]
    return paragraphs, tables


@pytest.fixture
def chefforum(personas):
    """Chefforum met on 24 March and 28 April 2022; case A was on the agenda both times."""
    body = personas.body
    march = MeetingFactory(body=body, date=dt.date(2022, 3, 24))
    april = MeetingFactory(body=body, date=dt.date(2022, 4, 28))
    case_a_march = AgendaItemFactory(meeting=march, number=3, title="CF - Lederdøgn", case_number="00.01.00-A21-2-21")
    case_a_april = AgendaItemFactory(
        meeting=april, number=4, title="CF - Opfølgning på Lederdøgn", case_number="00.01.00-A21-2-21")
    case_b = AgendaItemFactory(meeting=april, number=5, title="CF - Budget 2023", case_number="00.30.00-S00-1-22")
    closed = AgendaItemFactory(meeting=april, number=2, title="Personalesag Hansen", closed=True, case_number="")
    make = ActionItemFactory
    items = {
        "overdue": make(body=body, source_item=case_a_march, title="Arbejdsgrupper nedsættes",
                        due_date=dt.date(2022, 4, 1), responsible_role=personas.role),
        "before": make(body=body, source_item=case_a_april, title="Kommissorierne skal være færdige",
                       due_date=dt.date(2022, 5, 12), responsible_person=personas.carol.person),
        "later": make(body=body, source_item=case_b, title="Budgetforslag til ØU", due_date=dt.date(2022, 9, 1)),
        "undated": make(body=body, source_item=None, title="Mail til alle ledere", due_date=None,
                        window_start=None, precision=ActionItem.Precision.NONE),
        "closed": make(body=body, source_item=closed, title="Hansen fratræder", quote="Hansen fratræder."),
        "recently_done": make(body=body, source_item=case_b, title="Tal til budgetseminar"),
        "done_long_ago": make(body=body, source_item=case_a_march, title="Program for lederdøgn"),
        "cancelled": make(body=body, source_item=case_b, title="Annulleret opgave"),
        "proposal": make(body=body, source_item=case_b, title="Et forslag", status=Status.PROPOSED),
    }
    with time_machine.travel(dt.datetime(2022, 4, 1, 12, 0), tick=False):
        services.action_item_complete(item=items["done_long_ago"], by=personas.alice)
    with time_machine.travel(dt.datetime(2022, 4, 30, 12, 0), tick=False):
        services.action_item_complete(item=items["recently_done"], by=personas.bob, comment="Sendt til ØU")
    services.action_item_cancel(item=items["cancelled"], by=personas.alice)
    return items


def get_docx(client, user, query: str = "?moede=2022-05-12") -> bytes:
    client.force_login(user)
    with time_machine.travel(TODAY, tick=False):
        response = client.get(f"/fora/chefforum/opfoelgningsliste.docx{query}")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
    return response.content


def test_it_groups_open_and_recently_completed_items_by_case_in_a_word_document(client, personas, chefforum):
    paragraphs, tables = read_docx(get_docx(client, personas.alice))

    assert paragraphs[0] == "Opfølgningsliste – Chefforum"
    assert paragraphs[1] == (
        "Til mødet 12. maj 2022. Åbne opfølgninger og opfølgninger udført siden mødet 28. april 2022. "
        "Status pr. 5. maj 2022."
    )
    headings = [p for p in paragraphs[2:] if not p.startswith("Behandlet")]
    assert headings == [
        "CF - Opfølgning på Lederdøgn (sag 00.01.00-A21-2-21)",
        "Lukket punkt",
        "CF - Budget 2023 (sag 00.30.00-S00-1-22)",
        "Øvrige opfølgninger",
    ]
    assert "Behandlet: 24. marts 2022, punkt 3; 28. april 2022, punkt 4" in paragraphs
    case_a, closed, case_b, others = tables
    assert case_a == [
        ["Opfølgning", "Ansvarlig", "Frist", "Status"],
        ["Arbejdsgrupper nedsættes", "Chef for Økonomi (Bob Økonomichef)", "1. april 2022", "Overskredet (34 dage)"],
        ["Kommissorierne skal være færdige", "Carol Kulturchef", "12. maj 2022", "Frist før mødet"],
    ]
    assert closed[1][0] == "Opfølgning på lukket punkt"
    assert case_b[1:] == [
        ["Budgetforslag til ØU", "–", "1. september 2022", "Åben"],
        ["Tal til budgetseminar", "–", "12. maj 2022", "Udført 30. april 2022: Sendt til ØU"],
    ]
    assert others[1:] == [["Mail til alle ledere", "–", "uden frist", "Uden frist"]]


def test_it_leaves_out_old_cancelled_proposed_and_confidential_content(client, personas, chefforum):
    paragraphs, tables = read_docx(get_docx(client, personas.alice))
    text = "\n".join(paragraphs + [cell for table in tables for row in table for cell in row])
    for left_out in ("Program for lederdøgn", "Annulleret opgave", "Et forslag", "Hansen", "Personalesag"):
        assert left_out not in text


def test_it_shows_the_list_for_the_forums_members_only(client, personas, chefforum):
    for persona, status in (("alice", 200), ("bob", 200), ("carol", 200), ("dave", 404), ("admin", 200)):
        client.force_login(getattr(personas, persona))
        assert client.get("/fora/chefforum/opfoelgningsliste/").status_code == status
        assert client.get("/fora/chefforum/opfoelgningsliste.docx").status_code == status


def test_it_shows_a_printable_page_with_the_same_groups(client, personas, chefforum):
    client.force_login(personas.bob)
    with time_machine.travel(TODAY, tick=False):
        response = client.get("/fora/chefforum/opfoelgningsliste/?moede=2022-05-12")
    html = response.content.decode()
    assert "css/exports.css" in html and "js/followup_list.js" in html
    assert html.index("CF - Opfølgning på Lederdøgn (sag 00.01.00-A21-2-21)") < html.index("CF - Budget 2023")
    assert "Overskredet (34 dage)" in html and "Frist før mødet" in html and "Udført 30. april 2022" in html
    assert "/fora/chefforum/opfoelgningsliste.docx?moede=2022-05-12" in html
    assert "Hansen" not in html


def test_it_explains_a_bad_meeting_date_and_still_shows_the_list(client, personas, chefforum):
    client.force_login(personas.alice)
    response = client.get("/fora/chefforum/opfoelgningsliste/?moede=12-13-2022")
    assert response.status_code == 400
    assert "Indtast en gyldig dato." in response.content.decode()
    assert "Arbejdsgrupper nedsættes" in response.content.decode()


def test_it_makes_the_list_for_the_sample_forums_from_their_minutes(client, personas):
    """The real sample minutes of both forums, imported and confirmed as a secretary would."""
    BodyFactory(name="Direktionen", slug="direktionen")
    for path in sorted(SAMPLES.glob("*.txt")):
        result = import_minutes(data=path.read_bytes(), filename=path.name)
        for item in result.new_items:
            services.action_item_confirm(item=item, by=personas.admin)
    first_open = ActionItem.objects.filter(body__slug="chefforum", status=Status.OPEN).order_by("pk").first()
    services.action_item_complete(item=first_open, by=personas.admin, comment="Klaret")

    for slug in ("chefforum", "direktionen"):
        client.force_login(personas.admin)
        response = client.get(f"/fora/{slug}/opfoelgningsliste.docx")
        paragraphs, tables = read_docx(response.content)
        open_items = ActionItem.objects.filter(body__slug=slug, status=Status.OPEN)
        assert open_items.exists()
        assert sum(len(table) - 1 for table in tables) == open_items.count() + (slug == "chefforum")
        listed = {row[0] for table in tables for row in table[1:]}
        assert {item.title for item in open_items if not item.source_item or not item.source_item.closed} <= listed
        if slug == "chefforum":
            assert any(row[0] == first_open.title and row[3].endswith(": Klaret") for t in tables for row in t[1:])
