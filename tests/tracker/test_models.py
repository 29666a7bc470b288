"""Each invariant the database enforces, proven by violating it."""
import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from tracker import services, tokens
from tracker.models import CalendarFeed, Reminder, RoleAssignment
from tests.factories import (
    ActionItemFactory,
    PersonFactory,
    RoleAssignmentFactory,
    RoleFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db


def test_it_rejects_a_window_that_starts_after_the_due_date():
    with pytest.raises(IntegrityError), transaction.atomic():
        ActionItemFactory(window_start=dt.date(2022, 6, 1), due_date=dt.date(2022, 5, 12))


def test_it_accepts_a_month_window_ending_on_the_due_date():
    item = ActionItemFactory(window_start=dt.date(2022, 5, 1), due_date=dt.date(2022, 5, 31), precision="month")
    assert item.pk


def test_it_rejects_an_unknown_status():
    with pytest.raises(IntegrityError), transaction.atomic():
        ActionItemFactory(status="forgotten")


def test_it_rejects_a_second_holder_of_a_non_shared_role_in_the_same_period():
    role = RoleFactory(name="Kommunaldirektør")
    RoleAssignmentFactory(role=role, starts_on=dt.date(2021, 1, 1))
    with pytest.raises(IntegrityError), transaction.atomic():
        RoleAssignment.objects.create(role=role, person=PersonFactory(), starts_on=dt.date(2022, 1, 1), shared=False)


def test_it_allows_consecutive_holders_of_a_non_shared_role():
    role = RoleFactory(name="Kommunaldirektør")
    RoleAssignmentFactory(role=role, starts_on=dt.date(2021, 1, 1), ends_on=dt.date(2022, 1, 1))
    RoleAssignmentFactory(role=role, starts_on=dt.date(2022, 1, 1))
    assert role.assignments.count() == 2


def test_it_allows_several_holders_of_a_shared_role():
    role = RoleFactory(name="Afdelingschef", is_shared=True)
    RoleAssignmentFactory(role=role, starts_on=dt.date(2021, 1, 1))
    RoleAssignmentFactory(role=role, starts_on=dt.date(2021, 6, 1))
    assert role.assignments.count() == 2


def test_it_rejects_an_assignment_that_ends_before_it_starts():
    with pytest.raises(IntegrityError), transaction.atomic():
        RoleAssignmentFactory(starts_on=dt.date(2022, 1, 1), ends_on=dt.date(2021, 1, 1))


def test_it_rejects_a_second_reminder_for_the_same_item_recipient_kind_and_day():
    item = ActionItemFactory()
    person = PersonFactory()
    fields = dict(item=item, recipient=person, kind=Reminder.Kind.BEFORE, send_on=dt.date(2022, 5, 5))
    Reminder.objects.create(due_at=timezone.now(), **fields)
    with pytest.raises(IntegrityError), transaction.atomic():
        Reminder.objects.create(due_at=timezone.now(), **fields)


def test_it_rejects_a_second_digest_for_the_same_person_and_day():
    person = PersonFactory()
    fields = dict(recipient=person, kind=Reminder.Kind.DIGEST, send_on=dt.date(2022, 5, 9))
    Reminder.objects.create(due_at=timezone.now(), **fields)
    with pytest.raises(IntegrityError), transaction.atomic():
        Reminder.objects.create(due_at=timezone.now(), **fields)


def test_it_rejects_a_duplicate_feed_token():
    owner = UserFactory()
    CalendarFeed.objects.create(owner=owner, token_hash=tokens.token_digest("secret"))
    with pytest.raises(IntegrityError), transaction.atomic():
        CalendarFeed.objects.create(owner=owner, token_hash=tokens.token_digest("secret"))


def test_it_rejects_a_role_feed_without_a_role():
    with pytest.raises(IntegrityError), transaction.atomic():
        CalendarFeed.objects.create(owner=UserFactory(), scope=CalendarFeed.Scope.ROLE, token_hash="x" * 64)


def test_role_assign_hands_over_a_role_and_moves_open_items_to_the_new_holder():
    role = RoleFactory(name="Kommunaldirektør")
    old, new = PersonFactory(name="Gammel"), PersonFactory(name="Ny")
    services.role_assign(role=role, person=old, starts_on=dt.date(2021, 1, 1))
    item = ActionItemFactory(responsible_role=role, responsible_person=old)

    services.role_assign(role=role, person=new, starts_on=dt.date(2023, 1, 1))

    item.refresh_from_db()
    assert item.responsible_person == new
    assert item.version == 2
    assert item.events.get().kind == "handover"
    assert RoleAssignment.objects.get(person=old).ends_on == dt.date(2023, 1, 1)


def test_role_assign_explains_an_overlap_instead_of_failing_in_the_database():
    role = RoleFactory(name="Kommunaldirektør")
    services.role_assign(role=role, person=PersonFactory(), starts_on=dt.date(2021, 1, 1), ends_on=dt.date(2022, 1, 1))
    with pytest.raises(ValidationError, match="allerede besat"):
        services.role_assign(role=role, person=PersonFactory(), starts_on=dt.date(2021, 6, 1))
