"""Search across all minutes: "what did we decide about …?"

A result is an agenda item, found by its title, decision, recommendation, the
rest of its text, or the title of a follow-up that came from it (a follow-up's
quote is a sentence of that text). On PostgreSQL the search is full-text in the
``danish`` configuration:

- every word is stemmed and matched as a prefix ("kommissorier" finds
  "kommissorium" and "kommissorierne", "sygefravær" finds
  "sygefraværsindsats"); Latin "-ium" words are cut to their plural stem first;
- "quoted words" must stand together, in that order; ``-word`` excludes;
- a case number (``00.01.00-P10-2-21``, ``22/23184``) is matched exactly
  against ``AgendaItem.case_number``, never through the text;
- results are ranked by title, decision and recommendation (in that order of
  weight); items that only mention the words elsewhere follow, newest first;
  snippets are highlighted with ``ts_headline``.

The agenda items' documents are stored generated columns, one with a GIN
index; the follow-ups' titles have an expression index (migration
0002_search_document): the expressions here must stay the ones those indexes
were built from.

Elsewhere (the local SQLite run) the search is a plain substring search, and
the page says so.

Access: results come from the user's forums only (``tracker.access``); a
closed ("Lukket") agenda item is never found, and neither are its follow-ups;
follow-ups are searched among ``access.visible_items(user)`` only, so members
never find a secretary's proposals.

User text never becomes SQL: it reaches the database as query parameters of
``to_tsquery``/``phraseto_tsquery``/``plainto_tsquery``, and the only text put
into ``to_tsquery``'s own syntax is a single run of letters and digits.
"""
from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from functools import cache, cached_property, reduce
from typing import Any, NamedTuple

from django.contrib.auth.models import AbstractBaseUser
from django.contrib.postgres.search import (
    SearchHeadline,
    SearchQuery,
    SearchRank,
    SearchVector,
    SearchVectorField,
)
from django.core.paginator import Page, Paginator
from django.db import connection
from django.db.models import (
    BooleanField,
    Exists,
    Expression,
    F,
    Func,
    OuterRef,
    Q,
    QuerySet,
    TextField,
    Value,
)
from django.db.models.expressions import Col
from django.db.models.functions import Coalesce, Substr
from django.db.models.sql import Query
from django.utils.html import conditional_escape
from django.utils.safestring import SafeString, mark_safe

from minutes.models import AgendaItem, Body, Meeting
from tracker import access
from tracker.models import ActionItem

CONFIG = "danish"
# Shorter words are matched whole: "ny:*" would match half the dictionary.
PREFIX_MIN_LENGTH = 3
# A query is bounded so that a pasted paragraph cannot become an expensive search.
MAX_TERMS = 12
# Marks put around matches by ts_headline (private-use characters, never in minutes);
# the text is escaped afterwards and only these become <mark>.
START_MARK = "\ue000"
STOP_MARK = "\ue001"
FRAGMENT_DELIMITER = " … "
# A decision or case text this short is shown whole, longer ones as fragments around the matches.
SHORT_TEXT = 320

Outcome = AgendaItem.Outcome
Status = ActionItem.Status

CASE_NUMBER_RE = re.compile(
    r"\d{2}\.\d{2}\.\d{2}-[A-ZÆØÅ]\d{2}-\d{1,3}-\d{2}"  # KLE journal number: 00.01.00-P10-2-21
    r"|\d{2}/\d{3,7}",  # ESDH case number: 22/23184
    re.IGNORECASE,
)
# Phrases in straight or typographic quotes (pasted from a document): "…", “…”, „…“.
_QUERY_TOKEN_RE = re.compile(r'(-?)["“”„]([^"“”„]*)["“”„]?|(\S+)')
_WORD_RE = re.compile(r"[^\W_]+")
_OPERATOR_WORDS = {"og", "and", "eller", "or"}


def is_full_text() -> bool:
    """Full-text search needs PostgreSQL; the local SQLite run searches substrings."""
    return connection.vendor == "postgresql"


# -- The query as typed ----------------------------------------------------------------------------


