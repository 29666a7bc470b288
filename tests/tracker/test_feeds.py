"""Calendar feeds as a calendar program sees them: the .ics URL, its content and its HTTP behaviour."""
from __future__ import annotations

import datetime as dt
import os
from pathlib import Path
from zoneinfo import ZoneInfo

import icalendar
import pytest
from hypothesis import given
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st
import recurring_ical_events
import time_machine
import vobject
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from tests.factories import (
    ActionItemFactory,
    AgendaItemFactory,
    BodyFactory,
    MeetingFactory,
    RoleFactory,
)
from tracker import feeds, services, tokens
from tracker.models import ActionItem, CalendarFeed, Membership

pytestmark = pytest.mark.django_db

CPH = ZoneInfo("Europe/Copenhagen")
NOW = dt.datetime(2022, 5, 2, 9, 30, tzinfo=CPH)
SITE_URL = "https://opfoelgning.example.dk"
GOLDEN = Path(__file__).parent / "golden" / "feed_small.ics"
LONG_QUOTE = (
    "Kommissorierne for de fire arbejdsgrupper skal være færdige til 12. maj, så Chefforum kan godkende dem, "
    "før sommerferien går i gang; økonomichefen sørger for, at de bliver lagt på intranettet."
)

Status = ActionItem.Status
Precision = ActionItem.Precision


@pytest.fixture(autouse=True)
def _site(settings) -> None:
    settings.SITE_URL = SITE_URL
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def frozen():
    with time_machine.travel(NOW, tick=False) as traveller:
        yield traveller


def subscribe(user, scope=CalendarFeed.Scope.ALL, **kwargs) -> tuple[CalendarFeed, str]:
    return feeds.calendar_feed_create(owner=user, scope=scope, **kwargs)


def fetch(client, token: str, **kwargs):
    path = reverse("tracker:feed", kwargs={"token": token})
    return client.get(path, **kwargs)


def components(content: bytes, kind: str = "VEVENT") -> dict[str, icalendar.Component]:
    calendar = icalendar.Calendar.from_ical(content)
    return {str(c["UID"]): c for c in calendar.walk(kind)}


def uid(item: ActionItem) -> str:
    return f"actionitem-{item.pk}@opfoelgning.example.dk"


def small_feed_items(personas) -> list[ActionItem]:
    """The fixed data behind the golden file: what a secretary's "all" feed shows on 2 May 2022."""
    meeting = MeetingFactory(body=personas.body, date=dt.date(2022, 4, 28))
    agenda = AgendaItemFactory(meeting=meeting, number=4, title="CF - Opfølgning på Lederdøgn")
    closed = AgendaItemFactory(meeting=meeting, number=2, title="Personalesag: Jens Hansen", closed=True)
    bob = personas.bob.person
    return [
        ActionItemFactory(
            pk=9101, body=personas.body, source_item=agenda, title="Kommissorier for arbejdsgrupperne færdige",
            quote=LONG_QUOTE, section="Beslutning", due_date=dt.date(2022, 5, 12),
            responsible_role=personas.role, responsible_person=bob, version=2,
        ),
        ActionItemFactory(
            pk=9102, body=personas.body, source_item=agenda, title="Status på arbejdet i projektgruppen",
            quote="Projektgruppen vender tilbage med en status på arbejdet i maj 2022.",
            window_start=dt.date(2022, 5, 1), due_date=dt.date(2022, 5, 31), precision=Precision.MONTH,
            responsible_text="projektgruppen", version=3,
        ),
        ActionItemFactory(
            pk=9103, body=personas.body, source_item=agenda, title="Udsende referat til ØU",
            quote="Referatet udsendes til ØU.", due_date=dt.date(2022, 4, 29), status=Status.DONE,
            completed_at=dt.datetime(2022, 4, 30, 14, 5, tzinfo=CPH), responsible_person=bob, version=4,
        ),
        ActionItemFactory(
            pk=9104, body=personas.body, source_item=closed, title="Samtale med Jens Hansen om advarsel",
            quote="Jens Hansen indkaldes til tjenstlig samtale inden 20. maj.", due_date=dt.date(2022, 5, 20),
            responsible_person=bob,
        ),
    ]


