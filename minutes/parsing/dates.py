"""Danish temporal expressions in meeting minutes, resolved to due windows.

``find_deadlines(text, meeting_date)`` finds every expression of time a
follow-up could hang on ("til 12. maj", "primo september 2022", "inden
ugens udgang", "umiddelbart efter sommerferien", "på næste møde" …) and
resolves it, as of the meeting date, to a window with a precision. The due
date is the window's end. Deciding whether the surrounding clause is a
follow-up at all is the caller's job; this module only reads time.

Pure standard library, no Django: it runs on every document of every import,
so it is written for speed (one precompiled regular expression, one pass,
Python code only for the few places that matched).

Choices a reader may want to know about:

1. A date without a year is the next such date on or after the meeting date,
   except that a date that was at most ``LOOKBACK_DAYS`` ago, in a phrase with
   no forward-looking preposition ("til", "inden", "senest", "frem mod" …),
   is taken as a past reference ("Arket blev præsenteret den 17. januar" in
   minutes of 20 January). Minutes mention the previous meeting far more often
   than an undated event eleven months ahead.
2. "inden"/"før" + a day ("inden 1. februar 2022") gives that day: Danish
   uses it for "by that day", and the stated date is what a reader will look
   for. "inden"/"før" + a longer period ("inden maj", "inden 2025", "inden
   uge 10", "inden foråret") gives the period before it (April, 2024, week 9,
   winter), because the stated period would put the due date a whole period
   late.
3. Weeks are working weeks: the window is Monday–Friday and the due date is
   the Friday (a Sunday due date would send reminders after the week ended).
4. "primo/medio/ultimo" of a month are days 1–10, 11–20 and 21–end
   (precision ``month_part``); of a year they are January–February, June–July
   and November–December (precision ``year``): their ends lie inside any
   reasonable reading of "early/mid/late 2024".
5. Seasons are meteorological: spring March–May, summer June–August, autumn
   September–November, winter December–February; "vinteren 2024" is the
   winter that begins in December 2024.
6. Holidays (precision ``relative``): "inden sommerferien" June, "efter
   sommerferien" August ("umiddelbart efter" its first half), "inden jul"
   up to 23 December, "efter nytår" January, Easter and Whitsun from the
   computus, autumn holiday week 42, winter holiday week 7.
7. "i løbet af" a period that has already begun starts the window at the
   meeting date.
8. A bare year is a deadline only when a preposition governs it ("i 2025",
   "inden 2025", "til 2025", "primo 2024"); "Budget 2023", "2022-2034",
   "budget 2024-27" are names and ranges, never deadlines.
"""
from __future__ import annotations

import calendar
import enum
import re
from collections.abc import Callable, Iterable, Mapping
from itertools import chain
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

__all__ = [
    "LOOKBACK_DAYS",
    "Deadline",
    "Kind",
    "Precision",
    "describe_window",
    "easter_sunday",
    "find_deadlines",
    "format_date_da",
    "is_month_end",
    "is_month_start",
    "lowercase_same_length",
    "MONTH_WORDS",
]


class Precision(enum.StrEnum):
    DAY = "day"
    WEEK = "week"
    MONTH = "month"
    MONTH_PART = "month_part"
    QUARTER = "quarter"
    SEASON = "season"
    YEAR = "year"
    RELATIVE = "relative"
    NONE = "none"


class Kind(enum.StrEnum):
    """What a relative expression is relative to ("" for calendar expressions)."""

    CALENDAR = ""
    NEXT_MEETING = "next_meeting"  # "på næste møde": no date until the body's next meeting is known
    ASAP = "asap"  # "hurtigst muligt"
    ONGOING = "ongoing"  # "løbende"
    HOLIDAY = "holiday"  # "efter sommerferien", "inden jul"
    OFFSET = "offset"  # "om 14 dage", "inden for en måned"


@dataclass(frozen=True, slots=True)
class Deadline:
    start: int  # offset of the expression in the text given to find_deadlines
    end: int  # exclusive; text[start:end] is the expression
    window_start: date | None
    window_end: date | None  # the due date; None for "på næste møde", "hurtigst muligt", "løbende"
    precision: str
    is_past: bool  # the window ends before the meeting date: a reference, not a deadline
    warnings: tuple[str, ...] = ()  # e.g. ("weekday_mismatch",)
    kind: str = ""

    @property
    def due(self) -> date | None:
        return self.window_end


# A yearless date at most this many days before the meeting is a past reference
# (unless a forward-looking preposition governs it). About two months: minutes
# refer back to the previous meeting or two, rarely further without a year.
LOOKBACK_DAYS = 62

WEEKDAY_MISMATCH = "weekday_mismatch"

# --------------------------------------------------------------------------
# Vocabulary
# --------------------------------------------------------------------------

_MONTH_NAMES_DA = (
    "januar", "februar", "marts", "april", "maj", "juni",
    "juli", "august", "september", "oktober", "november", "december",
)
_MONTHS: dict[str, int] = {name: i for i, name in enumerate(_MONTH_NAMES_DA, 1)}
# Abbreviations. "jun"/"jul" only with a full stop: "jul" is Christmas.
_MONTH_ABBREVIATIONS: dict[str, int] = {
    "jan": 1, "feb": 2, "mar": 3, "mrt": 3, "apr": 4, "aug": 8,
    "sep": 9, "sept": 9, "okt": 10, "nov": 11, "dec": 12,
}
_MONTHS.update(_MONTH_ABBREVIATIONS)
_MONTHS.update({f"{abbr}.": m for abbr, m in _MONTH_ABBREVIATIONS.items()})
_MONTHS.update({"jun.": 6, "jul.": 7})
# Every way a month is written, without its full stop ("marts", "okt").
MONTH_WORDS = frozenset(word.rstrip(".") for word in _MONTHS)

_WEEKDAYS: dict[str, int] = {
    "mandag": 0, "tirsdag": 1, "onsdag": 2, "torsdag": 3,
    "fredag": 4, "lørdag": 5, "søndag": 6,
}

_NUMBER_WORDS: dict[str, int] = {
    "en": 1, "én": 1, "et": 1, "ét": 1, "to": 2, "tre": 3, "fire": 4, "fem": 5,
    "seks": 6, "syv": 7, "otte": 8, "ni": 9, "ti": 10, "elleve": 11, "tolv": 12,
    "tretten": 13, "fjorten": 14, "femten": 15, "seksten": 16, "sytten": 17,
    "atten": 18, "nitten": 19, "tyve": 20, "et par": 2, "par": 2,
}

_ORDINALS: dict[str, int] = {"første": 1, "anden": 2, "andet": 2, "tredje": 3, "fjerde": 4}

# (first month, last month) of each season; winter runs into the next year.
_SEASONS: dict[str, tuple[int, int]] = {
    "forår": (3, 5), "foråret": (3, 5),
    "sommer": (6, 8), "sommeren": (6, 8),
    "efterår": (9, 11), "efteråret": (9, 11),
    "vinter": (12, 2), "vinteren": (12, 2),
    "forsommeren": (6, 6), "sensommeren": (8, 8), "senefteråret": (11, 11),
}
_SEASON_NAMES_DA = {3: "foråret", 6: "sommeren", 9: "efteråret", 12: "vinteren"}


class _Role(enum.Enum):
    """How a preposition bends the period it governs."""

    IN = "in"  # i, på, omkring: the period itself
    DURING = "during"  # i løbet af: the period, from the meeting date on
    BY = "by"  # til, senest, frem mod: the period, looking forward
    BEFORE = "before"  # inden, før: the period before it (a day stays that day)
    OFFSET = "offset"  # om, inden for: a duration counted from the meeting
    AFTER = "after"  # efter: only meaningful for holidays
    AFTER_SOON = "after_soon"  # umiddelbart efter
    COMPARISON = "comparison"  # i forhold til: governs nothing, and hides the "til" in it


