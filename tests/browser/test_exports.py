"""Follow-up sheets in the browser: export the filtered list, import a sheet with its report."""
from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import login
from tests.conftest import PASSWORD
from tests.factories import ActionItemFactory, AgendaItemFactory, MeetingFactory
from tracker.models import ActionItem

pytestmark = pytest.mark.django_db(transaction=True)

SHEET = """Forum;Mødedato;Punkt;Opfølgning;Ansvarlig rolle;Frist (dato);Status
Chefforum;28-04-2022;4;Kommissorier til direktionen;Chef for Økonomi;12-05-2022;Åben
Chefforum;28-04-2022;4;Budgetnotat;Kulturchefen;31-05-2022;Åben
Chefforum;;;Lederseminar planlægges;;01-09-2022;Åben
"""


@pytest.fixture
def listed(personas):
    meeting = MeetingFactory(body=personas.body, date=dt.date(2022, 4, 28))
    point = AgendaItemFactory(meeting=meeting, number=4, title="CF - Lederdøgn")
    ActionItemFactory(body=personas.body, source_item=point, title="Kommissorierne skal være færdige",
                      responsible_role=personas.role)
    ActionItemFactory(body=personas.body, source_item=point, title="Program for lederdøgn",
                      status=ActionItem.Status.DONE)


def test_it_exports_the_list_as_filtered(page, screenshot, personas, listed, tmp_path: Path):
    login(page, "alice", PASSWORD)
    page.goto(page.base_url + "/opfoelgninger/?status=open")
    csv_link = page.get_by_role("link", name="CSV", exact=True)
    expect(csv_link).to_have_attribute("href", "/opfoelgninger/eksport.csv?status=open")
    screenshot("item_list_export_links", full_page=False)
    with page.expect_download() as download:
        csv_link.click()
    path = tmp_path / "export.csv"
    download.value.save_as(path)
    data = path.read_bytes().decode("utf-8-sig")
    assert "Kommissorierne skal være færdige" in data and "Program for lederdøgn" not in data


def test_it_imports_a_sheet_after_showing_what_each_row_will_do(page, screenshot, personas, listed, tmp_path):
    sheet = tmp_path / "opfølgningsark.csv"
    sheet.write_text(SHEET, encoding="utf-8")
    login(page, "alice", PASSWORD)
    page.goto(page.base_url + "/opfoelgninger/")
    page.get_by_role("link", name="Importér opfølgningsark").click()
    page.set_input_files("input[type=file]", str(sheet))
    page.get_by_role("button", name="Kontrollér arket").click()

    expect(page.get_by_text("Ukendt rolle “Kulturchefen” i Chefforum.")).to_be_visible()
    screenshot("sheet_import_report")
    assert ActionItem.objects.count() == 2

    page.get_by_role("button", name="Importér kun de 2 gyldige rækker").click()
    expect(page.get_by_text("Arket er importeret: 2 nye, 0 opdaterede, 0 uændrede, 1 rækker sprunget over.")).to_be_visible()
    assert ActionItem.objects.count() == 4