# --- Content ---------------------------------------------------------------------------------------


def test_it_matches_the_golden_file_for_a_small_feed(client, personas, frozen):
    small_feed_items(personas)
    # Not in any feed: a proposal, an undated item, one beyond the window, one done too long ago.
    ActionItemFactory(body=personas.body, title="Forslag", status=Status.PROPOSED)
    ActionItemFactory(body=personas.body, title="Uden dato", due_date=None, precision=Precision.NONE)
    ActionItemFactory(body=personas.body, title="Om tre år", due_date=dt.date(2025, 6, 1))
    ActionItemFactory(
        body=personas.body, title="Gammel", due_date=dt.date(2022, 3, 1), status=Status.DONE,
        completed_at=dt.datetime(2022, 3, 1, 12, tzinfo=CPH),
    )
    _feed, token = subscribe(personas.alice, name="Chefforum – frister")

    response = fetch(client, token)

    assert response.status_code == 200
    if os.environ.get("UPDATE_GOLDEN"):
        GOLDEN.write_bytes(response.content)
    assert response.content == GOLDEN.read_bytes()


def test_it_reads_the_same_in_three_independent_parsers():
    content = GOLDEN.read_bytes()
    # icalendar
    by_icalendar = {
        (str(e["UID"]), e.decoded("DTSTART"), e.decoded("DTEND"), str(e["SUMMARY"]))
        for e in icalendar.Calendar.from_ical(content).walk("VEVENT")
    }
    # vobject, a separate parser
    by_vobject = {
        (e.uid.value, e.dtstart.value, e.dtend.value, e.summary.value)
        for e in vobject.readOne(content.decode("utf-8")).vevent_list
    }
    # recurring-ical-events, asked for the month of May as a calendar program would
    may = recurring_ical_events.of(icalendar.Calendar.from_ical(content)).between(
        dt.date(2022, 5, 1), dt.date(2022, 6, 1)
    )
    by_range_query = {(str(e["UID"]), e.decoded("DTSTART"), e.decoded("DTEND"), str(e["SUMMARY"])) for e in may}

    assert by_icalendar == by_vobject
    assert by_range_query == {e for e in by_icalendar if e[1] >= dt.date(2022, 5, 1)}
    assert ("actionitem-9101@opfoelgning.example.dk", dt.date(2022, 5, 12), dt.date(2022, 5, 13),
            "Frist: Kommissorier for arbejdsgrupperne færdige") in by_icalendar
    assert ("actionitem-9102@opfoelgning.example.dk", dt.date(2022, 5, 31), dt.date(2022, 6, 1),
            "Frist: Status på arbejdet i projektgruppen (i løbet af maj 2022)") in by_icalendar


def test_it_keeps_crlf_folding_and_danish_letters_intact():
    content = GOLDEN.read_bytes()

    assert content.count(b"\r\n") == content.count(b"\n")  # every line ends in CRLF
    assert all(len(line) <= 75 for line in content.split(b"\r\n"))  # folded at 75 octets
    assert any(line.startswith(b" ") for line in content.split(b"\r\n"))  # the long quote was folded
    content.decode("utf-8")  # folding never splits a multi-byte letter
    event = components(content)["actionitem-9101@opfoelgning.example.dk"]
    assert f"Citat: »{LONG_QUOTE}«" in str(event["DESCRIPTION"])
    assert "æ" in str(event["SUMMARY"]) and "Økonomi" in str(event["DESCRIPTION"])


