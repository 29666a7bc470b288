"""The upload page and the secretary's review of a meeting's proposals."""
from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from minutes.importing import import_minutes
from minutes.models import Meeting
from tests.factories import BodyFactory, MembershipFactory, PersonFactory, RoleFactory, UserFactory
from tracker import services
from tracker.models import ActionItem, ActionItemEvent, Person, Reminder

SAMPLES = Path(__file__).resolve().parents[2] / "minutes" / "samples"
CHEFFORUM_2022 = SAMPLES / "000_3bcc5eede57647e4.txt"
CHEFFORUM_2020 = SAMPLES / "001_609fa1df8d648a56.txt"
DIREKTIONEN_2023 = SAMPLES / "003_48ee9f0e250c7b9d.txt"

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def meeting(personas) -> Meeting:
    henrik = PersonFactory(name="Henrik Hansen", email="henrik@example.org")
    MembershipFactory(person=henrik, body=personas.body)
    return import_minutes(data=CHEFFORUM_2022.read_bytes(), filename="referat.txt").meeting


def proposal(quote_start: str) -> ActionItem:
    return ActionItem.objects.get(quote__startswith=quote_start)


def review_url(meeting: Meeting) -> str:
    return reverse("minutes:review", args=[meeting.pk])


# -- upload -------------------------------------------------------------------------------------------


def test_it_imports_several_uploaded_files_and_lists_each_result(client, personas):
    client.force_login(personas.alice)
    files = [
        SimpleUploadedFile("2022.txt", CHEFFORUM_2022.read_bytes()),
        SimpleUploadedFile("2020.txt", CHEFFORUM_2020.read_bytes()),
        SimpleUploadedFile("tom.txt", b""),
        SimpleUploadedFile("billede.png", b"\x89PNG\r\n"),
    ]

    response = client.post(reverse("minutes:import"), {"files": files})

    assert response.status_code == 200
    page = response.content.decode()
    assert page.count("Importeret: Chefforum") == 2
    assert "Filen er tom." in page
    assert "Filtypen kan ikke importeres" in page
    assert "2 filer kunne ikke importeres" in page
    assert Meeting.objects.count() == 2
    for meeting in Meeting.objects.all():
        assert review_url(meeting) in page


def test_it_answers_the_upload_script_with_json(client, personas):
    client.force_login(personas.alice)

    response = client.post(
        reverse("minutes:import"), {"files": SimpleUploadedFile("2022.txt", CHEFFORUM_2022.read_bytes())},
        HTTP_ACCEPT="application/json",
    )

    (row,) = response.json()["results"]
    meeting = Meeting.objects.get()
    assert (row["status"], row["ok"], row["review_url"]) == ("created", True, review_url(meeting))
    again = client.post(
        reverse("minutes:import"), {"files": SimpleUploadedFile("kopi.txt", CHEFFORUM_2022.read_bytes())},
        HTTP_ACCEPT="application/json",
    ).json()["results"][0]
    assert again["status"] == "unchanged" and "allerede importeret" in again["message"].lower()


def test_it_refuses_a_file_over_the_upload_limit_without_reading_it(client, personas, settings):
    settings.MINUTES_MAX_UPLOAD_BYTES = 1024
    client.force_login(personas.alice)

    response = client.post(reverse("minutes:import"), {"files": SimpleUploadedFile("stor.txt", b"x" * 2048)})

    assert "Filen er for stor" in response.content.decode()
    assert Meeting.objects.count() == 0


def test_it_asks_for_a_file_when_none_is_chosen(client, personas):
    client.force_login(personas.alice)

    response = client.post(reverse("minutes:import"), {})

    assert response.status_code == 400
    assert "Vælg mindst én fil." in response.content.decode()


def test_it_imports_into_the_forum_the_secretary_chooses(client, personas):
    client.force_login(personas.alice)
    data = CHEFFORUM_2022.read_bytes().replace(b"REFERAT Chefforum", b"REFERAT CF-m\xc3\xb8de")

    client.post(reverse("minutes:import"), {"files": SimpleUploadedFile("x.txt", data), "body": personas.body.pk})

    assert Meeting.objects.get().body == personas.body


def test_it_refuses_a_secretary_uploading_another_forums_minutes(client, personas):
    BodyFactory(name="Direktionen", slug="direktionen")
    client.force_login(personas.alice)

    response = client.post(reverse("minutes:import"), {"files": SimpleUploadedFile("d.txt", DIREKTIONEN_2023.read_bytes())})

    assert "ikke sekretær for Direktionen" in response.content.decode()
    assert Meeting.objects.count() == 0


