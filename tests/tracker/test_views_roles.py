"""The secretary's role pages: add a role and its aliases, record who holds it, hand it over."""
from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse

from tests.factories import ActionItemFactory, BodyFactory, MembershipFactory, PersonFactory, RoleFactory
from tracker.models import ActionItem, ActionItemEvent, Membership, Person, Role, RoleAssignment

pytestmark = pytest.mark.django_db


def test_it_lists_the_forums_roles_with_their_current_holder(client, personas):
    client.force_login(personas.alice)

    response = client.get(reverse("tracker:roles"))

    assert response.status_code == 200
    page = response.content.decode()
    assert "Chef for Økonomi" in page
    assert "Økonomichefen" in page
    assert "Bob Økonomichef" in page


def test_it_does_not_list_roles_of_other_forums(client, personas):
    other = BodyFactory(name="Direktionen")
    RoleFactory(name="Direktør for By og Miljø", body=other)
    client.force_login(personas.alice)

    page = client.get(reverse("tracker:roles")).content.decode()

    assert "Direktør for By og Miljø" not in page


@pytest.mark.parametrize("user", ["bob", "dave"])
@pytest.mark.parametrize("name", ["tracker:roles", "tracker:role_create"])
def test_it_refuses_people_who_are_not_secretaries(client, personas, user, name):
    client.force_login(getattr(personas, user))

    assert client.get(reverse(name)).status_code == 403


def test_it_refuses_the_detail_and_handover_to_non_secretaries(client, personas):
    client.force_login(personas.bob)

    assert client.get(reverse("tracker:role_detail", args=[personas.role.pk])).status_code == 403
    response = client.post(
        reverse("tracker:role_handover", args=[personas.role.pk]),
        {"new_name": "Mallory", "starts_on": "2024-01-01"},
    )
    assert response.status_code == 403
    assert not Person.objects.filter(name="Mallory").exists()


def test_it_sends_anonymous_visitors_to_the_login_page(client, personas):
    response = client.get(reverse("tracker:roles"))

    assert response.status_code == 302
    assert response.url.startswith(reverse("login"))


def test_it_hides_a_role_of_another_forum_from_a_secretary(client, personas):
    other_role = RoleFactory(name="Direktør", body=BodyFactory(name="Direktionen"))
    client.force_login(personas.alice)

    assert client.get(reverse("tracker:role_detail", args=[other_role.pk])).status_code == 404


def test_it_creates_a_role_with_aliases(client, personas):
    client.force_login(personas.alice)

    response = client.post(
        reverse("tracker:role_create"),
        {"name": "Kommunaldirektør", "aliases": "Kommunaldirektøren\nKD, kd", "body": personas.body.pk},
    )

    role = Role.objects.get(name="Kommunaldirektør")
    assert response.status_code == 302
    assert response.url == reverse("tracker:role_detail", args=[role.pk])
    assert role.aliases == ["Kommunaldirektøren", "KD"]
    assert role.body == personas.body


def test_it_refuses_a_role_for_a_forum_the_secretary_does_not_run(client, personas):
    other = BodyFactory(name="Direktionen")
    client.force_login(personas.alice)

    response = client.post(reverse("tracker:role_create"), {"name": "Direktør", "body": other.pk})

    assert response.status_code == 200
    assert not Role.objects.filter(name="Direktør").exists()


def test_it_refuses_a_duplicate_role_name(client, personas):
    client.force_login(personas.alice)

    response = client.post(reverse("tracker:role_create"), {"name": "chef for økonomi", "body": personas.body.pk})

    assert "Der findes allerede en rolle med det navn." in response.content.decode()
    assert Role.objects.count() == 1


def test_it_edits_the_aliases(client, personas):
    client.force_login(personas.alice)

    client.post(
        reverse("tracker:role_detail", args=[personas.role.pk]),
        {"name": "Chef for Økonomi", "aliases": "Økonomichefen\nØDC", "body": personas.body.pk, "is_chef": "on"},
    )

    personas.role.refresh_from_db()
    assert personas.role.aliases == ["Økonomichefen", "ØDC"]
    assert personas.role.is_chef


