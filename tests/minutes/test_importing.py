"""The import service: every sample in, the same file twice, a corrected file, bad files, failures midway."""
from __future__ import annotations

import datetime as dt
import io
from pathlib import Path
from unittest import mock

import pytest
from django.db import DatabaseError

from minutes.importing import ImportFailed, Status, import_file, import_minutes
from minutes.models import AgendaItem, Attachment, Body, Meeting
from minutes.parsing import parse_bytes
from tests.factories import BodyFactory, MembershipFactory, PersonFactory, RoleFactory
from tracker import services
from tracker.models import ActionItem, ActionItemEvent, Person

SAMPLES = Path(__file__).resolve().parents[2] / "minutes" / "samples"
SAMPLE_FILES = sorted(SAMPLES.glob("*.txt"))
CHEFFORUM_2022 = SAMPLES / "000_3bcc5eede57647e4.txt"
CHEFFORUM_2020 = SAMPLES / "001_609fa1df8d648a56.txt"
DIREKTIONEN_2023 = SAMPLES / "003_48ee9f0e250c7b9d.txt"

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def media(settings, tmp_path) -> Path:
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


@pytest.fixture
def forums(db):
    chefforum = BodyFactory(name="Chefforum", slug="chefforum", abbreviation="CF")
    direktionen = BodyFactory(name="Direktionen", slug="direktionen", aliases=["direktionsmøde"])
    roles = {
        "kd": RoleFactory(name="Kommunaldirektør", aliases=["Kommunaldirektøren"], body=chefforum),
        "afd": RoleFactory(name="Afdelingschef", body=chefforum, is_chef=True, is_shared=True),
        "sek": RoleFactory(name="Sekretær for Chefforum", aliases=["sekretæren for Chefforum"], body=chefforum),
        "oes": RoleFactory(name="Chef for Økonomi & Stab", aliases=["ØDC"], body=chefforum, is_chef=True),
    }
    henrik = PersonFactory(name="Henrik Hansen")
    mette = PersonFactory(name="Mette Duekilde")
    for person in (henrik, mette):
        MembershipFactory(person=person, body=chefforum)
    return {"chefforum": chefforum, "direktionen": direktionen, "roles": roles, "henrik": henrik, "mette": mette}


def db_state() -> dict[str, object]:
    """Everything an import may write, to compare before and after."""
    return {
        "meetings": list(Meeting.objects.values_list("pk", "source_sha256", "text", "updated_at")),
        "agenda": list(AgendaItem.objects.order_by("pk").values_list("pk", "title", "text_start", "text_end")),
        "attachments": Attachment.objects.count(),
        "items": list(ActionItem.objects.order_by("pk").values_list(
            "pk", "status", "title", "quote_start", "quote_end", "source_missing", "version"
        )),
        "events": ActionItemEvent.objects.count(),
    }


def stored_files(media: Path) -> list[Path]:
    return [p for p in media.rglob("*") if p.is_file()] if media.exists() else []


# -- every sample ---------------------------------------------------------------------------------


@pytest.mark.parametrize("path", SAMPLE_FILES, ids=lambda p: p.name)
def test_it_imports_each_sample_file(forums, media, path):
    data = path.read_bytes()
    parsed = parse_bytes(data, path.name)

    result = import_minutes(data=data, filename=path.name)

    meeting = result.meeting
    assert result.status == Status.CREATED
    assert result.message.startswith("Importeret:")
    assert meeting.body.name == parsed.meeting.body
    assert meeting.date == parsed.meeting.date
    assert meeting.text == data.decode("utf-8")
    assert meeting.source_name == path.name
    assert meeting.source_file.read() == data
    assert [a.number for a in meeting.agenda_items.all()] == [i.number for i in parsed.items]
    items = list(ActionItem.objects.filter(source_item__meeting=meeting))
    # Besides the parser's follow-ups, each postponed or withdrawn item is proposed for the next meeting.
    deferred = [i for i in parsed.items if i.outcome in ("postponed", "withdrawn")]
    next_meeting = [i for i in items if i.title.startswith("Behandles på næste møde: ")]
    assert len(next_meeting) == len(deferred)
    assert len(items) == len(parsed.followups) + len(deferred) == result.proposed > 0
    for item in items:
        assert item.status == ActionItem.Status.PROPOSED
        assert meeting.text[item.quote_start:item.quote_end] == item.quote
        assert item.source_item.text_start <= item.quote_start < item.source_item.text_end
        assert item.events.get().kind == ActionItemEvent.Kind.PROPOSED


