"""The chef's week in the browser: Mine opgaver, marking done, the history, the filtered list, the forum overview.

The data look like a real Chefforum (sentences from the sample minutes, the
demo roles and people) with half a year of history, and "today" is fixed at
Wednesday 1 June 2022 so the deadlines in the minutes are where they were.
"""
from __future__ import annotations

import datetime as dt
import re
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
import time_machine
from playwright.sync_api import expect

from tests.browser.conftest import login
from tests.conftest import PASSWORD
from tests.factories import (
    AgendaItemFactory,
    BodyFactory,
    MeetingFactory,
    MembershipFactory,
    PersonFactory,
    RoleAssignmentFactory,
    RoleFactory,
    UserFactory,
)
from tracker import services
from tracker.models import ActionItem

pytestmark = pytest.mark.django_db(transaction=True)

TZ = ZoneInfo("Europe/Copenhagen")
TODAY = dt.date(2022, 6, 1)
SAMPLES = Path(__file__).resolve().parents[2] / "minutes" / "samples"
LEDERDOEGN = "Kommissorierne skal være færdige til 12. maj."

Day = dt.date


def at(day: Day, hour: int = 10):
    return time_machine.travel(dt.datetime.combine(day, dt.time(hour), tzinfo=TZ), tick=False)


# (title, meeting, role key, confirmed on, due date, window start, precision, completed on)
ITEMS = [
    ("Kommissorier for arbejdsgrupperne færdige", "apr", "social", Day(2022, 4, 29), Day(2022, 5, 12), None, "day", None),
    ("Liste over medarbejdere til arbejdsgrupperne via MED", "apr", "boern", Day(2022, 4, 29), Day(2022, 5, 29), None, "day", None),
    ("Foreløbig status på arbejdsgruppernes arbejde", "apr", "social", Day(2022, 4, 29), Day(2022, 6, 23), None, "day", None),
    ("Arbejdsgruppernes produkt", "apr", "social", Day(2022, 4, 29), Day(2022, 9, 10), Day(2022, 9, 1), "month_part", None),
    ("Økonomirapport til orientering i ØU", "apr", "oekonomi", Day(2022, 4, 29), Day(2022, 5, 31), Day(2022, 5, 1), "month", None),
    ("Handleplan i særskilt notat til næste økonomirapport", "apr", "oekonomi", Day(2022, 4, 29), None, None, "none", None),
    ("Revurderinger inden næste forløb", "apr", "social", Day(2022, 4, 29), None, None, "none", None),
    ("Redaktionsgruppe: hver afdeling udpeger et medlem", "jan", "afdeling", Day(2022, 1, 21), Day(2022, 2, 1), None, "day", Day(2022, 1, 31)),
    ("Mail til Chefforum om bemanding af redaktionsgruppen", "jan", "social", Day(2022, 1, 21), None, None, "none", None),
    ("Integrationsindsats 2022 klar", "jan", "boern", Day(2022, 1, 21), Day(2022, 9, 30), Day(2022, 9, 1), "month", None),
    ("Konkretisere ønsker til beskrivelsen", "jan", "kd", Day(2022, 1, 21), Day(2022, 2, 3), None, "day", Day(2022, 2, 3)),
    ("Boligbyggeprogram 2022 til Direktørforum", "jan", "oekonomi", Day(2022, 1, 21), Day(2022, 2, 7), None, "day", Day(2022, 2, 9)),
    ("Opfølgningsarket forelægges ØU", "jan", "oekonomi", Day(2022, 1, 21), Day(2022, 2, 28), Day(2022, 2, 1), "month", Day(2022, 3, 14)),
    ("Cheferne opdaterer opfølgningsarket", "jan", "afdeling", Day(2022, 1, 21), Day(2022, 1, 21), Day(2022, 1, 17), "week", Day(2022, 1, 25)),
    ("Drøfte opfølgningsarkets fremtid", "jan", "kd", Day(2022, 1, 21), Day(2022, 2, 3), None, "day", Day(2022, 2, 3)),
    ("Forberede budgetseminaret: læse publikationen", "jan", "social", Day(2022, 1, 21), Day(2022, 3, 31), Day(2022, 3, 1), "month", Day(2022, 3, 28)),
    ("Status fra projektgruppen", "dec", "boern", Day(2021, 12, 20), Day(2022, 1, 31), Day(2022, 1, 1), "month", Day(2022, 2, 21)),
    ("Handleplaner præsenteres for politikerne", "dec", "social", Day(2021, 12, 20), Day(2022, 2, 28), Day(2022, 2, 1), "month", Day(2022, 4, 4)),
    ("Opsamlingsnotat fra drøftelsen", "dec", "sekretaer", Day(2021, 12, 20), Day(2022, 1, 14), None, "day", Day(2022, 1, 13)),
    ("Medarbejdere hjælper med at opdatere hjemmesiden", "dec", "afdeling", Day(2021, 12, 20), Day(2022, 3, 1), None, "day", None),
    ("Afsøge andre kommuners erfaringer", "dec", "social", Day(2021, 12, 20), Day(2022, 4, 22), None, "day", None),
    ("Sundhedspuljen: fordeling til projekter", "apr", "social", Day(2022, 4, 29), Day(2022, 5, 20), None, "day", Day(2022, 5, 18)),
    ("Befolkningsprognose til ØU", "apr", "oekonomi", Day(2022, 4, 29), Day(2022, 6, 3), None, "day", None),
    ("Ukraine: status på modtagelse af flygtninge", "apr", "boern", Day(2022, 4, 29), Day(2022, 6, 2), None, "day", None),
    ("Lederforum primo oktober: præsentation", "apr", "kd", Day(2022, 4, 29), Day(2022, 10, 10), Day(2022, 10, 1), "month_part", None),
]

