"""Follow-up sheets ("opfølgningsark") out of and into the tracker, as CSV and Excel.

Export: any list of items the user may see, with the columns secretaries keep
in their sheets, plus three technical columns (Id, Tidsrum fra, Præcision) that
make a sheet read back without loss. CSV is written the way Danish Excel reads
it: UTF-8 with a byte order mark, semicolons. Cells that a spreadsheet would run
as a formula (starting with = + - @) are neutralised.

Import: a sheet is checked row by row against the database before anything is
written. Each row is matched to an existing item (by Id, else by forum, meeting,
agenda item and text) or becomes a new one; every change goes through
``tracker.services``. Nothing is written while a row is invalid unless the
secretary asks for the valid rows alone.

A confidential ("Lukket") agenda item's follow-ups are exported without their
text, quote, comment or case number; importing such a row never overwrites the
text kept in the database.
"""
from __future__ import annotations

import csv
import datetime as dt
import io
import re
import zipfile
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from typing import Any

from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import OuterRef, QuerySet, Subquery
from django.utils import translation
from django.utils.translation import gettext as _

from minutes.models import AgendaItem, Body
from minutes.parsing.dates import find_deadlines, format_date_da
from tracker import access, selectors, services
from tracker.models import ActionItem, ActionItemEvent, Person, Role
from tracker.templatetags.tracker_ui import due as due_as_written

Status = ActionItem.Status
Precision = ActionItem.Precision

# Shown instead of the text of a follow-up from a confidential agenda item.
CLOSED_TITLE = "Opfølgning på lukket punkt"

# Uploaded sheets: follow-up sheets are small; these bounds keep a bad upload cheap.
MAX_SHEET_BYTES = 2 * 1024 * 1024
MAX_SHEET_ROWS = 2000


@dataclass(frozen=True)
class Column:
    key: str
    header: str
    aliases: tuple[str, ...] = ()


# The sheet's columns, in order. Headers are the sheet's format (not translated);
# aliases are what secretaries' own sheets tend to call the same column.
COLUMNS: tuple[Column, ...] = (
    Column("forum", "Forum", ("udvalg",)),
    Column("meeting_date", "Mødedato", ("møde", "dato for mødet")),
    Column("item_number", "Punkt", ("pkt", "pkt.", "punkt nr.", "punktnummer", "dagsordenspunkt")),
    Column("case_number", "Sagsnummer", ("sagsnr", "sagsnr.", "journalnummer", "j.nr.")),
    Column("title", "Opfølgning", ("opgave", "handling", "aftale")),
    Column("quote", "Citat", ("referat", "fra referatet")),
    Column("role", "Ansvarlig rolle", ("rolle",)),
    Column("person", "Ansvarlig person", ("ansvarlig", "person")),
    Column("due_text", "Frist (som skrevet)", ("frist som skrevet",)),
    Column("due_date", "Frist (dato)", ("frist", "deadline", "dato")),
    Column("status", "Status", ()),
    Column("last_comment", "Seneste kommentar", ("kommentar", "bemærkning", "bemærkninger")),
    Column("id", "Id", ("nr", "nr.")),
    Column("window_start", "Tidsrum fra", ()),
    Column("precision", "Præcision", ()),
)
HEADERS = [c.header for c in COLUMNS]


# -- Export ----------------------------------------------------------------------------------------


def is_from_closed_item(item: ActionItem) -> bool:
    return item.source_item_id is not None and item.source_item.closed


def public_title(item: ActionItem) -> str:
    return _(CLOSED_TITLE) if is_from_closed_item(item) else item.title


def public_quote(item: ActionItem) -> str:
    return "" if is_from_closed_item(item) else item.quote


def with_last_comment(items: QuerySet[ActionItem]) -> QuerySet[ActionItem]:
    """Adds ``last_comment``: the newest comment in the item's history (one subquery, not one per row)."""
    newest = (
        ActionItemEvent.objects.filter(item=OuterRef("pk"))
        .exclude(comment="")
        .order_by("-created_at", "-pk")
        .values("comment")[:1]
    )
    return items.annotate(last_comment=Subquery(newest))


def export_queryset(items: QuerySet[ActionItem]) -> QuerySet[ActionItem]:
    return with_last_comment(items.select_related(*selectors.ITEM_ROW_RELATED, "source_item"))