_PREPOSITIONS: dict[str, _Role] = {
    "i": _Role.IN, "på": _Role.IN, "pr.": _Role.IN, "per": _Role.IN, "omkring": _Role.IN,
    "hen over": _Role.IN, "henover": _Role.IN, "over": _Role.IN, "under": _Role.IN, "allerede i": _Role.IN,
    "i løbet af": _Role.DURING, "senest i løbet af": _Role.DURING,
    "resten af": _Role.DURING, "i resten af": _Role.DURING,
    "til": _Role.BY, "senest": _Role.BY, "senest til": _Role.BY, "senest i": _Role.BY,
    "senest ved": _Role.BY, "senest med": _Role.BY, "senest på": _Role.BY,
    "frem mod": _Role.BY, "frem til": _Role.BY, "hen mod": _Role.BY, "henimod": _Role.BY,
    "op til": _Role.BY, "op mod": _Role.BY, "indtil": _Role.BY, "til og med": _Role.BY,
    "ved": _Role.BY, "med": _Role.BY, "allerede til": _Role.BY,
    # labels that work as "by": "(frist 15/3)", "Deadline: 1/6"
    "frist": _Role.BY, "frist:": _Role.BY, "deadline": _Role.BY, "deadline:": _Role.BY,
    "tidsfrist": _Role.BY, "tidsfrist:": _Role.BY,
    "inden": _Role.BEFORE, "før": _Role.BEFORE, "senest inden": _Role.BEFORE,
    "senest før": _Role.BEFORE, "umiddelbart før": _Role.BEFORE, "lige før": _Role.BEFORE,
    "kort før": _Role.BEFORE, "umiddelbart inden": _Role.BEFORE, "lige inden": _Role.BEFORE,
    "kort inden": _Role.BEFORE, "forud for": _Role.BEFORE,
    "om": _Role.OFFSET, "inden for": _Role.OFFSET, "indenfor": _Role.OFFSET,
    "senest om": _Role.OFFSET, "senest inden for": _Role.OFFSET,
    "efter": _Role.AFTER,
    "umiddelbart efter": _Role.AFTER_SOON, "lige efter": _Role.AFTER_SOON,
    "straks efter": _Role.AFTER_SOON, "kort efter": _Role.AFTER_SOON,
    "snarest efter": _Role.AFTER_SOON,
    # comparative, not temporal: "højere i forhold til 2021" governs nothing
    **{phrase: _Role.COMPARISON for phrase in (
        "i forhold til", "ift.", "ift", "sammenlignet med", "i sammenligning med",
        "i modsætning til", "end i", "end til", "set i forhold til",
    )},
}
_FORWARD_ROLES = frozenset({_Role.BY, _Role.BEFORE, _Role.OFFSET, _Role.AFTER, _Role.AFTER_SOON})
_DATE_ROLES = frozenset({_Role.IN, _Role.BY, _Role.BEFORE})
_PERIOD_ROLES = frozenset({_Role.IN, _Role.DURING, _Role.BY, _Role.BEFORE})
# A bare year needs one of these to be a deadline ("i 2025", not "på 2025" or "pr. 2025").
_YEAR_PREPOSITIONS = frozenset(
    p for p, role in _PREPOSITIONS.items()
    if role in (_Role.BY, _Role.BEFORE, _Role.DURING) and p not in ("ved", "med", "senest på")
) | {"i", "hen over", "henover", "allerede i", "omkring"}
_WEEKDAY_PREPOSITIONS = frozenset(
    p for p, role in _PREPOSITIONS.items() if role in (_Role.BY, _Role.BEFORE)
) | {"på"}

# Modifiers in front of a period: which part of it.
_PART_FIRST, _PART_MIDDLE, _PART_LAST, _PART_END = "first", "middle", "last", "end"
_MODIFIERS: dict[str, str] = {
    "primo": _PART_FIRST, "starten af": _PART_FIRST, "begyndelsen af": _PART_FIRST,
    "først i": _PART_FIRST, "først på": _PART_FIRST, "første del af": _PART_FIRST,
    "første halvdel af": _PART_FIRST,
    "medio": _PART_MIDDLE, "midten af": _PART_MIDDLE, "midt i": _PART_MIDDLE, "midt på": _PART_MIDDLE,
    "ultimo": _PART_LAST, "slutningen af": _PART_LAST, "sidst i": _PART_LAST, "sidst på": _PART_LAST,
    "sidste del af": _PART_LAST, "sidste halvdel af": _PART_LAST, "anden halvdel af": _PART_LAST,
    "udgangen af": _PART_END,
}

_ASAP = (
    "hurtigst muligt", "snarest muligt", "snarest belejligt", "hurtigst belejligt",
    "så hurtigt som muligt", "så snart som muligt", "så hurtigt det er muligt",
    "så snart det er muligt", "snarest", "straks", "omgående", "asap",
    "med det samme",
)

_HOLIDAYS: dict[str, str] = {
    "sommerferien": "summer", "sommerferie": "summer", "sommerpausen": "summer",
    "efterårsferien": "autumn", "efterårsferie": "autumn",
    "vinterferien": "winter", "vinterferie": "winter",
    "juleferien": "christmas_holiday", "juleferie": "christmas_holiday",
    "påskeferien": "easter_holiday", "påskeferie": "easter_holiday",
    "jul": "christmas", "julen": "christmas",
    "nytår": "new_year", "nytåret": "new_year", "årsskiftet": "new_year",
    "påske": "easter", "påsken": "easter",
    "pinse": "whitsun", "pinsen": "whitsun",
}

# --------------------------------------------------------------------------
# The regular expression
# --------------------------------------------------------------------------

_BLANK = r"[^\S\n]"
# Between words: blanks with at most one line break (a wrapped line, not a new paragraph).
SP = rf"(?:{_BLANK}+\n?|\n){_BLANK}*"
SO = rf"{_BLANK}*\n?{_BLANK}*"
NW = r"(?![^\W_])"  # end of word


def _trie_alternatives(words: Iterable[str], endings: Mapping[str, str] | None = None, suffix: str = "") -> list[str]:
    """The alternatives of a trie-shaped alternation ("jan(?:\\.|uar|)"): the regex
    engine then rejects a word on its first letter instead of trying every
    alternative, which is what keeps one pass over a document cheap. Longer
    words win. Each word is followed by its ending (if given), then ``suffix``.

    Optional parts are written "(?:x|)" rather than "(?:x)?": the latter
    compiles to a REPEAT that costs an allocation every time it is tried.
    """
    root: dict[str, Any] = {}
    for word in words:
        node = root
        for ch in word:
            node = node.setdefault(ch, {})
        node[""] = (endings[word] if endings is not None else "") + suffix

    def emit(node: dict[str, Any]) -> list[str]:
        alternatives = [
            (SP if ch == " " else re.escape(ch)) + _group(emit(child))
            for ch, child in sorted(node.items())
            if ch
        ]
        if "" in node:
            alternatives.append(node[""])
        return alternatives

    return emit(root)


def _group(alternatives: list[str]) -> str:
    return alternatives[0] if len(alternatives) == 1 else "(?:" + "|".join(alternatives) + ")"


def _trie(words: Iterable[str], endings: Mapping[str, str] | None = None, suffix: str = "") -> str:
    return _group(_trie_alternatives(words, endings, suffix))


_Y4 = r"(?:19|20)[0-9]{2}"
# A year that is not the first half of a range or of a compound ("2022-2034", "2024-27", "2022-priser").
_YEAR = rf"{_Y4}(?![0-9]|{SO}[-–/]{SO}[0-9]|[-–][^\W\d_]|[.,][0-9])"
_MONTH = _trie(_MONTHS)
_WEEKDAY = _trie(_WEEKDAYS)
_D = r"[0-9]{1,2}"


def _month(name: str) -> str:
    return rf"(?P<{name}>{_MONTH}){NW}"


_CORE_MEETING = (
    rf"(?P<meet>(?:(?:det|et|den){SP})?"
    rf"(?:næste|kommende|førstkommende|efterfølgende|senere|snarlige){SP}"
    rf"(?:[^\W\d_]+e{SP})?"  # one adjective: "det næste ordinære møde"
    rf"(?:[^\W\d_]+-)?[^\W\d_]*(?:møde[tr]?|mødeserie|forum){NW})"
)

