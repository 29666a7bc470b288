"""Danish deadlines: finding them in minutes' text and resolving them as of the meeting date."""
from __future__ import annotations

from datetime import date

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from minutes.parsing.dates import (
    Deadline,
    Kind,
    Precision,
    describe_window,
    easter_sunday,
    find_deadlines,
    format_date_da,
)

# Weekdays of the meetings used below, so the expectations can be checked by eye.
THU_2022_04_28 = date(2022, 4, 28)
THU_2022_01_20 = date(2022, 1, 20)
FRI_2022_01_21 = date(2022, 1, 21)
MON_2023_11_27 = date(2023, 11, 27)
MON_2021_03_08 = date(2021, 3, 8)
THU_2020_12_17 = date(2020, 12, 17)
THU_2024_02_01 = date(2024, 2, 1)


def only(text: str, meeting: date) -> Deadline:
    found = find_deadlines(text, meeting)
    assert len(found) == 1, [text[d.start:d.end] for d in found]
    return found[0]


def quoted(text: str, deadline: Deadline) -> str:
    return text[deadline.start:deadline.end]


def window(text: str, meeting: date) -> tuple[date | None, date | None, str]:
    d = only(text, meeting)
    return d.window_start, d.window_end, d.precision


# --- days -------------------------------------------------------------------


def test_it_resolves_a_day_without_a_year_to_the_next_such_day() -> None:
    text = "Kommissorierne skal være færdige til 12. maj."
    d = only(text, THU_2022_04_28)
    assert quoted(text, d) == "til 12. maj"
    assert (d.window_start, d.window_end, d.precision) == (date(2022, 5, 12), date(2022, 5, 12), "day")
    assert d.due == date(2022, 5, 12)
    assert not d.is_past


@pytest.mark.parametrize(
    ("text", "meeting", "due"),
    [
        ("På Chefforum den 3 februar vil Chefforum konkretisere", THU_2022_01_20, date(2022, 2, 3)),
        ("drøfte rammen med borgmesteren d. 11. december", MON_2023_11_27, date(2023, 12, 11)),
        ("præsenterer denne for chefforum 13. december", MON_2023_11_27, date(2023, 12, 13)),
        ("Direktørforum vil den 7. februar få forelagt", THU_2022_01_20, date(2022, 2, 7)),
        ("den 12. maj 2022", THU_2022_04_28, date(2022, 5, 12)),
        ("d.11. december", MON_2023_11_27, date(2023, 12, 11)),
        ("3.februar", THU_2022_01_20, date(2022, 2, 3)),
        ("Mandag d. 08. marts 2021", MON_2021_03_08, date(2021, 3, 8)),
    ],
)
def test_it_reads_a_day_and_a_month_name(text: str, meeting: date, due: date) -> None:
    assert window(text, meeting) == (due, due, "day")


def test_it_reads_a_day_in_december_said_in_november_as_this_year() -> None:
    assert only("den 6. december", MON_2023_11_27).due == date(2023, 12, 6)


def test_it_reads_a_day_in_january_said_in_december_as_next_year() -> None:
    assert only("til 14. januar", THU_2020_12_17).due == date(2021, 1, 14)


@pytest.mark.parametrize(
    ("text", "due"),
    [
        ("d. 28-04-2022", date(2022, 4, 28)),
        ("28.04.2022", date(2022, 4, 28)),
        ("28/4 2022", date(2022, 4, 28)),
        ("1/6-2024", date(2024, 6, 1)),
        ("30.06.2024", date(2024, 6, 30)),
        ("1.6.2024", date(2024, 6, 1)),
        ("2024-06-30", date(2024, 6, 30)),
        ("8.3.21", date(2021, 3, 8)),
        ("den 27-11-2023", date(2023, 11, 27)),
    ],
)
def test_it_reads_numeric_dates(text: str, due: date) -> None:
    d = only(text, THU_2022_04_28)
    assert quoted(text, d) == text
    assert (d.window_end, d.precision) == (due, "day")


def test_it_leaves_the_clock_time_out_of_a_date() -> None:
    text = "Mødedato Torsdag d. 28. april 2022 kl. 08:30"
    d = only(text, THU_2022_04_28)
    assert quoted(text, d) == "Torsdag d. 28. april 2022"
    assert d.warnings == ()


