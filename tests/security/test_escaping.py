"""Minutes are text, never markup: HTML and scripts in an imported file are shown as the characters they are.

A file with a <script> in a follow-up's sentence, an image with an onerror
handler in an agenda item's title and an iframe as the meeting place goes
through the importer like any other; every page that shows those texts
(meeting, review, item, lists, search, the e-mail to the responsible) must
show them escaped.
"""
from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from minutes.importing import import_minutes
from tracker import services
from tracker.models import ActionItem
from tracker.sending import reminders_send_due

pytestmark = pytest.mark.django_db

SAMPLE = Path(__file__).resolve().parents[2] / "minutes" / "samples" / "000_3bcc5eede57647e4.txt"
SCRIPT = "<script>alert('referat')</script>"
IMAGE = '<img src=x onerror="alert(1)">'
FRAME = '<iframe src="https://evil.example.org/"></iframe>'
RAW = (SCRIPT, IMAGE, FRAME, "<img src=x", "<iframe")
ESCAPED = ("&lt;script&gt;alert(&#x27;referat&#x27;)&lt;/script&gt;", "&lt;img src=x onerror=")


@pytest.fixture
def hostile(personas):
    text = SAMPLE.read_text(encoding="utf-8")
    text = text.replace("Mødested Mødelokale 1", f"Mødested Mødelokale 1 {FRAME}", 1)
    text = text.replace("Punkt 4: CF - Opfølgning på Lederdøgn", f"Punkt 4: CF - Opfølgning på {IMAGE} Lederdøgn")
    text = text.replace("Kommissorierne skal være færdige til 12. maj.",
                        f"Kommissorierne {SCRIPT} skal være færdige til 12. maj.")
    result = import_minutes(data=text.encode("utf-8"), filename="referat.txt")
    assert result.ok, result.message
    item = ActionItem.objects.get(quote__contains=SCRIPT)
    return result.meeting, item


def assert_shown_as_text(html: str, *expected: str) -> None:
    for raw in RAW:
        assert raw not in html, f"{raw!r} reached the page as markup"
    for escaped in expected:
        assert escaped in html


def test_it_shows_html_in_minutes_as_text_on_the_review_page(client, personas, hostile):
    meeting, _item = hostile
    client.force_login(personas.alice)

    html = client.get(reverse("minutes:review", args=[meeting.pk])).content.decode()

    assert_shown_as_text(html, *ESCAPED)


def test_it_shows_html_in_minutes_as_text_on_the_meeting_page(client, personas, hostile):
    meeting, item = hostile
    services.action_item_confirm(item=item, by=personas.alice)
    client.force_login(personas.bob)

    html = client.get(reverse("minutes:meeting_detail", args=[meeting.pk])).content.decode()

    assert_shown_as_text(html, *ESCAPED, "&lt;iframe")


def test_it_shows_a_follow_up_from_such_minutes_as_text_wherever_it_is_listed(client, personas, hostile):
    meeting, item = hostile
    services.action_item_update(item=item, by=personas.alice, title=f"Kommissorier {SCRIPT}",
                                responsible_role=personas.role)
    services.action_item_confirm(item=item, by=personas.alice)
    client.force_login(personas.bob)

    for url in (
        reverse("tracker:item_detail", args=[item.pk]),
        reverse("tracker:my_items"),
        reverse("tracker:item_list") + "?status=open&q=Kommissorier",
        reverse("minutes:search") + "?q=kommissorierne",
        reverse("tracker:followup_list", args=[personas.body.slug]),
    ):
        html = client.get(url).content.decode()
        assert_shown_as_text(html)
        assert "Kommissorier" in html, url


def test_it_escapes_such_a_follow_up_in_the_html_of_the_e_mail(personas, hostile):
    _meeting, item = hostile
    services.action_item_update(item=item, by=personas.alice, title=f"Kommissorier {SCRIPT}",
                                responsible_role=personas.role, due_date=dt.date(2030, 5, 12))
    services.action_item_confirm(item=item, by=personas.alice)
    from tracker.reminders import notify_new_assignments

    notify_new_assignments(items=[item], by=personas.alice)
    reminders_send_due(now=timezone.now() + dt.timedelta(hours=1))

    (message,) = [m for m in mail.outbox if "bob@example.org" in " ".join(m.to)]
    html = next(content for content, kind in message.alternatives if kind == "text/html")
    assert_shown_as_text(html, "&lt;script&gt;")
    assert SCRIPT in message.body  # the plain-text part shows the characters as they are