_CORE_DATE = (
    rf"(?P<date>"
    rf"(?:(?P<wd>{_WEEKDAY}){NW},?{SP})?(?:(?P<den>den|d\.){SO})?"
    rf"(?:"
    # ISO 2022-05-12
    rf"(?P<iso_y>{_Y4})-(?P<iso_m>[0-9]{{2}})-(?P<iso_d>[0-9]{{2}})(?![0-9])"
    # range: "7. og 8. april 2022", "1. august til 1. oktober 2023", "12.-13. maj"
    rf"|(?P<r_d1>{_D})\.?{SO}(?:{_month('r_m1')}\.?(?:{SP}(?P<r_y1>{_Y4}))?{SO})?"
    rf"(?:-|–|og|til){SO}(?:(?:den|d\.){SO})?"
    rf"(?P<r_d2>{_D})\.?{SO}{_month('r_m2')}(?:,?{SP}(?P<r_y2>{_YEAR}))?"
    # "12. maj 2022", "3 februar", "d.11. december"
    rf"|(?P<t_d>{_D})\.?{SO}{_month('t_m')}(?:,?{SP}(?P<t_y>{_YEAR}))?"
    # "28-04-2022", "30.06.2024", "1.6.2024", "01-09-19" (same separator twice)
    rf"|(?P<n_d>{_D})(?P<n_sep>[-./])(?P<n_m>{_D})(?P=n_sep)(?P<n_y>[0-9]{{4}}|[0-9]{{2}})"
    rf"(?![0-9]|[.:,][0-9]|[-/][^\W_])"
    # "28/4 2022", "1/6-2024"
    rf"|(?P<s_d>{_D})/(?P<s_m>{_D})(?:-|{SP})(?P<s_y>{_Y4})(?![0-9])"
    rf"))"
)

# "senest den 15." – a day of the month; never followed by a word ("den 2. behandling").
_CORE_DAY_ONLY = rf"(?P<dayonly>(?:den|d\.){SO}(?P<do_d>{_D})\.(?!{SO}[^\W_]))"

# "inden 1/6", "den 1.6." – a date without a year, only with "den" or a preposition.
_CORE_NUM_SHORT = (
    rf"(?P<numshort>(?:(?P<ns_den>den|d\.){SO})?(?P<ns_d>{_D})"
    rf"(?:/(?P<ns_m>{_D})|\.(?P<ns_m2>{_D})\.)(?![0-9/]))"
)

_CORE_WEEKDAY = (
    rf"(?P<weekday>(?:(?P<wk_rel>næste|kommende|førstkommende){SP})?(?P<wk>{_WEEKDAY}){NW}"
    rf"(?:{SP}i{SP}(?P<wk_week>næste|denne|indeværende|den{SP}kommende){SP}uge{NW})?)"
)
_CORE_PAST_WEEKDAY = rf"(?P<pastwd>(?P<pw>{_WEEKDAY})s{NW})"
_CORE_DAY_WORD = rf"(?P<dayword>(?P<dw>morgen|overmorgen|går){NW})"

_CORE_OFFSET = (
    rf"(?P<offset>(?:(?:de{SP})?(?:næste|kommende|følgende){SP})?"
    rf"(?:(?P<o_half>et{SP}halvt{SP}år|en{SP}halv{SP}måned|halvandet{SP}år|halvanden{SP}måned)"
    rf"|(?P<o_n>[0-9]{{1,3}}|{_trie(_NUMBER_WORDS)}){SP}"
    rf"(?P<o_u>dage|dag|hverdage|hverdag|arbejdsdage|arbejdsdag|uger|uge|måneder|måned|år))"
    rf"{NW})"
)

_CORE_HOLIDAY = rf"(?P<holiday>(?P<hol>{_trie(_HOLIDAYS)}){NW}(?:{SP}(?P<hol_y>{_YEAR}))?)"

# A period, optionally with a modifier in front ("primo", "udgangen af", …).
_PERIOD = (
    rf"(?P<period>(?:(?P<mod>{_trie(_MODIFIERS)}){SP})?(?:"
    # "uge 10", "uge 10-12", "uge 10, 2021"
    rf"uge(?:rne|n)?{SO}(?P<wk_n>{_D})(?:{SO}(?:-|–|og|til){SO}(?P<wk_n2>{_D}))?(?![0-9])"
    rf"(?:,?{SP}(?:i{SP})?(?P<wk_y>{_YEAR}))?"
    # "2. kvartal 2021", "første halvår", "Q3 2024"
    rf"|(?:(?P<q_n>[1-4])\.?|(?P<q_w>første|anden|andet|tredje|fjerde|sidste)){SP}"
    rf"(?:(?P<q_k>kvartal|halvår){NW}(?:{SP}(?:af{SP})?(?P<q_y>{_YEAR}))?"
    # "2. halvdel af 2024": a half of a named year only ("anden halvdel af budgettet" is no date)
    rf"|(?P<q_half>halvdel){SP}af{SP}(?P<q_hy>{_YEAR}))"
    rf"|q(?P<q_q>[1-4]){NW}(?![-–][^\W\d_])(?:{SO}[-/]?{SO}(?P<q_qy>{_YEAR}))?"
    # "næste uge", "denne måned", "det kommende år", "sidste år"
    rf"|(?:(?:den|det){SP})?(?P<rel>næste|denne|dette|indeværende|kommende|sidste|forrige|nuværende)"
    rf"{SP}(?P<rel_u>uge|måned|år|kvartal|halvår){NW}"
    # "ugens udgang", "årets afslutning"
    rf"|(?P<cur_end>ugens|månedens|årets|kvartalets|halvårets){SP}(?:udgang|afslutning|slutning){NW}"
    # "i år", "i løbet af året", "året ud"
    rf"|(?P<cur>ugen|måneden|året|kvartalet|halvåret|år){NW}(?P<cur_out>{SP}ud{NW})?"
    # seasons: "foråret 2024", "vinteren 2023/24"
    rf"|(?P<season>{_trie(_SEASONS)}){NW}(?:{SP}(?P<season_y>{_Y4})(?:/(?P<season_y2>[0-9]{{2}}(?:[0-9]{{2}})?))?(?![0-9]))?"
    # months: "maj 2021", "oktober/november 2021", "i maj måned"
    rf"|{_month('m1')}(?:{SO}(?:/|-|–|og|eller|til){SO}{_month('m2')})?"
    rf"(?:,?{SP}(?P<m_y>{_YEAR}))?(?:{SP}måned{NW})?"
    # years: "2025", "'23"
    rf"|(?P<year>{_YEAR})|['’´](?P<year2>[0-9]{{2}})(?![0-9])"
    rf"))"
)

_CORE_ASAP = rf"(?P<asap>{_trie(_ASAP)}){NW}"
_CORE_ONGOING = rf"(?P<ongoing>løbende){NW}"

# Every expression begins with one of these (after its preposition). Checked
# as one lookahead trie before the expression patterns are tried: most words
# fail it on their first letter or two, and the patterns after it cost a
# microsecond or more per word they are tried on. Common words ("den", "et",
# "første") are heads only together with the word that makes them temporal.
_UNITS = ("dag", "dage", "hverdag", "hverdage", "arbejdsdag", "arbejdsdage",
          "uge", "uger", "måned", "måneder", "år")
_RELATIVE_WORDS = ("næste", "kommende", "førstkommende", "efterfølgende", "senere", "snarlige",
                   "følgende", "denne", "dette", "indeværende", "sidste", "forrige", "nuværende")
