"""Cross-site request forgery: no change without the CSRF token, on any URL, and every form carries one.

The URLs and their data come from the authorization matrix: for every URL
and unsafe method, the first persona who may use it sends the same valid
request with CSRF checks enforced (as a browser would be, on a forged page)
and without the token. It must be refused and change nothing.
"""
from __future__ import annotations

import re

import pytest
from django.db import transaction
from django.test import Client
from django.urls import reverse

from tests.security.test_authorization_matrix import ADMIN_LOGIN, LOGIN, MATRIX, PERSONAS, send, snapshot

pytestmark = [pytest.mark.django_db, pytest.mark.slow]

UNSAFE = ("POST", "PUT", "PATCH", "DELETE")
_FORM = re.compile(r"<form\b([^>]*)>(.*?)</form>", re.IGNORECASE | re.DOTALL)
_POST = re.compile(r"""method\s*=\s*["']?post""", re.IGNORECASE)


def allowed(expected: object, persona: str) -> bool:
    """The request does what it is for (a signed-in user sent to the login page has logged out)."""
    if expected == LOGIN:
        return persona != "anonymous"
    return expected != ADMIN_LOGIN and isinstance(expected, int) and expected < 400


CASES = [
    (name, method, next(p for p in PERSONAS if allowed(entry.methods[method][p], p)))
    for name, entry in sorted(MATRIX.items())
    for method in UNSAFE
    if any(allowed(entry.methods[method][p], p) for p in PERSONAS)
]


def test_it_checks_the_unsafe_requests_of_every_kind_of_url():
    names = {name for name, _method, _persona in CASES}
    # Forms of each area: the item actions, review, roles, calendar, import, the API, the login.
    assert {"tracker:item_complete", "minutes:review_accept_all", "tracker:role_handover", "tracker:calendar_revoke",
            "minutes:import", "api:action-item-status", "api:token", "login", "logout"} <= names


@pytest.mark.parametrize(("name", "method", "persona"), CASES)
def test_it_refuses_a_change_without_the_csrf_token(world, name, method, persona):
    entry = MATRIX[name]
    url = reverse(name, kwargs=entry.kwargs(world)) + entry.query
    client = Client(enforce_csrf_checks=True)
    if persona != "anonymous":
        client.force_login(getattr(world.personas, persona))
    with transaction.atomic():
        before = snapshot()
        response = send(client, method, url, entry, world)
        assert response.status_code == 403, f"{method} {url} as {persona} without a CSRF token"
        assert snapshot() == before
        transaction.set_rollback(True)


NOT_HTML = {"tracker:export", "tracker:followup_list_docx", "tracker:feed", "minutes:decisions_csv"}
PAGES = [
    (name, persona)
    for name, entry in sorted(MATRIX.items())
    for persona in ("alice", "bob", "admin")
    if entry.methods["GET"][persona] == 200 and name not in NOT_HTML and (not name.startswith("api:") or name == "api:docs")
]


@pytest.mark.parametrize(("name", "persona"), PAGES)
def test_it_puts_the_csrf_token_in_every_form_that_posts(world, name, persona):
    entry = MATRIX[name]
    client = Client()
    client.force_login(getattr(world.personas, persona))
    response = client.get(reverse(name, kwargs=entry.kwargs(world)) + entry.query)
    assert response["Content-Type"].startswith("text/html")
    html = response.content.decode()
    for attributes, body in _FORM.findall(html):
        if _POST.search(attributes):
            assert 'name="csrfmiddlewaretoken"' in body, f"a form on {name} posts without the CSRF token"
