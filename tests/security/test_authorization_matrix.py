"""Who gets what from every URL, with every method: the authorization matrix.

The URLs come from walking the URL resolver, so a new URL without an entry in
MATRIX fails ``test_it_has_an_entry_for_every_url``. Each entry says, for each
method, what each persona gets: anonymous, dave (outsider), carol (chef in the
forum, owns nothing), bob (chef who owns the follow-ups through his role),
alice (the forum's secretary), admin (superuser). A POST carries valid data,
so "allowed" shows as success and not as a form error.

Every request runs in a savepoint that is rolled back, so each persona meets
the same world. Every refused request (to the login, 403, 404, 405) and every
GET must leave the database as it was.

The admin's URLs (Django's own views) follow one rule instead of one entry
each: everyone but the superuser is sent to the admin login and changes
nothing; the superuser gets the page.
"""
from __future__ import annotations

import json
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
from django.apps import apps
from django.contrib import admin
from django.contrib.auth.models import Group, User
from django.contrib.contenttypes.models import ContentType
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.test import Client, RequestFactory
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from api.models import ApiKey
from minutes.models import AgendaItem, Body, Meeting
from tests.security.conftest import DECISION, World
from tracker.models import (
    ActionItem,
    ActionItemEvent,
    ActionItemLink,
    CalendarFeed,
    Membership,
    Person,
    Reminder,
    Role,
    RoleAssignment,
)

pytestmark = [pytest.mark.django_db, pytest.mark.slow]

PERSONAS = ("anonymous", "dave", "carol", "bob", "alice", "admin")
METHODS = ("GET", "POST", "PUT", "PATCH", "DELETE")
SAMPLE = Path(__file__).resolve().parents[2] / "minutes" / "samples" / "000_3bcc5eede57647e4.txt"
LOGIN = "login"  # 302 to the login page
ADMIN_LOGIN = "admin-login"  # 302 to the admin's login page
Expected = int | str


def per(anonymous: Expected, dave: Expected, carol: Expected, bob: Expected, alice: Expected, admin: Expected
        ) -> dict[str, Expected]:
    return dict(zip(PERSONAS, (anonymous, dave, carol, bob, alice, admin)))


def everyone(code: Expected) -> dict[str, Expected]:
    return per(code, code, code, code, code, code)


def signed_in(code: Expected, anonymous: Expected = LOGIN) -> dict[str, Expected]:
    return per(anonymous, code, code, code, code, code)


SECRETARIES = per(LOGIN, 403, 403, 403, 200, 200)
SECRETARIES_ACT = per(LOGIN, 403, 403, 403, 302, 302)
MEMBERS = per(LOGIN, 404, 200, 200, 200, 200)
NOT_ALLOWED = everyone(405)
API_NOT_ALLOWED = signed_in(405, anonymous=403)


def get_only(get: dict[str, Expected]) -> dict[str, dict[str, Expected]]:
    """``@require_GET`` outside ``@login_required``: other methods are refused before anything else."""
    return {"GET": get, "POST": NOT_ALLOWED, "PUT": NOT_ALLOWED, "PATCH": NOT_ALLOWED, "DELETE": NOT_ALLOWED}


def post_only(post: dict[str, Expected], outer_login: bool = False) -> dict[str, dict[str, Expected]]:
    """``@require_POST``; with ``outer_login`` the login check comes first."""
    other = signed_in(405) if outer_login else NOT_ALLOWED
    return {"GET": other, "POST": post, "PUT": other, "PATCH": other, "DELETE": other}


def get_and_post(get: dict[str, Expected], post: dict[str, Expected]) -> dict[str, dict[str, Expected]]:
    """``@login_required`` outside ``@require_http_methods(["GET", "POST"])``."""
    other = signed_in(405)
    return {"GET": get, "POST": post, "PUT": other, "PATCH": other, "DELETE": other}


def any_method(codes: dict[str, Expected]) -> dict[str, dict[str, Expected]]:
    """A read-only view with no method restriction: every method reads."""
    return {method: codes for method in METHODS}


