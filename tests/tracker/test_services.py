import datetime as dt

import pytest
from django.core.exceptions import ValidationError

from tracker import services
from tracker.models import ActionItem
from tests.factories import ActionItemFactory, PersonFactory, UserFactory

pytestmark = pytest.mark.django_db


def test_it_confirms_a_proposal_and_records_who_did_it():
    secretary = UserFactory()
    item = ActionItemFactory(status=ActionItem.Status.PROPOSED)

    services.action_item_confirm(item=item, by=secretary)

    item.refresh_from_db()
    assert item.status == ActionItem.Status.OPEN
    event = item.events.get()
    assert (event.kind, event.actor, event.changes) == ("confirmed", secretary, {"status": ["proposed", "open"]})


def test_it_completes_with_a_comment_and_can_be_undone():
    user = UserFactory()
    item = ActionItemFactory()

    services.action_item_complete(item=item, by=user, comment="Sendt til ØU")
    item.refresh_from_db()
    assert item.status == ActionItem.Status.DONE and item.completed_at is not None

    services.action_item_reopen(item=item, by=user)
    item.refresh_from_db()
    assert item.status == ActionItem.Status.OPEN and item.completed_at is None
    assert [e.kind for e in item.events.all()] == ["completed", "reopened"]
    assert item.events.first().comment == "Sendt til ØU"


def test_it_refuses_to_overwrite_a_change_made_meanwhile():
    item = ActionItemFactory()
    seen_version = item.version
    services.action_item_update(item=item, by=UserFactory(), due_date=dt.date(2022, 6, 1), expected_version=seen_version)

    with pytest.raises(services.ConflictError):
        services.action_item_update(
            item=item, by=UserFactory(), due_date=dt.date(2022, 7, 1), expected_version=seen_version
        )
    item.refresh_from_db()
    assert item.due_date == dt.date(2022, 6, 1)


def test_it_records_a_due_date_change_with_its_reason_and_raises_the_version():
    item = ActionItemFactory(due_date=dt.date(2022, 5, 12))
    services.action_item_update(item=item, by=UserFactory(), due_date=dt.date(2022, 6, 1), reason="Afventer KL")
    item.refresh_from_db()
    assert item.version == 2 and item.edited
    event = item.events.get()
    assert event.kind == "due_changed"
    assert event.changes["due_date"] == ["2022-05-12", "2022-06-01"]
    assert event.comment == "Afventer KL"


def test_it_records_a_reassignment_separately_from_a_new_title():
    item = ActionItemFactory()
    person = PersonFactory(name="Mette Duekilde")
    services.action_item_update(item=item, by=None, title="Ny titel", responsible_person=person)
    assert sorted(item.events.values_list("kind", flat=True)) == ["edited", "reassigned"]


def test_it_refuses_to_complete_a_proposal():
    item = ActionItemFactory(status=ActionItem.Status.PROPOSED)
    with pytest.raises(ValidationError):
        services.action_item_complete(item=item, by=None)
    item.refresh_from_db()
    assert item.status == ActionItem.Status.PROPOSED and not item.events.exists()


def test_it_refuses_a_window_that_ends_before_it_starts():
    item = ActionItemFactory()
    with pytest.raises(ValidationError):
        services.action_item_update(
            item=item, by=None, window_start=dt.date(2022, 7, 1), due_date=dt.date(2022, 6, 1), precision="month"
        )
    item.refresh_from_db()
    assert item.due_date == dt.date(2022, 5, 12) and item.version == 1
