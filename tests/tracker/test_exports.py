"""Follow-up sheets: export the list as CSV / Excel, import a sheet back with a report per row."""
from __future__ import annotations

import csv
import datetime as dt
import io

import pytest
import time_machine
from openpyxl import Workbook, load_workbook

from tests.factories import ActionItemFactory, AgendaItemFactory, BodyFactory, MeetingFactory
from tracker import exports, services
from tracker.models import ActionItem, ActionItemEvent

pytestmark = pytest.mark.django_db

NOW = dt.datetime(2022, 6, 1, 9, 0)
Status = ActionItem.Status
Precision = ActionItem.Precision


@pytest.fixture
def sheet_world(personas):
    """A forum's follow-ups of every kind a sheet must carry: statuses, deadline precisions, responsible
    role or person, comments, text that looks like a formula, a confidential source, no source."""
    body, alice = personas.body, personas.alice
    meeting = MeetingFactory(body=body, date=dt.date(2022, 4, 28))
    point4 = AgendaItemFactory(meeting=meeting, number=4, title="CF - Lederdøgn", case_number="00.01.00-A21-2-21")
    point5 = AgendaItemFactory(meeting=meeting, number=5, title="CF - Budget", case_number="00.30.00-S00-1-22")
    closed = AgendaItemFactory(meeting=meeting, number=2, title="Personalesag Hansen", closed=True, case_number="81.1")
    with time_machine.travel(NOW, tick=False):
        items = [
            services.action_item_create(
                by=alice, body=body, title="Kommissorierne skal være færdige", source_item=point4,
                quote="Kommissorierne skal være færdige til 12. maj.", due_date=dt.date(2022, 5, 12),
                responsible_role=personas.role, comment="Aftalt på mødet",
            ),
            services.action_item_create(
                by=alice, body=body, title="Status på arbejdet; \"fase 2\"", source_item=point4,
                quote="projektgruppen vender tilbage med en status på arbejdet i maj 2022",
                window_start=dt.date(2022, 5, 1), due_date=dt.date(2022, 5, 31), precision=Precision.MONTH,
                responsible_person=personas.carol.person,
            ),
            services.action_item_create(
                by=alice, body=body, title="=HYPERLINK(\"http://evil.example\")", source_item=point5,
                window_start=dt.date(2022, 9, 1), due_date=dt.date(2022, 9, 10), precision=Precision.MONTH_PART,
            ),
            services.action_item_create(
                by=alice, body=body, title="-2 stillinger nedlægges", source_item=point5,
                window_start=dt.date(2023, 3, 1), due_date=dt.date(2023, 5, 31), precision=Precision.SEASON,
            ),
            services.action_item_create(
                by=alice, body=body, title="Drøftes på næste møde", source_item=point5, precision=Precision.RELATIVE,
            ),
            services.action_item_create(by=alice, body=body, title="Mail til alle ledere (æøå)"),
            services.action_item_create(
                by=alice, body=body, title="Opfølgning på personalesagen", source_item=closed,
                quote="Hansen fratræder.", due_date=dt.date(2022, 7, 1),
            ),
        ]
        services.action_item_complete(item=items[1], by=personas.carol, comment="Sendt til ØU\nmed bilag")
        services.action_item_cancel(item=items[3], by=alice, comment="Udgår")
        services.action_item_comment(item=items[0], by=personas.bob, comment="@Alice: udkast på vej")
    return items


def export(client, user, fmt: str = "csv", query: str = "") -> bytes:
    client.force_login(user)
    response = client.get(f"/opfoelgninger/eksport.{fmt}{query}")
    assert response.status_code == 200
    return b"".join(response.streaming_content) if fmt == "csv" else response.content


def csv_rows(data: bytes) -> list[list[str]]:
    assert data.startswith("\ufeff".encode())
    return list(csv.reader(io.StringIO(data.decode("utf-8-sig"), newline=""), delimiter=";"))


