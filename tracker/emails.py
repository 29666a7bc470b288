"""The reminder e-mails, in Danish: plain text and HTML from ``templates/emails/``.

Building a message reads the item as it is now, so a reminder always shows the
current deadline and title. Rules every message follows:

- The content of a confidential ("Lukket") agenda item never leaves the
  system: for an item from one, the e-mail names the forum, the meeting and the
  item number only, and links to the item.
- Header values (subject, recipient name) never carry line breaks.
- The Message-ID is fixed per outbox row, so a message handed over twice (see
  ``tracker.sending``) is recognised as the same message by mail systems.
- ``Auto-Submitted`` keeps out-of-office replies away from the sender address.
"""
from __future__ import annotations

import datetime as dt
import re
from collections.abc import Sequence
from dataclasses import dataclass
from urllib.parse import urlsplit

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from tracker.localdates import describe_deadline, format_date, language_of
from tracker.models import ActionItem, Person, Reminder
from tracker.policy import WorkingDays

Kind = Reminder.Kind

_CONTROL = re.compile(r"[\x00-\x1f\x7f\u2028\u2029]+")
_SUBJECT_TITLE_LENGTH = 80


def header_safe(value: str, limit: int = 200) -> str:
    """One line of text for a mail header: no CR/LF or other control characters, bounded length."""
    text = " ".join(_CONTROL.sub(" ", value).split())
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


_ADDRESS_SPECIALS = set('()<>[]:;@\\,."')


def mailbox(name: str, address: str) -> str:
    """ "Name <address>", the name quoted when it holds characters with a meaning in addresses."""
    name = header_safe(name, 100)
    if not name:
        return address
    if _ADDRESS_SPECIALS & set(name):
        name = '"' + name.replace("\\", "\\\\").replace('"', '\\"') + '"'
    return f"{name} <{address}>"


def absolute_url(path: str) -> str:
    return f"{settings.SITE_URL}{path}"


def item_url(item_id: int) -> str:
    return absolute_url(reverse("tracker:item_detail", kwargs={"pk": item_id}))


def message_id(reminder: Reminder) -> str:
    host = urlsplit(settings.SITE_URL).hostname or "localhost"
    return f"<reminder-{reminder.pk}@{host}>"


@dataclass(frozen=True)
class ItemView:
    """What an e-mail may say about one item."""

    pk: int
    closed: bool
    title: str
    deadline: str
    due_date: dt.date | None
    days_overdue: int
    responsible: str
    forum: str
    meeting: str
    agenda_item: str
    quote: str
    url: str

    @property
    def short_title(self) -> str:
        """For a subject line: bounded, and without a closing full stop before " – frist …"."""
        return _shorten(self.title, _SUBJECT_TITLE_LENGTH).rstrip(" .")


def _shorten(text: str, limit: int) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def item_view(item: ActionItem, today: dt.date) -> ItemView:
    """The e-mail's picture of an item. An item from a closed agenda item shows no content."""
    source = item.source_item
    closed = bool(source is not None and source.closed)
    meeting = source.meeting if source is not None else None
    responsible = [str(x) for x in (item.responsible_role, item.responsible_person) if x is not None]
    if not responsible and item.responsible_text and not closed:
        responsible = [item.responsible_text]
    if source is None:
        agenda_item = ""
    elif closed:
        agenda_item = _("Punkt %(number)s (lukket punkt)") % {"number": source.number}
    else:
        agenda_item = _("Punkt %(number)s: %(title)s") % {"number": source.number, "title": source.title}
    overdue = (today - item.due_date).days if item.due_date and item.due_date < today else 0
    return ItemView(
        pk=item.pk,
        closed=closed,
        title=_("Opfølgning fra et lukket punkt") if closed else item.title,
        deadline=describe_deadline(item.window_start, item.due_date, item.precision),
        due_date=item.due_date,
        days_overdue=overdue,
        responsible=" · ".join(responsible),
        forum=item.body.name,
        meeting=format_date(meeting.date) if meeting is not None else "",
        agenda_item=agenda_item,
        quote="" if closed else item.quote,
        url=item_url(item.pk),
    )


def _message(
    *, reminder: Reminder, subject: str, template: str, context: dict[str, object]
) -> EmailMultiAlternatives:
    recipient: Person = reminder.recipient
    context = {**context, "recipient": recipient, "site_url": settings.SITE_URL}
    text = render_to_string(f"emails/{template}.txt", context)
    html = render_to_string(f"emails/{template}.html", {**context, "subject": subject})
    message = EmailMultiAlternatives(
        subject=header_safe(subject),
        body=text,
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=[mailbox(recipient.name, recipient.email)],
        headers={
            "Message-ID": message_id(reminder),
            "Auto-Submitted": "auto-generated",
            "X-Auto-Response-Suppress": "All",
        },
    )
    message.attach_alternative(html, "text/html")
    return message


def working_days_between(start: dt.date, end: dt.date, calendar: WorkingDays) -> int:
    """Working days after ``start`` up to and including ``end``."""
    count, day = 0, start
    while day < end:
        day += dt.timedelta(days=1)
        if calendar.is_working_day(day):
            count += 1
    return count