def test_it_describes_an_item_with_its_source_responsible_and_link(client, personas, frozen):
    small_feed_items(personas)
    _feed, token = subscribe(personas.alice)

    event = components(fetch(client, token).content)["actionitem-9101@opfoelgning.example.dk"]

    description = str(event["DESCRIPTION"])
    assert "Ansvarlig: Chef for Økonomi (Bob Økonomichef)" in description
    assert "Møde: 28. april 2022, punkt 4: CF - Opfølgning på Lederdøgn" in description
    assert f"Se opfølgningen: {SITE_URL}/opfoelgninger/9101/" in description
    assert event["CATEGORIES"].cats == ["Chefforum"]
    assert str(event["TRANSP"]) == "TRANSPARENT" and str(event["STATUS"]) == "CONFIRMED"
    assert event.decoded("DTSTAMP") == event.decoded("LAST-MODIFIED") == NOW.astimezone(dt.timezone.utc)
    assert "ORGANIZER" not in event and not event.walk("VALARM")


def test_it_sets_up_the_calendar_for_subscription(client, personas, frozen):
    _feed, token = subscribe(personas.bob, CalendarFeed.Scope.MINE)

    calendar = icalendar.Calendar.from_ical(fetch(client, token).content)

    assert str(calendar["X-WR-CALNAME"]) == str(calendar["NAME"]) == "Frister: Mine opgaver"
    assert str(calendar["X-WR-TIMEZONE"]) == "Europe/Copenhagen"
    assert str(calendar["VERSION"]) == "2.0" and str(calendar["CALSCALE"]) == "GREGORIAN"
    assert calendar.decoded("REFRESH-INTERVAL") == dt.timedelta(hours=1)
    assert str(calendar["X-PUBLISHED-TTL"]) == "PT1H"
    assert calendar["REFRESH-INTERVAL"].params["VALUE"] == "DURATION"
    assert "METHOD" not in calendar


def test_it_never_shows_the_content_of_a_closed_agenda_item(client, personas, frozen):
    small_feed_items(personas)
    _feed, token = subscribe(personas.alice)

    for format in ("event", "todo"):
        content = fetch(client, token, data={"format": format} if format == "todo" else {}).content
        unfolded = content.replace(b"\r\n ", b"").decode()
        for secret in ("Jens Hansen", "advarsel", "tjenstlig", "Personalesag"):
            assert secret not in unfolded
        kind = "VTODO" if format == "todo" else "VEVENT"
        closed = components(content, kind)["actionitem-9104@opfoelgning.example.dk"]
        assert "Lukket punkt" in str(closed["SUMMARY"])
        assert "Bob" not in str(closed["DESCRIPTION"])  # not even who is responsible
        assert closed.decoded("DTSTART" if kind == "VEVENT" else "DUE") == dt.date(2022, 5, 20)


def test_it_keeps_line_breaks_in_a_title_from_adding_properties(client, personas, frozen):
    ActionItemFactory(
        body=personas.body, title="Send referatet\r\nATTENDEE:mailto:evil@example.org\nORGANIZER:mailto:x@example.org",
    )
    _feed, token = subscribe(personas.alice)

    content = fetch(client, token).content

    assert b"\r\nATTENDEE" not in content and b"\r\nORGANIZER" not in content
    (event,) = components(content).values()
    assert "ATTENDEE" not in event and "ORGANIZER" not in event
    assert str(event["SUMMARY"]) == "Frist: Send referatet ATTENDEE:mailto:evil@example.org ORGANIZER:mailto:x@example.org"


