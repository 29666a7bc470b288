"""iCalendar feeds of deadlines: what a subscribed calendar shows, and who may subscribe to what.

A feed is a secret URL (``/kalender/<token>.ics``) a person pastes into Outlook,
Google Calendar, Apple Calendar or Thunderbird. The calendar client polls it;
the content is computed on every poll from the owner's *current* rights, so a
member who leaves a forum stops seeing its deadlines in their calendar too.

Three layers, kept apart:

1. Content (pure): ``feed_entries`` turns ``FeedItem`` rows into ``FeedEntry``
   values (every string and date one calendar component shows) and
   ``build_calendar`` turns those into an ``icalendar.Calendar``.
   ``calendar_ical`` writes the same calendar, byte for byte, without
   building icalendar objects for the components: icalendar needs about a
   quarter of a millisecond per component, too slow for a 1,000-item feed on
   every poll.
2. Selectors: ``feed_scope_items`` (the scope, starting from
   ``tracker.access.visible_items``), ``feed_window_items`` (one query),
   ``feed_state`` (ETag and Last-Modified from one aggregate query),
   ``feed_for_token``.
3. Services: ``calendar_feed_create`` (returns the token, which is never
   stored), ``calendar_feed_revoke``, ``calendar_feed_mark_fetched``.
"""
from __future__ import annotations

import datetime as dt
import hashlib
import re
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Literal
from urllib.parse import urlsplit

from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Count, Max, Q, QuerySet
from django.db.models.functions import Coalesce
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from icalendar import Calendar, Event, Todo
from icalendar.prop import vDuration

from minutes.models import Body
from tracker import access, tokens
from tracker.localdates import describe_deadline, format_date
from tracker.models import ActionItem, CalendarFeed, Role

Status = ActionItem.Status
Scope = CalendarFeed.Scope
FeedFormat = Literal["event", "todo"]
FORMATS: tuple[FeedFormat, ...] = ("event", "todo")

# The window a feed covers: long enough for any planning, short enough that a
# feed never grows without bound.
DAYS_BACK = 90
YEARS_AHEAD = 2
# Done and cancelled items stay this long, marked CANCELLED, so that calendars
# that already show them remove them instead of keeping a stale deadline.
ENDED_KEPT_DAYS = 30
# Bump when the rendered form changes, so that clients holding an ETag refetch.
LAYOUT_VERSION = 1
PRODID = "-//Referat til opfoelgning//Frister//DA"
CALENDAR_TIMEZONE = "Europe/Copenhagen"
REFRESH = dt.timedelta(hours=1)

_WHITESPACE = re.compile(r"\s+")


# --- Content -------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class FeedItem:
    """An action item as a feed reads it: its own fields and the names it shows.

    Plain values rather than model instances: a feed reads a thousand rows on
    every poll, and building five model instances per row would cost more than
    everything else together.
    """

    pk: int
    title: str
    quote: str
    due_date: dt.date | None
    window_start: dt.date | None
    precision: str
    status: str
    version: int
    completed_at: dt.datetime | None
    updated_at: dt.datetime
    responsible_text: str
    body_name: str
    role_name: str | None
    person_name: str | None
    meeting_date: dt.date | None
    agenda_number: int | None
    agenda_title: str | None
    agenda_closed: bool | None

    @property
    def is_closed_source(self) -> bool:
        """From a confidential ("Lukket") agenda item: its content never leaves the system."""
        return bool(self.agenda_closed)


# FeedItem's fields, in order, as ORM lookups from ActionItem.
FEED_ITEM_COLUMNS = (
    "pk", "title", "quote", "due_date", "window_start", "precision", "status", "version", "completed_at",
    "updated_at", "responsible_text", "body__name", "responsible_role__name", "responsible_person__name",
    "source_item__meeting__date", "source_item__number", "source_item__title", "source_item__closed",
)


@dataclass(frozen=True, slots=True)
class FeedEntry:
    """Everything one calendar component shows; hashable, so its rendering can be reused."""

    format: FeedFormat
    uid: str
    sequence: int
    summary: str
    description: str
    category: str
    due: dt.date
    status: str
    stamp: dt.datetime
    completed: dt.datetime | None
    url: str


