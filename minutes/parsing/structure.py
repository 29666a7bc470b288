"""Text to structure: the meeting header and the agenda items with their sections.

Minutes of Danish public bodies come in many layouts; what they share is read here:

* a header: a title ("REFERAT Chefforum d. 28-04-2022", "Referat af møde i
  Børne- og Skoleudvalget", "Beslutningsprotokol" over or under the body's
  name), labelled fields (Mødedato, Mødetidspunkt, Sted, Deltagere, Afbud …,
  also with the value on the next line or in a table cell) or a bare date
  line ("Tirsdag den 14. november 2023 kl. 19.00 i Fælleshuset");
* agenda items: ``Punkt 3: …``, ``Punkt 3 …``, ``Sag nr. 3 - …``,
  ``Dagsordenspunkt 3.``, ``Ad 3. …`` or numbered headings ``3. Title``;
  each with an optional case number (KLE ``00.01.00-A21-2-21``, ESDH
  ``22/23184``, or anything after a "Sagsnr." label) and sections
  (Sagsfremstilling, Indstilling, "Beslutning i Økonomiudvalget den …",
  "Udvalgets beslutning", Bilag …), or only free notes;
* page furniture of text taken from PDF or Word files ("Side 3 af 12",
  a running header repeated on every page), which is blanked out.

A section heading is a line that holds nothing but the heading, which is how
an attachment named "Økonomi og Stabs virksomhedsplan" stays an attachment;
only a decision label may carry its text on the same line ("Beslutning:
Godkendt."). Everything works on lines with their offsets, so every span
points into the text exactly as it was decoded.
"""
from __future__ import annotations

import re
from bisect import bisect_right
from collections import Counter
from dataclasses import dataclass, replace
from datetime import date, time
from functools import lru_cache, partial
from itertools import accumulate, repeat
from operator import add, attrgetter
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
    # The text with page furniture blanked out (same length, same offsets): what
    # follow-ups are read from, so that no quote runs into a page header.
    reading_text: str = ""


# Header dates carry their year, so the reference date only has to be earlier than any of them.
_NO_MEETING_YET = date(1990, 1, 1)
_HAS_YEAR = re.compile(r"\d{4}|\d{1,2}[-./]\d{1,2}[-./]\d{2}\b")

_MARKUP = re.compile(r"\*\*|__|(?<!\w)\*(?=\S)|(?<=\S)\*(?!\w)")
_LEADING_HASHES = re.compile(r"^\s{0,3}#{1,6}\s*")
_SPACES = re.compile(r"[ \t\u00a0]+")

_WHOLE_NUMERIC_DATE = re.compile(r"\s*(?P<d>\d{1,2})([-./])(?P<m>\d{1,2})\2(?P<y>\d{4}|\d{2})\s*$")
# The same separator twice: "09.00-11.30" is a span of time, not a date.
_NUMERIC_DATE = re.compile(r"\b(\d{1,2})([-./])(\d{1,2})\2(\d{4}|\d{2})\b")
_ISO_DATE = re.compile(r"\b(\d{4})-(\d{2})-(\d{2})\b")
_CLOCK = re.compile(r"\b(?:kl\.?|klokken)\s*(\d{1,2})(?:[:.](\d{2}))?\b|\b(\d{1,2})[:.](\d{2})\b", re.IGNORECASE)