def test_it_keeps_the_uid_and_raises_the_sequence_when_a_deadline_moves(client, personas, frozen):
    item = services.action_item_create(
        by=personas.alice, body=personas.body, title="Budgetnotat", due_date=dt.date(2022, 5, 12),
        responsible_role=personas.role,
    )
    _feed, token = subscribe(personas.bob, CalendarFeed.Scope.MINE)
    first = fetch(client, token)
    before = components(first.content)[uid(item)]

    frozen.shift(dt.timedelta(hours=2))
    services.action_item_update(item=item, by=personas.alice, due_date=dt.date(2022, 6, 1))
    second = fetch(client, token, headers={"If-None-Match": first["ETag"]})

    assert second.status_code == 200 and second["ETag"] != first["ETag"]
    after = components(second.content)[uid(item)]
    assert after.decoded("DTSTART") == dt.date(2022, 6, 1) and after.decoded("DTEND") == dt.date(2022, 6, 2)
    assert after["SEQUENCE"] > before["SEQUENCE"]
    assert after.decoded("DTSTAMP") > before.decoded("DTSTAMP")


def test_it_marks_a_done_item_cancelled_and_drops_it_after_30_days(client, personas, frozen):
    item = services.action_item_create(
        by=personas.alice, body=personas.body, title="Budgetnotat", due_date=dt.date(2022, 5, 12),
        responsible_role=personas.role,
    )
    _feed, token = subscribe(personas.bob, CalendarFeed.Scope.MINE)
    services.action_item_complete(item=item, by=personas.bob, comment="Sendt")

    event = components(fetch(client, token).content)[uid(item)]
    assert str(event["STATUS"]) == "CANCELLED"
    assert str(event["SUMMARY"]) == "Udført: Budgetnotat"
    assert "Udført 2. maj 2022." in str(event["DESCRIPTION"])

    frozen.shift(dt.timedelta(days=29))
    assert uid(item) in components(fetch(client, token).content)
    frozen.shift(dt.timedelta(days=2))
    assert uid(item) not in components(fetch(client, token).content)


def test_it_offers_tasks_with_due_date_status_and_completion(client, personas, frozen):
    open_item, done_item = (
        services.action_item_create(
            by=personas.alice, body=personas.body, title=title, due_date=dt.date(2022, 5, 12),
            responsible_role=personas.role,
        )
        for title in ("Budgetnotat", "Høringssvar")
    )
    services.action_item_complete(item=done_item, by=personas.bob)
    _feed, token = subscribe(personas.bob, CalendarFeed.Scope.MINE)

    response = fetch(client, token, data={"format": "todo"})

    todos = components(response.content, "VTODO")
    assert not components(response.content, "VEVENT")
    assert todos[uid(open_item)].decoded("DUE") == dt.date(2022, 5, 12)
    assert str(todos[uid(open_item)]["STATUS"]) == "NEEDS-ACTION"
    assert str(todos[uid(open_item)]["SUMMARY"]) == "Budgetnotat"
    assert str(todos[uid(done_item)]["STATUS"]) == "COMPLETED"
    assert todos[uid(done_item)].decoded("COMPLETED") == NOW.astimezone(dt.timezone.utc)
    assert fetch(client, token, data={"format": "xml"}).status_code == 400


def test_it_shows_the_deadline_window_from_90_days_back_to_2_years_ahead(client, personas, frozen):
    today = NOW.date()
    dues = {
        "too old": today - dt.timedelta(days=91), "oldest": today - dt.timedelta(days=90),
        "latest": dt.date(2024, 5, 2), "too far": dt.date(2024, 5, 3),
    }
    items = {name: ActionItemFactory(body=personas.body, title=name, due_date=due) for name, due in dues.items()}
    _feed, token = subscribe(personas.alice)

    shown = components(fetch(client, token).content)

    assert {str(e["SUMMARY"]) for e in shown.values()} == {"Frist: oldest", "Frist: latest"}
    assert uid(items["too far"]) not in shown


def test_it_serialises_byte_for_byte_like_icalendar(personas, frozen):
    small_feed_items(personas)
    ActionItemFactory(body=personas.body, title="Opgave\tmed ; komma, og \\ skråstreg", quote="æ" * 200)
    feed, _token = subscribe(personas.alice)
    items = list(feeds.feed_items(feed, today=NOW.date()))
    arguments = dict(name="Frister", site_url=SITE_URL, host="opfoelgning.example.dk", today=NOW.date())

    for format in feeds.FORMATS:
        expected = feeds.build_calendar(items, format=format, **arguments).to_ical()
        assert feeds.calendar_ical(items, format=format, **arguments) == expected


