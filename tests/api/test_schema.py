"""The API against its own OpenAPI description: generated requests to every operation, as a
secretary and as a chef, must never meet a server error nor get an answer the schema does not
describe.

Bounded: a few examples per operation, run in-process against the WSGI application inside the
test's transaction.
"""
from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any

import pytest
import schemathesis
from django.core.handlers.wsgi import WSGIHandler
from django.core.signals import request_finished, request_started
from django.db import close_old_connections
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from api.keys import api_key_create

CHECKS = [not_a_server_error, status_code_conformance, content_type_conformance, response_schema_conformance]
EXAMPLES_PER_OPERATION = 8


class InTestTransaction:
    """The WSGI application, minus the per-request connection clean-up.

    Django closes the database connection at the end of a request when it is
    not in autocommit mode, which would end the test's transaction; its own
    test client leaves these signals out for the same reason.
    """

    def __init__(self) -> None:
        self.handler = WSGIHandler()

    def __call__(self, environ: dict[str, Any], start_response: Callable) -> Iterable[bytes]:
        request_started.disconnect(close_old_connections)
        request_finished.disconnect(close_old_connections)
        try:
            result = self.handler(environ, start_response)
            try:
                body = b"".join(result)
            finally:
                result.close()
            return [body]
        finally:
            request_started.connect(close_old_connections)
            request_finished.connect(close_old_connections)


def known_ids(world) -> dict[str, list[int]]:
    """Ids that exist, so that detail operations are tried on real rows as well as on random numbers."""
    p = world.personas
    return {
        "/api/forums/{id}/": [p.body.pk],
        "/api/meetings/{id}/": [world.meeting.pk],
        "/api/agenda-items/{id}/": [world.agenda_item.pk, world.closed_item.pk],
        "/api/action-items/": [world.bobs_item.pk, world.proposal.pk, world.from_closed.pk],
        "/api/roles/{id}/": [p.role.pk],
        "/api/people/{id}/": [p.bob.person.pk],
        "/api/role-assignments/{id}/": list(p.role.assignments.values_list("pk", flat=True)),
    }


def cases(operation: Any, ids: dict[str, list[int]]) -> st.SearchStrategy:
    strategies = [operation.as_strategy()]
    if "{id}" in operation.path:
        for prefix, values in ids.items():
            if operation.path.startswith(prefix.replace("{id}/", "")):
                strategies += [operation.as_strategy(path_parameters={"id": pk}) for pk in values]
    return st.one_of(strategies)


@pytest.mark.django_db
def test_it_answers_every_generated_request_as_its_schema_says(world):
    schema = schemathesis.openapi.from_wsgi("/api/schema/?format=json", InTestTransaction())
    keys = [api_key_create(user=user) for user in (world.personas.alice, world.personas.bob)]
    ids = known_ids(world)
    operations = [result.ok() for result in schema.get_all_operations()]
    assert len(operations) >= 17

    for operation in operations:

        @given(case=cases(operation, ids))
        @settings(
            max_examples=EXAMPLES_PER_OPERATION, deadline=None, derandomize=True, database=None,
            suppress_health_check=list(HealthCheck), phases=[Phase.explicit, Phase.generate],
        )
        def answers_as_described(case: Any) -> None:
            for key in keys:
                case.call_and_validate(headers={"Authorization": f"Token {key}"}, checks=CHECKS)

        answers_as_described()