@dataclass(frozen=True)
class ParsedQuery:
    words: tuple[str, ...] = ()
    phrases: tuple[str, ...] = ()
    excluded: tuple[str, ...] = ()
    case_numbers: tuple[str, ...] = ()

    @property
    def has_text(self) -> bool:
        return bool(self.words or self.phrases)

    @property
    def is_empty(self) -> bool:
        return not (self.has_text or self.case_numbers)

    @property
    def terms(self) -> tuple[str, ...]:
        """The words to show as found, phrases split into their words."""
        return self.words + tuple(w for p in self.phrases for w in _WORD_RE.findall(p))


def parse_query(text: str) -> ParsedQuery:
    """Split what the user typed into words, "phrases", -exclusions and case numbers."""
    words: list[str] = []
    phrases: list[str] = []
    excluded: list[str] = []
    case_numbers: list[str] = []
    for match in _QUERY_TOKEN_RE.finditer(text or ""):
        negative, phrase, token = match.group(1), match.group(2), match.group(3)
        if phrase is not None:
            phrase = " ".join(_WORD_RE.findall(phrase))
            if phrase:
                (excluded if negative else phrases).append(phrase)
            continue
        stripped = token.strip(".,;:!?()[]'")
        case_number = CASE_NUMBER_RE.fullmatch(stripped)
        if case_number:
            case_numbers.append(stripped.upper())
            continue
        if token.startswith("-") and len(token) > 1:
            excluded.extend(_WORD_RE.findall(token))
            continue
        words.extend(w for w in _WORD_RE.findall(token) if w.lower() not in _OPERATOR_WORDS)
    return ParsedQuery(
        words=tuple(_unique(words))[:MAX_TERMS],
        phrases=tuple(_unique(phrases))[:MAX_TERMS],
        excluded=tuple(_unique(excluded))[:MAX_TERMS],
        case_numbers=tuple(_unique(case_numbers))[:MAX_TERMS],
    )


def _unique(values: Iterable[str]) -> list[str]:
    seen: set[str] = set()
    result = []
    for value in values:
        if value.casefold() not in seen:
            seen.add(value.casefold())
            result.append(value)
    return result


def _prefix_term(word: str) -> str:
    """Latin loan words change their ending in the plural (kommissorium → kommissorier,
    kriterium → kriterier), which the Danish stemmer does not join: search their common stem."""
    lower = word.lower()
    if len(lower) >= 7 and lower.endswith(("ium", "eum")):
        return lower[:-2]
    return lower


def tsquery(parsed: ParsedQuery) -> Expression | None:
    """The PostgreSQL tsquery for the words and phrases, or None when there is nothing to search for."""
    parts: list[Expression] = []
    for word in parsed.words:
        term = _prefix_term(word)
        if len(term) >= PREFIX_MIN_LENGTH:
            # ``term`` is letters and digits only, so it cannot carry tsquery operators.
            parts.append(SearchQuery(f"{term}:*", search_type="raw", config=CONFIG))
        else:
            parts.append(SearchQuery(term, config=CONFIG))
    for phrase in parsed.phrases:
        parts.append(SearchQuery(phrase, search_type="phrase", config=CONFIG))
    if not parts:
        return None
    for phrase in parsed.excluded:
        parts.append(~SearchQuery(phrase, search_type="phrase", config=CONFIG))
    return reduce(lambda a, b: a & b, parts)


def tsquery_is_empty(query: Expression) -> bool:
    """True when the query has nothing left after stemming: only stop words such as "og", "for", "at"."""
    sql_query = Query(AgendaItem)
    compiler = sql_query.get_compiler(connection=connection)
    sql, params = compiler.compile(query.resolve_expression(sql_query))
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT numnode({sql})", params)
        return cursor.fetchone()[0] == 0


# -- What is searched -------------------------------------------------------------------------------


@cache
def _stored_vector_column(name: str) -> SearchVectorField:
    """A field standing for a tsvector column that the model does not declare."""
    column = SearchVectorField()
    column.set_attributes_from_name(name)
    column.model = AgendaItem
    return column


class StoredVector(Expression):
    """One of the agenda items' stored tsvectors (migration 0002_search_document):

    ``search_document``, all of the item's text, is what a search matches;
    ``search_summary``, its title, decision and recommendation, is what results are ranked by.
    """

    def __init__(self, column: str) -> None:
        super().__init__()
        self.column = column

    def resolve_expression(self, query: Any = None, *args: Any, **kwargs: Any) -> Col:
        return Col(query.get_initial_alias(), _stored_vector_column(self.column))