_TITLE_WORDS = r"(?i:referat|beslutningsprotokol|mødereferat|beslutningsreferat)"
# "møde i", "bestyrelsesmøde i", "mødet for": the body follows.
_MEETING_OF = r"(?:(?i:[a-zæøå]*møde(?:t)?|generalforsamling(?:en)?)\s+(?i:i|for|med)\s+)"
_TITLE = re.compile(
    rf"^{_TITLE_WORDS}\s*[:\-–]?\s+"
    rf"(?:(?i:fra|af|til)\s+)?(?:(?i:ordinær|ordinært|ekstraordinær|ekstraordinært)\s+)?{_MEETING_OF}?"
    r"(?P<body>.+?)"
    r"(?:\s*[,\-–]\s*|\s+(?i:den|d\.)\s*|\s+)"
    r"(?:(?i:mandag|tirsdag|onsdag|torsdag|fredag|lørdag|søndag)\s+(?:(?i:den|d\.)\s*)?)?"
    r"(?P<date>\d{1,2}[-./]\d{1,2}[-./]\d{2,4}|\d{4}-\d{2}-\d{2}|\d{1,2}\.?\s*[A-Za-zæøåÆØÅ]+\.?\s+\d{4})"
    # "… 27. marts 2019 kl. 09:00 i Regionshuset Viborg, lokale F7": the time and the place may follow
    r"(?:\s*,?\s*(?P<clock>(?i:kl\.?|klokken)\s*\d{1,2}(?:[.:]\d{2})?(?:\s*[-–]\s*\d{1,2}(?:[.:]\d{2})?)?))?"
    r"(?:\s*,?\s+(?:(?i:i|på)\s+)?(?P<place>[^\W\d_].{2,100}?))?\s*$"
)
_TITLE_NO_DATE = re.compile(
    rf"^{_TITLE_WORDS}\s*[:\-–]?\s+(?:(?i:fra|af)\s+)?(?:(?i:ordinær|ordinært|ekstraordinær|ekstraordinært)\s+)?"
    rf"{_MEETING_OF}?(?P<body>[A-ZÆØÅ][^.:]{{1,60}})$"
)
# A title line without the body ("Referat", "REFERAT AF MØDE"): the body is on the line next to it.
_BARE_TITLE = re.compile(
    rf"^(?:{_TITLE_WORDS}|(?i:protokol|dagsorden\s+og\s+referat|referat\s+og\s+beslutninger))"
    r"(?:\s+(?i:fra|af)\s+(?i:[a-zæøå]*møde(?:t)?))?\s*:?$"
)
# "Ældrerådets møde", "Byrådets ordinære møde": the body is the owner.
_BODY_GENITIVE = re.compile(r"^(?P<body>.+?)[sS]\s+(?:[a-zæøåA-ZÆØÅ]+[eE]\s+)?(?i:møde)$")
# "Åbent møde", "Ekstraordinært møde": what kind of meeting, not whose.
_MEETING_KIND = re.compile(r"^(?i:åbent|lukket|ordinært|ekstraordinært|offentligt|konstituerende)\s+(?i:møde)\b")
# Words that name a deciding or advising body ("Lokalrådet for …", "Direktionen").
_BODY_NOUN = re.compile(
    r"(?i:udvalg|råd|rådet|forum|forummet|bestyrelse|direktion|ledelse|gruppe|komité|nævn|"
    r"repræsentantskab|kollegium|panel|netværk|sekretariat|forsamling)(?:et|en|ene|erne|n|t)?\b"
)
# Before a date on a header line of its own: "Tirsdag den 14. november 2023 kl. 19.00".
_DATE_LINE_LEAD = re.compile(
    r"^(?:(?i:møde|mødet|ordinært\s+møde|ekstraordinært\s+møde|afholdt|holdt|afholdes|afholdtes)\s+)?"
    r"(?:(?i:mandag|tirsdag|onsdag|torsdag|fredag|lørdag|søndag)\s*,?\s+)?(?:(?i:den|d\.)\s*)?$"
)
# "Byrådet tirsdag den", "Mødet i Økonomiudvalget den", "Social- og Sundhedsudvalget": a body before the
# date, written as a name (capitalised words joined by "og", "for", "i" …: never "Næste møde i Byrådet").
_NAME_WORD = r"[A-ZÆØÅ][^\W\d_]*(?:-[^\W\d_]*)?"
_BODY_NAME = rf"{_NAME_WORD}(?:\s+(?:(?:og|for|i|af|på|til|med|&)\s+)?{_NAME_WORD})*"
_BODY_BEFORE_DATE = re.compile(
    rf"^{_MEETING_OF}?(?P<body>{_BODY_NAME})"
    r"\s*[,\-–]?\s*(?:(?i:mandag|tirsdag|onsdag|torsdag|fredag|lørdag|søndag)\s*,?\s*)?(?:(?i:den|d\.)\s*)?$"
)
_PLACE_AFTER_TIME = re.compile(r"^\s*(?:[-–]\s*\d{1,2}[.:]\d{2}\s*)?,?\s+(?:i|på)\s+(?P<place>[^\W\d_].{2,80})$")
# "Skolebestyrelsen på Bakkehøj Skole – referat": the body first, no date.
_TITLE_BODY_FIRST_NO_DATE = re.compile(
    rf"^(?P<body>[A-ZÆØÅ][^\n:]{{1,80}}?)\s*[-–,:|]\s*{_TITLE_WORDS}\s*$"
)
_TITLE_BODY_FIRST = re.compile(
    r"^(?P<body>[A-ZÆØÅ][^\n]{1,80}?)\s*[-–,]\s*(?i:referat|beslutningsprotokol)\s*[-–,]?\s*"
    r"(?:(?i:mandag|tirsdag|onsdag|torsdag|fredag|lørdag|søndag)\s+(?:(?i:den|d\.)\s*)?)?"
    r"(?:(?i:den|d\.)\s*)?"
    r"(?P<date>\d{1,2}[-./]\d{1,2}[-./]\d{2,4}|\d{4}-\d{2}-\d{2}|\d{1,2}\.?\s*[A-Za-zæøåÆØÅ]+\.?\s+\d{4})\s*$"
)
# "Referat af bestyrelsesmøde d. 16. august 2012, Det Kolde Gys": the date first, the body after it.
_TITLE_DATE_FIRST = re.compile(
    rf"^{_TITLE_WORDS}\s*[:\-–]?\s+(?:(?i:fra|af)\s+)?(?:(?i:ordinær|ordinært|ekstraordinær|ekstraordinært)\s+)?"
    r"(?i:[a-zæøå]*møde(?:t)?)\s+"
    r"(?:(?i:mandag|tirsdag|onsdag|torsdag|fredag|lørdag|søndag)\s+)?(?:(?i:den|d\.)\s*)?"
    r"(?P<date>\d{1,2}[-./]\d{1,2}[-./]\d{2,4}|\d{4}-\d{2}-\d{2}|\d{1,2}\.?\s*[A-Za-zæøåÆØÅ]+\.?\s+\d{4})"
    r"(?:\s*[,\-–]\s*(?P<body>[A-ZÆØÅ][^\d:]{1,80}?))?\s*$"
)
# Labels written alone on a line with the value on the next ("UDVALG" / "Økonomiudvalget").
_BARE_LABELS = frozenset(
    "udvalg forum mødeforum dato mødedato tidspunkt mødetidspunkt starttidspunkt sted mødested lokale".split()
)
_BODY_LABEL = re.compile(r"^(?i:forum|udvalg|mødeforum|organ)\s*:?\s+(?P<value>\S.*)$")
_DATE_LABEL = re.compile(r"^(?i:mødedato|dato|mødedag|afholdt)\s*:?\s+(?P<value>\S.*)$")
_TIME_LABEL = re.compile(
    r"^(?i:mødetidspunkt|tidspunkt|starttidspunkt|starttidspunkt\s+for\s+møde|tid|mødetid)\s*:?\s+(?P<value>\S.*)$"
    # "Kl. 18.00 – 20.30" on a line of its own
    r"|^(?P<clock>(?i:kl\.?|klokken)\s*\d{1,2}(?:[.:]\d{2})?(?:\s*[-–]\s*\d{1,2}(?:[.:]\d{2})?)?)\s*$"
)
_PLACE_LABEL = re.compile(
    r"^(?i:mødested|sted|lokale|lokation|mødelokale)\s*:\s*(?P<value>\S.*)$"
    r"|^(?i:mødested|sted|lokation)\s+(?P<value2>\S.*)$"
)
_PEOPLE_LABEL = re.compile(
    r"^(?i:mødedeltagere|deltagere|deltagere\s+i\s+mødet|til\s+stede|tilstede|fremmødte|medlemmer)"
    r"\s*:?\s*(?P<value>.*)$"
)
_ABSENT_LABEL = re.compile(r"^(?i:afbud|fraværende|fravær|ikke\s+til\s+stede|afbud\s+fra)\s*:?\s*(?P<value>.*)$")
# Any other "Label: value" line ("Referent: …", "Fra forvaltningen: …") ends a list of names.
_OTHER_LABEL = re.compile(r"^[A-ZÆØÅ][\w\- ]{1,30}:(?:\s|$)")
_NOT_A_NAME = frozenset({"ingen", "ingen afbud", "alle", "alle mødt", "intet", "-", "–"})
_TOC = re.compile(r"^(?i:indholdsfortegnelse|indhold|dagsorden|punkter|punkter\s+på\s+dagsordenen)\s*:?$")

# "Punkt 3: …", "Pkt. 3 …", "Sag nr. 3 - …", "Dagsordenspunkt 3.", "Ad 3. …", "Ad punkt 3": without a
# separator the title must start with a capital ("Punkt 3 Godkendelse"), never a verb ("Punkt 3 blev …").
_ITEM = re.compile(
    r"^(?:(?i:ad)\s+(?:(?i:punkt|pkt\.?)\s*)?|(?i:punkt|pkt\.?|dagsordenspunkt|sag)\s*(?i:nr\.?\s*)?)"
    r"(?P<number>\d{1,3})(?:\s*[:.)\-–]\s*|\s+(?=[A-ZÆØÅ0-9\"'«(])|\s*$)(?P<title>.*?)\s*$"
)
_NUMBERED_HEADING = re.compile(r"^(?P<number>\d{1,3})\.?\s+(?P<title>[A-ZÆØÅ0-9\"'«(].{2,200})$")
# "1 (Åben) Godkendelse af dagsorden", "6 (Lukket) Salg af grund": whether the public may see it.
_ACCESS_MARKER = re.compile(r"^\((?P<access>(?i:åben|åbent|offentlig|lukket|fortrolig))\)\s*[:\-–]?\s*")
# A numbered line that is a recommendation or a sentence, not a heading: "1. At budgettet godkendes".
_NOT_A_HEADING_START = re.compile(r"^\d{1,3}\.?\s+(?i:at|og|samt|eller)\b")
_CASE_LABEL = (
    r"(?i:sagsnr|sagnr|sags\s+nr|sagsnummer|sags-nr|j\.\s*nr|journalnr|journal\s+nr|journalnummer|"
    r"acadre\s+sagsnr|esdh\s+nr|esdh-nr|sagsid|sags-id)\.?\s*:?\s*"
)
# "Sagsnr.: 330-2018-3619   Dok.nr.: …": whatever follows a labelled number is not ours.
_CASE_TAIL = r"(?:\s*$|(?<=\w)[\s,;]+(?i:dok|dokument|akt|sagsbeh|sagsansvarlig|initialer|åben|åbent|lukket)\b.*$)"
_CASE_NUMBER = re.compile(
    rf"^(?:{_CASE_LABEL})?"
    r"(?P<value>\d{2}\.\d{2}\.\d{2}(?:-[A-ZÆØÅ]\d{2})?-\d{1,6}-\d{2,4}"
    r"|\d{2}/\d{1,7}|\d{4}[/-]\d{3,7}|\d{2}-\d{3,7}|\d{2,3}-\d{4}-\d{1,7})"
    rf"{_CASE_TAIL}"
)
# After a label any journal scheme counts: "Sagsnummer: 1-01-72-12-22", "Sagsnr.: EMN-2023-01234".
_LABELLED_CASE_NUMBER = re.compile(
    rf"^{_CASE_LABEL}(?P<value>(?:[A-ZÆØÅ]{{1,6}}[-.])?\d[\w./\-]{{2,40}}?){_CASE_TAIL}"
)
_CLOSED = re.compile(
    r"^\(?(?i:lukket)(?:\)|\s+(?i:punkt|sag)\b|\s*$|\s*[:\-–])|\((?i:lukket)(?:\s+(?i:punkt|sag))?\)\s*$"
    r"|\s[-–]\s*(?i:lukket)(?:\s+(?i:punkt|sag))?\s*$"  # "Køb af ejendom - Lukket"
)
# A line of its own under the heading that marks the item closed ("Lukket sag"), or a case
# number line that ends so ("Sagsnr.: 330-2018-3619   Dok.nr.: …   Lukket").
_CLOSED_MARKER = re.compile(r"^(?i:lukket)(?:\s+(?i:sag|punkt|møde))?\.?$|\s(?i:lukket)(?:\s+(?i:sag|punkt))?$")
_TIME_SLOT = re.compile(r"\((?:(?i:kl)\.?\s*)?(\d{1,2})[.:](\d{2})\s*[-–]\s*(\d{1,2})[.:](\d{2})\)\s*$")

