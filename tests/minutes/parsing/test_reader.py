"""Reading uploads: every supported format gives text, everything else a clear ParseError."""
from __future__ import annotations

import io
import zipfile

import docx
from hypothesis import given, settings
from hypothesis import strategies as st
import pytest

from minutes.parsing import MAX_BYTES, ParseError, parse_bytes
from minutes.parsing.reader import read_document

MINUTES = (
    "REFERAT Chefforum d. 28-04-2022\n\n"
    "Mødedato Torsdag d. 28. april 2022 kl. 08:30\n\n"
    "Mødested Mødelokale 1\n\n"
    "Punkt 1: CF - Godkendelse af dagsorden\n\n"
    "00.01.00-A21-2-21\n\n"
    "Beslutning\n\n"
    "Godkendt. Sekretæren sender referatet til cheferne inden 5. maj.\n"
)


def _pdf(*lines: str) -> bytes:
    """A one-page PDF with the lines as real text (Helvetica, WinAnsi), xref offsets computed."""
    content = "BT /F1 12 Tf 72 720 Td 14 TL\n"
    for line in lines:
        escaped = line.replace("\\", "\\\\").replace("(", "\\(").replace(")", "\\)")
        content += f"({escaped}) Tj T*\n"
    content += "ET"
    return _pdf_with_content(content.encode("cp1252"))


def _pdf_with_content(stream: bytes) -> bytes:
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R "
        b"/Resources << /Font << /F1 5 0 R >> >> >>",
        b"<< /Length " + str(len(stream)).encode() + b" >>\nstream\n" + stream + b"\nendstream",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>",
    ]
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += f"{number} 0 obj\n".encode() + body + b"\nendobj\n"
    xref = len(out)
    out += f"xref\n0 {len(objects) + 1}\n0000000000 65535 f \n".encode()
    for offset in offsets:
        out += f"{offset:010d} 00000 n \n".encode()
    out += f"trailer\n<< /Size {len(objects) + 1} /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n".encode()
    return bytes(out)


def _code(data: bytes, filename: str = "referat.txt") -> str:
    with pytest.raises(ParseError) as caught:
        parse_bytes(data, filename)
    return caught.value.code


def test_it_reads_utf8_text() -> None:
    parsed = parse_bytes(MINUTES.encode("utf-8"), "referat.txt")

    assert parsed.text == MINUTES
    assert parsed.meeting.location == "Mødelokale 1"
    assert parsed.format == "txt"


def test_it_keeps_a_byte_order_mark_so_offsets_match_a_plain_utf8_read() -> None:
    data = b"\xef\xbb\xbf" + MINUTES.encode("utf-8")

    parsed = parse_bytes(data, "referat.txt")

    assert parsed.text == data.decode("utf-8")
    assert parsed.meeting.body == "Chefforum"
    followup = parsed.followups[0]
    assert parsed.text[followup.start:followup.end] == followup.quote


def test_it_decodes_windows_1252_text() -> None:
    document = read_document(MINUTES.replace("Godkendt.", "Godkendt – “endeligt”.").encode("cp1252"), "referat.txt")

    assert document.encoding == "cp1252"
    assert "Mødested Mødelokale 1" in document.text
    assert "– “endeligt”" in document.text


def test_it_decodes_latin1_text() -> None:
    document = read_document(MINUTES.encode("latin-1") + b"\x81", "referat.txt")

    assert document.encoding == "latin-1"
    assert "Mødedato" in document.text


def test_it_turns_windows_line_endings_into_newlines() -> None:
    parsed = parse_bytes(MINUTES.replace("\n", "\r\n").encode("utf-8"), "referat.txt")

    assert "\r" not in parsed.text
    assert parsed.items[0].title == "CF - Godkendelse af dagsorden"


def test_it_marks_markdown_files_as_markdown() -> None:
    assert parse_bytes(MINUTES.encode(), "referat.md").format == "md"