# -- permissions ---------------------------------------------------------------------------------------


@pytest.mark.parametrize("user", ["bob", "dave"])
def test_it_refuses_the_upload_and_review_to_everyone_but_secretaries(client, personas, meeting, user):
    client.force_login(getattr(personas, user))
    item = proposal("Kommissorierne skal")

    assert client.get(reverse("minutes:import")).status_code == 403
    assert client.post(reverse("minutes:import"), {"files": SimpleUploadedFile("a.txt", b"x")}).status_code == 403
    assert client.get(review_url(meeting)).status_code == 403
    assert client.post(reverse("minutes:review_accept", args=[meeting.pk, item.pk])).status_code == 403
    assert client.post(reverse("minutes:review_reject", args=[meeting.pk, item.pk])).status_code == 403
    assert client.post(reverse("minutes:review_accept_all", args=[meeting.pk])).status_code == 403
    assert ActionItem.objects.filter(status=ActionItem.Status.PROPOSED).count() == ActionItem.objects.count()


def test_it_refuses_a_secretary_of_another_forum(client, personas, meeting):
    other = BodyFactory(name="Direktionen", slug="direktionen")
    eve = PersonFactory(name="Eve Sekretær", user=UserFactory(username="eve"))
    MembershipFactory(person=eve, body=other, is_secretary=True)
    client.force_login(eve.user)

    assert client.get(review_url(meeting)).status_code == 403


def test_it_sends_anonymous_visitors_to_the_login_page(client, meeting):
    for url in (reverse("minutes:import"), review_url(meeting)):
        response = client.get(url)
        assert response.status_code == 302 and response.url.startswith(reverse("login"))


def test_it_lets_an_administrator_review(client, personas, meeting):
    client.force_login(personas.admin)

    assert client.get(review_url(meeting)).status_code == 200


# -- the review page -----------------------------------------------------------------------------------


def test_it_marks_each_proposal_in_the_text_and_lists_it_with_its_deadline(client, personas, meeting):
    client.force_login(personas.alice)

    page = client.get(review_url(meeting)).content.decode()

    item = proposal("Kommissorierne skal")
    assert f'id="citat-{item.pk}"' in page
    assert f'<mark id="citat-{item.pk}" class="review-mark is-proposed"' in page
    assert f'id="forslag-{item.pk}"' in page
    assert "12. maj 2022" in page
    assert page.count('class="review-mark is-proposed"') == ActionItem.objects.count()


def test_it_shows_the_weekday_warning_next_to_the_proposal(client, personas, meeting):
    client.force_login(personas.alice)

    page = client.get(review_url(meeting)).content.decode()

    assert "Ugedagen passer ikke med datoen: 29. maj 2022 er en søndag." in page


def test_it_shows_unresolved_responsibility_as_not_assigned_with_the_text(client, personas, meeting):
    client.force_login(personas.alice)

    page = client.get(review_url(meeting)).content.decode()

    assert "ikke tildelt" in page
    assert "i referatet: “Arbejdsgrupperne”" in page
    assert "Henrik Hansen" in page


def test_it_offers_the_chef_roles_for_cheferne(client, personas):
    RoleFactory(name="Chef for Børn og Unge", body=personas.body, is_chef=True)
    meeting = import_minutes(data=(SAMPLES / "002_998b5b6df1a03a16.txt").read_bytes(), filename="x.txt").meeting
    client.force_login(personas.alice)

    page = client.get(review_url(meeting)).content.decode()

    assert "Kan være: Chef for Børn og Unge, Chef for Økonomi" in page


def test_it_keeps_the_page_text_identical_to_the_minutes(client, personas, meeting):
    """Selecting text relies on the marked text having exactly the minutes' characters."""
    import html
    import re

    client.force_login(personas.alice)
    page = client.get(review_url(meeting)).content.decode()

    inner = re.search(r'<div class="minutes-text review-source" data-review-text[^>]*>(.*?)</div>', page, re.S).group(1)
    assert html.unescape(re.sub(r"</?mark[^>]*>", "", inner)) == meeting.text


def test_it_confirms_a_proposal_with_history_and_moves_on_to_the_next(client, personas, meeting):
    client.force_login(personas.alice)
    item = proposal("Kommissorierne skal")
    following = proposal("Fredag den 29. maj")

    response = client.post(
        reverse("minutes:review_accept", args=[meeting.pk, item.pk]), {"expected_version": item.version}
    )

    assert response.status_code == 302
    assert response.url == f"{review_url(meeting)}#forslag-{following.pk}"
    item.refresh_from_db()
    assert item.status == ActionItem.Status.OPEN
    assert item.events.filter(kind=ActionItemEvent.Kind.CONFIRMED, actor=personas.alice).exists()