@pytest.mark.parametrize("marker", [",", ";", "\\", "^", "æ", "€", "😀", "\n"])
def test_a_long_line_folds_like_icalendar_wherever_an_escape_or_a_letter_falls(marker):
    for offset in range(55, 160):
        entry = feeds.FeedEntry(
            format="event", uid="actionitem-1@opfoelgning.example.dk", sequence=1,
            summary="x" * offset + marker + "y" * 90, description=marker * offset, category="Chefforum",
            due=dt.date(2024, 5, 12), status="CONFIRMED", stamp=dt.datetime(2024, 5, 1, 8, tzinfo=dt.timezone.utc),
            completed=None, url="https://opfoelgning.example.dk/opfoelgning/1/",
        )

        written = feeds._component_ical(entry)

        assert written == feeds._component(entry).to_ical(), offset
        assert max(len(line) for line in written.split(b"\r\n")) <= 75


_FEED_TEXT = st.text(st.characters(blacklist_categories=("Cs",)), max_size=300)


@hypothesis_settings(max_examples=300, deadline=None)
@given(
    format=st.sampled_from(feeds.FORMATS),
    summary=_FEED_TEXT,
    description=_FEED_TEXT,
    category=_FEED_TEXT,
    uid=st.from_regex(r"actionitem-[0-9]{1,9}@[a-z0-9.\-]{1,60}", fullmatch=True),
    sequence=st.integers(min_value=0, max_value=10**6),
    due=st.dates(min_value=dt.date(1900, 1, 1), max_value=dt.date(9998, 12, 30)),
    stamp=st.datetimes(min_value=dt.datetime(1900, 1, 2), timezones=st.just(ZoneInfo("Europe/Copenhagen"))),
    completed=st.none() | st.datetimes(min_value=dt.datetime(1900, 1, 2), timezones=st.just(dt.timezone.utc)),
    status=st.sampled_from(("CONFIRMED", "CANCELLED", "NEEDS-ACTION", "COMPLETED")),
    path=st.text("abcdefghijklmnopqrstuvwxyz0123456789/-_.~%?=&", max_size=150),
)
def test_a_component_is_written_exactly_as_icalendar_writes_it(
    format, summary, description, category, uid, sequence, due, stamp, completed, status, path
):
    """Escaping, folding at 75 octets (never inside a letter or an escape), dates and property order."""
    entry = feeds.FeedEntry(
        format=format, uid=uid, sequence=sequence, summary=summary, description=description, category=category,
        due=due, status=status, stamp=stamp.replace(microsecond=0), completed=completed and completed.replace(microsecond=0),
        url=f"https://opfoelgning.example.dk/{path}",
    )

    assert feeds._component_ical(entry) == feeds._component(entry).to_ical()


# --- Access ----------------------------------------------------------------------------------------


def test_it_answers_404_alike_for_a_revoked_and_an_unknown_token(client, personas, frozen):
    ActionItemFactory(body=personas.body, responsible_role=personas.role)
    feed, token = subscribe(personas.bob, CalendarFeed.Scope.MINE)
    assert fetch(client, token).status_code == 200

    feeds.calendar_feed_revoke(feed=feed)
    revoked = fetch(client, token)
    unknown = fetch(client, tokens.new_token())

    assert revoked.status_code == unknown.status_code == 404
    assert revoked.content == unknown.content
    assert "ETag" not in revoked and "text/calendar" not in revoked["Content-Type"]


def test_it_answers_404_when_the_owner_is_deactivated(client, personas, frozen):
    _feed, token = subscribe(personas.bob, CalendarFeed.Scope.MINE)
    personas.bob.is_active = False
    personas.bob.save()

    assert fetch(client, token).status_code == 404