def add_years(day: dt.date, years: int) -> dt.date:
    try:
        return day.replace(year=day.year + years)
    except ValueError:  # 29 February
        return day.replace(year=day.year + years, day=28)


def feed_window(today: dt.date) -> tuple[dt.date, dt.date]:
    """First and last due date a feed shows (both inclusive)."""
    return today - dt.timedelta(days=DAYS_BACK), add_years(today, YEARS_AHEAD)


def ended_cutoff(today: dt.date) -> dt.datetime:
    """Items done or cancelled before this moment have left the feed."""
    day = today - dt.timedelta(days=ENDED_KEPT_DAYS)
    return timezone.make_aware(dt.datetime.combine(day, dt.time.min))


def _ended_at(item: FeedItem) -> dt.datetime:
    return item.completed_at or item.updated_at


def _shown(item: FeedItem, first: dt.date, last: dt.date, cutoff: dt.datetime) -> bool:
    if item.due_date is None or not first <= item.due_date <= last:
        return False
    if item.status == Status.OPEN:
        return True
    return item.status in (Status.DONE, Status.CANCELLED) and _ended_at(item) >= cutoff


def _one_line(text: str) -> str:
    return _WHITESPACE.sub(" ", text).strip()


def _utc(moment: dt.datetime) -> dt.datetime:
    return moment.astimezone(dt.timezone.utc).replace(microsecond=0)


@dataclass(frozen=True)
class _Wording:
    """The feed's fixed wording, translated once per feed instead of once per item."""

    closed_title: str
    closed_note: str
    deadline: str
    done: str
    cancelled: str
    done_on: str
    cancelled_note: str
    when: str
    who: str
    nobody: str
    body: str
    meeting: str
    quote: str
    link: str

    @classmethod
    def current(cls) -> _Wording:
        return cls(
            closed_title=_("Lukket punkt"),
            closed_note=_("Opfølgning på et lukket punkt. Indholdet kan kun ses i systemet."),
            deadline=_("Frist: %(title)s"),
            done=_("Udført: %(title)s"),
            cancelled=_("Annulleret: %(title)s"),
            done_on=_("Udført %(date)s."),
            cancelled_note=_("Annulleret."),
            when=_("Frist: %(when)s"),
            who=_("Ansvarlig: %(who)s"),
            nobody=_("ikke angivet"),
            body=_("Forum: %(body)s"),
            meeting=_("Møde: %(date)s, punkt %(number)s: %(title)s"),
            quote=_("Citat: »%(quote)s«"),
            link=_("Se opfølgningen: %(url)s"),
        )


def _responsible(item: FeedItem, words: _Wording) -> str:
    role, person = item.role_name, item.person_name
    if role and person:
        return f"{role} ({person})"
    return role or person or item.responsible_text or words.nobody


def _window_text(item: FeedItem) -> str:
    return describe_deadline(item.window_start or item.due_date, item.due_date, item.precision)


def _is_day(item: FeedItem) -> bool:
    return item.precision in (ActionItem.Precision.DAY, ActionItem.Precision.NONE)


def _summary(item: FeedItem, format: FeedFormat, words: _Wording) -> str:
    if item.is_closed_source:
        title = words.closed_title
    else:
        title = _one_line(item.title)
        if not _is_day(item):
            title = f"{title} ({_window_text(item)})"
    if format == "todo":
        return title
    if item.status == Status.DONE:
        return words.done % {"title": title}
    if item.status == Status.CANCELLED:
        return words.cancelled % {"title": title}
    return words.deadline % {"title": title}