def test_it_reports_a_confirmation_of_a_changed_proposal_instead_of_overwriting(client, personas, meeting):
    client.force_login(personas.alice)
    item = proposal("Kommissorierne skal")
    services.action_item_update(item=item, by=personas.admin, title="Ændret af en anden")

    response = client.post(
        reverse("minutes:review_accept", args=[meeting.pk, item.pk]), {"expected_version": item.version}, follow=True
    )

    assert "ændret af en anden" in response.content.decode()
    item.refresh_from_db()
    assert item.status == ActionItem.Status.PROPOSED


def test_it_rejects_a_proposal(client, personas, meeting):
    client.force_login(personas.alice)
    item = proposal("Der kommer revurderinger")

    client.post(reverse("minutes:review_reject", args=[meeting.pk, item.pk]))

    item.refresh_from_db()
    assert item.status == ActionItem.Status.REJECTED


def test_it_edits_the_due_date_title_and_role_then_confirms(client, personas, meeting):
    client.force_login(personas.alice)
    item = proposal("Fredag den 29. maj")

    response = client.post(reverse("minutes:review_edit", args=[meeting.pk, item.pk]), {
        "title": "Henrik sender listen", "due_date": "27-05-2022", "precision": item.precision,
        "responsible_role": personas.role.pk, "responsible_person": "", "expected_version": item.version,
        "confirm": "1",
    })

    assert response.status_code == 302
    item.refresh_from_db()
    assert (item.title, item.due_date, item.window_start, item.precision) == (
        "Henrik sender listen", dt.date(2022, 5, 27), dt.date(2022, 5, 27), ActionItem.Precision.DAY
    )
    assert (item.responsible_role, item.responsible_person, item.status, item.edited) == (
        personas.role, None, ActionItem.Status.OPEN, True
    )
    kinds = set(item.events.values_list("kind", flat=True))
    assert {"due_changed", "reassigned", "edited", "confirmed"} <= kinds


def test_it_sets_a_month_window_when_the_secretary_chooses_month(client, personas, meeting):
    client.force_login(personas.alice)
    item = proposal("Kommissorierne skal")

    client.post(reverse("minutes:review_edit", args=[meeting.pk, item.pk]), {
        "title": item.title, "due_date": "2022-05-31", "precision": "month", "expected_version": item.version,
    })

    item.refresh_from_db()
    assert (item.window_start, item.due_date, item.precision, item.status) == (
        dt.date(2022, 5, 1), dt.date(2022, 5, 31), "month", ActionItem.Status.PROPOSED
    )


def test_it_explains_a_missing_date_for_a_dated_precision(client, personas, meeting):
    client.force_login(personas.alice)
    item = proposal("Kommissorierne skal")

    response = client.post(reverse("minutes:review_edit", args=[meeting.pk, item.pk]), {
        "title": item.title, "due_date": "", "precision": "month", "expected_version": item.version,
    })

    assert response.status_code == 400
    assert "Angiv en frist, eller vælg præcisionen “Uden dato”." in response.content.decode()
    item.refresh_from_db()
    assert item.due_date == dt.date(2022, 5, 12)


def test_it_adds_a_follow_up_from_selected_text(client, personas, meeting):
    client.force_login(personas.alice)
    quote = "Tilbagemeldinger fra organisationen er gode."
    start = meeting.text.index(quote)

    response = client.post(reverse("minutes:review_add", args=[meeting.pk]), {
        "ny-quote": quote, "ny-quote_start": start - 1, "ny-quote_end": start + len(quote) + 1,
        "ny-title": "", "ny-due_date": "", "ny-precision": "day", "ny-responsible_role": personas.role.pk,
    })

    assert response.status_code == 302
    item = ActionItem.objects.get(quote=quote)
    assert (item.quote_start, item.quote_end) == (start, start + len(quote))
    assert item.title == quote and item.status == ActionItem.Status.OPEN and item.edited
    assert item.source_item.number == 4
    assert item.precision == ActionItem.Precision.NONE and item.due_date is None


