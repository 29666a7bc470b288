"""Minutes of other bodies and other layouts than the samples: committees, a region, boards, councils.

Each fixture in ``fixtures/`` is an invented set of minutes with a hand-made
expectation beside it (``<name>.expected.json``): the meeting header, every
agenda item, and the follow-ups a careful reader would note as of the meeting
date, each with its due window and the party named as responsible. Optional
follow-ups are ones a reader could go either way on: proposing them is neither
right nor wrong. Everything else the parser proposes is a false follow-up.
"""
from __future__ import annotations

import io
import json
from dataclasses import dataclass
from datetime import date, time
from functools import cache
from pathlib import Path
from typing import Any

import docx
import pytest

from minutes.parsing import FollowUp, ParsedItem, ParsedMinutes, ParseError, parse_bytes, parse_text

FIXTURES = Path(__file__).resolve().parent / "fixtures"
EXPECTED = sorted(path.name.removesuffix(".expected.json") for path in FIXTURES.glob("*.expected.json"))


@dataclass(frozen=True)
class Expected:
    item: int
    quote: str
    start: int
    end: int
    due: tuple[date, date] | None
    responsible: tuple[str, ...]
    optional: bool
    date_optional: bool


def source(name: str) -> Path:
    (path,) = [p for p in FIXTURES.iterdir() if p.stem == name and p.suffix in (".txt", ".md")]
    return path


@cache
def parsed(name: str) -> ParsedMinutes:
    path = source(name)
    return parse_bytes(path.read_bytes(), path.name)


@cache
def expectation(name: str) -> dict[str, Any]:
    return json.loads((FIXTURES / f"{name}.expected.json").read_text(encoding="utf-8"))


def expected_followups(name: str) -> list[Expected]:
    text = source(name).read_text(encoding="utf-8")
    result = []
    for entry in expectation(name)["followups"]:
        quote = entry["quote"]
        assert text.count(quote) == 1, f"the expected quote must occur once: {quote!r}"
        start = text.index(quote)
        due = entry.get("due")
        result.append(
            Expected(
                item=entry["item"],
                quote=quote,
                start=start,
                end=start + len(quote),
                due=(date.fromisoformat(due[0]), date.fromisoformat(due[1])) if due else None,
                responsible=tuple(entry.get("responsible", ())),
                optional=entry.get("optional", False),
                date_optional=entry.get("date_optional", False),
            )
        )
    return result


def same_clause(expected: Expected, followup: FollowUp) -> bool:
    """The two spans overlap by at least half of the shorter one (the scorer's rule)."""
    if expected.item != followup.item:
        return False
    overlap = min(expected.end, followup.end) - max(expected.start, followup.start)
    shorter = min(expected.end - expected.start, followup.end - followup.start) or 1
    return overlap >= 0.5 * shorter


def item(name: str, number: int) -> ParsedItem:
    return next(i for i in parsed(name).items if i.number == number)


def followup_quoting(name: str, words: str) -> FollowUp:
    (found,) = [f for f in parsed(name).followups if words in f.quote]
    return found


# --- every fixture against its expectation --------------------------------------


def test_it_has_fixtures_of_several_bodies_and_layouts() -> None:
    assert len(EXPECTED) >= 8
    bodies = {expectation(name)["meeting"]["body"] for name in EXPECTED}
    assert len(bodies) == len(EXPECTED)
    sizes = [source(name).stat().st_size for name in EXPECTED]
    assert all(size <= 15 * 1024 for size in sizes)
    assert sum(size >= 3 * 1024 for size in sizes) >= 8  # realistic lengths, and a few short ones


@pytest.mark.parametrize("name", EXPECTED)
def test_it_reads_the_meeting_header(name: str) -> None:
    meeting, expected = parsed(name).meeting, expectation(name)["meeting"]

    assert (meeting.body or "").lower() == expected["body"].lower()
    assert meeting.date == date.fromisoformat(expected["date"])
    assert meeting.start_time == time.fromisoformat(expected["start_time"])
    assert meeting.location == expected["location"]
    if expected["participants"]:
        assert list(meeting.participants) == expected["participants"]


@pytest.mark.parametrize("name", EXPECTED)
def test_it_finds_every_agenda_item_with_its_number_title_case_and_outcome(name: str) -> None:
    items = parsed(name).items
    expected = expectation(name)["items"]

    assert [i.number for i in items] == [e["number"] for e in expected]
    for found, wanted in zip(items, expected):
        assert (found.title, found.case_number, found.closed) == (
            wanted["title"], wanted["case_number"], wanted["closed"]
        ), f"item {wanted['number']}"
        assert found.outcome in wanted["outcome"], f"item {wanted['number']}: {found.outcome}"
        assert len(found.attachments) == wanted["attachments"], f"item {wanted['number']}: {found.attachments}"


