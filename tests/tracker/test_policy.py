"""The reminder policy as a pure function: fixed dates, Danish holidays, weekends, windows."""
import datetime as dt
from zoneinfo import ZoneInfo

import pytest

from tracker.policy import (
    ReminderPolicy,
    WorkingDays,
    danish_working_days,
    digest_send_on,
    is_escalated,
    overdue_first,
    plan_item_reminders,
)

CPH = ZoneInfo("Europe/Copenhagen")
DK = danish_working_days()
D = dt.date


def plan(due, *, today, start=None, precision="day", status="open", policy=ReminderPolicy(), calendar=DK):
    return [
        (r.kind, r.send_on)
        for r in plan_item_reminders(
            window_start=start or due, due_date=due, precision=precision, status=status, today=today,
            calendar=calendar, policy=policy, tz=CPH,
        )
    ]


def test_it_reminds_5_and_1_working_days_before_on_the_day_and_after():
    # Thursday 12 May 2022, seen from the meeting on 28 April.
    assert plan(D(2022, 5, 12), today=D(2022, 4, 28)) == [
        ("before", D(2022, 5, 5)),
        ("before", D(2022, 5, 11)),
        ("due", D(2022, 5, 12)),
        ("overdue", D(2022, 5, 16)),  # Friday 13 May 2022 was Store Bededag
        ("overdue", D(2022, 5, 23)),
    ]


def test_it_counts_working_days_around_easter_for_a_deadline_the_day_after_easter_monday():
    # Tuesday 19 April 2022: Skærtorsdag, Langfredag and 2. påskedag are not working days.
    assert plan(D(2022, 4, 19), today=D(2022, 3, 1)) == [
        ("before", D(2022, 4, 7)),   # five working days back skips 18, 15 and 14 April
        ("before", D(2022, 4, 13)),  # the last working day before Easter
        ("due", D(2022, 4, 19)),
        ("overdue", D(2022, 4, 20)),
        ("overdue", D(2022, 4, 27)),
    ]


def test_it_moves_a_reminder_before_a_weekend_deadline_to_the_friday_and_one_after_to_the_monday():
    # Sunday 9 October 2022: the morning-of reminder goes out Friday, which is also
    # the "one working day before" day; only one e-mail is sent that day.
    assert plan(D(2022, 10, 9), today=D(2022, 9, 1)) == [
        ("before", D(2022, 10, 3)),
        ("due", D(2022, 10, 7)),
        ("overdue", D(2022, 10, 10)),
        ("overdue", D(2022, 10, 17)),
    ]


def test_it_moves_past_a_holiday_and_a_weekend_together():
    # Saturday 14 May 2022, after Store Bededag on Friday 13 May: the due-day reminder is Thursday.
    assert plan(D(2022, 5, 14), today=D(2022, 5, 1)) == [
        ("before", D(2022, 5, 6)),
        ("due", D(2022, 5, 12)),
        ("overdue", D(2022, 5, 16)),
        ("overdue", D(2022, 5, 23)),
    ]


def test_it_reminds_at_the_start_of_a_month_window_and_five_working_days_before_its_end():
    # "i maj 2021": 1 May was a Saturday; 24 May 2021 was 2. pinsedag.
    assert plan(D(2021, 5, 31), start=D(2021, 5, 1), precision="month", today=D(2021, 4, 15)) == [
        ("window_start", D(2021, 5, 3)),
        ("window_end", D(2021, 5, 21)),
        ("overdue", D(2021, 6, 1)),
        ("overdue", D(2021, 6, 8)),
    ]


def test_it_treats_a_season_and_part_of_a_month_as_windows():
    # "i løbet af foråret 2024": March–May; Easter 2024 is in the window, not at its edges.
    assert plan(D(2024, 5, 31), start=D(2024, 3, 1), precision="season", today=D(2024, 1, 10))[:2] == [
        ("window_start", D(2024, 3, 1)),
        ("window_end", D(2024, 5, 24)),
    ]
    # "primo september 2022": 1–10 September.
    assert plan(D(2022, 9, 10), start=D(2022, 9, 1), precision="month_part", today=D(2022, 8, 1))[:2] == [
        ("window_start", D(2022, 9, 1)),
        ("window_end", D(2022, 9, 5)),
    ]


