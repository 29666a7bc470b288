"""Search across all minutes and the decisions registers: Danish full-text search on PostgreSQL."""
from __future__ import annotations

import csv
import datetime as dt
import io
import json
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from minutes import search
from minutes.models import AgendaItem
from tests.factories import (
    ActionItemFactory,
    AgendaItemFactory,
    BodyFactory,
    MeetingFactory,
    MembershipFactory,
    PersonFactory,
    UserFactory,
)
from tests.conftest import PASSWORD
from tracker.models import ActionItem

pytestmark = pytest.mark.django_db

SEARCH = reverse("minutes:search")


def agenda(meeting, number, title, *, decision="", recommendation="", case_text="", **fields) -> AgendaItem:
    sections = {}
    if case_text:
        sections["Sagsfremstilling"] = case_text
    if recommendation:
        sections["Indstilling"] = recommendation
    if decision:
        sections["Beslutning"] = decision
    return AgendaItemFactory(meeting=meeting, number=number, title=title, sections=sections, **fields)


def found(client, query: str = "", **params) -> list[str]:
    """The titles of the results, in order, as the page shows them (marks removed)."""
    response = client.get(SEARCH, {"q": query, **params})
    assert response.status_code == 200
    titles = re.findall(r'<h2 class="hit-title"><a [^>]*>(.*?)</a></h2>', response.content.decode(), re.S)
    return [re.sub(r"</?mark>", "", t) for t in titles]


def login(client, user) -> None:
    assert client.login(username=user.username, password=PASSWORD)


@pytest.fixture
def minutes(personas):
    """Two Chefforum meetings and one of Direktionen (a forum alice, bob and carol are not in)."""
    april = MeetingFactory(body=personas.body, date=dt.date(2022, 4, 28))
    january = MeetingFactory(body=personas.body, date=dt.date(2022, 1, 20))
    direktionen = BodyFactory(name="Direktionen", slug="direktionen")
    november = MeetingFactory(body=direktionen, date=dt.date(2023, 11, 27))
    items = {
        "lederdoegn": agenda(
            april, 4, "CF - Opfølgning på Lederdøgn", case_number="00.00.00-A00-5-21", outcome="discussed",
            case_text="Færdiggørelse af kommissorier for arbejdsgrupperne med baggrund i materialet.",
            decision="Kommissorierne skal være færdige til 12. maj.",
        ),
        "sundhed": agenda(
            april, 5, "CF - Udmøntning af Sundhedspuljen 2022", case_number="29.09.00-P00-1-22", outcome="withdrawn",
            case_text="Sundhedspuljen fordeles efter ansøgning. Sygefraværsindsatsen fortsætter.", decision="Udgik.",
        ),
        "prognose": agenda(
            april, 6, "CF - Endelige befolkningsprognose 2022", case_number="00.01.00-P10-2-21", outcome="noted",
            decision="Taget til efterretning.",
        ),
        "closed": agenda(
            april, 2, "Lukket", case_number="00.30.00-P05-1-22", closed=True, outcome="closed",
            decision="Hemmelig personalesag om kommissorier og sygefravær.",
        ),
        "integration": agenda(
            january, 2, "CF - Start af arbejde med Integrationsindsats 2022", case_number="15.40.00-P05-1-21",
            outcome="decided", recommendation="Kommunaldirektøren indstiller, at integrationsindsatsen igangsættes.",
            decision="Godkendt. Der udarbejdes et kommissorium for integrationsindsatsen.",
        ),
        "boliger": agenda(
            january, 3, "CF - Præsentation af boligbyggeprogrammet 2022", case_number="00.01.00-P10-2-21",
            outcome="noted", case_text="Programmet nævner integrationsindsats og boliger til flygtninge.",
            decision="Taget til efterretning.",
        ),
        "budgetproces": agenda(
            november, 1, "Evaluering af budgetproces 2024", case_number="22/23184", outcome="discussed",
            decision="Kommissorierne for budgetprocessen evalueres.",
        ),
    }
    return {"april": april, "january": january, "direktionen": direktionen, **items}


# -- The query as typed ----------------------------------------------------------------------------


