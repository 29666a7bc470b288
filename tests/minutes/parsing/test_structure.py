"""Meeting header, agenda items and sections, on the sample minutes of both layouts."""
from __future__ import annotations

from datetime import date, time
from functools import cache
from pathlib import Path

from minutes.parsing import ParsedItem, ParsedMinutes, parse_bytes, parse_text

SAMPLES = Path(__file__).resolve().parents[3] / "minutes" / "samples"
CHEFFORUM_2022_04 = "000_3bcc5eede57647e4.txt"
CHEFFORUM_2020_12 = "001_609fa1df8d648a56.txt"
CHEFFORUM_2022_01 = "002_998b5b6df1a03a16.txt"
DIREKTIONEN_MARKDOWN = "003_48ee9f0e250c7b9d.txt"
DIREKTIONEN_2021_03 = "004_63571ac9c611d880.txt"


@cache
def sample(name: str) -> ParsedMinutes:
    return parse_bytes((SAMPLES / name).read_bytes(), name)


def item(name: str, number: int) -> ParsedItem:
    return next(i for i in sample(name).items if i.number == number)


def test_it_reads_the_chefforum_header() -> None:
    meeting = sample(CHEFFORUM_2022_04).meeting

    assert meeting.body == "Chefforum"
    assert meeting.date == date(2022, 4, 28)
    assert meeting.start_time == time(8, 30)
    assert meeting.location == "Mødelokale 1"


def test_it_reads_a_markdown_header_with_bold_labels() -> None:
    meeting = sample(DIREKTIONEN_MARKDOWN).meeting

    assert meeting.body == "Direktionen"
    assert meeting.date == date(2023, 11, 27)
    assert meeting.start_time == time(11, 0)
    assert meeting.location == "Mødelokale 1.14"


def test_it_joins_a_participant_name_that_wraps_onto_the_next_line() -> None:
    assert sample(DIREKTIONEN_2021_03).meeting.participants == (
        "Lars Holte",
        "Jørgen Lerhard",
        "Charlotte Markussen",
        "Kathrine Seier Skastrup",
        "Anya Krogh Manghezi",
    )
    assert sample(DIREKTIONEN_MARKDOWN).meeting.participants[-1] == "Anya Krogh Manghezi"


def test_it_starts_a_new_participant_after_a_comma_at_the_end_of_a_line() -> None:
    parsed = parse_text("REFERAT Udvalget d. 01-02-2023\n\nMødedeltagere Anne Holm,\nPeter Berg og Karin Møller (formand)\n")

    assert parsed.meeting.participants == ("Anne Holm", "Peter Berg", "Karin Møller")


def test_it_does_not_take_the_table_of_contents_for_items() -> None:
    parsed = sample(CHEFFORUM_2022_04)

    assert [i.number for i in parsed.items] == [1, 2, 3, 4, 5, 6, 7, 8]
    assert parsed.items[0].start == parsed.text.index("Punkt 1:")


def test_it_skips_a_table_of_contents_written_as_a_markdown_table() -> None:
    assert [i.number for i in sample(CHEFFORUM_2020_12).items] == [1, 2, 3, 4, 5, 6]


def test_it_gives_a_closed_item_no_sections_and_outcome_closed() -> None:
    closed = item(CHEFFORUM_2022_04, 2)

    assert closed.closed
    assert closed.title == "Lukket"
    assert closed.outcome == "closed"
    assert closed.sections == {}
    assert closed.case_number == "00.30.00-P05-1-22"


def test_it_reads_both_case_number_schemes() -> None:
    assert item(CHEFFORUM_2022_04, 4).case_number == "00.00.00-A00-5-21"
    assert item(DIREKTIONEN_MARKDOWN, 1).case_number == "22/23184"


def test_it_keeps_the_time_slot_in_the_title_and_apart() -> None:
    status = item(CHEFFORUM_2020_12, 2)

    assert status.title.endswith("helhedsorienteret indsats (9.00-9.30)")
    assert status.time_slot == (time(9, 0), time(9, 30))


def test_it_names_a_dated_decision_heading_just_beslutning() -> None:
    budget = item(DIREKTIONEN_MARKDOWN, 2)

    assert list(budget.sections) == ["Baggrund", "Indstilling", "Beslutning", "Sagsfremstilling", "Økonomi", "Bilag"]
    assert budget.sections["Beslutning"].startswith("- Der udarbejdes en procesplan")
    assert budget.section_list[2].heading == "Beslutning Direktionen den 27-11-2023"


def test_it_counts_an_attachment_named_like_a_section_as_an_attachment() -> None:
    plans = item(CHEFFORUM_2020_12, 4)

    assert len(plans.attachments) == 10
    assert plans.attachments[-1].startswith("Økonomi og Stabs virksomhedsplan")
    assert "Økonomi" not in plans.sections


def test_it_does_not_make_sections_of_a_list_of_field_names() -> None:
    integration = item(CHEFFORUM_2022_01, 2)

    assert list(integration.sections) == ["Anledning", "Sagsfremstilling", "Indstilling", "Beslutning", "Bilag"]
    assert "Kontaktperson\nØkonomi" in integration.sections["Sagsfremstilling"]