def sheet_row(item: ActionItem) -> dict[str, Any]:
    """One item as typed sheet values (dates as dates, numbers as numbers)."""
    closed = is_from_closed_item(item)
    source = item.source_item
    return {
        "forum": item.body.name,
        "meeting_date": source.meeting.date if source else None,
        "item_number": source.number if source else None,
        "case_number": "" if closed or source is None else source.case_number,
        "title": public_title(item),
        "quote": public_quote(item),
        "role": item.responsible_role.name if item.responsible_role else "",
        "person": item.responsible_person.name if item.responsible_person else "",
        "due_text": due_as_written(item),
        "due_date": item.due_date,
        "status": item.get_status_display(),
        "last_comment": "" if closed else (getattr(item, "last_comment", None) or ""),
        "id": item.pk,
        "window_start": item.window_start,
        "precision": item.get_precision_display(),
    }


def sheet_rows(items: QuerySet[ActionItem]) -> Iterator[dict[str, Any]]:
    for item in export_queryset(items).iterator(chunk_size=1000):
        yield sheet_row(item)


_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def neutralise(text: str) -> str:
    """Keep a spreadsheet from running a cell as a formula (CSV injection): prefix an apostrophe.

    A cell that already starts with an apostrophe gets one more, so that
    ``restore`` gives back exactly what was exported.
    """
    if text and (text.startswith(_FORMULA_START) or text.startswith("'")):
        return "'" + text
    return text


def restore(text: str) -> str:
    if len(text) > 1 and text[0] == "'" and (text[1] == "'" or text[1] in _FORMULA_START):
        return text[1:]
    return text


def _csv_cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, dt.date):
        return value.strftime("%d-%m-%Y")
    if isinstance(value, int):
        return str(value)
    return neutralise(str(value))


class _Echo:
    def write(self, value: str) -> str:
        return value


def csv_stream(headers: Sequence[str], rows: Iterable[Sequence[Any]]) -> Iterator[bytes]:
    """CSV for Danish Excel: BOM, semicolons, dd-mm-yyyy dates, formulas neutralised. Streamed row by row."""
    writer = csv.writer(_Echo(), delimiter=";", lineterminator="\r\n")
    yield "\ufeff".encode() + writer.writerow(headers).encode()
    for row in rows:
        yield writer.writerow([_csv_cell(value) for value in row]).encode()


def csv_chunks(rows: Iterable[dict[str, Any]]) -> Iterator[bytes]:
    """The sheet as CSV (see ``csv_stream``)."""
    return csv_stream(HEADERS, ([row[c.key] for c in COLUMNS] for row in rows))


_COLUMN_WIDTHS = {
    "forum": 16, "meeting_date": 12, "item_number": 7, "case_number": 20, "title": 60, "quote": 60, "role": 28,
    "person": 24, "due_text": 24, "due_date": 12, "status": 12, "last_comment": 40, "id": 8, "window_start": 12,
    "precision": 12,
}


def write_xlsx(rows: Iterable[dict[str, Any]], *, title: str = "Opfølgninger") -> bytes:
    """The sheet as an Excel workbook: real date cells, text cells never read as formulas."""
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.styles import Alignment, Font
    from openpyxl.utils import get_column_letter

    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(title=title[:31])
    for index, column in enumerate(COLUMNS, start=1):
        sheet.column_dimensions[get_column_letter(index)].width = _COLUMN_WIDTHS[column.key]
    sheet.freeze_panes = "A2"
    bold = Font(bold=True)
    header = []
    for text in HEADERS:
        cell = WriteOnlyCell(sheet, value=text)
        cell.font = bold
        header.append(cell)
    sheet.append(header)
    wrap = Alignment(wrap_text=True, vertical="top")
    top = Alignment(vertical="top")
    count = 0
    for row in rows:
        cells = []
        for column in COLUMNS:
            value = row[column.key]
            cell = WriteOnlyCell(sheet, value=value)
            if isinstance(value, str):
                # A string cell is shown as text, whatever it starts with.
                cell.data_type = "s"
                cell.alignment = wrap if column.key in ("title", "quote", "last_comment") else top
            elif isinstance(value, dt.date):
                cell.number_format = "DD-MM-YYYY"
                cell.alignment = top
            else:
                cell.alignment = top
            cells.append(cell)
        sheet.append(cells)
        count += 1
    sheet.auto_filter.ref = f"A1:{get_column_letter(len(COLUMNS))}{count + 1}"
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


# -- Reading a sheet -------------------------------------------------------------------------------