def test_it_keeps_what_the_parser_found_on_each_proposal(forums):
    result = import_minutes(data=CHEFFORUM_2022.read_bytes(), filename="referat.txt")

    item = ActionItem.objects.get(quote__startswith="Fredag den 29. maj")
    assert item.source_item.number == 4
    assert item.section == "Beslutning"
    assert item.due_date == dt.date(2022, 5, 29)
    assert item.precision == ActionItem.Precision.DAY
    assert item.warnings == ["weekday_mismatch"]
    assert item.title == "Fredag den 29. maj får Henrik liste over medarbejdere til arbejdsgrupperne via MED-systemet."
    month_part = ActionItem.objects.get(quote__startswith="Arbejdsgrupperne skal levere")
    assert (month_part.window_start, month_part.due_date) == (dt.date(2022, 9, 1), dt.date(2022, 9, 10))
    assert month_part.precision == ActionItem.Precision.MONTH_PART
    closed = AgendaItem.objects.get(meeting=result.meeting, number=2)
    assert closed.closed and closed.outcome == AgendaItem.Outcome.CLOSED
    assert list(AgendaItem.objects.get(meeting=result.meeting, number=4).attachments.values_list("title", flat=True))[0] == (
        "Arbejdsgrupper - efter Lederdøgn"
    )


def test_it_resolves_who_is_responsible_where_it_is_certain(forums):
    import_minutes(data=CHEFFORUM_2022.read_bytes(), filename="a.txt")
    import_minutes(data=CHEFFORUM_2020.read_bytes(), filename="b.txt")

    henrik = ActionItem.objects.get(responsible_text="Henrik")
    assert henrik.responsible_person == forums["henrik"] and henrik.responsible_role is None
    secretary = ActionItem.objects.get(responsible_text="sekretæren for Chefforum")
    assert secretary.responsible_role == forums["roles"]["sek"]
    chefs = ActionItem.objects.get(responsible_text="Afdelingscheferne")
    assert chefs.responsible_role == forums["roles"]["afd"]
    group = ActionItem.objects.get(responsible_text="projektgruppen")
    assert group.responsible_role is None and group.responsible_person is None


def test_it_finds_the_forum_by_alias(db):
    body = BodyFactory(name="Direktion (HTK)", slug="htk", aliases=["Direktionen"])

    result = import_minutes(data=DIREKTIONEN_2023.read_bytes(), filename="d.txt")

    assert result.meeting.body == body


def test_it_refuses_an_unknown_forum_unless_one_is_given(forums, media):
    data = CHEFFORUM_2022.read_bytes().replace(b"REFERAT Chefforum", b"REFERAT Ukendt Udvalg")

    with pytest.raises(ImportFailed) as failure:
        import_minutes(data=data, filename="ukendt.txt")

    assert failure.value.code == ImportFailed.UNKNOWN_BODY
    assert "Ukendt Udvalg" in failure.value.message
    assert Meeting.objects.count() == 0 and not stored_files(media)
    result = import_minutes(data=data, filename="ukendt.txt", body=forums["chefforum"])
    assert result.meeting.body == forums["chefforum"]


# -- the same file again ---------------------------------------------------------------------------


def test_it_changes_nothing_when_the_same_file_comes_again(forums, media):
    data = CHEFFORUM_2022.read_bytes()
    first = import_minutes(data=data, filename="referat.txt")
    services.action_item_confirm(item=ActionItem.objects.filter(source_item__meeting=first.meeting).first(), by=None)
    before, files = db_state(), stored_files(media)

    again = import_minutes(data=data, filename="kopi af referat.txt")

    assert again.status == Status.UNCHANGED
    assert "allerede importeret" in again.message.lower()
    assert again.meeting == first.meeting
    assert db_state() == before
    assert stored_files(media) == files


