"""A secretary uploads minutes, reviews the proposals in the browser and confirms them."""
from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

import pytest

from tests.browser.conftest import login
from tests.conftest import PASSWORD
from tests.factories import MembershipFactory, PersonFactory
from tracker.models import ActionItem

SAMPLE = Path(__file__).resolve().parents[2] / "minutes" / "samples" / "000_3bcc5eede57647e4.txt"

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def henrik(personas):
    person = PersonFactory(name="Henrik Hansen", email="henrik@example.org")
    MembershipFactory(person=person, body=personas.body)
    return person


def card(page, quote_start: str):
    return page.locator("article.proposal", has=page.locator(".proposal-title", has_text=quote_start))


def upload_sample(page) -> None:
    page.goto(page.base_url + "/moeder/importer/")
    page.set_input_files("input[type=file]", str(SAMPLE))
    page.get_by_role("button", name="Importér", exact=True).click()
    page.locator(".upload-result.is-created").wait_for()


def test_it_uploads_reviews_and_confirms_the_proposals(page, screenshot, personas, henrik):
    login(page, "alice", PASSWORD)
    upload_sample(page)
    assert "Importeret: Chefforum 28. april 2022" in page.locator(".upload-result").inner_text()
    screenshot("import")

    page.get_by_role("link", name="Gennemgå forslag").first.click()
    page.wait_for_load_state("networkidle")
    proposals = ActionItem.objects.filter(status=ActionItem.Status.PROPOSED).count()
    assert proposals == 10  # nine sentences, and the withdrawn item proposed for the next meeting
    assert page.locator("mark.review-mark.is-proposed").count() == proposals
    assert page.locator("article.proposal").count() == proposals
    assert "29. maj 2022 er en søndag" in card(page, "Fredag den 29. maj").inner_text()
    screenshot("review-before")
    page.set_viewport_size({"width": 1280, "height": 1000})
    screenshot("review-top", full_page=False)

    # Edit one: a corrected due date and a role, saved without confirming yet.
    friday = card(page, "Fredag den 29. maj")
    friday.get_by_text("Ret", exact=True).click()
    friday.get_by_label("Frist").fill("2022-05-27")
    friday.get_by_label("Rolle").select_option(label="Chef for Økonomi")
    friday.scroll_into_view_if_needed()
    page.evaluate("window.scrollBy(0, -120)")
    screenshot("review", full_page=False)
    friday.get_by_role("button", name="Gem", exact=True).click()
    page.wait_for_load_state("networkidle")
    assert "27. maj 2022" in card(page, "Fredag den 29. maj").inner_text()
    assert "Chef for Økonomi" in card(page, "Fredag den 29. maj").inner_text()

    # Reject one.
    card(page, "Der kommer revurderinger").get_by_role("button", name="Afvis").click()
    page.wait_for_load_state("networkidle")
    assert page.locator("article.proposal").count() == proposals - 1
    assert "Afvist" in page.locator(".messages").inner_text()

    # Accept the rest.
    page.get_by_role("button", name=re.compile(r"Bekræft alle \d+ resterende forslag")).click()
    page.wait_for_load_state("networkidle")
    assert page.locator("article.proposal").count() == 0
    assert "Alle forslag er behandlet." in page.content()
    screenshot("review-after")

    items = ActionItem.objects.select_related("responsible_role", "responsible_person")
    assert items.filter(status=ActionItem.Status.OPEN).count() == proposals - 1
    assert items.get(quote__startswith="Der kommer revurderinger").status == ActionItem.Status.REJECTED
    edited = items.get(quote__startswith="Fredag den 29. maj")
    assert (edited.status, edited.due_date, edited.responsible_role) == (
        ActionItem.Status.OPEN, dt.date(2022, 5, 27), personas.role
    )
    assert edited.responsible_person == henrik
    decided = page.locator(f"#opfoelgning-{edited.pk}").inner_text()
    assert "Åben" in decided and "Chef for Økonomi" in decided and "27. maj 2022" in decided


