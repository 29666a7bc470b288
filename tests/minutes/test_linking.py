"""Linking across meetings: a later meeting of a forum discusses an earlier meeting's follow-ups."""
from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse

from minutes.importing import import_minutes
from minutes.models import AgendaItem, Meeting
from tests.factories import MembershipFactory, PersonFactory
from tracker import services
from tracker.models import ActionItem, ActionItemEvent, ActionItemLink

pytestmark = pytest.mark.django_db

Status = ActionItem.Status


def minutes(date_dash: str, date_long: str, items: list[tuple[str, str, str]]) -> bytes:
    """Minutes laid out like the Chefforum samples: header, contents, then each item with its sections."""
    contents = "\n".join(f"{title}.....\t{n + 3}" for n, (title, _case, _decision) in enumerate(items))
    parts = [f"\n\nREFERAT Chefforum d. {date_dash}\n\nMødedato Torsdag d. {date_long} kl. 08:30\n\n"
             f"Mødested Mødelokale 1\n\nIndholdsfortegnelse\n\n{contents}\n"]
    for number, (title, case, decision) in enumerate(items, start=1):
        if title == "Lukket":
            parts.append(f"\nPunkt {number}: Lukket\n\n{case}\n")
            continue
        parts.append(f"\nPunkt {number}: {title}\n\n{case}\n\nIndstilling\n\nKommunaldirektøren indstiller,\n\n"
                     f"1. at sagen drøftes.\n\nBeslutning\n\n{decision}\n")
    return "".join(parts).encode()


AGENDA = ("CF - Godkendelse af dagsorden og referat fra sidste møde", "00.01.00-A21-2-21", "Godkendt.")
INTEGRATION = "15.40.00-P05-1-21"
BUDGET = "00.30.00-P00-5-21"
SCHEDULED = "På Chefforum den 3 februar vil Chefforum konkretisere deres ønsker til beskrivelsen yderligere."
MAIL = "Mette Duekilde sender en mail til Chefforum med forslag til bemanning af redaktionsgruppen."
FIRST = minutes("20-01-2022", "20. januar 2022", [
    AGENDA,
    ("CF - Start af arbejde med Integrationsindsats 2022", INTEGRATION, f"Chefforum aftalte, at {MAIL} {SCHEDULED}"),
    ("CF - Budget 2023", BUDGET, "Udgik."),
    ("Lukket", "00.30.00-P05-1-22", ""),
    ("CF - Eventuelt", "00.01.00-A21-2-21", "Der kommer revurderinger inden næste forløb sættes i gang."),
])
DECISION = "Chefforum godkendte bemandingen af redaktionsgruppen og konkretiserede ønskerne til beskrivelsen."
SECOND = minutes("03-02-2022", "3. februar 2022", [
    AGENDA,
    ("CF - Integrationsindsats 2022: beskrivelse og redaktionsgruppe", INTEGRATION, DECISION),
    ("CF - Budget 2023", BUDGET, "Taget til efterretning."),
    ("CF - Eventuelt", "00.01.00-A21-2-21", "Intet."),
])
# The same date, without the integration case on the agenda: only the schedule links.
SECOND_WITHOUT_CASE = minutes("03-02-2022", "3. februar 2022", [
    AGENDA,
    ("CF - Eventuelt", "00.01.00-A21-2-21", "Intet."),
])


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def first(personas) -> Meeting:
    """The first meeting imported and every proposal confirmed by the secretary."""
    MembershipFactory(person=PersonFactory(name="Mette Duekilde"), body=personas.body)
    meeting = import_minutes(data=FIRST, filename="2022-01-20.txt", by=personas.alice).meeting
    for item in ActionItem.objects.filter(source_item__meeting=meeting, status=Status.PROPOSED):
        services.action_item_confirm(item=item, by=personas.alice)
    return meeting


def followup(quote: str) -> ActionItem:
    return ActionItem.objects.get(quote__startswith=quote[:40])


def review(client, meeting: Meeting) -> str:
    response = client.get(reverse("minutes:review", args=[meeting.pk]))
    assert response.status_code == 200
    return response.content.decode()