def test_it_reads_words_phrases_exclusions_and_case_numbers():
    parsed = search.parse_query('kommissorier "Integrationsindsats 2022" -budget 00.01.00-p10-2-21 22/23184 og')
    assert parsed.words == ("kommissorier",)
    assert parsed.phrases == ("Integrationsindsats 2022",)
    assert parsed.excluded == ("budget",)
    assert parsed.case_numbers == ("00.01.00-P10-2-21", "22/23184")


def test_it_reads_typographic_quotes_as_a_phrase():
    assert search.parse_query("“sundhedspuljen 2022”").phrases == ("sundhedspuljen 2022",)


def test_it_keeps_tsquery_syntax_out_of_the_words():
    parsed = search.parse_query("budget'):* | !foo & <-> bar")
    assert parsed.words == ("budget", "foo", "bar")


# -- Finding ---------------------------------------------------------------------------------------


def test_it_finds_inflected_forms_of_a_word(client, personas, minutes):
    login(client, personas.alice)
    titles = found(client, "kommissorier")
    assert "CF - Opfølgning på Lederdøgn" in titles  # "Kommissorierne", "kommissorier"
    assert "CF - Start af arbejde med Integrationsindsats 2022" in titles  # "kommissorium"


def test_it_finds_the_plural_from_the_latin_singular(client, personas, minutes):
    login(client, personas.alice)
    assert "CF - Opfølgning på Lederdøgn" in found(client, "kommissorium")


def test_it_finds_compound_words_from_their_first_part(client, personas, minutes):
    login(client, personas.alice)
    assert found(client, "sygefravær") == ["CF - Udmøntning af Sundhedspuljen 2022"]
    assert found(client, "integration") == [
        "CF - Start af arbejde med Integrationsindsats 2022", "CF - Præsentation af boligbyggeprogrammet 2022"]


def test_it_needs_every_word(client, personas, minutes):
    login(client, personas.alice)
    assert found(client, "kommissorier integrationsindsatsen") == ["CF - Start af arbejde med Integrationsindsats 2022"]


def test_it_finds_a_quoted_phrase_only_where_the_words_stand_together(client, personas, minutes):
    login(client, personas.alice)
    assert found(client, '"Integrationsindsats 2022"') == ["CF - Start af arbejde med Integrationsindsats 2022"]
    assert found(client, '"2022 integrationsindsats"') == []


def test_it_leaves_out_excluded_words(client, personas, minutes):
    login(client, personas.alice)
    assert found(client, "integration -boligbyggeprogrammet") == [
        "CF - Start af arbejde med Integrationsindsats 2022"]


def test_it_finds_every_item_of_a_case_number(client, personas, minutes):
    login(client, personas.alice)
    assert found(client, "00.01.00-p10-2-21") == [
        "CF - Endelige befolkningsprognose 2022", "CF - Præsentation af boligbyggeprogrammet 2022"]
    assert found(client, case_number="00.01.00-P10-2-21", q="boliger") == [
        "CF - Præsentation af boligbyggeprogrammet 2022"]


def test_it_finds_an_esdh_case_number(client, personas, minutes):
    login(client, personas.admin)
    assert found(client, "22/23184") == ["Evaluering af budgetproces 2024"]


def test_it_ranks_a_title_above_a_mention_in_the_case_text(client, personas, minutes):
    login(client, personas.alice)
    assert found(client, "integrationsindsats") == [
        "CF - Start af arbejde med Integrationsindsats 2022", "CF - Præsentation af boligbyggeprogrammet 2022"]


def test_it_sorts_by_date_when_asked(client, personas, minutes):
    login(client, personas.alice)
    assert found(client, "integrationsindsats", sort="aeldste")[0] == (
        "CF - Start af arbejde med Integrationsindsats 2022")
    assert found(client, "kommissorier", sort="nyeste")[0] == "CF - Opfølgning på Lederdøgn"


def test_it_finds_an_item_through_its_follow_up(client, personas, minutes):
    ActionItemFactory(body=personas.body, source_item=minutes["prognose"], title="Prognosen sendes til skolerne",
                      quote="Rapporten vil blive forlagt til orientering for ØU i maj.")
    login(client, personas.bob)
    response = client.get(SEARCH, {"q": "skolerne"})
    assert found(client, "skolerne") == ["CF - Endelige befolkningsprognose 2022"]
    assert "Prognosen sendes til <mark>skolerne</mark>" in response.content.decode()