def test_it_reads_a_numeric_day_and_month_after_a_preposition() -> None:
    text = "Svar inden 1/6, tak."
    d = only(text, THU_2024_02_01)
    assert quoted(text, d) == "inden 1/6"
    assert d.due == date(2024, 6, 1)


def test_it_reads_the_stated_day_for_inden() -> None:
    # "inden" + a day is Danish for "by that day"; the gold accepts that day or the one before.
    text = "Byrådet skal videresende regnskabet til revisionen inden 01-05-2021."
    assert only(text, MON_2021_03_08).due == date(2021, 5, 1)
    text = "udpeger et medlem til en redaktionsgruppe inden 1. februar 2022"
    assert only(text, THU_2022_01_20).due == date(2022, 2, 1)


def test_it_warns_when_the_weekday_does_not_fit_the_date() -> None:
    text = "Fredag den 29. maj får Henrik liste over medarbejdere"
    d = only(text, THU_2022_04_28)  # 29 May 2022 was a Sunday
    assert quoted(text, d) == "Fredag den 29. maj"
    assert d.due == date(2022, 5, 29)
    assert d.warnings == ("weekday_mismatch",)


def test_it_does_not_warn_when_the_weekday_fits() -> None:
    assert only("fredag den 27. maj", THU_2022_04_28).warnings == ()


def test_it_reads_a_day_of_the_month_alone_after_senest() -> None:
    text = "Indberetning senest den 15."
    d = only(text, date(2024, 2, 20))
    assert quoted(text, d) == "senest den 15."
    assert d.due == date(2024, 3, 15)


def test_it_reads_two_days_as_one_window() -> None:
    text = "Lederdøgnet blev afholdt den 7. og 8. april 2022."
    d = only(text, THU_2022_04_28)
    assert quoted(text, d) == "den 7. og 8. april 2022"
    assert (d.window_start, d.window_end) == (date(2022, 4, 7), date(2022, 4, 8))
    assert d.is_past


def test_it_gives_a_range_the_year_of_its_end() -> None:
    d = only("opstarten blev udskudt fra 1. august til 1. oktober 2023", MON_2023_11_27)
    assert (d.window_start, d.window_end) == (date(2023, 8, 1), date(2023, 10, 1))
    assert d.is_past


# --- past references and year inference ---------------------------------------


def test_it_marks_a_date_before_the_meeting_as_past() -> None:
    text = "CF - Økonomirapport pr. 31.03.2022"
    d = only(text, THU_2022_04_28)
    assert quoted(text, d) == "pr. 31.03.2022"
    assert d.is_past


def test_it_reads_a_recent_yearless_date_as_a_past_reference() -> None:
    d = only("Arket blev præsenteret i Styregruppen den 17. januar.", THU_2022_01_20)
    assert d.due == date(2022, 1, 17)
    assert d.is_past


def test_it_reads_a_yearless_date_after_til_as_the_next_one() -> None:
    d = only("Svar til 17. januar.", THU_2022_01_20)
    assert d.due == date(2023, 1, 17)
    assert not d.is_past


def test_it_reads_a_date_on_the_meeting_day_as_not_past() -> None:
    assert not only("Beslutning Direktionen den 27-11-2023", MON_2023_11_27).is_past


def test_it_skips_the_29th_of_february_to_a_leap_year() -> None:
    assert only("til 29. februar", date(2022, 4, 28)).due == date(2024, 2, 29)


def test_it_ignores_impossible_dates() -> None:
    assert find_deadlines("den 31. april og 30.02.2022", THU_2022_04_28) == []