ROLES = {
    "kd": ("Kommunaldirektør", False, "Kirsten Kommunaldirektør"),
    "oekonomi": ("Chef for Økonomi & Stab", True, "Ole Økonomi"),
    "boern": ("Chef for Børn og Unge", True, "Henrik Hansen"),
    "social": ("Chef for Social og Sundhed", True, "Mette Duekilde"),
    "afdeling": ("Afdelingschef", True, None),
    "sekretaer": ("Sekretær for Chefforum", False, "Sanne Sekretær"),
}


@pytest.fixture
def demo(db):
    """Chefforum with its roles and people, three meetings and 25 follow-ups with history."""
    body = BodyFactory(name="Chefforum", slug="chefforum", abbreviation="CF")
    direktionen = BodyFactory(name="Direktionen", slug="direktionen")
    people, roles = {}, {}
    for key, (name, is_chef, holder) in ROLES.items():
        roles[key] = RoleFactory(name=name, body=body, is_chef=is_chef, is_shared=holder is None)
        if holder:
            people[holder] = PersonFactory(name=holder)
            MembershipFactory(person=people[holder], body=body, is_secretary=key == "sekretaer")
            RoleAssignmentFactory(role=roles[key], person=people[holder], starts_on=Day(2019, 1, 1))
    for username, name in (("mette", "Mette Duekilde"), ("sanne", "Sanne Sekretær")):
        people[name].user = UserFactory(username=username, password=PASSWORD, first_name=name.split()[0],
                                        last_name=name.split()[1])
        people[name].save()
    MembershipFactory(person=people["Sanne Sekretær"], body=direktionen, is_secretary=True)

    apr_text = (SAMPLES / "000_3bcc5eede57647e4.txt").read_text(encoding="utf-8")
    meetings = {
        "dec": MeetingFactory(body=body, date=Day(2021, 12, 17)),
        "jan": MeetingFactory(body=body, date=Day(2022, 1, 20)),
        "apr": MeetingFactory(body=body, date=Day(2022, 4, 28), text=apr_text, location="Mødelokale 1"),
    }
    start, end = apr_text.index("Punkt 4: CF - Opfølgning"), apr_text.index("Punkt 5: CF")
    agenda = {
        "dec": AgendaItemFactory(meeting=meetings["dec"], number=2, title="CF - Projekt om nye arbejdsformer"),
        "jan": AgendaItemFactory(meeting=meetings["jan"], number=2, title="CF - Integrationsindsats 2022"),
        "apr": AgendaItemFactory(meeting=meetings["apr"], number=4, title="CF - Opfølgning på Lederdøgn",
                                 outcome="decided", text_start=start, text_end=end),
    }
    items = {}
    for title, meeting, role, confirmed, due, window, precision, completed in ITEMS:
        quote_start = apr_text.index(LEDERDOEGN) if title.startswith("Kommissorier") else None
        with at(confirmed):
            item = services.action_item_propose(
                body=body, title=title, source_item=agenda[meeting], due_date=due, window_start=window or due,
                precision=precision, responsible_role=roles[role],
                quote=LEDERDOEGN if quote_start is not None else f"{title}.",
                quote_start=quote_start, quote_end=quote_start + len(LEDERDOEGN) if quote_start is not None else None,
            )
            services.action_item_confirm(item=item, by=people["Sanne Sekretær"].user)
        if completed:
            with at(completed, 15):
                services.action_item_complete(item=item, by=people["Sanne Sekretær"].user)
        items[title] = item
    return {"body": body, "items": items, "people": people}