def test_it_stores_only_a_hash_of_a_long_random_token(personas):
    feed, token = subscribe(personas.bob)

    assert len(token) >= 43  # 32 random bytes, URL-safe base64
    assert feed.token_hash == tokens.token_digest(token) != token
    assert not CalendarFeed.objects.filter(token_hash__contains=token[:20]).exists()
    assert subscribe(personas.bob)[1] != token


def test_it_shows_another_users_token_nothing_of_mine_beyond_its_scope(client, personas, frozen):
    mine_by_role = ActionItemFactory(body=personas.body, title="Bobs via rollen", responsible_role=personas.role)
    mine_by_name = ActionItemFactory(body=personas.body, title="Bobs personligt", responsible_person=personas.bob.person)
    other_body = BodyFactory(name="Direktionen")
    elsewhere = ActionItemFactory(body=other_body, title="Direktionens", responsible_person=personas.bob.person)
    Membership.objects.create(person=personas.bob.person, body=other_body)

    _f, carol_mine = subscribe(personas.carol, CalendarFeed.Scope.MINE)
    _f, carol_all = subscribe(personas.carol, CalendarFeed.Scope.ALL)
    _f, dave_all = subscribe(personas.dave, CalendarFeed.Scope.ALL)
    _f, bob_mine = subscribe(personas.bob, CalendarFeed.Scope.MINE)
    _f, bob_forum = subscribe(personas.bob, CalendarFeed.Scope.BODY, body=personas.body)

    assert set(components(fetch(client, carol_mine).content)) == set()
    assert set(components(fetch(client, carol_all).content)) == {uid(mine_by_role), uid(mine_by_name)}
    assert set(components(fetch(client, dave_all).content)) == set()
    assert set(components(fetch(client, bob_mine).content)) == {uid(mine_by_role), uid(mine_by_name), uid(elsewhere)}
    assert set(components(fetch(client, bob_forum).content)) == {uid(mine_by_role), uid(mine_by_name)}


def test_it_stops_showing_a_forum_to_a_member_who_left(client, personas, frozen):
    item = ActionItemFactory(body=personas.body, responsible_role=personas.role)
    _feed, token = subscribe(personas.carol, CalendarFeed.Scope.BODY, body=personas.body)
    first = fetch(client, token)
    assert uid(item) in components(first.content)

    Membership.objects.filter(person=personas.carol.person, body=personas.body).delete()
    second = fetch(client, token, headers={"If-None-Match": first["ETag"]})

    assert second.status_code == 200 and components(second.content) == {}


def test_it_follows_the_role_to_its_new_holder(client, personas, frozen):
    item = ActionItemFactory(body=personas.body, responsible_role=personas.role)
    _f, bob_mine = subscribe(personas.bob, CalendarFeed.Scope.MINE)
    _f, carol_mine = subscribe(personas.carol, CalendarFeed.Scope.MINE)

    services.role_assign(role=personas.role, person=personas.carol.person, starts_on=NOW.date())

    assert uid(item) not in components(fetch(client, bob_mine).content)
    assert uid(item) in components(fetch(client, carol_mine).content)


def test_it_refuses_to_create_a_feed_for_a_forum_or_role_i_do_not_belong_to(personas):
    other_body = BodyFactory(name="Direktionen")
    other_role = RoleFactory(name="Kommunaldirektør", body=other_body)

    with pytest.raises(Exception, match="fora, du er med i"):
        subscribe(personas.bob, CalendarFeed.Scope.BODY, body=other_body)
    with pytest.raises(Exception, match="roller i de fora"):
        subscribe(personas.dave, CalendarFeed.Scope.ROLE, role=personas.role)
    with pytest.raises(Exception, match="roller i de fora"):
        subscribe(personas.bob, CalendarFeed.Scope.ROLE, role=other_role)
    assert not CalendarFeed.objects.exists()


