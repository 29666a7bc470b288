"""Two secretaries working on the same follow-up: the second is told, nothing is overwritten.

Both open the item page (or the review page) and see the same version; the
first saves; the second's form still carries the old version, so the answer
is 409 with a Danish message, the page shows the follow-up as it now is, and
the form carries the new version so the second can decide again.
"""
from __future__ import annotations

import datetime as dt
import re

import pytest
from django.test import Client
from django.urls import reverse

from tests.factories import MembershipFactory, PersonFactory, UserFactory
from tests.security.conftest import SOON
from tracker.models import ActionItem

pytestmark = pytest.mark.django_db

CONFLICT = "Opfølgningen er blevet ændret af en anden, mens du arbejdede på den."
_VERSION = re.compile(r'name="expected_version" value="(\d+)"')


@pytest.fixture
def erik(personas):
    """A second secretary of Chefforum."""
    user = UserFactory(username="erik")
    MembershipFactory(person=PersonFactory(name="Erik Sekretær", user=user, email="erik@example.org"),
                      body=personas.body, is_secretary=True)
    return user


def opened(user, url: str, form: str | None = None) -> tuple[Client, str]:
    """A browser of ``user`` with the page open: the client and the version its forms (or the one form) carry."""
    client = Client()
    client.force_login(user)
    html = client.get(url).content.decode()
    if form is not None:
        html = re.search(rf'<form[^>]*action="{re.escape(form)}"[^>]*>(.*?)</form>', html, re.DOTALL).group(1)
    versions = set(_VERSION.findall(html))
    assert len(versions) == 1, versions
    return client, versions.pop()


def later(days: int) -> str:
    return (SOON + dt.timedelta(days=days)).isoformat()


SECOND = {
    "item_change_due": lambda world, version: {"expected_version": version, "due_date": later(40), "reason": "Min plan"},
    "item_reassign": lambda world, version: {"expected_version": version, "responsible_role": "",
                                             "responsible_person": world.carol_person.pk, "reason": ""},
    "item_cancel": lambda world, version: {"expected_version": version, "comment": "Ikke længere aktuel"},
    "item_complete": lambda world, version: {"expected_version": version, "comment": "Klaret"},
}


@pytest.mark.parametrize("action", sorted(SECOND))
def test_it_tells_the_second_secretary_instead_of_overwriting_the_first(world, erik, action):
    item = world.item
    page = reverse("tracker:item_detail", args=[item.pk])
    alice, alice_version = opened(world.personas.alice, page)
    erik_client, erik_version = opened(erik, page)
    assert alice_version == erik_version

    first = alice.post(reverse("tracker:item_change_due", args=[item.pk]), {
        "expected_version": alice_version, "due_date": later(20), "reason": "Aftalt på mødet",
    })
    assert first.status_code == 302
    item.refresh_from_db()
    after_first = (item.due_date, item.responsible_role_id, item.responsible_person_id, item.status, item.version)

    second = erik_client.post(reverse(f"tracker:{action}", args=[item.pk]), SECOND[action](world, erik_version))

    assert second.status_code == 409
    html = second.content.decode()
    assert CONFLICT in html
    item.refresh_from_db()
    assert (item.due_date, item.responsible_role_id, item.responsible_person_id, item.status,
            item.version) == after_first
    # The page shows the follow-up as it is now, and the forms carry its new version.
    assert set(_VERSION.findall(html)) == {str(item.version)}
    retry = erik_client.post(reverse(f"tracker:{action}", args=[item.pk]), SECOND[action](world, item.version))
    assert retry.status_code == 302


def test_it_tells_the_second_secretary_in_review_instead_of_overwriting_the_first(world, erik):
    proposal, meeting = world.proposal, world.meeting
    page = reverse("minutes:review", args=[meeting.pk])
    edit = reverse("minutes:review_edit", args=[meeting.pk, proposal.pk])
    alice, version = opened(world.personas.alice, page, form=edit)
    erik_client, erik_version = opened(erik, page, form=edit)
    form = {"title": "Send budgettet", "due_date": "2022-07-01", "precision": "day",
            "responsible_role": world.personas.role.pk, "responsible_person": ""}

    assert alice.post(edit, {**form, "title": "Send budgettet til Chefforum", "expected_version": version}).status_code == 302
    second = erik_client.post(edit, {**form, "title": "Budget sendes", "expected_version": erik_version}, follow=True)

    assert CONFLICT in second.content.decode()
    assert ActionItem.objects.get(pk=proposal.pk).title == "Send budgettet til Chefforum"