def test_it_sends_one_reminder_for_a_window_too_short_for_two():
    # Week 10 of 2021 read as a window: five working days before its end is before its start.
    assert plan(D(2021, 3, 12), start=D(2021, 3, 8), precision="quarter", today=D(2021, 3, 1))[:1] == [
        ("window_start", D(2021, 3, 8)),
    ]
    assert [k for k, _ in plan(D(2021, 3, 12), start=D(2021, 3, 8), precision="quarter", today=D(2021, 3, 1))] == [
        "window_start", "overdue", "overdue",
    ]


def test_it_treats_a_deadline_within_a_week_as_a_day():
    # "inden ugens udgang" at a meeting on Thursday 20 January 2022: Friday 21 January.
    assert plan(D(2022, 1, 21), start=D(2022, 1, 17), precision="week", today=D(2022, 1, 20)) == [
        ("before", D(2022, 1, 20)),
        ("due", D(2022, 1, 21)),
        ("overdue", D(2022, 1, 24)),
        ("overdue", D(2022, 1, 31)),
    ]


def test_it_plans_nothing_for_undated_items_they_only_appear_in_the_digest():
    assert plan(None, today=D(2022, 4, 28), precision="none") == []
    assert plan(None, today=D(2022, 4, 28), precision="relative") == []


@pytest.mark.parametrize("status", ["proposed", "done", "cancelled", "rejected"])
def test_it_plans_nothing_for_an_item_that_is_not_open(status):
    assert plan(D(2022, 5, 12), today=D(2022, 4, 28), status=status) == []


def test_it_never_plans_a_reminder_in_the_past():
    # Confirmed the day before the deadline: only the day itself and after.
    assert plan(D(2022, 5, 12), today=D(2022, 5, 11)) == [
        ("before", D(2022, 5, 11)),
        ("due", D(2022, 5, 12)),
        ("overdue", D(2022, 5, 16)),
        ("overdue", D(2022, 5, 23)),
    ]


def test_it_keeps_reminding_weekly_about_an_overdue_item_planning_only_the_next_ones():
    # Due 12 May 2022, still open on 1 July: the next two weekly reminders (Mondays).
    assert plan(D(2022, 5, 12), today=D(2022, 7, 1)) == [("overdue", D(2022, 7, 4)), ("overdue", D(2022, 7, 11))]
    # On a sending day itself, that day is the next one.
    assert plan(D(2022, 5, 12), today=D(2022, 7, 4))[0] == ("overdue", D(2022, 7, 4))


def test_it_moves_a_weekly_overdue_reminder_off_a_holiday():
    # Due Friday 1 April 2022: overdue Monday 4 April, then Monday 11, then 18 April is 2. påskedag.
    assert plan(D(2022, 4, 1), today=D(2022, 4, 12)) == [("overdue", D(2022, 4, 19)), ("overdue", D(2022, 4, 25))]


def test_it_sends_at_the_policy_time_in_copenhagen_time_also_in_summer():
    reminders = plan_item_reminders(
        window_start=D(2022, 5, 12), due_date=D(2022, 5, 12), precision="day", status="open",
        today=D(2022, 5, 12), calendar=DK, policy=ReminderPolicy(), tz=CPH,
    )
    due = reminders[0].due_at
    assert due.astimezone(dt.timezone.utc) == dt.datetime(2022, 5, 12, 5, 30, tzinfo=dt.timezone.utc)


def test_it_applies_a_forums_own_policy_over_the_sites():
    site = {"days_before": [5, 1], "send_hour": 7, "send_minute": 30}
    forum = {"days_before": [10, 2], "on_due_date": False, "send_hour": 8}
    policy, problems = ReminderPolicy.from_settings(site, forum)
    assert problems == []
    assert plan(D(2022, 5, 12), today=D(2022, 4, 1), policy=policy)[:2] == [
        ("before", D(2022, 4, 28)),
        ("before", D(2022, 5, 10)),
    ]
    assert policy.send_time() == dt.time(8, 30)