# -- a corrected file -------------------------------------------------------------------------------


def corrected(data: bytes) -> bytes:
    """The minutes as a secretary would correct them: a note added early (every offset moves), one
    sentence removed, one follow-up added, one line break reflowed."""
    text = data.decode("utf-8")
    text = text.replace("Mødested Mødelokale 1", "Mødested Mødelokale 1\n\nRettet udgave: deltagerlisten er opdateret.")
    text = text.replace("Rapporten vil blive forlagt til orientering for ØU i maj.", "Rapporten blev drøftet.")
    text = text.replace(
        "Kommissorierne skal være færdige til 12. maj.",
        "Kommissorierne skal være færdige til 12. maj.\n\nMette Duekilde sender oplægget til cheferne senest den 5. maj 2022.",
    )
    text = text.replace("får Henrik liste over medarbejdere", "får Henrik liste\nover medarbejdere")
    return text.encode("utf-8")


def test_it_updates_a_corrected_file_in_place_and_keeps_the_secretarys_work(
    forums, media, django_capture_on_commit_callbacks
):
    first = import_minutes(data=CHEFFORUM_2022.read_bytes(), filename="referat.txt")
    meeting = first.meeting
    confirmed = ActionItem.objects.get(quote="Kommissorierne skal være færdige til 12. maj.")
    services.action_item_confirm(item=confirmed, by=None)
    edited = ActionItem.objects.get(quote__startswith="Arbejdsgrupperne skal levere")
    services.action_item_update(item=edited, by=None, title="Arbejdsgruppernes produkt", responsible_role=forums["roles"]["kd"])
    rejected = ActionItem.objects.get(quote__startswith="Der kommer revurderinger")
    services.action_item_reject(item=rejected, by=None)
    vanished = ActionItem.objects.get(quote__startswith="Rapporten vil blive forlagt")
    reflowed = ActionItem.objects.get(quote__startswith="Fredag den 29. maj")
    old_file = meeting.source_file.name
    count_before = ActionItem.objects.count()

    with django_capture_on_commit_callbacks(execute=True):
        result = import_minutes(data=corrected(CHEFFORUM_2022.read_bytes()), filename="referat rettet.txt")

    assert result.status == Status.UPDATED
    assert result.meeting.pk == meeting.pk and Meeting.objects.count() == 1
    assert (result.proposed, result.flagged) == (1, 1)
    assert "1 nyt forslag" in result.message and "1 sætning er forsvundet" in result.message
    meeting.refresh_from_db()
    assert "Rettet udgave" in meeting.text
    assert meeting.source_name == "referat rettet.txt"
    assert [p.name for p in stored_files(media)] == [Path(meeting.source_file.name).name]
    assert meeting.source_file.name != old_file

    confirmed.refresh_from_db()
    assert confirmed.status == ActionItem.Status.OPEN
    assert meeting.text[confirmed.quote_start:confirmed.quote_end] == confirmed.quote
    edited.refresh_from_db()
    assert (edited.title, edited.responsible_role, edited.edited) == (
        "Arbejdsgruppernes produkt", forums["roles"]["kd"], True
    )
    assert meeting.text[edited.quote_start:edited.quote_end] == edited.quote
    rejected.refresh_from_db()
    assert rejected.status == ActionItem.Status.REJECTED
    reflowed.refresh_from_db()
    assert reflowed.quote == meeting.text[reflowed.quote_start:reflowed.quote_end]
    assert "liste\nover" in reflowed.quote and not reflowed.source_missing

    vanished.refresh_from_db()
    assert vanished.source_missing and vanished.status == ActionItem.Status.PROPOSED
    assert vanished.events.filter(kind=ActionItemEvent.Kind.SOURCE_MISSING).exists()

    new = ActionItem.objects.get(quote__startswith="Mette Duekilde sender oplægget")
    assert new.status == ActionItem.Status.PROPOSED
    assert new.responsible_person == forums["mette"]
    assert new.due_date == dt.date(2022, 5, 5)
    assert ActionItem.objects.count() == count_before + 1
    quotes = [" ".join(q.split()) for q in ActionItem.objects.values_list("quote", flat=True)]
    assert len(quotes) == len(set(quotes)), "a sentence became two follow-ups"


