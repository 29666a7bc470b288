"""Home, login and password reset, and "Mine opgaver" with its one-click "Udført" and undo."""
from __future__ import annotations

import datetime as dt
import re
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core import mail
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from tests.conftest import PASSWORD
from tests.factories import ActionItemFactory, AgendaItemFactory, MeetingFactory
from tracker.models import ActionItem

pytestmark = pytest.mark.django_db

# Wednesday 1 June 2022: this week runs to Sunday 5 June.
NOW = dt.datetime(2022, 6, 1, 9, 0, tzinfo=ZoneInfo("Europe/Copenhagen"))
MY_ITEMS = reverse("tracker:my_items")


@pytest.fixture(autouse=True)
def frozen():
    with time_machine.travel(NOW, tick=False):
        yield


@pytest.fixture
def bobs_items(personas):
    """Bob's open items (through his role), one in each section of "Mine opgaver"."""
    meeting = MeetingFactory(body=personas.body, date=dt.date(2022, 4, 28))
    agenda = AgendaItemFactory(meeting=meeting, number=4, title="CF - Opfølgning på Lederdøgn")
    make = dict(body=personas.body, responsible_role=personas.role, source_item=agenda)
    return {
        "overdue": ActionItemFactory(title="Kommissorier færdige", due_date=dt.date(2022, 5, 12), **make),
        "very_overdue": ActionItemFactory(title="Liste over medarbejdere", due_date=dt.date(2022, 5, 2), **make),
        "this_week": ActionItemFactory(title="Status til Chefforum", due_date=dt.date(2022, 6, 3), **make),
        "later": ActionItemFactory(
            title="Produkt fra arbejdsgrupperne", window_start=dt.date(2022, 9, 1), due_date=dt.date(2022, 9, 10),
            precision=ActionItem.Precision.MONTH_PART, **make,
        ),
        "undated": ActionItemFactory(
            title="Mail til Chefforum", due_date=None, window_start=None, precision=ActionItem.Precision.NONE, **make
        ),
    }


def section_titles(html: str, key: str) -> list[str]:
    section = re.search(rf'<section class="item-section section-{key}".*?</section>', html, re.S)
    if section is None:
        return []
    return re.findall(r'class="item-title"[^>]*>([^<]+)</a>', section.group(0))


# -- Home and login --------------------------------------------------------------------------------


def test_it_sends_anonymous_visitors_from_the_front_page_to_the_login(client):
    response = client.get("/")
    assert response.status_code == 302 and response.url == reverse("login")


def test_it_sends_a_logged_in_user_from_the_front_page_to_mine_opgaver(client, personas):
    client.force_login(personas.bob)
    assert client.get("/").url == MY_ITEMS


def test_it_shows_the_login_page_in_danish_and_lands_on_mine_opgaver(client, personas):
    page = client.get(reverse("login")).content.decode()
    assert "Log ind" in page and "Glemt adgangskoden?" in page

    response = client.post(reverse("login"), {"username": "bob", "password": PASSWORD})
    assert response.status_code == 302 and response.url == MY_ITEMS


def test_it_tells_a_user_with_a_wrong_password_in_danish(client, personas):
    response = client.post(reverse("login"), {"username": "bob", "password": "forkert"})
    assert response.status_code == 200
    assert "Indtast venligst korrekt brugernavn og adgangskode" in response.content.decode()


def test_it_mails_a_danish_password_reset_link_that_sets_a_new_password(client, personas):
    response = client.post(reverse("password_reset"), {"email": "bob@example.org"})
    assert response.status_code == 302
    assert "Tjek din e-mail" in client.get(response.url).content.decode()

    [message] = mail.outbox
    assert message.subject == "Ny adgangskode til Referat → opfølgning"
    assert "Vælg en ny adgangskode her" in message.body and "Dit brugernavn er: bob" in message.body
    link = re.search(r"http://testserver(/konto/reset/\S+)", message.body).group(1)

    form_page = client.get(link, follow=True)
    assert "Vælg ny adgangskode" in form_page.content.decode()
    new_password = "en-helt-ny-og-lang-kode-77"
    done = client.post(form_page.redirect_chain[-1][0], {"new_password1": new_password, "new_password2": new_password})
    assert done.status_code == 302
    assert "Adgangskoden er gemt" in client.get(done.url).content.decode()
    assert client.login(username="bob", password=new_password)