def test_it_reads_a_word_document_with_paragraphs_and_tables_in_order() -> None:
    document = docx.Document()
    document.add_paragraph("REFERAT Direktionen d. 08-03-2021")
    document.add_paragraph("Mødedato Mandag d. 8. marts 2021 kl. 09:00")
    document.add_paragraph("Mødested Teams")
    document.add_paragraph("Punkt 1: Regnskab 2020")
    document.add_paragraph("20/17776")
    table = document.add_table(rows=2, cols=2)
    table.cell(0, 0).text = "Opgave"
    table.cell(0, 1).text = "Frist"
    table.cell(1, 0).text = "Regnskab til revisionen"
    table.cell(1, 1).text = "1. maj"
    document.add_paragraph("Beslutning")
    document.add_paragraph("Byrådet skal videresende regnskabet til revisionen inden 01-05-2021.")
    buffer = io.BytesIO()
    document.save(buffer)

    parsed = parse_bytes(buffer.getvalue(), "referat.docx")

    assert parsed.format == "docx"
    assert parsed.text.index("20/17776") < parsed.text.index("Opgave\tFrist") < parsed.text.index("Beslutning")
    assert parsed.meeting.location == "Teams"
    assert parsed.items[0].case_number == "20/17776"
    (followup,) = parsed.followups
    assert followup.due.isoformat() == "2021-05-01"
    assert followup.responsible == "Byrådet"


def test_it_reads_the_numbers_word_puts_in_front_of_numbered_headings() -> None:
    document = docx.Document()
    document.add_paragraph("Referat fra Chefforum 3. maj 2024")
    document.add_paragraph("Mødested: Mødelokale 2")
    for title, decision in (
        ("Godkendelse af dagsorden", "Godkendt."),
        ("Budget 2025", "Økonomichefen sender budgettet ud inden 15. maj."),
        ("Eventuelt", "Intet."),
    ):
        document.add_paragraph(title, style="List Number")  # numbered by Word, not in the text
        document.add_paragraph("Beslutning")
        document.add_paragraph(decision)
        document.add_paragraph("Bilag", style="List Bullet")
    buffer = io.BytesIO()
    document.save(buffer)

    parsed = parse_bytes(buffer.getvalue(), "referat.docx")

    assert [(item.number, item.title) for item in parsed.items] == [
        (1, "Godkendelse af dagsorden"), (2, "Budget 2025"), (3, "Eventuelt"),
    ]
    assert "\n\n2. Budget 2025\n\n" in parsed.text and "\n\n• Bilag" in parsed.text
    (followup,) = parsed.followups
    assert (followup.item, followup.due.isoformat()) == (2, "2024-05-15")


def test_it_reads_a_pdf_with_a_text_layer() -> None:
    parsed = parse_bytes(
        _pdf(
            "REFERAT Chefforum d. 28-04-2022",
            "Mødedato Torsdag d. 28. april 2022 kl. 08:30",
            "Mødested Mødelokale 1",
        ),
        "referat.pdf",
    )

    assert parsed.format == "pdf"
    assert parsed.meeting.body == "Chefforum"
    assert parsed.meeting.location == "Mødelokale 1"


def test_it_says_a_pdf_without_text_is_a_scan() -> None:
    scanned = _pdf_with_content(b"0 0 1 rg 72 72 400 600 re f")

    with pytest.raises(ParseError) as caught:
        parse_bytes(scanned, "scan.pdf")

    assert caught.value.code == ParseError.PDF_WITHOUT_TEXT
    assert "scannet PDF uden tekst" in str(caught.value)


def test_it_says_a_damaged_pdf_is_damaged() -> None:
    assert _code(b"%PDF-1.7\n1 0 obj << /Type /Catalog /Pages 9 0 R", "referat.pdf") in (
        ParseError.CORRUPT,
        ParseError.PDF_WITHOUT_TEXT,
    )


def test_it_refuses_an_empty_file() -> None:
    assert _code(b"") == ParseError.EMPTY
    assert _code(b"  \n\t\n") == ParseError.EMPTY


def test_it_refuses_a_binary_file() -> None:
    assert _code(b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 4, "billede.png") == ParseError.UNSUPPORTED


def test_it_refuses_an_old_word_document() -> None:
    assert _code(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 600, "referat.doc") == ParseError.UNSUPPORTED


def test_it_refuses_a_zip_that_is_not_a_word_document() -> None:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("noter.txt", "hej")

    assert _code(buffer.getvalue(), "arkiv.zip") == ParseError.UNSUPPORTED


def test_it_says_a_broken_word_document_is_damaged() -> None:
    assert _code(b"PK\x03\x04" + b"\x00\x01" * 100, "referat.docx") == ParseError.CORRUPT


def test_it_refuses_a_file_over_the_size_limit() -> None:
    with pytest.raises(ParseError) as caught:
        parse_bytes(b"a" * (MAX_BYTES + 1), "stor.txt")

    assert caught.value.code == ParseError.TOO_LARGE
    assert "for stor" in str(caught.value)
    assert "too large" in caught.value.message_en


def test_it_refuses_text_in_an_unknown_encoding() -> None:
    assert _code(bytes(range(0x80, 0xA0)) * 40) == ParseError.UNDECODABLE