def test_it_links_the_earlier_followups_of_a_case_the_next_meeting_discusses(client, personas, first):
    result = import_minutes(data=SECOND, filename="2022-02-03.txt", by=personas.alice)

    second = result.meeting
    case_item = AgendaItem.objects.get(meeting=second, number=2)
    links = {link.item.quote: link for link in ActionItemLink.objects.filter(meeting=second).select_related("item")}
    assert set(links) == {MAIL, SCHEDULED, "Udgik."}
    for quote in (MAIL, SCHEDULED):
        assert links[quote].agenda_item == case_item
        assert links[quote].reason == ActionItemLink.Reason.CASE_NUMBER
        assert links[quote].proposal == ActionItemLink.Proposal.CLOSE
        assert links[quote].status == ActionItemLink.Status.PROPOSED
    assert "3 opfølgninger fra tidligere møder drøftet igen" in result.message

    client.force_login(personas.alice)
    page = review(client, second)
    assert "Opfølgninger fra tidligere møder" in page
    assert MAIL in page and DECISION in page  # both quotes, side by side
    assert "Chefforum 20. januar 2022, punkt 2" in page
    assert "Afslut" in page and "Ret frist" in page and "Behold" in page


def test_it_never_links_standing_items_or_closed_items(personas, first):
    standing = followup("Der kommer revurderinger")

    import_minutes(data=SECOND, filename="2022-02-03.txt", by=personas.alice)

    # "Eventuelt" and the agenda approval share one case number in every meeting: not a case.
    assert not ActionItemLink.objects.filter(item=standing).exists()
    assert not ActionItemLink.objects.filter(agenda_item__closed=True).exists()


def test_it_links_a_followup_scheduled_for_the_forums_meeting_on_that_date(personas, first):
    second = import_minutes(data=SECOND_WITHOUT_CASE, filename="2022-02-03.txt", by=personas.alice).meeting

    link = ActionItemLink.objects.get(meeting=second, item=followup(SCHEDULED))
    assert link.reason == ActionItemLink.Reason.SCHEDULED
    assert link.agenda_item is None
    # The undated mail follow-up was not scheduled for this meeting, and its case was not on the agenda.
    assert not ActionItemLink.objects.filter(item=followup(MAIL)).exists()


def test_it_proposes_a_withdrawn_item_for_the_next_meeting_and_dates_it_when_that_meeting_arrives(personas):
    first = import_minutes(data=FIRST, filename="2022-01-20.txt", by=personas.alice).meeting

    budget = ActionItem.objects.get(source_item__meeting=first, source_item__number=3)
    assert budget.title == "Behandles på næste møde: CF - Budget 2023"
    assert budget.quote == "Udgik."
    assert budget.status == Status.PROPOSED
    assert (budget.due_date, budget.precision) == (None, ActionItem.Precision.RELATIVE)
    services.action_item_confirm(item=budget, by=personas.alice)

    second = import_minutes(data=SECOND, filename="2022-02-03.txt", by=personas.alice).meeting

    budget.refresh_from_db()
    assert (budget.due_date, budget.precision) == (dt.date(2022, 2, 3), ActionItem.Precision.DAY)
    assert budget.events.filter(kind=ActionItemEvent.Kind.DUE_CHANGED, comment__contains="3. februar 2022").exists()
    link = ActionItemLink.objects.get(item=budget)
    assert link.meeting == second
    assert link.reason == ActionItemLink.Reason.POSTPONED
    assert link.agenda_item == AgendaItem.objects.get(meeting=second, case_number=BUDGET)
    assert link.proposal == ActionItemLink.Proposal.CLOSE


def test_it_dates_a_postponed_item_at_once_when_the_next_meeting_is_already_imported(personas):
    import_minutes(data=SECOND, filename="2022-02-03.txt", by=personas.alice)

    import_minutes(data=FIRST, filename="2022-01-20.txt", by=personas.alice)

    budget = ActionItem.objects.get(title="Behandles på næste møde: CF - Budget 2023")
    assert (budget.due_date, budget.precision) == (dt.date(2022, 2, 3), ActionItem.Precision.DAY)


def test_it_changes_nothing_when_the_minutes_are_imported_again(personas, first):
    second = import_minutes(data=SECOND, filename="2022-02-03.txt", by=personas.alice).meeting
    before = list(ActionItemLink.objects.order_by("pk").values_list("pk", "item_id", "agenda_item_id", "status"))
    items_before = list(ActionItem.objects.order_by("pk").values_list("pk", "status", "due_date", "version"))

    corrected = SECOND.replace(b"Intet.", b"Intet at bem\xc3\xa6rke.")  # a corrected file: imported in place
    result = import_minutes(data=corrected, filename="2022-02-03-rettet.txt", by=personas.alice)
    import_minutes(data=FIRST + b"\n", filename="2022-01-20-rettet.txt", by=personas.alice)

    assert result.meeting == second
    assert list(ActionItemLink.objects.order_by("pk").values_list("pk", "item_id", "agenda_item_id", "status")) == before
    assert list(ActionItem.objects.order_by("pk").values_list("pk", "status", "due_date", "version")) == items_before
    assert ActionItem.objects.filter(title__startswith="Behandles på næste møde").count() == 1


