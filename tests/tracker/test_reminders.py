"""Reminders end to end inside one process: planning by the services, the sweep, the e-mails.

Time is frozen with time_machine; the sweep is given ``now`` explicitly, as beat's task would get the clock.
"""
import datetime as dt
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core import mail
from django.core.management import CommandError, call_command

from tracker import services
from tracker.models import ActionItem, Person, Reminder, RoleAssignment
from tracker.reminders import digests_plan, notify_new_assignments, replan_item_reminders
from tracker.sending import MAX_ATTEMPTS, reminders_send_due
from tests.factories import (
    ActionItemFactory,
    AgendaItemFactory,
    MeetingFactory,
    MembershipFactory,
    PersonFactory,
    RoleAssignmentFactory,
)

pytestmark = pytest.mark.django_db

CPH = ZoneInfo("Europe/Copenhagen")
MEETING_DAY = dt.datetime(2022, 4, 28, 10, 0, tzinfo=CPH)


def at(y, m, d, h=7, minute=31):
    return dt.datetime(y, m, d, h, minute, tzinfo=CPH)


def person(user):
    return Person.objects.get(user=user)


def planned(item, status=Reminder.Status.PENDING):
    return sorted(
        (r.recipient.name, r.kind, r.send_on)
        for r in Reminder.objects.filter(item=item, status=status).select_related("recipient")
    )


def sweep(when):
    with time_machine.travel(when, tick=False):
        return reminders_send_due(now=when)


def mails_to(address):
    return [m for m in mail.outbox if any(address in to for to in m.to)]


@pytest.fixture
def meeting(personas):
    return MeetingFactory(body=personas.body, date=dt.date(2022, 4, 28))


@pytest.fixture
def proposal(personas, meeting):
    source = AgendaItemFactory(meeting=meeting, number=4, title="CF - Opfølgning på Lederdøgn")
    return ActionItemFactory(
        body=personas.body, source_item=source, title="Kommissorierne skal være færdige",
        quote="Kommissorierne skal være færdige til 12. maj.", due_date=dt.date(2022, 5, 12),
        responsible_role=personas.role, status=ActionItem.Status.PROPOSED,
    )


def confirm(item, by):
    with time_machine.travel(MEETING_DAY, tick=False):
        return services.action_item_confirm(item=item, by=by)


# -- Planning -----------------------------------------------------------------------------------


def test_it_plans_the_role_holders_reminders_when_a_proposal_is_confirmed(personas, proposal):
    assert planned(proposal) == []

    confirm(proposal, personas.alice)

    bob = "Bob Økonomichef"
    assert planned(proposal) == [
        (bob, "before", dt.date(2022, 5, 5)),
        (bob, "before", dt.date(2022, 5, 11)),
        (bob, "due", dt.date(2022, 5, 12)),
        (bob, "overdue", dt.date(2022, 5, 16)),
        (bob, "overdue", dt.date(2022, 5, 23)),
    ]
    first = Reminder.objects.filter(item=proposal).order_by("due_at").first()
    assert first.due_at == dt.datetime(2022, 5, 5, 7, 30, tzinfo=CPH)


def test_it_reminds_the_responsible_person_and_the_role_holder_each_once(personas, proposal):
    proposal.responsible_person = person(personas.carol)
    proposal.save()
    confirm(proposal, personas.alice)
    due_day = [r for r in planned(proposal) if r[1] == "due"]
    assert due_day == [
        ("Bob Økonomichef", "due", dt.date(2022, 5, 12)),
        ("Carol Kulturchef", "due", dt.date(2022, 5, 12)),
    ]