def xlsx_rows(data: bytes) -> list[list[object]]:
    sheet = load_workbook(io.BytesIO(data)).worksheets[0]
    return [[cell.value for cell in row] for row in sheet.iter_rows()]


def without_ids(rows: list[list[object]]) -> list[list[object]]:
    position = exports.HEADERS.index("Id")
    return sorted(([v for i, v in enumerate(row) if i != position] for row in rows[1:]), key=repr)


def import_sheet(user, data: bytes, name: str, **kwargs) -> exports.SheetReport:
    return exports.followup_sheet_import(by=user, rows=exports.read_sheet(data, name), **kwargs)


# -- Export ----------------------------------------------------------------------------------------


def test_it_writes_csv_that_danish_excel_opens_with_the_follow_up_sheet_columns(client, personas, sheet_world):
    rows = csv_rows(export(client, personas.alice))
    assert rows[0] == [
        "Forum", "Mødedato", "Punkt", "Sagsnummer", "Opfølgning", "Citat", "Ansvarlig rolle", "Ansvarlig person",
        "Frist (som skrevet)", "Frist (dato)", "Status", "Seneste kommentar", "Id", "Tidsrum fra", "Præcision",
    ]
    first = next(r for r in rows if r[4] == "Kommissorierne skal være færdige")
    assert first[:12] == [
        "Chefforum", "28-04-2022", "4", "00.01.00-A21-2-21", "Kommissorierne skal være færdige",
        "Kommissorierne skal være færdige til 12. maj.", "Chef for Økonomi", "", "12. maj 2022", "12-05-2022",
        "Åben", "'@Alice: udkast på vej",
    ]
    done = next(r for r in rows if r[4].startswith("Status på arbejdet"))
    assert (done[7], done[8], done[10], done[11]) == (
        "Carol Kulturchef", "i løbet af maj 2022", "Udført", "Sendt til ØU\nmed bilag")


def test_it_neutralises_cells_a_spreadsheet_would_run_as_formulas(client, personas, sheet_world):
    rows = csv_rows(export(client, personas.alice))
    titles = [r[4] for r in rows[1:]]
    assert "'=HYPERLINK(\"http://evil.example\")" in titles
    assert "'-2 stillinger nedlægges" in titles
    assert not any(value.startswith(("=", "+", "-", "@")) for row in rows for value in row)

    workbook = load_workbook(io.BytesIO(export(client, personas.alice, "xlsx")))
    cells = [cell for row in workbook.worksheets[0].iter_rows() for cell in row]
    assert not any(cell.data_type == "f" for cell in cells)
    assert "=HYPERLINK(\"http://evil.example\")" in [c.value for c in cells]


def test_it_exports_the_list_with_the_filters_of_the_list_page(client, personas, sheet_world):
    rows = csv_rows(export(client, personas.alice, query="?status=done"))
    assert [r[4] for r in rows[1:]] == ["Status på arbejdet; \"fase 2\""]
    rows = csv_rows(export(client, personas.alice, query="?q=kommissorierne&sort=-due"))
    assert [r[4] for r in rows[1:]] == ["Kommissorierne skal være færdige"]


def test_it_refuses_filters_it_cannot_apply_rather_than_exporting_more(client, personas, sheet_world):
    client.force_login(personas.alice)
    response = client.get("/opfoelgninger/eksport.csv?due_from=ikke-en-dato")
    assert response.status_code == 400
    assert "Filtrene er ugyldige" in response.content.decode()


def test_it_exports_only_what_the_user_may_see(client, personas, sheet_world):
    other = ActionItemFactory(body=BodyFactory(name="Direktionen", slug="direktionen"), title="Direktionens sag")
    proposal = ActionItemFactory(body=personas.body, title="Et forslag", status=Status.PROPOSED)
    bobs = [r[4] for r in csv_rows(export(client, personas.bob))[1:]]
    assert other.title not in bobs and proposal.title not in bobs
    assert len(bobs) == len(sheet_world)
    assert csv_rows(export(client, personas.dave)) == [exports.HEADERS]


