"""Shared fixtures: fixed personas for permission tests, as in every page's tests.

alice  – secretary of Chefforum
bob    – chef in Chefforum who holds the role "Chef for Økonomi" (owns items of that role)
carol  – chef in Chefforum who owns nothing
dave   – outsider: a login, no forum
admin  – superuser
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import pytest
from django.db import connection

from tests.factories import (
    BodyFactory,
    MembershipFactory,
    PersonFactory,
    RoleAssignmentFactory,
    RoleFactory,
    UserFactory,
)

PASSWORD = "korrekt-hest-batteri-42"


@pytest.fixture(autouse=True)
def _require_postgresql(request: pytest.FixtureRequest) -> None:
    if "django_db_setup" in request.fixturenames and connection.vendor != "postgresql":
        pytest.exit("The tests run on PostgreSQL, as production does: use bin/test or set DATABASE_URL=postgres://…", 2)


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings) -> None:
    """A production-strength hash takes about a second here, and every persona test makes five logins."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@dataclass
class Personas:
    body: object
    role: object
    alice: object
    bob: object
    carol: object
    dave: object
    admin: object


@pytest.fixture
def personas(db) -> Personas:
    body = BodyFactory(name="Chefforum", slug="chefforum", abbreviation="CF")
    role = RoleFactory(name="Chef for Økonomi", aliases=["Økonomichefen"], body=body, is_chef=True)
    users = {}
    for key, name in (("alice", "Alice Sekretær"), ("bob", "Bob Økonomichef"), ("carol", "Carol Kulturchef"), ("dave", "Dave Udenfor")):
        user = UserFactory(username=key, password=PASSWORD, email=f"{key}@example.org")
        users[key] = PersonFactory(name=name, user=user, email=user.email)
    MembershipFactory(person=users["alice"], body=body, is_secretary=True)
    MembershipFactory(person=users["bob"], body=body)
    MembershipFactory(person=users["carol"], body=body)
    RoleAssignmentFactory(role=role, person=users["bob"], starts_on=dt.date(2020, 1, 1))
    admin = UserFactory(username="admin", password=PASSWORD, is_superuser=True, is_staff=True)
    return Personas(body=body, role=role, admin=admin, **{k: v.user for k, v in users.items()})