_HEAD_WORDS: tuple[str, ...] = (
    *_MONTHS, *_WEEKDAYS, *(f"{w}s" for w in _WEEKDAYS), *_SEASONS, *_HOLIDAYS, *_MODIFIERS, *_ASAP,
    "det nye",
    *(f"{n} {u}" for n in _NUMBER_WORDS for u in _UNITS),
    "et halvt år", "en halv måned", "halvandet år", "halvanden måned",
    *(f"{o} {k}" for o in _ORDINALS for k in ("kvartal", "halvår", "halvdel")),
    "uge", "ugen", "ugens", "ugerne", "måneden", "månedens", "år", "året", "årets",
    "kvartalet", "kvartalets", "halvåret", "halvårets",
    "løbende", "morgen", "overmorgen", "går",
)
# A year that starts a range or a compound ("2018-2021", "2024-27") is never a date: not even
# looking further saves the pattern much work on the many such years in minutes.
_RANGE_AFTER = rf"{SO}[-–/]{SO}(?:[0-9]{{4}}|[0-9]{{2}})(?![0-9]|[-–/][0-9])"
# "næste", "denne", "kommende" …: common words, the start of an expression only before what one of
# them can be about (a meeting, a weekday, a number of days, a unit). "denne sag" is no head.
_RELATIVE_NEXT = (
    "(?="
    + "|".join((
        rf"(?:[^\W\d_]+e{SP})?(?:[^\W\d_]+-)?[^\W\d_]*(?:møde|forum)",
        rf"{_WEEKDAY}{NW}",
        r"[0-9]",
        rf"{_trie(_NUMBER_WORDS)}{NW}",
        rf"(?:et{SP}halvt|en{SP}halv|halvanden|halvandet){NW}",
        rf"(?:uge|måned|år|kvartal|halvår){NW}",
    ))
    + ")"
)
# As alternatives that each start with a letter, so that the engine skips them on the first letter.
_RELATIVE_HEADS = _trie_alternatives(
    (*_RELATIVE_WORDS, *(f"{article} {w}" for article in ("den", "det", "et", "de") for w in _RELATIVE_WORDS)),
    suffix=SP + _RELATIVE_NEXT,
)
# The first words of every expression, checked before the expression patterns are tried.
_HEAD_ALTERNATIVES = (
    # a day or month number, not an amount ("1.500", "12,8 mio."), a percentage or the
    # number of a recommendation ("1. at planen godkendes")
    rf"[0-9][0-9]?(?![0-9]|,[0-9]|\.[0-9]{{3}}|{SO}(?:%|pct|procent|kr|mio|mia){NW}|\.{SO}at{NW})",
    rf"[0-9][0-9][0-9]{SP}{_trie(_UNITS)}{NW}",
    r"['’´][0-9]",
    r"q[1-4]",
    r"d\.",
    rf"den{SO}[0-9]",
    *_RELATIVE_HEADS,
    *_trie_alternatives(_HEAD_WORDS, suffix=NW),
)
# A year heads an expression after a preposition ("i 2025", "inden 2023"); without one only as
# the start of an ISO date: "Budget 2023" and "2022." are names and references, and minutes are
# full of them.
_YEAR_HEADS = (rf"(?:19|20)[0-9][0-9](?![0-9]|{_RANGE_AFTER})",)
_ISO_YEAR_HEADS = (r"(?:19|20)[0-9][0-9](?=-[0-9][0-9]-[0-9][0-9](?![0-9]))",)
_HEAD = "(?=" + "|".join(_HEAD_ALTERNATIVES + _YEAR_HEADS) + ")"
_HEAD_WITHOUT_PREPOSITION = "(?=" + "|".join(_HEAD_ALTERNATIVES + _ISO_YEAR_HEADS) + ")"

# Where a match may begin: after a blank, a bracket or a quote (never after a
# hyphen or slash, which would find "9.55" in "9.30-9.55"). Starting the
# pattern with a character class lets the regex engine skip the insides of
# words in C; the text is given a leading space so its first word is also
# preceded by one.
_START = "[ \t\n\xa0\f(\\[{\"'«»“”„*|]"

# The preposition is not a named group: a group in front of the trie would
# stop the engine rejecting each alternative on its first character. Its text
# is what lies between the start of the match and the expression.
_PREPOSITION = "(?:" + "|".join(_trie_alternatives(_PREPOSITIONS, suffix=SP)) + ")"



def _first_letters(*word_lists: Iterable[str], digits: bool = False) -> str:
    """A character class body of the letters the given words begin with."""
    letters = sorted({word[0] for words in word_lists for word in words})
    return ("0-9" if digits else "") + "".join(re.escape(ch) for ch in letters)


_ARTICLES = ("den", "det", "et", "de", "d.")
_HALVES = ("et halvt år", "en halv måned", "halvandet år", "halvanden måned")
_MEETING_LEADS = ("næste", "kommende", "førstkommende", "efterfølgende", "senere", "snarlige")

# Each expression is guarded by the letters it can begin with: an alternative
# that starts with a named group is otherwise entered and tried in full at
# every head word. (A period can begin with almost anything: no guard.)
_CORES: tuple[tuple[str, str], ...] = (
    (_first_letters(_WEEKDAYS, _ARTICLES, digits=True), _CORE_DATE),
    (_first_letters(_ARTICLES, _MEETING_LEADS), _CORE_MEETING),
    (_first_letters(_ARTICLES), _CORE_DAY_ONLY),
    (_first_letters(_ARTICLES, digits=True), _CORE_NUM_SHORT),
    (_first_letters(_ARTICLES, _RELATIVE_WORDS, _NUMBER_WORDS, _HALVES, digits=True), _CORE_OFFSET),
    (_first_letters(_HOLIDAYS), _CORE_HOLIDAY),
    (_first_letters(_WEEKDAYS, _MEETING_LEADS), _CORE_WEEKDAY),
    (_first_letters(_WEEKDAYS), _CORE_PAST_WEEKDAY),
    (_first_letters(("morgen", "overmorgen", "går")), _CORE_DAY_WORD),
    ("", _PERIOD),
    (_first_letters(_ASAP), _CORE_ASAP),
    ("l", _CORE_ONGOING),
)

_CORE_ALTERNATIVES = "(?:" + "|".join(f"(?=[{first}]){core}" if first else core for first, core in _CORES) + ")"
# A preposition and the head of what it governs, or (if that fails, as an empty preposition would)
# the head alone.
_PATTERN = re.compile(_START + f"(?:{_PREPOSITION}{_HEAD}|{_HEAD_WITHOUT_PREPOSITION})" + _CORE_ALTERNATIVES)

_WS = re.compile(r"\s+")
_YEAR_BEFORE = re.compile(rf"(?<![0-9]){_Y4}{SP}$")
# Before "løbende": words that make it an adverb ("vil løbende blive", "følges løbende").
_ONGOING_BEFORE = frozenset({
    "skal", "vil", "kan", "bør", "må", "blive", "bliver", "blevet", "være", "er", "sker",
    "ske", "også", "fortsat", "fremover",
})
# After "løbende": words that make it an adverb ("løbende blive fremlagt", "løbende følge op").
_ONGOING_AFTER = frozenset({
    "blive", "bliver", "følge", "følges", "orientere", "orienteres", "opdatere", "opdateres",
    "evaluere", "evalueres", "justere", "justeres", "vurdere", "vurderes", "informere",
    "informeres", "rapportere", "afrapportere", "drøfte", "drøftes", "sikre", "tage",
    "tilpasse", "tilpasses", "inddrage", "inddrages", "med", "i", "om", "på", "til",
})

# --------------------------------------------------------------------------
# Calendar arithmetic
# --------------------------------------------------------------------------

_Window = tuple[date, date]


def _month_end(year: int, month: int) -> date:
    return date(year, month, calendar.monthrange(year, month)[1])


def _month_window(year: int, month: int) -> _Window:
    return date(year, month, 1), _month_end(year, month)


def _add_months(d: date, months: int) -> date:
    y, m = divmod(d.month - 1 + months, 12)
    year, month = d.year + y, m + 1
    return date(year, month, min(d.day, calendar.monthrange(year, month)[1]))


def _working_week(d: date) -> _Window:
    monday = d - timedelta(days=d.weekday())
    return monday, monday + timedelta(days=4)


