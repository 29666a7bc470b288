import pytest
from django.core.cache import cache
from django.test import override_settings

from tests.conftest import PASSWORD

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _clear_cache():
    cache.clear()
    yield
    cache.clear()


def test_it_tells_a_user_whose_password_is_wrong_without_saying_which_part(client, personas):
    response = client.post("/konto/login/", {"username": "bob", "password": "forkert"})
    assert response.status_code == 200
    assert "_auth_user_id" not in client.session
    assert "adgangskode" in response.content.decode().lower()


@override_settings(LOGIN_FAILURE_LIMIT=3)
def test_it_locks_logins_out_after_repeated_failures_even_with_the_right_password(client, personas):
    for _ in range(3):
        client.post("/konto/login/", {"username": "bob", "password": "forkert"})

    response = client.post("/konto/login/", {"username": "bob", "password": PASSWORD})

    assert response.status_code == 429
    assert "For mange mislykkede forsøg" in response.content.decode()
    assert "_auth_user_id" not in client.session


@override_settings(LOGIN_FAILURE_LIMIT=3)
def test_it_forgets_failures_after_a_successful_login(client, personas):
    for _ in range(2):
        client.post("/konto/login/", {"username": "bob", "password": "forkert"})
    client.post("/konto/login/", {"username": "bob", "password": PASSWORD})
    client.logout()
    for _ in range(2):
        client.post("/konto/login/", {"username": "bob", "password": "forkert"})

    response = client.post("/konto/login/", {"username": "bob", "password": PASSWORD})

    assert response.status_code == 302


def test_it_sends_a_content_security_policy_without_inline_scripts(client):
    response = client.get("/konto/login/")
    policy = response.headers["Content-Security-Policy"]
    script_src = next(part for part in policy.split("; ") if part.startswith("script-src"))
    assert script_src == "script-src 'self'"
    assert "frame-ancestors 'none'" in policy
    assert "<script>" not in response.content.decode()
