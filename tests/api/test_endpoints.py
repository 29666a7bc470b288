"""Each endpoint as each persona sees it: the same rules as the pages (tracker.access)."""
from __future__ import annotations

import datetime as dt
import hashlib
import json

import pytest
import time_machine
from django.core.management import CommandError, call_command
from rest_framework.test import APIClient

from api.models import ApiKey

from tests.api.conftest import PERSONAS, SECRET
from tests.conftest import PASSWORD
from tests.factories import MembershipFactory, PersonFactory, RoleAssignmentFactory, RoleFactory
from tracker.models import ActionItem, ActionItemEvent, RoleAssignment

pytestmark = pytest.mark.django_db

TODAY = dt.datetime(2022, 5, 20, 10, 0)


def ids(response) -> list[int]:
    assert response.status_code == 200, response.content
    return sorted(row["id"] for row in response.json()["results"])


# -- Authentication ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "url", ["/api/forums/", "/api/meetings/", "/api/agenda-items/", "/api/action-items/", "/api/roles/",
            "/api/people/", "/api/role-assignments/"],
)
def test_it_answers_nothing_without_a_login(world, url):
    response = APIClient().get(url)
    assert response.status_code == 403
    assert "results" not in response.json()


def test_it_refuses_a_wrong_api_key(world):
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION="Token " + "0" * 40)
    assert client.get("/api/action-items/").status_code == 403


def test_it_gives_a_logged_in_user_an_api_key_that_replaces_the_previous_one(world, client):
    client.login(username="bob", password=PASSWORD)
    first = client.post("/api/token/").json()["token"]
    second = client.post("/api/token/").json()["token"]
    assert first != second

    api = APIClient()
    api.credentials(HTTP_AUTHORIZATION=f"Token {first}")
    assert api.get("/api/action-items/").status_code == 403
    api.credentials(HTTP_AUTHORIZATION=f"Token {second}")
    assert ids(api.get("/api/action-items/")) == sorted([world.bobs_item.pk, world.from_closed.pk])


def test_it_does_not_let_an_api_key_make_new_keys(world, client_for):
    api = client_for("bob")
    response = api.post("/api/token/")
    assert response.status_code == 403
    assert ApiKey.objects.filter(user=world.personas.bob).count() == 1
    assert api.get("/api/action-items/").status_code == 200  # the key still works


def test_it_keeps_only_a_hash_of_the_api_key_and_shows_the_key_once(world, client):
    client.login(username="bob", password=PASSWORD)
    key = client.post("/api/token/").json()["token"]

    stored = ApiKey.objects.get(user=world.personas.bob)
    assert len(key) >= 43  # 256 random bits
    assert key not in (stored.digest, stored.prefix) and stored.digest == hashlib.sha256(key.encode()).hexdigest()
    assert key.startswith(stored.prefix)


def test_it_refuses_the_key_of_a_deactivated_user_and_notes_when_a_key_was_used(world, client_for):
    api = client_for("bob")
    assert api.get("/api/action-items/").status_code == 200
    assert ApiKey.objects.get(user=world.personas.bob).last_used_at is not None

    world.personas.bob.is_active = False
    world.personas.bob.save()

    assert api.get("/api/action-items/").status_code == 403


def test_the_command_line_makes_a_key_for_a_user(world, capsys):
    call_command("create_api_key", "bob")
    key = capsys.readouterr().out.strip()

    api = APIClient()
    api.credentials(HTTP_AUTHORIZATION=f"Token {key}")
    assert api.get("/api/action-items/").status_code == 200
    with pytest.raises(CommandError):
        call_command("create_api_key", "ingen-saadan")


def test_it_revokes_the_api_key(world, client, client_for):
    api = client_for("bob")
    client.login(username="bob", password=PASSWORD)
    assert client.delete("/api/token/").status_code == 204
    assert api.get("/api/action-items/").status_code == 403


def test_it_accepts_a_browser_session_and_requires_its_csrf_token_for_changes(world):
    browser = APIClient(enforce_csrf_checks=True)
    browser.login(username="alice", password=PASSWORD)
    assert browser.get("/api/forums/").status_code == 200
    response = browser.patch(f"/api/action-items/{world.bobs_item.pk}/", {"title": "Ny tekst"}, format="json")
    assert response.status_code == 403
    assert "CSRF" in response.json()["detail"]


# -- Forums, meetings, agenda items -----------------------------------------------------------------