def followup_document() -> Expression:
    """A follow-up's title; exactly the expression of ``minutes_search_followup_idx``.

    Its quote is a sentence of the minutes, so it is found through the agenda item's document.
    """
    return SearchVector("title", config=CONFIG)


# The decision's and the other sections' text, for snippets (the same paths as the document).
DECISION_PATH = '$.keyvalue() ? (@.key starts with "Beslutning").value'
OTHER_PATH = '$.keyvalue() ? (!(@.key starts with "Beslutning")).value'
DECISION = "Beslutning"


class SectionsText(Func):
    """The text of the sections a JSON path selects, paragraphs apart."""

    template = (
        "array_to_string(ARRAY(SELECT jsonb_array_elements_text("
        "jsonb_path_query_array(%(expressions)s, '%(path)s'::jsonpath, '{}'::jsonb, true))), E'\\n\\n')"
    )
    output_field = TextField()

    def __init__(self, expression: str, *, path: str) -> None:
        if "'" in path:
            raise ValueError("A JSON path for SectionsText is a constant without quotes.")
        super().__init__(expression, path=path)


def decision_text(sections: dict | None) -> str:
    """The "Beslutning" section(s) of an agenda item ("Beslutning Direktionen den 27-11-2023" too)."""
    return "\n\n".join(str(text) for name, text in (sections or {}).items() if name.startswith(DECISION)).strip()


def other_text(sections: dict | None) -> str:
    return "\n\n".join(str(text) for name, text in (sections or {}).items() if not name.startswith(DECISION)).strip()


# -- Criteria and matching --------------------------------------------------------------------------


@dataclass(frozen=True)
class Criteria:
    """A search: the query as typed plus the filters of the page."""

    query: ParsedQuery = field(default_factory=ParsedQuery)
    body_ids: tuple[int, ...] = ()
    date_from: dt.date | None = None
    date_to: dt.date | None = None
    outcomes: tuple[str, ...] = ()
    open_followups: bool = False
    case_number: str = ""
    # The decisions register lists a closed item by its number, never by its content:
    # only while nothing is searched for.
    list_closed: bool = False

    @property
    def searches_content(self) -> bool:
        return not self.query.is_empty or bool(self.case_number)

    @property
    def is_blank(self) -> bool:
        return not (self.searches_content or self.body_ids or self.date_from or self.date_to or self.outcomes
                    or self.open_followups)


class Sort:
    RELEVANCE = "relevans"
    NEWEST = "nyeste"
    OLDEST = "aeldste"
    CHOICES = (RELEVANCE, NEWEST, OLDEST)


def _text_match(user: AbstractBaseUser, parsed: ParsedQuery) -> Q | None:
    """Agenda items whose own text matches, or one of whose follow-ups (that the user may see) does."""
    followups = access.visible_items(user).order_by()
    if is_full_text():
        query = tsquery(parsed)
        if query is None:
            return None
        # Two index scans joined by UNION: "document matches OR a follow-up matches" as one
        # condition would make PostgreSQL read every agenda item.
        own = (
            AgendaItem.objects.filter(meeting__body__in=access.visible_bodies(user))
            .alias(document=StoredVector("search_document")).filter(document=query).order_by().values("pk")
        )
        through_followups = (
            followups.alias(document=followup_document()).filter(document=query).values("source_item_id")
        )
        return Q(pk__in=own.union(through_followups))
    # SQLite: every word or phrase must occur (as typed, any case) in the title, the item's
    # text in the minutes or a follow-up's title; excluded ones must not occur in the item.
    needles = parsed.words + parsed.phrases
    if not needles:
        return None
    condition = Q()
    for needle in needles:
        found = _substring_q(needle, "title") | _substring_q(needle, "item_text")
        followup_pks = followups.filter(_substring_q(needle, "title"))
        condition &= found | Q(pk__in=followup_pks.values("source_item_id"))
    for needle in parsed.excluded:
        condition &= ~(_substring_q(needle, "title") | _substring_q(needle, "item_text"))
    return condition


def _substring_q(needle: str, name: str) -> Q:
    # SQLite's LIKE folds ASCII letters only: try "økonomi", "Økonomi" and "ØKONOMI" too.
    q = Q()
    for variant in sorted({needle, needle.lower(), needle.capitalize(), needle.upper()}):
        q |= Q(**{f"{name}__icontains": variant})
    return q


