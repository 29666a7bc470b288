"""The API's docs page works under the site's Content-Security-Policy, from the app's own files."""
from __future__ import annotations

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import login
from tests.conftest import PASSWORD

pytestmark = pytest.mark.django_db(transaction=True)


def test_it_shows_the_api_docs_and_tries_a_request_with_the_session(page, screenshot, personas):
    refused: list[str] = []
    page.on("console", lambda message: refused.append(message.text) if "Content Security Policy" in message.text else None)
    outside: list[str] = []
    page.on("request", lambda request: outside.append(request.url) if not request.url.startswith(page.base_url) else None)
    login(page, "bob", PASSWORD)

    page.goto(page.base_url + "/api/docs/")
    expect(page.get_by_text("Referat → opfølgning API")).to_be_visible()
    operation = page.locator("#operations-forums-forums_list")
    operation.locator(".opblock-summary").click()
    operation.get_by_role("button", name="Try it out").click()
    operation.get_by_role("button", name="Execute").click()
    expect(operation.locator(".response .response-col_status").first).to_have_text("200")
    expect(operation.locator(".live-responses-table")).to_contain_text("\"slug\": \"chefforum\"")
    screenshot("api_docs")
    assert refused == [] and outside == []