@pytest.mark.parametrize("name", EXPECTED)
def test_it_proposes_each_expected_followup_with_its_deadline_and_party(name: str) -> None:
    followups = parsed(name).followups
    for expected in expected_followups(name):
        if expected.optional:
            continue
        matches = [f for f in followups if same_clause(expected, f)]
        assert matches, f"missed: {expected.quote!r}"
        found = matches[0]
        if expected.due is not None:
            if found.due is not None or not expected.date_optional:
                assert found.due is not None and expected.due[0] <= found.due <= expected.due[1], (
                    f"{expected.quote!r}: due {found.due}, expected {expected.due}"
                )
        elif not expected.date_optional:
            assert found.due is None, f"{expected.quote!r} has no date, got {found.due}"
        if expected.responsible:
            named = (found.responsible or "").lower()
            assert any(fragment.lower() in named for fragment in expected.responsible), (
                f"{expected.quote!r}: responsible {found.responsible!r}, expected {expected.responsible}"
            )


@pytest.mark.parametrize("name", EXPECTED)
def test_it_proposes_no_followup_a_careful_reader_would_not(name: str) -> None:
    expected = expected_followups(name)
    extra = [f.quote for f in parsed(name).followups if not any(same_clause(e, f) for e in expected)]

    assert extra == []


@pytest.mark.parametrize("name", EXPECTED)
def test_it_quotes_the_text_exactly(name: str) -> None:
    minutes = parsed(name)
    for followup in minutes.followups:
        assert minutes.text[followup.start:followup.end] == followup.quote
        assert followup.quote == followup.quote.strip()


# --- what the fixtures show, one behaviour at a time ---------------------------------


def test_it_reads_a_decision_heading_that_names_the_committee_and_the_date() -> None:
    report = item("boerne_og_skoleudvalget_2023-03-03", 2)

    assert "Beslutning" in report.sections
    assert report.section_list[-2].heading == "Beslutning i Børne- og Skoleudvalget den 3. marts 2023"
    assert report.outcome == "approved"
    assert item("boerne_og_skoleudvalget_2023-03-03", 3).outcome == "postponed"


def test_it_names_the_body_from_an_owners_decision_heading() -> None:
    parsed = parse_text(
        "Mødedato: 3. marts 2023\n\nSted: Rådhuset\n\nPunkt 1: Godkendelse af dagsorden\n\n"
        "Børne- og Skoleudvalgets beslutning den 3. marts 2023\n\nGodkendt.\n"
    )

    assert parsed.meeting.body == "Børne- og Skoleudvalget"
    assert parsed.items[0].outcome == "approved"


def test_it_dates_a_request_to_the_administration_and_names_the_one_asked() -> None:
    followup = followup_quoting("oekonomiudvalget_2022-05-12", "bad forvaltningen om")

    assert followup.due == date(2022, 7, 1)
    assert followup.responsible == "forvaltningen"


def test_it_names_the_committee_from_the_line_next_to_a_bare_title() -> None:
    assert parsed("oekonomiudvalget_2022-05-12").meeting.body == "Økonomiudvalget"  # "Referat" / "Økonomiudvalget"
    assert parsed("handicapraadet_2022-09-07").meeting.body == "Handicaprådet"  # "Handicaprådet" / "Referat"
    assert parsed("direktionen_2023-08-15").meeting.body == "Direktionen"  # under the municipality's name


def test_it_reads_board_minutes_with_items_headed_ad() -> None:
    minutes = parsed("afdelingsbestyrelsen_2023-11-14")

    assert [i.number for i in minutes.items] == list(range(1, 9))
    assert minutes.items[0].title == "Godkendelse af referat fra sidste møde"
    assert minutes.items[0].outcome == "approved"  # read from the notes: the item has no sections


def test_it_reads_items_numbered_without_a_separator_and_with_closed_markers() -> None:
    assert item("teknik_og_miljoeudvalget_2022-02-02", 1).title == "Godkendelse af dagsorden"  # "Punkt 1 Godkendelse …"
    assert item("teknik_og_miljoeudvalget_2022-02-02", 4).outcome == "withdrawn"
    assert item("teknik_og_miljoeudvalget_2022-02-02", 5).closed
    closed = item("byraadet_2023-04-27", 6)  # "6 (Lukket) Salg af grund …"
    assert closed.closed and closed.title == "Salg af grund i Kystby Erhvervspark"
    assert item("byraadet_2023-04-27", 4).title == "Anlægsbevilling til udvidelse af Solsikken Børnehus"


