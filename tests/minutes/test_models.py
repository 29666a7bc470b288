import datetime as dt

import pytest
from django.db import IntegrityError, transaction

from minutes.models import AgendaItem, Meeting
from tests.factories import AgendaItemFactory, BodyFactory, MeetingFactory

pytestmark = pytest.mark.django_db


def test_it_rejects_a_second_agenda_item_with_the_same_number_in_a_meeting():
    item = AgendaItemFactory(number=4)
    with pytest.raises(IntegrityError), transaction.atomic():
        AgendaItem.objects.create(meeting=item.meeting, number=4, title="Dublet")
    assert item.meeting.agenda_items.count() == 1


def test_it_allows_the_same_number_in_another_meeting():
    item = AgendaItemFactory(number=4)
    other = AgendaItemFactory(number=4)
    assert item.meeting != other.meeting


def test_it_rejects_two_meetings_of_one_forum_on_the_same_day():
    body = BodyFactory()
    MeetingFactory(body=body, date=dt.date(2022, 4, 28))
    with pytest.raises(IntegrityError), transaction.atomic():
        Meeting.objects.create(body=body, date=dt.date(2022, 4, 28))


def test_it_rejects_the_same_source_file_twice():
    MeetingFactory(source_sha256="a" * 64)
    with pytest.raises(IntegrityError), transaction.atomic():
        MeetingFactory(source_sha256="a" * 64)