# --- months ------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "meeting", "start", "end"),
    [
        ("projektgruppen vender tilbage med en status i maj 2021", THU_2020_12_17, date(2021, 5, 1), date(2021, 5, 31)),
        ("forelægges ØU i februar", THU_2022_01_20, date(2022, 2, 1), date(2022, 2, 28)),
        ("beslutning i januar møderækken", MON_2023_11_27, date(2024, 1, 1), date(2024, 1, 31)),
        ("en direktionsrapport til januar 2024", MON_2023_11_27, date(2024, 1, 1), date(2024, 1, 31)),
        ("Der godkendes en ny sundhedspolitik i april", MON_2021_03_08, date(2021, 4, 1), date(2021, 4, 30)),
        ("i sept. 2022", THU_2022_04_28, date(2022, 9, 1), date(2022, 9, 30)),
        ("i jan 2023", THU_2022_04_28, date(2023, 1, 1), date(2023, 1, 31)),
        ("I MAJ 2021", THU_2020_12_17, date(2021, 5, 1), date(2021, 5, 31)),
        ("i maj måned", THU_2022_04_28, date(2022, 5, 1), date(2022, 5, 31)),
    ],
)
def test_it_reads_a_month(text: str, meeting: date, start: date, end: date) -> None:
    assert window(text, meeting) == (start, end, "month")


def test_it_starts_i_lobet_af_a_running_month_at_the_meeting() -> None:
    text = "Organiseringen af aktørnetværket skal konkretiseres i løbet af marts."
    d = only(text, MON_2021_03_08)
    assert quoted(text, d) == "i løbet af marts"
    assert (d.window_start, d.window_end, d.precision) == (MON_2021_03_08, date(2021, 3, 31), "month")


def test_it_reads_two_months_as_one_window() -> None:
    assert window("evalueringen gennemføres i november/december", MON_2023_11_27) == (
        date(2023, 11, 1), date(2023, 12, 31), "month")


def test_it_reads_a_month_said_just_after_it_as_past() -> None:
    assert only("i december blev det besluttet", THU_2022_01_20).is_past


@pytest.mark.parametrize(
    ("text", "start", "end"),
    [
        ("primo september 2022", date(2022, 9, 1), date(2022, 9, 10)),
        ("medio september 2022", date(2022, 9, 11), date(2022, 9, 20)),
        ("ultimo september 2022", date(2022, 9, 21), date(2022, 9, 30)),
        ("i starten af oktober", date(2022, 10, 1), date(2022, 10, 10)),
        ("sidst i juni", date(2022, 6, 21), date(2022, 6, 30)),
        ("medio juni", date(2022, 6, 11), date(2022, 6, 20)),
    ],
)
def test_it_reads_parts_of_a_month(text: str, start: date, end: date) -> None:
    assert window(text, THU_2022_04_28) == (start, end, "month_part")


def test_it_reads_ultimo_of_the_running_month() -> None:
    assert window("Afklaring af direktionsseminar ultimo marts", MON_2021_03_08) == (
        date(2021, 3, 21), date(2021, 3, 31), "month_part")


def test_it_reads_ultimo_next_month() -> None:
    assert window("ultimo næste måned", THU_2024_02_01) == (date(2024, 3, 21), date(2024, 3, 31), "month_part")


def test_it_reads_the_end_of_a_month_as_its_last_day() -> None:
    text = "kan indsendes til Ankestyrelsen inden udgangen af august 2021."
    d = only(text, MON_2021_03_08)
    assert quoted(text, d) == "inden udgangen af august 2021"
    assert window(text, MON_2021_03_08) == (date(2021, 8, 31), date(2021, 8, 31), "day")


@pytest.mark.parametrize(
    ("text", "due"),
    [
        ("inden månedens udgang", date(2024, 2, 29)),
        ("inden udgangen af måneden", date(2024, 2, 29)),
        ("i næste måned", date(2024, 3, 31)),
        ("inden maj", date(2024, 4, 30)),
    ],
)
def test_it_reads_months_relative_to_the_meeting(text: str, due: date) -> None:
    assert only(text, THU_2024_02_01).due == due


# --- weeks ------------------------------------------------------------------


def test_it_reads_the_end_of_the_week_as_its_friday() -> None:
    text = "cheferne inden ugens udgang skal opdatere opfølgningsarket"
    d = only(text, THU_2022_01_20)
    assert quoted(text, d) == "inden ugens udgang"
    assert (d.window_start, d.window_end, d.precision) == (date(2022, 1, 17), date(2022, 1, 21), "week")