def test_it_reads_items_with_notes_only_when_they_number_on() -> None:
    minutes = parsed("aeldreraadet_2023-01-10")

    assert [i.number for i in minutes.items] == [1, 2, 3, 4, 5, 6, 7]
    assert item("aeldreraadet_2023-01-10", 4).outcome == "noted"


def test_it_reads_a_case_number_after_any_label() -> None:
    assert item("regionsraadet_2023-06-20", 2).case_number == "1-01-72-12-22"  # "Sagsnummer: …"
    assert item("teknik_og_miljoeudvalget_2022-02-02", 2).case_number == "05.01.00-P15-1-21"  # "… Dok.nr.: …"


def test_it_blanks_out_page_headers_and_footers() -> None:
    minutes = parsed("regionsraadet_2023-06-20")

    assert item("regionsraadet_2023-06-20", 3).attachments == ("1. Notat om model A, B og C", "2. Kort over responstider 2022")
    assert not any("Side" in f.quote for f in minutes.followups)
    assert len(minutes.text) == len(source("regionsraadet_2023-06-20").read_text(encoding="utf-8"))


def test_it_leaves_a_role_after_a_participant_out_of_the_names() -> None:
    assert parsed("regionsraadet_2023-06-20").meeting.participants[:2] == ("Kirsten Bach", "Mads Overgaard")
    assert parsed("aeldreraadet_2023-01-10").meeting.absent == ("Jytte Lund",)  # not "Fra forvaltningen: …"


def test_it_still_parses_minutes_with_an_unusual_header() -> None:
    meeting = parsed("lokalraadet_2023-03-06").meeting  # no "Referat", no labels for date, time and place

    assert meeting.body == "Lokalrådet for Sønderby og omegn"
    assert meeting.date == date(2023, 3, 6)
    assert meeting.start_time == time(19, 30)
    assert meeting.location == "Sønderby Forsamlingshus"


def test_it_reads_a_decision_label_with_its_text_on_the_same_line() -> None:
    welcome = item("lokalraadet_2023-03-06", 1)  # "Beslutning: Dagsordenen blev godkendt."

    assert welcome.sections["Beslutning"] == "Dagsordenen blev godkendt."
    assert welcome.outcome == "approved"


def test_it_takes_the_responsible_party_and_deadline_from_an_action_table() -> None:
    first = followup_quoting("direktionen_2023-08-15", "Udkast til kommissorium")
    pipes = followup_quoting("kommunalbestyrelsen_2022-10-06", "Udmøntningsplan for besparelser |")

    assert (first.due, first.responsible) == (date(2023, 9, 1), "Rasmus Friis")
    assert (pipes.due, pipes.responsible) == (date(2022, 11, 1), "Økonomi og Personale")


def test_it_gives_labelled_responsible_and_deadline_lines_to_the_commitment_above() -> None:
    budgets = followup_quoting("ledermoede_sundhed_2023-09-12", "gennemgå egne budgetter")
    programme = followup_quoting("ledermoede_sundhed_2023-09-12", "Program for temadagen")

    assert budgets.due == date(2023, 9, 26)  # "Frist: 26. september 2023" under it
    assert programme.responsible == "Frederik Møller"  # "Ansvar: Frederik Møller" above it
    assert not any(f.quote.startswith(("Ansvar", "Frist")) for f in parsed("ledermoede_sundhed_2023-09-12").followups)


def test_it_does_not_take_a_report_an_opinion_or_a_question_for_a_commitment() -> None:
    quotes = [f.quote for f in parsed("aeldreraadet_2023-01-10").followups + parsed("lokalraadet_2023-03-06").followups]

    assert not any(q.startswith("Forvaltningen vurderer") for q in quotes)  # "… at ændringen vil berøre …"
    assert not any("punkt 5 behandles før punkt 4" in q for q in quotes)
    assert not any(q.startswith("Susanne spurgte") for q in quotes)  # "… om lokalrådet skal have …"


def test_it_does_not_take_a_start_or_a_period_of_validity_for_a_deadline() -> None:
    quotes = [f.quote for f in parsed("afdelingsbestyrelsen_2023-11-14").followups]
    quotes += [f.quote for f in parsed("ledermoede_sundhed_2023-09-12").followups]
    quotes += [f.quote for f in parsed("skolebestyrelsen_2024-02-08").followups]

    assert not any(q.startswith("Huslejen stiger") for q in quotes)  # "fra 1. januar 2024"
    assert not any(q.startswith("Stoppet gælder") for q in quotes)  # "frem til 31. december 2023"
    assert not any(q.startswith("Princippet træder i kraft") for q in quotes)