_SECTION_NAMES: dict[str, tuple[str, str]] = {}
for _kind, _names in (
    (DECISION, ("Beslutning", "Beslutninger", "Afgørelse", "Referat", "Konklusion", "Konklusioner", "Opfølgning",
                "Aftaler", "Beslutning og opfølgning", "Protokol", "Protokollat", "Udtalelse")),
    (RECOMMENDATION, ("Indstilling", "Indstillinger", "Forslag til beslutning", "Administrationens indstilling",
                      "Direktionens indstilling", "Forvaltningens indstilling", "Administrationen indstiller",
                      "Forvaltningen indstiller", "Direktionen indstiller", "Indstilling fra forvaltningen",
                      "Indstilling fra administrationen", "Indstilling fra direktionen", "Direktørens indstilling",
                      "Kommunaldirektørens indstilling", "Borgmesterens indstilling", "Regionsdirektørens indstilling",
                      "Beslutningsforslag")),
    (CASE, ("Anledning", "Baggrund", "Sagsfremstilling", "Sagsbeskrivelse", "Sagens indhold", "Sagens baggrund",
            "Supplerende sagsfremstilling", "Resumé", "Resume", "Sagsresume", "Sagsresumé", "Sagens resumé",
            "Sagens resume", "Kort resumé", "Vurdering", "Administrationens vurdering",
            "Videre forløb", "Det videre forløb", "Det videre arbejde", "Økonomiske forhold",
            "Økonomiske og personalemæssige konsekvenser", "Finansiering", "Drøftelse",
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
    (ATTACHMENTS, ("Bilag", "Bilagsliste", "Bilag til sagen", "Bilagsfortegnelse", "Vedlagte bilag")),
):
    for _name in _names:
        _SECTION_NAMES[_name.lower()] = (_name, _kind)

_DATE_TAIL = r"(?:\s+(?:den|d\.)?\s*(?:\d{1,2}[-./]\d{1,2}[-./]\d{2,4}|\d{1,2}\.\s*[a-zæøå]+\s+\d{4}))"
_BODY_WORDS = r"(?:\s+(?:(?:i|fra|af|på|for)\s+)?[A-ZÆØÅ][\w&\-]*(?:,?\s+[\w&\-]+){0,7}?)"
# "Beslutning", "Beslutning Direktionen den 27-11-2023", "Beslutning i Økonomiudvalget",
# "Økonomiudvalgets beslutning den 3. maj 2022".
# "… i mødet den 31. marts 2020": which meeting, before the date.
_AT_MEETING = r"(?:\s+(?i:i|på)\s+(?i:mødet|møde))"
_DECISION_HEADING = re.compile(rf"^(?i:beslutning(?:er)?)(?:{_AT_MEETING}|{_BODY_WORDS})?{_AT_MEETING}?{_DATE_TAIL}?\s*:?$")
_DECISION_BODY = re.compile(
    r"^(?i:beslutning(?:er)?)\s+(?:(?i:i|fra|af|på)\s+)?(?P<body>[A-ZÆØÅ].*?)(?:\s+(?i:den|d\.)\s*\d.*|\s+\d.*)?:?$"
)
# "Udvalgets beslutning", "Børne- og Skoleudvalgets beslutning den 3. marts 2023".
_OWNER_DECISION_HEADING = re.compile(
    rf"^[A-ZÆØÅ][\w\-]*(?:\s+(?:og|&)\s+[A-ZÆØÅ][\w\-]*)?s\s+(?i:beslutning|konklusion|udtalelse|afgørelse)"
    rf"{_AT_MEETING}?{_DATE_TAIL}?\s*:?$"
)
# "Beslutning: Godkendt." – a decision label with its text on the same line.
_INLINE_DECISION = re.compile(
    r"^[*_\s]*(?P<label>(?i:beslutning(?:er)?|konklusion|afgørelse|referat|aftaler))[*_]*\s*:[*_\s]*(?=\S)"
)
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
    r"^\W*(?:vedtaget|vedtages)\b|\b(?:blev|er|bliver)\s+vedtaget\b|\bvedtog\b(?!\s+at\b)"
    # not in a relative clause about something else ("medlemmer, der er bevilget orlov")
    r"|(?<!der er )(?<!som er )\b(?:bevilget|bevilges|imødekommet|imødekommes)\b|\bsom\s+indstillet\b"
    r"|(?<!ikke )(?<!der er )(?<!som er )\b(?:godkendt|godkendte|godkender|godkendes|tiltrådt|tiltræder|tiltrådte|"
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
    r"\b(?:aftalt|aftalte|aftales|besluttet|besluttede|besluttes|beslutter|besluttedes|vedtog\s+at|blev\s+enige"
    r"|udpeget|udpegede|udpeges|valgt|nedsat|nedsatte|afvist|afviste|afvises|forkastet|forkastede"
    r"|kan\s+ikke\s+(?:godkende|anbefale|tiltræde)|ikke\s+godkendt)\b",
    re.IGNORECASE,
)


# In order of precedence: an item that was withdrawn and mentions approval was withdrawn.
_OUTCOME_TESTS = (
    ("withdrawn", ("udgik", "udgår", "udgået", "trukket", "taget af"), _WITHDRAWN),
    ("postponed", ("udsat", "udskudt", "udsættes", "udskydes", "genoptages"), _POSTPONED),
    ("approved", ("godkend", "tiltræd", "tiltråd", "anbefal", "vedtag", "vedtog", "bevilg", "imødekom", "indstillet"),
     _APPROVED),
    ("noted", ("efterretning", "orienter"), _NOTED),
    ("decided", ("aftal", "beslut", "vedtog", "enige", "udpeg", "valgt", "nedsat", "afvis", "afvist", "forkast",
                 "ikke"), _DECIDED),
)


class Line(NamedTuple):
    # A tuple, not a dataclass: a document has hundreds of lines and this is built for each.
    start: int
    end: int  # exclusive, before the newline
    raw: str
    clean: str  # without Markdown emphasis, heading hashes and surplus spaces


_new_line = partial(tuple.__new__, Line)  # builds a Line from a 4-tuple without a Python call


def split_lines(text: str) -> list[Line]:
    raws = text.split("\n")
    lengths = list(map(len, raws))
    starts = list(accumulate(map(add, lengths, repeat(1)), initial=0))
    ends = list(map(add, starts, lengths))
    # Runs of spaces and tabs become one space for the whole text at once (plain string
    # replacements, which keep the lines apart); only lines with Markdown or a byte-order
    # mark are cleaned one by one. A function call per line cost more than the rest.
    spaced = text
    if "\t" in spaced:
        spaced = spaced.replace("\t", " ")
    if "\u00a0" in spaced:
        spaced = spaced.replace("\u00a0", " ")
    while "  " in spaced:
        spaced = spaced.replace("  ", " ")
    cleans = list(map(str.strip, spaced.split("\n")))
    for mark in _MARKUP_CHARACTERS:
        index = text.find(mark)
        while index >= 0:
            row = bisect_right(starts, index) - 1
            cleans[row] = clean_line(raws[row])
            index = text.find(mark, ends[row])
    return list(map(_new_line, zip(starts, ends, raws, cleans)))


_MARKUP_CHARACTERS = ("#", "*", "_", "\ufeff")


def clean_line(raw: str) -> str:
    # Most lines are plain prose: only pay for the patterns a line needs (plain substring
    # tests are much cheaper than a regular expression per line).
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


_OWNER_DECISION_WORDS = ("beslutning", "konklusion", "udtalelse", "afgørelse")


def section_heading(clean: str) -> tuple[str, str] | None:
    """(normalised name, kind) when the line is only a section heading."""
    if not clean or len(clean) > 90:
        return None
    return _section_heading(clean)


@lru_cache(maxsize=4096)  # headings repeat under every item and in every document
def _section_heading(clean: str) -> tuple[str, str] | None:
    key = clean.rstrip(":").strip().lower()
    known = _SECTION_NAMES.get(key)
    if known:
        return known
    first = key.split(" ", 1)[0]
    if first.startswith("beslutning") and _DECISION_HEADING.match(clean):
        return "Beslutning", DECISION
    if any(word in key for word in _OWNER_DECISION_WORDS):
        if _OWNER_DECISION_HEADING.match(clean):
            return "Beslutning", DECISION
    if first == "indstilling" and _RECOMMENDATION_HEADING.match(clean):
        return "Indstilling", RECOMMENDATION
    return None


def parse_structure(text: str) -> Structure:
    lines = split_lines(text)
    reading_text = text
    furniture = _page_furniture(text, lines)
    if furniture:
        reading_text = _blank_out(text, [lines[row] for row in furniture])
        for row in furniture:
            lines[row] = lines[row]._replace(clean="")
    item_rows = _find_items(lines)
    # "Spørgetid" / "Sag nr. 129": a heading of the number alone may have its title on the line above it,
    # and then the item begins there.
    # Some agenda systems print the case number above the heading instead.
    title_rows = [_title_above(lines, row) for row in item_rows]
    case_rows = [
        _case_line_above(lines, above if above is not None else row, previous)
        for above, row, previous in zip(title_rows, item_rows, [None, *item_rows])
    ]
    first_rows = [
        min(r for r in (case, above, row) if r is not None) for case, above, row in zip(case_rows, title_rows, item_rows)
    ]
    header = _parse_header(lines, first_rows[0] if first_rows else len(lines))
    meeting = header.meeting
    items: list[ParsedItem] = []
    for position, row in enumerate(item_rows):
        end_row = first_rows[position + 1] if position + 1 < len(item_rows) else len(lines)
        items.append(_parse_item(
            lines, row, end_row, reading_text, first_row=first_rows[position], title_row=title_rows[position],
            case_row=case_rows[position],
        ))
    header_end = lines[header.end_row].start if header.end_row < len(lines) else len(text)
    if meeting.body is None:
        # "Beslutning i Økonomiudvalget den 1. oktober 2018" names the body when the header does not;
        # failing that, a header line that names a body ("Lokalrådet for Sønderby og omegn").
        body = _body_from_decisions(items) or header.body_line
        if body:
            meeting = replace(meeting, body=body)
    return Structure(
        meeting=meeting,
        items=tuple(items),
        has_header=header.has_header,
        header_end=header_end,
        reading_text=reading_text,
    )


def _body_from_decisions(items: list[ParsedItem]) -> str | None:
    for item in items:
        for section in item.section_list:
            if section.kind != DECISION:
                continue
            if match := _DECISION_BODY.match(section.heading):
                return _tidy_body(match["body"])
            owner = _DECISION_OWNER.match(section.heading)
            # "Børne- og Skoleudvalgets beslutning" is Børne- og Skoleudvalget's; "Udvalgets
            # beslutning" names no one in particular.
            if owner and owner["owner"].lower() not in ("udvalget", "rådet"):
                return _tidy_body(owner["owner"])
    return None


_DECISION_OWNER = re.compile(r"^(?P<owner>[A-ZÆØÅ].*?)s\s+(?i:beslutning|konklusion|udtalelse|afgørelse)\b")


# --- page furniture -----------------------------------------------------------

# "Side 3 af 12", "Side 3", "- 3 -" on a line of their own ("3/12" alone could be a case number).
_PAGE_NUMBER_LINE = re.compile(r"^(?:(?i:side|page|s\.)\s*\d{1,4}(?:\s*(?i:af|of|/)\s*\d{1,4})?|[-–]\s*\d{1,4}\s*[-–])$")
# A running header or footer that ends in the page number: "Økonomiudvalget 12-05-2022    Side 3 af 12".
_PAGE_NUMBER_TAIL = re.compile(
    r"(?:^|\s)(?i:side|page)\s*\d{1,4}\s*(?i:af|of|/)\s*\d{1,4}\s*$|(?:\s{3,}|\t)(?i:side|page)\s*\d{1,4}\s*$"
)
_DIGITS = re.compile(r"\d+")
# Lines of the title area are never furniture: a running header repeats the title, and the title is needed.
_TITLE_AREA_LINES = 8
_FURNITURE_REPEATS = 3


_DOCUMENT_WORDS = ("referat", "dagsorden", "protokol")
_CLEAN_OF = attrgetter("clean")


def _page_furniture(text: str, lines: list[Line]) -> list[int]:
    """Rows that are page layout, not minutes: page numbers and headers or footers repeated on every page.

    A repeated line only counts when it carries a number or says what the
    document is: "Godkendt." may well stand under every item. String searches
    and one count of the lines find the few candidates.
    """
    found: set[int] = set()
    first_nonblank = next((row for row, line in enumerate(lines) if line.clean), 0)
    # A page number ends its line ("Side 3 af 12", "… Side 3", "- 3 -").
    for row, line in enumerate(lines):
        clean = line.clean
        if clean and clean[-1] in _PAGE_NUMBER_ENDS and row != first_nonblank and len(clean) <= 140:
            if _PAGE_NUMBER_LINE.match(clean) or _PAGE_NUMBER_TAIL.search(line.raw):
                found.add(row)
    title_area_end = _title_area_end(lines)
    counts = Counter(map(_CLEAN_OF, lines[title_area_end:]))
    repeated = {clean for clean, count in counts.items() if count >= _FURNITURE_REPEATS and _furniture_like(clean)}
    if repeated:
        found.update(row for row in range(title_area_end, len(lines)) if lines[row].clean in repeated)
    return sorted(found)


_PAGE_NUMBER_ENDS = frozenset("0123456789-–")




def _furniture_like(clean: str) -> bool:
    if not 6 <= len(clean) <= 140:
        return False
    lower = clean.lower()
    if not (_DIGITS.search(clean) or any(word in lower for word in _DOCUMENT_WORDS)):
        return False
    if section_heading(clean) or _ITEM.match(clean) or _case_number(clean) or _NUMBERED_HEADING.match(clean):
        return False
    return not (_TOC.match(clean) or _is_header_label(clean) or _OTHER_LABEL.match(clean))


def _title_area_end(lines: list[Line]) -> int:
    """The row after the first few non-blank lines (the title area)."""
    seen = 0
    for row, line in enumerate(lines):
        if line.clean:
            seen += 1
            if seen > _TITLE_AREA_LINES:
                return row
    return len(lines)


def _blank_out(text: str, lines: list[Line]) -> str:
    """The text with the given lines replaced by spaces: offsets stay, and each becomes a blank line."""
    parts = []
    position = 0
    for line in lines:
        parts.append(text[position:line.start])
        parts.append(" " * (line.end - line.start))
        position = line.end
    parts.append(text[position:])
    return "".join(parts)


# --- header -----------------------------------------------------------------


def parse_header_date(value: str) -> date | None:
    """A full calendar date as written in a header: "Torsdag d. 28. april 2022", "28-04-2022".

    The reading of dates is the date module's; a header date must carry its year.
    """
    found = _header_date(value)
    return found[0] if found else None


def _header_date(value: str) -> tuple[date, int, int] | None:
    """The first full calendar date in ``value`` with where it stands."""
    if not _HAS_YEAR.search(value):
        return None
    if numeric := _WHOLE_NUMERIC_DATE.match(value):
        # "28-04-2022" (a title's date) needs no date scanner.
        day, month, year = int(numeric["d"]), int(numeric["m"]), int(numeric["y"])
        try:
            return date(year if year >= 100 else 2000 + year, month, day), numeric.start("d"), numeric.end("y")
        except ValueError:
            return None
    for found in find_deadlines(value, _NO_MEETING_YET):
        phrase = value[found.start:found.end]
        if (
            found.precision == "day"
            and found.window_end is not None
            and found.window_start == found.window_end
            and _HAS_YEAR.search(phrase)
        ):
            return found.window_end, found.start, found.end
    return None


def parse_clock(value: str) -> time | None:
    found = _clock(value)
    return found[0] if found else None


def _clock(value: str) -> tuple[time, int] | None:
    """The first clock time in ``value`` and where it ends."""
    for match in _CLOCK.finditer(value):
        hour = match[1] if match[1] is not None else match[3]
        minute = match[2] if match[1] is not None else match[4]
        # "d. 08.03" would look like a time; a clock needs "kl." or a colon-ish pair in range.
        try:
            return time(int(hour), int(minute or 0)), match.end()
        except ValueError:
            continue
    return None


class _Header(NamedTuple):
    meeting: MeetingInfo
    has_header: bool
    end_row: int  # where the header (and its table of contents) ends
    body_line: str | None  # a header line naming a body, for when nothing better names it


# Header facts of which two make a header when there is no title ("Dato:" alone is a letter).
_DATE, _TIME, _PLACE, _PEOPLE, _BODY = "date", "time", "place", "people", "body"
_ORGANISATION = re.compile(r"^(?i:region)\s|\s(?i:kommune|kommunes)$")


def _parse_header(lines: list[Line], limit: int) -> _Header:
    body: str | None = None
    body_line: str | None = None
    meeting_date: date | None = None
    title_date: date | None = None
    start_time: time | None = None
    location: str | None = None
    participants: list[str] = []
    absent: list[str] = []
    titled = False
    facts: set[str] = set()
    previous_row: int | None = None
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
        match = _TITLE_DATE_FIRST.match(clean) or _TITLE.match(clean) or _TITLE_BODY_FIRST.match(clean)
        if match and body is None:
            body = _tidy_body(match["body"]) if match["body"] else _body_next_to(lines, row, previous_row, limit)
            title_date = parse_header_date(match["date"])
            titled = True
            extra = match.groupdict()
            if extra.get("clock") and start_time is None:
                start_time = parse_clock(extra["clock"])
            if extra.get("place") and location is None:
                location = extra["place"].strip(" .,")
        elif _BARE_TITLE.match(clean):
            # "Referat" on its own line: the body is named on the line after it or before it,
            # or in the word for the meeting ("Referat af skolebestyrelsesmøde").
            titled = True
            if body is None:
                body = _body_next_to(lines, row, previous_row, limit) or _body_of_meeting_word(clean)
        elif (match := _DATE_LABEL.match(clean)) and meeting_date is None:
            meeting_date = parse_header_date(match["value"])
            start_time = start_time or _clock_after_date(match["value"])
            if meeting_date is not None:
                facts.add(_DATE)
        elif (match := _TIME_LABEL.match(clean)) and start_time is None:
            start_time = _clock_after_date(match["value"] or match["clock"])
            # "Starttidspunkt 04-06-2020 09:00:00" carries the date as well.
            meeting_date = meeting_date or (parse_header_date(match["value"]) if match["value"] else None)
            facts.add(_TIME)
        elif match := _PLACE_LABEL.match(clean):
            location = location or (match["value"] or match["value2"]).strip()
            facts.add(_PLACE)
        elif match := _PEOPLE_LABEL.match(clean):
            names, row = _collect_names(lines, row, match["value"], limit)
            participants.extend(names)
            facts.add(_PEOPLE)
            previous_row = row - 1
            continue
        elif match := _ABSENT_LABEL.match(clean):
            names, row = _collect_names(lines, row, match["value"], limit)
            absent.extend(names)
            previous_row = row - 1
            continue
        elif (match := _TITLE_NO_DATE.match(clean) or _TITLE_BODY_FIRST_NO_DATE.match(clean)) and body is None:
            body = _tidy_body(match["body"])
            titled = True
        elif (match := _BODY_LABEL.match(clean)) and body is None:
            body = _tidy_body(match["value"])
            facts.add(_BODY)
        elif meeting_date is None and (found := _date_line(clean)):
            # "Tirsdag den 14. november 2023 kl. 19.00 i Fælleshuset": the date on a line of its own,
            # perhaps after the body ("Social- og Sundhedsudvalget torsdag den 20. april 2023 kl. 19.00").
            meeting_date, clock, place, named = found
            start_time = start_time or clock
            location = location or place
            body = body or named
            facts.add(_DATE)
            if named:
                facts.add(_BODY)
        elif body is None and (match := _MEETING_OF_LINE.match(clean)):
            # "Referat" / "til" / "mødet i Sundhedsstyregruppen" / "den 14. marts 2024 kl. 09:30"
            body = _tidy_body(match["body"])
            facts.add(_BODY)
        elif location is None and len(clean) <= 100 and _ROOM.search(clean) and not _HAS_YEAR.search(clean):
            # "Bakkeskolen, mødelokale 3" or "i Regionshuset Viborg, lokale F7" under the title: where
            location = _LEADING_PREPOSITION.sub("", clean).strip(" .")
        elif body_line is None and _plausible_body(clean) and _BODY_NOUN.search(clean):
            body_line = _tidy_body(clean)
        previous_row = row
        row += 1
    meeting = MeetingInfo(
        body=body,
        date=meeting_date or title_date,
        start_time=start_time,
        location=location,
        participants=tuple(participants),
        absent=tuple(absent),
    )
    return _Header(meeting, titled or len(facts) >= 2, min(toc_row, limit), body_line)


# A header line of its own that names whose meeting it is.
_MEETING_OF_LINE = re.compile(
    rf"^(?:(?i:til|fra|af)\s+)?(?:(?i:ordinær|ordinært|ekstraordinær|ekstraordinært)\s+)?{_MEETING_OF}"
    rf"(?P<body>{_BODY_NAME})\s*$"
)
_LEADING_PREPOSITION = re.compile(r"^(?i:i|på)\s+")
# Words that make an unlabelled header line a place ("Rådhuset, mødelokale 2", "Byrådssalen").
_ROOM = re.compile(
    r"(?i:mødelokale|lokale|mødesal|\w*salen|\w*rådhus|\w*rådhuset|kantine|kantinen|personalerum\w*|auditorium|"
    r"mødecenter|konferencerum\w*)\b"
)
# The bodies a compound names ("skolebestyrelsesmøde", "direktionsmøde") and their definite form.
_COMPOUND_BODY = re.compile(
    r"(?P<stem>\w*?(?P<noun>bestyrelse|ledelse|direktion|udvalg|råd|forum|komité|nævn|repræsentantskab|panel|"
    r"forsamling|sekretariat))s?møde(?:t)?$",
    re.IGNORECASE,
)
_DEFINITE_ENDING = {
    "bestyrelse": "n", "ledelse": "n", "direktion": "en", "udvalg": "et", "råd": "et", "forum": "", "komité": "en",
    "nævn": "et", "repræsentantskab": "et", "panel": "et", "forsamling": "en", "sekretariat": "et",
}


def _body_of_meeting_word(clean: str) -> str | None:
    """ "Referat af skolebestyrelsesmøde" is a meeting of Skolebestyrelsen."""
    match = _COMPOUND_BODY.search(clean.rstrip(" :"))
    if match is None:
        return None
    stem = match["stem"]
    name = stem + _DEFINITE_ENDING[match["noun"].lower()]
    return name[:1].upper() + name[1:]


def _body_next_to(lines: list[Line], row: int, previous_row: int | None, limit: int) -> str | None:
    following = _next_nonblank(lines, row + 1, 1)
    if following and following[0] < limit and _plausible_body(lines[following[0]].clean):
        return _tidy_body(lines[following[0]].clean)
    if previous_row is not None and _plausible_body(lines[previous_row].clean):
        return _tidy_body(lines[previous_row].clean)
    return None


def _plausible_body(clean: str) -> bool:
    """Could this header line be the name of a body ("Økonomiudvalget", "Lokalrådet for Sønderby")?"""
    if not 2 <= len(clean) <= 80 or not clean[0].isupper() or clean.endswith((".", ",", ";", "?")):
        return False
    if _DIGITS.search(clean) or _ORGANISATION.search(clean):
        return False  # a date line, or the municipality or region the body belongs to
    lower = clean.rstrip(":").strip().lower()
    if lower in _BARE_LABELS or lower in ("møde", "mødet", "dagsorden", "referat") or _MEETING_KIND.match(clean):
        return False
    return not (
        _OTHER_LABEL.match(clean) or _is_header_label(clean) or _TOC.match(clean) or _BARE_TITLE.match(clean)
    )


def _date_line(clean: str) -> tuple[date, time | None, str | None, str | None] | None:
    """A header line that is a date, perhaps with the time and place ("Møde mandag den 6. marts 2023 kl. 19.30").

    The body may come first ("Byrådet tirsdag den 14. marts 2023 kl. 17.00"):
    a name with a word for a body, then the weekday or "den"; it is returned last.
    """
    if len(clean) > 160:
        return None
    found = _header_date(clean)
    if found is None:
        return None
    lead = clean[:found[1]]
    named = None
    if not _DATE_LINE_LEAD.match(lead):
        owner = _BODY_BEFORE_DATE.match(lead)
        if owner is None or not _plausible_body(owner["body"]) or not _BODY_NOUN.search(owner["body"]):
            return None
        named = _tidy_body(owner["body"])
    meeting_date, _, date_end = found
    rest = clean[date_end:]
    clock = None
    if _CLOCK_FIRST.match(rest) and (read := _clock(rest)):
        clock, clock_end = read
        rest = rest[clock_end:]
    place = None
    if where := _PLACE_AFTER_TIME.match(rest):
        place = where["place"].strip(" .,")
    return meeting_date, clock, place, named


_CLOCK_FIRST = re.compile(r"^\s*,?\s*(?:(?i:kl\.?|klokken)\s*)?\d{1,2}(?:[:.]\d{2})?\b")


def _clock_after_date(value: str) -> time | None:
    # Only a time introduced by "kl." or written h:mm counts; "28.04.2022" is no clock.
    without_dates = _NUMERIC_DATE.sub(" ", _ISO_DATE.sub(" ", value))
    return parse_clock(without_dates)


def _tidy_body(value: str) -> str:
    value = _SPACES.sub(" ", value.strip(" .,:-–"))
    if value.isupper() and any(len(word) > 4 for word in value.split()):
        value = _unshout(value)
    # "Referat fra Ældrerådets møde" is a meeting of Ældrerådet.
    if match := _BODY_GENITIVE.match(value):
        return match["body"]
    return value


_LOWER_JOINERS = frozenset({"OG", "FOR", "I", "AF", "PÅ", "TIL", "MED", "&"})


def _unshout(value: str) -> str:
    """ "BØRNE- OG SKOLEUDVALGET" is Børne- og Skoleudvalget; short parts stay ("HOVED-MED", "HMU")."""
    words = []
    for word in value.split(" "):
        if word in _LOWER_JOINERS:
            words.append(word.lower())
            continue
        words.append("-".join(part.capitalize() if len(part) > 3 else part for part in word.split("-")))
    return " ".join(words)


def _collect_names(lines: list[Line], row: int, first: str, limit: int) -> tuple[list[str], int]:
    """Names after a label, following wrapped lines until a blank line or another label.

    A line break after a comma separates two names; one without a comma is a
    name that wrapped ("Anya Krogh" / "Manghezi"). What is not a name is left
    out: a role after a comma ("Kirsten Bach (A), formand"), "Ingen".
    """
    joined = first.strip()
    # Names under the label, one a line, are separate names; a line that goes on
    # from names after the label continues the last name unless both halves are
    # whole names already ("Jørgen Lerhard" / "Charlotte Markussen, …").
    one_a_line = not joined
    row += 1
    if one_a_line:
        # "Medlemmer" / "" / "Erik Nielsen (A)": the list may start after a blank line.
        following = _next_nonblank(lines, row, 1)
        if following and following[0] < limit and following[0] - row <= 2:
            row = following[0]
    while row < limit:
        clean = lines[row].clean
        if not clean or _is_header_label(clean) or _TOC.match(clean) or _OTHER_LABEL.match(clean):
            break
        if joined and (one_a_line or joined.endswith((",", ";")) or _two_whole_names(joined, clean)):
            joined = joined.rstrip(",;") + ", "
        elif joined:
            joined += " "
        joined += clean
        row += 1
    names = []
    for part in _NAME_SEPARATOR.split(_PARENTHESES.sub("", joined)):
        name = _TITLE_BEFORE_NAME.sub("", _SPACES.sub(" ", part.strip(" .")))
        if name and name[0].isupper() and name.lower() not in _NOT_A_NAME:
            names.append(name)
    return names, row


_NAME_SEPARATOR = re.compile(r"\s*[,;]\s*|\s+og\s+")
# "Formand Erik Nielsen": the office before a name is not part of it.
_TITLE_BEFORE_NAME = re.compile(
    r"^(?i:formand|næstformand|borgmester|viceborgmester|rådmand|overborgmester|dirigent|referent)\s+(?=[A-ZÆØÅ])"
)


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


def _case_number(clean: str) -> str | None:
    found = _CASE_NUMBER.match(clean) or _LABELLED_CASE_NUMBER.match(clean)
    return found["value"] if found else None


def _is_toc_line(line: Line) -> bool:
    # "Title....... 3" or a Markdown table row: plain string tests, no pattern needed.
    raw = line.raw
    return "...." in raw or "……" in raw or raw.lstrip().startswith("|")


# Every way an item heading can begin, in the cases it is written in (a fast test on each line).
_ITEM_PREFIXES = tuple(
    variant for word in ("punkt", "pkt", "dagsordenspunkt", "sag", "ad ", "ad\t")
    for variant in (word, word.capitalize(), word.upper())
)


def _find_items(lines: list[Line]) -> list[int]:
    rows = [
        index for index, line in enumerate(lines)
        if line.clean.startswith(_ITEM_PREFIXES)
        and _ITEM.match(line.clean)
        and not _is_toc_line(line)
    ]
    rows = _increasing(_after_contents(rows, lines, _ITEM), lines, _ITEM)
    if rows:
        return rows
    return _numbered_headings(lines)


# Words that make a numbered line ending in a colon the start of a list, not a heading.
_LIST_INTRO = re.compile(r"\b(?i:følgende|bl\.\s*a|eksempelvis|fx|herunder|nedenstående|således)\b")


def _numbered_headings(lines: list[Line]) -> list[int]:
    """Items numbered "N. Title" (or "N Title") without the word "Punkt".

    A numbered line is a heading when a case number or a section heading
    follows it, or when it goes on from the previous heading's number
    ("7. Eventuelt" after 6, minutes with notes only): that keeps numbered
    lists inside the text out. A run of numbered lines is a table of contents
    or a list, and so is a numbered sentence ("1. at planen godkendes").
    """
    kept: list[int] = []
    last = 0
    strong_seen = False
    for index, line in enumerate(lines):
        clean = line.clean
        if not clean or not clean[0].isdigit():
            continue
        match = _NUMBERED_HEADING.match(clean)
        if not match or _is_toc_line(line) or clean.endswith((".", ",", ";", "?", "!")):
            continue
        if clean.endswith(":") and (len(clean) > 80 or _LIST_INTRO.search(clean)):
            continue  # "1. Følgende blev aftalt:" introduces a list; "1. Elevråd:" is a heading
        if _NOT_A_HEADING_START.match(clean):
            continue
        following = _next_nonblank(lines, index + 1, 5)
        if following and _NUMBERED_HEADING.match(lines[following[0]].clean):
            continue  # one of a run of numbered lines: a table of contents or a list
        number = int(match["number"])
        strong = any(_case_number(lines[f].clean) or section_heading(lines[f].clean) for f in following)
        if (strong and number > last) or (not strong and number == last + 1):
            kept.append(index)
            last = number
            strong_seen = strong_seen or strong
    # Headings with notes only must at least make a sequence ("1." alone is a list).
    if not strong_seen and len(kept) < 2:
        return []
    return kept


def _after_contents(rows: list[int], lines: list[Line], pattern: re.Pattern[str]) -> list[int]:
    """Drop a table of contents written with the item headings themselves ("Punkt 1: …" / "Punkt 2: …")."""
    previous = 0
    for position, row in enumerate(rows):
        number = int(pattern.match(lines[row].clean)["number"])
        if position and number <= previous:
            # The numbering starts over: was everything before it a block of headings with nothing between?
            if all(not _next_nonblank(lines, rows[i] + 1, 1) or _next_nonblank(lines, rows[i] + 1, 1)[0] == rows[i + 1]
                   for i in range(position - 1)):
                return rows[position:]
            return rows
        previous = number
    return rows


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


# How far below the heading a case number is looked for: right under it, or
# after a few labelled lines ("Sagsansvarlig: …", "Åben sag") when labelled itself.
_CASE_NUMBER_LINES = 3
_LABELLED_CASE_NUMBER_LINES = 6


def _title_above(lines: list[Line], row: int) -> int | None:
    """The row of the title written above a heading that is only a number ("Spørgetid" / "Sag nr. 129").

    The title stands alone on the line right above, and nothing that could be
    a title follows the heading (a blank line, a label, a section heading).
    """
    match = _ITEM.match(lines[row].clean)
    if match is None or match["title"] or row == 0:
        return None
    above = lines[row - 1].clean
    if not above or (row >= 2 and lines[row - 2].clean) or not _could_be_title(above):
        return None
    below = lines[row + 1].clean if row + 1 < len(lines) else ""
    if below and _could_be_title(below) and not _OTHER_LABEL.match(below):
        return None  # "Punkt 3" / "Godkendelse af dagsorden": the title is below
    return row - 1


def _could_be_title(clean: str) -> bool:
    return not (
        len(clean) > 200
        or clean.endswith(":")
        or section_heading(clean)
        or _case_number(clean)
        or _ITEM.match(clean)
        or _TOC.match(clean)
        or _is_header_label(clean)
    )


def _case_line_above(lines: list[Line], row: int, previous_heading: int | None) -> int | None:
    """A labelled case number just above the heading ("Sagnr.: 1-30-72-16-24" / "2. Budget"), as some
    agenda systems print it; at most one other line (a "to the top" link) between them. A case number
    right under the previous heading is that item's own."""
    floor = 0
    if previous_heading is not None:
        # Where the previous item looks for its own case number: up to its first section.
        floor = previous_heading + 1
        for candidate in _next_nonblank(lines, previous_heading + 1, _LABELLED_CASE_NUMBER_LINES):
            if candidate >= row or section_heading(lines[candidate].clean):
                break
            floor = candidate + 1
    row -= 1
    seen = 0
    while row >= floor and seen < 2:
        clean = lines[row].clean
        if clean:
            if _LABELLED_CASE_NUMBER.match(clean):
                return row
            if section_heading(clean) or len(clean) > 40:
                return None
            seen += 1
        row -= 1
    return None


def _parse_item(
    lines: list[Line], row: int, end_row: int, text: str, *, first_row: int | None = None,
    title_row: int | None = None, case_row: int | None = None,
) -> ParsedItem:
    heading = lines[row]
    match = _ITEM.match(heading.clean) or _NUMBERED_HEADING.match(heading.clean)
    number = int(match["number"])
    title = match["title"].strip().rstrip(":").rstrip() or (lines[title_row].clean if title_row is not None else "")
    body_row = row + 1
    if not title:
        # "Punkt 3:" with the title on the next line.
        following = _next_nonblank(lines, row + 1, 1)
        candidate = lines[following[0]].clean if following and following[0] < end_row else ""
        if candidate and not section_heading(candidate) and not _case_number(candidate):
            title = candidate
            body_row = following[0] + 1
    elif len(heading.clean) > 60 and row + 1 < end_row:
        # Text from a PDF wraps a long title onto the very next line.
        continuation = lines[row + 1].clean
        if (
            continuation
            and not section_heading(continuation)
            and not _case_number(continuation)
            and not _ITEM.match(continuation)
            and not _OTHER_LABEL.match(continuation)
            and not _INLINE_DECISION.match(continuation)
            and len(continuation) < 80
        ):
            title = f"{title} {continuation}"
            body_row = row + 2
    closed = bool(_CLOSED.search(title))
    if access := _ACCESS_MARKER.match(title):
        closed = access["access"].lower() in ("lukket", "fortrolig")
        title = title[access.end():] or title
    time_slot = None
    if slot := _TIME_SLOT.search(title):
        try:
            time_slot = (time(int(slot[1]), int(slot[2])), time(int(slot[3]), int(slot[4])))
        except ValueError:
            time_slot = None

    case_number = None
    for distance, candidate in enumerate(_next_nonblank(lines, body_row, _LABELLED_CASE_NUMBER_LINES)):
        if candidate >= end_row:
            break
        clean = lines[candidate].clean
        found = _CASE_NUMBER.match(clean) if distance < _CASE_NUMBER_LINES else None
        found = found or _LABELLED_CASE_NUMBER.match(clean)
        if found:
            case_number = found["value"]
            body_row = candidate + 1
            break
        if section_heading(clean) or _INLINE_DECISION.match(clean):
            break
    if case_number is None and case_row is not None:
        case_number = _LABELLED_CASE_NUMBER.match(lines[case_row].clean)["value"]
    if not closed:
        for candidate in _next_nonblank(lines, row + 1, _CASE_NUMBER_LINES):
            clean = lines[candidate].clean
            if candidate >= end_row or section_heading(clean):
                break
            if _CLOSED_MARKER.search(clean) and (
                _CLOSED_MARKER.match(clean) or _CASE_NUMBER.match(clean) or _LABELLED_CASE_NUMBER.match(clean)
            ):
                closed = True
                break

    sections: list[Section] = []
    # name, heading, kind, heading row, where the text starts when it stands on the heading's line
    current: tuple[str, str, str, int, int | None] | None = None
    notes_rows: list[int] = []
    for index in range(body_row, end_row):
        clean = lines[index].clean
        if not clean:
            continue
        found_heading = section_heading(clean)
        if found_heading and _inside_list(lines, index, body_row):
            found_heading = None
        if found_heading and current and current[2] == ATTACHMENTS and _attachment_named_like_section(
            lines, index, end_row, found_heading[1]
        ):
            found_heading = None
        if found_heading and not (current and found_heading[0] == current[0] and clean.endswith(":")):
            if current:
                sections.append(_make_section(lines, current, index))
            current = (found_heading[0], clean.rstrip(":").strip(), found_heading[1], index, None)
        elif ":" in clean and (inline := _INLINE_DECISION.match(clean)):
            # "Beslutning: Godkendt." – the label opens a decision section of its own.
            if current:
                sections.append(_make_section(lines, current, index))
            name, kind = _SECTION_NAMES[inline["label"].lower()]
            current = (name, inline["label"], kind, index, _inline_text_start(lines[index]))
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
        outcome=_outcome(closed, sections, text, notes_start, notes_end),
        attachments=tuple(attachments),
        sections=section_texts,
        section_list=tuple(sections),
        start=lines[row if first_row is None else first_row].start,
        end=item_end,
        time_slot=time_slot,
        notes_start=notes_start,
        notes_end=notes_end,
    )