class SheetError(Exception):
    """The file as a whole cannot be read as a follow-up sheet (a Danish message for the user)."""


def _normalise_header(text: Any) -> str:
    return re.sub(r"\s+", " ", str(text or "")).strip().casefold()


_HEADER_LOOKUP: dict[str, str] = {}
for _column in COLUMNS:
    for _name in (_column.header, *_column.aliases):
        _HEADER_LOOKUP.setdefault(_normalise_header(_name), _column.key)


@dataclass
class RawRow:
    number: int  # as the spreadsheet numbers it, header row included
    values: dict[str, Any]


def _decode_csv(data: bytes) -> str:
    if data.startswith(b"\xef\xbb\xbf"):
        return data[3:].decode("utf-8", errors="strict")
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        # Danish Excel's plain "CSV (semikolonsepareret)" is Windows-1252.
        return data.decode("cp1252", errors="replace")


def _csv_table(data: bytes) -> list[list[Any]]:
    try:
        text = _decode_csv(data)
    except UnicodeDecodeError:
        raise SheetError(_("Filen er ikke gyldig UTF-8-tekst.")) from None
    if "\x00" in text:
        raise SheetError(_("Filen er hverken et Excel-ark (.xlsx) eller en CSV-fil."))
    first_line = text.split("\n", 1)[0]
    delimiter = max(";,\t", key=first_line.count)
    try:
        return list(csv.reader(io.StringIO(text, newline=""), delimiter=delimiter))
    except csv.Error as error:
        raise SheetError(_("CSV-filen kan ikke læses: %(error)s") % {"error": error}) from None


def _xlsx_table(data: bytes) -> list[list[Any]]:
    from openpyxl import load_workbook

    try:
        workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except (zipfile.BadZipFile, KeyError, ValueError, OSError, TypeError):
        raise SheetError(_("Excel-filen kan ikke læses. Gem den igen som .xlsx, og prøv en gang til.")) from None
    try:
        sheet = workbook.worksheets[0]
        table = []
        for values in sheet.iter_rows(values_only=True):
            table.append(list(values))
            if len(table) > MAX_SHEET_ROWS + 11:
                break
        return table
    finally:
        workbook.close()