def test_it_replans_when_the_deadline_moves_and_never_touches_what_was_sent(personas, proposal):
    confirm(proposal, personas.alice)
    sweep(at(2022, 5, 5))
    assert len(mail.outbox) == 1

    with time_machine.travel(at(2022, 5, 6, 12), tick=False):
        services.action_item_update(item=proposal, by=personas.alice, due_date=dt.date(2022, 6, 1))

    assert planned(proposal, Reminder.Status.SENT) == [("Bob Økonomichef", "before", dt.date(2022, 5, 5))]
    assert planned(proposal) == [
        ("Bob Økonomichef", "before", dt.date(2022, 5, 24)),  # 26 May 2022 was Kristi himmelfartsdag
        ("Bob Økonomichef", "before", dt.date(2022, 5, 31)),
        ("Bob Økonomichef", "due", dt.date(2022, 6, 1)),
        ("Bob Økonomichef", "overdue", dt.date(2022, 6, 2)),
        ("Bob Økonomichef", "overdue", dt.date(2022, 6, 9)),
    ]
    assert {r[2] for r in planned(proposal, Reminder.Status.CANCELLED)} == {
        dt.date(2022, 5, 11), dt.date(2022, 5, 12), dt.date(2022, 5, 16), dt.date(2022, 5, 23)
    }


def test_replanning_again_changes_nothing(personas, proposal):
    item = confirm(proposal, personas.alice)
    before = list(Reminder.objects.order_by("pk").values_list("pk", "status", "due_at"))
    assert len(before) == 5
    with time_machine.travel(MEETING_DAY, tick=False):
        replan_item_reminders(item)
        replan_item_reminders(item)
    assert list(Reminder.objects.order_by("pk").values_list("pk", "status", "due_at")) == before


def test_it_cancels_pending_reminders_when_the_item_is_done_and_brings_them_back_on_reopening(personas, proposal):
    confirm(proposal, personas.alice)
    with time_machine.travel(at(2022, 5, 2, 12), tick=False):
        services.action_item_complete(item=proposal, by=personas.bob, comment="Sendt")
    assert planned(proposal) == []
    assert sweep(at(2022, 5, 12, 9)).sent == 0 and mail.outbox == []

    with time_machine.travel(at(2022, 5, 3, 12), tick=False):
        services.action_item_reopen(item=proposal, by=personas.bob)
    assert [r[2] for r in planned(proposal)] == [
        dt.date(2022, 5, 5), dt.date(2022, 5, 11), dt.date(2022, 5, 12), dt.date(2022, 5, 16), dt.date(2022, 5, 23)
    ]


def test_an_undated_item_gets_no_reminders_of_its_own(personas, meeting):
    item = ActionItemFactory(body=personas.body, due_date=None, window_start=None, precision="none",
                             responsible_role=personas.role, status=ActionItem.Status.PROPOSED)
    confirm(item, personas.alice)
    assert planned(item) == []


# -- Handover -----------------------------------------------------------------------------------


def test_a_handover_before_the_reminder_goes_out_reaches_the_new_holder(personas, proposal):
    confirm(proposal, personas.alice)
    erik = PersonFactory(name="Erik Efterfølger", email="erik@example.org")
    with time_machine.travel(MEETING_DAY, tick=False):
        # Recorded today, effective from Monday 9 May.
        services.role_assign(role=personas.role, person=erik, starts_on=dt.date(2022, 5, 9), by=personas.alice)

    for day in (5, 9, 11, 12):
        sweep(at(2022, 5, day))

    assert [m.subject for m in mails_to("bob@")] == [
        "Påmindelse: Kommissorierne skal være færdige – frist 12. maj 2022"
    ]
    assert [m.subject for m in mails_to("erik@")] == [
        "Du har fået 1 ny opfølgning fra Chefforum 28. april 2022",
        "Påmindelse: Kommissorierne skal være færdige – frist 12. maj 2022",
        "Frist i dag: Kommissorierne skal være færdige",
    ]


