"""Bytes to text: .txt, .md, .docx and .pdf with a text layer.

The text returned here is the text every offset refers to, so it must be the
same text other tools see: for plain text that is what ``Path.read_text(encoding="utf-8")``
gives (universal newlines, a UTF-8 byte-order mark kept as U+FEFF).
"""
from __future__ import annotations

import io
import logging
import re
import zipfile
from dataclasses import dataclass
from xml.etree import ElementTree

from .errors import ParseError

MAX_BYTES = 20 * 1024 * 1024
# A .docx is a zip; refuse archives that would unpack to absurd sizes (zip bombs).
MAX_DOCX_XML_BYTES = 100 * 1024 * 1024
# A PDF whose pages hold fewer letters than this is a scan, whatever its size.
MIN_PDF_LETTERS = 20

_W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
_NEWLINES = re.compile(r"\r\n?")
_LETTER = re.compile(r"[^\W\d_]")
# C0 control characters other than tab, newline, carriage return, form feed.
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0e-\x1f\x7f]")
# Bytes cp1252 leaves undefined: text containing them is latin-1 at best.
_CP1252_HOLES = re.compile(rb"[\x81\x8d\x8f\x90\x9d]")
# C1 controls are what latin-1 makes of bytes that were never meant as latin-1.
_C1 = re.compile(r"[\x80-\x9f]")
_PAGE_NUMBER_LINE = re.compile(r"(?im)^[ \t]*(?:side[ \t]+)?\d{1,4}(?:[ \t]*(?:af|/)[ \t]*\d{1,4})?[ \t]*$")

logging.getLogger("pypdf").setLevel(logging.ERROR)


@dataclass(frozen=True, slots=True)
class Document:
    """What a file turned out to be."""

    text: str
    format: str  # "txt", "md", "docx" or "pdf"
    encoding: str | None = None  # for plain text: how the bytes were decoded