def test_it_names_the_party_a_relative_clause_is_about() -> None:
    referred = followup_quoting("byraadet_2023-04-27", "som forelægger sagen")
    plan = followup_quoting("handicapraadet_2022-09-07", "som drøftes på rådets møde")

    assert referred.responsible == "Teknik- og Miljøudvalget"  # "…, som forelægger sagen …"
    assert plan.responsible == "Forvaltningen"  # "Forvaltningen udarbejder et forslag …, som drøftes …"


def test_it_refuses_a_letter_that_has_no_meeting_header_and_no_agenda_items() -> None:
    letter = FIXTURES / "not_minutes_afgoerelse.txt"

    with pytest.raises(ParseError) as caught:
        parse_bytes(letter.read_bytes(), letter.name)

    assert caught.value.code == ParseError.NOT_MINUTES


def test_it_takes_a_bare_title_line_for_a_header_but_not_a_lone_date_label() -> None:
    assert parse_text("Referat\n\nØkonomiudvalget\n\nNotater uden punkter.\n").meeting.body == "Økonomiudvalget"
    with pytest.raises(ParseError) as caught:
        parse_text("Dato: 3. marts 2023\n\nKære borger\n\nTak for din henvendelse.\n")
    assert caught.value.code == ParseError.NOT_MINUTES


def test_it_reads_minutes_written_in_word_with_tables() -> None:
    document = docx.Document()
    for line in ("Grønholt Kommune", "Direktionen", "Referat"):
        document.add_paragraph(line)
    header = document.add_table(rows=0, cols=2)
    for label, value in (("Mødedato:", "15. august 2023"), ("Mødetidspunkt:", "09.00-11.30"),
                         ("Mødested:", "Rådhuset, lokale 2.12"), ("Deltagere:", "Karen Juhl, Morten Bach")):
        cells = header.add_row().cells
        cells[0].text, cells[1].text = label, value
    for line in ("1. Styregruppe for klimaplanen", "Sagsnr.: 23/05120", "Konklusion",
                 "Direktionen godkendte planen.", "Opfølgning"):
        document.add_paragraph(line)
    actions = document.add_table(rows=0, cols=3)
    for row in (("Handling", "Ansvarlig", "Frist"),
                ("Udkast til kommissorium for styregruppen", "Rasmus Friis", "1. september 2023")):
        cells = actions.add_row().cells
        for cell, value in zip(cells, row):
            cell.text = value
    data = io.BytesIO()
    document.save(data)

    minutes = parse_bytes(data.getvalue(), "referat.docx")

    assert (minutes.meeting.body, minutes.meeting.date, minutes.meeting.start_time) == (
        "Direktionen", date(2023, 8, 15), time(9, 0)
    )
    assert minutes.meeting.participants == ("Karen Juhl", "Morten Bach")
    (agenda_item,) = minutes.items
    assert (agenda_item.case_number, agenda_item.outcome) == ("23/05120", "approved")
    (followup,) = minutes.followups
    assert (followup.due, followup.responsible) == (date(2023, 9, 1), "Rasmus Friis")


# -- layouts and phrasing seen in other bodies' minutes ------------------------------------------------


def test_it_reads_the_body_date_time_and_place_from_one_header_line() -> None:
    parsed = parse_text(
        "Referat\nKultur- og Fritidsudvalget onsdag den 8. marts 2023 kl. 16.30 i Mødelokale 2\n\n"
        "1. Godkendelse af dagsorden\n\nBeslutning\n\nGodkendt.\n"
    )

    assert parsed.meeting.body == "Kultur- og Fritidsudvalget"
    assert parsed.meeting.date == date(2023, 3, 8)
    assert parsed.meeting.start_time == time(16, 30)
    assert parsed.meeting.location == "Mødelokale 2"


def test_it_does_not_take_a_sentence_before_a_date_for_the_body() -> None:
    parsed = parse_text(
        "Referat\n\nNæste møde i Byrådet den 3. juni 2023\n\nPunkt 1: Orientering\n\nBeslutning\n\nTaget til efterretning.\n"
    )

    assert parsed.meeting.body != "Næste møde i Byrådet"


def test_it_reads_a_title_with_the_date_first_and_the_body_after_it() -> None:
    parsed = parse_text(
        "Referat af bestyrelsesmøde d. 5. oktober 2023, Grundejerforeningen Solsiden\n\nKl. 18.00 – 20.30\n\n"
        "1. Regnskab\n\nBeslutning\n\nGodkendt.\n"
    )

    assert parsed.meeting.body == "Grundejerforeningen Solsiden"
    assert parsed.meeting.date == date(2023, 10, 5)
    assert parsed.meeting.start_time == time(18, 0)