def matching_items(*, user: AbstractBaseUser, criteria: Criteria) -> QuerySet[AgendaItem] | None:
    """The agenda items of the user's forums that fit the criteria except forum and outcome
    (the facets count those); None when the query cannot match anything."""
    items = AgendaItem.objects.filter(meeting__body__in=access.visible_bodies(user))
    if criteria.searches_content or not criteria.list_closed:
        items = items.filter(closed=False)
    if is_full_text():
        items = items.alias(document=StoredVector("search_document"))
    else:
        start = Coalesce(F("text_start"), Value(0)) + 1
        length = Coalesce(F("text_end"), Value(0)) - Coalesce(F("text_start"), Value(0))
        items = items.alias(item_text=Substr("meeting__text", start, length))
    if criteria.query.has_text:
        condition = _text_match(user, criteria.query)
        if condition is None:
            return None
        items = items.filter(condition)
    if criteria.query.case_numbers:
        items = items.filter(case_number__in=_case_variants(criteria.query.case_numbers))
    if criteria.case_number:
        items = items.filter(case_number__in=_case_variants([criteria.case_number.strip()]))
    if criteria.date_from:
        items = items.filter(meeting__date__gte=criteria.date_from)
    if criteria.date_to:
        items = items.filter(meeting__date__lte=criteria.date_to)
    if criteria.open_followups:
        open_items = access.visible_items(user).filter(source_item=OuterRef("pk"), status=Status.OPEN)
        items = items.filter(Exists(open_items))
    return items


def _case_variants(numbers: Iterable[str]) -> list[str]:
    """Case numbers as written in the minutes ("P10" in capitals), whatever case they were typed in."""
    return sorted({variant for n in numbers for variant in (n, n.upper(), n.lower())})


class _Matches(Func):
    """``document @@ query`` as a value: whether a row matched, for showing it."""

    template = "(%(expressions)s)"
    arg_joiner = " @@ "
    output_field = BooleanField()


class MatchRow(NamedTuple):
    """What counting, the facets, sorting and paging need of one matching agenda item."""

    pk: int
    body_id: int
    outcome: str
    date: dt.date
    body_name: str
    number: int
    rank: float


def match_rows(*, user: AbstractBaseUser, criteria: Criteria, sort: str) -> list[MatchRow] | None:
    """Every matching agenda item as a small row, in one query.

    The expensive part of a search is finding the matches; once they are known,
    the total, the forum and outcome counts, the order and the page are worked
    out from these rows instead of asking the database four more times. There
    are at most as many rows as agenda items the user may see.
    """
    items = matching_items(user=user, criteria=criteria)
    if items is None:
        return None
    rank: Expression = Value(0.0)
    if sort == Sort.RELEVANCE and criteria.query.has_text and is_full_text():
        # By title (A), decision (B) and recommendation (C): an item that is about the words
        # comes first; one that mentions them only in its case text or a follow-up ranks 0
        # and comes after, newest first. Normalised by length (1) and to 0..1 (32).
        rank = SearchRank(StoredVector("search_summary"), tsquery(criteria.query), normalization=Value(1 | 32))
    rows = items.order_by().values_list(
        "pk", "meeting__body_id", "outcome", "meeting__date", "meeting__body__name", "number", rank
    )
    return list(map(MatchRow._make, rows))


def sorted_rows(rows: list[MatchRow], sort: str) -> list[MatchRow]:
    """Best match first (then newest), newest first or oldest first; a meeting's items by forum and number."""
    if sort == Sort.OLDEST:
        return sorted(rows, key=lambda r: (r.date, r.body_name, r.number))
    if sort == Sort.RELEVANCE:
        return sorted(rows, key=lambda r: (-r.rank, -r.date.toordinal(), r.body_name, r.number))
    return sorted(rows, key=lambda r: (-r.date.toordinal(), r.body_name, r.number))


# -- Results ---------------------------------------------------------------------------------------


@dataclass
class FollowupHit:
    item: ActionItem
    title_html: SafeString
    matched: bool
    status_label: str