@pytest.fixture
def today():
    # Time flows from Wednesday 1 June 2022, 9:00, so the browser and the server agree on "today".
    with time_machine.travel(dt.datetime(2022, 6, 1, 9, 0, tzinfo=TZ), tick=True):
        yield TODAY


def test_it_lets_a_chef_finish_an_overdue_item_and_see_who_did_it(page, screenshot, demo, today):
    login(page, "mette", PASSWORD)
    assert page.url.endswith("/mine-opgaver/")
    first = page.locator(".item-row").first
    assert first.locator(".item-title").inner_text() == "Afsøge andre kommuners erfaringer"
    assert "40 dage over fristen" in first.inner_text()
    headings = page.locator("section.item-section h2").all_inner_texts()
    assert [h.split()[0] for h in headings] == ["Over", "Senere", "Uden"]

    overdue = page.locator(".section-overdue .item-row", has_text="Kommissorier for arbejdsgrupperne færdige")
    assert not overdue.locator("blockquote").is_visible()
    overdue.locator("summary", has_text="Vis citat").click()
    assert LEDERDOEGN in overdue.locator("blockquote").inner_text()
    screenshot("mine-opgaver")
    overdue.get_by_placeholder("Kommentar (valgfri)").fill("Godkendt i Chefforum 12. maj")
    overdue.get_by_role("button", name="Udført").click()
    done_row = page.locator(".item-row.is-done")
    done_row.wait_for()
    assert "Kommissorier for arbejdsgrupperne færdige er markeret som udført." in done_row.inner_text()
    screenshot("mine-opgaver-udfoert")

    page.reload()
    assert "Kommissorier for arbejdsgrupperne færdige" not in page.locator("main").inner_text()

    item = demo["items"]["Kommissorier for arbejdsgrupperne færdige"]
    page.goto(f"{page.base_url}/opfoelgninger/{item.pk}/")
    history = page.locator(".timeline")
    last = history.locator("li.event").last
    assert "Udført" in last.inner_text() and "af Mette Duekilde" in last.inner_text()
    assert re.search(r"1\. juni 2022 kl\. 09\.\d\d", last.inner_text())
    assert "Godkendt i Chefforum 12. maj" in last.inner_text()
    screenshot("opfoelgning")

    # The source link leads to the sentence, highlighted, in the meeting's text.
    page.get_by_role("link", name="Se sætningen i referatet").click()
    mark = page.locator("mark.quote-mark.is-focus")
    assert mark.inner_text() == LEDERDOEGN and mark.is_visible()
    screenshot("moede", full_page=False)


def test_it_undoes_udfoert_in_place(page, demo, today):
    login(page, "mette", PASSWORD)
    row = page.locator(".item-row", has_text="Foreløbig status på arbejdsgruppernes arbejde")
    row.get_by_role("button", name="Udført").click()
    page.get_by_role("button", name="Fortryd").click()
    page.locator(".item-row:not(.is-done)", has_text="Foreløbig status på arbejdsgruppernes arbejde").wait_for()
    page.reload()
    assert page.locator(".item-row", has_text="Foreløbig status på arbejdsgruppernes arbejde").count() == 1
    item = demo["items"]["Foreløbig status på arbejdsgruppernes arbejde"]
    item.refresh_from_db()
    assert item.status == ActionItem.Status.OPEN


