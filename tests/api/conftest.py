"""A small world for the API tests, on top of the shared personas.

Chefforum has one meeting with an open agenda item and a confidential one
("Lukket"); Direktionen is a forum none of the personas but the administrator
is in.
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import pytest
from rest_framework.test import APIClient

from api.keys import api_key_create
from minutes.models import AgendaItem, Attachment, Body, Meeting
from tests.factories import ActionItemFactory, AgendaItemFactory, BodyFactory, MeetingFactory
from tracker.models import ActionItem

SECRET = "Fortroligt personaleforhold hos Hansen"


@dataclass
class World:
    personas: object
    meeting: Meeting
    agenda_item: AgendaItem
    closed_item: AgendaItem
    bobs_item: ActionItem
    proposal: ActionItem
    from_closed: ActionItem
    other_body: Body
    other_item: ActionItem


@pytest.fixture
def world(personas) -> World:
    body = personas.body
    meeting = MeetingFactory(body=body, date=dt.date(2022, 4, 28), participants=["Alice Sekretær", "Bob Økonomichef"])
    agenda_item = AgendaItemFactory(
        meeting=meeting, number=4, title="CF - Opfølgning på Lederdøgn", case_number="00.01.00-A21-2-21",
        sections={"Beslutning": "Kommissorierne skal være færdige til 12. maj."},
    )
    Attachment.objects.create(agenda_item=agenda_item, title="Arbejdsgrupper - efter Lederdøgn")
    closed_item = AgendaItemFactory(
        meeting=meeting, number=2, title=SECRET, case_number="81.03.00-G01-1-22", closed=True,
        outcome=AgendaItem.Outcome.CLOSED, sections={"Beslutning": SECRET},
    )
    Attachment.objects.create(agenda_item=closed_item, title=SECRET)
    bobs_item = ActionItemFactory(
        body=body, source_item=agenda_item, title="Kommissorierne skal være færdige",
        quote="Kommissorierne skal være færdige til 12. maj.", responsible_role=personas.role,
        due_date=dt.date(2022, 5, 12),
    )
    proposal = ActionItemFactory(
        body=body, source_item=agenda_item, title="Mette sender en mail til Chefforum",
        status=ActionItem.Status.PROPOSED, due_date=None, window_start=None, precision=ActionItem.Precision.NONE,
    )
    from_closed = ActionItemFactory(
        body=body, source_item=closed_item, title=SECRET, quote=SECRET + " afsluttes.", responsible_text=SECRET,
        responsible_role=personas.role,
    )
    other_body = BodyFactory(name="Direktionen", slug="direktionen")
    other_item = ActionItemFactory(body=other_body, title="Direktionens egen opfølgning")
    return World(personas, meeting, agenda_item, closed_item, bobs_item, proposal, from_closed, other_body, other_item)


PERSONAS = ("alice", "bob", "carol", "dave", "admin")


@pytest.fixture
def client_for(personas):
    """An API client logged in as a persona through an API key, as another system would be."""
    keys: dict[str, str] = {}

    def make(name: str | None) -> APIClient:
        client = APIClient()
        if name is not None:
            if name not in keys:
                keys[name] = api_key_create(user=getattr(personas, name))
            client.credentials(HTTP_AUTHORIZATION=f"Token {keys[name]}")
        return client

    return make