def read_sheet(data: bytes, filename: str = "") -> list[RawRow]:
    """The sheet's data rows keyed by column, under a header row found among the first ten rows."""
    if not data.strip():
        raise SheetError(_("Filen er tom."))
    if len(data) > MAX_SHEET_BYTES:
        raise SheetError(
            _("Filen er for stor (højst %(mb)d MB). Del arket op, eller eksportér færre opfølgninger.")
            % {"mb": MAX_SHEET_BYTES // (1024 * 1024)}
        )
    if data.startswith(b"PK\x03\x04"):
        table = _xlsx_table(data)
    elif filename.lower().endswith((".xlsx", ".xls")):
        raise SheetError(_("Filen er ikke et Excel-ark i .xlsx-format. Gem den som .xlsx eller CSV."))
    else:
        table = _csv_table(data)
    header_index, keys = _find_header(table)
    rows = []
    for index in range(header_index + 1, len(table)):
        values = table[index]
        if all(v is None or str(v).strip() == "" for v in values):
            continue
        row = {key: values[position] for position, key in keys.items() if position < len(values)}
        rows.append(RawRow(number=index + 1, values=row))
        if len(rows) > MAX_SHEET_ROWS:
            raise SheetError(_("Arket har over %(max)d rækker. Del det op.") % {"max": MAX_SHEET_ROWS})
    return rows


def _find_header(table: list[list[Any]]) -> tuple[int, dict[int, str]]:
    for index, values in enumerate(table[:10]):
        keys: dict[int, str] = {}
        for position, value in enumerate(values):
            key = _HEADER_LOOKUP.get(_normalise_header(value))
            if key and key not in keys.values():
                keys[position] = key
        if "title" in keys.values():
            return index, keys
    raise SheetError(
        _("Arket har ingen kolonne “Opfølgning”. Første række skal være kolonneoverskrifterne, som i en eksport.")
    )


# -- Checking rows ---------------------------------------------------------------------------------


class RowAction:
    CREATE = "create"
    UPDATE = "update"
    UNCHANGED = "unchanged"
    INVALID = "invalid"


ROW_ACTION_LABELS = {
    RowAction.CREATE: "Ny",
    RowAction.UPDATE: "Opdateres",
    RowAction.UNCHANGED: "Uændret",
    RowAction.INVALID: "Fejl",
}


@dataclass
class RowPlan:
    """What one valid row means, resolved against the database."""

    body: Body
    title: str
    source_item: AgendaItem | None
    quote: str
    responsible_role: Role | None
    responsible_person: Person | None
    window_start: dt.date | None
    due_date: dt.date | None
    precision: str
    status: str
    comment: str
    item: ActionItem | None = None  # the existing item the row updates
    item_comment: str = ""  # that item's newest comment
    field_changes: dict[str, Any] = field(default_factory=dict)
    status_path: list[str] = field(default_factory=list)


@dataclass
class RowResult:
    number: int
    title: str
    action: str = RowAction.INVALID
    errors: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    changes: list[str] = field(default_factory=list)
    plan: RowPlan | None = None

    @property
    def is_valid(self) -> bool:
        return not self.errors

    @property
    def action_label(self) -> str:
        return _(ROW_ACTION_LABELS[self.action])


@dataclass
class SheetReport:
    rows: list[RowResult]
    written: bool = False

    @property
    def invalid_rows(self) -> list[RowResult]:
        return [r for r in self.rows if not r.is_valid]

    @property
    def valid_rows(self) -> list[RowResult]:
        return [r for r in self.rows if r.is_valid]

    def count(self, action: str) -> int:
        return sum(1 for r in self.rows if r.action == action)

    @property
    def created(self) -> int:
        return self.count(RowAction.CREATE)

    @property
    def updated(self) -> int:
        return self.count(RowAction.UPDATE)

    @property
    def unchanged(self) -> int:
        return self.count(RowAction.UNCHANGED)


def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if isinstance(value, (dt.datetime, dt.date)):
        return value.strftime("%d-%m-%Y")
    return restore(str(value).strip())


_MONTHS = {
    name: number
    for number, names in enumerate(
        [("januar", "jan"), ("februar", "feb"), ("marts", "mar"), ("april", "apr"), ("maj",), ("juni", "jun"),
         ("juli", "jul"), ("august", "aug"), ("september", "sep", "sept"), ("oktober", "okt"),
         ("november", "nov"), ("december", "dec")],
        start=1,
    )
    for name in names
}
_NUMERIC_DATE = re.compile(r"^(\d{1,2})[-./](\d{1,2})[-./](\d{4})$")
_ISO_DATE = re.compile(r"^(\d{4})-(\d{2})-(\d{2})(?:[T ].*)?$")
_WORD_DATE = re.compile(r"^(\d{1,2})\.?\s+([a-zæøå]+)\.?\s+(\d{4})$")


class _BadValue(Exception):
    pass


def _date(value: Any, column: str) -> dt.date | None:
    """A date cell: an Excel date, 2022-05-12, 12-05-2022, 12.05.2022 or "12. maj 2022"."""
    if value is None or value == "":
        return None
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    text = _text(value).casefold()
    if not text:
        return None
    try:
        if match := _ISO_DATE.match(text):
            return dt.date(int(match[1]), int(match[2]), int(match[3]))
        if match := _NUMERIC_DATE.match(text):
            return dt.date(int(match[3]), int(match[2]), int(match[1]))
        if (match := _WORD_DATE.match(text)) and match[2] in _MONTHS:
            return dt.date(int(match[3]), _MONTHS[match[2]], int(match[1]))
    except ValueError:
        pass
    raise _BadValue(
        _("“%(value)s” i kolonnen %(column)s er ikke en dato (skriv fx 12-05-2022).")
        % {"value": _text(value), "column": column}
    )


def _whole_number(value: Any, column: str) -> int | None:
    text = _text(value)
    if not text:
        return None
    if text.isdigit():
        return int(text)
    raise _BadValue(
        _("“%(value)s” i kolonnen %(column)s er ikke et helt tal.") % {"value": text, "column": column}
    )


def _choice_lookup(choices: type[Status] | type[Precision]) -> dict[str, str]:
    lookup = {value.casefold(): value for value in choices.values}
    for language in ("da", translation.get_language() or "da"):
        with translation.override(language):
            lookup.update({str(label).casefold(): value for value, label in choices.choices})
    return lookup


def _names(obj: Role | Person) -> set[str]:
    return {obj.name.casefold(), *(str(a).casefold() for a in (obj.aliases or []))}


class _Resolver:
    """Looks up forums, roles, people, meetings and existing items, each at most once per sheet."""

    def __init__(self, user: AbstractBaseUser, default_body: Body | None) -> None:
        self.user = user
        self.default_body = default_body
        self.visible = list(access.visible_bodies(user))
        self.editable_ids = set(access.editable_bodies(user).values_list("pk", flat=True))
        self.status_lookup = _choice_lookup(Status)
        self.precision_lookup = _choice_lookup(Precision)
        self._roles: dict[int, list[Role]] = {}
        self._people: dict[int, list[Person]] = {}
        self._agenda: dict[tuple[int, dt.date], list[AgendaItem] | None] = {}
        self._natural: dict[int, dict[tuple[int | None, str], int]] = {}

    def body(self, name: str) -> Body:
        if not name:
            if self.default_body is None:
                raise _BadValue(_("Angiv forum i kolonnen Forum, eller vælg et forum til rækker uden."))
            return self.default_body
        key = name.casefold()
        for body in self.visible:
            names = {body.name.casefold(), body.slug.casefold(), body.abbreviation.casefold()}
            names |= {str(a).casefold() for a in (body.aliases or [])}
            if key in names - {""}:
                if body.pk not in self.editable_ids:
                    raise _BadValue(_("Du er ikke sekretær for %(body)s.") % {"body": body.name})
                return body
        raise _BadValue(_("Ukendt forum “%(name)s”.") % {"name": name})

    def role(self, body: Body, name: str) -> Role | None:
        if not name:
            return None
        if body.pk not in self._roles:
            self._roles[body.pk] = list(selectors.assignable_roles(body=body))
        found = [r for r in self._roles[body.pk] if name.casefold() in _names(r)]
        if len(found) == 1:
            return found[0]
        if found:
            raise _BadValue(_("Flere roller hedder “%(name)s”.") % {"name": name})
        raise _BadValue(_("Ukendt rolle “%(name)s” i %(body)s.") % {"name": name, "body": body.name})

    def person(self, body: Body, name: str) -> Person | None:
        if not name:
            return None
        if body.pk not in self._people:
            self._people[body.pk] = list(selectors.assignable_people(body=body))
        found = [p for p in self._people[body.pk] if name.casefold() in _names(p)]
        if len(found) == 1:
            return found[0]
        if found:
            raise _BadValue(_("Flere personer hedder “%(name)s”; brug det fulde navn.") % {"name": name})
        raise _BadValue(
            _("“%(name)s” er ikke et aktivt medlem af %(body)s.") % {"name": name, "body": body.name}
        )

    def agenda_items(self, body: Body, date: dt.date) -> list[AgendaItem] | None:
        key = (body.pk, date)
        if key not in self._agenda:
            meeting = body.meetings.filter(date=date).first()
            self._agenda[key] = list(meeting.agenda_items.all()) if meeting else None
        return self._agenda[key]

    def natural_match(self, body: Body, source_item: AgendaItem | None, title: str) -> int | None:
        """An existing item of the forum with the same agenda item and text."""
        if body.pk not in self._natural:
            self._natural[body.pk] = {
                (source_id, item_title): pk
                for pk, source_id, item_title in access.visible_items(self.user)
                .filter(body=body).order_by("pk").values_list("pk", "source_item_id", "title")
            }
        return self._natural[body.pk].get((source_item.pk if source_item else None, title))


def _status_path(current: str, target: str) -> list[str]:
    """The service calls that take an item from one status to another; raises when none do."""
    paths = {
        (Status.PROPOSED, Status.OPEN): ["confirm"],
        (Status.PROPOSED, Status.DONE): ["confirm", "complete"],
        (Status.PROPOSED, Status.CANCELLED): ["cancel"],
        (Status.PROPOSED, Status.REJECTED): ["reject"],
        (Status.OPEN, Status.DONE): ["complete"],
        (Status.OPEN, Status.CANCELLED): ["cancel"],
        (Status.DONE, Status.OPEN): ["reopen"],
        (Status.DONE, Status.CANCELLED): ["reopen", "cancel"],
        (Status.CANCELLED, Status.OPEN): ["reopen"],
        (Status.CANCELLED, Status.DONE): ["reopen", "complete"],
    }
    if current == target:
        return []
    if (current, target) not in paths:
        raise _BadValue(
            _("Status kan ikke ændres fra %(old)s til %(new)s.")
            % {"old": Status(current).label, "new": Status(target).label}
        )
    return paths[(current, target)]


def _resolve_due(
    values: dict[str, Any], has_column: Callable[[str], bool], reference: dt.date, notes: list[str]
) -> tuple[dt.date | None, dt.date | None, str]:
    """Due date, window start and precision from the date columns, or from the deadline as written."""
    due_date = _date(values.get("due_date"), "Frist (dato)")
    written = _text(values.get("due_text"))
    if has_column("precision") and _text(values.get("precision")):
        return due_date, _date(values.get("window_start"), "Tidsrum fra"), ""
    if written:
        found = [d for d in find_deadlines(" " + written + " ", reference) if d.due or d.precision == "relative"]
        if len(found) == 1 and (due_date is None or found[0].due == due_date):
            deadline = found[0]
            return deadline.due, deadline.window_start, str(deadline.precision)
        if due_date is None and written.casefold() not in ("uden dato", "uden frist", "ingen dato endnu"):
            notes.append(
                _("Fristen “%(text)s” blev ikke genkendt; opfølgningen får ingen frist.") % {"text": written}
            )
    return due_date, due_date, Precision.DAY if due_date else Precision.NONE


def _check_row(raw: RawRow, resolver: _Resolver, columns: set[str], seen: dict[tuple, int]) -> RowResult:
    values = raw.values
    title = _text(values.get("title"))
    result = RowResult(number=raw.number, title=title)
    try:
        body = resolver.body(_text(values.get("forum")))
    except _BadValue as error:
        result.errors.append(str(error))
        return result
    resolved: dict[str, Any] = {}

    def attempt(key: str, get: Callable[[], Any]) -> None:
        try:
            resolved[key] = get()
        except _BadValue as error:
            result.errors.append(str(error))

    attempt("role", lambda: resolver.role(body, _text(values.get("role"))))
    attempt("person", lambda: resolver.person(body, _text(values.get("person"))))
    attempt("meeting_date", lambda: _date(values.get("meeting_date"), "Mødedato"))
    attempt("item_number", lambda: _whole_number(values.get("item_number"), "Punkt"))
    attempt("id", lambda: _whole_number(values.get("id"), "Id"))
    status_text = _text(values.get("status"))
    status = resolver.status_lookup.get(status_text.casefold()) if status_text else Status.OPEN
    if status is None:
        result.errors.append(
            _("Ukendt status “%(value)s”. Brug Åben, Udført, Annulleret, Foreslået eller Afvist.")
            % {"value": status_text}
        )
    resolved["meeting_date"] = resolved.get("meeting_date")
    reference = resolved["meeting_date"] or access.local_today()
    try:
        due_date, window_start, precision = _resolve_due(values, columns.__contains__, reference, result.notes)
    except _BadValue as error:
        result.errors.append(str(error))
        due_date, window_start, precision = None, None, Precision.NONE
    if not precision:
        precision_text = _text(values.get("precision"))
        precision = resolver.precision_lookup.get(precision_text.casefold(), "")
        if not precision:
            result.errors.append(_("Ukendt præcision “%(value)s”.") % {"value": precision_text})
    window_start = window_start or due_date
    if window_start and due_date and window_start > due_date:
        result.errors.append(_("Tidsrummet kan ikke begynde efter fristen."))
    if due_date is None and precision and precision not in (Precision.NONE, Precision.RELATIVE):
        result.errors.append(_("Angiv en frist i kolonnen Frist (dato), eller skriv “uden dato”."))
    if due_date is None:
        window_start = None
    if not title:
        result.errors.append(_("Kolonnen Opfølgning er tom: skriv, hvad der skal følges op på."))
    if result.errors:
        return result

    source_item = _source_item(body, resolved, _text(values.get("case_number")), resolver, result.notes)
    plan = RowPlan(
        body=body, title=title[:500], source_item=source_item, quote=_text(values.get("quote")),
        responsible_role=resolved["role"], responsible_person=resolved["person"],
        window_start=window_start, due_date=due_date, precision=precision, status=status,
        comment=_text(values.get("last_comment")),
    )
    item = _match(plan, resolved.get("id"), resolver, result)
    if result.errors:
        return result
    key = ("item", item.pk) if item else ("new", body.pk, source_item.pk if source_item else None, plan.title)
    if key in seen:
        result.errors.append(_("Samme opfølgning står også i række %(row)d.") % {"row": seen[key]})
        return result
    seen[key] = raw.number
    if item is None:
        result.action = RowAction.CREATE
    else:
        _plan_update(plan, item, result)
    result.plan = plan if not result.errors else None
    if result.errors:
        result.action = RowAction.INVALID
    return result


def _source_item(
    body: Body, resolved: dict[str, Any], case_number: str, resolver: _Resolver, notes: list[str]
) -> AgendaItem | None:
    meeting_date = resolved.get("meeting_date")
    if meeting_date is None:
        return None
    agenda = resolver.agenda_items(body, meeting_date)
    if agenda is None:
        notes.append(
            _("%(body)s har intet møde den %(date)s; opfølgningen knyttes ikke til et dagsordenspunkt.")
            % {"body": body.name, "date": format_date_da(meeting_date)}
        )
        return None
    number = resolved.get("item_number")
    candidates = [a for a in agenda if a.number == number] if number is not None else []
    if not candidates and case_number:
        candidates = [a for a in agenda if a.case_number and a.case_number == case_number]
    if len(candidates) != 1:
        notes.append(
            _("Punktet findes ikke på mødet den %(date)s; opfølgningen knyttes ikke til et dagsordenspunkt.")
            % {"date": format_date_da(meeting_date)}
        )
        return None
    return candidates[0]


def _match(plan: RowPlan, item_id: int | None, resolver: _Resolver, result: RowResult) -> ActionItem | None:
    """The existing item a row describes: by Id, else by forum, agenda item and text."""
    items = with_last_comment(access.visible_items(resolver.user).select_related("source_item", "body"))
    if item_id is not None:
        item = items.filter(pk=item_id).first()
        if item is not None and item.body_id != plan.body.pk:
            result.errors.append(
                _("Opfølgning %(id)d hører til %(body)s og kan ikke flyttes til et andet forum.")
                % {"id": item_id, "body": item.body.name}
            )
            return None
        if item is not None:
            return item
        result.notes.append(_("Id %(id)d findes ikke; rækken oprettes som ny opfølgning.") % {"id": item_id})
    pk = resolver.natural_match(plan.body, plan.source_item, plan.title)
    return items.get(pk=pk) if pk is not None else None


def _plan_update(plan: RowPlan, item: ActionItem, result: RowResult) -> None:
    plan.item = item
    plan.item_comment = "" if is_from_closed_item(item) else (item.last_comment or "")
    changes: dict[str, Any] = {}
    if not is_from_closed_item(item) and plan.title != item.title:
        changes["title"] = plan.title
    if (plan.due_date, plan.window_start, plan.precision) != (item.due_date, item.window_start, item.precision):
        changes.update(due_date=plan.due_date, window_start=plan.window_start, precision=plan.precision)
    if plan.responsible_role != item.responsible_role:
        changes["responsible_role"] = plan.responsible_role
    if plan.responsible_person != item.responsible_person:
        changes["responsible_person"] = plan.responsible_person
    source = item.source_item
    if plan.source_item is not None and plan.source_item != source:
        result.notes.append(_("Møde og punkt kan ikke ændres ved import; de er ikke ændret."))
    try:
        plan.status_path = _status_path(item.status, plan.status)
    except _BadValue as error:
        result.errors.append(str(error))
        return
    stays_closed = item.status in (Status.CANCELLED, Status.REJECTED) and not plan.status_path
    if changes and (stays_closed or plan.status == Status.REJECTED):
        result.errors.append(_("En afvist eller annulleret opfølgning kan ikke ændres."))
        return
    plan.field_changes = changes
    labels = {"title": _("tekst"), "due_date": _("frist"), "responsible_role": _("ansvarlig rolle"),
              "responsible_person": _("ansvarlig person")}
    result.changes = [str(labels[k]) for k in labels if k in changes]
    if plan.status_path:
        result.changes.append(_("status: %(old)s → %(new)s") % {
            "old": Status(item.status).label, "new": Status(plan.status).label})
    if plan.comment and plan.comment != plan.item_comment:
        result.changes.append(_("ny kommentar"))
    result.action = RowAction.UPDATE if result.changes else RowAction.UNCHANGED


def check_sheet(*, user: AbstractBaseUser, rows: list[RawRow], default_body: Body | None = None) -> SheetReport:
    """What importing the rows would do, row by row. Writes nothing."""
    resolver = _Resolver(user, default_body)
    columns = {key for row in rows for key in row.values}
    seen: dict[tuple, int] = {}
    return SheetReport(rows=[_check_row(row, resolver, columns, seen) for row in rows])


# -- Writing ---------------------------------------------------------------------------------------


class _RowFailed(Exception):
    def __init__(self, row: RowResult, error: ValidationError) -> None:
        self.row = row
        self.error = error


def _messages(error: ValidationError) -> list[str]:
    return [str(m) for m in error.messages]


_TRANSITIONS = {
    "confirm": lambda item, by, comment: services.action_item_confirm(item=item, by=by),
    "complete": lambda item, by, comment: services.action_item_complete(item=item, by=by, comment=comment),
    "reopen": lambda item, by, comment: services.action_item_reopen(item=item, by=by, comment=comment),
    "cancel": lambda item, by, comment: services.action_item_cancel(item=item, by=by, comment=comment),
    "reject": lambda item, by, comment: services.action_item_reject(item=item, by=by, comment=comment),
}


def _run_path(item: ActionItem, path: list[str], by: AbstractBaseUser, comment: str) -> tuple[ActionItem, str]:
    """Runs the transitions; the comment goes with the last one that takes a comment. Returns what is left of it."""
    for index, step in enumerate(path):
        last = index == len(path) - 1
        item = _TRANSITIONS[step](item, by, comment if last and step != "confirm" else "")
        if last and step != "confirm":
            comment = ""
    return item, comment


def _create(plan: RowPlan, by: AbstractBaseUser) -> ActionItem:
    common = dict(
        body=plan.body, title=plan.title, source_item=plan.source_item, quote=plan.quote,
        window_start=plan.window_start, due_date=plan.due_date, precision=plan.precision,
        responsible_role=plan.responsible_role, responsible_person=plan.responsible_person,
    )
    comment = plan.comment
    if plan.status in (Status.PROPOSED, Status.REJECTED):
        item = services.action_item_propose(by=by, **common)
        path = ["reject"] if plan.status == Status.REJECTED else []
    else:
        opening_comment = comment if plan.status == Status.OPEN else ""
        item = services.action_item_create(by=by, comment=opening_comment, **common)
        comment = comment if plan.status != Status.OPEN else ""
        path = _status_path(Status.OPEN, plan.status)
    item, comment = _run_path(item, path, by, comment)
    if comment:
        services.action_item_comment(item=item, by=by, comment=comment)
    return item


def _update(plan: RowPlan, by: AbstractBaseUser) -> ActionItem:
    item = plan.item
    assert item is not None
    comment = plan.comment if plan.comment and plan.comment != plan.item_comment else ""
    reopen_first = item.status in (Status.CANCELLED, Status.DONE) and plan.status_path[:1] == ["reopen"]
    path = plan.status_path
    if reopen_first:
        item, comment = _run_path(item, ["reopen"], by, comment if path == ["reopen"] else "")
        path = path[1:]
    if plan.field_changes:
        item = services.action_item_update(item=item, by=by, reason=_("Importeret fra opfølgningsark"),
                                           **plan.field_changes)
    item, comment = _run_path(item, path, by, comment)
    if comment:
        services.action_item_comment(item=item, by=by, comment=comment)
    return item


def followup_sheet_import(
    *, by: AbstractBaseUser, rows: list[RawRow], default_body: Body | None = None, only_valid: bool = False
) -> SheetReport:
    """Check the rows and, when they all are valid (or ``only_valid``), write them in one transaction.

    1. Every row is checked against the database as it is now.
    2. If any row is invalid and the secretary did not ask for the valid rows
       alone, nothing is written and the report says why, row by row.
    3. Otherwise each valid row is created or updated through the services; if
       a service still refuses a row, the whole import is rolled back and that
       row is reported invalid.
    """
    try:
        with transaction.atomic():
            report = check_sheet(user=by, rows=rows, default_body=default_body)
            if report.invalid_rows and not only_valid:
                return report
            for row in report.valid_rows:
                if row.action not in (RowAction.CREATE, RowAction.UPDATE):
                    continue
                try:
                    with transaction.atomic():
                        _create(row.plan, by) if row.action == RowAction.CREATE else _update(row.plan, by)
                except ValidationError as error:
                    raise _RowFailed(row, error) from error
            report.written = True
            return report
    except _RowFailed as failure:
        report = check_sheet(user=by, rows=rows, default_body=default_body)
        for row in report.rows:
            if row.number == failure.row.number:
                row.errors.extend(_messages(failure.error))
                row.action = RowAction.INVALID
                row.plan = None
        return report