def test_it_skips_a_bad_forum_setting_and_says_why():
    policy, problems = ReminderPolicy.from_settings({"days_before": [5, 1]}, {"days_before": "fem", "colour": "red"})
    assert policy.days_before == (5, 1)
    assert len(problems) == 2 and "days_before" in problems[0] and "colour" in problems[1]


def test_it_can_also_close_on_the_optional_days_off():
    optional = danish_working_days(("optional", "public"))
    # 24 December 2024 is a Tuesday: closed when the forum counts juleaftensdag as a day off.
    assert DK.is_working_day(D(2024, 12, 24))
    assert not optional.is_working_day(D(2024, 12, 24))
    assert plan(D(2024, 12, 27), today=D(2024, 12, 1), calendar=optional)[1] == ("before", D(2024, 12, 23))


def test_working_days_shift_over_weekends_and_holidays_both_ways():
    days = WorkingDays({D(2022, 4, 14), D(2022, 4, 15), D(2022, 4, 18)})
    assert days.shift(D(2022, 4, 13), 1) == D(2022, 4, 19)
    assert days.shift(D(2022, 4, 19), -1) == D(2022, 4, 13)
    assert days.on_or_after(D(2022, 4, 16)) == D(2022, 4, 19)
    assert days.on_or_before(D(2022, 4, 16)) == D(2022, 4, 13)


def test_the_weekly_digest_waits_for_the_first_working_day_after_a_holiday_monday():
    assert digest_send_on(D(2022, 5, 9), DK) == D(2022, 5, 9)
    assert digest_send_on(D(2022, 4, 18), DK) == D(2022, 4, 19)  # 2. påskedag
    assert digest_send_on(D(2022, 6, 6), DK) == D(2022, 6, 7)  # 2. pinsedag


def test_it_escalates_only_after_more_than_fourteen_days_overdue():
    policy = ReminderPolicy()
    assert not is_escalated(D(2022, 5, 1), D(2022, 5, 15), policy)
    assert is_escalated(D(2022, 5, 1), D(2022, 5, 16), policy)
    assert not is_escalated(None, D(2022, 5, 16), policy)


def test_the_digest_lists_overdue_first_then_by_deadline_then_undated():
    class Item:
        def __init__(self, pk, due):
            self.pk, self.due_date = pk, due

    items = [Item(1, None), Item(2, D(2022, 6, 1)), Item(3, D(2022, 5, 1)), Item(4, D(2022, 4, 1))]
    assert [i.pk for i in overdue_first(items, D(2022, 5, 9))] == [4, 3, 2, 1]


def test_a_handover_before_the_reminder_goes_out_sends_it_to_the_new_holder():
    # Pure: the item, its role's assignments and the plan, no database. The role changes
    # hands on Monday 9 May 2022, between the reminder of 5 May and those of 11 and 12 May.
    from tracker.models import ActionItem, Person, RoleAssignment
    from tracker.reminders import Holders, item_recipients

    bob, erik = Person(pk=1, name="Bob"), Person(pk=2, name="Erik")
    holders = Holders((
        RoleAssignment(person=bob, starts_on=D(2020, 1, 1), ends_on=D(2022, 5, 9)),
        RoleAssignment(person=erik, starts_on=D(2022, 5, 9)),
    ))
    item = ActionItem(responsible_role_id=7, due_date=D(2022, 5, 12), precision="day")
    reminders = plan_item_reminders(
        window_start=item.due_date, due_date=item.due_date, precision="day", status="open", today=D(2022, 4, 28),
        calendar=DK, policy=ReminderPolicy(), tz=CPH,
    )
    assert [(r.send_on, [p.name for p in item_recipients(item, r.send_on, holders)]) for r in reminders] == [
        (D(2022, 5, 5), ["Bob"]),
        (D(2022, 5, 11), ["Erik"]),
        (D(2022, 5, 12), ["Erik"]),
        (D(2022, 5, 16), ["Erik"]),
        (D(2022, 5, 23), ["Erik"]),
    ]
