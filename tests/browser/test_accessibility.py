"""WCAG 2.1 AA: every main page, for each persona, passes axe-core with nothing serious or critical.

axe-core comes from the npm registry (bin/test installs the pinned version
into .axe/) and is evaluated in the page through the DevTools protocol, so the
app's Content-Security-Policy does not have to allow it.
"""
from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest

from minutes.importing import import_minutes
from tests.browser.conftest import login
from tests.conftest import PASSWORD
from tracker import services
from tracker.models import ActionItem

pytestmark = pytest.mark.django_db(transaction=True)

ROOT = Path(__file__).resolve().parents[2]
AXE = ROOT / ".axe" / "node_modules" / "axe-core" / "axe.min.js"
SAMPLES = ROOT / "minutes" / "samples"
WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "best-practice"]
BLOCKING = {"serious", "critical"}
WIDTHS = {"desktop": 1280, "phone": 390}


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def minutes(personas):
    """One meeting waiting for review, one whose follow-ups are open (one overdue) and one done."""
    review = import_minutes(data=(SAMPLES / "000_3bcc5eede57647e4.txt").read_bytes(), filename="referat.txt").meeting
    confirmed = import_minutes(data=(SAMPLES / "001_609fa1df8d648a56.txt").read_bytes(), filename="referat2.txt",
                               body=personas.body).meeting
    today = dt.date.today()
    items = list(ActionItem.objects.filter(source_item__meeting=confirmed).order_by("pk"))
    assert len(items) >= 3
    for offset, item in zip((-3, 5, 40), items[:3], strict=False):
        services.action_item_update(item=item, by=personas.alice, responsible_role=personas.role,
                                    due_date=today + dt.timedelta(days=offset))
    for item in items:
        services.action_item_confirm(item=item, by=personas.alice)
    services.action_item_complete(item=items[2], by=personas.bob, comment="Sendt til direktionen.")
    services.action_item_comment(item=items[0], by=personas.alice, comment="Husk bilaget.")
    return {"review": review, "meeting": confirmed, "item": items[0]}


def axe_violations(page) -> list[dict]:
    if not page.evaluate("() => typeof window.axe === 'object'"):
        page.evaluate(AXE.read_text(encoding="utf-8"))
    result = page.evaluate(
        "async (tags) => await axe.run(document, {runOnly: {type: 'tag', values: tags}, resultTypes: ['violations']})",
        WCAG_TAGS,
    )
    return [v for v in result["violations"] if v["impact"] in BLOCKING]


def describe(violations: list[dict]) -> str:
    lines = []
    for v in violations:
        lines.append(f"[{v['impact']}] {v['id']}: {v['help']} ({v['helpUrl']})")
        for node in v["nodes"][:5]:
            lines.append(f"    {', '.join(map(str, node['target']))}: {node['failureSummary'].splitlines()[-1].strip()}")
            lines.append(f"      {node['html'][:160]}")
    return "\n".join(lines)


def audit(page, pages: dict[str, str], *, prepare=None) -> dict[str, list[dict]]:
    """Visit each page at each width; collect the blocking violations per page."""
    found = {}
    for width_name, width in WIDTHS.items():
        page.set_viewport_size({"width": width, "height": 900})
        for name, path in pages.items():
            response = page.goto(page.base_url + path)
            page.wait_for_load_state("networkidle")
            assert response.status == 200, f"{name}: {path} answered {response.status}"
            assert page.url.split("?")[0].endswith(path.split("?")[0]), f"{name}: redirected to {page.url}"
            if prepare:
                prepare(name, page)
            violations = axe_violations(page)
            if violations:
                found[f"{name} @ {width_name} ({path})"] = violations
    return found


def assert_clean(found: dict[str, list[dict]]) -> None:
    report = "\n\n".join(f"{where}\n{describe(v)}" for where, v in found.items())
    assert not found, "axe-core found serious or critical violations:\n\n" + report


def open_filters(name, page):
    if name == "Alle opfølgninger":
        page.locator("details.more-filters summary").click()
        assert page.locator("details.more-filters").get_attribute("open") is not None


def test_it_finds_no_serious_violations_on_the_public_pages(page, personas):
    assert_clean(audit(page, {"Log ind": "/konto/login/", "Tilgængelighedserklæring": "/tilgaengelighed/"}))


