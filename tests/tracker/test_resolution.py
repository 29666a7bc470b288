"""Responsible text as written in the minutes → a Role or a Person, never a guess."""
from __future__ import annotations

import pytest

from tests.factories import BodyFactory, MembershipFactory, PersonFactory, RoleFactory
from tracker.resolution import Outcome, ResponsibleResolver, resolve_responsible


@pytest.fixture
def chefforum(db):
    body = BodyFactory(name="Chefforum", slug="chefforum", abbreviation="CF")
    roles = {
        "kd": RoleFactory(name="Kommunaldirektør", aliases=["KD"], body=body),
        "oes": RoleFactory(
            name="Chef for Økonomi & Stab", aliases=["ØDC", "Økonomichefen"], body=body, is_chef=True
        ),
        "bu": RoleFactory(name="Chef for Børn og Unge", body=body, is_chef=True),
        "hr": RoleFactory(name="HR-chef", body=body, is_chef=True),
        "sek": RoleFactory(name="Sekretær for Chefforum", aliases=["sekretæren for Chefforum"], body=body),
        "afd": RoleFactory(name="Afdelingschef", body=body, is_chef=True, is_shared=True),
    }
    people = {
        "henrik": PersonFactory(name="Henrik Hansen"),
        "mette": PersonFactory(name="Mette Duekilde", aliases=["MD"]),
        "rune": PersonFactory(name="Rune Rasmussen"),
    }
    for person in people.values():
        MembershipFactory(person=person, body=body)
    return body, roles, people


def resolver(body, participants=()):
    return ResponsibleResolver.for_meeting(body=body, participants=participants)


@pytest.mark.parametrize(
    ("text", "role"),
    [
        ("Kommunaldirektør", "kd"),
        ("Kommunaldirektøren", "kd"),
        ("kommunaldirektøren", "kd"),
        ("KD", "kd"),
        ("ØDC", "oes"),
        ("Økonomichefen", "oes"),
        ("Chef for Økonomi og Stab", "oes"),
        ("sekretæren for Chefforum", "sek"),
        ("Afdelingscheferne", "afd"),
        ("afdelingschefen", "afd"),
        ("HR-chefen", "hr"),
    ],
)
def test_it_resolves_role_names_aliases_and_danish_forms(chefforum, text, role):
    body, roles, _people = chefforum

    result = resolver(body).resolve(text)

    assert result.outcome == Outcome.ROLE
    assert result.role == roles[role]
    assert result.person is None
    assert result.text == text


def test_it_leaves_cheferne_unresolved_and_offers_every_chef_role(chefforum):
    body, roles, _people = chefforum

    result = resolver(body).resolve("cheferne")

    assert not result.resolved
    assert result.outcome == Outcome.SEVERAL_ROLES
    assert set(result.candidates) == {roles["oes"], roles["bu"], roles["hr"], roles["afd"]}


def test_it_picks_the_only_chef_role_for_cheferne(db):
    body = BodyFactory(name="Lille forum")
    only = RoleFactory(name="Chef for Drift", body=body, is_chef=True)
    RoleFactory(name="Formand", body=body)

    assert resolve_responsible("cheferne", body=body).role == only


def test_it_leaves_a_text_naming_two_roles_unresolved(chefforum):
    body, roles, _people = chefforum

    result = resolver(body).resolve("Chef for Børn og Unge og HR-chefen")

    assert result.outcome == Outcome.SEVERAL_ROLES
    assert set(result.candidates) == {roles["bu"], roles["hr"]}


def test_it_picks_the_one_role_when_the_other_party_is_outside_the_forum(chefforum):
    body, roles, _people = chefforum

    result = resolver(body).resolve("Direktørforum og ØDC")

    assert result.role == roles["oes"]
    assert result.text == "Direktørforum og ØDC"


def test_it_prefers_the_forums_own_role_over_a_namesake_elsewhere(chefforum):
    body, roles, _people = chefforum
    other = BodyFactory(name="Direktionen")
    RoleFactory(name="Kommunaldirektør (Direktionen)", aliases=["Kommunaldirektøren"], body=other)

    assert resolver(body).resolve("Kommunaldirektøren").role == roles["kd"]


def test_it_uses_a_role_without_forum_when_the_forum_has_none(chefforum):
    body, _roles, _people = chefforum
    borgmester = RoleFactory(name="Borgmester", body=None)

    assert resolver(body).resolve("borgmesteren").role == borgmester


def test_it_resolves_a_person_by_full_name_alias_and_unique_first_name(chefforum):
    body, _roles, people = chefforum
    r = resolver(body)

    assert r.resolve("Mette Duekilde").person == people["mette"]
    assert r.resolve("MD").person == people["mette"]
    assert r.resolve("Henrik").person == people["henrik"]
    assert r.resolve("Henrik").outcome == Outcome.PERSON


def test_it_does_not_guess_a_first_name_shared_with_another_participant(chefforum):
    body, _roles, people = chefforum

    # A second Henrik at the table who is not in the register still makes "Henrik" ambiguous.
    result = resolver(body, participants=["Henrik Hansen", "Henrik Madsen"]).resolve("Henrik")

    assert result.person is None
    assert result.outcome == Outcome.SEVERAL_PEOPLE


def test_it_resolves_a_first_name_of_a_participant_who_is_not_a_member(chefforum):
    body, _roles, _people = chefforum
    guest = PersonFactory(name="Katrine Kofoed")

    result = resolver(body, participants=["Katrine Kofoed", "Rune Rasmussen"]).resolve("Katrine")

    assert result.person == guest


def test_it_ignores_first_names_of_people_outside_the_forum_and_meeting(chefforum):
    body, _roles, _people = chefforum
    PersonFactory(name="Katrine Kofoed")  # exists, but neither member nor participant

    result = resolver(body).resolve("Katrine")

    assert not result.resolved
    assert result.outcome == Outcome.UNKNOWN


def test_it_finds_a_unique_full_name_outside_the_forum(chefforum):
    body, _roles, _people = chefforum
    guest = PersonFactory(name="Jørgen Lerhard")

    assert resolver(body).resolve("Jørgen Lerhard").person == guest


@pytest.mark.parametrize("text", ["projektgruppen", "arbejdsgrupperne", "Byrådet", "Katrine", "Chefforum"])
def test_it_leaves_unknown_parties_unresolved_with_the_text_kept(chefforum, text):
    body, _roles, _people = chefforum

    result = resolver(body).resolve(text)

    assert not result.resolved
    assert result.text == text


def test_it_treats_empty_text_as_nobody(chefforum):
    body, _roles, _people = chefforum

    assert resolver(body).resolve(None).outcome == Outcome.EMPTY
    assert resolver(body).resolve("  ").outcome == Outcome.EMPTY


def test_it_does_not_inflect_abbreviations(chefforum):
    body, _roles, _people = chefforum

    assert not resolver(body).resolve("KDen").resolved


def test_it_resolves_a_whole_meeting_with_a_fixed_number_of_queries(chefforum, django_assert_max_num_queries):
    body, _roles, _people = chefforum
    texts = ["Kommunaldirektøren", "cheferne", "Henrik", "ØDC", "projektgruppen", "Mette Duekilde"] * 20

    with django_assert_max_num_queries(3):
        r = resolver(body, participants=["Henrik Hansen"])
        results = [r.resolve(t) for t in texts]

    assert sum(1 for x in results if x.resolved) == 80