def test_it_finds_the_new_holder_at_sending_time_when_the_role_changed_hands_in_the_admin(personas, proposal):
    confirm(proposal, personas.alice)
    sweep(at(2022, 5, 5))
    # An administrator edits the assignments directly, without the handover service.
    RoleAssignment.objects.filter(role=personas.role).update(ends_on=dt.date(2022, 5, 10))
    RoleAssignmentFactory(role=personas.role, person=PersonFactory(name="Erik Efterfølger", email="erik@example.org"),
                          starts_on=dt.date(2022, 5, 10))

    report = sweep(at(2022, 5, 11))

    assert len(mails_to("bob@")) == 1  # the one of 5 May, when he still held the role
    assert [m.subject for m in mails_to("erik@")] == [
        "Påmindelse: Kommissorierne skal være færdige – frist 12. maj 2022"
    ]
    assert report.sent == 1 and report.cancelled == 1
    assert Reminder.objects.get(recipient__name="Erik Efterfølger", kind="due").send_on == dt.date(2022, 5, 12)


# -- Sending ------------------------------------------------------------------------------------


def test_it_sends_a_due_reminder_once_however_often_it_sweeps(personas, proposal):
    confirm(proposal, personas.alice)
    assert sweep(at(2022, 5, 5, 7, 29)).sent == 0
    assert sweep(at(2022, 5, 5, 7, 30)).sent == 1
    assert sweep(at(2022, 5, 5, 7, 31)).sent == 0
    assert sweep(at(2022, 5, 5, 23, 59)).sent == 0
    assert len(mail.outbox) == 1
    row = Reminder.objects.get(status=Reminder.Status.SENT)
    assert row.attempts == 1 and dt.timedelta(0) <= row.sent_at - at(2022, 5, 5, 7, 30) < dt.timedelta(seconds=5)


def test_after_an_outage_it_sends_the_latest_reminder_not_the_whole_backlog(personas, proposal):
    confirm(proposal, personas.alice)
    # Nothing ran from 28 April until the morning of the deadline.
    report = sweep(at(2022, 5, 12, 9, 0))
    assert [m.subject for m in mail.outbox] == ["Frist i dag: Kommissorierne skal være færdige"]
    assert report.cancelled == 2
    assert set(Reminder.objects.filter(status="cancelled").values_list("last_error", flat=True)) == {
        "Erstattet af en nyere påmindelse om samme opfølgning."
    }


def test_a_warning_that_comes_after_the_deadline_is_dropped(personas, proposal):
    confirm(proposal, personas.alice)
    Reminder.objects.exclude(send_on=dt.date(2022, 5, 11)).delete()
    report = sweep(at(2022, 5, 13, 9, 0))
    assert mail.outbox == [] and report.cancelled == 1
    assert Reminder.objects.get().last_error == "Fristen var passeret, før påmindelsen kunne sendes."


def test_it_keeps_reminding_weekly_after_the_deadline_until_done(personas, proposal):
    confirm(proposal, personas.alice)
    for day in (dt.date(2022, 5, 16), dt.date(2022, 5, 23), dt.date(2022, 5, 30), dt.date(2022, 6, 7)):
        sweep(at(day.year, day.month, day.day))
    overdue = [m.subject for m in mail.outbox if m.subject.startswith("Overskredet")]
    # 6 June 2022 is 2. pinsedag: that week's reminder waits for Tuesday.
    assert len(overdue) == 4
    assert planned(proposal)[0][1:] == ("overdue", dt.date(2022, 6, 13))

    with time_machine.travel(at(2022, 6, 8, 12), tick=False):
        services.action_item_complete(item=proposal, by=personas.bob)
    assert sweep(at(2022, 6, 13)).sent == 0


class FlakyBackend:
    """A mail server that refuses everything (configured by EMAIL_BACKEND in the tests below)."""

    def __init__(self, *args, **kwargs):
        pass

    def open(self):
        return True

    def close(self):
        pass

    def send_messages(self, messages):
        raise ConnectionRefusedError("550 mailbox unavailable")