@pytest.mark.parametrize("persona, sees", [
    ("alice", ["chefforum"]), ("bob", ["chefforum"]), ("carol", ["chefforum"]), ("dave", []),
    ("admin", ["chefforum", "direktionen"]),
])
def test_it_lists_the_forums_a_persona_is_in(world, client_for, persona, sees):
    response = client_for(persona).get("/api/forums/")
    assert sorted(row["slug"] for row in response.json()["results"]) == sees


@pytest.mark.parametrize("persona, status", [("alice", 200), ("bob", 200), ("carol", 200), ("dave", 404), ("admin", 200)])
def test_it_shows_a_forum_only_to_its_members(world, client_for, persona, status):
    assert client_for(persona).get(f"/api/forums/{world.personas.body.pk}/").status_code == status


@pytest.mark.parametrize("persona, count", [("alice", 1), ("bob", 1), ("carol", 1), ("dave", 0), ("admin", 2)])
def test_it_lists_the_meetings_of_the_personas_forums(world, client_for, persona, count):
    rows = client_for(persona).get("/api/meetings/").json()["results"]
    assert len(rows) == count
    if count:
        meeting = next(r for r in rows if r["id"] == world.meeting.pk)
        assert meeting["date"] == "2022-04-28"
        assert meeting["participants"] == ["Alice Sekretær", "Bob Økonomichef"]
        assert "text" not in meeting


def test_it_filters_meetings_by_forum_and_date(world, client_for):
    api = client_for("admin")
    assert len(api.get("/api/meetings/?body=direktionen").json()["results"]) == 1
    assert api.get("/api/meetings/?body=chefforum&date_from=2022-04-29").json()["results"] == []
    assert api.get("/api/meetings/?body=ukendt").status_code == 400


@pytest.mark.parametrize("persona, status", [("alice", 200), ("bob", 200), ("carol", 200), ("dave", 404), ("admin", 200)])
def test_it_shows_a_meeting_only_to_the_forums_members(world, client_for, persona, status):
    assert client_for(persona).get(f"/api/meetings/{world.meeting.pk}/").status_code == status


@pytest.mark.parametrize("persona", PERSONAS)
def test_it_never_shows_the_content_of_a_closed_agenda_item(world, client_for, persona):
    api = client_for(persona)
    listing = api.get(f"/api/agenda-items/?meeting={world.meeting.pk}")
    detail = api.get(f"/api/agenda-items/{world.closed_item.pk}/")
    if persona == "dave":
        assert listing.json()["results"] == [] and detail.status_code == 404
        return
    closed = detail.json()
    assert closed == {
        "id": world.closed_item.pk, "meeting": world.meeting.pk, "number": 2, "title": "Lukket punkt",
        "time_slot": "", "case_number": "", "closed": True, "outcome": "closed", "sections": {}, "attachments": [],
    }
    assert SECRET not in listing.content.decode()
    open_item = next(r for r in listing.json()["results"] if r["number"] == 4)
    assert open_item["title"] == "CF - Opfølgning på Lederdøgn"
    assert open_item["sections"] == {"Beslutning": "Kommissorierne skal være færdige til 12. maj."}
    assert open_item["attachments"] == ["Arbejdsgrupper - efter Lederdøgn"]


def test_it_does_not_find_a_closed_agenda_item_by_its_case_number(world, client_for):
    api = client_for("alice")
    assert ids(api.get("/api/agenda-items/?case_number=00.01.00-A21-2-21")) == [world.agenda_item.pk]
    assert ids(api.get("/api/agenda-items/?case_number=81.03.00-G01-1-22")) == []


@pytest.mark.parametrize("persona", ["alice", "admin"])
def test_it_never_shows_the_text_of_a_follow_up_from_a_closed_agenda_item(world, client_for, persona):
    api = client_for(persona)
    every_response = "".join(
        api.get(url).content.decode()
        for url in ("/api/action-items/?status=open", f"/api/action-items/{world.from_closed.pk}/",
                    "/api/agenda-items/", "/api/meetings/")
    )
    assert SECRET not in every_response
    item = api.get(f"/api/action-items/{world.from_closed.pk}/").json()
    assert (item["title"], item["quote"], item["responsible_text"]) == ("Opfølgning på lukket punkt", "", "")
    assert item["source"]["title"] == "Lukket punkt" and item["source"]["closed"] is True


# -- Action items: reading --------------------------------------------------------------------------


