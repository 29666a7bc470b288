"""Dates and deadlines in the language of the page: Danish ("12. maj 2022") or English ("12 May 2022").

Danish goes through the parser's own wording (minutes.parsing.dates), so what
the secretary reviews reads exactly as the parser understood it. English is
written here, one phrase per precision, mirroring the Danish ones.
"""
from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.utils.translation import get_language

from minutes.parsing.dates import describe_window, format_date_da, is_month_end, is_month_start

MONTHS_EN = (
    "January", "February", "March", "April", "May", "June",
    "July", "August", "September", "October", "November", "December",
)
SEASONS_EN = {3: "spring", 6: "summer", 9: "autumn", 12: "winter"}
YEAR_PARTS_EN = {(1, 12): "{year}", (1, 6): "first half of {year}", (7, 12): "second half of {year}",
                 (1, 2): "early {year}", (6, 7): "mid-{year}", (11, 12): "late {year}"}


def is_english() -> bool:
    return (get_language() or "da").split("-")[0] == "en"


def format_date(value: dt.date) -> str:
    """ "12. maj 2022" in Danish, "12 May 2022" in English."""
    if is_english():
        return format_date_en(value)
    return format_date_da(value)


def format_time(value: dt.time | dt.datetime) -> str:
    """ "14.05" in Danish (the Danish standard), "14:05" in English."""
    return value.strftime("%H:%M" if is_english() else "%H.%M")


def describe_deadline(window_start: dt.date | None, window_end: dt.date | None, precision: str) -> str:
    """A deadline as precisely as it is known, in the language of the page."""
    if is_english():
        return describe_window_en(window_start, window_end, precision)
    return describe_window(window_start, window_end, precision)


def format_date_en(d: dt.date) -> str:
    return f"{d.day} {MONTHS_EN[d.month - 1]} {d.year}"


def _month_en(d: dt.date) -> str:
    return MONTHS_EN[d.month - 1]


def _range_en(start: dt.date, end: dt.date) -> str:
    if start == end:
        return format_date_en(start)
    if (start.year, start.month) == (end.year, end.month):
        return f"{start.day}–{format_date_en(end)}"
    if start.year == end.year:
        return f"{start.day} {_month_en(start)} – {format_date_en(end)}"
    return f"{format_date_en(start)} – {format_date_en(end)}"


def describe_window_en(window_start: dt.date | None, window_end: dt.date | None, precision: str) -> str:
    """ "12 May 2022", "during May 2021", "early September 2022", "week 10, 2021", "Q2 2021", "spring 2024"."""
    if window_end is None or precision == "none":
        return "no date"
    start, end = window_start or window_end, window_end
    if precision == "day":
        return _range_en(start, end)
    if precision == "week":
        year, week, _ = end.isocalendar()
        first_year, first_week, _ = start.isocalendar()
        if (first_year, first_week) != (year, week) and first_year == year:
            return f"weeks {first_week}–{week}, {year}"
        return f"week {week}, {year}"
    if precision == "month" and is_month_end(end):
        if (start.year, start.month) == (end.year, end.month):
            return f"during {_month_en(end)} {end.year}"
        if is_month_start(start):
            first = _month_en(start) + ("" if start.year == end.year else f" {start.year}")
            return f"during {first}–{_month_en(end)} {end.year}"
    if precision == "month_part" and (start.year, start.month) == (end.year, end.month):
        month = f"{_month_en(end)} {end.year}"
        if start.day == 1 and end.day == 10:
            return f"early {month}"
        if start.day == 11 and end.day == 20:
            return f"mid-{month}"
        if start.day == 21 and is_month_end(end):
            return f"late {month}"
    whole_months = is_month_start(start) and is_month_end(end)
    if precision == "quarter" and whole_months and start.year == end.year and (start.month - 1) % 3 == 0 \
            and end.month == start.month + 2:
        return f"Q{(start.month - 1) // 3 + 1} {end.year}"
    if precision == "season" and whole_months:
        name = SEASONS_EN.get(start.month)
        if name and start.month != 12 and end.month == start.month + 2 and start.year == end.year:
            return f"{name} {end.year}"
        if name and start.month == 12 and end.month == 2 and end.year == start.year + 1:
            return f"{name} {start.year}/{str(end.year)[2:]}"
    if precision == "year" and whole_months and start.year == end.year:
        pattern = YEAR_PARTS_EN.get((start.month, end.month))
        if pattern:
            return pattern.format(year=end.year)
    if precision == "relative":
        if whole_months and (start.year, start.month) == (end.year, end.month):
            return f"around {_month_en(end)} {end.year}"
        return "approx. " + _range_en(start, end)
    if start == end:
        return format_date_en(end)
    return f"by {format_date_en(end)}"


def language_of(person: object | None) -> str:
    """The language a person chose (Person.language); the site's language when there is no person."""
    language = getattr(person, "language", "") or settings.LANGUAGE_CODE
    return language if language in dict(settings.LANGUAGES) else settings.LANGUAGE_CODE