def test_it_keeps_the_content_of_a_closed_agenda_item_out_of_the_sheet(client, personas, sheet_world):
    for fmt, read in (("csv", csv_rows), ("xlsx", xlsx_rows)):
        data = export(client, personas.alice, fmt)
        rows = read(data)
        closed_row = [value or "" for value in next(r for r in rows if r[2] in ("2", 2))]
        assert closed_row[3:6] == ["", "Opfølgning på lukket punkt", ""]
        text = repr(rows)
        assert "personalesag" not in text.lower() and "Hansen" not in text and "81.1" not in text


# -- Round trip ------------------------------------------------------------------------------------


@pytest.mark.parametrize("fmt, read", [("csv", csv_rows), ("xlsx", xlsx_rows)])
def test_it_round_trips_a_list_through_a_sheet_without_loss(client, personas, sheet_world, fmt, read):
    before = export(client, personas.alice, fmt)
    ActionItem.objects.all().delete()

    with time_machine.travel(NOW, tick=False):
        report = import_sheet(personas.alice, before, f"ark.{fmt}")
    assert report.written and report.created == len(sheet_world) and not report.invalid_rows

    after = export(client, personas.alice, fmt)
    assert without_ids(read(after)) == without_ids(read(before))
    restored = ActionItem.objects.get(title="Status på arbejdet; \"fase 2\"")
    assert (restored.status, restored.precision, restored.window_start, restored.due_date) == (
        Status.DONE, Precision.MONTH, dt.date(2022, 5, 1), dt.date(2022, 5, 31))
    assert restored.source_item.number == 4 and restored.responsible_person == personas.carol.person


def test_it_changes_nothing_when_the_same_export_is_imported_again(client, personas, sheet_world):
    data = export(client, personas.alice, "xlsx")
    events_before = ActionItemEvent.objects.count()
    versions = dict(ActionItem.objects.values_list("pk", "version"))

    report = import_sheet(personas.alice, data, "ark.xlsx")

    assert report.unchanged == len(sheet_world) and report.created == report.updated == 0
    assert ActionItemEvent.objects.count() == events_before
    assert dict(ActionItem.objects.values_list("pk", "version")) == versions


def test_it_recognises_rows_already_imported_from_a_sheet_without_ids(client, personas, sheet_world):
    rows = csv_rows(export(client, personas.alice))
    id_column = exports.HEADERS.index("Id")
    without = io.StringIO()
    csv.writer(without, delimiter=";").writerows([v for i, v in enumerate(r) if i != id_column] for r in rows)

    report = import_sheet(personas.alice, without.getvalue().encode("utf-8"), "ark.csv")

    # The confidential item is exported without its text, so it cannot be recognised without its Id.
    assert report.unchanged == len(sheet_world) - 1 and report.created == 1


def test_it_updates_items_from_an_edited_sheet_through_the_services(client, personas, sheet_world):
    rows = xlsx_rows(export(client, personas.alice, "xlsx"))
    header = rows[0]
    first = next(r for r in rows if r[4] == "Kommissorierne skal være færdige")
    first[header.index("Frist (dato)")] = dt.datetime(2022, 6, 15)
    first[header.index("Frist (som skrevet)")] = "15. juni 2022"
    first[header.index("Status")] = "Udført"
    first[header.index("Seneste kommentar")] = "Godkendt af direktionen"
    workbook = Workbook()
    for row in (header, first):
        workbook.active.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)

    report = import_sheet(personas.alice, buffer.getvalue(), "ark.xlsx")

    assert [r.action for r in report.rows] == ["update"]
    assert report.rows[0].changes == ["frist", "status: Åben → Udført", "ny kommentar"]
    item = sheet_world[0]
    item.refresh_from_db()
    assert (item.due_date, item.status) == (dt.date(2022, 6, 15), Status.DONE)
    kinds = list(item.events.order_by("pk").values_list("kind", "comment"))
    assert kinds[-2:] == [("due_changed", "Importeret fra opfølgningsark"), ("completed", "Godkendt af direktionen")]