@dataclass
class Hit:
    agenda_item: AgendaItem
    title_html: SafeString
    decision_html: SafeString
    context_html: SafeString
    followups: list[FollowupHit]
    open_followups: int

    @property
    def meeting(self) -> Meeting:
        return self.agenda_item.meeting

    @cached_property
    def matched_followups(self) -> list[FollowupHit]:
        return [f for f in self.followups if f.matched]


@dataclass
class FacetValue:
    value: str
    label: str
    count: int
    chosen: bool


@dataclass
class Results:
    criteria: Criteria
    sort: str
    page: Page | None
    hits: list[Hit]
    bodies: list[FacetValue]
    outcomes: list[FacetValue]
    full_text: bool
    stop_words_only: bool = False

    @property
    def count(self) -> int:
        return self.page.paginator.count if self.page is not None else 0


def marked_html(text: str) -> SafeString:
    """Text with START_MARK/STOP_MARK pairs as escaped HTML with <mark> elements."""
    parts: list[str] = []
    open_mark = False
    for piece in re.split(f"([{START_MARK}{STOP_MARK}])", text or ""):
        if piece == START_MARK:
            if not open_mark:
                parts.append("<mark>")
                open_mark = True
        elif piece == STOP_MARK:
            if open_mark:
                parts.append("</mark>")
                open_mark = False
        else:
            parts.append(conditional_escape(piece))
    if open_mark:
        parts.append("</mark>")
    return mark_safe("".join(parts))


def _headline(expression: Expression | str, query: Expression, **options: object) -> Expression:
    return SearchHeadline(expression, query, config=CONFIG, start_sel=START_MARK, stop_sel=STOP_MARK, **options)


def _mark_words(text: str, needles: Sequence[str]) -> str:
    """SQLite: put marks around every occurrence of the needles (any case)."""
    if not text or not needles:
        return text
    pattern = re.compile("|".join(re.escape(n) for n in sorted(needles, key=len, reverse=True)), re.IGNORECASE)
    return pattern.sub(lambda m: f"{START_MARK}{m.group(0)}{STOP_MARK}", text)


def _mark_found(text: str, headline: str) -> str:
    """``text`` with marks around the words that ts_headline marked in ``headline``."""
    words = set(_marked_words(headline))
    if not words:
        return text
    pattern = re.compile(
        r"(?<!\w)(?:" + "|".join(re.escape(w) for w in sorted(words, key=len, reverse=True)) + r")(?!\w)"
    )
    return pattern.sub(lambda m: f"{START_MARK}{m.group(0)}{STOP_MARK}", text)


def _fragments(text: str, headline: str, *, whole: bool = False) -> str:
    """What to show of a text: all of it when short (or ``whole``), else ts_headline's fragments."""
    if not text:
        return ""
    if whole or len(text) <= SHORT_TEXT:
        return _mark_found(text, headline)
    plain = headline.replace(START_MARK, "").replace(STOP_MARK, "")
    pieces = plain.split(FRAGMENT_DELIMITER)
    if pieces and not text.lstrip().startswith(pieces[0].strip()):
        headline = "… " + headline
    if pieces and not text.rstrip().endswith(pieces[-1].strip()):
        headline = headline + " …"
    return headline


def _snippet(text: str, needles: Sequence[str], *, width: int = 110) -> str:
    """SQLite: the stretch of text around the first occurrence of a needle, marked; "" when none occurs."""
    lowered = text.casefold()
    found = [i for i in (lowered.find(n.casefold()) for n in needles) if i >= 0]
    if not found:
        return ""
    first = min(found)
    start, end = max(0, first - width), min(len(text), first + width)
    snippet = ("… " if start else "") + text[start:end].strip() + (" …" if end < len(text) else "")
    return _mark_words(snippet, needles)