def read_document(data: bytes, filename: str = "") -> Document:
    """Decode ``data`` according to what it is (by content first, name second).

    Raises ParseError for anything that does not give readable text.
    """
    if not data or not data.strip():
        raise ParseError(
            ParseError.EMPTY,
            "Filen er tom.",
            "The file is empty.",
        )
    if len(data) > MAX_BYTES:
        raise ParseError(
            ParseError.TOO_LARGE,
            f"Filen er for stor ({len(data) / 1024 / 1024:.0f} MB); grænsen er {MAX_BYTES // 1024 // 1024} MB.",
            f"The file is too large ({len(data) / 1024 / 1024:.0f} MB); the limit is {MAX_BYTES // 1024 // 1024} MB.",
        )
    head = data[:1024]
    lower_name = filename.lower()
    if b"%PDF-" in head:
        return Document(_read_pdf(data), "pdf")
    if data.startswith(b"PK\x03\x04") or data.startswith(b"PK\x05\x06"):
        return Document(_read_docx(data), "docx")
    if data.startswith(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"):
        raise ParseError(
            ParseError.UNSUPPORTED,
            "Filen er i det gamle Word-format (.doc). Gem den som .docx eller PDF og prøv igen.",
            "The file is an old Word document (.doc). Save it as .docx or PDF and try again.",
        )
    if lower_name.endswith((".pdf", ".docx")):
        raise ParseError(
            ParseError.CORRUPT,
            "Filen hedder .pdf eller .docx, men indholdet er ikke en gyldig fil af den type.",
            "The file is named .pdf or .docx but its content is not a valid file of that type.",
        )
    text, encoding = _decode_text(data)
    return Document(text, "md" if lower_name.endswith((".md", ".markdown")) else "txt", encoding)


def _binary_error() -> ParseError:
    return ParseError(
        ParseError.UNSUPPORTED,
        "Filen er ikke et tekstdokument. Upload referatet som .txt, .md, .docx eller PDF med tekst.",
        "The file is not a text document. Upload the minutes as .txt, .md, .docx or a PDF with text.",
    )


def _undecodable_error() -> ParseError:
    return ParseError(
        ParseError.UNDECODABLE,
        "Teksten kan ikke læses: tegnsættet er hverken UTF-8 eller Windows-1252/Latin-1.",
        "The text cannot be read: its encoding is neither UTF-8 nor Windows-1252/Latin-1.",
    )


def _normalise_newlines(text: str) -> str:
    return _NEWLINES.sub("\n", text) if "\r" in text else text


def _decode_text(data: bytes) -> tuple[str, str]:
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            text = data.decode("utf-16")
        except UnicodeDecodeError:
            raise _undecodable_error() from None
        return _checked(_normalise_newlines(text.lstrip("\ufeff"))), "utf-16"
    if b"\x00" in data:
        # UTF-16 without a byte-order mark (some Windows tools) has a zero byte in
        # every other place for Western text; anything else with zeros is binary.
        sample = data[:4096]
        odd_zeros, even_zeros = sample[1::2].count(0), sample[0::2].count(0)
        half = max(1, len(sample) // 2)
        for encoding, zeros, others in (("utf-16-le", odd_zeros, even_zeros), ("utf-16-be", even_zeros, odd_zeros)):
            if zeros > 0.4 * half and others < 0.05 * half:
                try:
                    return _checked(_normalise_newlines(data.decode(encoding))), encoding
                except UnicodeDecodeError:
                    raise _undecodable_error() from None
        raise _binary_error()
    try:
        # The BOM is kept as U+FEFF so that offsets agree with a plain UTF-8 read of the file.
        return _checked(_normalise_newlines(data.decode("utf-8"))), "utf-8"
    except UnicodeDecodeError:
        pass
    encoding = "latin-1" if _CP1252_HOLES.search(data) else "cp1252"
    text = data.decode(encoding)
    # Latin-1 decodes anything; what it makes of a foreign encoding is full of
    # C1 control characters, which no real Western text contains.
    if len(_C1.findall(text)) > max(2, len(text) // 200):
        raise _undecodable_error()
    return _checked(_normalise_newlines(text)), encoding


_CONTROL_CHARACTERS = tuple(chr(code) for code in (*range(0x00, 0x09), 0x0B, *range(0x0E, 0x20), 0x7F))


def _checked(text: str) -> str:
    """Refuse text that is mostly control characters: a binary file that happened to decode."""
    # Single-character searches run at memory speed; a pattern would visit every character.
    if not any(character in text for character in _CONTROL_CHARACTERS):
        return text
    controls = len(_CONTROL.findall(text))
    if controls > max(2, len(text) // 100):
        raise _binary_error()
    return text


def _read_docx(data: bytes) -> str:
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            try:
                info = archive.getinfo("word/document.xml")
            except KeyError:
                raise ParseError(
                    ParseError.UNSUPPORTED,
                    "Filen er et zip-arkiv, men ikke et Word-dokument (.docx).",
                    "The file is a zip archive but not a Word document (.docx).",
                ) from None
            if info.file_size > MAX_DOCX_XML_BYTES:
                raise ParseError(
                    ParseError.TOO_LARGE,
                    "Word-dokumentet fylder for meget, når det pakkes ud.",
                    "The Word document is too large when unpacked.",
                )
            xml = archive.read(info)
            parts = {name: _small_part(archive, name) for name in ("word/numbering.xml", "word/styles.xml")}
    except ParseError:
        raise
    except Exception:  # noqa: BLE001 - zipfile fails in many ways on broken archives
        raise _corrupt("Word-dokumentet", "The Word document") from None
    # Word never writes a DTD; one in the body can only be an entity-expansion attack.
    if b"<!DOCTYPE" in xml[:4096] or b"<!ENTITY" in xml:
        raise _corrupt("Word-dokumentet", "The Word document")
    try:
        root = ElementTree.fromstring(xml)
    except Exception:  # noqa: BLE001 - ParseError, ValueError, RecursionError on hostile XML
        raise _corrupt("Word-dokumentet", "The Word document") from None
    body = root.find(f"{_W}body")
    if body is None:
        raise _corrupt("Word-dokumentet", "The Word document")
    blocks: list[str] = []
    _docx_blocks(body, blocks, _Numbering(parts["word/numbering.xml"], parts["word/styles.xml"]))
    text = "\n\n".join(block for block in blocks if block.strip())
    if not text.strip():
        raise ParseError(
            ParseError.EMPTY,
            "Word-dokumentet indeholder ingen tekst.",
            "The Word document contains no text.",
        )
    return text


def _small_part(archive: zipfile.ZipFile, name: str) -> ElementTree.Element | None:
    """A part of the document beside its body (numbering, styles), if present, sane and small."""
    try:
        info = archive.getinfo(name)
    except KeyError:
        return None
    if info.file_size > MAX_DOCX_XML_BYTES:
        return None
    xml = archive.read(info)
    if b"<!DOCTYPE" in xml[:4096] or b"<!ENTITY" in xml:
        return None
    try:
        return ElementTree.fromstring(xml)
    except Exception:  # noqa: BLE001 - a broken side part only costs the numbers
        return None


def _docx_blocks(parent: ElementTree.Element, blocks: list[str], numbering: _Numbering) -> None:
    """Paragraphs and table rows in document order.

    Content controls (w:sdt) and tracked insertions wrap ordinary paragraphs,
    so they are walked into; municipal templates use them a lot.
    """
    for child in parent:
        tag = child.tag
        if tag == f"{_W}p":
            text = _docx_paragraph(child)
            label = numbering.label(child) if text.strip() else ""
            blocks.append(f"{label} {text.lstrip()}" if label else text)
        elif tag == f"{_W}tbl":
            rows = []
            for row in child.iter(f"{_W}tr"):
                cells = []
                for cell in row.findall(f"{_W}tc"):
                    inner: list[str] = []
                    _docx_blocks(cell, inner, numbering)
                    cells.append(" ".join(part.strip() for part in inner if part.strip()))
                rows.append("\t".join(cells))
            blocks.append("\n".join(rows))
        elif tag in (f"{_W}sdt", f"{_W}sdtContent", f"{_W}ins", f"{_W}customXml", f"{_W}smartTag"):
            _docx_blocks(child, blocks, numbering)


class _Numbering:
    """The numbers Word puts in front of numbered paragraphs ("3.", "b)"), which are not in their text.

    Agendas are often numbered headings ("3. Budget 2025" as an automatically
    numbered Heading 1): without the number the item could not be found. A
    paragraph is numbered by its own w:numPr or by its style's (through
    w:basedOn); numbering.xml gives each level's format, text ("%1.") and
    start. Counters run per list and level, and a level restarts when a
    level above it moves on. Bullets become "•".
    """

    _MAX_STYLE_DEPTH = 10

    def __init__(self, numbering: ElementTree.Element | None, styles: ElementTree.Element | None) -> None:
        self._levels: dict[str, dict[int, tuple[str, str, int]]] = {}
        self._style_numbers: dict[str, tuple[str | None, int | None]] = {}
        self._based_on: dict[str, str] = {}
        self._counters: dict[str, list[int]] = {}
        if numbering is not None:
            self._read_numbering(numbering)
        if styles is not None:
            self._read_styles(styles)

    def _read_numbering(self, root: ElementTree.Element) -> None:
        abstract: dict[str, dict[int, tuple[str, str, int]]] = {}
        for node in root.findall(f"{_W}abstractNum"):
            levels = {}
            for level in node.findall(f"{_W}lvl"):
                index = _int(level.get(f"{_W}ilvl"), 0)
                if not 0 <= index < _LEVELS:
                    continue
                fmt = _val(level.find(f"{_W}numFmt")) or "decimal"
                text = _val(level.find(f"{_W}lvlText")) or ""
                levels[index] = (fmt, text, _int(_val(level.find(f"{_W}start")), 1))
            abstract[node.get(f"{_W}abstractNumId") or ""] = levels
        for node in root.findall(f"{_W}num"):
            levels = dict(abstract.get(_val(node.find(f"{_W}abstractNumId")) or "", {}))
            for override in node.findall(f"{_W}lvlOverride"):
                index = _int(override.get(f"{_W}ilvl"), 0)
                start = _val(override.find(f"{_W}startOverride"))
                if start is not None and index in levels:
                    fmt, text, _ = levels[index]
                    levels[index] = (fmt, text, _int(start, 1))
            self._levels[node.get(f"{_W}numId") or ""] = levels

    def _read_styles(self, root: ElementTree.Element) -> None:
        for style in root.findall(f"{_W}style"):
            style_id = style.get(f"{_W}styleId") or ""
            based = _val(style.find(f"{_W}basedOn"))
            if based:
                self._based_on[style_id] = based
            number = style.find(f"{_W}pPr/{_W}numPr")
            if number is not None:
                self._style_numbers[style_id] = (
                    _val(number.find(f"{_W}numId")), _int(_val(number.find(f"{_W}ilvl")))
                )

    def _style_number(self, style_id: str | None) -> tuple[str | None, int | None]:
        for _ in range(self._MAX_STYLE_DEPTH):
            if not style_id:
                break
            if style_id in self._style_numbers:
                return self._style_numbers[style_id]
            style_id = self._based_on.get(style_id)
        return None, None

    def label(self, paragraph: ElementTree.Element) -> str:
        properties = paragraph.find(f"{_W}pPr")
        if properties is None or not self._levels:
            return ""
        own = properties.find(f"{_W}numPr")
        num_id, level = self._style_number(_val(properties.find(f"{_W}pStyle")))
        if own is not None:
            num_id = _val(own.find(f"{_W}numId")) or num_id
            level = _int(_val(own.find(f"{_W}ilvl")), level)
        levels = self._levels.get(num_id or "")
        if not levels or num_id == "0":
            return ""
        level = level or 0
        if not 0 <= level < _LEVELS or level not in levels:
            return ""
        counters = self._counters.setdefault(num_id, [])
        while len(counters) <= level:
            counters.append(levels.get(len(counters), ("decimal", "", 1))[2] - 1)
        counters[level] += 1
        for deeper in range(level + 1, len(counters)):
            counters[deeper] = levels.get(deeper, ("decimal", "", 1))[2] - 1
        fmt, text, _ = levels[level]
        if fmt == "bullet":
            return "•"
        if fmt == "none":
            return ""

        def number(match: re.Match[str]) -> str:
            index = int(match.group(1)) - 1
            if index >= len(counters):
                return ""
            return _format_number(counters[index], levels.get(index, ("decimal", "", 1))[0])

        return _LEVEL_PLACEHOLDER.sub(number, text).strip()


_LEVELS = 9  # Word numbers lists nine levels deep
_LEVEL_PLACEHOLDER = re.compile(r"%([1-9])")
_ROMAN = (
    (1000, "m"), (900, "cm"), (500, "d"), (400, "cd"), (100, "c"), (90, "xc"),
    (50, "l"), (40, "xl"), (10, "x"), (9, "ix"), (5, "v"), (4, "iv"), (1, "i"),
)


def _format_number(value: int, fmt: str) -> str:
    if value < 1 or fmt in ("decimal", "decimalZero") or not fmt:
        return str(value) if fmt != "decimalZero" else f"{value:02d}"
    if fmt in ("lowerLetter", "upperLetter"):
        letters = ""
        while value:
            value, rest = divmod(value - 1, 26)
            letters = chr(ord("a") + rest) + letters
        return letters.upper() if fmt == "upperLetter" else letters
    if fmt in ("lowerRoman", "upperRoman") and value < 4000:  # larger ones are written in digits
        roman = ""
        for amount, numeral in _ROMAN:
            while value >= amount:
                roman += numeral
                value -= amount
        return roman.upper() if fmt == "upperRoman" else roman
    return str(value)


def _val(node: ElementTree.Element | None) -> str | None:
    return None if node is None else node.get(f"{_W}val")


def _int(value: str | None, default: int | None = None) -> int | None:
    try:
        return int(value) if value is not None else default
    except ValueError:
        return default


def _docx_paragraph(paragraph: ElementTree.Element) -> str:
    parts: list[str] = []
    for node in paragraph.iter():
        tag = node.tag
        if tag == f"{_W}t":
            parts.append(node.text or "")
        elif tag == f"{_W}tab":
            parts.append("\t")
        elif tag in (f"{_W}br", f"{_W}cr"):
            parts.append("\n")
        elif tag == f"{_W}noBreakHyphen":
            parts.append("-")
    return "".join(parts)


def _read_pdf(data: bytes) -> str:
    try:
        from pypdf import PdfReader

        reader = PdfReader(io.BytesIO(data))
        if reader.is_encrypted and not reader.decrypt(""):
            raise ParseError(
                ParseError.UNSUPPORTED,
                "PDF-filen er beskyttet med adgangskode.",
                "The PDF file is password protected.",
            )
        pages = [page.extract_text() or "" for page in reader.pages]
    except ParseError:
        raise
    except Exception:  # noqa: BLE001 - pypdf raises many kinds of errors on damaged files
        raise _corrupt("PDF-filen", "The PDF file") from None
    # Bare page numbers ("Side 3 af 12") are layout, not minutes.
    text = "\n\n".join(_PAGE_NUMBER_LINE.sub("", _normalise_newlines(page)).strip("\n") for page in pages)
    text = _CONTROL.sub("", text)
    if len(_LETTER.findall(text)) < MIN_PDF_LETTERS:
        raise ParseError(
            ParseError.PDF_WITHOUT_TEXT,
            "PDF-filen har ingen tekst (scannet PDF uden tekst). Brug den oprindelige fil eller en PDF med tekstlag.",
            "The PDF has no text layer (a scanned PDF). Use the original file or a PDF with a text layer.",
        )
    return text


def _corrupt(what_da: str, what_en: str) -> ParseError:
    return ParseError(
        ParseError.CORRUPT,
        f"{what_da} er beskadiget og kan ikke læses.",
        f"{what_en} is damaged and cannot be read.",
    )