def _description(item: FeedItem, link: str, words: _Wording) -> str:
    lines: list[str] = []
    if item.status == Status.DONE:
        lines.append(words.done_on % {"date": format_date(timezone.localdate(_ended_at(item)))})
    elif item.status == Status.CANCELLED:
        lines.append(words.cancelled_note)
    if item.is_closed_source:
        # A confidential agenda item: the deadline and the forum, nothing of what was said.
        lines.append(words.closed_note)
        lines.append(words.body % {"body": item.body_name})
    else:
        lines.append(words.when % {"when": _window_text(item)})
        lines.append(words.who % {"who": _responsible(item, words)})
        lines.append(words.body % {"body": item.body_name})
        if item.meeting_date is not None:
            lines.append(
                words.meeting
                % {
                    "date": format_date(item.meeting_date),
                    "number": item.agenda_number,
                    "title": _one_line(item.agenda_title or ""),
                }
            )
        if item.quote:
            lines.append(words.quote % {"quote": item.quote.strip()})
    lines += ["", words.link % {"url": link}]
    return "\n".join(lines)


def _status(item: FeedItem, format: FeedFormat) -> str:
    if format == "todo":
        return {Status.DONE: "COMPLETED", Status.CANCELLED: "CANCELLED"}.get(item.status, "NEEDS-ACTION")
    return "CONFIRMED" if item.status == Status.OPEN else "CANCELLED"


def feed_entries(
    items: Iterable[FeedItem], *, site_url: str, host: str, today: dt.date, format: FeedFormat = "event"
) -> list[FeedEntry]:
    """What each item in the feed shows. Items outside the feed's window are left out."""
    if format not in FORMATS:
        raise ValueError(f"Unknown feed format {format!r}")
    words = _Wording.current()
    first, last = feed_window(today)
    cutoff = ended_cutoff(today)
    # One reverse() for the whole feed: the item path differs only in its number.
    marker = "918273645"
    path = site_url.rstrip("/") + reverse("tracker:item_detail", kwargs={"pk": marker})
    entries = []
    for item in items:
        if not _shown(item, first, last, cutoff):
            continue
        link = path.replace(marker, str(item.pk))
        entries.append(
            FeedEntry(
                format=format,
                uid=f"actionitem-{item.pk}@{host}",
                sequence=item.version,
                summary=_summary(item, format, words),
                description=_description(item, link, words),
                category=item.body_name,
                due=item.due_date,
                status=_status(item, format),
                # Without METHOD, DTSTAMP is when the information was last revised
                # (RFC 5545, 3.8.7.2): the same bytes for the same item on every poll.
                stamp=_utc(item.updated_at),
                completed=_utc(item.completed_at) if format == "todo" and item.completed_at else None,
                url=link,
            )
        )
    return entries


def _component(entry: FeedEntry) -> Event | Todo:
    if entry.format == "todo":
        component = Todo()
        component.add("due", entry.due)
    else:
        component = Event()
        component.add("dtstart", entry.due)
        component.add("dtend", entry.due + dt.timedelta(days=1))  # all-day: the end is exclusive
        component.add("transp", "TRANSPARENT")
    component.add("uid", entry.uid)
    component.add("dtstamp", entry.stamp)
    component.add("last-modified", entry.stamp)
    component.add("sequence", entry.sequence)
    component.add("summary", entry.summary)
    component.add("description", entry.description)
    component.add("categories", [entry.category])
    component.add("status", entry.status)
    if entry.format == "todo" and entry.completed is not None:
        component.add("completed", entry.completed)
        component.add("percent-complete", 100)
    component.add("url", entry.url)
    return component


def _calendar_header(name: str) -> Calendar:
    calendar = Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("name", name)
    calendar.add("x-wr-calname", name)
    calendar.add("x-wr-caldesc", _("Frister fra referaterne. Opdateres automatisk."))
    calendar.add("x-wr-timezone", CALENDAR_TIMEZONE)
    calendar.add("refresh-interval", REFRESH, parameters={"VALUE": "DURATION"})
    calendar.add("x-published-ttl", vDuration(REFRESH))
    return calendar


def build_calendar(
    items: Iterable[FeedItem],
    *,
    name: str,
    site_url: str,
    host: str,
    today: dt.date,
    format: FeedFormat = "event",
) -> Calendar:
    """The feed as an icalendar object: one all-day VEVENT (or a VTODO) per item in the window."""
    calendar = _calendar_header(name)
    for entry in feed_entries(items, site_url=site_url, host=host, today=today, format=format):
        calendar.add_component(_component(entry))
    return calendar