def test_it_marks_done_without_javascript(chromium, live_server, demo, today):
    context = chromium.new_context(java_script_enabled=False, locale="da-DK", timezone_id="Europe/Copenhagen")
    page = context.new_page()
    page.base_url = live_server.url
    try:
        login(page, "mette", PASSWORD)
        row = page.locator(".item-row", has_text="Afsøge andre kommuners erfaringer")
        row.get_by_role("button", name="Udført").click()
        page.wait_for_load_state()
        assert "Afsøge andre kommuners erfaringer er markeret som udført." in page.locator(".undo-banner").inner_text()
        assert page.locator(".item-row", has_text="Afsøge andre kommuners erfaringer").count() == 0
        page.locator(".undo-banner").get_by_role("button", name="Fortryd").click()
        page.wait_for_load_state()
        assert page.locator(".item-row", has_text="Afsøge andre kommuners erfaringer").count() == 1
    finally:
        context.close()


def test_it_narrows_alle_opfoelgninger_and_keeps_the_filters_on_reload(page, screenshot, demo, today):
    login(page, "sanne", PASSWORD)
    page.goto(page.base_url + "/opfoelgninger/")
    rows = page.locator("table.item-table tbody tr")
    assert page.url.endswith("/opfoelgninger/?status=open")
    everything = rows.count()
    assert everything == 14

    page.get_by_label("Rolle").select_option(label="Chef for Social og Sundhed")
    page.wait_for_url(re.compile(r"role=\d+"))
    expect(rows).to_have_count(6)
    page.get_by_label("Kun overskredne").check()
    page.wait_for_url(re.compile(r"overdue=on"))
    expect(rows).to_have_count(2)
    assert [r.split("\n")[0] for r in rows.all_inner_texts()] == [
        "Afsøge andre kommuners erfaringer", "Kommissorier for arbejdsgrupperne færdige",
    ]

    page.reload()
    assert rows.count() == 2
    assert page.get_by_label("Kun overskredne").is_checked()
    assert page.get_by_label("Rolle").evaluate("el => el.selectedOptions[0].text") == "Chef for Social og Sundhed"

    page.get_by_label("Kun overskredne").uncheck()
    expect(rows).to_have_count(6)
    page.locator("thead").get_by_role("link", name="Frist").click()
    page.wait_for_url(re.compile(r"sort=-due"))
    expect(rows.first).to_contain_text("Arbejdsgruppernes produkt")
    assert rows.count() == 6
    screenshot("alle-opfoelgninger")


def test_it_shows_the_forum_overview_with_its_chart(page, screenshot, demo, today):
    login(page, "sanne", PASSWORD)
    page.goto(page.base_url + "/fora/chefforum/")
    assert page.locator(".tile-number").all_inner_texts() == ["14", "5", "11"]
    chart = page.locator("figure.chart svg")
    assert chart.is_visible() and chart.locator("polyline").count() == 2
    social = page.locator("tr", has_text="Chef for Social og Sundhed")
    assert "Mette Duekilde" in social.inner_text()
    screenshot("forum-oversigt")

    social.get_by_role("link", name="2").click()
    page.wait_for_load_state("networkidle")
    page.get_by_role("link", name="Afsøge andre kommuners erfaringer").click()
    assert page.get_by_role("heading", name="Ændr frist").is_visible()
    screenshot("opfoelgning-sekretaer")

    page.goto(page.base_url + "/fora/chefforum/")
    page.get_by_role("link", name="Alle møder i forummet").click()
    assert page.locator("table.meeting-table tbody tr").count() == 3
    screenshot("moeder")


def test_it_works_at_phone_width(page, screenshot, demo, today):
    page.set_viewport_size({"width": 390, "height": 844})
    login(page, "mette", PASSWORD)
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 390
    button = page.locator(".item-row").first.get_by_role("button", name="Udført")
    assert button.is_visible()
    screenshot("mine-opgaver-mobil", full_page=False)
    page.goto(page.base_url + "/opfoelgninger/?status=open")
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    screenshot("alle-opfoelgninger-mobil", full_page=False)