def test_it_takes_the_title_from_the_line_above_a_heading_of_the_number_alone() -> None:
    parsed = parse_text(
        "Kommunalbestyrelsen\n\n12-06-2023\n\n"
        "Spørgetid for borgerne\nSag nr. 41\n\nBeslutningskompetence: KB\n\nBeslutning\n\nIngen spørgsmål.\n\n"
        "Salg af byggegrunde på Engvej\nSag nr. 42\n\nIndstilling\n\nat grundene udbydes.\n\n"
        "Beslutning\n\nGodkendt. Forvaltningen udbyder grundene inden 1. september 2023.\n"
    )

    assert [(i.number, i.title) for i in parsed.items] == [
        (41, "Spørgetid for borgerne"), (42, "Salg af byggegrunde på Engvej"),
    ]
    assert parsed.meeting.body == "Kommunalbestyrelsen"
    assert parsed.text[parsed.items[1].start:].startswith("Salg af byggegrunde")
    assert "Salg af byggegrunde" not in parsed.text[parsed.items[0].start:parsed.items[0].end]
    assert [(f.item, f.due) for f in parsed.followups] == [(42, date(2023, 9, 1))]


def test_it_takes_the_title_from_the_line_below_a_heading_of_the_number_alone() -> None:
    parsed = parse_text(
        "Referat fra Ældrerådet 10. januar 2023\n\nPunkt 1\nGodkendelse af dagsorden\n\nGodkendt.\n\n"
        "Punkt 2\nBudget 2024\n\nSekretæren sender budgetforslaget ud i uge 4.\n"
    )

    assert [(i.number, i.title) for i in parsed.items] == [(1, "Godkendelse af dagsorden"), (2, "Budget 2024")]
    assert [(f.item, f.precision, f.responsible) for f in parsed.followups] == [(2, "week", "Sekretæren")]


@pytest.mark.parametrize("board", ["Bestyrelsen", "Skolebestyrelsen", "Afdelingsbestyrelsen"])
def test_a_board_commits_itself_while_a_national_agency_does_not(board: str) -> None:
    parsed = parse_text(
        "Referat af bestyrelsesmøde d. 16. august 2023, Foreningen\n\n1. Økonomi\n\nBeslutning\n\n"
        f"{board} udarbejder et budget inden 1. oktober. Sundhedsstyrelsen udsender nye retningslinjer i 2024.\n"
    )

    assert [(f.quote, f.responsible, f.due) for f in parsed.followups] == [
        (f"{board} udarbejder et budget inden 1. oktober.", board, date(2023, 10, 1)),
    ]


def test_a_day_before_a_capitalised_month_does_not_end_the_sentence() -> None:
    parsed = parse_text(
        "Referat af bestyrelsesmøde d. 16. august 2023, Foreningen\n\n1. Medlemsfolder\n\nBeslutning\n\n"
        "Udkast klar 29. August. Anne arbejder på den.\n"
    )

    assert [(f.quote, f.due) for f in parsed.followups][0] == ("Udkast klar 29. August.", date(2023, 8, 29))


@pytest.mark.parametrize(
    ("sentence", "responsible"),
    [
        ("Forvaltningen bedes læse materialet inden næste møde.", "Forvaltningen"),
        ("Medlemmerne bedes læse materialet inden næste møde.", "Medlemmerne"),
        ("Bestyrelsesmedlemmerne sender deres forslag inden næste møde.", "Bestyrelsesmedlemmerne"),
    ],
)
def test_a_request_to_the_members_before_the_next_meeting_is_a_follow_up(sentence: str, responsible: str) -> None:
    parsed = parse_text(
        f"Referat af bestyrelsesmøde d. 16. august 2023, Foreningen\n\n1. Strategi\n\nBeslutning\n\n{sentence}\n"
    )

    assert [(f.quote, f.precision, f.responsible) for f in parsed.followups] == [(sentence, "relative", responsible)]