def test_it_lets_a_logged_in_user_change_the_password_in_danish(client, personas):
    client.force_login(personas.bob)
    assert f'href="{reverse("password_change")}"' in client.get(MY_ITEMS).content.decode()
    new_password = "en-anden-lang-kode-2022"
    response = client.post(reverse("password_change"), {
        "old_password": PASSWORD, "new_password1": new_password, "new_password2": new_password,
    })
    assert response.status_code == 302
    assert "Adgangskoden er skiftet" in client.get(response.url).content.decode()
    personas.bob.refresh_from_db()
    assert personas.bob.check_password(new_password)


def test_it_says_nothing_about_whether_an_address_has_a_login(client, personas):
    response = client.post(reverse("password_reset"), {"email": "ukendt@example.org"})
    assert response.status_code == 302 and mail.outbox == []


# -- Mine opgaver ----------------------------------------------------------------------------------


def test_it_asks_anonymous_visitors_to_log_in(client):
    response = client.get(MY_ITEMS)
    assert response.status_code == 302 and response.url.startswith(reverse("login"))


def test_it_shows_the_owner_overdue_first_then_this_week_later_and_undated(client, personas, bobs_items):
    client.force_login(personas.bob)
    html = client.get(MY_ITEMS).content.decode()

    assert section_titles(html, "overdue") == ["Liste over medarbejdere", "Kommissorier færdige"]
    assert section_titles(html, "this_week") == ["Status til Chefforum"]
    assert section_titles(html, "later") == ["Produkt fra arbejdsgrupperne"]
    assert section_titles(html, "undated") == ["Mail til Chefforum"]
    assert html.index("section-overdue") < html.index("section-this_week") < html.index("section-later")
    assert "30 dage over fristen" in html and "20 dage over fristen" in html
    assert "Primo september 2022" in html and "3. juni 2022" in html
    assert "møde 28. april 2022, punkt 4" in html
    assert "5 åbne opfølgninger" in html and "2 over fristen" in html


def test_it_shows_the_quote_on_demand(client, personas, bobs_items):
    client.force_login(personas.bob)
    html = client.get(MY_ITEMS).content.decode()
    assert '<details class="quote">' in html
    assert "<blockquote lang=\"da\">Kommissorier færdige skal være færdig.</blockquote>" in html


def test_it_shows_items_assigned_to_me_by_name_too(client, personas):
    item = ActionItemFactory(body=personas.body, responsible_person=personas.carol.person, title="Carols opgave")
    client.force_login(personas.carol)
    html = client.get(MY_ITEMS).content.decode()
    assert "Carols opgave" in html and f'id="item-row-{item.pk}"' in html


@pytest.mark.parametrize("who", ["carol", "alice", "dave"])
def test_it_shows_others_none_of_bobs_items(client, personas, bobs_items, who):
    client.force_login(getattr(personas, who))
    response = client.get(MY_ITEMS)
    assert response.status_code == 200
    html = response.content.decode()
    assert "Kommissorier færdige" not in html
    assert "Du har ingen åbne opfølgninger." in html


def test_it_leaves_out_items_that_are_not_open(client, personas, bobs_items):
    ActionItemFactory(body=personas.body, responsible_role=personas.role, title="Forslaget", status="proposed")
    ActionItemFactory(body=personas.body, responsible_role=personas.role, title="Det klarede", status="done")
    client.force_login(personas.bob)
    html = client.get(MY_ITEMS).content.decode()
    assert "Forslaget" not in html and "Det klarede" not in html


def test_it_explains_a_login_without_a_person(client, django_user_model):
    user = django_user_model.objects.create_user("nyansat", password=PASSWORD)
    client.force_login(user)
    assert "ikke knyttet til en person" in client.get(MY_ITEMS).content.decode()


# -- One-click "Udført" and undo -------------------------------------------------------------------