def test_it_lists_the_action_items_each_persona_may_see(world, client_for):
    chefforum_confirmed = sorted([world.bobs_item.pk, world.from_closed.pk])
    assert ids(client_for("alice").get("/api/action-items/")) == sorted(chefforum_confirmed + [world.proposal.pk])
    assert ids(client_for("bob").get("/api/action-items/")) == chefforum_confirmed
    assert ids(client_for("carol").get("/api/action-items/")) == chefforum_confirmed
    assert ids(client_for("dave").get("/api/action-items/")) == []
    assert ids(client_for("admin").get("/api/action-items/")) == sorted(
        chefforum_confirmed + [world.proposal.pk, world.other_item.pk]
    )


@pytest.mark.parametrize("persona, status", [("alice", 200), ("bob", 404), ("carol", 404), ("dave", 404), ("admin", 200)])
def test_it_shows_a_proposal_only_to_the_secretary(world, client_for, persona, status):
    assert client_for(persona).get(f"/api/action-items/{world.proposal.pk}/").status_code == status


@pytest.mark.parametrize("persona, status", [("alice", 200), ("bob", 200), ("carol", 200), ("dave", 404), ("admin", 200)])
def test_it_shows_an_item_to_the_forums_members(world, client_for, persona, status):
    assert client_for(persona).get(f"/api/action-items/{world.bobs_item.pk}/").status_code == status


def test_it_describes_an_item_with_its_source_deadline_and_what_the_user_may_do(world, client_for):
    item = client_for("bob").get(f"/api/action-items/{world.bobs_item.pk}/").json()
    assert item["title"] == "Kommissorierne skal være færdige"
    assert item["quote"] == "Kommissorierne skal være færdige til 12. maj."
    assert item["due_date"] == "2022-05-12" and item["due_text"] == "12. maj 2022"
    assert item["responsible_role"] == world.personas.role.pk
    assert item["source"] == {
        "agenda_item": world.agenda_item.pk, "meeting": world.meeting.pk, "meeting_date": "2022-04-28",
        "number": 4, "title": "CF - Opfølgning på Lederdøgn", "case_number": "00.01.00-A21-2-21", "closed": False,
    }
    assert item["url"].endswith(f"/opfoelgninger/{world.bobs_item.pk}/")
    assert (item["can_edit"], item["can_change_status"]) == (False, True)
    carols_view = client_for("carol").get(f"/api/action-items/{world.bobs_item.pk}/").json()
    assert (carols_view["can_edit"], carols_view["can_change_status"]) == (False, False)


@time_machine.travel(TODAY, tick=False)
def test_it_filters_action_items_with_the_filters_of_the_list_page(world, client_for):
    api = client_for("alice")
    bob_person = world.personas.bob.person
    assert ids(api.get("/api/action-items/?status=proposed")) == [world.proposal.pk]
    assert ids(api.get("/api/action-items/?q=kommissorierne")) == [world.bobs_item.pk]
    assert ids(api.get(f"/api/action-items/?person={bob_person.pk}&status=open")) == sorted(
        [world.bobs_item.pk, world.from_closed.pk]
    )
    assert ids(api.get("/api/action-items/?overdue=true")) == sorted([world.bobs_item.pk, world.from_closed.pk])
    assert ids(api.get("/api/action-items/?due_from=2022-06-01")) == []
    assert ids(client_for("admin").get("/api/action-items/?body=direktionen")) == [world.other_item.pk]


def test_it_rejects_filters_the_user_may_not_use(world, client_for):
    response = client_for("bob").get("/api/action-items/?status=proposed")
    assert response.status_code == 400
    assert "status" in response.json()
    assert client_for("alice").get("/api/action-items/?body=direktionen").status_code == 400


def test_it_lists_items_with_a_constant_number_of_queries(world, client_for, django_assert_max_num_queries):
    from tests.factories import ActionItemFactory

    api = client_for("bob")
    api.get("/api/action-items/")
    ActionItemFactory.create_batch(
        20, body=world.personas.body, source_item=world.agenda_item, responsible_role=world.personas.role
    )
    with django_assert_max_num_queries(12):
        response = api.get("/api/action-items/")
    assert response.json()["count"] == 22


# -- Action items: changes --------------------------------------------------------------------------