def test_it_reads_a_school_boards_minutes_with_headings_ending_in_a_colon() -> None:
    parsed = parse_text(
        "Referat af Skolebestyrelsesmøde\nEngskolen, mødelokale 2\ntirsdag den 4. marts 2025 kl. 18.30 - 20.30\n\n"
        "Til stede:\nHanne Lund, Ole Berg.\n\n"
        " 1. Godkendelse af referat:\n  Referatet godkendt.\n\n"
        " 2. Budget:\n  Pia Storm sender en oversigt over udgifterne inden næste møde.\n\n"
        " 3. Eventuelt:\n  Følgende blev nævnt:\n  1. Trafik ved skolen\n  2. Cykelparkering\n"
    )

    assert parsed.meeting.body == "Skolebestyrelsen"
    assert parsed.meeting.location == "Engskolen, mødelokale 2"
    assert parsed.meeting.date == date(2025, 3, 4)
    assert [(i.number, i.title) for i in parsed.items] == [
        (1, "Godkendelse af referat"), (2, "Budget"), (3, "Eventuelt"),
    ]
    assert [(f.item, f.precision, f.responsible) for f in parsed.followups] == [(2, "relative", "Pia Storm")]


@pytest.mark.parametrize(
    ("title", "body"),
    [
        ("Referat af direktionsmøde", "Direktionen"),
        ("Referat fra udvalgsmøde", "Udvalget"),
        ("Referat af bestyrelsesmøde", "Bestyrelsen"),
        ("Referat af Ældrerådsmøde", "Ældrerådet"),
    ],
)
def test_it_names_the_body_from_the_word_for_the_meeting(title: str, body: str) -> None:
    parsed = parse_text(f"{title}\n\nMødedato: 3. marts 2025\n\n1. Godkendelse af dagsorden\n\nBeslutning\n\nGodkendt.\n")

    assert parsed.meeting.body == body


def test_it_reads_a_header_spread_over_lines_and_case_numbers_printed_above_the_headings() -> None:
    parsed = parse_text(
        "Referat\ntil\nmødet i Koordinationsgruppen for Sundhed\nden 14. marts 2024 kl. 09:30\n"
        "i Regionshuset, mødelokale F7\n\n\nSagnr.: 1-30-72-15-24\n\n1. Godkendelse af dagsorden\n\n"
        "Beslutning\n\nGodkendt.\n\nTilbage til toppen\nSagnr.: 1-30-72-16-24\n\n2. Handleplan for akutområdet\n\n"
        "Beslutning\n\nKlyngerne melder tilbage senest 1. maj 2024.\n"
    )

    assert parsed.meeting.body == "Koordinationsgruppen for Sundhed"
    assert (parsed.meeting.date, parsed.meeting.start_time) == (date(2024, 3, 14), time(9, 30))
    assert parsed.meeting.location == "Regionshuset, mødelokale F7"
    assert [(i.number, i.case_number) for i in parsed.items] == [(1, "1-30-72-15-24"), (2, "1-30-72-16-24")]
    assert "1-30-72-16-24" not in parsed.text[parsed.items[0].start:parsed.items[0].end]
    assert [(f.item, f.responsible, f.due) for f in parsed.followups] == [(2, "Klyngerne", date(2024, 5, 1))]


def test_it_reads_the_time_and_place_after_the_date_in_a_one_line_title() -> None:
    parsed = parse_text(
        "Referat fra møde i Styregruppen for Velfærdsteknologi 27. marts 2024 kl. 09:00 i Rådhuset, lokale 4\n\n"
        "1. Godkendelse af dagsorden\n\nBeslutning\n\nGodkendt.\n"
    )

    meeting = parsed.meeting
    assert (meeting.body, meeting.date) == ("Styregruppen for Velfærdsteknologi", date(2024, 3, 27))
    assert (meeting.start_time, meeting.location) == (time(9, 0), "Rådhuset, lokale 4")


@pytest.mark.parametrize(
    "heading",
    ["Økonomiudvalgets beslutning i mødet den 31. marts 2020", "Beslutning i mødet den 31. marts 2020:"],
)
def test_a_decision_heading_may_name_the_meeting_before_its_date(heading: str) -> None:
    parsed = parse_text(
        f"Mødedato: 31. marts 2020\n\nSted: Rådhuset\n\nPunkt 1: Budget\n\nIndstilling\n\nat budgettet godkendes.\n\n"
        f"{heading}\n\nGodkendt. Økonomiforvaltningen sender budgettet i høring inden 15. april 2020.\n"
    )

    assert "Beslutning" in parsed.items[0].sections
    assert [(f.section, f.due) for f in parsed.followups] == [("Beslutning", date(2020, 4, 15))]


def test_a_relative_clause_about_the_past_does_not_undo_a_passive_commitment_nor_approve_the_item() -> None:
    parsed = parse_text(
        "Mødedato: 1. oktober 2018\n\nSted: Rådhuset\n\nPunkt 2: Siden sidst\n\nBeslutning\n\n"
        "Hjemmesiden ajourføres for de byrådsmedlemmer, der er bevilget orlov.\n"
    )

    assert [f.quote for f in parsed.followups] == [
        "Hjemmesiden ajourføres for de byrådsmedlemmer, der er bevilget orlov."
    ]
    assert parsed.items[0].outcome != "approved"