def test_it_retries_a_failed_send_with_back_off_and_gives_up_visibly(personas, proposal, settings):
    confirm(proposal, personas.alice)
    settings.EMAIL_BACKEND = "tests.tracker.test_reminders.FlakyBackend"
    when = at(2022, 5, 5, 7, 30)
    report = sweep(when)
    row = Reminder.objects.get(send_on=dt.date(2022, 5, 5))
    assert report.retrying == 1 and row.status == "pending" and row.attempts == 1
    assert dt.timedelta(minutes=1) <= row.due_at - when < dt.timedelta(minutes=1, seconds=5)
    assert "550 mailbox unavailable" in row.last_error

    assert sweep(when + dt.timedelta(seconds=59)).retrying == 0  # not before the back-off
    for _ in range(MAX_ATTEMPTS - 1):
        row.refresh_from_db()
        sweep(row.due_at)
    row.refresh_from_db()
    assert (row.status, row.attempts) == ("failed", MAX_ATTEMPTS)

    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    assert sweep(at(2022, 5, 5, 18)).sent == 0 and mail.outbox == []


def test_it_does_not_send_to_a_person_without_an_address_and_says_so(personas, proposal):
    Person.objects.filter(user=personas.bob).update(email="")
    confirm(proposal, personas.alice)
    report = sweep(at(2022, 5, 5))
    assert report.failed == 1 and mail.outbox == []
    assert Reminder.objects.get(send_on=dt.date(2022, 5, 5)).last_error == "Modtageren har ingen e-mailadresse."


# -- The e-mails --------------------------------------------------------------------------------


def test_the_reminder_says_what_by_when_who_and_where_it_came_from_in_danish(personas, proposal, settings):
    settings.SITE_URL = "https://opfolgning.example.dk"
    confirm(proposal, personas.alice)
    sweep(at(2022, 5, 11))

    (message,) = mail.outbox
    assert message.subject == "Påmindelse: Kommissorierne skal være færdige – frist 12. maj 2022"
    assert message.to == ["Bob Økonomichef <bob@example.org>"]
    assert message.extra_headers["Auto-Submitted"] == "auto-generated"
    text = message.body
    for expected in (
        "Kære Bob Økonomichef",
        "Fristen er om 1 arbejdsdag",
        "Frist: 12. maj 2022",
        "Ansvarlig: Chef for Økonomi",
        "Chefforum, møde 28. april 2022, Punkt 4: CF - Opfølgning på Lederdøgn",
        "» Kommissorierne skal være færdige til 12. maj. «",
        f"https://opfolgning.example.dk/opfoelgninger/{proposal.pk}/",
    ):
        assert expected in text
    html, mimetype = message.alternatives[0]
    assert mimetype == "text/html"
    assert f'href="https://opfolgning.example.dk/opfoelgninger/{proposal.pk}/"' in html
    assert "Markér som udført" in html


def test_a_window_is_written_as_precisely_as_it_is_known(personas):
    item = ActionItemFactory(body=personas.body, title="Status på arbejdet", window_start=dt.date(2021, 5, 1),
                             due_date=dt.date(2021, 5, 31), precision="month", responsible_role=personas.role,
                             status=ActionItem.Status.PROPOSED)
    with time_machine.travel(at(2021, 4, 15, 10), tick=False):
        services.action_item_confirm(item=item, by=personas.alice)
    sweep(at(2021, 5, 3))
    assert [m.subject for m in mail.outbox] == ["Nu er det tid: Status på arbejdet – i løbet af maj 2021"]
    assert "Nu begynder tidsrummet for opfølgningen: i løbet af maj 2021." in mail.outbox[0].body