# --- Serialising ---------------------------------------------------------------------------------
#
# icalendar builds a component from property objects and folds each line one
# character at a time: about a quarter of a millisecond per component, a quarter
# of a second for a 1,000-item feed on every poll. A feed's components have a
# fixed set of properties of four value types, so they are written directly,
# exactly as icalendar writes them: the same property order (its canonical order,
# then alphabetical), the same TEXT escaping (RFC 5545, 3.3.11) and the same
# folding (lines of at most 75 octets, never split inside a UTF-8 character or
# right after a backslash). Tests compare the two byte for byte on arbitrary text.

_FOLD_OCTETS = 74  # icalendar folds before a line would reach 75 octets
_FOLD = b"\r\n "


def _escape_text(value: str) -> str:
    """A TEXT value escaped (RFC 5545, 3.3.11), line breaks as "\\n"."""
    return (
        value.replace("\\N", "\n")
        .replace("\\", "\\\\")
        .replace(";", "\\;")
        .replace(",", "\\,")
        .replace("\r\n", "\\n")
        .replace("\n", "\\n")
        .replace("\r", "\\n")
    )


def _content_line(name: str, value: str) -> bytes:
    """One content line, folded, with its CRLF."""
    line = f"{name}:{value}".encode()
    if len(line) <= _FOLD_OCTETS:
        return line + b"\r\n"
    chunks = []
    start, size = 0, len(line)
    while size - start > _FOLD_OCTETS:
        end = start + _FOLD_OCTETS
        while line[end] & 0xC0 == 0x80:  # a UTF-8 continuation byte: fold before its character
            end -= 1
        if line[end - 1] in b"\\^" and end - 1 > start:
            end -= 1  # keep an escape ("\\,", "^n") on one line
        chunks.append(line[start:end])
        start = end
    chunks.append(line[start:])
    return _FOLD.join(chunks) + b"\r\n"


def _date_value(day: dt.date) -> str:
    return f"{day.year:04d}{day.month:02d}{day.day:02d}"


def _utc_value(moment: dt.datetime) -> str:
    moment = moment.astimezone(dt.timezone.utc)
    return f"{_date_value(moment)}T{moment.hour:02d}{moment.minute:02d}{moment.second:02d}Z"


def _component_ical(entry: FeedEntry) -> bytes:
    """``_component(entry).to_ical()``, written directly (see above)."""
    stamp = _utc_value(entry.stamp)
    due = _date_value(entry.due)
    if entry.format == "todo":
        lines = [
            b"BEGIN:VTODO\r\n",
            _content_line("CATEGORIES", _escape_text(entry.category)),
        ]
        if entry.completed is not None:
            lines.append(_content_line("COMPLETED", _utc_value(entry.completed)))
        lines += [
            _content_line("DESCRIPTION", _escape_text(entry.description)),
            _content_line("DTSTAMP", stamp),
            _content_line("DUE;VALUE=DATE", due),
            _content_line("LAST-MODIFIED", stamp),
        ]
        if entry.completed is not None:
            lines.append(b"PERCENT-COMPLETE:100\r\n")
        lines += [
            _content_line("SEQUENCE", str(entry.sequence)),
            _content_line("STATUS", _escape_text(entry.status)),
            _content_line("SUMMARY", _escape_text(entry.summary)),
            _content_line("UID", _escape_text(entry.uid)),
            _content_line("URL", entry.url),
            b"END:VTODO\r\n",
        ]
    else:
        lines = [
            b"BEGIN:VEVENT\r\n",
            _content_line("SUMMARY", _escape_text(entry.summary)),
            _content_line("DTSTART;VALUE=DATE", due),
            _content_line("DTEND;VALUE=DATE", _date_value(entry.due + dt.timedelta(days=1))),
            _content_line("DTSTAMP", stamp),
            _content_line("UID", _escape_text(entry.uid)),
            _content_line("SEQUENCE", str(entry.sequence)),
            _content_line("CATEGORIES", _escape_text(entry.category)),
            _content_line("DESCRIPTION", _escape_text(entry.description)),
            _content_line("LAST-MODIFIED", stamp),
            _content_line("STATUS", _escape_text(entry.status)),
            b"TRANSP:TRANSPARENT\r\n",
            _content_line("URL", entry.url),
            b"END:VEVENT\r\n",
        ]
    return b"".join(lines)


