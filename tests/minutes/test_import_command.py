"""``manage.py import_minutes FILE... [--body NAME]``: one line per file, non-zero exit when any failed."""
from __future__ import annotations

from io import StringIO
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from minutes.models import Meeting
from tests.factories import BodyFactory
from tracker.models import ActionItem

SAMPLES = sorted((Path(__file__).resolve().parents[2] / "minutes" / "samples").glob("*.txt"))

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def forums(db):
    return BodyFactory(name="Chefforum", slug="chefforum", abbreviation="CF"), BodyFactory(name="Direktionen", slug="direktionen")


def run(*args: str) -> tuple[str, str]:
    out, err = StringIO(), StringIO()
    call_command("import_minutes", *args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def test_it_imports_every_sample_with_a_line_per_file(forums):
    out, _err = run(*map(str, SAMPLES))

    lines = out.splitlines()
    assert len([line for line in lines if line.startswith("+ ")]) == 5
    assert "Importeret: Chefforum 28. april 2022" in out
    assert "Importeret: Direktionen 27. november 2023" in out
    assert lines[-1].startswith("5 filer på ")
    assert "5 nye, 0 opdateret, 0 uændret, 0 fejlet" in lines[-1]
    assert Meeting.objects.count() == 5
    assert ActionItem.objects.count() > 40


def test_it_says_already_imported_the_second_time(forums):
    run(str(SAMPLES[0]))

    out, _err = run(str(SAMPLES[0]))

    assert out.startswith("= ")
    assert "Allerede importeret" in out
    assert Meeting.objects.count() == 1


def test_it_exits_non_zero_when_a_file_fails_but_imports_the_others(forums, tmp_path):
    empty = tmp_path / "tom.txt"
    empty.write_bytes(b"")

    with pytest.raises(CommandError, match="2 af 3 filer kunne ikke importeres"):
        run(str(SAMPLES[0]), str(empty), str(tmp_path / "findes-ikke.txt"))

    assert Meeting.objects.count() == 1


def test_it_names_the_reason_for_each_failed_file(forums, tmp_path):
    empty = tmp_path / "tom.txt"
    empty.write_bytes(b"")
    out = StringIO()

    with pytest.raises(CommandError):
        call_command("import_minutes", str(empty), str(tmp_path / "findes-ikke.txt"), stdout=out, stderr=StringIO())

    assert f"✗ {empty}: Filen er tom." in out.getvalue()
    assert "findes-ikke.txt: Filen findes ikke." in out.getvalue()


def test_it_uses_the_forum_given_on_the_command_line(forums, tmp_path):
    chefforum, _direktionen = forums
    renamed = tmp_path / "referat.txt"
    renamed.write_bytes(SAMPLES[0].read_bytes().replace(b"REFERAT Chefforum", "REFERAT Ledermøde".encode()))

    with pytest.raises(CommandError):
        run(str(renamed))
    run(str(renamed), "--body", "CF")

    assert Meeting.objects.get().body == chefforum


def test_it_refuses_an_unknown_forum_option(forums):
    with pytest.raises(CommandError, match="Forummet “Byrådet” findes ikke."):
        run(str(SAMPLES[0]), "--body", "Byrådet")

    assert Meeting.objects.count() == 0


def test_it_draws_a_progress_bar_on_a_terminal(forums, monkeypatch):
    class Terminal(StringIO):
        def isatty(self) -> bool:
            return True

    err = Terminal()
    call_command("import_minutes", *map(str, SAMPLES[:2]), stdout=StringIO(), stderr=err)

    assert "[" in err.getvalue() and "2/2" in err.getvalue()


def test_the_demo_data_imports_the_samples_once_and_has_open_items(db, settings, tmp_path):
    import datetime as dt

    import time_machine

    with time_machine.travel(dt.datetime(2024, 6, 3, 9, 0, tzinfo=dt.timezone.utc)):
        call_command("load_demo", stdout=StringIO())
        items = list(ActionItem.objects.values_list("status", "due_date"))
        call_command("load_demo", stdout=StringIO())

    assert Meeting.objects.count() == 5
    assert list(ActionItem.objects.values_list("status", "due_date")) == items
    today = dt.date(2024, 6, 3)
    open_dates = [due for status, due in items if status == "open"]
    assert any(due and due < today for due in open_dates), "no overdue item in the demo"
    assert any(due and due >= today for due in open_dates), "no upcoming item in the demo"
    assert any(status == "proposed" for status, _due in items), "nothing left to review in the demo"
