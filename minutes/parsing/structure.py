"""Text to structure: the meeting header and the agenda items with their sections.

Two layouts are known (both plain text, the second also as Markdown):

* ``REFERAT Chefforum d. 28-04-2022`` / ``Mødedato …`` / ``Mødested …``, a
  table of contents, then ``Punkt N: title``, a KLE journal number and
  sections (Anledning, Sagsfremstilling, Indstilling, Beslutning, Bilag, …);
* the same with ``Mødedeltagere`` (names may wrap onto the next line),
  ESDH case numbers (``22/23184``) and headings such as
  ``Beslutning Direktionen den 27-11-2023``.

A section heading is a line that holds nothing but the heading, which is how
an attachment named "Økonomi og Stabs virksomhedsplan" stays an attachment.
Everything works on lines with their offsets, so every span points into the
text exactly as it was decoded.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, replace
from datetime import date, time
from typing import NamedTuple

from .dates import find_deadlines

# Section kinds decide what may become a follow-up.
DECISION = "decision"
RECOMMENDATION = "recommendation"
CASE = "case"
ATTACHMENTS = "attachments"
HISTORY = "history"  # what happened before: never a follow-up

OUTCOMES = ("approved", "noted", "discussed", "decided", "postponed", "withdrawn", "closed", "none")


@dataclass(frozen=True, slots=True)
class MeetingInfo:
    body: str | None = None
    date: date | None = None
    start_time: time | None = None
    location: str | None = None
    participants: tuple[str, ...] = ()
    absent: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class Section:
    name: str  # normalised: "Beslutning Direktionen den 27-11-2023" is "Beslutning"
    heading: str  # the heading as written, without Markdown
    kind: str
    start: int  # the heading line
    end: int
    text_start: int  # the content after the heading, trimmed
    text_end: int


@dataclass(frozen=True, slots=True)
class ParsedItem:
    number: int
    title: str
    case_number: str | None
    closed: bool
    outcome: str
    attachments: tuple[str, ...]
    sections: dict[str, str]  # ordered name -> text; repeated headings are joined
    section_list: tuple[Section, ...]
    start: int
    end: int
    time_slot: tuple[time, time] | None = None
    # Text under the heading but before the first section (no sections at all in
    # some minutes): it is read like a decision.
    notes_start: int = 0
    notes_end: int = 0

    @property
    def section_spans(self) -> dict[str, tuple[int, int]]:
        spans: dict[str, tuple[int, int]] = {}
        for section in self.section_list:
            first = spans.get(section.name)
            spans[section.name] = (first[0] if first else section.text_start, section.text_end)
        return spans


@dataclass(frozen=True, slots=True)
class Structure:
    meeting: MeetingInfo
    items: tuple[ParsedItem, ...]
    has_header: bool = False
    header_end: int = 0  # where the header (and table of contents) ends


# Header dates carry their year, so the reference date only has to be earlier than any of them.
_NO_MEETING_YET = date(1990, 1, 1)
_HAS_YEAR = re.compile(r"\d{4}|\d{1,2}[-./]\d{1,2}[-./]\d{2}\b")

_MARKUP = re.compile(r"\*\*|__|(?<!\w)\*(?=\S)|(?<=\S)\*(?!\w)")
_LEADING_HASHES = re.compile(r"^\s{0,3}#{1,6}\s*")
_SPACES = re.compile(r"[ \t\u00a0]+")
_DOT_LEADER = re.compile(r"\.{4,}|…{2,}")
_TABLE_ROW = re.compile(r"^\s*\|")

_NUMERIC_DATE = re.compile(r"\b(\d{1,2})[-./](\d{1,2})[-./](\d{4}|\d{2})\b")
_ISO_DATE = re.compile(r"\b(\d{4})-(\d{2})-(\d{2})\b")
_CLOCK = re.compile(r"\b(?:kl\.?|klokken)\s*(\d{1,2})(?:[:.](\d{2}))?\b|\b(\d{1,2})[:.](\d{2})\b", re.IGNORECASE)

_TITLE = re.compile(
    r"^(?i:referat|beslutningsprotokol|mødereferat)\s*[:\-–]?\s+"
    r"(?:(?i:fra|af)\s+)?(?:(?i:ordinært|ekstraordinært)\s+)?(?:(?i:møde(?:t)?)\s+(?i:i|for)\s+)?"
    r"(?P<body>.+?)"
    r"(?:\s*[,\-–]\s*|\s+(?i:den|d\.)\s*|\s+)"
    r"(?:(?i:mandag|tirsdag|onsdag|torsdag|fredag|lørdag|søndag)\s+(?:(?i:den|d\.)\s*)?)?"
    r"(?P<date>\d{1,2}[-./]\d{1,2}[-./]\d{2,4}|\d{4}-\d{2}-\d{2}|\d{1,2}\.?\s*[A-Za-zæøåÆØÅ]+\.?\s+\d{4})\s*$"
)
_TITLE_NO_DATE = re.compile(
    r"^(?i:referat|beslutningsprotokol|mødereferat)\s*[:\-–]?\s+(?:(?i:fra|af)\s+)?"
    r"(?:(?i:møde(?:t)?)\s+(?i:i|for)\s+)?(?P<body>[A-ZÆØÅ][^.:]{1,60})$"
)
_TITLE_BODY_FIRST = re.compile(
    r"^(?P<body>[A-ZÆØÅ][^\n]{1,80}?)\s*[-–,]\s*(?i:referat|beslutningsprotokol)\s*[-–,]?\s*"
    r"(?:(?i:mandag|tirsdag|onsdag|torsdag|fredag|lørdag|søndag)\s+(?:(?i:den|d\.)\s*)?)?"
    r"(?:(?i:den|d\.)\s*)?"
    r"(?P<date>\d{1,2}[-./]\d{1,2}[-./]\d{2,4}|\d{4}-\d{2}-\d{2}|\d{1,2}\.?\s*[A-Za-zæøåÆØÅ]+\.?\s+\d{4})\s*$"
)
# Labels written alone on a line with the value on the next ("UDVALG" / "Økonomiudvalget").
_BARE_LABELS = frozenset(
    "udvalg forum mødeforum dato mødedato tidspunkt mødetidspunkt starttidspunkt sted mødested lokale".split()
)
_BODY_LABEL = re.compile(r"^(?i:forum|udvalg|mødeforum|organ)\s*:?\s+(?P<value>\S.*)$")
_DATE_LABEL = re.compile(r"^(?i:mødedato|dato|mødedag|afholdt)\s*:?\s+(?P<value>\S.*)$")
_TIME_LABEL = re.compile(
    r"^(?i:mødetidspunkt|tidspunkt|starttidspunkt|starttidspunkt\s+for\s+møde|tid|mødetid)\s*:?\s+(?P<value>\S.*)$"
)
_PLACE_LABEL = re.compile(
    r"^(?i:mødested|sted|lokale|lokation|mødelokale)\s*:\s*(?P<value>\S.*)$"
    r"|^(?i:mødested|sted|lokation)\s+(?P<value2>\S.*)$"
)
_PEOPLE_LABEL = re.compile(
    r"^(?i:mødedeltagere|deltagere|deltagere\s+i\s+mødet|til\s+stede|tilstede|fremmødte|medlemmer)"
    r"\s*:?\s*(?P<value>.*)$"
)
_ABSENT_LABEL = re.compile(r"^(?i:afbud|fraværende|fravær|ikke\s+til\s+stede)\s*:?\s*(?P<value>.*)$")
_TOC = re.compile(r"^(?i:indholdsfortegnelse|indhold|dagsorden|punkter|punkter\s+på\s+dagsordenen)\s*:?$")

_ITEM = re.compile(
    r"^(?i:punkt|pkt\.?|dagsordenspunkt|sag)\s*(?i:nr\.?\s*)?(?P<number>\d{1,3})\s*[:.)\-–]\s*(?P<title>.*?)\s*$"
)
_NUMBERED_HEADING = re.compile(r"^(?P<number>\d{1,3})\.?\s+(?P<title>[A-ZÆØÅ0-9\"'«].{2,200})$")
_CASE_NUMBER = re.compile(
    r"^(?:(?i:sagsnr|sags\s+nr|sagsnummer|j\.\s*nr|journalnr|journal\s+nr|acadre\s+sagsnr)\.?\s*:?\s*)?"
    r"(?P<value>\d{2}\.\d{2}\.\d{2}(?:-[A-ZÆØÅ]\d{2})?-\d{1,6}-\d{2,4}"
    r"|\d{2}/\d{1,7}|\d{4}[/-]\d{3,7}|\d{2}-\d{3,7}|\d{2,3}-\d{4}-\d{1,7})"
    # "Sagsnr.: 330-2018-3619   Dok.nr.: …": whatever follows a labelled number is not ours.
    r"(?:\s*$|(?<=\d)\s+(?i:dok|dokument|akt|sagsbeh|initialer|åben|åbent)\b.*$)"
)
_CLOSED = re.compile(
    r"^\(?(?i:lukket)(?:\)|\s+(?i:punkt|sag)\b|\s*$|\s*[:\-–])|\((?i:lukket)(?:\s+(?i:punkt|sag))?\)\s*$"
)
_TIME_SLOT = re.compile(r"\((?:(?i:kl)\.?\s*)?(\d{1,2})[.:](\d{2})\s*[-–]\s*(\d{1,2})[.:](\d{2})\)\s*$")

_SECTION_NAMES: dict[str, tuple[str, str]] = {}
for _kind, _names in (
    (DECISION, ("Beslutning", "Beslutninger", "Afgørelse", "Referat", "Konklusion", "Opfølgning")),
    (RECOMMENDATION, ("Indstilling", "Indstillinger", "Forslag til beslutning", "Administrationens indstilling",
                      "Direktionens indstilling", "Forvaltningens indstilling", "Administrationen indstiller",
                      "Forvaltningen indstiller", "Direktionen indstiller")),
    (CASE, ("Anledning", "Baggrund", "Sagsfremstilling", "Sagsbeskrivelse", "Sagens indhold", "Sagens baggrund",
            "Supplerende sagsfremstilling", "Resumé", "Resume", "Vurdering", "Administrationens vurdering",
            "Forvaltningens vurdering", "Økonomi", "Økonomiske konsekvenser", "Økonomi og finansiering",
            "Bevilling", "Bevillingsmæssige konsekvenser", "Høring", "Kommunikation", "Konsekvenser",
            "Personalemæssige konsekvenser", "Borgerinddragelse", "Beslutningskompetence", "Kompetence",
            "Videre proces", "Proces", "Tidsplan og proces", "Handicappolitik", "Klima", "Miljø",
            "Klima- og miljøvurdering", "Retlige forhold", "Juridiske forhold", "Beslutningstema",
            "Beskrivelse af sagen", "Sagsgang og sagstype", "Sagsgang", "Forventet sagsgang", "Sammenfatning",
            "Indledning", "Problemstilling", "Løsningsforslag", "Høringssvar", "Bemærkninger", "Handlemuligheder",
            "Alternativer", "Risici", "Effekt", "Supplerende oplysninger")),
    (HISTORY, ("Historik", "Tidligere beslutninger", "Tidligere behandling", "Lovgrundlag", "Retsgrundlag",
               "Lovgivning", "Hjemmel")),
    (ATTACHMENTS, ("Bilag", "Bilagsliste", "Bilag til sagen")),
):
    for _name in _names:
        _SECTION_NAMES[_name.lower()] = (_name, _kind)

_DATE_TAIL = r"(?:\s+(?:den|d\.)?\s*(?:\d{1,2}[-./]\d{1,2}[-./]\d{2,4}|\d{1,2}\.\s*[a-zæøå]+\s+\d{4}))"
_BODY_WORDS = r"(?:\s+(?:(?:i|fra|af|på|for)\s+)?[A-ZÆØÅ][\w&\-]*(?:,?\s+[\w&\-]+){0,7}?)"
# "Beslutning", "Beslutning Direktionen den 27-11-2023", "Beslutning i Økonomiudvalget",
# "Økonomiudvalgets beslutning den 3. maj 2022".
_DECISION_HEADING = re.compile(rf"^(?i:beslutning(?:er)?){_BODY_WORDS}?{_DATE_TAIL}?\s*:?$")
_DECISION_BODY = re.compile(
    r"^(?i:beslutning(?:er)?)\s+(?:(?i:i|fra|af|på)\s+)?(?P<body>[A-ZÆØÅ].*?)(?:\s+(?i:den|d\.)\s*\d.*|\s+\d.*)?:?$"
)
_OWNER_DECISION_HEADING = re.compile(rf"^[A-ZÆØÅ][\w\-]*s\s+(?i:beslutning){_DATE_TAIL}?\s*:?$")
_RECOMMENDATION_HEADING = re.compile(rf"^(?i:indstilling){_BODY_WORDS}?{_DATE_TAIL}\s*:?$")

_LIST_MARKER = re.compile(r"^\s*(?:[-–•*▪◦·]\s*|\d{1,2}[.)]\s+|[a-zæøå][.)]\s+)")
_PARENTHESES = re.compile(r"\s*\([^)]*\)")  # "Anne Jensen (formand)": the role is not the name
_MD_LINK = re.compile(r"\[([^\]]+)\]\([^)]*\)")

_WITHDRAWN = re.compile(
    r"^\W*(?:punktet\s+|sagen\s+)?udg(?:ik|år|ået)\b"
    r"|\b(?:punktet|sagen)\b[^.]{0,40}\b(?:udgik|udgår|trukket\s+tilbage|taget\s+af\s+dagsorden)"
    r"|\btaget\s+af\s+dagsorden|\btrukket\s+(?:tilbage|fra\s+dagsorden)|\b(?:sagen|punktet)\s+blev\s+trukket\b",
    re.IGNORECASE,
)
_POSTPONED = re.compile(
    r"^\W*(?:udsat|udskudt|udsættes|udskydes)\b"
    r"|\b(?:punktet|sagen|behandlingen)\b[^.]{0,40}\b(?:udsat|udskudt|udsættes|udskydes|genoptages)\b",
    re.IGNORECASE,
)
_APPROVED = re.compile(
    r"^\W*(?:vedtaget|vedtages)\b|(?<!ikke )\b(?:godkendt|godkendte|godkender|godkendes|tiltrådt|tiltræder|tiltrådte|"
    r"tiltrædes|anbefales|anbefaler|"
    r"anbefalet|anbefalede)\b(?!\s+ikke)",
    re.IGNORECASE,
)
_NOTED = re.compile(
    r"\btil\s+efterretning\b|\b(?:orienteringen|orientering)\s+(?:blev\s+)?(?:taget|tages)\b|\bblev\s+orienteret\b"
    r"|\b(?:taget|tages|tog\s+\w+)\s+til\s+orientering\b",
    re.IGNORECASE,
)
_DECIDED = re.compile(
    r"\b(?:aftalt|aftalte|aftales|besluttet|besluttede|besluttes|beslutter|besluttedes|vedtog\s+at|blev\s+enige)\b",
    re.IGNORECASE,
)


# In order of precedence: an item that was withdrawn and mentions approval was withdrawn.
_OUTCOME_TESTS = (
    ("withdrawn", ("udg", "trukket", "taget af"), _WITHDRAWN),
    ("postponed", ("udsat", "udskudt", "udsættes", "udskydes", "genoptages"), _POSTPONED),
    ("approved", ("godkend", "tiltræd", "tiltråd", "anbefal", "vedtag"), _APPROVED),
    ("noted", ("efterretning", "orienter"), _NOTED),
    ("decided", ("aftal", "beslut", "vedtog", "enige"), _DECIDED),
)


class Line(NamedTuple):
    # A tuple, not a dataclass: a document has hundreds of lines and this is built for each.
    start: int
    end: int  # exclusive, before the newline
    raw: str
    clean: str  # without Markdown emphasis, heading hashes and surplus spaces


def split_lines(text: str) -> list[Line]:
    lines: list[Line] = []
    start = 0
    for raw in text.split("\n"):
        end = start + len(raw)
        lines.append(Line(start, end, raw, clean_line(raw)))
        start = end + 1
    return lines


def clean_line(raw: str) -> str:
    # Most lines are plain prose: only pay for the patterns a line needs.
    value = raw.strip()
    if not value:
        return value
    if "\ufeff" in value:
        value = value.replace("\ufeff", "").strip()
    if value.startswith("#"):
        value = _LEADING_HASHES.sub("", value)
    if "*" in value or "_" in value:
        value = _MARKUP.sub("", value).strip()
    if "  " in value or "\t" in value or "\u00a0" in value:
        value = _SPACES.sub(" ", value)
    return value


def section_heading(clean: str) -> tuple[str, str] | None:
    """(normalised name, kind) when the line is only a section heading."""
    if not clean or len(clean) > 90:
        return None
    key = clean.rstrip(":").strip().lower()
    known = _SECTION_NAMES.get(key)
    if known:
        return known
    first = key.split(" ", 1)[0]
    if first.startswith("beslutning") and _DECISION_HEADING.match(clean):
        return "Beslutning", DECISION
    if key.endswith("beslutning") or " beslutning " in key:
        if _OWNER_DECISION_HEADING.match(clean):
            return "Beslutning", DECISION
    if first == "indstilling" and _RECOMMENDATION_HEADING.match(clean):
        return "Indstilling", RECOMMENDATION
    return None


def parse_structure(text: str) -> Structure:
    lines = split_lines(text)
    item_rows = _find_items(lines)
    header_limit = item_rows[0] if item_rows else len(lines)
    meeting, has_header, header_end_row = _parse_header(lines, header_limit)
    items: list[ParsedItem] = []
    for position, row in enumerate(item_rows):
        end_row = item_rows[position + 1] if position + 1 < len(item_rows) else len(lines)
        items.append(_parse_item(lines, row, end_row, text))
    header_end = lines[header_end_row].start if header_end_row < len(lines) else len(text)
    if meeting.body is None:
        # "Beslutning i Økonomiudvalget den 1. oktober 2018" names the body when the header does not.
        body = _body_from_decisions(items)
        if body:
            meeting = replace(meeting, body=body)
    return Structure(meeting=meeting, items=tuple(items), has_header=has_header, header_end=header_end)


def _body_from_decisions(items: list[ParsedItem]) -> str | None:
    for item in items:
        for section in item.section_list:
            if section.kind == DECISION and (match := _DECISION_BODY.match(section.heading)):
                return _tidy_body(match["body"])
    return None


# --- header -----------------------------------------------------------------


def parse_header_date(value: str) -> date | None:
    """A full calendar date as written in a header: "Torsdag d. 28. april 2022", "28-04-2022".

    The reading of dates is the date module's; a header date must carry its year.
    """
    for found in find_deadlines(value, _NO_MEETING_YET):
        phrase = value[found.start:found.end]
        if found.precision == "day" and found.window_start == found.window_end and _HAS_YEAR.search(phrase):
            return found.window_end
    return None


def parse_clock(value: str) -> time | None:
    for match in _CLOCK.finditer(value):
        hour = match[1] if match[1] is not None else match[3]
        minute = match[2] if match[1] is not None else match[4]
        # "d. 08.03" would look like a time; a clock needs "kl." or a colon-ish pair in range.
        try:
            return time(int(hour), int(minute or 0))
        except ValueError:
            continue
    return None


def _parse_header(lines: list[Line], limit: int) -> tuple[MeetingInfo, bool, int]:
    body: str | None = None
    meeting_date: date | None = None
    title_date: date | None = None
    start_time: time | None = None
    location: str | None = None
    participants: list[str] = []
    absent: list[str] = []
    has_header = False
    row = 0
    toc_row = limit
    while row < limit:
        clean = lines[row].clean
        if not clean:
            row += 1
            continue
        if _TOC.match(clean):
            toc_row = row
            break
        if clean.rstrip(":").strip().lower() in _BARE_LABELS:
            # "STED" on one line, "Kanalstræde 2" on the next.
            following = _next_nonblank(lines, row + 1, 1)
            if following and following[0] < limit and not _is_header_label(lines[following[0]].clean):
                clean = f"{clean.rstrip(':').strip()}: {lines[following[0]].clean}"
                row = following[0]
        match = _TITLE.match(clean) or _TITLE_BODY_FIRST.match(clean)
        if match and body is None:
            body = _tidy_body(match["body"])
            title_date = parse_header_date(match["date"])
            has_header = True
        elif (match := _DATE_LABEL.match(clean)) and meeting_date is None:
            meeting_date = parse_header_date(match["value"])
            start_time = start_time or _clock_after_date(match["value"])
            has_header = has_header or meeting_date is not None
        elif (match := _TIME_LABEL.match(clean)) and start_time is None:
            start_time = _clock_after_date(match["value"])
            # "Starttidspunkt 04-06-2020 09:00:00" carries the date as well.
            meeting_date = meeting_date or parse_header_date(match["value"])
        elif match := _PLACE_LABEL.match(clean):
            location = location or (match["value"] or match["value2"]).strip()
            has_header = True
        elif match := _PEOPLE_LABEL.match(clean):
            names, row = _collect_names(lines, row, match["value"], limit)
            participants.extend(names)
            has_header = True
            continue
        elif match := _ABSENT_LABEL.match(clean):
            names, row = _collect_names(lines, row, match["value"], limit)
            absent.extend(names)
            continue
        elif (match := _TITLE_NO_DATE.match(clean)) and body is None:
            body = _tidy_body(match["body"])
            has_header = True
        elif (match := _BODY_LABEL.match(clean)) and body is None:
            body = _tidy_body(match["value"])
        row += 1
    meeting = MeetingInfo(
        body=body,
        date=meeting_date or title_date,
        start_time=start_time,
        location=location,
        participants=tuple(participants),
        absent=tuple(absent),
    )
    return meeting, has_header, min(toc_row, limit)


def _clock_after_date(value: str) -> time | None:
    # Only a time introduced by "kl." or written h:mm counts; "28.04.2022" is no clock.
    without_dates = _NUMERIC_DATE.sub(" ", _ISO_DATE.sub(" ", value))
    return parse_clock(without_dates)


def _tidy_body(value: str) -> str:
    value = value.strip(" .,:-–")
    return _SPACES.sub(" ", value)


def _collect_names(lines: list[Line], row: int, first: str, limit: int) -> tuple[list[str], int]:
    """Names after a label, following wrapped lines until a blank line or another label.

    A line break after a comma separates two names; one without a comma is a
    name that wrapped ("Anya Krogh" / "Manghezi").
    """
    joined = first.strip()
    # Names under the label, one a line, are separate names; a line that goes on
    # from names after the label continues the last name unless both halves are
    # whole names already ("Jørgen Lerhard" / "Charlotte Markussen, …").
    one_a_line = not joined
    row += 1
    while row < limit:
        clean = lines[row].clean
        if not clean or _is_header_label(clean) or _TOC.match(clean):
            break
        if joined and (one_a_line or joined.endswith((",", ";")) or _two_whole_names(joined, clean)):
            joined = joined.rstrip(",;") + ", "
        elif joined:
            joined += " "
        joined += clean
        row += 1
    names = []
    for part in re.split(r"\s*[,;]\s*|\s+og\s+", _PARENTHESES.sub("", joined)):
        name = part.strip(" .")
        if name:
            names.append(_SPACES.sub(" ", name))
    return names, row


def _two_whole_names(before: str, after: str) -> bool:
    tail = re.split(r"[,;]|\s+og\s+", before)[-1].split()
    head = re.split(r"[,;]|\s+og\s+", after)[0].split()
    return len(tail) >= 2 and len(head) >= 2


def _is_header_label(clean: str) -> bool:
    return bool(
        _DATE_LABEL.match(clean) or _PLACE_LABEL.match(clean) or _PEOPLE_LABEL.match(clean)
        or _ABSENT_LABEL.match(clean) or _TIME_LABEL.match(clean) or _ITEM.match(clean)
    )


# --- items ------------------------------------------------------------------


def _is_toc_line(line: Line) -> bool:
    return bool(_DOT_LEADER.search(line.raw) or _TABLE_ROW.match(line.raw))


def _find_items(lines: list[Line]) -> list[int]:
    rows = [index for index, line in enumerate(lines) if _ITEM.match(line.clean) and not _is_toc_line(line)]
    rows = _increasing(rows, lines, _ITEM)
    if rows:
        return rows
    # Minutes without "Punkt N:" number their items "N. Title"; such a line only
    # counts when a case number or a section heading follows it, which keeps
    # numbered lists inside the text out.
    candidates = []
    for index, line in enumerate(lines):
        if not _NUMBERED_HEADING.match(line.clean) or _is_toc_line(line) or line.clean.endswith((".", ":", ",")):
            continue
        following = _next_nonblank(lines, index + 1, 5)
        if following and _NUMBERED_HEADING.match(lines[following[0]].clean):
            continue  # one of a run of numbered lines: a table of contents or a list
        if any(_CASE_NUMBER.match(lines[f].clean) or section_heading(lines[f].clean) for f in following):
            candidates.append(index)
    return _increasing(candidates, lines, _NUMBERED_HEADING)


def _increasing(rows: list[int], lines: list[Line], pattern: re.Pattern[str]) -> list[int]:
    """Keep headings whose numbers go up: a repeated or lower number is a quotation, not a new item."""
    kept: list[int] = []
    last = 0
    for row in rows:
        number = int(pattern.match(lines[row].clean)["number"])
        if number > last:
            kept.append(row)
            last = number
    return kept


def _next_nonblank(lines: list[Line], row: int, count: int) -> list[int]:
    found = []
    while row < len(lines) and len(found) < count:
        if lines[row].clean:
            found.append(row)
        row += 1
    return found


def _parse_item(lines: list[Line], row: int, end_row: int, text: str) -> ParsedItem:
    heading = lines[row]
    match = _ITEM.match(heading.clean) or _NUMBERED_HEADING.match(heading.clean)
    number = int(match["number"])
    title = match["title"].strip()
    body_row = row + 1
    if not title:
        # "Punkt 3:" with the title on the next line.
        following = _next_nonblank(lines, row + 1, 1)
        candidate = lines[following[0]].clean if following else ""
        if candidate and not section_heading(candidate) and not _CASE_NUMBER.match(candidate):
            title = candidate
            body_row = following[0] + 1
    elif len(heading.clean) > 60 and row + 1 < end_row:
        # Text from a PDF wraps a long title onto the very next line.
        continuation = lines[row + 1].clean
        if (
            continuation
            and not section_heading(continuation)
            and not _CASE_NUMBER.match(continuation)
            and not _ITEM.match(continuation)
            and len(continuation) < 80
        ):
            title = f"{title} {continuation}"
            body_row = row + 2
    closed = bool(_CLOSED.search(title))
    time_slot = None
    if slot := _TIME_SLOT.search(title):
        try:
            time_slot = (time(int(slot[1]), int(slot[2])), time(int(slot[3]), int(slot[4])))
        except ValueError:
            time_slot = None

    case_number = None
    for candidate in _next_nonblank(lines, body_row, 3):
        if candidate >= end_row:
            break
        found = _CASE_NUMBER.match(lines[candidate].clean)
        if found:
            case_number = found["value"]
            body_row = candidate + 1
            break
        if section_heading(lines[candidate].clean):
            break

    sections: list[Section] = []
    current: tuple[str, str, str, int] | None = None  # name, heading, kind, heading row
    notes_rows: list[int] = []
    for index in range(body_row, end_row):
        clean = lines[index].clean
        if not clean:
            continue
        found_heading = section_heading(clean)
        if found_heading and _inside_list(lines, index, body_row):
            found_heading = None
        if found_heading and not (current and found_heading[0] == current[0] and clean.endswith(":")):
            if current:
                sections.append(_make_section(lines, current, index))
            current = (found_heading[0], clean.rstrip(":").strip(), found_heading[1], index)
        elif current is None:
            notes_rows.append(index)
    if current:
        sections.append(_make_section(lines, current, end_row))

    item_end = _trim_end(lines, row, end_row)
    notes_start = notes_end = 0
    if notes_rows:
        notes_start, notes_end = lines[notes_rows[0]].start, lines[notes_rows[-1]].end
    if closed:
        # Confidential: nothing of its content is kept.
        sections = []
        notes_start = notes_end = 0

    section_texts: dict[str, str] = {}
    attachments: list[str] = []
    for section in sections:
        content = text[section.text_start:section.text_end]
        if section.name in section_texts:
            content = section_texts[section.name] + "\n\n" + content
        section_texts[section.name] = content
        if section.kind == ATTACHMENTS:
            attachments.extend(_attachment_names(content))

    return ParsedItem(
        number=number,
        title=title,
        case_number=case_number,
        closed=closed,
        outcome=_outcome(closed, sections, text),
        attachments=tuple(attachments),
        sections=section_texts,
        section_list=tuple(sections),
        start=heading.start,
        end=item_end,
        time_slot=time_slot,
        notes_start=notes_start,
        notes_end=notes_end,
    )


def _inside_list(lines: list[Line], index: int, body_row: int) -> bool:
    """A heading word under two or more short unpunctuated lines is an entry in a list.

    ("Navn / Formål / Handlinger / Kontaktperson / Økonomi" as the fields a
    description must have.) A Markdown heading, or one that names a body or a
    date ("Beslutning i Økonomiudvalget den …"), is a heading wherever it stands.
    """
    if index < body_row + 2 or lines[index].raw.lstrip().startswith("#"):
        return False
    clean = lines[index].clean.rstrip(":").strip()
    if clean.lower() not in _SECTION_NAMES:
        return False
    return _list_like(lines[index - 1].clean) and _list_like(lines[index - 2].clean)


def _list_like(clean: str) -> bool:
    if not clean or len(clean) >= 40 or clean.endswith((".", ":", "!", "?", ";", ",")):
        return False
    return not (_CASE_NUMBER.match(clean) or section_heading(clean) or _ITEM.match(clean))


def _make_section(lines: list[Line], current: tuple[str, str, str, int], end_row: int) -> Section:
    name, heading, kind, heading_row = current
    content_rows = [r for r in range(heading_row + 1, end_row) if lines[r].clean]
    if content_rows:
        text_start, text_end = _content_bounds(lines[content_rows[0]]), lines[content_rows[-1]].end
        text_end = _rstrip_offset(lines[content_rows[-1]], text_end)
    else:
        text_start = text_end = lines[heading_row].end
    return Section(
        name=name,
        heading=heading,
        kind=kind,
        start=lines[heading_row].start,
        end=_trim_end(lines, heading_row, end_row),
        text_start=text_start,
        text_end=text_end,
    )


def _content_bounds(line: Line) -> int:
    return line.start + (len(line.raw) - len(line.raw.lstrip()))


def _rstrip_offset(line: Line, end: int) -> int:
    return line.start + len(line.raw.rstrip())


def _trim_end(lines: list[Line], row: int, end_row: int) -> int:
    last = end_row - 1
    while last > row and not lines[last].clean:
        last -= 1
    return _rstrip_offset(lines[last], lines[last].end)


def _attachment_names(content: str) -> list[str]:
    names = []
    for raw in content.split("\n"):
        name = clean_line(_MD_LINK.sub(r"\1", raw))
        name = _LIST_MARKER.sub("", name, count=1).strip() if name.startswith(("-", "•", "*", "▪")) else name
        if name:
            names.append(name)
    return names


def _outcome(closed: bool, sections: list[Section], text: str) -> str:
    if closed:
        return "closed"
    decisions = [s for s in sections if s.kind == DECISION]
    if not decisions:
        return "none"
    # The last decision is the final word when several bodies decided in turn.
    decision = text[decisions[-1].text_start:decisions[-1].text_end].strip()
    if not decision:
        return "none"
    lower = decision.lower()
    # Each pattern runs only when a word it needs occurs at all (a plain substring test).
    for outcome, hints, pattern in _OUTCOME_TESTS:
        if any(hint in lower for hint in hints) and pattern.search(decision):
            return outcome
    return "discussed"