def _iso_week(year: int, week: int) -> _Window | None:
    try:
        return date.fromisocalendar(year, week, 1), date.fromisocalendar(year, week, 5)
    except ValueError:
        return None


def _quarter_window(year: int, quarter: int) -> _Window:
    return date(year, 3 * quarter - 2, 1), _month_end(year, 3 * quarter)


def _season_window(year: int, months: tuple[int, int]) -> _Window:
    first, last = months
    if first <= last:
        return date(year, first, 1), _month_end(year, last)
    return date(year, first, 1), _month_end(year + 1, last)


def easter_sunday(year: int) -> date:
    """Gregorian Easter Sunday (the anonymous Gregorian algorithm)."""
    a = year % 19
    b, c = divmod(year, 100)
    d, e = divmod(b, 4)
    f = (b + 8) // 25
    g = (b - f + 1) // 3
    h = (19 * a + b - d - g + 15) % 30
    i, k = divmod(c, 4)
    l = (32 + 2 * e + 2 * i - h - k) % 7  # noqa: E741 - the algorithm's own name
    m = (a + 11 * h + 22 * l) // 451
    month, day = divmod(h + l - 7 * m + 114, 31)
    return date(year, month, day + 1)


def _unit_containing(d: date, precision: str) -> _Window:
    """The calendar unit of the given precision that contains d."""
    if precision == Precision.WEEK:
        return _working_week(d)
    if precision == Precision.QUARTER:
        return _quarter_window(d.year, (d.month - 1) // 3 + 1)
    if precision == Precision.SEASON:
        for months in ((3, 5), (6, 8), (9, 11)):
            if months[0] <= d.month <= months[1]:
                return _season_window(d.year, months)
        return _season_window(d.year if d.month == 12 else d.year - 1, (12, 2))
    if precision == Precision.YEAR:
        return date(d.year, 1, 1), date(d.year, 12, 31)
    if precision in (Precision.MONTH, Precision.MONTH_PART):
        return _month_window(d.year, d.month)
    return d, d


def _pick_year(
    window_for: Callable[[int], _Window | None], meeting: date, forward: bool, years: int = 2
) -> _Window | None:
    """The occurrence of a yearless expression meant as of the meeting date.

    1. the first occurrence that has not ended before the meeting;
    2. unless it has not begun either, the phrase is not forward-looking and
       the previous occurrence ended at most LOOKBACK_DAYS ago: then that one
       (a past reference).
    """
    previous: _Window | None = None
    for year in range(meeting.year - 1, meeting.year + years):
        window = window_for(year)
        if window is None:
            continue
        if window[1] < meeting:
            previous = window
            continue
        recent = previous is not None and (meeting - previous[1]).days <= LOOKBACK_DAYS
        if recent and not forward and window[0] > meeting:
            return previous
        return window
    return previous


def _safe_date(year: int, month: int, day: int) -> date | None:
    try:
        return date(year, month, day)
    except ValueError:
        return None


# --------------------------------------------------------------------------
# Resolving one match
# --------------------------------------------------------------------------


@dataclass(slots=True)
class _Resolved:
    window: _Window | None
    precision: str
    warnings: tuple[str, ...] = ()
    kind: str = Kind.CALENDAR
    # A preposition consumed by the pattern but meaningless for this expression
    # ("efter 1. maj") is left out of the span.
    keep_prep: bool = True


class _Context:
    """What every resolver needs about one match."""

    __slots__ = ("m", "meeting", "prep", "prep_start", "role", "text")

    def __init__(self, m: re.Match[str], kind: str, meeting: date, text: str, lowered: str) -> None:
        self.m = m
        self.meeting = meeting
        self.text = text  # original (not lowercased) text, with the leading space
        self.prep_start = m.start() + 1  # after the separator the match starts with
        prep = lowered[self.prep_start:m.start(kind)]
        self.prep = " ".join(prep.split()) if prep else None
        self.role = _PREPOSITIONS[self.prep] if self.prep else None
        if self.role is _Role.COMPARISON:
            # consumed so that it cannot govern what follows, but governs nothing itself
            self.prep = self.role = None

    def g(self, name: str) -> str | None:
        """An optional group."""
        return self.m.group(name)

    def t(self, name: str) -> str:
        """A group the matched branch of the pattern always fills."""
        value = self.m.group(name)
        if value is None:
            raise LookupError(f"group {name!r} did not match")  # pattern and resolver disagree: a bug
        return value

    def allowed(self, roles: frozenset[_Role]) -> bool:
        return self.role in roles

    @property
    def forward(self) -> bool:
        return self.role in _FORWARD_ROLES


def _year(two_or_four: str) -> int:
    y = int(two_or_four)
    return 2000 + y if y < 100 else y


def _weekday_warning(d: date, weekday: str | None) -> tuple[str, ...]:
    if weekday and _WEEKDAYS[weekday] != d.weekday():
        return (WEEKDAY_MISMATCH,)
    return ()


def _resolve_date(c: _Context) -> _Resolved | None:
    g, t = c.m.group, c.t
    forward = c.allowed(_DATE_ROLES) and c.forward
    window: _Window | None
    if g("iso_y"):
        window = _single(_safe_date(int(t("iso_y")), int(t("iso_m")), int(t("iso_d"))))
    elif g("n_d"):
        window = _single(_safe_date(_year(t("n_y")), int(t("n_m")), int(t("n_d"))))
    elif g("s_d"):
        window = _single(_safe_date(int(t("s_y")), int(t("s_m")), int(t("s_d"))))
    elif g("t_d"):
        day, month = int(t("t_d")), _MONTHS[t("t_m")]
        if g("t_y"):
            window = _single(_safe_date(int(t("t_y")), month, day))
        else:
            window = _pick_year(lambda y: _single(_safe_date(y, month, day)), c.meeting, forward, years=3)
    else:  # a range of days: "7. og 8. april 2022"
        d1, d2 = int(t("r_d1")), int(t("r_d2"))
        m2 = _MONTHS[t("r_m2")]
        m1 = _MONTHS[t("r_m1")] if g("r_m1") else m2
        y1 = int(t("r_y1")) if g("r_y1") else None

        def days(year2: int) -> _Window | None:
            year1 = y1 if y1 is not None else (year2 if (m1, d1) <= (m2, d2) else year2 - 1)
            start, end = _safe_date(year1, m1, d1), _safe_date(year2, m2, d2)
            return None if start is None or end is None or start > end else (start, end)

        window = days(int(t("r_y2"))) if g("r_y2") else _pick_year(days, c.meeting, forward, years=3)
    if window is None:
        return None
    return _Resolved(window, Precision.DAY, _weekday_warning(window[0], g("wd")), keep_prep=c.allowed(_DATE_ROLES))


def _single(d: date | None) -> _Window | None:
    return None if d is None else (d, d)


def _resolve_day_only(c: _Context) -> _Resolved | None:
    if not c.allowed(_DATE_ROLES):
        return None
    day = int(c.t("do_d"))
    if not 1 <= day <= 31:
        return None
    d = c.meeting
    for _ in range(13):  # the next month that has this day
        candidate = _safe_date(d.year, d.month, day)
        if candidate is not None and candidate >= c.meeting:
            return _Resolved((candidate, candidate), Precision.DAY)
        d = _add_months(d.replace(day=1), 1)
    return None


def _resolve_num_short(c: _Context) -> _Resolved | None:
    # "i 3.2." is a section reference; "inden 1/6", "pr. 1/6", "den 1.6." are dates.
    governed = c.role in (_Role.BY, _Role.BEFORE) or c.prep in ("pr.", "per", "på")
    if not (c.g("ns_den") or governed):
        return None
    day, month = int(c.t("ns_d")), int(c.g("ns_m") or c.t("ns_m2"))
    if not (1 <= month <= 12 and 1 <= day <= 31):
        return None
    window = _pick_year(lambda y: _single(_safe_date(y, month, day)), c.meeting, c.forward, years=3)
    if window is None:
        return None
    return _Resolved(window, Precision.DAY, keep_prep=governed)


def _resolve_weekday(c: _Context) -> _Resolved | None:
    g, t = c.g, c.t
    target = _WEEKDAYS[t("wk")]
    with_prep = c.prep in _WEEKDAY_PREPOSITIONS
    if not (with_prep or g("wk_rel") or g("wk_week")):
        return None  # "om fredagen", "fredag" in a list: not a date
    week = g("wk_week")
    if week:
        monday = c.meeting - timedelta(days=c.meeting.weekday())
        if week.startswith("næste") or "kommende" in week:
            monday += timedelta(days=7)
        d = monday + timedelta(days=target)
    else:
        # The next such weekday strictly after the meeting ("senest fredag" said on a Friday is a week on).
        d = c.meeting + timedelta(days=(target - c.meeting.weekday() - 1) % 7 + 1)
    return _Resolved((d, d), Precision.DAY, keep_prep=with_prep)


def _resolve_past_weekday(c: _Context) -> _Resolved | None:
    if c.prep != "i":
        return None
    target = _WEEKDAYS[c.t("pw")]
    d = c.meeting - timedelta(days=(c.meeting.weekday() - target - 1) % 7 + 1)
    return _Resolved((d, d), Precision.DAY)


def _resolve_day_word(c: _Context) -> _Resolved | None:
    if c.prep != "i":
        return None
    offset = {"morgen": 1, "overmorgen": 2, "går": -1}[c.t("dw")]
    d = c.meeting + timedelta(days=offset)
    return _Resolved((d, d), Precision.DAY)


def _add_working_days(d: date, n: int) -> date:
    weeks, rest = divmod(n, 5)
    d += timedelta(weeks=weeks)
    while rest:
        d += timedelta(days=1)
        if d.weekday() < 5:
            rest -= 1
    return d


# (days, months) of the durations said with "halv"
_HALF_DURATIONS: dict[str, tuple[int, int]] = {
    "et halvt år": (0, 6), "halvandet år": (0, 18), "en halv måned": (15, 0), "halvanden måned": (45, 0),
}


def _resolve_offset(c: _Context) -> _Resolved | None:
    if c.role not in (_Role.OFFSET, _Role.BEFORE, _Role.DURING) and c.prep != "efter":
        return None  # "de næste 12 år", "i en uge": a span, not a point in time
    meeting = c.meeting
    # "om to uger", "efter et år" are about then; "inden for to uger" is a deadline
    approximate = c.prep in ("om", "efter")
    if c.g("o_half"):
        days, months = _HALF_DURATIONS[_WS.sub(" ", c.t("o_half"))]
        target = _add_months(meeting, months) + timedelta(days=days)
        unit = "måned" if months else "dag"
    else:
        raw = _WS.sub(" ", c.t("o_n"))
        n = int(raw) if raw.isdigit() else _NUMBER_WORDS[raw]
        unit = c.t("o_u")
        if unit.startswith("dag"):
            target = meeting + timedelta(days=n)
        elif unit.startswith(("hverdag", "arbejdsdag")):
            target = _add_working_days(meeting, n)
        elif unit.startswith("uge"):
            target = meeting + timedelta(weeks=n)
        elif unit.startswith("måned"):
            target = _add_months(meeting, n)
        else:
            target = _add_months(meeting, 12 * n)
    if approximate and unit.startswith("uge"):
        return _Resolved(_working_week(target), Precision.WEEK, kind=Kind.OFFSET)
    if approximate and unit.startswith(("måned", "år")):
        # "om en måned": about that day, not the whole calendar month it falls in
        return _Resolved((target, target), Precision.RELATIVE, kind=Kind.OFFSET)
    return _Resolved((target, target), Precision.DAY, kind=Kind.OFFSET)


def _holiday_window(holiday: str, year: int, role: _Role, soon: bool) -> _Window:
    """Window of a phrase about a holiday in the given year (see the module docstring)."""
    before = role in (_Role.BEFORE, _Role.BY)
    after = role in (_Role.AFTER, _Role.AFTER_SOON)
    if holiday == "summer":
        if before:
            return date(year, 6, 1), date(year, 6, 30)
        if after:
            return date(year, 8, 1), date(year, 8, 15 if soon else 31)
        return date(year, 7, 1), date(year, 7, 31)
    if holiday in ("autumn", "winter"):
        week = 42 if holiday == "autumn" else 7
        if before:
            return _working_week(date.fromisocalendar(year, week - 1, 1))
        if after:
            start = date.fromisocalendar(year, week + 1, 1)
            return start, start + timedelta(days=4 if soon else 11)
        return _working_week(date.fromisocalendar(year, week, 1))
    if holiday in ("easter", "easter_holiday", "whitsun"):
        sunday = easter_sunday(year) + timedelta(days=49 if holiday == "whitsun" else 0)
        if before:
            # the last working day before it: Wednesday before Maundy Thursday, the Friday
            # before the school holiday, the Friday before Whitsun
            last = sunday - timedelta(days={"easter": 4, "easter_holiday": 9, "whitsun": 2}[holiday])
            return last - timedelta(days=6), last
        if after:
            return sunday + timedelta(days=2), sunday + timedelta(days=8 if soon else 15)
        return sunday - timedelta(days=3 if holiday != "whitsun" else 0), sunday + timedelta(days=1)
    if holiday in ("christmas", "christmas_holiday"):
        if before:
            return date(year, 12, 1), date(year, 12, 23 if holiday == "christmas" else 20)
        if after:
            return date(year + 1, 1, 2), date(year + 1, 1, 15 if soon else 31)
        return date(year, 12, 24 if holiday == "christmas" else 21), date(year, 12, 31)
    # new year
    if before:
        return date(year, 12, 31), date(year, 12, 31)
    if after:
        return date(year + 1, 1, 2), date(year + 1, 1, 15 if soon else 31)
    return date(year, 12, 15), date(year + 1, 1, 15)


def _resolve_holiday(c: _Context) -> _Resolved | None:
    role = c.role
    year = c.g("hol_y")
    if role is None and not year:
        return None  # "jul" on its own is not a deadline
    role = role or _Role.IN
    if role is _Role.OFFSET:
        return None  # "om jul"
    holiday = _HOLIDAYS[c.t("hol")]

    def window_for(y: int) -> _Window:
        return _holiday_window(holiday, y, role, soon=role is _Role.AFTER_SOON)

    window: _Window | None
    if year:
        window = window_for(int(year))
    else:
        window = _pick_year(window_for, c.meeting, forward=role is not _Role.IN)
    if window is None:
        return None
    return _Resolved(window, Precision.RELATIVE, kind=Kind.HOLIDAY)


def _part_window(window: _Window, precision: str, part: str) -> tuple[_Window, str]:
    """The first, middle or last part of a period, or its end (see the module docstring)."""
    start, end = window
    if part == _PART_END:
        if precision == Precision.WEEK:
            return window, Precision.WEEK
        return (end, end), Precision.DAY
    if precision == Precision.MONTH and start.month == end.month:
        if part == _PART_FIRST:
            return (start, start.replace(day=10)), Precision.MONTH_PART
        if part == _PART_MIDDLE:
            return (start.replace(day=11), start.replace(day=20)), Precision.MONTH_PART
        return (start.replace(day=21), end), Precision.MONTH_PART
    if precision == Precision.YEAR and (start.month, start.day, end.month, end.day) == (1, 1, 12, 31):
        year = start.year
        if part == _PART_FIRST:
            return (start, _month_end(year, 2)), Precision.YEAR
        if part == _PART_MIDDLE:
            return (date(year, 6, 1), date(year, 7, 31)), Precision.YEAR
        return (date(year, 11, 1), end), Precision.YEAR
    # weeks, quarters, seasons: thirds of the window
    days = (end - start).days + 1
    third = max(days // 3, 1)
    if part == _PART_FIRST:
        return (start, start + timedelta(days=third - 1)), precision
    if part == _PART_MIDDLE:
        return (start + timedelta(days=third), end - timedelta(days=third)), precision
    return (end - timedelta(days=third - 1), end), precision


def _is_name(c: _Context, group: str) -> bool:
    """A capitalised month after a preposition is a person ("til Jan", "med August");
    a month in capitals ("I MAJ") is a heading."""
    word = c.text[c.m.start(group):c.m.end(group)]
    return word[0].isupper() and not word.isupper()


def _preceded_by_plural_article(c: _Context) -> bool:
    # "de kommende år" is a span of years, not next year
    before = c.text[max(0, c.m.start("rel") - 12):c.m.start("rel")].split()
    return bool(before) and before[-1].lower() == "de"


def _resolve_period(c: _Context) -> _Resolved | None:
    g, t = c.m.group, c.t
    meeting = c.meeting
    mod = g("mod")
    part = _MODIFIERS[" ".join(mod.split())] if mod else None
    role = c.role if c.allowed(_PERIOD_ROLES) else None
    forward = role in _FORWARD_ROLES
    explicit_year = True
    window: _Window | None
    precision: str

    if g("wk_n"):
        n1 = int(t("wk_n"))
        n2 = int(t("wk_n2")) if g("wk_n2") else n1
        if not (1 <= n1 <= n2 <= 53):
            return None

        def weeks(y: int) -> _Window | None:
            first, last = _iso_week(y, n1), _iso_week(y, n2)
            return None if first is None or last is None else (first[0], last[1])

        if g("wk_y"):
            window = weeks(int(t("wk_y")))
        else:
            explicit_year = False
            window = _pick_year(weeks, meeting, forward)
        precision = Precision.WEEK
    elif g("q_k") or g("q_q") or g("q_half"):
        kind = "halvår" if g("q_half") else g("q_k") or "kvartal"
        if g("q_q"):
            n = int(t("q_q"))
        elif g("q_n"):
            n = int(t("q_n"))
        elif g("q_w") == "sidste":
            n = 4 if kind == "kvartal" else 2
        else:
            n = _ORDINALS[t("q_w")]
        year = g("q_y") or g("q_qy") or g("q_hy")
        if kind == "halvår":
            if n > 2:
                return None

            def span(y: int) -> _Window:
                return (date(y, 1, 1), date(y, 6, 30)) if n == 1 else (date(y, 7, 1), date(y, 12, 31))

            precision = Precision.YEAR
        else:

            def span(y: int) -> _Window:
                return _quarter_window(y, n)

            precision = Precision.QUARTER
        if year:
            window = span(int(year))
        else:
            explicit_year = False
            window = _pick_year(span, meeting, forward)
    elif g("rel"):
        rel, unit = t("rel"), t("rel_u")
        if rel in ("næste", "kommende") and _preceded_by_plural_article(c):
            return None
        step = {"næste": 1, "kommende": 1, "sidste": -1, "forrige": -1}.get(rel, 0)
        window, precision = _relative_unit(meeting, unit, step)
    elif g("cur_end") or g("cur"):
        word = g("cur_end") or t("cur")
        if g("cur") == "år":
            if c.prep != "i" or mod:
                return None  # "10 år", "hvert år"
        elif not (g("cur_end") or g("cur_out") or mod or role is _Role.DURING or c.prep in ("hen over", "henover")):
            return None  # "ugen" on its own is not a deadline
        unit = {"ug": "uge", "må": "måned", "år": "år", "kv": "kvartal", "ha": "halvår"}[word[:2]]
        window, precision = _relative_unit(meeting, unit, 0)
        if g("cur_end") or g("cur_out"):
            part = _PART_END
    elif g("season"):
        months = _SEASONS[t("season")]
        if g("season_y"):
            window = _season_window(int(t("season_y")), months)
        else:
            if role is None and not mod:
                return None  # "sommer" on its own
            explicit_year = False
            window = _pick_year(lambda y: _season_window(y, months), meeting, forward)
        precision = Precision.SEASON
    elif g("m1"):
        m1 = _MONTHS[t("m1")]
        m2 = _MONTHS[t("m2")] if g("m2") else m1
        if not g("m_y"):
            if role is None and not mod:
                return None  # a bare month name is not a deadline
            if _is_name(c, "m1") or (g("m1") in _MONTH_ABBREVIATIONS and not mod):
                return None  # "til Jan", "med August"

        def month_span(y: int) -> _Window:
            end_year = y if m2 >= m1 else y + 1
            return date(y, m1, 1), _month_end(end_year, m2)

        if g("m_y"):
            y = int(t("m_y"))
            window = month_span(y if m2 >= m1 else y - 1)  # "december/januar 2024": December 2023
        else:
            explicit_year = False
            window = _pick_year(month_span, meeting, forward)
        precision = Precision.MONTH
    else:
        year_text = g("year") or t("year2")
        if not mod and c.prep not in _YEAR_PREPOSITIONS:
            return None  # "Budget 2023", "fra 2025": a name or a start, not a deadline
        if not mod and _YEAR_BEFORE.search(c.text, max(0, c.prep_start - 8), c.prep_start):
            return None  # "for 2022 til 2034": the end of a range of years
        whole = _year(year_text)
        window = (date(whole, 1, 1), date(whole, 12, 31))
        precision = Precision.YEAR

    if window is None:
        return None
    if part:
        window, precision = _part_window(window, precision, part)
    elif role is _Role.BEFORE:
        before = _unit_containing(window[0] - timedelta(days=1), precision)
        if not explicit_year and before[1] < meeting:
            return None
        window = before
    if role is _Role.DURING and window[0] <= meeting <= window[1]:
        window = (meeting, window[1])
    return _Resolved(window, precision, keep_prep=role is not None)


def _relative_unit(meeting: date, unit: str, step: int) -> tuple[_Window, str]:
    """This/next/last week, month, quarter, half-year or year as of the meeting."""
    if unit == "uge":
        monday = meeting - timedelta(days=meeting.weekday()) + timedelta(weeks=step)
        return (monday, monday + timedelta(days=4)), Precision.WEEK
    if unit == "måned":
        first = _add_months(meeting.replace(day=1), step)
        return _month_window(first.year, first.month), Precision.MONTH
    if unit == "kvartal":
        first = _add_months(date(meeting.year, 3 * ((meeting.month - 1) // 3) + 1, 1), 3 * step)
        return _quarter_window(first.year, (first.month - 1) // 3 + 1), Precision.QUARTER
    if unit == "halvår":
        first = _add_months(date(meeting.year, 1 if meeting.month <= 6 else 7, 1), 6 * step)
        return (first, _month_end(first.year, first.month + 5)), Precision.YEAR
    year = meeting.year + step
    return (date(year, 1, 1), date(year, 12, 31)), Precision.YEAR


def _resolve_meeting(c: _Context) -> _Resolved:
    return _Resolved(None, Precision.RELATIVE, kind=Kind.NEXT_MEETING, keep_prep=c.role is not None)


def _resolve_asap(c: _Context) -> _Resolved:
    return _Resolved(None, Precision.RELATIVE, kind=Kind.ASAP, keep_prep=False)


def _resolve_ongoing(c: _Context) -> _Resolved | None:
    # "løbende" is a deadline-ish adverb ("vil løbende blive fremlagt", "følges løbende"),
    # not the adjective ("det løbende arbejde", "tæt, løbende dialog").
    s, e = c.m.start("ongoing"), c.m.end("ongoing")
    before = c.text[max(0, s - 30):s]
    after = c.text[e:e + 30]
    previous = before.split()[-1].lower() if before.split() else ""
    following = after.split()[0].lower() if after.split() else ""
    adverb = (
        previous in _ONGOING_BEFORE
        or (previous.endswith("es") and len(previous) > 3)  # passive verb: "følges", "opdateres"
        or following.rstrip(".,;:") in _ONGOING_AFTER
        or not following
        or after.lstrip(" \t")[:1] in (".", ",", ";", ":", "\n", ")", "|")  # "| løbende |": a cell of its own
    )
    if previous.endswith(",") or not adverb:
        return None
    return _Resolved(None, Precision.RELATIVE, kind=Kind.ONGOING, keep_prep=False)


_RESOLVERS: dict[str, Callable[[_Context], _Resolved | None]] = {
    "meet": _resolve_meeting,
    "date": _resolve_date,
    "dayonly": _resolve_day_only,
    "numshort": _resolve_num_short,
    "offset": _resolve_offset,
    "holiday": _resolve_holiday,
    "weekday": _resolve_weekday,
    "pastwd": _resolve_past_weekday,
    "dayword": _resolve_day_word,
    "period": _resolve_period,
    "asap": _resolve_asap,
    "ongoing": _resolve_ongoing,
}


def _bare_period(m: re.Match[str]) -> bool:
    """A period with no preposition before it that can only resolve to nothing (see _resolve_period)."""
    mod, year, year2, m1, m_y, season, season_y, cur, cur_out = m.group(*_BARE_PERIOD_GROUPS)
    if mod:
        return False
    if year or year2:
        return True  # "Budget 2023": a bare year needs a preposition
    if m1:
        return not m_y  # "maj" alone; "maj 2022" stays
    if season:
        return not season_y
    return cur is not None and not cur_out  # "ugen", "år"


_BARE_PERIOD_GROUPS = ("mod", "year", "year2", "m1", "m_y", "season", "season_y", "cur", "cur_out")


def lowercase_same_length(text: str) -> str:
    """The text in lower case as far as the patterns read it, with every offset unchanged.

    Only ASCII letters and the Danish capitals occur in what the patterns match,
    and lowering those through bytes is several times faster than str.lower()
    on non-ASCII text (which also lowers some characters to two).
    """
    lowered = text.encode("utf-8", "surrogatepass").lower().decode("utf-8", "surrogatepass")
    for capital, small in _DANISH_CAPITALS:
        if capital in lowered:
            lowered = lowered.replace(capital, small)
    return lowered


_DANISH_CAPITALS = (("Æ", "æ"), ("Ø", "ø"), ("Å", "å"), ("É", "é"), ("Ä", "ä"), ("Ö", "ö"), ("Ü", "ü"))


def find_deadlines(
    text: str, meeting_date: date, spans: Iterable[tuple[int, int]] | None = None
) -> list[Deadline]:
    """All temporal expressions in text, in order, non-overlapping (longest match wins).

    With ``spans`` (sorted, non-overlapping ``(start, end)`` offsets) only those
    parts of the text are read; offsets still point into the whole text.
    """
    if not text:
        return []
    padded = " " + text  # the pattern starts at a separator; give the first word one
    lowered = lowercase_same_length(padded)
    if spans is None:
        matches: Iterable[re.Match[str]] = _PATTERN.finditer(lowered)
    else:
        # In the padded text, offset ``start`` is the character before text[start]: the separator.
        matches = chain.from_iterable(_PATTERN.finditer(lowered, start, end + 1) for start, end in spans)
    found: list[Deadline] = []
    resolvers = _RESOLVERS
    for m in matches:
        kind = m.lastgroup
        resolver = resolvers.get(kind)  # type: ignore[arg-type]
        if resolver is None:
            continue
        if kind == "period" and m.start(kind) == m.start() + 1 and _bare_period(m):
            continue  # "2023", "maj", "sommer" with nothing that makes them a time to act by
        context = _Context(m, kind, meeting_date, padded, lowered)
        try:
            resolved = resolver(context)
        except (ValueError, OverflowError):
            # a date beyond what datetime can hold (a meeting near year 1 or 9999)
            continue
        if resolved is None:
            continue
        start = context.prep_start if (resolved.keep_prep and context.prep) else m.start(kind)
        window = resolved.window
        found.append(Deadline(
            start=start - 1,
            end=m.end() - 1,
            window_start=window[0] if window else None,
            window_end=window[1] if window else None,
            precision=resolved.precision,
            is_past=window is not None and window[1] < meeting_date,
            warnings=resolved.warnings,
            kind=resolved.kind,
        ))
    return found


# --------------------------------------------------------------------------
# Danish text for a window
# --------------------------------------------------------------------------


def format_date_da(d: date) -> str:
    """"12. maj 2022"."""
    return f"{d.day}. {_MONTH_NAMES_DA[d.month - 1]} {d.year}"


def _format_range_da(start: date, end: date) -> str:
    if start == end:
        return format_date_da(start)
    if (start.year, start.month) == (end.year, end.month):
        return f"{start.day}.–{format_date_da(end)}"
    if start.year == end.year:
        return f"{start.day}. {_MONTH_NAMES_DA[start.month - 1]} – {format_date_da(end)}"
    return f"{format_date_da(start)} – {format_date_da(end)}"


def is_month_start(d: date) -> bool:
    return d.day == 1


def is_month_end(d: date) -> bool:
    return d == _month_end(d.year, d.month)


def describe_window(window_start: date | None, window_end: date | None, precision: str) -> str:
    """A deadline in Danish, as precisely as it is known.

    "12. maj 2022", "i løbet af maj 2021", "primo september 2022", "uge 10, 2021",
    "2. kvartal 2021", "foråret 2024", "2024", "ca. 15. august 2021"; "uden dato"
    when there is no date.
    """
    if window_end is None or precision == Precision.NONE:
        return "uden dato"
    start = window_start or window_end
    end = window_end
    if precision == Precision.DAY:
        return _format_range_da(start, end)
    if precision == Precision.WEEK:
        year, week, _ = end.isocalendar()
        first_year, first_week, _ = start.isocalendar()
        if (first_year, first_week) != (year, week) and first_year == year:
            return f"uge {first_week}-{week}, {year}"
        return f"uge {week}, {year}"
    if precision == Precision.MONTH and is_month_end(end):
        if (start.year, start.month) == (end.year, end.month):
            return f"i løbet af {_MONTH_NAMES_DA[end.month - 1]} {end.year}"
        if is_month_start(start):
            first = _MONTH_NAMES_DA[start.month - 1] + ("" if start.year == end.year else f" {start.year}")
            return f"i løbet af {first}–{_MONTH_NAMES_DA[end.month - 1]} {end.year}"
    if precision == Precision.MONTH_PART and (start.year, start.month) == (end.year, end.month):
        month = f"{_MONTH_NAMES_DA[end.month - 1]} {end.year}"
        if start.day == 1 and end.day == 10:
            return f"primo {month}"
        if start.day == 11 and end.day == 20:
            return f"medio {month}"
        if start.day == 21 and is_month_end(end):
            return f"ultimo {month}"
    is_quarter = start.year == end.year and (start.month - 1) % 3 == 0 and end.month == start.month + 2
    if precision == Precision.QUARTER and is_quarter and is_month_start(start) and is_month_end(end):
        return f"{(start.month - 1) // 3 + 1}. kvartal {end.year}"
    if precision == Precision.SEASON and is_month_start(start) and is_month_end(end):
        name = _SEASON_NAMES_DA.get(start.month)
        if name and start.month != 12 and end.month == start.month + 2 and start.year == end.year:
            return f"{name} {end.year}"
        if name and start.month == 12 and end.month == 2 and end.year == start.year + 1:
            return f"{name} {start.year}/{str(end.year)[2:]}"
    if precision == Precision.YEAR and start.year == end.year and is_month_start(start) and is_month_end(end):
        span = (start.month, end.month)
        named = {(1, 12): "", (1, 6): "1. halvår ", (7, 12): "2. halvår ",
                 (1, 2): "primo ", (6, 7): "medio ", (11, 12): "ultimo "}
        if span in named:
            return f"{named[span]}{end.year}"
    if precision == Precision.RELATIVE:
        if is_month_start(start) and is_month_end(end) and (start.year, start.month) == (end.year, end.month):
            return f"omkring {_MONTH_NAMES_DA[end.month - 1]} {end.year}"
        return "ca. " + _format_range_da(start, end)
    # a window that is not a whole calendar unit (e.g. clipped at the meeting date)
    if start == end:
        return format_date_da(end)
    return f"senest {format_date_da(end)}"