def test_nothing_of_a_closed_agenda_item_leaves_in_an_email(personas, proposal):
    source = proposal.source_item
    source.closed, source.title = True, "Lukket"
    source.save()
    proposal.title = "Fortrolig personalesag: Hansen"
    proposal.quote = "Hansen skal have en advarsel til 12. maj."
    proposal.save()
    confirm(proposal, personas.alice)
    with time_machine.travel(MEETING_DAY, tick=False):
        notify_new_assignments(items=[proposal], by=personas.alice)
    sweep(at(2022, 4, 28, 10, 1))
    sweep(at(2022, 5, 11))

    assert len(mail.outbox) == 2
    for message in mail.outbox:
        html = message.alternatives[0][0]
        for secret in ("Hansen", "personalesag", "advarsel"):
            assert secret not in message.subject and secret not in message.body and secret not in html
        assert "Punkt 4 (lukket punkt)" in message.body
        assert f"/opfoelgninger/{proposal.pk}/" in message.body


def test_a_line_break_in_a_title_never_reaches_the_mail_headers(personas, proposal):
    proposal.title = "Kommissorier\r\nBcc: alle@example.org"
    proposal.save()
    confirm(proposal, personas.alice)
    sweep(at(2022, 5, 11))
    (message,) = mail.outbox
    assert message.subject == "Påmindelse: Kommissorier Bcc: alle@example.org – frist 12. maj 2022"
    headers = message.message()
    assert headers["Bcc"] is None and message.recipients() == ["Bob Økonomichef <bob@example.org>"]


# -- New assignments ----------------------------------------------------------------------------


def test_a_confirmed_meeting_becomes_one_email_per_person(personas, meeting):
    items = [
        ActionItemFactory(body=personas.body, source_item=AgendaItemFactory(meeting=meeting, number=n),
                          title=f"Opgave {n}", responsible_role=personas.role, status=ActionItem.Status.PROPOSED)
        for n in (3, 4, 5)
    ]
    items[2].responsible_person = person(personas.carol)
    items[2].save()
    with time_machine.travel(MEETING_DAY, tick=False):
        for item in items:
            services.action_item_confirm(item=item, by=personas.alice)
        notify_new_assignments(items=items, by=personas.alice)

    sweep(at(2022, 4, 28, 10, 1))

    (to_bob,) = mails_to("bob@")
    assert to_bob.subject == "Du har fået 3 nye opfølgninger fra Chefforum 28. april 2022"
    assert "Alice Sekretær har gjort dig ansvarlig for 3 opfølgninger" in to_bob.body
    titles = [line for line in to_bob.body.splitlines() if line.startswith("Opgave")]
    assert titles == ["Opgave 3", "Opgave 4", "Opgave 5"]
    (to_carol,) = mails_to("carol@")
    assert to_carol.subject == "Du har fået 1 ny opfølgning fra Chefforum 28. april 2022"


def test_a_second_confirmation_the_same_day_joins_the_waiting_email_or_follows_it(personas, meeting):
    def confirmed(n):
        item = ActionItemFactory(body=personas.body, source_item=AgendaItemFactory(meeting=meeting, number=n),
                                 title=f"Opgave {n}", responsible_role=personas.role, status=ActionItem.Status.OPEN)
        notify_new_assignments(items=[item], by=personas.alice, now=MEETING_DAY)
        return item

    confirmed(1)
    confirmed(2)
    sweep(at(2022, 4, 28, 10, 1))
    confirmed(3)
    sweep(at(2022, 4, 28, 10, 2))

    assert [m.subject for m in mails_to("bob@")] == [
        "Du har fået 2 nye opfølgninger fra Chefforum 28. april 2022",
        "Du har fået 1 ny opfølgning fra Chefforum 28. april 2022",
    ]


def test_a_handover_tells_the_new_holder_about_the_open_items_once(personas, proposal):
    confirm(proposal, personas.alice)
    other = ActionItemFactory(body=personas.body, title="Budgetopfølgning", responsible_role=personas.role,
                              responsible_person=person(personas.bob))
    erik = PersonFactory(name="Erik Efterfølger", email="erik@example.org")
    with time_machine.travel(at(2022, 4, 29, 12, 0), tick=False):
        services.role_assign(role=personas.role, person=erik, starts_on=dt.date(2022, 4, 29), by=personas.alice)
    sweep(at(2022, 4, 29, 12, 1))

    (notice,) = mails_to("erik@")
    assert notice.subject == "Du har fået 2 nye opfølgninger"
    assert "Kommissorierne skal være færdige" in notice.body and "Budgetopfølgning" in notice.body
    assert mails_to("bob@") == []
    other.refresh_from_db()
    assert other.responsible_person == erik