def build_hits(
    *, user: AbstractBaseUser, agenda_items: Sequence[AgendaItem], criteria: Criteria, full_decision: bool = False
) -> list[Hit]:
    """The page's results with their snippets and follow-ups (two queries whatever the page size).

    ``full_decision`` shows the whole decision (the register) instead of the
    fragments around the matches (the search page).
    """
    if not agenda_items:
        return []
    pks = [a.pk for a in agenda_items]
    query = tsquery(criteria.query) if is_full_text() else None
    needles = criteria.query.terms
    snippets: dict[int, tuple[str, str, str]] = {}
    if query is not None:
        fragments = {"max_fragments": 2, "max_words": 30, "min_words": 12, "fragment_delimiter": FRAGMENT_DELIMITER}
        rows = AgendaItem.objects.filter(pk__in=pks, closed=False).annotate(
            title_hl=_headline("title", query, highlight_all=True),
            decision_hl=_headline(SectionsText("sections", path=DECISION_PATH), query,
                                  **({"highlight_all": True} if full_decision else fragments)),
            context_hl=_headline(SectionsText("sections", path=OTHER_PATH), query, **fragments),
        ).values_list("pk", "title_hl", "decision_hl", "context_hl")
        snippets = {pk: (title, decision, context) for pk, title, decision, context in rows}
    followups = _followups(user, pks, query, needles)
    status_labels = {value: str(label) for value, label in Status.choices}

    hits = []
    for agenda_item in agenda_items:
        items = followups.get(agenda_item.pk, [])
        open_count = sum(1 for i in items if i.status == Status.OPEN)
        if agenda_item.closed:
            # Listed in the register by its number only, its follow-ups by their number only.
            hits.append(Hit(agenda_item=agenda_item, title_html=conditional_escape(agenda_item.display_title),
                            decision_html=mark_safe(""), context_html=mark_safe(""), followups=[],
                            open_followups=open_count))
            continue
        decision, context = decision_text(agenda_item.sections), other_text(agenda_item.sections)
        if agenda_item.pk in snippets:
            title_hl, decision_hl, context_hl = snippets[agenda_item.pk]
            # ts_headline drops anything that looks like an HTML tag; where the whole text is
            # shown, its marked words are marked in the text as written instead.
            title = _mark_found(agenda_item.title, title_hl)
            decision_hl = _fragments(decision, decision_hl, whole=full_decision)
            context_hl = _fragments(context, context_hl) if START_MARK in context_hl else ""
        else:
            title = _mark_words(agenda_item.title, needles)
            if full_decision:
                decision_hl = _mark_words(decision, needles)
            else:
                decision_hl = _snippet(decision, needles) or _mark_words(_shorten(decision), needles)
            context_hl = _snippet(context, needles)
        hits.append(Hit(
            agenda_item=agenda_item,
            title_html=marked_html(title),
            decision_html=marked_html(decision_hl),
            context_html=marked_html(context_hl),
            followups=[
                FollowupHit(
                    item=i, matched=i.matched, status_label=status_labels[i.status],
                    title_html=marked_html(_mark_found(i.title, i.title_hl) if query is not None else i.title_hl),
                )
                for i in items
            ],
            open_followups=open_count,
        ))
    return hits


def _shorten(text: str, limit: int = 240) -> str:
    if len(text) <= limit:
        return text
    return text[:limit].rsplit(" ", 1)[0] + " …"


def _followups(
    user: AbstractBaseUser, pks: list[int], query: Expression | None, needles: Sequence[str]
) -> dict[int, list[ActionItem]]:
    """The follow-ups the user may see of these agenda items, each with ``title_hl`` and ``matched``."""
    # A result shows a follow-up's text, status and deadline: only those are loaded.
    items = (
        access.visible_items(user).filter(source_item_id__in=pks)
        .only("title", "status", "due_date", "window_start", "precision", "source_item_id")
        .order_by("source_item_id", F("due_date").asc(nulls_last=True), "pk")
    )
    if query is not None:
        items = items.annotate(
            title_hl=_headline("title", query, highlight_all=True),
            matched=_Matches(followup_document(), query),
        )
    result: dict[int, list[ActionItem]] = {}
    for item in items:
        if query is None:
            haystack = item.title.casefold()
            item.matched = bool(needles) and all(n.casefold() in haystack for n in needles)
            item.title_hl = _mark_words(item.title, needles)
        result.setdefault(item.source_item_id, []).append(item)
    return result


