"""English as a complete second language: every page, the switch that remembers it, dates the English way."""
from __future__ import annotations

import ast
import datetime as dt
import functools
import gettext
import re
import shutil
from html.parser import HTMLParser
from pathlib import Path

import pytest
from django.conf import settings as django_settings
from django.core.management import call_command
from django.test import Client
from django.utils import timezone, translation

from minutes.importing import import_minutes
from minutes.models import AgendaItem, Body, Meeting
from tests.conftest import PASSWORD
from tracker import services
from tracker.localdates import describe_deadline, describe_window_en, format_date
from tracker.models import ActionItem, ActionItemEvent, CalendarFeed, Person, Reminder, Role

ROOT = Path(django_settings.BASE_DIR)
PO = ROOT / "locale" / "en" / "LC_MESSAGES" / "django.po"
MO = PO.with_suffix(".mo")
SAMPLES = ROOT / "minutes" / "samples"

# Words and letters that only Danish UI text has; data (titles, quotes, names) is taken out first.
DANISH = re.compile(
    r"[æøåÆØÅ]|(?i:\b(og|er|ikke|til|af|på|med|har|skal|kan|ingen|alle|eller|uden|dato|frist|fristen|møde|mødet|"
    r"opfølgning\w*|opgave\w*|referat\w*|forslag|gennemgang|rolle|roller|kalender|udført|ansvarlig|søg|vis|"
    r"side|punkt|gem|afvis|bekræft|tilføj|kl)\b)|"
    # Danish writes months and weekdays in lower case ("12. maj", "søndag"); English capitalises them.
    r"\b(januar|februar|marts|april|maj|juni|juli|august|september|oktober|november|december|"
    r"mandag|tirsdag|onsdag|torsdag|fredag|lørdag|søndag)\b"
)
SKIPPED_TAGS = {"script", "style", "textarea"}
TEXT_ATTRIBUTES = {"placeholder", "aria-label", "title", "alt", "data-label"}


VOID_TAGS = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr"}