@pytest.mark.parametrize(
    ("text", "start", "end"),
    [
        ("uge 10", date(2021, 3, 8), date(2021, 3, 12)),
        ("i uge 12", date(2021, 3, 22), date(2021, 3, 26)),
        ("uge 10-12", date(2021, 3, 8), date(2021, 3, 26)),
        ("uge 2, 2022", date(2022, 1, 10), date(2022, 1, 14)),
        ("i næste uge", date(2021, 3, 15), date(2021, 3, 19)),
        ("inden uge 12", date(2021, 3, 15), date(2021, 3, 19)),  # before week 12: week 11
    ],
)
def test_it_reads_working_weeks(text: str, start: date, end: date) -> None:
    assert window(text, MON_2021_03_08) == (start, end, "week")


def test_it_puts_a_week_number_long_past_in_next_year() -> None:
    assert only("uge 2", MON_2023_11_27).due == date(2024, 1, 12)


def test_it_reads_a_week_number_just_past_as_a_past_reference() -> None:
    assert only("i uge 8 blev det aftalt", MON_2021_03_08).is_past


@pytest.mark.parametrize(
    ("text", "meeting", "due"),
    [
        ("senest fredag", THU_2022_01_20, date(2022, 1, 21)),
        ("senest fredag", FRI_2022_01_21, date(2022, 1, 28)),  # a week on, not today
        ("på mandag", THU_2022_01_20, date(2022, 1, 24)),
        ("fredag i næste uge", THU_2022_01_20, date(2022, 1, 28)),
        ("næste tirsdag", THU_2022_01_20, date(2022, 1, 25)),
    ],
)
def test_it_reads_a_weekday_as_the_next_one(text: str, meeting: date, due: date) -> None:
    assert window(text, meeting) == (due, due, "day")


def test_it_reads_i_fredags_as_last_friday() -> None:
    d = only("i fredags", THU_2022_01_20)
    assert d.due == date(2022, 1, 14)
    assert d.is_past


# --- quarters, halves, seasons, years -------------------------------------------


@pytest.mark.parametrize(
    ("text", "meeting", "start", "end"),
    [
        ("2. kvartal 2021", MON_2021_03_08, date(2021, 4, 1), date(2021, 6, 30)),
        ("i 3. kvartal", THU_2024_02_01, date(2024, 7, 1), date(2024, 9, 30)),
        ("Q3 2024", THU_2024_02_01, date(2024, 7, 1), date(2024, 9, 30)),
        ("i fjerde kvartal", date(2024, 5, 2), date(2024, 10, 1), date(2024, 12, 31)),
        ("i andet kvartal af 2025", THU_2024_02_01, date(2025, 4, 1), date(2025, 6, 30)),
    ],
)
def test_it_reads_quarters(text: str, meeting: date, start: date, end: date) -> None:
    assert window(text, meeting) == (start, end, "quarter")


@pytest.mark.parametrize(
    ("text", "start", "end"),
    [
        ("i første halvår af 2025", date(2025, 1, 1), date(2025, 6, 30)),
        ("i 2. halvdel af 2024", date(2024, 7, 1), date(2024, 12, 31)),
    ],
)
def test_it_reads_a_half_of_a_named_year(text: str, start: date, end: date) -> None:
    assert window(text, THU_2024_02_01) == (start, end, "year")


def test_a_half_of_something_else_is_no_date() -> None:
    assert find_deadlines("Den anden halvdel af budgettet bruges på drift.", THU_2024_02_01) == []


def test_it_reads_a_half_year() -> None:
    d = only("1. halvår 2024", MON_2023_11_27)
    assert (d.window_start, d.window_end, d.precision) == (date(2024, 1, 1), date(2024, 6, 30), "year")
    assert describe_window(d.window_start, d.window_end, d.precision) == "1. halvår 2024"


@pytest.mark.parametrize(
    ("text", "meeting", "start", "end"),
    [
        ("drøftelse i byrådet i løbet af foråret 2024", MON_2023_11_27, date(2024, 3, 1), date(2024, 5, 31)),
        ("prioriteringsforslag med 1 år – dvs. til foråret 2022", MON_2021_03_08, date(2022, 3, 1), date(2022, 5, 31)),
        ("i foråret", MON_2023_11_27, date(2024, 3, 1), date(2024, 5, 31)),
        ("i sommeren 2024", MON_2023_11_27, date(2024, 6, 1), date(2024, 8, 31)),
        ("i efteråret 2021", THU_2020_12_17, date(2021, 9, 1), date(2021, 11, 30)),
        ("vinteren 2023/24", MON_2023_11_27, date(2023, 12, 1), date(2024, 2, 29)),
        ("i vinter", MON_2023_11_27, date(2023, 12, 1), date(2024, 2, 29)),
    ],
)
def test_it_reads_seasons(text: str, meeting: date, start: date, end: date) -> None:
    assert window(text, meeting) == (start, end, "season")