@pytest.mark.parametrize("persona, status", [("alice", 201), ("bob", 403), ("carol", 403), ("dave", 403), ("admin", 201)])
def test_it_lets_only_secretaries_create_items(world, client_for, persona, status):
    response = client_for(persona).post("/api/action-items/", {
        "forum": world.personas.body.pk, "title": "Budgetnotat til ØU", "due_date": "2022-06-01",
        "responsible_role": world.personas.role.pk, "source_item": world.agenda_item.pk,
    }, format="json")
    assert response.status_code == status, response.content
    if status == 201:
        item = ActionItem.objects.get(pk=response.json()["id"])
        assert (item.title, item.status, item.due_date, item.precision) == (
            "Budgetnotat til ØU", "open", dt.date(2022, 6, 1), "day")
        assert item.events.get().kind == "created"
        assert response.json()["due_text"] == "1. juni 2022"
    else:
        assert not ActionItem.objects.filter(title="Budgetnotat til ØU").exists()


def test_it_refuses_to_create_an_item_in_a_forum_the_secretary_does_not_run(world, client_for):
    response = client_for("alice").post(
        "/api/action-items/", {"forum": world.other_body.pk, "title": "Noget"}, format="json"
    )
    assert response.status_code == 400
    assert "forum" in response.json()


def test_it_refuses_a_responsible_role_of_another_forum_with_a_danish_message(world, client_for):
    foreign = RoleFactory(name="Direktør for Børn", body=world.other_body)
    response = client_for("alice").post("/api/action-items/", {
        "forum": world.personas.body.pk, "title": "Noget", "responsible_role": foreign.pk}, format="json")
    assert response.status_code == 400
    assert response.json()["responsible_role"] == ["Rollen hører ikke til Chefforum."]


@pytest.mark.parametrize("persona, status", [("alice", 200), ("bob", 403), ("carol", 403), ("dave", 404), ("admin", 200)])
def test_it_lets_only_secretaries_change_the_deadline(world, client_for, persona, status):
    response = client_for(persona).patch(
        f"/api/action-items/{world.bobs_item.pk}/", {"due_date": "2022-06-15", "reason": "Afventer KL"}, format="json"
    )
    assert response.status_code == status
    world.bobs_item.refresh_from_db()
    if status == 200:
        assert world.bobs_item.due_date == dt.date(2022, 6, 15)
        assert response.json()["version"] == 2
        event = world.bobs_item.events.get()
        assert (event.kind, event.comment) == ("due_changed", "Afventer KL")
    else:
        assert world.bobs_item.due_date == dt.date(2022, 5, 12)


def test_it_reassigns_an_item_to_a_person(world, client_for):
    response = client_for("alice").patch(
        f"/api/action-items/{world.bobs_item.pk}/",
        {"responsible_role": None, "responsible_person": world.personas.carol.person.pk}, format="json",
    )
    assert response.status_code == 200
    assert (response.json()["responsible_role"], response.json()["responsible_person"]) == (
        None, world.personas.carol.person.pk)
    assert world.bobs_item.events.get().kind == "reassigned"


def test_it_answers_409_when_the_item_changed_since_the_client_read_it(world, client_for):
    api = client_for("alice")
    seen = api.get(f"/api/action-items/{world.bobs_item.pk}/").json()["version"]
    api.patch(f"/api/action-items/{world.bobs_item.pk}/", {"title": "Første ændring"}, format="json")

    response = api.patch(
        f"/api/action-items/{world.bobs_item.pk}/", {"title": "Anden ændring", "expected_version": seen}, format="json"
    )
    assert response.status_code == 409
    assert response.json() == {
        "detail": "Opfølgningen er blevet ændret af en anden, mens du arbejdede på den. Genindlæs siden og prøv igen.",
        "version": seen + 1,
    }
    world.bobs_item.refresh_from_db()
    assert world.bobs_item.title == "Første ændring"


def test_it_explains_an_invalid_deadline_in_danish_and_changes_nothing(world, client_for):
    response = client_for("alice").patch(
        f"/api/action-items/{world.bobs_item.pk}/",
        {"due_date": "2022-06-01", "window_start": "2022-06-10", "precision": "month"}, format="json",
    )
    assert response.status_code == 400
    assert response.json() == {"window_start": ["Tidsrummet kan ikke begynde efter fristen."]}
    world.bobs_item.refresh_from_db()
    assert world.bobs_item.due_date == dt.date(2022, 5, 12) and world.bobs_item.version == 1