def api(get: dict[str, Expected], **others: dict[str, Expected]) -> dict[str, dict[str, Expected]]:
    """A REST endpoint: anonymous is refused before the method is looked at; unmapped methods 405."""
    result = {method: API_NOT_ALLOWED for method in METHODS}
    result["GET"] = get
    result.update({method.upper(): codes for method, codes in others.items()})
    return result


@dataclass(frozen=True)
class Entry:
    methods: dict[str, dict[str, Expected]]
    kwargs: Callable[[World], dict[str, Any]] = lambda w: {}
    query: str = ""
    data: Callable[[World], dict[str, Any]] = lambda w: {}
    json: bool = False
    notes: str = ""
    files: Callable[[], dict[str, Any]] = field(default=lambda: {})


def item(w: World) -> dict[str, int]:
    return {"pk": w.item.pk}


def meeting(w: World) -> dict[str, int]:
    return {"pk": w.meeting.pk}


def proposal(w: World) -> dict[str, int]:
    return {"pk": w.meeting.pk, "item_pk": w.proposal.pk}


def link(w: World) -> dict[str, int]:
    return {"pk": w.meeting.pk, "link_pk": w.link.pk}


def forum(w: World) -> dict[str, str]:
    return {"slug": w.personas.body.slug}


def version(w: World) -> dict[str, int]:
    return {"expected_version": w.item.version}