# -- Bad rows --------------------------------------------------------------------------------------

BAD_SHEET = """Opfølgningsark Chefforum 2022
Forum;Mødedato;Punkt;Opfølgning;Ansvarlig rolle;Frist (dato);Status
Chefforum;28-04-2022;4;Kommissorier til direktionen;Chef for Økonomi;12-05-2022;Åben
Chefforum;28-04-2022;4;Budgetnotat;Chef for Økonomi;31-02-2022;Åben
Chefforum;;;Høringssvar;Kulturchefen;;Åben
Chefforum;;;Lederseminar;;01-09-2022;I gang
;;;;;;
Chefforum;;;;Chef for Økonomi;;Åben
Direktionen;;;Direktionens sag;;;Åben
Chefforum;03-02-2022;7;Årshjul;;;Åben
"""


@pytest.fixture
def agenda(personas):
    meeting = MeetingFactory(body=personas.body, date=dt.date(2022, 4, 28))
    return AgendaItemFactory(meeting=meeting, number=4, title="CF - Lederdøgn")


def test_it_reports_bad_rows_with_their_row_number_and_reason_and_writes_nothing(personas, agenda):
    BodyFactory(name="Direktionen", slug="direktionen")
    report = import_sheet(personas.alice, BAD_SHEET.encode("utf-8"), "ark.csv")

    assert not report.written
    assert ActionItem.objects.count() == 0
    problems = {row.number: row.errors for row in report.invalid_rows}
    assert problems == {
        4: ["“31-02-2022” i kolonnen Frist (dato) er ikke en dato (skriv fx 12-05-2022)."],
        5: ["Ukendt rolle “Kulturchefen” i Chefforum."],
        6: ["Ukendt status “I gang”. Brug Åben, Udført, Annulleret, Foreslået eller Afvist."],
        8: ["Kolonnen Opfølgning er tom: skriv, hvad der skal følges op på."],
        9: ["Ukendt forum “Direktionen”."],
    }
    valid = {row.number: row for row in report.valid_rows}
    assert sorted(valid) == [3, 10]
    assert valid[10].notes == [
        "Chefforum har intet møde den 3. februar 2022; opfølgningen knyttes ikke til et dagsordenspunkt."
    ]


def test_it_imports_only_the_valid_rows_when_the_secretary_asks_for_that(personas, agenda):
    report = import_sheet(personas.alice, BAD_SHEET.encode("utf-8"), "ark.csv", only_valid=True)

    assert report.written
    assert sorted(ActionItem.objects.values_list("title", flat=True)) == ["Kommissorier til direktionen", "Årshjul"]
    item = ActionItem.objects.get(title="Kommissorier til direktionen")
    assert (item.source_item, item.responsible_role, item.due_date, item.status) == (
        agenda, personas.role, dt.date(2022, 5, 12), Status.OPEN)
    assert item.events.get().kind == "created"


def test_it_refuses_rows_of_a_forum_the_user_is_not_secretary_of(personas, agenda):
    report = import_sheet(personas.bob, BAD_SHEET.encode("utf-8"), "ark.csv", only_valid=True)
    assert report.rows[0].errors == ["Du er ikke sekretær for Chefforum."]
    assert ActionItem.objects.count() == 0