LEADERS = "Referat af ledermøde 5. februar 2024\n\n1. Budget\n{}\n\n2. Arbejdsmiljø\n{}\n"


def test_a_labelled_deadline_or_responsible_in_the_same_line_belongs_to_the_commitment_before_it() -> None:
    parsed = parse_text(LEADERS.format(
        "Bo laver et udkast. Ansvarlig: Bo. Frist: 1. marts.", "Drøftet. Anne sender et oplæg (frist 15/3)."
    ))

    assert [(f.quote, f.due, f.responsible) for f in parsed.followups] == [
        ("Bo laver et udkast.", date(2024, 3, 1), "Bo"),
        ("Anne sender et oplæg (frist 15/3).", date(2024, 3, 15), "Anne"),
    ]


def test_notes_above_a_conclusion_give_their_dated_commitments_without_the_label() -> None:
    parsed = parse_text(LEADERS.format(
        "Drøftet.\nKonklusion: Godkendt.",
        "Drøftet. Opfølgning: Anne indkalder AMR til møde (frist: uge 8). Det var en god drøftelse.\n"
        "Konklusion: Bo sender referatet ud.",
    ))

    assert [(f.item, f.quote, f.precision, f.responsible) for f in parsed.followups] == [
        (2, "Anne indkalder AMR til møde (frist: uge 8).", "week", "Anne"),
        (2, "Bo sender referatet ud.", "none", "Bo"),
    ]


def test_what_stays_as_it_is_is_nobodys_task() -> None:
    parsed = parse_text(LEADERS.format("Rammen fastholdes, og forvaltningen udarbejder en plan.", "Godkendt."))

    assert [f.quote for f in parsed.followups] == ["forvaltningen udarbejder en plan."]


def test_a_body_that_wishes_to_be_told_is_not_responsible_but_one_that_takes_part_is() -> None:
    parsed = parse_text(LEADERS.format(
        "Udvalget ønsker en orientering om status i 3. kvartal 2024.",
        "Direktionen ønsker en drøftelse med indkøbsafdelingen i oktober.",
    ))

    assert [(f.precision, f.responsible) for f in parsed.followups] == [("quarter", None), ("month", "Direktionen")]


def test_after_a_period_from_the_meeting_is_about_then() -> None:
    parsed = parse_text(LEADERS.format("Ordningen evalueres efter et år.", "Godkendt."))

    (followup,) = parsed.followups
    assert (followup.due, followup.precision) == (date(2025, 2, 5), "relative")


def test_an_action_list_row_without_a_date_is_a_follow_up_with_its_deadline_as_written() -> None:
    parsed = parse_text(LEADERS.format(
        "Godkendt.",
        "| Hvad | Hvem | Hvornår |\n|---|---|---|\n| Udkast til budget | Bo Hansen | 1. marts |\n"
        "| Opdatere hjemmesiden | Carl | løbende |\n| Tjekke alarmerne | Anne | hurtigst muligt |",
    ))

    assert [(f.quote.split(" |")[0], f.due, f.precision, f.responsible) for f in parsed.followups] == [
        ("Udkast til budget", date(2024, 3, 1), "day", "Bo Hansen"),
        ("Opdatere hjemmesiden", None, "relative", "Carl"),
        ("Tjekke alarmerne", None, "relative", "Anne"),
    ]


@pytest.mark.parametrize(
    ("written", "body"),
    [("BYRÅDET", "Byrådet"), ("BØRNE- OG SKOLEUDVALGET", "Børne- og Skoleudvalget"), ("HMU", "HMU")],
)
def test_a_body_written_in_capitals_is_named_as_usual_but_an_acronym_stays(written: str, body: str) -> None:
    parsed = parse_text(f"{written}\nREFERAT\nMødedato: 27. april 2023\nSted: Byrådssalen\n\nPunkt 1: Regnskab\n\nGodkendt.\n")

    assert parsed.meeting.body == body


def test_it_reads_a_general_assemblys_minutes_and_who_is_asked_to_act() -> None:
    parsed = parse_text(
        "Referat af ordinær generalforsamling i Grundejerforeningen Lyngbakken\n"
        "Tirsdag den 16. april 2024 kl. 19.30 i Fælleshuset\n\n"
        "1. Indkomne forslag\nForslaget blev vedtaget. Bestyrelsen indhenter tilbud inden 1. juni.\n\n"
        "2. Eventuelt\nKassereren opfordrede alle til at tilmelde sig betalingsservice inden 1. juli. "
        "Formanden bad bestyrelsen om at finde en ny dato for arbejdsdagen inden 1. maj.\n"
    )

    assert (parsed.meeting.body, parsed.meeting.location) == ("Grundejerforeningen Lyngbakken", "Fælleshuset")
    assert [(f.due, f.responsible) for f in parsed.followups] == [
        (date(2024, 6, 1), "Bestyrelsen"), (date(2024, 7, 1), None), (date(2024, 5, 1), "bestyrelsen"),
    ]