MATRIX: dict[str, Entry] = {
    # -- accounts (Django's views, the login with its rate limit) --
    "login": Entry({
        "GET": everyone(200), "POST": everyone(200), "PUT": everyone(200), "PATCH": NOT_ALLOWED,
        "DELETE": NOT_ALLOWED,
    }, data=lambda w: {"username": "bob", "password": "forkert"}, notes="a wrong password: the form again"),
    "logout": Entry({"GET": NOT_ALLOWED, "POST": everyone(LOGIN), "PUT": NOT_ALLOWED, "PATCH": NOT_ALLOWED,
                     "DELETE": NOT_ALLOWED}),
    "password_change": Entry({"GET": signed_in(200), "POST": signed_in(200), "PUT": signed_in(200),
                              "PATCH": signed_in(405), "DELETE": signed_in(405)}),
    "password_change_done": Entry({"GET": signed_in(200), "POST": signed_in(405), "PUT": signed_in(405),
                                   "PATCH": signed_in(405), "DELETE": signed_in(405)}),
    "password_reset": Entry({"GET": everyone(200), "POST": everyone(302), "PUT": everyone(200),
                             "PATCH": NOT_ALLOWED, "DELETE": NOT_ALLOWED},
                            data=lambda w: {"email": "ukendt@example.org"}),
    "password_reset_done": Entry(get_only(everyone(200))),
    "password_reset_confirm": Entry(any_method(everyone(200)), kwargs=lambda w: {"uidb64": "MQ", "token": "ugyldig"},
                                    notes="an invalid link: the page says so, whatever the method"),
    "password_reset_complete": Entry(get_only(everyone(200))),
    "set_language": Entry(any_method(everyone(302)), data=lambda w: {"language": "da"}),
    "language_set": Entry(post_only(everyone(302)), data=lambda w: {"language": "en", "next": "/"},
                          notes="a signed-in user's choice is kept on their person too"),
    "accessibility": Entry(get_only(everyone(200))),
    # -- the workspace --
    "tracker:home": Entry(get_only(per(LOGIN, 302, 302, 302, 302, 302))),
    "tracker:my_items": Entry(get_only(signed_in(200))),
    "tracker:item_list": Entry(get_only(signed_in(200)), query="?status=open"),
    "tracker:item_detail": Entry(get_only(MEMBERS), kwargs=item),
    "tracker:item_complete": Entry(post_only(per(LOGIN, 404, 403, 302, 302, 302)), kwargs=item,
                                   data=lambda w: {**version(w), "comment": "Sendt."}),
    "tracker:item_reopen": Entry(post_only(per(LOGIN, 404, 403, 302, 302, 302)),
                                 kwargs=lambda w: {"pk": w.done_item.pk},
                                 data=lambda w: {"expected_version": w.done_item.version, "comment": "Mangler"}),
    "tracker:item_comment": Entry(post_only(per(LOGIN, 404, 403, 302, 302, 302)), kwargs=item,
                                  data=lambda w: {**version(w), "comment": "Udkastet er på vej."}),
    "tracker:item_change_due": Entry(post_only(per(LOGIN, 404, 403, 403, 302, 302)), kwargs=item,
                                     data=lambda w: {**version(w), "due_date": "2030-07-01", "reason": "Ny plan"}),
    "tracker:item_reassign": Entry(post_only(per(LOGIN, 404, 403, 403, 302, 302)), kwargs=item,
                                   data=lambda w: {**version(w), "responsible_role": "",
                                                   "responsible_person": w.carol_person.pk, "reason": ""}),
    "tracker:item_cancel": Entry(post_only(per(LOGIN, 404, 403, 403, 302, 302)), kwargs=item,
                                 data=lambda w: {**version(w), "comment": "Droppet"}),
    "tracker:export": Entry(any_method(signed_in(200)), kwargs=lambda w: {"fmt": "csv"},
                            notes="read-only under any method; each user gets only what they may see"),
    "tracker:sheet_import": Entry(get_and_post(SECRETARIES, SECRETARIES_ACT),
                                  notes="a POST without a stored sheet: back to the upload with a message"),
    "tracker:body_overview": Entry(get_only(MEMBERS), kwargs=forum),
    "tracker:followup_list": Entry(get_only(MEMBERS), kwargs=forum),
    "tracker:followup_list_docx": Entry(get_only(MEMBERS), kwargs=forum),
    "tracker:roles": Entry(any_method(SECRETARIES)),
    "tracker:role_create": Entry(get_and_post(SECRETARIES, SECRETARIES_ACT), data=lambda w: {
        "name": "Chef for Kultur", "aliases": "Kulturchefen", "body": w.personas.body.pk, "is_chef": "on"}),
    "tracker:role_detail": Entry(get_and_post(SECRETARIES, SECRETARIES_ACT), kwargs=lambda w: {"pk": w.personas.role.pk},
                                 data=lambda w: {"name": "Chef for Økonomi", "aliases": "Økonomichefen\nØDC",
                                                 "body": w.personas.body.pk, "is_chef": "on"}),
    "tracker:role_handover": Entry(post_only(SECRETARIES_ACT, outer_login=True),
                                   kwargs=lambda w: {"pk": w.personas.role.pk},
                                   data=lambda w: {"person": w.carol_person.pk, "starts_on": "2030-01-01"}),
    "tracker:calendar": Entry({"GET": signed_in(200), "POST": signed_in(302), "PUT": signed_in(200),
                               "PATCH": signed_in(200), "DELETE": signed_in(200)},
                              data=lambda w: {"shows": "mine", "name": "Mine frister"},
                              notes="every signed-in user may make a feed of their own items"),
    "tracker:calendar_revoke": Entry(post_only(per(LOGIN, 404, 404, 302, 404, 404), outer_login=True),
                                     kwargs=lambda w: {"pk": w.feed.pk}, notes="only the feed's owner"),
    "tracker:feed": Entry(get_only(everyone(200)), kwargs=lambda w: {"token": w.token},
                          notes="the token is the credential; a session changes nothing"),
    "tracker:outbox": Entry(get_only(SECRETARIES)),
    "tracker:outbox_retry": Entry(post_only(per(LOGIN, 404, 404, 404, 302, 302)),
                                  kwargs=lambda w: {"pk": w.reminder.pk}),
    # -- meetings, import, review, search --
    "minutes:meeting_list": Entry(get_only(signed_in(200))),
    "minutes:meeting_detail": Entry(get_only(MEMBERS), kwargs=meeting),
    "minutes:import": Entry(get_and_post(SECRETARIES, SECRETARIES), files=lambda: {
        "files": SimpleUploadedFile("referat.txt", SAMPLE.read_bytes())}),
    "minutes:review": Entry(get_only(SECRETARIES), kwargs=meeting),
    "minutes:review_add": Entry(post_only(SECRETARIES_ACT), kwargs=meeting, data=lambda w: {
        "ny-quote": DECISION, "ny-title": "", "ny-due_date": "2022-07-01", "ny-precision": "day",
        "ny-responsible_role": w.personas.role.pk, "ny-responsible_person": "", "ny-agenda_item": ""}),
    "minutes:review_accept_all": Entry(post_only(SECRETARIES_ACT), kwargs=meeting),
    "minutes:review_notify": Entry(post_only(SECRETARIES_ACT), kwargs=meeting),
    "minutes:review_accept": Entry(post_only(SECRETARIES_ACT), kwargs=proposal,
                                   data=lambda w: {"expected_version": w.proposal.version}),
    "minutes:review_edit": Entry(post_only(SECRETARIES_ACT), kwargs=proposal, data=lambda w: {
        "title": "Send budgettet til Chefforum", "due_date": "2022-07-01", "precision": "day",
        "responsible_role": w.personas.role.pk, "responsible_person": "", "expected_version": w.proposal.version}),
    "minutes:review_reject": Entry(post_only(SECRETARIES_ACT), kwargs=proposal,
                                   data=lambda w: {"expected_version": w.proposal.version}),
    "minutes:review_link_close": Entry(post_only(SECRETARIES_ACT), kwargs=link, data=version),
    "minutes:review_link_update": Entry(post_only(SECRETARIES_ACT), kwargs=link,
                                        data=lambda w: {**version(w), "due_date": "2030-09-01"}),
    "minutes:review_link_dismiss": Entry(post_only(SECRETARIES_ACT), kwargs=link),
    "minutes:search": Entry(get_only(signed_in(200)), query="?q=budget"),
    "minutes:decisions": Entry(get_only(MEMBERS), kwargs=forum),
    "minutes:decisions_csv": Entry(get_only(MEMBERS), kwargs=forum),
    # -- the REST API --
    # The API's description is public, as API descriptions usually are: it holds no data.
    "api:schema": Entry(api(everyone(200), post=signed_in(405, anonymous=405), put=everyone(405),
                            patch=everyone(405), delete=everyone(405))),
    "api:docs": Entry(api(everyone(200), post=everyone(405), put=everyone(405), patch=everyone(405),
                          delete=everyone(405))),
    "api:token": Entry(api(API_NOT_ALLOWED, post=signed_in(201, anonymous=403),
                           delete=signed_in(204, anonymous=403))),
    "api:forum-list": Entry(api(signed_in(200, anonymous=403))),
    "api:forum-detail": Entry(api(per(403, 404, 200, 200, 200, 200)), kwargs=lambda w: {"pk": w.personas.body.pk}),
    "api:meeting-list": Entry(api(signed_in(200, anonymous=403))),
    "api:meeting-detail": Entry(api(per(403, 404, 200, 200, 200, 200)), kwargs=meeting),
    "api:agenda-item-list": Entry(api(signed_in(200, anonymous=403))),
    "api:agenda-item-detail": Entry(api(per(403, 404, 200, 200, 200, 200)),
                                    kwargs=lambda w: {"pk": w.agenda_item.pk}),
    "api:action-item-list": Entry(api(signed_in(200, anonymous=403), post=per(403, 403, 403, 403, 201, 201)),
                                  json=True, data=lambda w: {"forum": w.personas.body.pk, "title": "Ny opfølgning"}),
    "api:action-item-detail": Entry(api(per(403, 404, 200, 200, 200, 200), patch=per(403, 404, 403, 403, 200, 200)),
                                    kwargs=item, json=True, data=lambda w: {"title": "Budgetudkast, anden udgave"}),
    "api:action-item-comments": Entry(api(API_NOT_ALLOWED, post=per(403, 404, 403, 201, 201, 201)), kwargs=item,
                                      json=True, data=lambda w: {"comment": "Udkastet er på vej."}),
    "api:action-item-status": Entry(api(API_NOT_ALLOWED, post=per(403, 404, 403, 200, 200, 200)), kwargs=item,
                                    json=True, data=lambda w: {"status": "done"}),
    "api:role-list": Entry(api(signed_in(200, anonymous=403))),
    "api:role-detail": Entry(api(per(403, 404, 200, 200, 200, 200)), kwargs=lambda w: {"pk": w.personas.role.pk}),
    "api:person-list": Entry(api(signed_in(200, anonymous=403))),
    "api:person-detail": Entry(api(per(403, 404, 200, 200, 200, 200)), kwargs=lambda w: {"pk": w.bob_person.pk}),
    "api:role-assignment-list": Entry(api(signed_in(200, anonymous=403), post=per(403, 403, 403, 403, 201, 201)),
                                      json=True, data=lambda w: {"role": w.personas.role.pk,
                                                                 "person": w.carol_person.pk,
                                                                 "starts_on": "2030-01-01"}),
    "api:role-assignment-detail": Entry(api(per(403, 404, 200, 200, 200, 200)),
                                        kwargs=lambda w: {"pk": w.assignment.pk}),
}