@pytest.mark.parametrize(
    ("text", "start", "end", "precision"),
    [
        ("i 2025", date(2025, 1, 1), date(2025, 12, 31), "year"),
        ("til 2025", date(2025, 1, 1), date(2025, 12, 31), "year"),
        ("inden 2025", date(2024, 1, 1), date(2024, 12, 31), "year"),  # before 2025: by the end of 2024
        ("primo 2024", date(2024, 1, 1), date(2024, 2, 29), "year"),
        ("medio 2024", date(2024, 6, 1), date(2024, 7, 31), "year"),
        ("ultimo 2024", date(2024, 11, 1), date(2024, 12, 31), "year"),
        ("inden udgangen af 2024", date(2024, 12, 31), date(2024, 12, 31), "day"),
        ("inden årets udgang", date(2024, 12, 31), date(2024, 12, 31), "day"),
        ("Projektperioden løber frem mod udgangen af 2024", date(2024, 12, 31), date(2024, 12, 31), "day"),
        ("i år", date(2024, 1, 1), date(2024, 12, 31), "year"),
        ("næste år", date(2025, 1, 1), date(2025, 12, 31), "year"),
        ("til '25", date(2025, 1, 1), date(2025, 12, 31), "year"),
    ],
)
def test_it_reads_years_governed_by_a_preposition(text: str, start: date, end: date, precision: str) -> None:
    assert window(text, THU_2024_02_01) == (start, end, precision)


# --- holidays and other relative times ---------------------------------------------


def test_it_reads_just_after_the_summer_holiday_as_early_august() -> None:
    text = "et principnotat, som skal være klart umiddelbart efter sommerferien"
    d = only(text, MON_2021_03_08)
    assert quoted(text, d) == "umiddelbart efter sommerferien"
    assert d.precision == "relative"
    assert d.kind == "holiday"
    assert date(2021, 8, 1) <= d.window_start <= d.due <= date(2021, 8, 31)


@pytest.mark.parametrize(
    ("text", "meeting", "start", "end"),
    [
        ("inden sommerferien", THU_2022_01_20, date(2022, 6, 1), date(2022, 6, 30)),
        ("efter sommerferien", THU_2020_12_17, date(2021, 8, 1), date(2021, 8, 31)),
        ("inden jul", date(2022, 11, 10), date(2022, 12, 1), date(2022, 12, 23)),
        ("efter nytår", date(2022, 11, 10), date(2023, 1, 2), date(2023, 1, 31)),
        ("efter påske", date(2024, 1, 10), date(2024, 4, 2), date(2024, 4, 15)),  # Easter Sunday 31 March
        ("inden påske", date(2024, 1, 10), date(2024, 3, 21), date(2024, 3, 27)),  # before Maundy Thursday
        ("efter efterårsferien", THU_2022_01_20, date(2022, 10, 24), date(2022, 11, 4)),  # weeks 43-44
        ("inden vinterferien", THU_2022_01_20, date(2022, 2, 7), date(2022, 2, 11)),  # week 6
        ("ved årsskiftet", THU_2022_01_20, date(2022, 12, 31), date(2022, 12, 31)),
    ],
)
def test_it_reads_holidays(text: str, meeting: date, start: date, end: date) -> None:
    assert window(text, meeting) == (start, end, "relative")


@pytest.mark.parametrize(
    ("year", "sunday"),
    [(2000, date(2000, 4, 23)), (2021, date(2021, 4, 4)), (2022, date(2022, 4, 17)),
     (2024, date(2024, 3, 31)), (2025, date(2025, 4, 20)), (2038, date(2038, 4, 25))],
)
def test_it_computes_easter_sunday(year: int, sunday: date) -> None:
    assert easter_sunday(year) == sunday


