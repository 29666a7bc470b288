"""The "Kalender" page: create a feed for a scope, copy its URL once, see when it was fetched, revoke it."""
from __future__ import annotations

import datetime as dt
import re
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.urls import reverse

from tests.conftest import PASSWORD
from tests.factories import ActionItemFactory, BodyFactory, RoleFactory
from tracker import feeds, tokens
from tracker.models import CalendarFeed

pytestmark = pytest.mark.django_db

SITE_URL = "https://opfoelgning.example.dk"
FEED_URL = re.compile(r"https://opfoelgning\.example\.dk/kalender/([A-Za-z0-9_-]{43})\.ics")


@pytest.fixture(autouse=True)
def _site(settings) -> None:
    settings.SITE_URL = SITE_URL
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


def login(client, user) -> None:
    assert client.login(username=user.username, password=PASSWORD)


def create(client, shows: str, name: str = ""):
    return client.post(reverse("tracker:calendar"), {"shows": shows, "name": name}, follow=True)


def test_it_asks_for_login(client):
    response = client.get(reverse("tracker:calendar"))

    assert response.status_code == 302 and "/konto/login/" in response["Location"]


def test_it_creates_a_feed_and_shows_its_url_only_once(client, personas):
    ActionItemFactory(body=personas.body, title="Budgetnotat", responsible_role=personas.role,
                             due_date=dt.date.today() + dt.timedelta(days=7))
    login(client, personas.bob)

    page = create(client, "mine", name="Mine frister").content.decode()

    token = FEED_URL.search(page).group(1)
    assert "Kopiér adressen nu" in page
    assert 'data-copy="feed-url"' in page
    assert f'href="webcal://opfoelgning.example.dk/kalender/{token}.ics"' in page
    assert f"{SITE_URL}/kalender/{token}.ics?format=todo" in page
    feed = CalendarFeed.objects.get(owner=personas.bob)
    assert (feed.scope, feed.name, feed.token_hash) == ("mine", "Mine frister", tokens.token_digest(token))
    assert b"SUMMARY:Frist: Budgetnotat" in client.get(reverse("tracker:feed", kwargs={"token": token})).content

    again = client.get(reverse("tracker:calendar")).content.decode()
    assert token not in again and "Mine frister" in again


def test_it_creates_feeds_for_a_role_and_a_forum_i_belong_to(client, personas):
    login(client, personas.carol)

    create(client, f"role:{personas.role.pk}")
    create(client, f"body:{personas.body.pk}")
    create(client, "all")

    assert {(f.scope, f.role_id, f.body_id) for f in CalendarFeed.objects.filter(owner=personas.carol)} == {
        ("role", personas.role.pk, None), ("body", None, personas.body.pk), ("all", None, None),
    }


def test_it_lists_only_my_own_live_feeds_with_their_last_fetch(client, personas):
    mine, token = feeds.calendar_feed_create(owner=personas.bob, scope="mine", name="Bobs kalender")
    revoked, _t = feeds.calendar_feed_create(owner=personas.bob, scope="all", name="Gammel kalender")
    feeds.calendar_feed_revoke(feed=revoked)
    feeds.calendar_feed_create(owner=personas.carol, scope="all", name="Carols kalender")
    with time_machine.travel(dt.datetime(2022, 5, 2, 10, 15, tzinfo=ZoneInfo("Europe/Copenhagen")), tick=False):
        client.get(reverse("tracker:feed", kwargs={"token": token}))
    login(client, personas.bob)

    page = client.get(reverse("tracker:calendar")).content.decode()

    assert "Bobs kalender" in page and "2. maj 2022 kl. 10.15" in page
    assert "Gammel kalender" not in page and "Carols kalender" not in page


def test_it_says_when_a_feed_was_never_fetched(client, personas):
    feeds.calendar_feed_create(owner=personas.bob, scope="mine")
    login(client, personas.bob)

    assert "Endnu ikke hentet" in client.get(reverse("tracker:calendar")).content.decode()


def test_it_revokes_a_feed_so_its_url_stops_working(client, personas):
    feed, token = feeds.calendar_feed_create(owner=personas.bob, scope="mine", name="Bobs kalender")
    login(client, personas.bob)

    response = client.post(reverse("tracker:calendar_revoke", kwargs={"pk": feed.pk}), follow=True)

    assert "Kalenderen “Bobs kalender” er tilbagekaldt" in response.content.decode()
    feed.refresh_from_db()
    assert feed.revoked_at is not None
    assert client.get(reverse("tracker:feed", kwargs={"token": token})).status_code == 404


def test_it_refuses_to_revoke_someone_elses_feed(client, personas):
    feed, token = feeds.calendar_feed_create(owner=personas.bob, scope="mine")
    login(client, personas.carol)

    response = client.post(reverse("tracker:calendar_revoke", kwargs={"pk": feed.pk}))

    assert response.status_code == 404
    feed.refresh_from_db()
    assert feed.revoked_at is None
    assert client.get(reverse("tracker:feed", kwargs={"token": token})).status_code == 200


def test_it_refuses_an_outsider_a_feed_for_a_forum_or_its_role(client, personas):
    login(client, personas.dave)

    page = client.get(reverse("tracker:calendar")).content.decode()
    assert "Chefforum" not in page and "Chef for Økonomi" not in page

    for shows in (f"body:{personas.body.pk}", f"role:{personas.role.pk}"):
        response = client.post(reverse("tracker:calendar"), {"shows": shows})
        assert response.status_code == 400
        assert "gyldig" in response.content.decode()
    assert not CalendarFeed.objects.exists()


def test_it_refuses_a_member_a_forum_they_do_not_belong_to(client, personas):
    other = BodyFactory(name="Direktionen")
    other_role = RoleFactory(name="Kommunaldirektør", body=other)
    login(client, personas.bob)

    for shows in (f"body:{other.pk}", f"role:{other_role.pk}", "role:", "nonsense"):
        assert client.post(reverse("tracker:calendar"), {"shows": shows}).status_code == 400
    assert not CalendarFeed.objects.exists()