# -- walking the URL resolver -----------------------------------------------------------------------


@dataclass(frozen=True)
class Route:
    name: str  # namespace:name, or the route itself when unnamed
    route: str
    pattern: URLPattern


def routes() -> list[Route]:
    """Every URL pattern that can be reached (a pattern shadowed by an earlier one with the same route is not)."""
    found: dict[str, Route] = {}

    def walk(patterns: list, prefix: str, namespace: str) -> None:
        for pattern in patterns:
            if isinstance(pattern, URLResolver):
                inner = ":".join(filter(None, (namespace, pattern.namespace))) if pattern.namespace else namespace
                walk(pattern.url_patterns, prefix + str(pattern.pattern), inner)
                continue
            route = prefix + str(pattern.pattern)
            name = ":".join(filter(None, (namespace, pattern.name))) if pattern.name else route
            found.setdefault(route, Route(name=name, route=route, pattern=pattern))

    walk(get_resolver().url_patterns, "", "")
    return list(found.values())


ALL_ROUTES = routes()
ADMIN_ROUTES = [r for r in ALL_ROUTES if r.route.startswith("admin/")]
APP_ROUTES = [r for r in ALL_ROUTES if not r.route.startswith("admin/")]


def test_it_has_an_entry_for_every_url():
    names = {r.name for r in APP_ROUTES}
    assert names - MATRIX.keys() == set(), "URLs without an entry in the authorization matrix"
    assert MATRIX.keys() - names == set(), "entries for URLs that no longer exist"
    assert len(ADMIN_ROUTES) > 50  # the admin rule covers the admin's pages