@pytest.mark.parametrize(
    ("text", "kind"),
    [
        ("Sagen drøftes igen på næste møde.", "next_meeting"),
        ("Sagen blev udskudt til det kommende direktionsmøde.", "next_meeting"),
        ("Sagen blev udskudt til det kommende direktionensmøde.", "next_meeting"),
        ("Næste møde holdes i Teams.", "next_meeting"),
        ("på et senere møde", "next_meeting"),
        ("Materialet sendes ud hurtigst muligt.", "asap"),
        ("Sekretariatet svarer snarest.", "asap"),
        ("Der vil løbende blive fremlagt direktionssager.", "ongoing"),
        ("Udviklingen følges løbende.", "ongoing"),
    ],
)
def test_it_reads_relative_times_without_a_date(text: str, kind: str) -> None:
    d = only(text, THU_2022_01_20)
    assert (d.window_start, d.window_end, d.precision, d.kind) == (None, None, "relative", kind)
    assert not d.is_past


def test_it_includes_the_preposition_of_a_next_meeting() -> None:
    text = "Sagen blev udskudt til det kommende direktionsmøde."
    assert quoted(text, only(text, THU_2022_01_20)) == "til det kommende direktionsmøde"


@pytest.mark.parametrize(
    ("text", "start", "end", "precision"),
    [
        ("om 14 dage", date(2024, 2, 15), date(2024, 2, 15), "day"),
        ("inden for 14 dage", date(2024, 2, 15), date(2024, 2, 15), "day"),
        ("inden for de næste to uger", date(2024, 2, 15), date(2024, 2, 15), "day"),
        ("om to uger", date(2024, 2, 12), date(2024, 2, 16), "week"),
        ("om en måned", date(2024, 3, 1), date(2024, 3, 1), "relative"),
        ("om 5 hverdage", date(2024, 2, 8), date(2024, 2, 8), "day"),
        ("i morgen", date(2024, 2, 2), date(2024, 2, 2), "day"),
    ],
)
def test_it_counts_durations_from_the_meeting(text: str, start: date, end: date, precision: str) -> None:
    assert window(text, THU_2024_02_01) == (start, end, precision)


# --- what is never a deadline -----------------------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        "00.01.00-A21-2-21",  # KLE journal numbers
        "29.09.00-P00-1-22",
        "Sagsnr. 22/23184 og 20/17776",  # case numbers
        "for samlet set 783.000 kr.",  # amounts
        "et lille mindreforbrug (12,8 mio.kr.)",
        "1.500 borgere",
        "1.019.660 kr.",
        "(9.30-9.55)",  # time slots
        "kl. 08:30",
        "CF - Status for arbejdet (9.00-9.30)",
        "kl. 9.10-10.15",
        "dagpasningsprognose 2022-2034",  # year ranges
        "Forslag til tidsplan og proces for Budget 2025-28",
        "Arbejdet med budget 2024-27 er afsluttet",
        "tiltag i perioden 2018-2021 opdateres",
        "en befolkningsudvikling for 2022 til 2034",
        "et 1. udkast",  # ordinals
        "2. drøftelse af 'Fællesskaber for flere'",
        "3. behandling",
        "1. at dagsordenen godkendes",
        "til den 2. behandling",
        "en stigning på 12,5 %",
        "jf. § 17, stk. 4",
        "Sundhedsloven §119",
        "CF - Budget 2023",  # a year as part of a name
        "Budgetaftale 2022",
        "Udmøntning af Sundhedspuljen 2022",
        "Status Boligbyggeprogram 2022 CF",
        "højere i forhold til 2021",
        "gælder fra 2025",
        "i 2022-priser",
        "eksternt oplæg om fredagen",  # a weekday in general
        "Jan Eriksen og Birgit",  # names that are months
        "materialet sendes til Jan",
        "et møde med August",
        "maj",  # a month on its own
        "sommer og sol",
        "i mellem jul og nytår",
        "det løbende arbejde",  # the adjective, not the adverb
        "Der er tæt, løbende dialog med CEIS",
        "de kommende år",  # spans, not points in time
        "boliger de næste 12 år",
        "børn i alderen 5-14 år",
        "hvert 4. år",
        "ØR2 pr 31032022",
        "i afsnit 3.2. fremgår",
        "1/3 af borgerne",
        "Q1-rapport",
        "i dag",
    ],
)
def test_it_finds_nothing_in_numbers_names_and_ranges(text: str) -> None:
    assert find_deadlines(text, THU_2022_04_28) == []