def test_a_recommendation_list_entry_ends_before_the_conjunction_and_a_passive_names_its_agent() -> None:
    parsed = parse_text(
        "Mødedato: 3. september 2024\n\nSted: Rådhuset\n\nPunkt 1: Klimaplan\n\nIndstilling\n\n"
        "Forvaltningen indstiller,\n1. at planen sendes i høring i 8 uger,\n"
        "2. at sagen genoptages den 5. december 2024, og\n3. at der gives en status senest 1. november 2024.\n\n"
        "Sagsfremstilling\n\nPlanen skal være vedtaget inden udgangen af 2025. "
        "Budgettet skal være godkendt af Byrådet inden 1. oktober 2024.\n\nBeslutning\n\nGodkendt.\n"
    )

    quotes = {f.quote: f.responsible for f in parsed.followups}
    assert "at sagen genoptages den 5. december 2024" in quotes
    assert quotes["Planen skal være vedtaget inden udgangen af 2025."] is None
    assert quotes["Budgettet skal være godkendt af Byrådet inden 1. oktober 2024."] == "Byrådet"


def test_it_reads_members_listed_under_a_bare_label_after_a_blank_line_without_their_office() -> None:
    parsed = parse_text(
        "Kommunalbestyrelsen\n\n12-06-2023\n\nMedlemmer\n\nFormand Erik Nielsen (A)\nMichel Berg (A)\nLene Due (C)\n\n"
        "Fraværende\n\nBritt Jensen (A)\n\nPunkt 1: Godkendelse af dagsorden\n\nBeslutning\n\nGodkendt.\n"
    )

    assert parsed.meeting.participants == ("Erik Nielsen", "Michel Berg", "Lene Due")
    assert parsed.meeting.absent == ("Britt Jensen",)


@pytest.mark.parametrize(
    "heading",
    [
        "Punkt 2: Køb af ejendom - Lukket",
        "Punkt 2: Køb af ejendom\nLukket sag",
        "Punkt 2: Køb af ejendom\nSagsnr.: 330-2018-3619   Dok.nr.: 330-2018-500301   Lukket",
    ],
)
def test_a_closed_item_is_closed_however_the_minutes_mark_it(heading: str) -> None:
    parsed = parse_text(
        "Mødedato: 3. marts 2024\n\nSted: Rådhuset\n\nPunkt 1: Godkendelse af dagsorden\n\nGodkendt.\n\n"
        f"{heading}\n\nBeslutning\n\nGodkendt. Forvaltningen sender et tilbud inden 1. april.\n"
    )

    assert parsed.items[1].closed and parsed.items[1].outcome == "closed"
    assert parsed.followups == []


def test_an_open_item_about_closing_something_is_not_closed() -> None:
    parsed = parse_text(
        "Mødedato: 3. marts 2024\n\nSted: Rådhuset\n\nPunkt 1: Lukning af skole\n"
        "Sagsnr.: 330-2018-3619   Dok.nr.: 330-2018-500301   Åbent\n\nBeslutning\n\nSkolen lukket fra sommeren.\n"
    )

    assert not parsed.items[0].closed


def test_a_period_just_ended_is_next_years_in_a_promise_but_stays_past_in_a_report() -> None:
    parsed = parse_text(
        "Mødedato: 16. august 2023\n\nSted: Rådhuset\n\nPunkt 1: Trafikplan\n\nBeslutning\n\n"
        "Evalueringen i 2. kvartal viste gode resultater. Sagen genoptages i 2. kvartal.\n"
    )

    assert [(f.quote, f.window_start, f.due) for f in parsed.followups] == [
        ("Sagen genoptages i 2. kvartal.", date(2024, 4, 1), date(2024, 6, 30)),
    ]


def test_two_people_with_their_initials_are_named_together() -> None:
    parsed = parse_text(LEADERS.format(
        "Lone Hansen (LH) og Jens Berg (JB) finder en løsning i marts.", "Lone (HR) finder en løsning i marts."
    ))

    assert [f.responsible for f in parsed.followups] == ["Lone Hansen (LH) og Jens Berg (JB)", "Lone"]