def test_it_marks_done_without_javascript_and_offers_an_undo(client, personas, bobs_items):
    item = bobs_items["overdue"]
    client.force_login(personas.bob)
    response = client.post(reverse("tracker:item_complete", args=[item.pk]), {
        "expected_version": item.version, "comment": "Sendt til høring",
        "next": f"{MY_ITEMS}?udfoert={item.pk}",
    })
    assert response.status_code == 302 and response.url == f"{MY_ITEMS}?udfoert={item.pk}"

    item.refresh_from_db()
    assert item.status == "done"
    event = item.events.get()
    assert (event.kind, event.actor, event.comment) == ("completed", personas.bob, "Sendt til høring")
    html = client.get(response.url).content.decode()
    assert "Kommissorier færdige</strong> er markeret som udført" in html
    assert section_titles(html, "overdue") == ["Liste over medarbejdere"]
    assert reverse("tracker:item_reopen", args=[item.pk]) in html

    undo = client.post(reverse("tracker:item_reopen", args=[item.pk]), {
        "expected_version": item.version, "next": MY_ITEMS,
    })
    assert undo.url == MY_ITEMS
    item.refresh_from_db()
    assert item.status == "open"
    assert section_titles(client.get(MY_ITEMS).content.decode(), "overdue") == [
        "Liste over medarbejdere", "Kommissorier færdige",
    ]


def test_it_marks_done_in_place_with_htmx_and_undoes_in_place(client, personas, bobs_items):
    item = bobs_items["this_week"]
    client.force_login(personas.bob)
    row = f"item-row-{item.pk}"
    response = client.post(
        reverse("tracker:item_complete", args=[item.pk]), {"expected_version": item.version, "comment": ""},
        HTTP_HX_REQUEST="true", HTTP_HX_TARGET=row,
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert html.strip().startswith(f'<li class="item-row is-done" id="{row}"')
    assert "er markeret som udført" in html and "Fortryd" in html
    assert "<html" not in html

    item.refresh_from_db()
    undo = client.post(
        reverse("tracker:item_reopen", args=[item.pk]), {"expected_version": item.version, "comment": ""},
        HTTP_HX_REQUEST="true", HTTP_HX_TARGET=row,
    )
    assert undo.status_code == 200
    assert 'class="item-row"' in undo.content.decode() and ">Udført</button>" in undo.content.decode()
    item.refresh_from_db()
    assert item.status == "open"


def test_it_refuses_a_stale_udfoert_with_a_danish_message_in_the_row(client, personas, bobs_items):
    item = bobs_items["later"]
    seen = item.version
    from tracker import services

    services.action_item_update(item=item, by=personas.alice, due_date=dt.date(2022, 9, 30))
    client.force_login(personas.bob)
    response = client.post(
        reverse("tracker:item_complete", args=[item.pk]), {"expected_version": seen},
        HTTP_HX_REQUEST="true", HTTP_HX_TARGET=f"item-row-{item.pk}",
    )
    assert response.status_code == 409
    assert "ændret af en anden" in response.content.decode()
    assert "30. september 2022" in response.content.decode()
    item.refresh_from_db()
    assert item.status == "open"


@pytest.mark.parametrize("who, status", [("carol", 403), ("dave", 404), ("alice", 302)])
def test_it_lets_only_the_owner_and_the_secretary_mark_done(client, personas, bobs_items, who, status):
    item = bobs_items["overdue"]
    client.force_login(getattr(personas, who))
    response = client.post(reverse("tracker:item_complete", args=[item.pk]), {"expected_version": item.version})
    assert response.status_code == status
    item.refresh_from_db()
    assert item.status == ("done" if status == 302 else "open")


def test_it_sends_an_anonymous_udfoert_to_the_login_and_changes_nothing(client, bobs_items):
    item = bobs_items["overdue"]
    response = client.post(reverse("tracker:item_complete", args=[item.pk]), {"expected_version": item.version})
    assert response.status_code == 302 and response.url.startswith(reverse("login"))
    item.refresh_from_db()
    assert item.status == "open"


# -- Constant queries ------------------------------------------------------------------------------


def _count_queries(client) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(MY_ITEMS).status_code == 200
    return len(queries)


def test_it_uses_the_same_number_of_queries_for_5_and_200_items(client, personas):
    def add(n: int) -> None:
        for i in range(n):
            meeting = MeetingFactory(body=personas.body)
            ActionItemFactory(
                body=personas.body, responsible_role=personas.role,
                source_item=AgendaItemFactory(meeting=meeting),
                due_date=dt.date(2022, 5, 1) + dt.timedelta(days=i % 90) if i % 7 else None,
            )

    client.force_login(personas.bob)
    add(5)
    few = _count_queries(client)
    add(195)
    many = _count_queries(client)
    assert many == few
    assert "200 åbne opfølgninger" in client.get(MY_ITEMS).content.decode()