# -- What is shown ---------------------------------------------------------------------------------


def test_it_highlights_the_matched_words(client, personas, minutes):
    login(client, personas.alice)
    page = client.get(SEARCH, {"q": "kommissorier"}).content.decode()
    assert "<mark>Kommissorierne</mark> skal være færdige til 12. maj." in page
    assert "<mark>kommissorium</mark> for integrationsindsatsen" in page


def test_it_shows_minutes_text_as_text_not_markup(client, personas, minutes):
    agenda(minutes["april"], 9, "CF - Eventuelt <script>alert(1)</script>", decision="Punktet <b>udsat</b>.")
    login(client, personas.alice)
    page = client.get(SEARCH, {"q": "eventuelt"}).content.decode()
    assert "<script>alert(1)</script>" not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page


def test_a_result_links_to_the_item_on_the_meeting_page_with_the_words(client, personas, minutes):
    login(client, personas.alice)
    page = client.get(SEARCH, {"q": "kommissorier maj"}).content.decode()
    url = reverse("minutes:meeting_detail", args=[minutes["april"].pk])
    assert f'href="{url}?q=kommissorier%20maj#punkt-4"' in page


def test_the_meeting_page_marks_the_forms_the_search_matched(client, personas, minutes):
    login(client, personas.alice)
    url = reverse("minutes:meeting_detail", args=[minutes["april"].pk])
    page = client.get(url, {"q": "kommissorier"}).content.decode()
    words = json.loads(re.search(r'<script id="search-words" type="application/json">(.*?)</script>', page).group(1))
    assert words == {"words": ["kommissorier", "Kommissorierne"], "whole_words": True}
    assert "js/search-highlight.js" in page


def test_the_meeting_page_marks_nothing_without_a_search(client, personas, minutes):
    login(client, personas.alice)
    page = client.get(reverse("minutes:meeting_detail", args=[minutes["april"].pk])).content.decode()
    assert "search-words" not in page


def test_it_says_when_only_stop_words_were_given(client, personas, minutes):
    login(client, personas.alice)
    page = client.get(SEARCH, {"q": "og for at"}).content.decode()
    assert "kun af små, almindelige ord" in page


def test_it_says_that_nothing_matched(client, personas, minutes):
    login(client, personas.alice)
    page = client.get(SEARCH, {"q": "vindmøller"}).content.decode()
    assert "Intet dagsordenspunkt passer til søgningen." in page


# -- Filters and facets ----------------------------------------------------------------------------


def test_it_filters_by_forum(client, personas, minutes):
    login(client, personas.admin)
    assert found(client, "kommissorier", forum="direktionen") == ["Evaluering af budgetproces 2024"]
    assert "Evaluering af budgetproces 2024" not in found(client, "kommissorier", forum="chefforum")


def test_it_filters_by_meeting_date(client, personas, minutes):
    login(client, personas.alice)
    assert found(client, "kommissorier", date_from="2022-03-01", date_to="2022-12-31") == [
        "CF - Opfølgning på Lederdøgn"]
    assert found(client, "kommissorier", date_to="2022-02-01") == [
        "CF - Start af arbejde med Integrationsindsats 2022"]


def test_it_refuses_a_date_range_that_ends_before_it_starts(client, personas, minutes):
    login(client, personas.alice)
    page = client.get(SEARCH, {"q": "kommissorier", "date_from": "2022-05-01", "date_to": "2022-01-01"})
    assert "Til-datoen ligger før fra-datoen." in page.content.decode()
    assert found(client, "kommissorier", date_from="2022-05-01", date_to="2022-01-01") == []


def test_it_filters_by_outcome(client, personas, minutes):
    login(client, personas.alice)
    assert found(client, "", outcome="noted", sort="aeldste") == [
        "CF - Præsentation af boligbyggeprogrammet 2022", "CF - Endelige befolkningsprognose 2022"]
    assert found(client, "integrationsindsats", outcome=["decided", "withdrawn"]) == [
        "CF - Start af arbejde med Integrationsindsats 2022"]


def test_it_filters_by_open_follow_ups(client, personas, minutes):
    ActionItemFactory(body=personas.body, source_item=minutes["integration"], status=ActionItem.Status.OPEN)
    ActionItemFactory(body=personas.body, source_item=minutes["boliger"], status=ActionItem.Status.DONE)
    login(client, personas.alice)
    assert found(client, "integrationsindsats", open_followups="on") == [
        "CF - Start af arbejde med Integrationsindsats 2022"]