# -- requests --------------------------------------------------------------------------------------


def snapshot() -> tuple:
    """What a refused request must not change."""
    return (
        list(ActionItem.objects.order_by("pk").values_list("pk", "status", "version", "title", "due_date",
                                                           "responsible_role", "responsible_person")),
        ActionItemEvent.objects.count(),
        list(ActionItemLink.objects.order_by("pk").values_list("pk", "status")),
        list(Role.objects.order_by("pk").values_list("pk", "name", "aliases")),
        list(RoleAssignment.objects.order_by("pk").values_list("pk", "person", "starts_on", "ends_on")),
        list(CalendarFeed.objects.order_by("pk").values_list("pk", "revoked_at")),
        list(Reminder.objects.order_by("pk").values_list("pk", "status", "due_at")),
        list(ApiKey.objects.order_by("user").values_list("user", "digest")),
        Meeting.objects.count(), AgendaItem.objects.count(), Body.objects.count(), Person.objects.count(),
        Membership.objects.count(), Group.objects.count(),
        list(User.objects.order_by("pk").values_list("pk", "password", "is_active", "is_staff", "is_superuser")),
    )


def client_for(world: World, persona: str) -> Client:
    client = Client()
    if persona != "anonymous":
        client.force_login(getattr(world.personas, persona))
    return client


def send(client: Client, method: str, url: str, entry: Entry, world: World) -> Any:
    data = entry.data(world) if method in ("POST", "PUT", "PATCH") else {}
    if entry.json:
        return client.generic(method, url, json.dumps(data), content_type="application/json")
    if method == "POST":
        return client.post(url, {**data, **entry.files()})
    if method == "GET":
        return client.get(url)
    return client.generic(method, url, "&".join(f"{k}={v}" for k, v in data.items()),
                          content_type="application/x-www-form-urlencoded")


def outcome(response: Any) -> Expected:
    if response.status_code == 302 and response["Location"].startswith(reverse("admin:login")):
        return ADMIN_LOGIN
    if response.status_code == 302 and response["Location"].startswith(reverse("login")):
        return LOGIN
    return response.status_code


