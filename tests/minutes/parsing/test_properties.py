"""Whatever arrives, the parser answers with a result or a ParseError, and quotes are exact."""
from __future__ import annotations

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from minutes.parsing import ParseError, parse_bytes, parse_text

WORDS = [
    "skal", "vil", "sender", "udarbejdes", "Chefforum", "cheferne", "Mette", "Hansen", "og", "at", "den",
    "12.", "maj", "2022", "inden", "primo", "september", "i", "uge", "10", "Der", "det", "blev", "aftalt,",
    "til", "næste", "møde", "KL", "forventer", "Hvis", "Beslutning", "Bilag", "Lukket", "Punkt", "1:",
    "-", "–", "(9.00-9.30)", "22/23184", "00.01.00-A21-2-21", "ugens", "udgang", "foråret", ".", ",", "?",
    "\n", "\n\n", "**", "##", "\t", "bl.a.", "d.", "kl.", "fx", "følges", "op", "projektgruppen",
]
sentences = st.lists(st.sampled_from(WORDS), max_size=60).map(" ".join)


def minutes_like(body: str, decision: str, case: str) -> str:
    return (
        "REFERAT Chefforum d. 28-04-2022\n\nMødedato Torsdag d. 28. april 2022 kl. 08:30\n\nMødested Mødelokale 1\n\n"
        f"Punkt 1: CF - {body}\n\n00.01.00-A21-2-21\n\nSagsfremstilling\n\n{case}\n\nBeslutning\n\n{decision}\n"
    )


def assert_exact_quotes(text: str) -> None:
    try:
        parsed = parse_text(text)
    except ParseError:
        return
    for followup in parsed.followups:
        assert parsed.text[followup.start:followup.end] == followup.quote
        assert followup.quote.strip() == followup.quote
        assert followup.precision in {"day", "week", "month", "month_part", "quarter", "season", "year", "relative", "none"}


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.text(max_size=2000))
def test_it_raises_nothing_but_parse_error_on_arbitrary_text(text: str) -> None:
    assert_exact_quotes(text)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.binary(max_size=3000), st.sampled_from(["referat.txt", "referat.md", "referat.docx", "referat.pdf", ""]))
def test_it_raises_nothing_but_parse_error_on_arbitrary_bytes(data: bytes, filename: str) -> None:
    try:
        parse_bytes(data, filename)
    except ParseError:
        pass


@settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.binary(max_size=400))
def test_it_raises_nothing_but_parse_error_on_damaged_pdf_and_zip(tail: bytes) -> None:
    for head in (b"%PDF-1.4\n", b"PK\x03\x04"):
        try:
            parse_bytes(head + tail, "referat")
        except ParseError:
            pass


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(sentences, sentences, sentences)
def test_it_quotes_exactly_in_minutes_of_any_wording(title: str, decision: str, case: str) -> None:
    assert_exact_quotes(minutes_like(title, decision, case))