def test_it_counts_results_per_forum_and_outcome(client, personas, minutes):
    login(client, personas.admin)
    results = search.search(user=personas.admin, criteria=search.Criteria(
        query=search.parse_query("kommissorier"), outcomes=("discussed",)))
    assert [(f.label, f.count) for f in results.bodies] == [("Chefforum", 1), ("Direktionen", 1)]
    # The outcome facet counts as if no outcome were chosen.
    assert [(f.value, f.count, f.chosen) for f in results.outcomes] == [
        ("discussed", 2, True), ("decided", 1, False)]


# -- Never found -----------------------------------------------------------------------------------


def test_it_never_finds_a_closed_item(client, personas, minutes):
    ActionItemFactory(body=personas.body, source_item=minutes["closed"], title="Hemmelig opfølgning om lønforhandling")
    login(client, personas.admin)
    for query in ("personalesag", "hemmelig", "lønforhandling", "00.30.00-P05-1-22"):
        assert found(client, query) == [], query
    assert found(client, case_number="00.30.00-P05-1-22") == []
    page = client.get(SEARCH, {"q": "sygefravær kommissorier"}).content.decode()
    assert "Hemmelig" not in page


def test_it_never_finds_forums_the_user_is_not_in(client, personas, minutes):
    login(client, personas.alice)
    assert "Evaluering af budgetproces 2024" not in found(client, "kommissorier")
    assert found(client, "22/23184") == []
    assert found(client, "kommissorier", forum="direktionen") == []  # not a choice: refused, not widened


def test_an_outsider_finds_nothing(client, personas, minutes):
    login(client, personas.dave)
    assert found(client, "kommissorier") == []
    assert found(client, "00.01.00-P10-2-21") == []


def test_members_do_not_find_items_through_proposals(client, personas, minutes):
    ActionItemFactory(body=personas.body, source_item=minutes["prognose"], status=ActionItem.Status.PROPOSED,
                      title="Skoledistrikterne tegnes om", quote="Skoledistrikterne tegnes om.")
    login(client, personas.alice)
    assert found(client, "skoledistrikterne") == ["CF - Endelige befolkningsprognose 2022"]
    login(client, personas.bob)
    assert found(client, "skoledistrikterne") == []


def test_members_of_both_forums_find_both(client, personas, minutes):
    MembershipFactory(person=personas.carol.person, body=minutes["direktionen"])
    login(client, personas.carol)
    titles = found(client, "kommissorier")
    assert "Evaluering af budgetproces 2024" in titles and "CF - Opfølgning på Lederdøgn" in titles


def test_it_asks_for_a_login(client, minutes):
    response = client.get(SEARCH, {"q": "kommissorier"})
    assert response.status_code == 302 and "/konto/login/" in response["Location"]


# -- Speed -----------------------------------------------------------------------------------------


def test_it_answers_in_the_same_number_of_queries_whatever_the_number_of_results(client, personas, minutes):
    login(client, personas.alice)

    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            assert client.get(SEARCH, {"q": "kommissorier"}).status_code == 200
        return len(captured)

    few = queries()
    for n in range(30):
        item = agenda(minutes["january"], 10 + n, f"CF - Kommissorium nr. {n}")
        ActionItemFactory(body=personas.body, source_item=item, title=f"Kommissorium {n} skrives")
    assert queries() == few


def test_the_indexes_serve_the_search():
    """The follow-up index works only while the query uses exactly its expression: EXPLAIN shows it."""
    matching = search.matching_items(user=UserFactory(is_superuser=True), criteria=search.Criteria(
        query=search.parse_query("kommissorier")))
    with connection.cursor() as cursor:
        # Whatever the table sizes in the test database, reading a table by an index only.
        cursor.execute("SET LOCAL enable_seqscan = off; SET LOCAL enable_indexscan = off")
        plan = matching.explain()
    assert "minutes_search_agendaitem_idx" in plan
    assert "minutes_search_followup_idx" in plan


# -- The decisions register ------------------------------------------------------------------------


def register(body) -> str:
    return reverse("minutes:decisions", args=[body.slug])


