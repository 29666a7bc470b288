"""The login limit stops password guessing without locking colleagues out.

A municipality's staff reach the site from few addresses: the town hall's
network, and in production every request arrives through the TLS proxy. One
person's typos must lock out that user name only; an address is locked only
after far more failures (password spraying), and behind the proxy the address
is the client's, not the proxy's.
"""
from __future__ import annotations

import pytest
from django.core.cache import cache
from django.test import override_settings

from tests.conftest import PASSWORD

pytestmark = pytest.mark.django_db

TOWN_HALL = "10.20.30.40"
PROXY = "10.0.0.2"
BEHIND_PROXY = {"SECURE_PROXY_SSL_HEADER": ("HTTP_X_FORWARDED_PROTO", "https")}


@pytest.fixture(autouse=True)
def _clear_cache():
    cache.clear()
    yield
    cache.clear()


def login(client, username: str, password: str, **meta: str):
    return client.post("/konto/login/", {"username": username, "password": password}, **meta)


@override_settings(LOGIN_FAILURE_LIMIT=3)
def test_it_lets_a_colleague_on_the_same_network_log_in_after_someone_elses_typos(client, personas):
    for _ in range(3):
        login(client, "bob", "forkert", REMOTE_ADDR=TOWN_HALL)

    response = login(client, "alice", PASSWORD, REMOTE_ADDR=TOWN_HALL)

    assert response.status_code == 302
    assert client.session["_auth_user_id"] == str(personas.alice.pk)


@override_settings(LOGIN_FAILURE_LIMIT=3)
def test_it_still_locks_the_user_name_that_was_guessed(client, personas):
    for _ in range(3):
        login(client, "bob", "forkert", REMOTE_ADDR=TOWN_HALL)

    response = login(client, "bob", PASSWORD, REMOTE_ADDR="192.0.2.99")

    assert response.status_code == 429
    assert "For mange mislykkede forsøg" in response.content.decode()


@override_settings(LOGIN_FAILURE_LIMIT=3, LOGIN_FAILURE_ADDRESS_LIMIT=10)
def test_it_locks_an_address_that_tries_many_user_names(client, personas):
    for n in range(10):
        login(client, f"gæt{n}", "forkert", REMOTE_ADDR="198.51.100.7")

    response = login(client, "alice", PASSWORD, REMOTE_ADDR="198.51.100.7")

    assert response.status_code == 429
    assert "_auth_user_id" not in client.session


@override_settings(LOGIN_FAILURE_LIMIT=3, LOGIN_FAILURE_ADDRESS_LIMIT=10, **BEHIND_PROXY)
def test_it_counts_the_client_behind_the_proxy_not_the_proxy(client, personas):
    for n in range(10):
        login(client, f"gæt{n}", "forkert", REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_FOR="198.51.100.7")

    elsewhere = login(client, "alice", PASSWORD, REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_FOR=TOWN_HALL)
    client.logout()
    guesser = login(client, "bob", PASSWORD, REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_FOR="198.51.100.7")

    assert elsewhere.status_code == 302
    assert guesser.status_code == 429


@override_settings(LOGIN_FAILURE_LIMIT=3, LOGIN_FAILURE_ADDRESS_LIMIT=10, **BEHIND_PROXY)
def test_it_takes_the_address_the_proxy_saw_not_one_the_client_wrote(client, personas):
    """The proxy appends the address it saw; anything before it came from the client."""
    for n in range(10):
        login(client, f"gæt{n}", "forkert", REMOTE_ADDR=PROXY,
              HTTP_X_FORWARDED_FOR=f"203.0.113.{n}, 198.51.100.7")

    response = login(client, "alice", PASSWORD, REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_FOR="198.51.100.7")

    assert response.status_code == 429