def _inline_text_start(line: Line) -> int:
    """Where the text after "Beslutning:" starts in the raw line (past any Markdown emphasis)."""
    raw = line.raw
    position = raw.index(":") + 1
    while position < len(raw) and raw[position] in " \t*_\u00a0":
        position += 1
    return line.start + position


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


def _attachment_named_like_section(lines: list[Line], index: int, end_row: int, kind: str) -> bool:
    """Under "Bilag", a line such as "Tidsplan" or "Økonomi" is an attachment unless prose follows it."""
    if kind not in (CASE, HISTORY) or lines[index].raw.lstrip().startswith("#") or lines[index].clean.endswith(":"):
        return False
    following = _next_nonblank(lines, index + 1, 1)
    if not following or following[0] >= end_row:
        return True
    after = lines[following[0]].clean
    return not (after.endswith((".", ":")) or len(after) > 100)


def _list_like(clean: str) -> bool:
    if not clean or len(clean) >= 40 or clean.endswith((".", ":", "!", "?", ";", ",")):
        return False
    return not (_case_number(clean) or section_heading(clean) or _ITEM.match(clean))


def _make_section(
    lines: list[Line], current: tuple[str, str, str, int, int | None], end_row: int
) -> Section:
    name, heading, kind, heading_row, inline_start = current
    first = heading_row + 1
    while first < end_row and not lines[first].clean:
        first += 1
    last = end_row - 1
    while last >= first and not lines[last].clean:
        last -= 1
    if inline_start is not None:
        text_start = inline_start
        final = lines[last] if last >= first else lines[heading_row]
        text_end = _rstrip_offset(final, final.end)
    elif last >= first:
        text_start = _content_bounds(lines[first])
        text_end = _rstrip_offset(lines[last], lines[last].end)
    else:
        text_start = text_end = lines[heading_row].end
    final_row = last if last >= first else heading_row
    return Section(
        name=name,
        heading=heading,
        kind=kind,
        start=lines[heading_row].start,
        end=_rstrip_offset(lines[final_row], lines[final_row].end),
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
        name = clean_line(_MD_LINK.sub(r"\1", raw) if "](" in raw else raw)
        name = _LIST_MARKER.sub("", name, count=1).strip() if name.startswith(("-", "•", "*", "▪")) else name
        if name:
            names.append(name)
    return names


def _outcome(closed: bool, sections: list[Section], text: str, notes_start: int, notes_end: int) -> str:
    if closed:
        return "closed"
    spans = [(s.text_start, s.text_end) for s in sections if s.kind == DECISION]
    if not sections and notes_end > notes_start:
        # Minutes with notes only under each heading: the notes are the decision.
        spans = [(notes_start, notes_end)]
    outcome = "none"
    # The last decision is the final word when several bodies decided in turn; a
    # follow-up list or a discussion after it does not undo an approval before it.
    for start, end in reversed(spans):
        found = _decision_outcome(text[start:end].strip())
        if found not in ("discussed", "none"):
            return found
        if found == "discussed":
            outcome = found
    return outcome


def _decision_outcome(decision: str) -> str:
    if not decision:
        return "none"
    lower = decision.lower()
    # Every phrase a pattern matches holds one of its key words: the pattern is only tried
    # around where a key word occurs (a plain substring search finds them), not over the text.
    for outcome, hints, pattern in _OUTCOME_TESTS:
        for hint in hints:
            index = lower.find(hint)
            while index >= 0:
                if pattern.search(decision, max(0, index - _OUTCOME_REACH), index + _OUTCOME_REACH):
                    return outcome
                index = lower.find(hint, index + len(hint))
    return "discussed"


# How far from its key word a decision phrase may reach ("Sagen blev efter en kort drøftelse udsat").
_OUTCOME_REACH = 80
