"""The Opfølgningsliste in the browser: on screen, on a phone and on paper (print stylesheet)."""
from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from playwright.sync_api import expect

from minutes.importing import import_minutes
from tests.browser.conftest import login
from tests.conftest import PASSWORD
from tests.factories import BodyFactory
from tracker import services
from tracker.models import ActionItem

pytestmark = pytest.mark.django_db(transaction=True)

SAMPLES = Path(__file__).resolve().parents[2] / "minutes" / "samples"


@pytest.fixture
def chefforum_followups(personas):
    BodyFactory(name="Direktionen", slug="direktionen")
    for name in ("001_609fa1df8d648a56.txt", "002_998b5b6df1a03a16.txt", "000_3bcc5eede57647e4.txt"):
        result = import_minutes(data=(SAMPLES / name).read_bytes(), filename=name)
        for item in result.new_items:
            services.action_item_confirm(item=item, by=personas.admin)
    latest = ActionItem.objects.filter(source_item__meeting__date=dt.date(2022, 4, 28)).order_by("pk").first()
    services.action_item_complete(item=latest, by=personas.admin, comment="Sendt til direktionen")
    return latest


def test_it_prints_only_the_list(page, screenshot, personas, chefforum_followups):
    login(page, "alice", PASSWORD)
    page.goto(page.base_url + "/fora/chefforum/opfoelgningsliste/?moede=2022-05-12")
    expect(page.get_by_role("heading", level=1)).to_have_text("Opfølgningsliste – Chefforum")
    expect(page.get_by_role("button", name="Udskriv")).to_be_visible()
    expect(page.get_by_text("Sendt til direktionen")).to_be_visible()
    screenshot("followup_list_screen")

    page.emulate_media(media="print")
    expect(page.get_by_role("button", name="Udskriv")).to_be_hidden()
    expect(page.locator(".topbar")).to_be_hidden()
    expect(page.get_by_role("heading", level=1)).to_be_visible()
    expect(page.locator(".followup-table thead").first).to_be_visible()
    screenshot("followup_list_print")
    pdf = page.pdf(format="A4")
    assert pdf.startswith(b"%PDF")


def test_it_reads_on_a_phone(page, screenshot, personas, chefforum_followups):
    page.set_viewport_size({"width": 390, "height": 844})
    login(page, "bob", PASSWORD)
    page.goto(page.base_url + "/fora/chefforum/opfoelgningsliste/")
    expect(page.get_by_role("heading", level=1)).to_be_visible()
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 390
    screenshot("followup_list_phone", full_page=False)