@pytest.mark.parametrize("persona, status", [("alice", 200), ("bob", 200), ("carol", 403), ("dave", 404), ("admin", 200)])
def test_it_lets_the_owner_and_the_secretary_mark_an_item_done(world, client_for, persona, status):
    response = client_for(persona).post(
        f"/api/action-items/{world.bobs_item.pk}/status/", {"status": "done", "comment": "Sendt til ØU"}, format="json"
    )
    assert response.status_code == status
    world.bobs_item.refresh_from_db()
    assert world.bobs_item.status == ("done" if status == 200 else "open")
    if status == 200:
        assert world.bobs_item.events.get().comment == "Sendt til ØU"


@pytest.mark.parametrize("persona, status", [("alice", 200), ("bob", 403), ("carol", 403), ("dave", 404), ("admin", 200)])
def test_it_lets_only_secretaries_cancel(world, client_for, persona, status):
    response = client_for(persona).post(f"/api/action-items/{world.bobs_item.pk}/status/", {"status": "cancelled"},
                                        format="json")
    assert response.status_code == status


@pytest.mark.parametrize("persona, status", [("alice", 200), ("bob", 404), ("carol", 404), ("dave", 404), ("admin", 200)])
def test_it_lets_only_secretaries_confirm_a_proposal(world, client_for, persona, status):
    response = client_for(persona).post(f"/api/action-items/{world.proposal.pk}/status/", {"status": "open"},
                                        format="json")
    assert response.status_code == status
    world.proposal.refresh_from_db()
    assert world.proposal.status == ("open" if status == 200 else "proposed")


def test_it_rejects_a_proposal(world, client_for):
    response = client_for("alice").post(
        f"/api/action-items/{world.proposal.pk}/status/", {"status": "rejected", "comment": "Ikke en opgave"},
        format="json",
    )
    assert response.json()["status"] == "rejected"


def test_it_lets_the_owner_reopen_a_done_item(world, client_for):
    api = client_for("bob")
    api.post(f"/api/action-items/{world.bobs_item.pk}/status/", {"status": "done"}, format="json")
    response = api.post(f"/api/action-items/{world.bobs_item.pk}/status/", {"status": "open"}, format="json")
    assert response.status_code == 200 and response.json()["status"] == "open"


def test_it_explains_an_impossible_status_change_in_danish(world, client_for):
    api = client_for("alice")
    api.post(f"/api/action-items/{world.bobs_item.pk}/status/", {"status": "done"}, format="json")
    response = api.post(f"/api/action-items/{world.bobs_item.pk}/status/", {"status": "done"}, format="json")
    assert response.status_code == 400
    assert response.json() == {"detail": "Kun åbne opfølgninger kan markeres som udført."}
    rejected = api.post(f"/api/action-items/{world.bobs_item.pk}/status/", {"status": "rejected"}, format="json")
    assert rejected.json() == {"detail": "Kun foreslåede opfølgninger kan afvises."}


@pytest.mark.parametrize("persona, status", [("alice", 201), ("bob", 201), ("carol", 403), ("dave", 404), ("admin", 201)])
def test_it_lets_the_owner_and_the_secretary_comment(world, client_for, persona, status):
    response = client_for(persona).post(
        f"/api/action-items/{world.bobs_item.pk}/comments/", {"comment": "Udkast sendt i høring"}, format="json"
    )
    assert response.status_code == status
    assert ActionItemEvent.objects.filter(item=world.bobs_item, kind="commented").count() == (status == 201)


def test_it_does_not_allow_deleting_or_replacing_an_item(world, client_for):
    api = client_for("admin")
    assert api.delete(f"/api/action-items/{world.bobs_item.pk}/").status_code == 405
    assert api.put(f"/api/action-items/{world.bobs_item.pk}/", {"title": "x"}, format="json").status_code == 405
    assert ActionItem.objects.filter(pk=world.bobs_item.pk).exists()


# -- Roles, people, role assignments ----------------------------------------------------------------


@pytest.mark.parametrize("persona, sees", [
    ("alice", ["Chef for Økonomi"]), ("bob", ["Chef for Økonomi"]), ("carol", ["Chef for Økonomi"]), ("dave", []),
    ("admin", ["Chef for Økonomi", "Direktør"]),
])
def test_it_lists_the_roles_of_the_personas_forums(world, client_for, persona, sees):
    RoleFactory(name="Direktør", body=world.other_body)
    rows = client_for(persona).get("/api/roles/").json()["results"]
    assert [r["name"] for r in rows] == sees
    if sees:
        assert rows[0]["aliases"] == ["Økonomichefen"]