def check(world: World, method: str, url: str, entry: Entry, expected: dict[str, Expected]) -> None:
    got: dict[str, Expected] = {}
    for persona in PERSONAS:
        client = client_for(world, persona)
        with transaction.atomic():
            before = snapshot()
            got[persona] = outcome(send(client, method, url, entry, world))
            refused = got[persona] in (LOGIN, ADMIN_LOGIN, 401, 403, 404, 405)
            if refused or method == "GET":
                assert snapshot() == before, f"{method} {url} as {persona} ({got[persona]}) changed the database"
            transaction.set_rollback(True)
    assert got == expected, f"{method} {url}"


@pytest.mark.parametrize("name", sorted(MATRIX))
def test_it_allows_each_url_only_to_those_who_may(world, name):
    entry = MATRIX[name]
    url = reverse(name, kwargs=entry.kwargs(world)) + entry.query
    for method in METHODS:
        check(world, method, url, entry, entry.methods[method])


# -- the admin ------------------------------------------------------------------------------------

_CONVERTER = re.compile(r"<(?:\w+:)?(\w+)>")


def admin_url(route: Route, world: World) -> str:
    """A concrete URL for an admin pattern: an existing object of its model for <object_id>."""
    if route.route.endswith("(?P<url>.*)$"):
        return "/admin/findes-ikke/"
    if "(?P<app_label>" in route.route:
        return "/admin/tracker/"
    model = None
    parts = route.route.split("/")
    if len(parts) > 3 and parts[1] not in ("r",):
        try:
            model = apps.get_model(parts[1], parts[2])
        except (LookupError, ValueError):
            model = None
    first = model.objects.order_by("pk").first() if model else None
    assert model is None or first is not None, f"the world has no {model.__name__} for {route.route}"
    values = {
        "object_id": first.pk if first else None,
        "id": world.personas.bob.pk,
        "content_type_id": ContentType.objects.get_for_model(Meeting).pk,
    }
    if "content_type_id" in route.route:
        values["object_id"] = world.meeting.pk
    return "/" + _CONVERTER.sub(lambda m: str(values[m.group(1)]), route.route)


def superuser_expects(route: Route, url: str) -> Expected:
    """What Django's admin gives the superuser on GET."""
    name = route.name
    if route.route.endswith("(?P<url>.*)$"):
        return 404
    if name == "admin:view_on_site":
        return 302 if hasattr(Meeting, "get_absolute_url") else 404
    if name == "admin:login" or route.pattern.lookup_str.endswith("RedirectView"):
        return 302
    if name == "admin:logout":
        return 405
    if name == "admin:autocomplete":
        return 403  # without its parameters
    if name.endswith("_add"):
        model = apps.get_model(*route.route.split("/")[1:3])
        request = RequestFactory().get(url)
        request.user = User.objects.get(username="admin")
        return 200 if admin.site._registry[model].has_add_permission(request) else 403
    return 200


@pytest.mark.parametrize("route", ADMIN_ROUTES, ids=[r.route for r in ADMIN_ROUTES])
def test_it_keeps_everyone_but_administrators_out_of_the_admin(world, route):
    url = admin_url(route, world)
    login_page = route.name == "admin:login"
    staff_only = ADMIN_LOGIN if not login_page else 200
    if route.name == "admin:logout":
        staff_only = 302  # back to the admin's start page, which asks for a login
    get = per(staff_only, staff_only, staff_only, staff_only, staff_only, superuser_expects(route, url))
    entry = Entry({})
    check(world, "GET", url, entry, get)
    # Nobody but the superuser gets to post anything (the superuser's own forms are Django's).
    post_refused = {p: staff_only for p in PERSONAS if p != "admin"}
    got = {}
    for persona in post_refused:
        client = client_for(world, persona)
        with transaction.atomic():
            before = snapshot()
            got[persona] = outcome(client.post(url, {"post": "yes", "name": "Ændret"}))
            assert snapshot() == before, f"POST {url} as {persona} changed the database"
            transaction.set_rollback(True)
    assert got == post_refused