def calendar_ical(
    items: Iterable[FeedItem],
    *,
    name: str,
    site_url: str,
    host: str,
    today: dt.date,
    format: FeedFormat = "event",
) -> bytes:
    """``build_calendar(...).to_ical()``: the same bytes, written directly (see above)."""
    header = _calendar_header(name).to_ical()
    end = b"END:VCALENDAR\r\n"
    entries = feed_entries(items, site_url=site_url, host=host, today=today, format=format)
    return header[: -len(end)] + b"".join(map(_component_ical, entries)) + end


def site_host(site_url: str) -> str:
    return urlsplit(site_url).hostname or "localhost"


# --- Selectors -----------------------------------------------------------------------------------


def feed_scope_items(feed: CalendarFeed, *, today: dt.date) -> QuerySet[ActionItem]:
    """Every commitment in the feed's scope that its owner may see today, in any window."""
    owner = feed.owner
    items = access.visible_items(owner).filter(status__in=(Status.OPEN, Status.DONE, Status.CANCELLED))
    if feed.scope == Scope.MINE:
        return items.filter(access.owned_items_q(owner, today))
    if feed.scope == Scope.ROLE:
        return items.filter(responsible_role_id=feed.role_id)
    if feed.scope == Scope.BODY:
        return items.filter(body_id=feed.body_id)
    return items


def _window_q(today: dt.date) -> Q:
    first, last = feed_window(today)
    return Q(due_date__gte=first, due_date__lte=last) & (Q(status=Status.OPEN) | Q(ended_at__gte=ended_cutoff(today)))


def feed_window_items(scope_items: QuerySet[ActionItem], *, today: dt.date) -> list[FeedItem]:
    """The items of a scope that a feed shows today, by due date, in one query."""
    rows = (
        scope_items.alias(ended_at=Coalesce("completed_at", "updated_at"))
        .filter(_window_q(today))
        .order_by("due_date", "pk")
        .values_list(*FEED_ITEM_COLUMNS)
    )
    return [FeedItem(*row) for row in rows]


def feed_items(feed: CalendarFeed, *, today: dt.date) -> list[FeedItem]:
    return feed_window_items(feed_scope_items(feed, today=today), today=today)


@dataclass(frozen=True)
class FeedState:
    etag: str
    last_modified: dt.datetime


def feed_state(
    feed: CalendarFeed, scope_items: QuerySet[ActionItem], *, today: dt.date, format: FeedFormat, site_url: str
) -> FeedState:
    """ETag and Last-Modified of a feed, from one aggregate query over ``feed_scope_items``.

    The newest ``updated_at`` is taken over the scope without the date window,
    so an item moved out of the window still counts as a change; the number of
    items in the window catches an item that left the scope (reassigned, or the
    owner left the forum). Today's date is part of both, because the window
    moves at midnight.
    """
    state = scope_items.alias(ended_at=Coalesce("completed_at", "updated_at")).aggregate(
        newest=Max("updated_at"), shown=Count("pk", filter=_window_q(today))
    )
    midnight = timezone.make_aware(dt.datetime.combine(today, dt.time.min))
    newest = max(filter(None, (state["newest"], midnight)))
    fingerprint = "|".join(
        str(part)
        for part in (
            LAYOUT_VERSION, feed.pk, feed.scope, feed.role_id, feed.body_id, format, site_url, today,
            state["shown"], newest.isoformat(), get_language(),  # the owner may switch language
        )
    )
    return FeedState(etag=f'"{hashlib.blake2b(fingerprint.encode(), digest_size=16).hexdigest()}"', last_modified=newest)