def test_it_hands_a_role_over_and_moves_its_open_items(client, personas):
    bob = Person.objects.get(user=personas.bob)
    carol = Person.objects.get(user=personas.carol)
    by_name = ActionItemFactory(body=personas.body, responsible_role=personas.role, responsible_person=bob)
    on_role = ActionItemFactory(body=personas.body, responsible_role=personas.role)
    client.force_login(personas.alice)

    response = client.post(
        reverse("tracker:role_handover", args=[personas.role.pk]), {"person": carol.pk, "starts_on": "2024-03-01"}
    )

    assert response.status_code == 302
    old, new = RoleAssignment.objects.filter(role=personas.role).order_by("starts_on")
    assert (old.person, old.ends_on) == (bob, dt.date(2024, 3, 1))
    assert (new.person, new.starts_on, new.ends_on) == (carol, dt.date(2024, 3, 1), None)
    by_name.refresh_from_db()
    assert by_name.responsible_person == carol
    assert ActionItemEvent.objects.filter(item=by_name, kind=ActionItemEvent.Kind.HANDOVER, actor=personas.alice).exists()
    on_role.refresh_from_db()
    assert on_role.responsible_person is None and on_role.responsible_role == personas.role
    page = client.get(response.url).content.decode()
    assert "Carol Kulturchef" in page and "Bob Økonomichef" in page
    assert "1. marts 2024" in page


def test_it_hands_a_role_to_a_new_person_who_joins_the_forum(client, personas):
    client.force_login(personas.alice)

    client.post(
        reverse("tracker:role_handover", args=[personas.role.pk]),
        {"new_name": "Nina  Nyansat", "new_email": "nina@example.org", "starts_on": "2024-03-01"},
    )

    nina = Person.objects.get(name="Nina Nyansat")
    assert nina.email == "nina@example.org"
    assert nina.aliases == ["Nina"]
    assert Membership.objects.filter(person=nina, body=personas.body, is_secretary=False).exists()
    assert RoleAssignment.objects.get(role=personas.role, ends_on__isnull=True).person == nina


def test_it_explains_a_handover_before_the_current_holder_started(client, personas):
    carol = Person.objects.get(user=personas.carol)
    client.force_login(personas.alice)

    response = client.post(
        reverse("tracker:role_handover", args=[personas.role.pk]), {"person": carol.pk, "starts_on": "2019-06-01"}
    )

    assert response.status_code == 400
    assert "allerede besat af Bob Økonomichef" in response.content.decode()
    assert RoleAssignment.objects.filter(role=personas.role).count() == 1


def test_it_offers_only_the_forums_people_as_holders(client, personas):
    outsider = PersonFactory(name="Ulla Udenfor")
    client.force_login(personas.alice)

    response = client.post(
        reverse("tracker:role_handover", args=[personas.role.pk]), {"person": outsider.pk, "starts_on": "2024-03-01"}
    )

    assert response.status_code == 400
    assert RoleAssignment.objects.filter(role=personas.role).count() == 1


def test_it_adds_a_second_holder_to_a_shared_role(client, personas):
    shared = RoleFactory(name="Afdelingschef", body=personas.body, is_chef=True, is_shared=True)
    first, second = PersonFactory(name="Anna Afdeling"), PersonFactory(name="Berit Afdeling")
    for person in (first, second):
        MembershipFactory(person=person, body=personas.body)
    client.force_login(personas.alice)

    for person in (first, second):
        client.post(reverse("tracker:role_handover", args=[shared.pk]), {"person": person.pk, "starts_on": "2024-03-01"})

    assert set(RoleAssignment.objects.filter(role=shared, ends_on__isnull=True).values_list("person__name", flat=True)) == {
        "Anna Afdeling", "Berit Afdeling"
    }


def test_it_lets_an_administrator_manage_roles_across_forums(client, personas):
    client.force_login(personas.admin)

    client.post(reverse("tracker:role_create"), {"name": "Borgmester", "aliases": "borgmesteren"})

    assert Role.objects.get(name="Borgmester").body is None
    assert ActionItem.objects.count() == 0
