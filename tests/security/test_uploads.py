"""Uploaded files are limited in size and type, refused with a Danish reason, and leave nothing behind.

Minutes: .txt, .md, .docx and .pdf up to MINUTES_MAX_UPLOAD_BYTES. Follow-up
sheets: .xlsx and .csv up to 2 MB. The file's own name never becomes a path.
"""
from __future__ import annotations

from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from minutes.models import Meeting
from tracker import exports
from tracker.models import ActionItem
from tracker.views.exports import SESSION_KEY

pytestmark = pytest.mark.django_db

SAMPLE = Path(__file__).resolve().parents[2] / "minutes" / "samples" / "000_3bcc5eede57647e4.txt"


@pytest.fixture
def media(settings, tmp_path) -> Path:
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


def stored_files(media: Path) -> list[Path]:
    return [p for p in media.rglob("*") if p.is_file()] if media.exists() else []


def upload(client, *files: SimpleUploadedFile, json: bool = False):
    headers = {"Accept": "application/json"} if json else {}
    return client.post(reverse("minutes:import"), {"files": list(files)}, headers=headers)


@pytest.mark.parametrize("name", [
    "referat.exe", "referat.html", "referat.svg", "referat.doc", "referat.txt.exe", "referat", ".htaccess",
    "referat.php",
])
def test_it_refuses_minutes_of_a_type_it_does_not_read_and_stores_nothing(client, personas, media, name):
    client.force_login(personas.alice)

    response = upload(client, SimpleUploadedFile(name, SAMPLE.read_bytes()), json=True)

    (row,) = response.json()["results"]
    assert (row["ok"], row["error"]) == (False, "unsupported_format")
    assert row["message"] == "Filtypen kan ikke importeres. Brug .docx, .pdf, .txt eller .md."
    assert Meeting.objects.count() == 0 and stored_files(media) == []


@pytest.mark.parametrize("name", ["referat.TXT", "Referat.Md"])
def test_it_accepts_the_allowed_types_whatever_the_case_of_the_extension(client, personas, media, name):
    client.force_login(personas.alice)

    (row,) = upload(client, SimpleUploadedFile(name, SAMPLE.read_bytes()), json=True).json()["results"]

    assert row["ok"], row["message"]
    assert len(stored_files(media)) == 1


def test_it_refuses_minutes_over_the_size_limit_and_stores_nothing(client, personas, media, settings):
    settings.MINUTES_MAX_UPLOAD_BYTES = len(SAMPLE.read_bytes()) - 1
    client.force_login(personas.alice)

    (row,) = upload(client, SimpleUploadedFile("referat.txt", SAMPLE.read_bytes()), json=True).json()["results"]

    assert (row["ok"], row["error"]) == (False, "file_too_large")
    assert row["message"].startswith("Filen er for stor")
    assert Meeting.objects.count() == 0 and stored_files(media) == []


def test_it_accepts_minutes_exactly_at_the_size_limit(client, personas, media, settings):
    settings.MINUTES_MAX_UPLOAD_BYTES = len(SAMPLE.read_bytes())
    client.force_login(personas.alice)

    (row,) = upload(client, SimpleUploadedFile("referat.txt", SAMPLE.read_bytes()), json=True).json()["results"]

    assert row["ok"], row["message"]


def test_it_refuses_a_file_whose_name_promises_a_pdf_but_is_not_one(client, personas, media):
    client.force_login(personas.alice)

    (row,) = upload(client, SimpleUploadedFile("referat.pdf", b"<html><script>alert(1)</script></html>"),
                    json=True).json()["results"]

    assert row["ok"] is False and row["message"]
    assert "Traceback" not in row["message"]
    assert Meeting.objects.count() == 0 and stored_files(media) == []


def test_it_never_uses_the_uploaded_name_as_a_path(client, personas, media):
    client.force_login(personas.alice)

    (row,) = upload(client, SimpleUploadedFile("../../../../tmp/ondt.txt", SAMPLE.read_bytes()),
                    json=True).json()["results"]

    assert row["ok"], row["message"]
    (stored,) = stored_files(media)
    assert stored.resolve().is_relative_to(media.resolve())
    assert "ondt" not in stored.name and ".." not in str(stored.relative_to(media))
    assert Meeting.objects.get().source_name == "ondt.txt"


def test_it_offers_only_the_allowed_types_in_the_file_picker(client, personas):
    client.force_login(personas.alice)

    html = client.get(reverse("minutes:import")).content.decode()

    assert 'accept=".txt,.md,.docx,.pdf"' in html


# -- follow-up sheets --------------------------------------------------------------------------------


def sheet_upload(client, name: str, data: bytes):
    return client.post(reverse("tracker:sheet_import"), {
        "step": "upload", "file": SimpleUploadedFile(name, data), "body": "",
    })


@pytest.mark.parametrize(("name", "data", "message"), [
    ("ark.exe", b"MZ\x90\x00" + bytes(range(256)), "Filen er hverken et Excel-ark (.xlsx) eller en CSV-fil."),
    ("ark.xls", b"\xd0\xcf\x11\xe0" + b"\x00" * 512, "Filen er ikke et Excel-ark i .xlsx-format."),
    # Text is read as CSV, and without the columns of a sheet it is refused as one.
    ("ark.html", b"<html><script>alert(1)</script></html>", "Arket har ingen kolonne"),
])
def test_it_refuses_a_follow_up_sheet_of_another_type_and_keeps_nothing(client, personas, name, data, message):
    client.force_login(personas.alice)

    response = sheet_upload(client, name, data)

    assert response.status_code == 200
    assert message in response.content.decode()
    assert SESSION_KEY not in client.session
    assert ActionItem.objects.count() == 0


def test_it_refuses_a_follow_up_sheet_over_the_size_limit_and_keeps_nothing(client, personas, monkeypatch):
    monkeypatch.setattr(exports, "MAX_SHEET_BYTES", 1024)
    client.force_login(personas.alice)

    response = sheet_upload(client, "ark.csv", b"Opf\xc3\xb8lgning;Frist\n" + b"Send budget;12-05-2022\n" * 100)

    assert "Filen er for stor (højst" in response.content.decode()
    assert SESSION_KEY not in client.session
    assert ActionItem.objects.count() == 0