def build_item_reminder(
    reminder: Reminder, *, item: ActionItem, today: dt.date, calendar: WorkingDays
) -> EmailMultiAlternatives:
    """A reminder about one item: before, on or after its deadline, or at its window's start or end."""
    with translation.override(language_of(reminder.recipient)):
        view = item_view(item, today)
        kind = reminder.kind
        if kind == Kind.BEFORE:
            days = working_days_between(today, item.due_date, calendar)
            heading = ngettext(
                "Fristen er om %(days)d arbejdsdag", "Fristen er om %(days)d arbejdsdage", days
            ) % {"days": days}
            subject = _("Påmindelse: %(title)s – frist %(deadline)s")
        elif kind == Kind.DUE:
            heading = _("Fristen er i dag") if item.due_date == today else _("Fristen er %(deadline)s") % {
                "deadline": view.deadline
            }
            subject = _("Frist i dag: %(title)s") if item.due_date == today else _("Frist %(deadline)s: %(title)s")
        elif kind == Kind.OVERDUE:
            heading = ngettext(
                "Fristen blev overskredet for %(days)d dag siden", "Fristen blev overskredet for %(days)d dage siden",
                view.days_overdue,
            ) % {"days": view.days_overdue}
            subject = _("Overskredet frist: %(title)s – frist %(deadline)s")
        elif kind == Kind.WINDOW_START:
            heading = _("Nu begynder tidsrummet for opfølgningen")
            subject = _("Nu er det tid: %(title)s – %(deadline)s")
        else:
            heading = _("Tidsrummet for opfølgningen slutter snart")
            subject = _("Snart slut: %(title)s – %(deadline)s")
        subject = subject % {"title": view.short_title, "deadline": view.deadline}
        return _message(
            reminder=reminder, subject=subject, template="reminder",
            context={
                "item": view, "heading": heading, "kind": kind,
                "is_window": kind in (Kind.WINDOW_START, Kind.WINDOW_END),
            },
        )


@dataclass(frozen=True)
class MeetingGroup:
    forum: str
    meeting: str
    items: list[ItemView]

    @property
    def label(self) -> str:
        return f"{self.forum} {self.meeting}".strip()


def group_by_meeting(items: Sequence[ActionItem], today: dt.date) -> list[MeetingGroup]:
    groups: dict[tuple[str, str], list[ItemView]] = {}
    for item in items:
        view = item_view(item, today)
        groups.setdefault((view.forum, view.meeting), []).append(view)
    return [MeetingGroup(forum=f, meeting=m, items=views) for (f, m), views in groups.items()]


def build_assigned(reminder: Reminder, *, items: Sequence[ActionItem], today: dt.date) -> EmailMultiAlternatives:
    """ "Du har fået 3 nye opfølgninger fra Chefforum 28. april 2022": one e-mail for a whole meeting."""
    with translation.override(language_of(reminder.recipient)):
        groups = group_by_meeting(items, today)
        count = len(items)
        if len(groups) == 1:
            subject = ngettext(
                "Du har fået %(count)d ny opfølgning fra %(source)s",
                "Du har fået %(count)d nye opfølgninger fra %(source)s",
                count,
            ) % {"count": count, "source": groups[0].label}
        else:
            subject = ngettext(
                "Du har fået %(count)d ny opfølgning", "Du har fået %(count)d nye opfølgninger", count
            ) % {"count": count}
        return _message(
            reminder=reminder, subject=subject, template="assigned",
            context={"groups": groups, "count": count, "by": reminder.payload.get("by", "")},
        )


def build_digest(
    reminder: Reminder, *, items: Sequence[ActionItem], escalated: Sequence[ActionItem], today: dt.date
) -> EmailMultiAlternatives:
    """The weekly overview: all open items, overdue first; escalations for a forum's secretaries."""
    with translation.override(language_of(reminder.recipient)):
        views = [item_view(i, today) for i in items]
        overdue = [v for v in views if v.days_overdue]
        dated = [v for v in views if not v.days_overdue and v.due_date is not None]
        undated = [v for v in views if v.due_date is None]
        week = today.isocalendar().week
        if overdue:
            subject = ngettext(
                "Dine opfølgninger, uge %(week)d: %(overdue)d overskredet af %(count)d",
                "Dine opfølgninger, uge %(week)d: %(overdue)d overskredne af %(count)d",
                len(overdue),
            ) % {"week": week, "overdue": len(overdue), "count": len(views)}
        elif views:
            subject = ngettext(
                "Dine opfølgninger, uge %(week)d: %(count)d åben",
                "Dine opfølgninger, uge %(week)d: %(count)d åbne",
                len(views),
            ) % {"week": week, "count": len(views)}
        else:
            subject = _("Opfølgninger med overskredet frist, uge %(week)d") % {"week": week}
        return _message(
            reminder=reminder, subject=subject, template="digest",
            context={
                "overdue": overdue, "dated": dated, "undated": undated,
                "escalated": [item_view(i, today) for i in escalated], "week": week,
                "count": len(views), "date": format_date(today),
            },
        )