def test_it_adds_a_follow_up_by_selecting_a_sentence(page, screenshot, personas, henrik):
    login(page, "alice", PASSWORD)
    upload_sample(page)
    page.get_by_role("link", name="Gennemgå forslag").first.click()
    page.wait_for_load_state("networkidle")
    sentence = "Tilbagemeldinger fra organisationen er gode."

    # Select the sentence the way a mouse does, then use the button that appears.
    page.evaluate(
        """(sentence) => {
            const source = document.querySelector('[data-review-text]');
            const walker = document.createTreeWalker(source, NodeFilter.SHOW_TEXT);
            let node;
            while ((node = walker.nextNode())) {
                const at = node.data.indexOf(sentence);
                if (at >= 0) {
                    const range = document.createRange();
                    range.setStart(node, at);
                    range.setEnd(node, at + sentence.length);
                    source.scrollTop += range.getBoundingClientRect().top - source.getBoundingClientRect().top - 60;
                    const selection = window.getSelection();
                    selection.removeAllRanges();
                    selection.addRange(range);
                    source.dispatchEvent(new MouseEvent('mouseup', {bubbles: true}));
                    return;
                }
            }
            throw new Error('sentence not found');
        }""",
        sentence,
    )
    page.get_by_role("button", name="Tilføj som opfølgning").click()
    assert page.get_by_label("Sætningen i referatet").input_value() == sentence
    screenshot("review-add")
    page.get_by_label("Opfølgning", exact=True).last.fill("Gentag formen næste år")
    page.locator("[data-add-form]").get_by_label("Rolle").select_option(label="Chef for Økonomi")
    page.get_by_role("button", name="Tilføj og bekræft").click()
    page.wait_for_load_state("networkidle")

    item = ActionItem.objects.get(title="Gentag formen næste år")
    text = item.source_item.meeting.text
    assert text[item.quote_start:item.quote_end] == sentence
    assert (item.status, item.responsible_role) == (ActionItem.Status.OPEN, personas.role)
    assert page.locator(f"#citat-{item.pk}").inner_text() == sentence


def test_it_moves_between_proposals_with_j_and_k(page, screenshot, personas, henrik):
    login(page, "alice", PASSWORD)
    upload_sample(page)
    page.get_by_role("link", name="Gennemgå forslag").first.click()
    page.wait_for_load_state("networkidle")
    cards = page.locator("article.proposal")
    page.set_viewport_size({"width": 390, "height": 844})
    screenshot("review-phone")
    assert page.evaluate("document.documentElement.scrollWidth") <= 390, "the page scrolls sideways on a phone"
    page.set_viewport_size({"width": 1280, "height": 900})

    page.keyboard.press("j")
    page.keyboard.press("j")
    second = cards.nth(1)
    assert second.evaluate("el => el === document.activeElement")
    pk = second.get_attribute("data-proposal")
    assert "is-active" in page.locator(f"#citat-{pk}").get_attribute("class")

    page.keyboard.press("k")
    assert cards.nth(0).evaluate("el => el === document.activeElement")
    focus_order = []
    for _ in range(4):
        page.keyboard.press("Tab")
        focus_order.append(page.evaluate("document.activeElement.textContent.trim()"))
    assert focus_order == ["Vis i teksten", "Bekræft", "Afvis", "Ret"]


def test_it_shows_each_files_status_when_several_are_uploaded(page, personas):
    login(page, "alice", PASSWORD)
    page.goto(page.base_url + "/moeder/importer/")

    page.set_input_files("input[type=file]", [
        {"name": SAMPLE.name, "mimeType": "text/plain", "buffer": SAMPLE.read_bytes()},
        {"name": "tom.txt", "mimeType": "text/plain", "buffer": b""},
        {"name": "notat.odt", "mimeType": "application/octet-stream", "buffer": b"PK"},
    ])
    assert page.locator("[data-queue] li").count() == 3
    page.get_by_role("button", name="Importér", exact=True).click()
    page.get_by_text("Færdig:").wait_for()

    rows = page.locator("[data-queue] li")
    assert "is-created" in rows.nth(0).get_attribute("class")
    assert "Filen er tom." in rows.nth(1).inner_text() and "is-failed" in rows.nth(1).get_attribute("class")
    assert "Filtypen kan ikke importeres" in rows.nth(2).inner_text()
    assert page.get_by_text("Færdig: 1 importeret, 0 uændret, 2 fejlet.").is_visible()
    assert ActionItem.objects.count() == 10


def test_it_shows_the_earlier_followups_a_later_meeting_discussed(page, screenshot, personas):
    from minutes.importing import import_minutes
    from tests.minutes.test_linking import FIRST, MAIL, SECOND
    from tracker import services

    first = import_minutes(data=FIRST, filename="2022-01-20.txt").meeting
    for item in ActionItem.objects.filter(source_item__meeting=first):
        services.action_item_confirm(item=item, by=None)
    second = import_minutes(data=SECOND, filename="2022-02-03.txt").meeting
    login(page, "alice", PASSWORD)

    page.goto(f"{page.base_url}/moeder/{second.pk}/gennemgang/")
    section = page.locator("#tidligere")
    assert section.locator("article.earlier-link").count() == 3
    screenshot("review-earlier")
    page.set_viewport_size({"width": 390, "height": 844})
    section.scroll_into_view_if_needed()
    screenshot("review-earlier-phone", full_page=False)
    assert page.evaluate("document.documentElement.scrollWidth") <= 390, "the page scrolls sideways on a phone"
    page.set_viewport_size({"width": 1280, "height": 900})

    mail = section.locator("article.earlier-link", has_text=MAIL)
    mail.get_by_role("button", name="Afslut").click()
    page.wait_for_load_state("networkidle")
    assert "Afsluttet:" in page.locator(".messages").inner_text()
    assert page.locator("#tidligere article.earlier-link").count() == 2
    assert ActionItem.objects.get(quote=MAIL).status == ActionItem.Status.DONE