class TextCollector(HTMLParser):
    """The text a user reads or hears, leaving out scripts and parts marked as another language (lang="da")."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.texts: list[str] = []
        self._stack: list[tuple[str, bool]] = []

    @property
    def _skipping(self) -> bool:
        return any(skip for _, skip in self._stack)

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        lang = attributes.get("lang")
        skip = tag in SKIPPED_TAGS or (tag != "html" and lang is not None and not lang.startswith("en"))
        if not skip and not self._skipping:
            for name, value in attrs:
                if (name in TEXT_ATTRIBUTES or (name == "value" and tag == "button")) and value:
                    self.texts.append(value)
        if tag not in VOID_TAGS:
            self._stack.append((tag, skip))

    def handle_startendtag(self, tag, attrs):
        self.handle_starttag(tag, attrs)
        if tag not in VOID_TAGS and self._stack:
            self._stack.pop()

    def handle_endtag(self, tag):
        for i in range(len(self._stack) - 1, -1, -1):
            if self._stack[i][0] == tag:
                del self._stack[i:]
                break

    def handle_data(self, data):
        if not self._skipping and data.strip():
            self.texts.append(data)


def normalize(text: str) -> str:
    return " ".join(text.split())


def data_strings() -> list[str]:
    """Everything users and minutes wrote: it stays in its own language."""
    values: list[str] = []
    for body in Body.objects.all():
        values += [body.name, body.abbreviation, *(body.aliases or [])]
    for meeting in Meeting.objects.all():
        values += [meeting.location, meeting.text, *map(str, meeting.participants or [])]
    for agenda in AgendaItem.objects.all():
        sections = agenda.sections or {}
        values += [agenda.title, agenda.case_number, *map(str, sections), *map(str, sections.values())]
        values += [str(agenda.display_title)] if hasattr(agenda, "display_title") else []
    for item in ActionItem.objects.all():
        values += [item.title, item.quote, item.responsible_text, item.section]
    values += [e.comment for e in ActionItemEvent.objects.all()]
    for role in Role.objects.all():
        values += [role.name, *(role.aliases or [])]
    for person in Person.objects.all():
        values += [person.name, *(person.aliases or [])]
    return sorted({normalize(v) for v in values if v and len(normalize(v)) >= 2}, key=len, reverse=True)


@functools.cache
def danish_ui_strings() -> frozenset[str]:
    """The Danish UI texts that English writes differently ("Mine opgaver", not "Status")."""
    strings = set()
    for entry in read_po(PO):
        for key, english_text in entry.items():
            if key.startswith("msgstr") and english_text:
                source = entry["msgid_plural"] if key == "msgstr[1]" else entry["msgid"]
                if source != english_text and "%" not in source and "<" not in source:
                    strings.add(normalize(source))
    return frozenset(strings)


def words(text: str) -> str:
    return " ".join(re.findall(r"\w+", text.lower()))


def is_data(piece: str, blob: str, values: set[str]) -> bool:
    """A short text is data when it is a whole value; a longer one when most of its 4-word runs are in the data.

    Search snippets and shortened quotes join pieces of the minutes in another order, so a long text is
    compared run by run rather than whole.
    """
    tokens = piece.split()
    if len(tokens) < 4:
        return piece in values
    runs = [" ".join(tokens[i:i + 4]) for i in range(len(tokens) - 3)]
    return sum(f" {run} " in blob for run in runs) >= 0.7 * len(runs)


def untranslated(html: str, data: list[str]) -> list[str]:
    """Texts of the page that read as Danish once what users and minutes wrote is taken out."""
    values = {words(v) for v in data}
    blob = " " + " \n ".join(values) + " "
    danish_ui = danish_ui_strings()
    collector = TextCollector()
    collector.feed(html)
    found = []
    for text in map(normalize, collector.texts):
        if not words(text) or is_data(words(text), blob, values):
            continue
        if text in danish_ui:
            found.append(text)
            continue
        rest = text
        for value in data:
            if len(value) >= 4 and value in rest:
                rest = rest.replace(value, " · ")
        for segment in re.split(r" · |[“”»«]", rest):
            parts = segment.split("…")
            for part in parts:
                w = words(part)
                if not w or is_data(w, blob, values):
                    continue
                if len(parts) > 1 and f" {w} " in blob:  # a piece of a search snippet or a shortened text
                    continue
                if DANISH.search(part):
                    found.append(text)
                    break
            else:
                continue
            break
    return found


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def minutes(personas):
    review = import_minutes(data=(SAMPLES / "000_3bcc5eede57647e4.txt").read_bytes(), filename="referat.txt").meeting
    meeting = import_minutes(data=(SAMPLES / "001_609fa1df8d648a56.txt").read_bytes(), filename="referat2.txt",
                             body=personas.body).meeting
    items = list(ActionItem.objects.filter(source_item__meeting=meeting).order_by("pk"))
    today = dt.date.today()
    services.action_item_update(item=items[0], by=personas.alice, responsible_role=personas.role,
                                due_date=today - dt.timedelta(days=3), reason="Ny plan.")
    services.action_item_update(item=items[1], by=personas.alice, responsible_role=personas.role,
                                window_start=dt.date(today.year + 1, 5, 1), due_date=dt.date(today.year + 1, 5, 31),
                                precision=ActionItem.Precision.MONTH)
    for item in items:
        services.action_item_confirm(item=item, by=personas.alice)
    services.action_item_complete(item=items[2], by=personas.bob, comment="Klaret.")
    return {"review": review, "meeting": meeting, "item": items[0], "month_item": items[1]}


def english(client) -> None:
    client.cookies[django_settings.LANGUAGE_COOKIE_NAME] = "en"


def pages_for(personas, minutes) -> dict[str, list[str]]:
    item, meeting, review = minutes["item"], minutes["meeting"], minutes["review"]
    return {
        "bob": [
            "/mine-opgaver/", "/opfoelgninger/?status=open&overdue=on", f"/opfoelgninger/{item.pk}/",
            f"/moeder/{meeting.pk}/", "/moeder/", "/kalender/", "/moeder/soeg/?q=arbejdsgrupper",
            f"/fora/{personas.body.slug}/", "/konto/password_change/", "/tilgaengelighed/",
        ],
        "alice": [
            f"/moeder/{review.pk}/gennemgang/", "/moeder/importer/", "/roller/", f"/roller/{personas.role.pk}/",
            "/roller/ny/", "/paamindelser/", "/opfoelgninger/?status=proposed", f"/fora/{personas.body.slug}/opfoelgningsliste/",
            "/opfoelgninger/importer/",
        ],
        "carol": ["/mine-opgaver/", "/moeder/soeg/?q=zzzqqq"],
    }


def test_it_shows_every_main_page_in_english_without_danish_ui_text(client, personas, minutes):
    data = data_strings()
    problems = {}
    english(client)
    response = client.get("/konto/login/")
    assert response.status_code == 200
    if found := untranslated(response.content.decode(), data):
        problems["/konto/login/"] = found
    for username, paths in pages_for(personas, minutes).items():
        client.login(username=username, password=PASSWORD)
        english(client)
        for path in paths:
            response = client.get(path)
            assert response.status_code == 200, (username, path, response.status_code)
            assert '<html lang="en">' in response.content.decode()
            if found := untranslated(response.content.decode(), data):
                problems[f"{username} {path}"] = found
        client.logout()
    assert not problems, "Danish text on English pages:\n" + "\n".join(
        f"{where}: {texts}" for where, texts in problems.items()
    )


def test_it_detects_danish_ui_text_on_a_page(client, personas, minutes):
    """The check above can fail: on the Danish pages it finds the Danish UI, and only that."""
    data = data_strings()
    html = f"<main><h1>My tasks</h1><p>{minutes['item'].title}</p><button>Udført</button></main>"
    assert untranslated(html, data) == ["Udført"]
    client.login(username="bob", password=PASSWORD)
    found = untranslated(client.get("/mine-opgaver/").content.decode(), data)
    assert {"Mine opgaver", "Alle opfølgninger", "Udført", "Tilgængelighedserklæring"} <= set(found)
    assert minutes["item"].title not in found


def test_it_remembers_the_chosen_language(client, personas, minutes):
    client.login(username="bob", password=PASSWORD)
    page = client.get("/mine-opgaver/").content.decode()
    assert "<h1>Mine opgaver</h1>" in page
    assert 'name="language" value="en" lang="en">English</button>' in page

    response = client.post("/i18n/setlang/", {"language": "en", "next": "/mine-opgaver/"})
    assert response.status_code == 302 and response["Location"] == "/mine-opgaver/"
    assert response.cookies[django_settings.LANGUAGE_COOKIE_NAME].value == "en"

    page = client.get(f"/opfoelgninger/{minutes['item'].pk}/").content.decode()
    assert '<html lang="en">' in page and "My tasks" in page and "History" in page
    assert 'value="da" lang="da">Dansk</button>' in page

    client.post("/i18n/setlang/", {"language": "da", "next": "/mine-opgaver/"})
    assert "<h1>Mine opgaver</h1>" in client.get("/mine-opgaver/").content.decode()


def test_it_shows_deadlines_and_dates_the_way_each_language_writes_them(client, personas, minutes):
    month_item = minutes["month_item"]
    month_item.refresh_from_db()
    year = month_item.due_date.year
    client.login(username="bob", password=PASSWORD)
    assert f"i løbet af maj {year}" in client.get("/mine-opgaver/").content.decode().lower()
    english(client)
    page = client.get("/mine-opgaver/").content.decode()
    assert f"During May {year}" in page  # capitalised at the start of the line
    assert "3 days overdue" in page
    meeting_page = client.get(f"/moeder/{minutes['meeting'].pk}/").content.decode()
    assert "17 December 2020" in meeting_page and "17. december 2020" not in meeting_page
    assert '<div class="minutes-text" lang="da">' in meeting_page  # read out with Danish pronunciation


@pytest.mark.parametrize(("start", "end", "precision", "danish", "english_text"), [
    (dt.date(2022, 5, 12), dt.date(2022, 5, 12), "day", "12. maj 2022", "12 May 2022"),
    (dt.date(2022, 5, 10), dt.date(2022, 5, 12), "day", "10.–12. maj 2022", "10–12 May 2022"),
    (dt.date(2021, 5, 1), dt.date(2021, 5, 31), "month", "i løbet af maj 2021", "during May 2021"),
    (dt.date(2022, 9, 1), dt.date(2022, 9, 10), "month_part", "primo september 2022", "early September 2022"),
    (dt.date(2022, 9, 21), dt.date(2022, 9, 30), "month_part", "ultimo september 2022", "late September 2022"),
    (dt.date(2021, 4, 1), dt.date(2021, 6, 30), "quarter", "2. kvartal 2021", "Q2 2021"),
    (dt.date(2024, 3, 1), dt.date(2024, 5, 31), "season", "foråret 2024", "spring 2024"),
    (dt.date(2024, 1, 1), dt.date(2024, 6, 30), "year", "1. halvår 2024", "first half of 2024"),
    (dt.date(2021, 3, 8), dt.date(2021, 3, 14), "week", "uge 10, 2021", "week 10, 2021"),
    (None, None, "none", "uden dato", "no date"),
])
def test_it_describes_a_deadline_in_the_language_of_the_page(start, end, precision, danish, english_text):
    with translation.override("da"):
        assert describe_deadline(start, end, precision) == danish
    with translation.override("en"):
        assert describe_deadline(start, end, precision) == english_text
        assert describe_window_en(start, end, precision) == english_text
        assert format_date(dt.date(2022, 5, 12)) == "12 May 2022"


# -- the catalogue ------------------------------------------------------------------------------

def read_po(path: Path) -> list[dict]:
    """The entries of a .po file: msgid, msgid_plural, msgstr / msgstr[n], flags."""
    entries = []
    for block in path.read_text(encoding="utf-8").split("\n\n"):
        entry: dict = {"flags": ""}
        field = None
        for line in block.splitlines():
            if line.startswith("#,"):
                entry["flags"] += line
            elif match := re.match(r"^(msgctxt|msgid_plural|msgid|msgstr(?:\[\d\])?) (\".*\")$", line):
                field = match.group(1)
                entry[field] = ast.literal_eval(match.group(2))
            elif line.startswith('"') and field:
                entry[field] += ast.literal_eval(line)
            elif line.startswith("#~"):
                field = None
                entry["obsolete"] = True
        if entry.get("msgid") and not entry.get("obsolete"):
            entries.append(entry)
    return entries


def empty_translations(entries: list[dict]) -> list[str]:
    empty = []
    for entry in entries:
        strings = [v for k, v in entry.items() if k.startswith("msgstr")]
        if not strings or any(not s for s in strings) or "fuzzy" in entry["flags"]:
            empty.append(entry["msgid"])
    return empty


def test_it_has_an_english_translation_for_every_ui_string(settings, tmp_path, monkeypatch):
    """makemessages over the code as it is now leaves no empty (or fuzzy) msgstr in locale/en."""
    work = tmp_path / "src"
    for name in ("api", "config", "minutes", "tracker", "templates"):
        shutil.copytree(ROOT / name, work / name, ignore=shutil.ignore_patterns("__pycache__", "samples", "golden"))
    shutil.copy(ROOT / "manage.py", work / "manage.py")
    shutil.copytree(ROOT / "locale", work / "locale")
    settings.LOCALE_PATHS = [work / "locale"]
    monkeypatch.chdir(work)
    call_command("makemessages", locale=["en"], verbosity=0)

    entries = read_po(work / "locale" / "en" / "LC_MESSAGES" / "django.po")
    assert len(entries) > 500
    missing = empty_translations(entries)
    assert not missing, f"{len(missing)} strings without English (add them to locale/en): {missing[:20]}"


def test_it_ships_the_compiled_catalogue_of_the_po_file():
    """The .mo Django reads matches the .po, so nothing needs compiling when the app starts."""
    with MO.open("rb") as fp:
        catalogue = gettext.GNUTranslations(fp)
    stale = []
    for entry in read_po(PO):
        if "msgid_plural" in entry:
            if catalogue.ngettext(entry["msgid"], entry["msgid_plural"], 1) != entry["msgstr[0]"]:
                stale.append(entry["msgid"])
        elif catalogue.gettext(entry["msgid"]) != entry["msgstr"]:
            stale.append(entry["msgid"])
    assert not stale, f"locale/en/LC_MESSAGES/django.mo is older than the .po: compile it ({stale[:5]})"


# -- the person's language: remembered across devices, used for e-mails and calendars --------------

def test_it_keeps_the_chosen_language_on_the_person_and_brings_it_back_at_the_next_login(client, personas):
    client.login(username="bob", password=PASSWORD)
    client.post("/sprog/", {"language": "en", "next": "/mine-opgaver/"})
    assert Person.objects.get(user=personas.bob).language == "en"

    other_device = Client()
    response = other_device.post("/konto/login/", {"username": "bob", "password": PASSWORD})
    assert response.status_code == 302
    assert response.cookies[django_settings.LANGUAGE_COOKIE_NAME].value == "en"
    assert "<h1>My tasks</h1>" in other_device.get("/mine-opgaver/").content.decode()


def test_it_takes_a_choice_made_before_logging_in_as_the_persons_language(client, personas):
    client.post("/sprog/", {"language": "en", "next": "/konto/login/"})
    assert "Log in" in client.get("/konto/login/").content.decode()
    client.post("/konto/login/", {"username": "carol", "password": PASSWORD})
    assert Person.objects.get(user=personas.carol).language == "en"


def test_it_ignores_an_unknown_language(client, personas):
    client.login(username="bob", password=PASSWORD)
    client.post("/sprog/", {"language": "xx", "next": "/"})
    assert Person.objects.get(user=personas.bob).language == "da"
    assert "<h1>Mine opgaver</h1>" in client.get("/mine-opgaver/").content.decode()


def test_it_writes_reminders_in_the_recipients_language(personas, minutes):
    from django.core import mail

    from tracker.sending import reminders_send_due

    Person.objects.filter(user=personas.bob).update(language="en")
    item = minutes["item"]  # overdue by three days, for the role bob holds
    now = timezone.now()
    services.action_item_update(item=item, by=personas.alice, due_date=timezone.localdate(now), reason="I dag.")
    mail.outbox.clear()
    noon = dt.datetime.combine(timezone.localdate(now), dt.time(12), tzinfo=timezone.get_current_timezone())
    reminders_send_due(now=noon)
    to_bob = [m for m in mail.outbox if "bob@example.org" in m.to[0]]
    assert to_bob, [(r.kind, r.send_on, r.status, r.recipient.name, r.last_error) for r in Reminder.objects.all()]
    message = to_bob[0]
    assert message.subject.startswith(("Deadline", "Missed deadline", "Reminder")), message.subject
    assert "Dear Bob Økonomichef" in message.body and "Open the follow-up" in message.body
    assert "Kære" not in message.body and "Frist" not in message.subject


def test_it_writes_a_calendar_in_its_owners_language(client, personas, minutes):
    from tracker import feeds

    _feed, token = feeds.calendar_feed_create(owner=personas.bob, scope=CalendarFeed.Scope.MINE)
    response = client.get(f"/kalender/{token}.ics")
    assert "Ansvarlig: Chef for Økonomi" in response.content.decode()
    Person.objects.filter(user=personas.bob).update(language="en")
    # A calendar that asks "changed since?" gets the English text, not "304 Not Modified".
    response = Client().get(f"/kalender/{token}.ics", headers={"If-None-Match": response["ETag"]})
    assert response.status_code == 200
    english_feed = response.content.decode()
    assert "Responsible: Chef for Økonomi" in english_feed and "Ansvarlig:" not in english_feed