def test_it_reads_a_real_date_next_to_a_case_number() -> None:
    text = "22/23184\n\nBeslutning Direktionen den 27-11-2023"
    d = only(text, MON_2023_11_27)
    assert quoted(text, d) == "den 27-11-2023"


# --- spans and text handling -------------------------------------------------------


def test_it_returns_spans_in_order_that_quote_the_text() -> None:
    text = (
        "De reviderede kommissorier skal fremlægges i Chefforum den 12. maj 2022. "
        "Arbejdsgrupperne skal levere deres produkt primo september 2022, "
        "og rapporten forelægges ØU i maj."
    )
    found = find_deadlines(text, THU_2022_04_28)
    assert [quoted(text, d) for d in found] == ["den 12. maj 2022", "primo september 2022", "i maj"]
    assert [d.due for d in found] == [date(2022, 5, 12), date(2022, 9, 10), date(2022, 5, 31)]


def test_it_reads_a_date_wrapped_over_two_lines() -> None:
    text = "fremlægges den 12. maj\n2022 til behandling"
    assert quoted(text, only(text, THU_2022_04_28)) == "den 12. maj\n2022"


def test_it_does_not_join_words_across_a_blank_line() -> None:
    text = "Status i maj\n\n2022 blev et godt år"
    d = only(text, THU_2022_04_28)
    assert quoted(text, d) == "i maj"


def test_it_keeps_offsets_when_lowercasing_changes_length() -> None:
    text = "İstanbul-besøget: svar senest den 12. maj 2022."
    d = only(text, THU_2022_04_28)
    assert quoted(text, d) == "senest den 12. maj 2022"


def test_it_finds_an_expression_at_the_very_start_and_end() -> None:
    assert quoted("12. maj", only("12. maj", THU_2022_04_28)) == "12. maj"
    assert find_deadlines("", THU_2022_04_28) == []


def test_it_finds_the_dated_expressions_of_real_minutes() -> None:
    text = (
        "Revisionen skal inden 15-06-2021 fremsende revisionsberetning til behandling i Byrådet, "
        "så regnskab og revisionsberetning kan indsendes til Ankestyrelsen inden udgangen af august 2021.\n\n"
        "Indstilling\n\n00.01.00-A21-2-21\n\n"
        "2. oversender regnskabet til revisionen, og at regnskabet forelægges Byrådet igen i juni 2021."
    )
    found = find_deadlines(text, MON_2021_03_08)
    assert [(quoted(text, d), d.due) for d in found] == [
        ("inden 15-06-2021", date(2021, 6, 15)),
        ("inden udgangen af august 2021", date(2021, 8, 31)),
        ("i juni 2021", date(2021, 6, 30)),
    ]


# --- Danish text -------------------------------------------------------------------


def test_it_formats_a_date_in_danish() -> None:
    assert format_date_da(date(2022, 5, 12)) == "12. maj 2022"
    assert format_date_da(date(2021, 3, 8)) == "8. marts 2021"


@pytest.mark.parametrize(
    ("start", "end", "precision", "text"),
    [
        (date(2022, 5, 12), date(2022, 5, 12), "day", "12. maj 2022"),
        (date(2022, 4, 7), date(2022, 4, 8), "day", "7.–8. april 2022"),
        (date(2021, 5, 1), date(2021, 5, 31), "month", "i løbet af maj 2021"),
        (date(2021, 3, 8), date(2021, 3, 31), "month", "i løbet af marts 2021"),
        (date(2021, 10, 1), date(2021, 11, 30), "month", "i løbet af oktober–november 2021"),
        (date(2022, 9, 1), date(2022, 9, 10), "month_part", "primo september 2022"),
        (date(2022, 9, 11), date(2022, 9, 20), "month_part", "medio september 2022"),
        (date(2022, 9, 21), date(2022, 9, 30), "month_part", "ultimo september 2022"),
        (date(2021, 3, 8), date(2021, 3, 12), "week", "uge 10, 2021"),
        (date(2021, 4, 1), date(2021, 6, 30), "quarter", "2. kvartal 2021"),
        (date(2024, 3, 1), date(2024, 5, 31), "season", "foråret 2024"),
        (date(2023, 12, 1), date(2024, 2, 29), "season", "vinteren 2023/24"),
        (date(2024, 1, 1), date(2024, 12, 31), "year", "2024"),
        (date(2024, 1, 1), date(2024, 2, 29), "year", "primo 2024"),
        (date(2024, 7, 1), date(2024, 12, 31), "year", "2. halvår 2024"),
        (date(2021, 8, 1), date(2021, 8, 31), "relative", "omkring august 2021"),
        (date(2022, 12, 1), date(2022, 12, 23), "relative", "ca. 1.–23. december 2022"),
        (None, None, "relative", "uden dato"),
        (None, None, "none", "uden dato"),
    ],
)
def test_it_describes_a_window_in_danish(start: date | None, end: date | None, precision: str, text: str) -> None:
    assert describe_window(start, end, precision) == text


