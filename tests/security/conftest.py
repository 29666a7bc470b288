"""A small world with one object behind every URL, for the authorization matrix and the CSRF tests.

On top of the personas (Chefforum; alice secretary, bob chef holding "Chef for
Økonomi", carol chef, dave outsider, admin): two meetings, bob's open and done
follow-ups from the first, a proposal waiting for review in the second, a link
between the two meetings, bob's calendar feed, a failed reminder, a group and
an API token (so every admin page has an object).
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import pytest
from django.contrib.auth.models import Group
from django.utils import timezone

from api.keys import api_key_create
from minutes.models import AgendaItem, Meeting
from tests.factories import ActionItemFactory, AgendaItemFactory, MeetingFactory
from tracker import feeds, services
from tracker.models import ActionItem, ActionItemLink, CalendarFeed, Person, Reminder, RoleAssignment

# Deadlines a calendar feed shows (its window runs from 90 days back to two years ahead of today).
SOON = dt.date.today() + dt.timedelta(days=60)
DECISION = "Økonomichefen sender budgettet til Chefforum inden 1. juli 2022."
MEETING_TEXT = f"Punkt 1: CF - Budget 2023\n\nBeslutning\n\n{DECISION}\n\nPunkt 2: CF - Eventuelt\n\nIntet.\n"


@dataclass
class World:
    personas: object
    earlier: Meeting
    meeting: Meeting
    agenda_item: AgendaItem
    item: ActionItem
    done_item: ActionItem
    proposal: ActionItem
    link: ActionItemLink
    feed: CalendarFeed
    token: str
    reminder: Reminder
    assignment: RoleAssignment
    bob_person: Person
    carol_person: Person


@pytest.fixture
def world(personas) -> World:
    body, role = personas.body, personas.role
    earlier = MeetingFactory(body=body, date=dt.date(2022, 3, 1))
    earlier_item = AgendaItemFactory(meeting=earlier, number=3, title="CF - Budget 2023", case_number="22/12345")
    item = ActionItemFactory(
        body=body, source_item=earlier_item, responsible_role=role, title="Budgetudkast til Chefforum",
        quote="Økonomichefen udarbejder et budgetudkast.", due_date=SOON,
    )
    done_item = ActionItemFactory(
        body=body, source_item=earlier_item, responsible_role=role, title="Tal for første kvartal",
        status=ActionItem.Status.DONE, completed_at=timezone.now(),
    )
    meeting = MeetingFactory(body=body, date=dt.date(2022, 6, 2), text=MEETING_TEXT)
    start = MEETING_TEXT.index("Punkt 2")
    agenda_item = AgendaItemFactory(
        meeting=meeting, number=1, title="CF - Budget 2023", case_number="22/12345", text_start=0, text_end=start,
        sections={"Beslutning": DECISION},
    )
    AgendaItemFactory(meeting=meeting, number=2, title="CF - Eventuelt", case_number="", text_start=start,
                      text_end=len(MEETING_TEXT))
    quote_start = MEETING_TEXT.index(DECISION)
    proposal = ActionItemFactory(
        body=body, source_item=agenda_item, status=ActionItem.Status.PROPOSED, title="Send budgettet",
        quote=DECISION, quote_start=quote_start, quote_end=quote_start + len(DECISION), section="Beslutning",
        due_date=dt.date(2022, 7, 1), responsible_role=role, responsible_text="Økonomichefen",
    )
    link = ActionItemLink.objects.create(
        item=item, meeting=meeting, agenda_item=agenda_item, reason=ActionItemLink.Reason.CASE_NUMBER,
        proposal=ActionItemLink.Proposal.CLOSE,
    )
    feed, token = feeds.calendar_feed_create(owner=personas.bob, scope=CalendarFeed.Scope.MINE)
    bob_person = Person.objects.get(user=personas.bob)
    reminder = Reminder.objects.create(
        item=item, recipient=bob_person, kind=Reminder.Kind.OVERDUE, send_on=dt.date(2022, 6, 1),
        due_at=timezone.now(), status=Reminder.Status.FAILED, attempts=6, last_error="Postserveren svarede ikke.",
    )
    services.action_item_comment(item=item, by=personas.alice, comment="Husk bilagene.")
    item.refresh_from_db()
    Group.objects.create(name="Sekretærer")
    api_key_create(user=personas.bob)
    return World(
        personas=personas, earlier=earlier, meeting=meeting, agenda_item=agenda_item, item=item,
        done_item=done_item, proposal=proposal, link=link, feed=feed, token=token, reminder=reminder,
        assignment=RoleAssignment.objects.get(person=bob_person, role=role), bob_person=bob_person,
        carol_person=Person.objects.get(user=personas.carol),
    )