def test_it_reports_files_that_are_not_sheets(personas):
    for data, name, message in (
        (b"", "tom.csv", "Filen er tom."),
        (b"%PDF-1.7 \x00\x01", "referat.xlsx", "Filen er ikke et Excel-ark i .xlsx-format"),
        (b"PK\x03\x04 not really a zip", "ark.xlsx", "Excel-filen kan ikke læses"),
        ("Titel;Dato\nNoget;1-1-2022\n".encode(), "ark.csv", "Arket har ingen kolonne “Opfølgning”"),
    ):
        with pytest.raises(exports.SheetError) as error:
            exports.read_sheet(data, name)
        assert message in str(error.value)


def test_it_reads_a_sheet_saved_by_danish_excel_in_windows_1252(personas, agenda):
    data = "Opfølgning;Ansvarlig rolle;Frist\nKommissorier færdige;Økonomichefen;12.05.2022\n".encode("cp1252")
    report = import_sheet(personas.alice, data, "ark.csv", default_body=personas.body)
    assert report.written
    item = ActionItem.objects.get()
    assert (item.title, item.responsible_role, item.due_date) == (
        "Kommissorier færdige", personas.role, dt.date(2022, 5, 12))


def test_it_understands_a_deadline_as_written_when_the_sheet_has_no_date(personas, agenda):
    data = "Forum;Mødedato;Opfølgning;Frist\nCF;28-04-2022;Status på arbejdet;primo september 2022\n".encode()
    data = data.replace("Frist\n".encode(), "Frist (som skrevet)\n".encode())
    report = import_sheet(personas.alice, data, "ark.csv")
    assert report.written, [r.errors for r in report.rows]
    item = ActionItem.objects.get()
    assert (item.window_start, item.due_date, item.precision) == (
        dt.date(2022, 9, 1), dt.date(2022, 9, 10), Precision.MONTH_PART)


# -- The import page -------------------------------------------------------------------------------


@pytest.mark.parametrize("persona, status", [("alice", 200), ("bob", 403), ("carol", 403), ("dave", 403), ("admin", 200)])
def test_it_lets_only_secretaries_import_sheets(client, personas, persona, status):
    client.force_login(getattr(personas, persona))
    assert client.get("/opfoelgninger/importer/").status_code == status


def test_it_shows_the_report_first_and_imports_the_valid_rows_on_request(client, personas, agenda):
    client.force_login(personas.alice)
    upload = io.BytesIO(BAD_SHEET.encode("utf-8"))
    upload.name = "ark.csv"

    page = client.post("/opfoelgninger/importer/", {"step": "upload", "file": upload, "body": ""})

    html = page.content.decode()
    assert page.status_code == 200 and ActionItem.objects.count() == 0
    assert "Ukendt rolle “Kulturchefen” i Chefforum." in html
    assert "Importér kun de 2 gyldige rækker" in html
    token = page.context["token"]

    refused = client.post("/opfoelgninger/importer/", {"step": "import", "token": token})
    assert refused.status_code == 200 and ActionItem.objects.count() == 0
    assert "Intet er importeret" in refused.content.decode()

    done = client.post("/opfoelgninger/importer/", {"step": "import", "token": token, "only_valid": "1"}, follow=True)
    assert ActionItem.objects.count() == 2
    assert "Arket er importeret: 2 nye, 0 opdaterede, 0 uændrede, 5 rækker sprunget over." in done.content.decode()


def test_it_asks_for_the_file_again_when_the_stored_sheet_is_gone(client, personas):
    client.force_login(personas.alice)
    response = client.post("/opfoelgninger/importer/", {"step": "import", "token": "forældet"}, follow=True)
    assert "Arket er ikke længere gemt. Vælg filen igen." in response.content.decode()


def test_it_shows_a_clear_message_for_an_unreadable_upload(client, personas):
    client.force_login(personas.alice)
    upload = io.BytesIO(b"\x00\x01\x02 binary")
    upload.name = "ark.csv"
    response = client.post("/opfoelgninger/importer/", {"step": "upload", "file": upload})
    assert response.status_code == 200
    assert "Filen er hverken et Excel-ark (.xlsx) eller en CSV-fil." in response.content.decode()

