"""The secretaries' outbox page: who gets no reminders, what waits, what failed."""
import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from tests.conftest import PASSWORD
from tests.factories import (
    ActionItemFactory,
    BodyFactory,
    MembershipFactory,
    PersonFactory,
    RoleAssignmentFactory,
    RoleFactory,
)
from tracker.models import Person, Reminder

pytestmark = pytest.mark.django_db

URL = reverse("tracker:outbox")


def login(client, user):
    assert client.login(username=user.username, password=PASSWORD)


@pytest.fixture
def outbox_data(personas):
    bob = Person.objects.get(user=personas.bob)
    no_mail = PersonFactory(name="Niels Utenadresse", email="")
    MembershipFactory(person=no_mail, body=personas.body)
    helper_role = RoleFactory(name="Chef for Kultur", body=personas.body)
    RoleAssignmentFactory(role=helper_role, person=no_mail, starts_on=dt.date(2020, 1, 1))
    ActionItemFactory(body=personas.body, title="Kulturplan", responsible_role=helper_role)
    ActionItemFactory(body=personas.body, title="Kulturbudget", responsible_person=no_mail)
    item = ActionItemFactory(
        body=personas.body, title="Kommissorierne skal være færdige", responsible_role=personas.role
    )
    now = timezone.now()
    Reminder.objects.create(item=item, recipient=bob, kind="before", send_on=now.date(), due_at=now)
    failed = Reminder.objects.create(
        item=item, recipient=no_mail, kind="due", send_on=now.date(), due_at=now, status="failed",
        attempts=1, last_error="Modtageren har ingen e-mailadresse.",
    )
    other_body = BodyFactory(name="Direktionen", slug="direktionen")
    hidden = ActionItemFactory(body=other_body, title="Direktionens hemmelighed")
    Reminder.objects.create(item=hidden, recipient=bob, kind="before", send_on=now.date(), due_at=now)
    return {"failed": failed, "item": item}


def test_it_shows_the_secretary_who_gets_no_reminders_and_what_waits_or_failed(client, personas, outbox_data):
    login(client, personas.alice)
    response = client.get(URL)
    assert response.status_code == 200
    page = response.content.decode()
    assert "Niels Utenadresse" in page
    assert "Kommissorierne skal være færdige" in page
    assert "Modtageren har ingen e-mailadresse." in page
    assert "Direktionens hemmelighed" not in page
    # The navigation offers the page to secretaries.
    assert f'href="{URL}"' in page


@pytest.mark.parametrize("who", ["bob", "dave"])
def test_it_is_only_for_secretaries(client, personas, outbox_data, who):
    login(client, getattr(personas, who))
    assert client.get(URL).status_code == 403


def test_it_sends_a_failed_reminder_again_after_the_address_was_fixed(client, personas, outbox_data):
    failed = outbox_data["failed"]
    Person.objects.filter(pk=failed.recipient_id).update(email="niels@example.org")
    login(client, personas.alice)
    response = client.post(reverse("tracker:outbox_retry", args=[failed.pk]), follow=True)
    assert "Påmindelsen sendes igen inden for et minut." in response.content.decode()
    failed.refresh_from_db()
    assert (failed.status, failed.attempts, failed.last_error) == ("pending", 0, "")


def test_a_secretary_cannot_retry_another_forums_reminder(client, personas, outbox_data):
    other = Reminder.objects.get(item__title="Direktionens hemmelighed")
    Reminder.objects.filter(pk=other.pk).update(status="failed")
    login(client, personas.alice)
    assert client.post(reverse("tracker:outbox_retry", args=[other.pk])).status_code == 404
    other.refresh_from_db()
    assert other.status == "failed"
