"""Meeting minutes to structure and follow-up candidates, without Django.

    parsed = parse_bytes(data, "referat.docx")    # or parse_text(text)
    parsed.meeting.body, parsed.items[0].sections["Beslutning"], parsed.followups[0].due
    to_contract_dict(parsed, source="referat.docx")  # the JSON of ``manage.py parse_minutes``

Every failure is a ParseError with a Danish message; nothing else escapes.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from .errors import ParseError
from .followups import FollowUp, extract_followups
from .reader import MAX_BYTES, Document, read_document
from .structure import MeetingInfo, ParsedItem, Section, parse_structure

__all__ = [
    "MAX_BYTES",
    "Document",
    "FollowUp",
    "MeetingInfo",
    "ParseError",
    "ParsedItem",
    "ParsedMinutes",
    "Section",
    "parse_bytes",
    "parse_text",
    "read_document",
    "to_contract_dict",
]


@dataclass(frozen=True, slots=True)
class ParsedMinutes:
    text: str  # every offset below points into this
    meeting: MeetingInfo
    items: list[ParsedItem]
    followups: list[FollowUp]
    format: str = "txt"  # what the file was: txt, md, docx, pdf


def parse_bytes(data: bytes, filename: str = "") -> ParsedMinutes:
    """Read a file's bytes (.txt, .md, .docx, .pdf) and parse it."""
    document = _guarded(read_document, data, filename)
    return _parse(document.text, document.format, None)


def parse_text(text: str, meeting_date: date | None = None) -> ParsedMinutes:
    """Parse already decoded text. ``meeting_date`` is used when the text has none."""
    if not isinstance(text, str) or not text.strip():
        raise ParseError(ParseError.EMPTY, "Teksten er tom.", "The text is empty.")
    return _parse(text, "txt", meeting_date)


def _parse(text: str, source_format: str, meeting_date: date | None) -> ParsedMinutes:
    structure = _guarded(parse_structure, text)
    if not structure.has_header and not structure.items:
        raise ParseError(
            ParseError.NOT_MINUTES,
            "Filen ligner ikke et referat: der er hverken mødeoplysninger (dato, mødested) eller dagsordenspunkter.",
            "The file does not look like minutes: it has no meeting header and no agenda items.",
        )
    meeting = structure.meeting
    when = meeting.date or meeting_date
    followups = _guarded(extract_followups, text, structure.items, when, meeting.body)
    return ParsedMinutes(
        text=text,
        meeting=meeting,
        items=list(structure.items),
        followups=followups,
        format=source_format,
    )


def _guarded(function: Any, *args: Any) -> Any:
    """Run one stage; a bug or a pathological input becomes a ParseError, never a crash."""
    try:
        return function(*args)
    except ParseError:
        raise
    except RecursionError:
        raise ParseError(
            ParseError.CORRUPT,
            "Filen er for kompleks til at blive læst.",
            "The file is too deeply nested to be read.",
        ) from None
    except Exception as error:  # noqa: BLE001 - the promise is: ParseError or a result
        raise ParseError(
            ParseError.CORRUPT,
            "Filen kunne ikke læses som et referat.",
            f"The file could not be parsed as minutes ({type(error).__name__}).",
        ) from error


def to_contract_dict(parsed: ParsedMinutes, source: str) -> dict[str, Any]:
    """The JSON object of the parse contract (see the design notes), for one file."""
    meeting = parsed.meeting
    return {
        "source": source,
        "meeting": {
            "body": meeting.body,
            "date": _iso(meeting.date),
            "start_time": meeting.start_time.strftime("%H:%M") if meeting.start_time else None,
            "location": meeting.location,
            "participants": list(meeting.participants),
        },
        "items": [
            {
                "number": item.number,
                "title": item.title,
                "case_number": item.case_number,
                "closed": item.closed,
                "outcome": item.outcome,
                "attachments": list(item.attachments),
                "sections": dict(item.sections),
            }
            for item in parsed.items
        ],
        "followups": [
            {
                "item": followup.item,
                "section": followup.section,
                "quote": followup.quote,
                "start": followup.start,
                "end": followup.end,
                "due": _iso(followup.due),
                "window": [_iso(followup.window_start), _iso(followup.window_end)] if followup.window_end else None,
                "precision": followup.precision,
                "responsible": followup.responsible,
                "warnings": list(followup.warnings),
            }
            for followup in parsed.followups
        ],
    }


def _iso(value: date | None) -> str | None:
    return value.isoformat() if value else None