def test_it_adds_a_follow_up_from_a_pasted_sentence_without_offsets(client, personas, meeting):
    client.force_login(personas.alice)

    client.post(reverse("minutes:review_add", args=[meeting.pk]), {
        "ny-quote": "Albertslundånden var et\n spændende tema.", "ny-title": "Gentag temaet",
        "ny-due_date": "2022-06-01", "ny-precision": "day",
    })

    item = ActionItem.objects.get(title="Gentag temaet")
    assert meeting.text[item.quote_start:item.quote_end] == "Albertslundånden var et spændende tema."
    assert item.due_date == dt.date(2022, 6, 1)


def test_it_refuses_a_sentence_that_is_not_in_the_minutes(client, personas, meeting):
    client.force_login(personas.alice)
    before = ActionItem.objects.count()

    response = client.post(reverse("minutes:review_add", args=[meeting.pk]), {
        "ny-quote": "Dette blev aldrig sagt.", "ny-precision": "day",
    })

    assert response.status_code == 400
    assert "Sætningen findes ikke i referatet" in response.content.decode()
    assert ActionItem.objects.count() == before


def test_it_accepts_all_remaining_proposals_but_not_rejected_ones(client, personas, meeting):
    client.force_login(personas.alice)
    rejected = proposal("Der kommer revurderinger")
    services.action_item_reject(item=rejected, by=personas.alice)

    client.post(reverse("minutes:review_accept_all", args=[meeting.pk]))

    assert ActionItem.objects.filter(status=ActionItem.Status.PROPOSED).count() == 0
    assert ActionItem.objects.filter(status=ActionItem.Status.OPEN).count() == ActionItem.objects.count() - 1
    rejected.refresh_from_db()
    assert rejected.status == ActionItem.Status.REJECTED


# -- one e-mail per person for the meeting ----------------------------------------------------------------


def test_it_tells_each_new_owner_once_when_the_last_proposal_is_decided(client, personas, meeting):
    client.force_login(personas.alice)
    items = list(ActionItem.objects.filter(status=ActionItem.Status.PROPOSED).order_by("pk"))
    for item in items[:3]:
        services.action_item_update(item=item, by=personas.alice, responsible_role=personas.role)

    for item in items[:-1]:
        client.post(reverse("minutes:review_accept", args=[meeting.pk, item.pk]))
        assert not Reminder.objects.filter(kind=Reminder.Kind.ASSIGNED).exists()
    client.post(reverse("minutes:review_reject", args=[meeting.pk, items[-1].pk]))

    bob = Person.objects.get(user=personas.bob)
    notices = list(Reminder.objects.filter(kind=Reminder.Kind.ASSIGNED))
    assert {n.recipient for n in notices} == {bob, Person.objects.get(name="Henrik Hansen")}
    bobs = [n for n in notices if n.recipient == bob]
    assert len(bobs) == 1
    assert sorted(bobs[0].payload["items"]) == sorted(i.pk for i in items[:3])


def test_it_does_not_tell_anyone_twice_after_accept_all(client, personas, meeting):
    client.force_login(personas.alice)
    for item in ActionItem.objects.all():
        services.action_item_update(item=item, by=personas.alice, responsible_role=personas.role)

    client.post(reverse("minutes:review_accept_all", args=[meeting.pk]))
    client.post(reverse("minutes:review_notify", args=[meeting.pk]))

    notices = list(Reminder.objects.filter(kind=Reminder.Kind.ASSIGNED))
    recipients = [n.recipient for n in notices]
    assert len(recipients) == len(set(recipients)) == 2  # bob through the role, Henrik by name
    (bobs,) = [n for n in notices if n.recipient.user == personas.bob]
    assert len(bobs.payload["items"]) == ActionItem.objects.count()


def test_it_sends_the_notices_early_on_request(client, personas, meeting):
    client.force_login(personas.alice)
    item = proposal("Kommissorierne skal")
    services.action_item_update(item=item, by=personas.alice, responsible_role=personas.role)
    client.post(reverse("minutes:review_accept", args=[meeting.pk, item.pk]))
    assert not Reminder.objects.filter(kind=Reminder.Kind.ASSIGNED).exists()

    client.post(reverse("minutes:review_notify", args=[meeting.pk]))

    (notice,) = Reminder.objects.filter(kind=Reminder.Kind.ASSIGNED)
    assert notice.payload["items"] == [item.pk]


def test_it_shows_the_review_page_with_a_fixed_number_of_queries(client, personas, django_assert_max_num_queries):
    meeting = import_minutes(data=DIREKTIONEN_2023.read_bytes(), filename="d.txt", body=personas.body).meeting
    assert ActionItem.objects.count() == 15
    client.force_login(personas.alice)

    with django_assert_max_num_queries(15):
        response = client.get(review_url(meeting))

    assert response.content.decode().count('class="card proposal') == 15
