"""The contract command: one JSON list, one object per file, nothing written."""
from __future__ import annotations

import json
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

SAMPLES = Path(__file__).resolve().parents[3] / "minutes" / "samples"


def run(*args: str) -> str:
    out = StringIO()
    call_command("parse_minutes", *args, stdout=out)
    return out.getvalue()


def test_it_prints_one_object_per_file_in_argument_order() -> None:
    files = [str(SAMPLES / "004_63571ac9c611d880.txt"), str(SAMPLES / "000_3bcc5eede57647e4.txt")]

    result = json.loads(run(*files, "--format", "json"))

    assert [entry["source"] for entry in result] == files
    first = result[0]
    assert set(first) == {"source", "meeting", "items", "followups"}
    assert first["meeting"]["date"] == "2021-03-08"
    assert first["meeting"]["start_time"] == "09:00"
    followup = first["followups"][0]
    assert set(followup) == {"item", "section", "quote", "start", "end", "due", "window", "precision", "responsible", "warnings"}


def test_it_reports_a_bad_file_in_its_place_and_goes_on(tmp_path: Path) -> None:
    empty = tmp_path / "tom.txt"
    empty.write_bytes(b"")
    good = str(SAMPLES / "002_998b5b6df1a03a16.txt")

    result = json.loads(run(str(empty), good, str(tmp_path / "findes-ikke.txt"), "--format", "json"))

    assert result[0] == {"source": str(empty), "error": {"code": "empty_file", "message": "Filen er tom."}}
    assert result[1]["meeting"]["body"] == "Chefforum"
    assert result[2]["error"]["code"] == "file_not_found"


def test_it_fails_when_no_file_could_be_read(tmp_path: Path) -> None:
    empty = tmp_path / "tom.txt"
    empty.write_bytes(b"")

    with pytest.raises(CommandError):
        run(str(empty), "--format", "json")


def test_it_prints_a_danish_summary_without_json() -> None:
    output = run(str(SAMPLES / "000_3bcc5eede57647e4.txt"))

    assert "Chefforum, 28. april 2022 kl. 08:30, Mødelokale 1" in output
    assert "4. CF - Opfølgning på Lederdøgn [00.00.00-A00-5-21] – drøftet" in output
    assert "forslag til opfølgning" in output


def test_the_summary_counts_in_danish_and_shows_a_deadline_without_a_date_as_written(tmp_path: Path) -> None:
    minutes = tmp_path / "referat.txt"
    minutes.write_text(
        "Referat fra Ældrerådet 10. januar 2023\n\nPunkt 1: Budget\n\n"
        "Beslutning\n\nSekretæren sender budgettet ud inden næste møde.\n",
        encoding="utf-8",
    )

    output = run(str(minutes))

    assert "1 punkt:" in output and "1 forslag til opfølgning:" in output
    assert "punkt 1 (Beslutning): inden næste møde; Sekretæren" in output