def test_it_finds_no_serious_violations_on_the_login_error(page, personas):
    page.goto(page.base_url + "/konto/login/")
    page.fill("#id_username", "bob")
    page.fill("#id_password", "forkert")
    with page.expect_navigation():
        page.click("button[type=submit]")
    page.wait_for_load_state("networkidle")
    assert page.locator(".errorlist, .error, [role=alert]").count() >= 1
    assert_clean({"Log ind med fejl": v} if (v := axe_violations(page)) else {})


def test_it_finds_no_serious_violations_for_the_chef(page, personas, minutes):
    login(page, "bob", PASSWORD)
    item, meeting = minutes["item"], minutes["meeting"]
    assert_clean(audit(page, {
        "Mine opgaver": "/mine-opgaver/",
        "Alle opfølgninger": "/opfoelgninger/?status=open",
        "Opfølgning": f"/opfoelgninger/{item.pk}/",
        "Møde": f"/moeder/{meeting.pk}/",
        "Møder": "/moeder/",
        "Kalender": "/kalender/",
        "Søg": "/moeder/soeg/?q=arbejdsgrupper",
        "Forum": f"/fora/{personas.body.slug}/",
    }, prepare=open_filters))


def test_it_finds_no_serious_violations_for_the_secretary(page, personas, minutes):
    login(page, "alice", PASSWORD)
    assert_clean(audit(page, {
        "Gennemgang": f"/moeder/{minutes['review'].pk}/gennemgang/",
        "Importér": "/moeder/importer/",
        "Roller": "/roller/",
        "Rolle": f"/roller/{personas.role.pk}/",
        "Påmindelser": "/paamindelser/",
        "Alle opfølgninger": "/opfoelgninger/",
        "Opfølgning": f"/opfoelgninger/{minutes['item'].pk}/",
    }, prepare=open_filters))


def test_it_finds_no_serious_violations_on_empty_pages(page, personas, minutes):
    login(page, "carol", PASSWORD)
    assert_clean(audit(page, {"Mine opgaver": "/mine-opgaver/", "Søg uden resultat": "/moeder/soeg/?q=zzzqqq"}))


def test_it_finds_no_serious_violations_after_an_htmx_update(page, personas, minutes):
    login(page, "bob", PASSWORD)
    page.goto(page.base_url + "/mine-opgaver/")
    page.get_by_role("button", name="Udført").first.click()
    page.locator(".item-row.is-done").wait_for()
    page.wait_for_load_state("networkidle")
    assert_clean({"Mine opgaver efter Udført": v} if (v := axe_violations(page)) else {})


def test_it_reports_a_violation_it_is_shown(page, personas):
    """The audit itself works: a page with an unlabelled field and low contrast fails."""
    page.goto(page.base_url + "/konto/login/")
    page.evaluate("""() => {
        document.querySelector('label[for=id_username]').remove();
        document.body.insertAdjacentHTML('beforeend', '<p style="color:#bbb;background:#fff">grå tekst</p>');
    }""")
    ids = {v["id"] for v in axe_violations(page)}
    assert {"label", "color-contrast"} <= ids, json.dumps(sorted(ids))


def test_it_switches_to_english_and_stays_accessible(page, screenshot, personas, minutes):
    login(page, "bob", PASSWORD)
    page.goto(page.base_url + "/mine-opgaver/")
    with page.expect_navigation():
        page.get_by_role("button", name="English").click()
    page.wait_for_load_state("networkidle")
    assert page.locator("html").get_attribute("lang") == "en"
    assert page.get_by_role("heading", level=1).inner_text() == "My tasks"
    screenshot("english-my-items")

    found = audit(page, {
        "My tasks": "/mine-opgaver/",
        "All follow-ups": "/opfoelgninger/?status=open",
        "Follow-up": f"/opfoelgninger/{minutes['item'].pk}/",
        "Meeting": f"/moeder/{minutes['meeting'].pk}/",
        "Accessibility statement": "/tilgaengelighed/",
    }, prepare=lambda name, p: open_filters("Alle opfølgninger" if name == "All follow-ups" else name, p))
    assert_clean(found)
    assert page.locator("html").get_attribute("lang") == "en"  # the choice is remembered from page to page
    page.set_viewport_size({"width": 390, "height": 900})
    page.goto(page.base_url + "/tilgaengelighed/")
    screenshot("accessibility-statement-phone")
    with page.expect_navigation():
        page.get_by_role("button", name="Dansk").click()
    page.wait_for_load_state("networkidle")
    assert page.get_by_role("heading", level=1).inner_text() == "Tilgængelighedserklæring"