@pytest.mark.parametrize("persona, count", [("alice", 3), ("bob", 3), ("carol", 3), ("dave", 0), ("admin", 5)])
def test_it_lists_the_members_of_the_personas_forums(world, client_for, persona, count):
    outsider = PersonFactory(name="Ole Udenfor")
    MembershipFactory(person=outsider, body=world.other_body)
    rows = client_for(persona).get("/api/people/").json()["results"]
    assert len(rows) == count
    assert ("Ole Udenfor" in [r["name"] for r in rows]) == (persona == "admin")


def test_it_does_not_reveal_which_other_forums_a_person_is_in(world, client_for):
    MembershipFactory(person=world.personas.bob.person, body=world.other_body)
    bob = client_for("carol").get(f"/api/people/{world.personas.bob.person.pk}/").json()
    assert bob["forums"] == [world.personas.body.pk]


@pytest.mark.parametrize("persona, count", [("alice", 1), ("bob", 1), ("carol", 1), ("dave", 0), ("admin", 1)])
def test_it_lists_who_holds_which_role(world, client_for, persona, count):
    rows = client_for(persona).get(f"/api/role-assignments/?on=2022-05-01&role={world.personas.role.pk}").json()
    assert len(rows["results"]) == count
    if count:
        assert rows["results"][0]["person"] == world.personas.bob.person.pk


@pytest.mark.parametrize("persona, status", [("alice", 201), ("bob", 403), ("carol", 403), ("dave", 403), ("admin", 201)])
def test_it_hands_a_role_over_with_its_open_items_for_secretaries_only(world, client_for, persona, status):
    world.bobs_item.responsible_person = world.personas.bob.person
    world.bobs_item.save()
    carol = world.personas.carol.person
    response = client_for(persona).post("/api/role-assignments/", {
        "role": world.personas.role.pk, "person": carol.pk, "starts_on": "2022-06-01"}, format="json")
    assert response.status_code == status, response.content
    world.bobs_item.refresh_from_db()
    if status == 201:
        assert world.bobs_item.responsible_person == carol
        assert RoleAssignment.objects.get(role=world.personas.role, person=world.personas.bob.person).ends_on == (
            dt.date(2022, 6, 1))
    else:
        assert world.bobs_item.responsible_person == world.personas.bob.person


def test_it_refuses_a_holder_who_is_not_in_the_roles_forum(world, client_for):
    response = client_for("alice").post("/api/role-assignments/", {
        "role": world.personas.role.pk, "person": world.personas.dave.person.pk, "starts_on": "2022-06-01"},
        format="json")
    assert response.status_code == 400
    assert response.json()["person"] == ["Dave Udenfor er ikke medlem af Chefforum."]


def test_it_explains_an_overlapping_assignment_in_danish(world, client_for):
    shared_free = RoleFactory(name="Kulturchef", body=world.personas.body)
    RoleAssignmentFactory(role=shared_free, person=world.personas.bob.person, starts_on=dt.date(2022, 1, 1),
                          ends_on=dt.date(2022, 12, 31))
    response = client_for("alice").post("/api/role-assignments/", {
        "role": shared_free.pk, "person": world.personas.carol.person.pk, "starts_on": "2022-03-01",
        "ends_on": "2022-04-01"}, format="json")
    assert response.status_code == 400
    assert response.json() == {"detail": "Kulturchef er allerede besat af Bob Økonomichef i den periode."}


# -- The description ---------------------------------------------------------------------------------


def test_it_publishes_an_openapi_schema(client):
    response = client.get("/api/schema/?format=json")
    assert response.status_code == 200
    schema = json.loads(response.content)
    assert schema["openapi"].startswith("3.")
    for path in ("/api/forums/", "/api/meetings/", "/api/agenda-items/", "/api/action-items/",
                 "/api/action-items/{id}/status/", "/api/roles/", "/api/people/", "/api/role-assignments/"):
        assert path in schema["paths"]
    assert {"cookieAuth", "tokenAuth"} <= set(schema["components"]["securitySchemes"])


def test_it_serves_the_api_docs_from_its_own_static_files(client):
    page = client.get("/api/docs/").content.decode()
    assert "/static/drf_spectacular_sidecar/swagger-ui-dist/swagger-ui-bundle.js" in page
    assert "cdn" not in page.lower() and "https://" not in page
    assert "<script>" not in page  # the start script is its own file: no inline script under the CSP
    script = client.get("/api/docs/?script=")
    assert script.status_code == 200 and "SwaggerUIBundle" in script.content.decode()