def test_it_reads_the_outcome_of_each_decision() -> None:
    assert item(CHEFFORUM_2022_04, 1).outcome == "approved"  # "Godkendt."
    assert item(CHEFFORUM_2022_04, 5).outcome == "withdrawn"  # "Udgik."
    assert item(CHEFFORUM_2022_04, 6).outcome == "noted"  # "Taget til efterretning."
    assert item(CHEFFORUM_2022_01, 5).outcome == "withdrawn"  # "Punktet udgik af dagsorden."
    assert item(DIREKTIONEN_2021_03, 7).outcome == "postponed"  # "Sagen blev udskudt …"
    assert item(DIREKTIONEN_MARKDOWN, 4).outcome == "approved"  # "godkender indstilling 1" (and not 2)
    assert item(CHEFFORUM_2020_12, 4).outcome == "discussed"
    assert item(CHEFFORUM_2022_01, 2).outcome == "decided"  # "… og aftalte at …"


def test_it_says_none_when_an_item_has_no_decision() -> None:
    assert item(DIREKTIONEN_MARKDOWN, 1).outcome == "none"


def test_it_gives_spans_that_point_at_the_item_and_its_sections() -> None:
    parsed = sample(CHEFFORUM_2022_04)
    followup_item = item(CHEFFORUM_2022_04, 4)

    assert parsed.text[followup_item.start:followup_item.end].startswith("Punkt 4: CF - Opfølgning på Lederdøgn")
    assert parsed.text[followup_item.start:followup_item.end].endswith("Målplaner - Input fra lederdøgn")
    for section in followup_item.section_list:
        assert parsed.text[section.text_start:section.text_end] == followup_item.sections[section.name]
    start, end = followup_item.section_spans["Beslutning"]
    assert parsed.text[start:end].startswith("Tilbagemeldinger fra organisationen")


def test_it_reads_items_numbered_without_the_word_punkt() -> None:
    parsed = parse_text(
        "Referat - Teknik- og Miljøudvalget - 7. september 2023\n\n"
        "Sted: Rådhuset\n\n"
        "1. Godkendelse af dagsorden\n\nSagsnr.: 23/10452\n\nBeslutning\n\nGodkendt.\n\n"
        "2. Trafikplan\n\nSagsnr.: 23/8811\n\nIndstilling\n\n1. at planen godkendes\n\n"
        "Beslutning i Teknik- og Miljøudvalget den 7. september 2023\n\nTaget til efterretning.\n"
    )

    assert parsed.meeting.body == "Teknik- og Miljøudvalget"
    assert parsed.meeting.date == date(2023, 9, 7)
    assert parsed.meeting.location == "Rådhuset"
    assert [(i.number, i.title, i.case_number, i.outcome) for i in parsed.items] == [
        (1, "Godkendelse af dagsorden", "23/10452", "approved"),
        (2, "Trafikplan", "23/8811", "noted"),
    ]


def test_it_reads_labels_written_above_their_values() -> None:
    parsed = parse_text(
        "UDVALG\n\nUdvalget for Ældre og Sundhed\n\nMØDE\n\nReferat\n\nSTED\n\nKanalstræde 2, mødelokale 0.21\n\n"
        "STARTTIDSPUNKT\n\n04-06-2020 09:00:00\n\nPUNKTER\n\n49. Godkendelse af dagsorden\n50. Lukket punkt: Personalesag\n\n"
        "49. Godkendelse af dagsorden\n\nSagsgang og sagstype\n\nUdvalget\n\n"
        "Beslutning i Udvalget for Ældre og Sundhed den 04-06-2020\n\nGodkendt\n\n"
        "50. Lukket punkt: Personalesag\n\nSagsgang og sagstype\n\nUdvalget\n"
    )

    assert parsed.meeting.body == "Udvalget for Ældre og Sundhed"
    assert parsed.meeting.date == date(2020, 6, 4)
    assert parsed.meeting.start_time == time(9, 0)
    assert parsed.meeting.location == "Kanalstræde 2, mødelokale 0.21"
    assert [(i.number, i.outcome, i.closed) for i in parsed.items] == [(49, "approved", False), (50, "closed", True)]


def test_it_names_the_body_from_its_decision_headings_when_the_header_does_not() -> None:
    parsed = parse_text(
        "Mødedato: 1. oktober 2018, kl. 16:00\n\n"
        "1. Godkendelse af dagsorden\n\nSagsnr.: 330-2018-3619   Dok.nr.: 330-2018-500301   Åbent\n"
        "Indstilling\nBorgmesteren indstiller,\n1. at dagsordenen godkendes\n"
        "Beslutning i Økonomiudvalget den 1. oktober 2018:\nGodkendt.\n"
    )

    assert parsed.meeting.body == "Økonomiudvalget"
    assert parsed.meeting.start_time == time(16, 0)
    (agenda_item,) = parsed.items
    assert agenda_item.case_number == "330-2018-3619"
    assert list(agenda_item.sections) == ["Indstilling", "Beslutning"]
    assert agenda_item.outcome == "approved"