def test_it_describes_every_deadline_it_finds() -> None:
    text = "til 12. maj, i maj 2021, primo september 2022, uge 10, 2. kvartal 2021, foråret 2024, i 2024, efter påske"
    for d in find_deadlines(text, THU_2022_04_28):
        assert describe_window(d.window_start, d.window_end, d.precision) not in ("", "uden dato")


def test_it_exposes_precisions_and_kinds_as_plain_strings() -> None:
    assert Precision.MONTH_PART == "month_part"
    assert Kind.NEXT_MEETING == "next_meeting"
    assert only("i maj 2021", THU_2020_12_17).precision == "month"


# --- robustness ---------------------------------------------------------------------

_DANISH_BITS = st.sampled_from([
    " ", "\n", "\n\n", ".", ",", "-", "/", "(", ")", "'", "d.", "den", "til", "inden", "i", "senest", "om",
    "primo", "ultimo", "udgangen af", "løbet af", "uge", "kvartal", "Q3", "maj", "januar", "feb.",
    "fredag", "foråret", "vinteren", "sommerferien", "jul", "påske", "næste", "møde", "år", "året",
    "måned", "dage", "to", "en", "hurtigst muligt", "løbende", "1", "12", "29", "31", "2022", "2024",
    "2022-2034", "00.01.00-A21-2-21", "22/23184", "9.30", "783.000", "12,5", "kl.", "§", "İ", "æøå",
])


def _check(text: str, meeting: date) -> None:
    found = find_deadlines(text, meeting)
    previous_end = 0
    for d in found:
        assert 0 <= previous_end <= d.start < d.end <= len(text)
        previous_end = d.end
        assert (d.window_start is None) == (d.window_end is None)
        if d.window_start is not None:
            assert d.window_start <= d.window_end
            assert d.is_past == (d.window_end < meeting)
        else:
            assert d.kind in ("next_meeting", "asap", "ongoing") and not d.is_past
        assert d.precision in {p.value for p in Precision}


@settings(max_examples=300, deadline=None)
@given(text=st.text(), meeting=st.dates(min_value=date(1990, 1, 1), max_value=date(2090, 12, 31)))
def test_it_never_fails_on_arbitrary_text(text: str, meeting: date) -> None:
    _check(text, meeting)


@settings(max_examples=500, deadline=None)
@given(
    parts=st.lists(_DANISH_BITS, max_size=30),
    meeting=st.dates(min_value=date(1990, 1, 1), max_value=date(2090, 12, 31)),
)
def test_it_never_fails_on_danish_looking_text(parts: list[str], meeting: date) -> None:
    _check(" ".join(parts), meeting)


def test_it_handles_the_ends_of_the_calendar() -> None:
    _check("i 2099, til 31. december, i næste år, om 999 år, efter nytår, uge 53", date(9999, 12, 31))
    _check("i 1900, den 1. januar, i fredags, i går, sidste år, forrige uge", date(1, 1, 1))


def test_over_the_summer_is_the_summer_but_over_a_number_is_no_date() -> None:
    assert window("over sommeren", THU_2024_02_01) == (date(2024, 6, 1), date(2024, 8, 31), "season")
    assert find_deadlines("Det tager over 14 dage og koster over 2024 kr.", THU_2024_02_01) == []
