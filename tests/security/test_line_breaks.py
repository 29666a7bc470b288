"""Line breaks typed into the application cannot add properties to a calendar or headers to an e-mail.

The text goes in the way users put it in (the review form, the REST API, the
calendar page) and comes out where a CR/LF would count: an iCalendar feed
read by an independent parser, and a reminder e-mail as the mail server gets it.
"""
from __future__ import annotations

import datetime as dt
import json
import re
from email import message_from_bytes

import pytest
import vobject
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from tests.security.conftest import SOON
from tracker import feeds, services, tokens
from tracker.models import ActionItem, CalendarFeed
from tracker.reminders import notify_new_assignments
from tracker.sending import reminders_send_due

pytestmark = pytest.mark.django_db

ICAL_INJECTION = "Budget\r\nATTENDEE:mailto:ond@example.org\r\nEND:VEVENT\r\nBEGIN:VEVENT\r\nSUMMARY:Falsk frist"
HEADER_INJECTION = "Budget\r\nBcc: alle@example.org\r\nX-Injected: ja\nSubject: Falsk"


def calendar(client, token: str) -> vobject.base.Component:
    response = client.get(reverse("tracker:feed", kwargs={"token": token}))
    assert response.status_code == 200
    return vobject.readOne(response.content.decode())


@pytest.fixture
def item(world) -> ActionItem:
    return world.item


def test_it_keeps_a_title_saved_through_the_api_to_one_calendar_event(client, world, item):
    client.force_login(world.personas.alice)
    response = client.patch(
        reverse("api:action-item-detail", args=[item.pk]), json.dumps({"title": ICAL_INJECTION}),
        content_type="application/json",
    )
    assert response.status_code == 200

    cal = calendar(client, world.token)

    events = [c for c in cal.getChildren() if c.name == "VEVENT"]
    assert len(events) == ActionItem.objects.filter(status=ActionItem.Status.OPEN).count()
    (event,) = [e for e in events if "Budget" in e.summary.value]
    assert "ATTENDEE" not in event.contents
    assert "\n" not in event.summary.value and "\r" not in event.summary.value
    assert not any(e.summary.value.startswith("Falsk") for e in events)


def test_it_keeps_a_title_edited_in_review_to_one_calendar_event(client, world):
    proposal = world.proposal
    client.force_login(world.personas.alice)
    response = client.post(reverse("minutes:review_edit", args=[world.meeting.pk, proposal.pk]), {
        "title": ICAL_INJECTION, "due_date": SOON.isoformat(), "precision": "day",
        "responsible_role": world.personas.role.pk, "responsible_person": "",
        "expected_version": proposal.version, "confirm": "1",
    })
    assert response.status_code == 302

    cal = calendar(client, world.token)

    summaries = [c.summary.value for c in cal.getChildren() if c.name == "VEVENT"]
    assert len([s for s in summaries if "Budget" in s and "ATTENDEE" in s]) == 1  # as text, on one line
    assert not any(s.startswith("Falsk") for s in summaries)


def test_it_keeps_the_name_a_user_gives_a_calendar_on_one_line(client, world):
    client.force_login(world.personas.bob)
    response = client.post(reverse("tracker:calendar"), {"shows": "mine", "name": ICAL_INJECTION})
    assert response.status_code == 302
    page = client.get(reverse("tracker:calendar")).content.decode()
    feed = CalendarFeed.objects.filter(owner=world.personas.bob, revoked_at=None).latest("pk")
    token = re.search(r"/kalender/([A-Za-z0-9_-]{20,200})\.ics", page).group(1)
    assert tokens.token_digest(token) == feed.token_hash

    cal = calendar(client, token)

    assert "\n" not in cal.contents["x-wr-calname"][0].value
    assert len([c for c in cal.getChildren() if c.name == "VEVENT"]) == len(feeds.feed_items(feed, today=timezone.localdate()))


def test_it_keeps_line_breaks_in_a_title_out_of_the_e_mail_headers(client, world, item):
    client.force_login(world.personas.alice)
    response = client.patch(
        reverse("api:action-item-detail", args=[item.pk]), json.dumps({"title": HEADER_INJECTION}),
        content_type="application/json",
    )
    assert response.status_code == 200
    item.refresh_from_db()
    notify_new_assignments(items=[item], by=world.personas.alice)

    reminders_send_due(now=timezone.now() + dt.timedelta(hours=1))

    (message,) = mail.outbox
    assert "\n" not in message.subject and "\r" not in message.subject
    parsed = message_from_bytes(message.message().as_bytes())
    assert parsed["Bcc"] is None and parsed["X-Injected"] is None
    assert parsed.get_all("Subject") and len(parsed.get_all("Subject")) == 1
    assert [address.rsplit("<", 1)[-1].rstrip(">") for address in message.recipients()] == ["bob@example.org"]


def test_it_keeps_a_due_date_change_reason_with_line_breaks_out_of_the_headers(client, world, item):
    """The reason goes into the history and the mail body, never a header."""
    services.action_item_update(item=item, by=world.personas.alice, due_date=SOON + dt.timedelta(days=30),
                                reason=HEADER_INJECTION)
    notify_new_assignments(items=[item], by=world.personas.alice)

    reminders_send_due(now=timezone.now() + dt.timedelta(hours=1))

    for message in mail.outbox:
        parsed = message_from_bytes(message.message().as_bytes())
        assert parsed["Bcc"] is None and parsed["X-Injected"] is None