def test_it_closes_the_earlier_followup_from_the_review_and_writes_history(client, personas, first):
    second = import_minutes(data=SECOND, filename="2022-02-03.txt", by=personas.alice).meeting
    link = ActionItemLink.objects.get(meeting=second, item=followup(MAIL))
    client.force_login(personas.alice)

    response = client.post(
        reverse("minutes:review_link_close", args=[second.pk, link.pk]), {"expected_version": link.item.version}
    )

    assert response.status_code == 302
    link.refresh_from_db()
    assert link.status == ActionItemLink.Status.ACCEPTED
    assert link.item.status == Status.DONE
    event = link.item.events.get(kind=ActionItemEvent.Kind.COMPLETED)
    assert event.actor == personas.alice
    assert event.comment == "Afsluttet på Chefforum 3. februar 2022."
    page = review(client, second)
    assert f'id="tidligere-{link.pk}"' not in page  # answered: no longer asked
    # A re-import of the same meeting does not ask again.
    import_minutes(data=SECOND + b"\n", filename="igen.txt", by=personas.alice)
    assert ActionItemLink.objects.get(pk=link.pk).status == ActionItemLink.Status.ACCEPTED


def test_it_moves_the_deadline_from_the_review(client, personas, first):
    second = import_minutes(data=SECOND, filename="2022-02-03.txt", by=personas.alice).meeting
    link = ActionItemLink.objects.get(meeting=second, item=followup(SCHEDULED))
    client.force_login(personas.alice)

    bad = client.post(reverse("minutes:review_link_update", args=[second.pk, link.pk]),
                      {"due_date": "31-02-2022", "expected_version": link.item.version})
    response = client.post(reverse("minutes:review_link_update", args=[second.pk, link.pk]),
                           {"due_date": "03-03-2022", "expected_version": link.item.version})

    assert bad.status_code == 400 and "Skriv datoen som dd-mm-åååå" in bad.content.decode()
    assert response.status_code == 302
    item = ActionItem.objects.get(pk=link.item_id)
    assert (item.due_date, item.status) == (dt.date(2022, 3, 3), Status.OPEN)
    assert item.events.get(kind=ActionItemEvent.Kind.DUE_CHANGED).comment == "Drøftet på Chefforum 3. februar 2022."


def test_it_keeps_the_followup_unchanged_when_dismissed(client, personas, first):
    second = import_minutes(data=SECOND, filename="2022-02-03.txt", by=personas.alice).meeting
    link = ActionItemLink.objects.get(meeting=second, item=followup(MAIL))
    client.force_login(personas.alice)

    response = client.post(reverse("minutes:review_link_dismiss", args=[second.pk, link.pk]))

    assert response.status_code == 302
    link.refresh_from_db()
    assert link.status == ActionItemLink.Status.DISMISSED
    assert ActionItem.objects.get(pk=link.item_id).status == Status.OPEN
    assert link.item.events.filter(kind=ActionItemEvent.Kind.COMMENTED, actor=personas.alice).get().comment == (
        "Drøftet på Chefforum 3. februar 2022; beholdt uændret."
    )
    again = client.post(reverse("minutes:review_link_dismiss", args=[second.pk, link.pk]), follow=True)
    assert "Forslaget er allerede behandlet." in again.content.decode()


@pytest.mark.parametrize("who", ["bob", "carol", "dave"])
def test_it_lets_only_the_forums_secretaries_answer(client, personas, first, who):
    second = import_minutes(data=SECOND, filename="2022-02-03.txt", by=personas.alice).meeting
    link = ActionItemLink.objects.get(meeting=second, item=followup(MAIL))
    client.force_login(getattr(personas, who))

    for name in ("review_link_close", "review_link_dismiss"):
        assert client.post(reverse(f"minutes:{name}", args=[second.pk, link.pk])).status_code == 403
    link.refresh_from_db()
    assert link.status == ActionItemLink.Status.PROPOSED
    assert link.item.status == Status.OPEN