def _facets(rows: list[MatchRow], criteria: Criteria) -> tuple[list[FacetValue], list[FacetValue]]:
    """How many results each forum and each outcome would give, each facet ignoring its own choice."""
    body_counts: dict[int, int] = {}
    body_names: dict[int, str] = {}
    outcome_counts: dict[str, int] = {}
    for row in rows:
        if not criteria.outcomes or row.outcome in criteria.outcomes:
            body_counts[row.body_id] = body_counts.get(row.body_id, 0) + 1
            body_names[row.body_id] = row.body_name
        if not criteria.body_ids or row.body_id in criteria.body_ids:
            outcome_counts[row.outcome] = outcome_counts.get(row.outcome, 0) + 1
    slugs = dict(Body.objects.filter(pk__in=body_counts).values_list("pk", "slug")) if body_counts else {}
    bodies = sorted(
        (FacetValue(value=slugs[pk], label=body_names[pk], count=n, chosen=pk in criteria.body_ids)
         for pk, n in body_counts.items()),
        key=lambda f: f.label,
    )
    outcomes = [
        FacetValue(value=value, label=str(label), count=outcome_counts[value], chosen=value in criteria.outcomes)
        for value, label in Outcome.choices if outcome_counts.get(value)
    ]
    return bodies, outcomes


def selected_rows(rows: list[MatchRow], criteria: Criteria) -> list[MatchRow]:
    return [
        r for r in rows
        if (not criteria.body_ids or r.body_id in criteria.body_ids)
        and (not criteria.outcomes or r.outcome in criteria.outcomes)
    ]


def agenda_items_in_order(pks: Sequence[int]) -> list[AgendaItem]:
    by_pk = AgendaItem.objects.select_related("meeting__body").in_bulk(list(pks))
    return [by_pk[pk] for pk in pks if pk in by_pk]


def search(
    *, user: AbstractBaseUser, criteria: Criteria, sort: str = Sort.RELEVANCE, page: int | str | None = 1,
    per_page: int = 20, full_decision: bool = False,
) -> Results:
    """One page of results for the search page and the decisions register (about six queries)."""
    full_text = is_full_text()
    if sort not in Sort.CHOICES:
        sort = Sort.RELEVANCE
    if sort == Sort.RELEVANCE and not criteria.query.has_text:
        sort = Sort.NEWEST
    rows = match_rows(user=user, criteria=criteria, sort=sort)
    if rows is None:
        return Results(criteria=criteria, sort=sort, page=None, hits=[], bodies=[], outcomes=[], full_text=full_text)
    bodies, outcomes = _facets(rows, criteria)
    paginator = Paginator(sorted_rows(selected_rows(rows, criteria), sort), per_page)
    result_page = paginator.get_page(page)
    agenda_items = agenda_items_in_order([r.pk for r in result_page.object_list])
    hits = build_hits(user=user, agenda_items=agenda_items, criteria=criteria, full_decision=full_decision)
    stop_words_only = False
    if full_text and not rows and criteria.query.has_text:
        stop_words_only = tsquery_is_empty(tsquery(criteria.query))
    return Results(criteria=criteria, sort=sort, page=result_page, hits=hits, bodies=bodies, outcomes=outcomes,
                   full_text=full_text, stop_words_only=stop_words_only)


# -- Highlighting on the meeting page -----------------------------------------------------------------


def highlight_words(*, user: AbstractBaseUser, meeting: Meeting, text: str) -> dict[str, object] | None:
    """The words on a meeting's page that the search ``text`` matched, for the page's script to mark.

    On PostgreSQL these are the forms that occur in the minutes ("kommissorierne"
    for a search for "kommissorier"); on SQLite the words as typed. Closed items
    are never looked at. None when there is nothing to mark.
    """
    parsed = parse_query(text)
    if not parsed.has_text:
        return None
    if not is_full_text():
        return {"words": list(parsed.terms), "whole_words": False}
    query = tsquery(parsed)
    if query is None:
        return None
    found: set[str] = set()
    for hl in meeting.agenda_items.filter(closed=False).annotate(
        hl=_headline(SectionsText("sections", path="$.*"), query, highlight_all=True),
        title_hl=_headline("title", query, highlight_all=True),
    ).values_list("hl", "title_hl"):
        for marked in hl:
            found.update(_marked_words(marked))
    followups = access.visible_items(user).filter(source_item__meeting=meeting, source_item__closed=False)
    for marked in followups.annotate(hl=_headline("title", query, highlight_all=True)).values_list("hl", flat=True):
        found.update(_marked_words(marked))
    if not found:
        return None
    return {"words": sorted(found, key=str.casefold), "whole_words": True}


def _marked_words(text: str) -> list[str]:
    return re.findall(f"{START_MARK}(.*?){STOP_MARK}", text or "", flags=re.DOTALL)