def test_it_changes_nothing_more_when_the_corrected_file_comes_again(forums):
    import_minutes(data=CHEFFORUM_2022.read_bytes(), filename="referat.txt")
    import_minutes(data=corrected(CHEFFORUM_2022.read_bytes()), filename="rettet.txt")
    before = db_state()

    result = import_minutes(data=corrected(CHEFFORUM_2022.read_bytes()) + b"\n", filename="rettet igen.txt")

    assert result.status == Status.UPDATED
    assert (result.proposed, result.flagged) == (0, 0)
    after = db_state()
    assert after["items"] == before["items"]
    assert after["events"] == before["events"]


def test_it_clears_the_flag_when_the_sentence_comes_back(forums):
    import_minutes(data=CHEFFORUM_2022.read_bytes(), filename="referat.txt")
    import_minutes(data=corrected(CHEFFORUM_2022.read_bytes()), filename="rettet.txt")
    vanished = ActionItem.objects.get(quote__startswith="Rapporten vil blive forlagt")
    assert vanished.source_missing

    import_minutes(data=CHEFFORUM_2022.read_bytes() + b"\n", filename="original igen.txt")

    vanished.refresh_from_db()
    assert not vanished.source_missing
    assert ActionItem.objects.filter(quote__startswith="Rapporten vil blive forlagt").count() == 1


def test_it_keeps_a_follow_up_added_by_hand_when_its_sentence_moves(forums):
    result = import_minutes(data=CHEFFORUM_2022.read_bytes(), filename="referat.txt")
    text = result.meeting.text
    quote = "Tilbagemeldinger fra organisationen er gode."
    start = text.index(quote)
    agenda_item = result.meeting.agenda_items.get(number=4)
    by_hand = services.action_item_create(
        by=None, body=forums["chefforum"], title="Tak for tilbagemeldingerne", source_item=agenda_item,
        quote=quote, quote_start=start, quote_end=start + len(quote),
    )

    updated = import_minutes(data=corrected(CHEFFORUM_2022.read_bytes()), filename="rettet.txt")

    by_hand.refresh_from_db()
    assert by_hand.status == ActionItem.Status.OPEN and not by_hand.source_missing
    assert by_hand.quote_start > start
    assert updated.meeting.text[by_hand.quote_start:by_hand.quote_end] == quote


# -- bad input ---------------------------------------------------------------------------------------


def _blank_pdf() -> bytes:
    from pypdf import PdfWriter

    writer = PdfWriter()
    writer.add_blank_page(width=595, height=842)
    buffer = io.BytesIO()
    writer.write(buffer)
    return buffer.getvalue()