# --- HTTP ------------------------------------------------------------------------------------------


def test_it_serves_text_calendar_with_validators(client, personas, frozen):
    _feed, token = subscribe(personas.bob, CalendarFeed.Scope.MINE)

    response = fetch(client, token)

    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    assert response["ETag"].startswith('"') and response["Last-Modified"]
    assert "no-cache" in response["Cache-Control"]
    assert not response.cookies


def test_it_answers_304_to_a_client_that_has_the_current_copy(client, personas, frozen):
    ActionItemFactory(body=personas.body, responsible_role=personas.role)
    _feed, token = subscribe(personas.bob, CalendarFeed.Scope.MINE)
    first = fetch(client, token)

    by_etag = fetch(client, token, headers={"If-None-Match": first["ETag"]})
    by_date = fetch(client, token, headers={"If-Modified-Since": first["Last-Modified"]})
    head = client.head(reverse("tracker:feed", kwargs={"token": token}))

    assert by_etag.status_code == by_date.status_code == 304
    assert by_etag.content == b"" and by_etag["ETag"] == first["ETag"]
    assert head.status_code == 200 and head["ETag"] == first["ETag"] and head.content == b""
    assert head["Content-Type"] == "text/calendar; charset=utf-8"


def test_it_changes_the_etag_when_an_item_is_done_or_moved_out_of_the_window(client, personas, frozen):
    one = ActionItemFactory(body=personas.body, responsible_role=personas.role)
    two = ActionItemFactory(body=personas.body, responsible_role=personas.role)
    _feed, token = subscribe(personas.bob, CalendarFeed.Scope.MINE)
    etags = [fetch(client, token)["ETag"]]

    frozen.shift(dt.timedelta(minutes=5))
    services.action_item_complete(item=one, by=personas.bob)
    etags.append(fetch(client, token)["ETag"])
    frozen.shift(dt.timedelta(minutes=5))
    services.action_item_update(item=two, by=personas.alice, due_date=dt.date(2030, 1, 1))
    response = fetch(client, token, headers={"If-None-Match": etags[-1]})

    assert response.status_code == 200 and uid(two) not in components(response.content)
    etags.append(response["ETag"])
    assert len(set(etags)) == 3
    assert fetch(client, token, data={"format": "todo"})["ETag"] != etags[-1]


def test_it_records_the_last_fetch_at_most_once_a_minute(client, personas, frozen):
    feed, token = subscribe(personas.bob, CalendarFeed.Scope.MINE)
    fetch(client, token)
    feed.refresh_from_db()
    assert feed.last_fetched_at == NOW

    frozen.shift(dt.timedelta(seconds=30))
    with CaptureQueriesContext(connection) as queries:
        fetch(client, token)
    assert not any(q["sql"].startswith("UPDATE") for q in queries.captured_queries)

    frozen.shift(dt.timedelta(seconds=31))
    assert fetch(client, token, headers={"If-None-Match": '"whatever"'}).status_code == 200
    feed.refresh_from_db()
    assert feed.last_fetched_at == NOW + dt.timedelta(seconds=61)


@pytest.mark.parametrize("scope", ["mine", "all"])
def test_it_uses_the_same_number_of_queries_for_5_and_200_items(client, personas, frozen, scope):
    def count_queries(n: int) -> int:
        ActionItem.objects.all().delete()
        for i in range(n):
            meeting = MeetingFactory(body=personas.body)
            ActionItemFactory(
                body=personas.body, source_item=AgendaItemFactory(meeting=meeting), responsible_role=personas.role,
                responsible_person=personas.bob.person, due_date=NOW.date() + dt.timedelta(days=i % 300),
            )
        _feed, token = subscribe(personas.bob, scope)
        with CaptureQueriesContext(connection) as queries:
            response = fetch(client, token)
        assert len(components(response.content)) == n
        return len(queries)

    few, many = count_queries(5), count_queries(200)
    assert few == many <= 8