def test_the_register_lists_every_decision_newest_first_with_closed_items_by_number(client, personas, minutes):
    ActionItemFactory(body=personas.body, source_item=minutes["lederdoegn"], title="Kommissorier færdige")
    login(client, personas.bob)
    page = client.get(register(personas.body)).content.decode()
    assert page.index("28. april 2022") < page.index("20. januar 2022")
    assert "Kommissorierne skal være færdige til 12. maj." in page
    assert "Kommissorier færdige" in page
    assert "Punkt 2: Lukket punkt" in page
    assert "personalesag" not in page and "00.30.00-P05-1-22" not in page
    assert "Evaluering af budgetproces" not in page


def test_the_register_filters_and_highlights(client, personas, minutes):
    login(client, personas.alice)
    page = client.get(register(personas.body), {"q": "kommissorier", "date_from": "2022-03-01"}).content.decode()
    assert "<mark>Kommissorierne</mark> skal være færdige til 12. maj." in page
    assert "Integrationsindsats" not in page
    assert "Lukket punkt" not in page


def test_the_register_of_a_forum_the_user_is_not_in_does_not_exist(client, personas, minutes):
    login(client, personas.alice)
    assert client.get(register(minutes["direktionen"])).status_code == 404
    assert client.get(reverse("minutes:decisions_csv", args=["direktionen"])).status_code == 404


def read_csv(response) -> list[dict[str, str]]:
    content = b"".join(response.streaming_content)
    assert content.startswith(b"\xef\xbb\xbf")
    return list(csv.DictReader(io.StringIO(content.decode("utf-8-sig")), delimiter=";"))


def test_the_register_exports_as_csv_for_excel(client, personas, minutes):
    ActionItemFactory(body=personas.body, source_item=minutes["lederdoegn"], title="Kommissorier færdige",
                      responsible_role=personas.role, due_date=dt.date(2022, 5, 12))
    ActionItemFactory(body=personas.body, source_item=minutes["closed"], title="Hemmelig opfølgning")
    agenda(minutes["april"], 9, "=HYPERLINK(\"http://evil\")", decision="-2+3")
    login(client, personas.alice)
    response = client.get(reverse("minutes:decisions_csv", args=["chefforum"]))
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert "attachment" in response["Content-Disposition"]
    rows = read_csv(response)
    assert [r["Punkt"] for r in rows] == ["2", "4", "5", "6", "9", "2", "3"]
    lederdoegn = rows[1]
    assert lederdoegn["Mødedato"] == "28-04-2022"
    assert lederdoegn["Udfald"] == "Drøftet"
    assert lederdoegn["Beslutning"] == "Kommissorierne skal være færdige til 12. maj."
    assert lederdoegn["Opfølgninger"] == "Kommissorier færdige (Åben, 12. maj 2022, Chef for Økonomi)"
    assert lederdoegn["Link"].endswith(f"/moeder/{minutes['april'].pk}/#punkt-4")
    closed = rows[0]
    assert (closed["Titel"], closed["Sagsnummer"], closed["Beslutning"]) == ("Lukket punkt", "", "")
    assert "Hemmelig" not in closed["Opfølgninger"]
    assert rows[4]["Titel"].startswith("'=") and rows[4]["Beslutning"] == "'-2+3"


def test_the_csv_follows_the_register_filters(client, personas, minutes):
    login(client, personas.alice)
    response = client.get(reverse("minutes:decisions_csv", args=["chefforum"]), {"outcome": "noted"})
    assert [r["Titel"] for r in read_csv(response)] == [
        "CF - Endelige befolkningsprognose 2022", "CF - Præsentation af boligbyggeprogrammet 2022"]


def test_the_nav_links_to_the_search(client, personas):
    login(client, personas.bob)
    page = client.get(SEARCH).content.decode()
    assert f'<a href="{SEARCH}" aria-current="page">Søg</a>' in page
    assert reverse("minutes:decisions", args=["chefforum"]) in page


def test_a_person_in_no_forum_is_told_why_there_is_nothing(client, db):
    user = UserFactory(username="erik", password=PASSWORD)
    PersonFactory(name="Erik", user=user)
    login(client, user)
    assert "Du er ikke medlem af et forum" in client.get(SEARCH).content.decode()

