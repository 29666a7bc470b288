"""Searching for a word from a decision and landing on the highlighted item of the meeting."""
from __future__ import annotations

from pathlib import Path

import pytest

from minutes.importing import import_minutes
from tests.browser.conftest import login
from tests.conftest import PASSWORD

SAMPLES = Path(__file__).resolve().parents[2] / "minutes" / "samples"

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def imported(personas):
    """Chefforum's minutes of 28 April 2022, 20 January 2022 and 17 December 2020."""
    meetings = {}
    for name in ("000_3bcc5eede57647e4.txt", "002_998b5b6df1a03a16.txt", "001_609fa1df8d648a56.txt"):
        result = import_minutes(data=(SAMPLES / name).read_bytes(), filename=name)
        meetings[result.meeting.date.isoformat()] = result.meeting
    return meetings


def test_it_searches_a_word_from_a_decision_and_lands_on_the_highlighted_item(page, screenshot, imported):
    login(page, "bob", PASSWORD)
    page.get_by_role("link", name="Søg", exact=True).click()
    page.get_by_label("Søg efter").fill("kommissorier")
    page.get_by_role("button", name="Søg", exact=True).first.click()
    page.wait_for_load_state("networkidle")

    first = page.locator("article.search-hit").first
    assert "CF - Opfølgning på Lederdøgn" in first.locator(".hit-title").inner_text()
    assert first.locator(".hit-snippet mark").first.inner_text() == "Kommissorierne"
    screenshot("soegning")

    first.locator(".hit-title a").click()
    page.wait_for_load_state("networkidle")
    meeting = imported["2022-04-28"]
    assert page.url.endswith(f"/moeder/{meeting.pk}/?q=kommissorier#punkt-4")
    item = page.locator("#punkt-4")
    assert "is-search-target" in item.get_attribute("class")
    marks = item.locator("mark.search-hit-mark")
    assert "Kommissorierne" in marks.all_inner_texts()
    assert marks.first.is_visible()
    # The words are marked in the open items only; the closed items show nothing but their number.
    assert page.locator(".agenda-item.is-closed mark.search-hit-mark").count() == 0
    screenshot("soegning-moede", full_page=False)


def test_the_search_works_on_a_phone(page, screenshot, imported):
    page.set_viewport_size({"width": 390, "height": 844})
    login(page, "alice", PASSWORD)
    page.goto(page.base_url + "/moeder/soeg/?q=sundhedspuljen")
    hits = page.locator("article.search-hit")
    assert hits.count() >= 1
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 390, f"the page scrolls sideways ({width}px)"
    screenshot("soegning-mobil")


def test_the_decisions_register_shows_every_decision_of_the_forum(page, screenshot, imported):
    login(page, "alice", PASSWORD)
    page.goto(page.base_url + "/moeder/fora/chefforum/beslutninger/")
    rows = page.locator("table.register-table tbody tr")
    assert rows.count() == 20  # 8 + 6 + 6 items in the three meetings
    assert "28. april 2022" in rows.first.inner_text()
    assert "Lukket punkt" in page.locator("tr.is-closed").first.inner_text()
    screenshot("beslutningsregister")