BAD_FILES = {
    "empty": (b"", "referat.txt", "Filen er tom."),
    "whitespace": (b"  \n\n ", "referat.txt", "Filen er tom."),
    "binary": (bytes(range(256)) * 64, "referat.txt", "ikke et tekstdokument"),
    "50 MB": (b"Referat " * (50 * 1024 * 1024 // 8), "stor.txt", "for stor"),
    "wrong encoding": ("Referat fra mødet om økonomi og ældrepleje. " * 40).encode("cp500"),
    "pdf without text": (_blank_pdf(), "scannet.pdf", "ingen tekst"),
    "not minutes": ("Indkøbsliste\n\nMælk\nRugbrød\nKaffe\n".encode(), "liste.txt", "ligner ikke et referat"),
    "docx that is not": (b"PK\x03\x04 not really a zip", "referat.docx", "beskadiget"),
    "no date": ("REFERAT Chefforum\n\nMødested Mødelokale 1\n\nPunkt 1: Godkendelse\n\nBeslutning\n\nGodkendt.\n".encode(),
                "udateret.txt", "ingen mødedato"),
}
BAD_FILES["wrong encoding"] = (BAD_FILES["wrong encoding"], "ebcdic.txt", "tegnsættet")


@pytest.mark.parametrize("case", BAD_FILES, ids=str)
def test_it_refuses_a_bad_file_and_writes_nothing(forums, media, case):
    data, filename, message = BAD_FILES[case]

    with pytest.raises(ImportFailed) as failure:
        import_minutes(data=data, filename=filename)

    assert message in failure.value.message
    assert Meeting.objects.count() == AgendaItem.objects.count() == ActionItem.objects.count() == 0
    assert not stored_files(media)


def test_it_reads_minutes_saved_in_windows_1252(forums):
    data = CHEFFORUM_2022.read_text(encoding="utf-8").encode("cp1252")

    result = import_minutes(data=data, filename="referat-ansi.txt")

    assert result.status == Status.CREATED
    assert "Mødested Mødelokale 1" in result.meeting.text
    assert ActionItem.objects.filter(quote="Kommissorierne skal være færdige til 12. maj.").exists()


def test_it_reports_a_bad_file_as_a_failed_result_in_a_batch(forums):
    result = import_file(data=b"", filename="tom.txt")

    assert result.status == Status.FAILED and not result.ok
    assert result.message == "Filen er tom."
    assert result.error_code == "empty_file"


# -- failures midway ---------------------------------------------------------------------------------


def test_it_leaves_nothing_behind_when_the_database_fails_midway(forums, media):
    real_propose = services.action_items_propose
    written = []

    def fail_after_writing(proposals, *, by):
        written.extend(real_propose(proposals, by=by))
        raise DatabaseError("connection lost")

    with mock.patch("minutes.importing.action_items_propose", side_effect=fail_after_writing):
        result = import_file(data=CHEFFORUM_2022.read_bytes(), filename="referat.txt")

    assert len(written) > 3  # the follow-ups were written before the failure
    assert result.status == Status.FAILED
    assert "intet er ændret" in result.message
    assert Meeting.objects.count() == AgendaItem.objects.count() == Attachment.objects.count() == 0
    assert ActionItem.objects.count() == ActionItemEvent.objects.count() == 0
    assert not stored_files(media)


def test_it_keeps_the_previous_version_when_an_update_fails_midway(forums, media):
    import_minutes(data=CHEFFORUM_2022.read_bytes(), filename="referat.txt")
    before, files = db_state(), stored_files(media)

    with mock.patch("minutes.importing.action_item_flag_source_missing", side_effect=DatabaseError("deadlock")):
        with pytest.raises(DatabaseError):
            import_minutes(data=corrected(CHEFFORUM_2022.read_bytes()), filename="rettet.txt")

    assert db_state() == before
    assert stored_files(media) == files
    assert Meeting.objects.get().source_file.read() == CHEFFORUM_2022.read_bytes()


# -- who may import ------------------------------------------------------------------------------------


def test_it_refuses_a_user_who_is_not_the_forums_secretary(personas, media):
    with pytest.raises(ImportFailed) as failure:
        import_minutes(data=CHEFFORUM_2022.read_bytes(), filename="referat.txt", by=personas.bob)

    assert failure.value.code == ImportFailed.FORBIDDEN
    assert "ikke sekretær for Chefforum" in failure.value.message
    assert Meeting.objects.count() == 0 and not stored_files(media)


def test_it_refuses_a_secretary_importing_another_forums_minutes(personas):
    BodyFactory(name="Direktionen", slug="direktionen")

    with pytest.raises(ImportFailed) as failure:
        import_minutes(data=DIREKTIONEN_2023.read_bytes(), filename="d.txt", by=personas.alice)

    assert failure.value.code == ImportFailed.FORBIDDEN
    assert Meeting.objects.count() == 0


def test_it_records_the_secretary_as_the_one_who_proposed(personas):
    import_minutes(data=CHEFFORUM_2022.read_bytes(), filename="referat.txt", by=personas.alice)

    assert set(ActionItemEvent.objects.values_list("actor__username", flat=True)) == {"alice"}
    assert Body.objects.count() == 1 and Person.objects.filter(user__username="alice").exists()
