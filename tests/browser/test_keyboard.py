"""Without a mouse: a secretary reviews a whole meeting and a chef marks a task done, with the keyboard only."""
from __future__ import annotations

from pathlib import Path

import pytest
from playwright.sync_api import expect

from minutes.importing import import_minutes
from tests.browser.conftest import login
from tests.conftest import PASSWORD
from tracker import services
from tracker.models import ActionItem

pytestmark = pytest.mark.django_db(transaction=True)

SAMPLE = Path(__file__).resolve().parents[2] / "minutes" / "samples" / "000_3bcc5eede57647e4.txt"

FOCUSED = """() => {
    const el = document.activeElement;
    const style = getComputedStyle(el);
    const card = el.closest('[data-proposal]');
    return {
        tag: el.tagName.toLowerCase(),
        text: (el.innerText || el.value || '').trim().slice(0, 80),
        outline: style.outlineStyle !== 'none' && parseFloat(style.outlineWidth) >= 2,
        proposal: card ? card.dataset.proposal : null,
        id: el.id,
    };
}"""


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


def focused(page) -> dict:
    return page.evaluate(FOCUSED)


def login_by_keyboard(page, username: str) -> None:
    page.goto(page.base_url + "/konto/login/")
    assert focused(page)["id"] == "id_username"  # the field has focus when the page opens
    page.keyboard.type(username)
    page.keyboard.press("Tab")
    page.keyboard.type(PASSWORD)
    with page.expect_navigation():
        page.keyboard.press("Enter")
    page.wait_for_load_state("networkidle")
    assert "/konto/login/" not in page.url


def tab_to(page, text: str, *, proposal: str | None = None, limit: int = 25) -> dict:
    """Press Tab until a button or link with this text has focus; every stop must show its focus."""
    for _ in range(limit):
        page.keyboard.press("Tab")
        now = focused(page)
        assert now["outline"], f"no visible focus on {now}"
        if now["text"] == text and (proposal is None or now["proposal"] == proposal):
            return now
    raise AssertionError(f"“{text}” was not reached with Tab")


def test_it_reviews_a_whole_meeting_with_the_keyboard_only(page, screenshot, personas):
    meeting = import_minutes(data=SAMPLE.read_bytes(), filename=SAMPLE.name).meeting
    proposed = list(ActionItem.objects.filter(status=ActionItem.Status.PROPOSED).order_by("pk"))
    assert len(proposed) >= 3
    login_by_keyboard(page, "alice")
    page.goto(page.base_url + f"/moeder/{meeting.pk}/gennemgang/")

    # j and k move between the proposals and put focus on the one that is shown.
    page.keyboard.press("j")
    first = focused(page)["proposal"]
    assert first is not None and focused(page)["outline"]
    page.keyboard.press("j")
    second = focused(page)["proposal"]
    assert second not in (None, first)
    page.keyboard.press("k")
    assert focused(page)["proposal"] == first
    screenshot("keyboard-review")

    # The first proposal is rejected, the rest confirmed, one at a time, from the keyboard.
    decisions = 0
    while page.locator("article.proposal[data-proposal]").count():
        page.keyboard.press("j")
        current = focused(page)["proposal"]
        assert current is not None
        tab_to(page, "Afvis" if decisions == 0 else "Bekræft", proposal=current)
        with page.expect_navigation():
            page.keyboard.press("Enter")
        page.wait_for_load_state("networkidle")
        decisions += 1
        assert page.locator(f"#forslag-{current}").count() == 0
        assert decisions <= len(proposed)

    assert decisions == len(proposed)
    statuses = sorted(ActionItem.objects.filter(pk__in=[i.pk for i in proposed]).values_list("status", flat=True))
    assert statuses == ["open"] * (len(proposed) - 1) + ["rejected"]
    assert "Bekræftet" in page.locator(".messages").inner_text()


def test_it_marks_a_task_done_from_mine_opgaver_with_the_keyboard_only(page, screenshot, personas):
    item = services.action_item_create(by=personas.alice, body=personas.body, title="Budgetnotat til direktionen",
                                       responsible_role=personas.role)
    login_by_keyboard(page, "bob")
    page.goto(page.base_url + "/mine-opgaver/")

    # The skip link is the first stop and leads past the menu.
    page.keyboard.press("Tab")
    assert focused(page)["text"] == "Spring til indhold"
    page.keyboard.press("Enter")
    assert focused(page)["id"] == "main"

    page.keyboard.press("Tab")
    while focused(page)["id"] != f"done-comment-{item.pk}":
        assert focused(page)["outline"], focused(page)
        page.keyboard.press("Tab")
    page.keyboard.type("Sendt mandag.")
    page.keyboard.press("Tab")
    assert focused(page)["text"] == "Udført" and focused(page)["outline"]
    page.keyboard.press("Enter")
    page.locator(f"#item-row-{item.pk}.is-done").wait_for()

    # Focus lands on the confirmation, which is read out, and "Fortryd" is the next stop.
    now = focused(page)
    assert "er markeret som udført" in now["text"]
    expect(page.locator("#live-status")).to_have_text("Budgetnotat til direktionen er markeret som udført.")
    page.keyboard.press("Tab")
    assert focused(page)["text"] == "Fortryd"
    screenshot("keyboard-done", full_page=False)
    item.refresh_from_db()
    assert item.status == ActionItem.Status.DONE
    assert item.events.filter(comment="Sendt mandag.").exists()