def feed_for_token(token: str) -> CalendarFeed | None:
    """The live feed the token opens, or None: unknown, revoked and inactive owners look the same."""
    if not token or len(token) > tokens.MAX_TOKEN_LENGTH:
        return None
    digest = tokens.token_digest(token)
    feed = (
        CalendarFeed.objects.select_related("owner", "role", "body")
        .filter(token_hash=digest, revoked_at__isnull=True, owner__is_active=True)
        .first()
    )
    # The lookup is by hash; the constant-time comparison keeps it that way
    # should the lookup ever become a prefix or index scan.
    if feed is None or not tokens.digest_matches(feed.token_hash, digest):
        return None
    return feed


def feed_label(feed: CalendarFeed) -> str:
    """What the feed is called on the page and in the calendar client."""
    if feed.name:
        return feed.name
    if feed.scope == Scope.ROLE:
        return feed.role.name
    if feed.scope == Scope.BODY:
        return feed.body.name
    return str(feed.get_scope_display())


def calendar_name(feed: CalendarFeed) -> str:
    """The calendar's name in the client: the owner's own name for it, or what it shows."""
    return feed.name or _("Frister: %(label)s") % {"label": feed_label(feed)}


def feed_roles_for(user: AbstractBaseUser) -> QuerySet[Role]:
    """Roles a user may subscribe to: those of the forums they see, and those they hold."""
    if access.is_admin(user):
        return Role.objects.select_related("body")
    held = access.held_role_ids(access.person_for(user), access.local_today())
    return Role.objects.filter(Q(body__in=access.visible_bodies(user)) | Q(pk__in=held)).select_related("body")


def feed_bodies_for(user: AbstractBaseUser) -> QuerySet[Body]:
    return access.visible_bodies(user)


def feeds_of(user: AbstractBaseUser) -> QuerySet[CalendarFeed]:
    """The user's live feeds, newest first (the page lists only these)."""
    return CalendarFeed.objects.filter(owner=user, revoked_at__isnull=True).select_related("role", "body")


# --- Services ------------------------------------------------------------------------------------



@transaction.atomic
def calendar_feed_create(
    *,
    owner: AbstractBaseUser,
    scope: str,
    role: Role | None = None,
    body: Body | None = None,
    name: str = "",
) -> tuple[CalendarFeed, str]:
    """A new feed and its token. Only the token's hash is stored: show the token now or never."""
    if scope not in Scope.values:
        raise ValidationError({"scope": _("Vælg, hvad kalenderen skal vise.")})
    if scope == Scope.ROLE:
        if role is None:
            raise ValidationError({"role": _("Vælg en rolle.")})
        if not feed_roles_for(owner).filter(pk=role.pk).exists():
            raise ValidationError({"role": _("Du kan kun abonnere på roller i de fora, du er med i.")})
    if scope == Scope.BODY:
        if body is None:
            raise ValidationError({"body": _("Vælg et forum.")})
        if not feed_bodies_for(owner).filter(pk=body.pk).exists():
            raise ValidationError({"body": _("Du kan kun abonnere på fora, du er med i.")})
    token = tokens.new_token()
    feed = CalendarFeed.objects.create(
        owner=owner,
        scope=scope,
        role=role if scope == Scope.ROLE else None,
        body=body if scope == Scope.BODY else None,
        name=_one_line(name)[:200],
        token_hash=tokens.token_digest(token),
    )
    return feed, token


def calendar_feed_revoke(*, feed: CalendarFeed, now: dt.datetime | None = None) -> CalendarFeed:
    """The URL stops working at once; calendars subscribed to it get 404 from now on."""
    if feed.revoked_at is None:
        feed.revoked_at = now or timezone.now()
        feed.save(update_fields=["revoked_at"])
    return feed


FETCH_RECORD_INTERVAL = dt.timedelta(minutes=1)


def calendar_feed_mark_fetched(*, feed: CalendarFeed, now: dt.datetime) -> None:
    """Remember the last poll, at most once a minute: a busy feed must not turn reads into writes."""
    if feed.last_fetched_at is not None and now - feed.last_fetched_at < FETCH_RECORD_INTERVAL:
        return
    CalendarFeed.objects.filter(pk=feed.pk).filter(
        Q(last_fetched_at__isnull=True) | Q(last_fetched_at__lt=now - FETCH_RECORD_INTERVAL)
    ).update(last_fetched_at=now)
    feed.last_fetched_at = now