def test_it_refuses_a_file_that_is_not_minutes() -> None:
    with pytest.raises(ParseError) as caught:
        parse_bytes("Indkøbsliste\n\nmælk\nbrød\nost\n".encode(), "liste.txt")

    assert caught.value.code == ParseError.NOT_MINUTES
    assert "ligner ikke et referat" in str(caught.value)


def test_it_gives_danish_by_str_and_english_on_request() -> None:
    error = ParseError(ParseError.EMPTY, "Filen er tom.", "The file is empty.")

    assert str(error) == "Filen er tom."
    assert error.message_en == "The file is empty."
    assert error.as_dict()["code"] == "empty_file"


def test_it_reads_utf16_text_with_and_without_a_byte_order_mark() -> None:
    assert parse_bytes(MINUTES.encode("utf-16"), "referat.txt").meeting.body == "Chefforum"
    document = read_document(MINUTES.encode("utf-16-le"), "referat.txt")
    assert document.encoding == "utf-16-le"
    assert document.text == MINUTES


def test_word_numbering_counts_per_level_and_restarts_below_a_level_that_moves_on() -> None:
    from xml.etree import ElementTree

    from minutes.parsing.reader import _Numbering

    w = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
    numbering = ElementTree.fromstring(
        f'<w:numbering xmlns:w="{w}"><w:abstractNum w:abstractNumId="7">'
        '<w:lvl w:ilvl="0"><w:start w:val="1"/><w:numFmt w:val="decimal"/><w:lvlText w:val="%1."/></w:lvl>'
        '<w:lvl w:ilvl="1"><w:start w:val="1"/><w:numFmt w:val="lowerLetter"/><w:lvlText w:val="%2)"/></w:lvl>'
        '<w:lvl w:ilvl="2"><w:start w:val="1"/><w:numFmt w:val="upperRoman"/><w:lvlText w:val="%1.%3"/></w:lvl>'
        '</w:abstractNum><w:num w:numId="3"><w:abstractNumId w:val="7"/>'
        '<w:lvlOverride w:ilvl="0"><w:startOverride w:val="4"/></w:lvlOverride></w:num></w:numbering>'
    )

    def paragraph(level: int) -> ElementTree.Element:
        return ElementTree.fromstring(
            f'<w:p xmlns:w="{w}"><w:pPr><w:numPr><w:ilvl w:val="{level}"/><w:numId w:val="3"/></w:numPr></w:pPr></w:p>'
        )

    numbers = _Numbering(numbering, None)
    labels = [numbers.label(paragraph(level)) for level in (0, 1, 1, 0, 1, 2, 2)]

    assert labels == ["4.", "a)", "b)", "5.", "a)", "5.I", "5.II"]


_ATTRIBUTE = st.text(st.characters(blacklist_categories=("Cs", "Cc")), max_size=12) | st.integers(-5, 10**12).map(str)


@settings(max_examples=200, deadline=None)
@given(
    level=_ATTRIBUTE, num_id=_ATTRIBUTE, start=_ATTRIBUTE,
    fmt=st.sampled_from(["decimal", "lowerLetter", "upperRoman", "bullet", "none", "ordinal", ""]),
    text=st.text(alphabet="%123456789.)-( ab", max_size=12), paragraph_level=_ATTRIBUTE,
)
def test_word_numbering_never_fails_on_odd_values(level, num_id, start, fmt, text, paragraph_level) -> None:
    from xml.etree import ElementTree
    from xml.sax.saxutils import quoteattr

    from minutes.parsing.reader import _Numbering

    w = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
    numbering = ElementTree.fromstring(
        f'<w:numbering xmlns:w="{w}"><w:abstractNum w:abstractNumId="1"><w:lvl w:ilvl={quoteattr(level)}>'
        f'<w:start w:val={quoteattr(start)}/><w:numFmt w:val={quoteattr(fmt)}/><w:lvlText w:val={quoteattr(text)}/>'
        f'</w:lvl></w:abstractNum><w:num w:numId={quoteattr(num_id)}><w:abstractNumId w:val="1"/></w:num></w:numbering>'
    )
    paragraph = ElementTree.fromstring(
        f'<w:p xmlns:w="{w}"><w:pPr><w:numPr><w:ilvl w:val={quoteattr(paragraph_level)}/>'
        f'<w:numId w:val={quoteattr(num_id)}/></w:numPr></w:pPr></w:p>'
    )

    assert isinstance(_Numbering(numbering, None).label(paragraph), str)