# -- Weekly digest ------------------------------------------------------------------------------


def test_the_monday_digest_lists_everything_open_overdue_first_and_escalates_to_the_secretary(personas):
    bob = person(personas.bob)
    ActionItemFactory(body=personas.body, title="Uden dato", due_date=None, window_start=None, precision="none",
                      responsible_person=bob)
    ActionItemFactory(body=personas.body, title="Snart", due_date=dt.date(2022, 5, 20), responsible_role=personas.role)
    ActionItemFactory(body=personas.body, title="Lidt for sent", due_date=dt.date(2022, 5, 6), responsible_person=bob)
    ActionItemFactory(body=personas.body, title="Længe overskredet", due_date=dt.date(2022, 4, 20),
                      responsible_role=personas.role)

    with time_machine.travel(at(2022, 5, 9, 7, 30), tick=False):
        assert digests_plan() == 2  # bob, and alice as the forum's secretary
    sweep(at(2022, 5, 9, 7, 31))

    (digest,) = mails_to("bob@")
    assert digest.subject == "Dine opfølgninger, uge 19: 2 overskredne af 4"
    names = {"Uden dato", "Snart", "Lidt for sent", "Længe overskredet"}
    titles = [line for line in digest.body.splitlines() if line in names]
    assert titles == ["Længe overskredet", "Lidt for sent", "Snart", "Uden dato"]
    (escalation,) = mails_to("alice@")
    assert escalation.subject == "Opfølgninger med overskredet frist, uge 19"
    assert "Længe overskredet" in escalation.body and "Lidt for sent" not in escalation.body


def test_the_digest_waits_for_tuesday_after_easter_monday(personas):
    ActionItemFactory(body=personas.body, due_date=dt.date(2022, 5, 20), responsible_role=personas.role)
    with time_machine.travel(at(2022, 4, 18, 7, 30), tick=False):
        digests_plan()
    assert list(Reminder.objects.filter(kind="digest").values_list("send_on", flat=True)) == [dt.date(2022, 4, 19)]
    assert sweep(at(2022, 4, 18, 23)).sent == 0
    assert sweep(at(2022, 4, 19, 7, 31)).sent == 1


# -- The command --------------------------------------------------------------------------------


def test_the_command_shows_what_it_would_send_and_then_sends_it(personas, proposal, capsys):
    confirm(proposal, personas.alice)
    MembershipFactory(person=PersonFactory(name="Uden Adresse", email=""), body=personas.body)

    call_command("send_reminders", "--now", "2022-05-05T08:00", "--dry-run")
    out = capsys.readouterr().out
    assert "Bob Økonomichef <bob@example.org>: Påmindelse: Kommissorierne skal være færdige" in out
    assert "Prøvekørsel: 1 ville blive sendt" in out
    assert mail.outbox == [] and not Reminder.objects.filter(status="sent").exists()

    call_command("send_reminders", "--now", "2022-05-05T08:00")
    assert "Påmindelser: sendt 1" in capsys.readouterr().out
    assert len(mail.outbox) == 1


def test_the_command_refuses_a_time_it_cannot_read():
    with pytest.raises(CommandError, match="skriv et tidspunkt"):
        call_command("send_reminders", "--now", "i morgen")


def test_a_name_with_a_comma_stays_one_recipient(personas, proposal):
    Person.objects.filter(user=personas.bob).update(name="Hansen, Bob")
    confirm(proposal, personas.alice)
    sweep(at(2022, 5, 11))
    (message,) = mail.outbox
    assert message.recipients() == ['"Hansen, Bob" <bob@example.org>']
    assert message.body.startswith("Kære Hansen, Bob")
