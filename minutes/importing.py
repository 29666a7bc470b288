"""Importing minutes: one file in, one meeting with its agenda and proposed follow-ups out.

Used by ``manage.py import_minutes``, the upload page and the demo data; there
is no other way minutes enter the database.

Per file:

1. The file's SHA-256 is looked up first: the same file again changes nothing
   and says so ("allerede importeret").
2. The parser turns the bytes into text, meeting header, agenda items and
   follow-up candidates. Anything it cannot read is refused with its Danish
   message, before the database is touched.
3. The forum comes from the header (name, short name, abbreviation or an
   alias of a Body) unless the caller names it; an unknown forum is an error,
   never a new forum.
4. In one transaction: the meeting (the same forum and date is the same
   meeting, so a corrected file updates it in place), its agenda items and
   attachments, and the follow-ups:

   - an existing action item whose sentence is still there (same agenda item
     and quote, or the same quote elsewhere after renumbering, or its quote
     found in the new text) is kept exactly as the secretary left it
     (confirmed, edited, rejected); only its position in the text follows
     the new version;
   - an existing proposal or open item whose sentence is gone is flagged
     (``source_missing``) through the tracker services, never deleted;
   - every other candidate becomes a new proposal with its responsible text
     resolved to a role or person where that is certain (``tracker.resolution``).

5. In the same transaction, the forum's earlier open follow-ups that this
   meeting discussed again (same case number, scheduled for this meeting, or
   waiting for the next meeting) are linked to it for the secretary's review,
   and a postponed or withdrawn item becomes a proposal to treat it at the
   next meeting (``tracker.links``). Minutes imported out of order re-link
   the meeting after them too.

   If anything fails, the transaction is rolled back and the stored file is
   removed again: a failed import leaves no trace.
"""
from __future__ import annotations

import hashlib
import logging
import os
import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from minutes.models import AgendaItem, Attachment, Body, Meeting
from minutes.parsing import FollowUp, ParsedItem, ParsedMinutes, ParseError, parse_bytes
from tracker import access
from tracker.links import meeting_link_followups
from tracker.localdates import format_date
from tracker.models import ActionItem
from tracker.resolution import ResponsibleResolver
from tracker.services import Proposal, action_item_flag_source_missing, action_items_propose

logger = logging.getLogger(__name__)

ALLOWED_EXTENSIONS = (".txt", ".md", ".docx", ".pdf")
# Items whose vanished sentence is worth telling the secretary about; done, rejected
# and cancelled items are history and stay as they are.
_FLAGGED_STATUSES = (ActionItem.Status.PROPOSED, ActionItem.Status.OPEN)
_TITLE_LENGTH = 160


class ImportFailed(Exception):
    """A file that could not be imported; ``message`` is Danish and meant for the user."""

    FORBIDDEN = "forbidden"
    UNKNOWN_BODY = "unknown_body"
    NO_DATE = "no_date"
    CONFLICT = "conflict"
    UNEXPECTED = "unexpected"

    def __init__(self, code: str, message: str) -> None:
        super().__init__(message)
        self.code = code
        self.message = message


class Status:
    CREATED = "created"
    UPDATED = "updated"
    UNCHANGED = "unchanged"
    FAILED = "failed"


@dataclass
class ImportResult:
    filename: str
    status: str
    message: str
    meeting: Meeting | None = None
    proposed: int = 0  # new proposals
    kept: int = 0  # existing follow-ups found again in the new version
    flagged: int = 0  # existing follow-ups whose sentence is gone
    linked: int = 0  # earlier follow-ups this meeting discussed again
    error_code: str = ""
    new_items: list[ActionItem] = field(default_factory=list, repr=False)

    @property
    def ok(self) -> bool:
        return self.status != Status.FAILED

    def as_dict(self) -> dict[str, Any]:
        return {
            "filename": self.filename, "status": self.status, "ok": self.ok, "message": self.message,
            "meeting": self.meeting.pk if self.meeting else None, "proposed": self.proposed, "kept": self.kept,
            "flagged": self.flagged, "linked": self.linked, "error": self.error_code,
        }


# -- finding the forum ---------------------------------------------------------------------------


def _name_key(value: str) -> str:
    return " ".join(value.replace("\u00a0", " ").split()).casefold()


def body_for_name(name: str | None, bodies: Iterable[Body] | None = None) -> Body | None:
    """The forum a header names: by name, short name, abbreviation or alias, ignoring case."""
    if not name or not name.strip():
        return None
    key = _name_key(name)
    for body in Body.objects.all() if bodies is None else bodies:
        aliases = body.aliases if isinstance(body.aliases, list) else [body.aliases]
        names = [body.name, body.slug, body.abbreviation, *aliases]
        if any(isinstance(n, str) and n and _name_key(n) == key for n in names):
            return body
    return None


def body_from_option(value: str) -> Body:
    """``--body`` on the command line: the same names the header may use, or the id."""
    body = body_for_name(value)
    if body is None and value.isdigit():
        body = Body.objects.filter(pk=int(value)).first()
    if body is None:
        raise ImportFailed(ImportFailed.UNKNOWN_BODY, _("Forummet “%(name)s” findes ikke.") % {"name": value})
    return body


# -- the service ---------------------------------------------------------------------------------


def import_minutes(
    *, data: bytes, filename: str, body: Body | None = None, by: AbstractBaseUser | None = None
) -> ImportResult:
    """Import one file; raises ImportFailed (with a Danish message) and then nothing has changed.

    ``body`` overrides the forum named in the header. ``by`` is the user doing
    it: they must be a secretary of the forum (``None`` is the system, e.g. the
    command line).
    """
    filename = os.path.basename(filename.replace("\\", "/"))[:255] or "referat"
    limit = settings.MINUTES_MAX_UPLOAD_BYTES
    if len(data) > limit:
        raise ImportFailed(
            ParseError.TOO_LARGE,
            _("Filen er for stor (%(size)s MB); grænsen er %(limit)s MB.")
            % {"size": round(len(data) / 1024 / 1024), "limit": limit // 1024 // 1024},
        )
    sha256 = hashlib.sha256(data).hexdigest()
    same = Meeting.objects.select_related("body").filter(source_sha256=sha256).first()
    if same is not None:
        return _unchanged(filename, same, by)

    try:
        parsed = parse_bytes(data, filename)
    except ParseError as error:
        raise ImportFailed(error.code, error.message_da) from error
    info = parsed.meeting
    if body is None:
        body = body_for_name(info.body)
        if body is None:
            raise ImportFailed(
                ImportFailed.UNKNOWN_BODY,
                _("Forummet “%(name)s” fra referatets overskrift findes ikke her. Vælg forummet ved importen, "
                  "eller bed en administrator oprette det.") % {"name": info.body}
                if info.body else
                _("Referatet nævner ikke, hvilket forum det er fra. Vælg forummet ved importen."),
            )
    if by is not None and not access.is_secretary(by, body):
        raise ImportFailed(
            ImportFailed.FORBIDDEN, _("Du er ikke sekretær for %(body)s og kan ikke importere dets referater.")
            % {"body": body},
        )
    if info.date is None:
        raise ImportFailed(
            ImportFailed.NO_DATE, _("Referatet har ingen mødedato i overskriften, så det kan ikke knyttes til et møde.")
        )

    stored_name = ""
    try:
        with transaction.atomic():
            meeting = Meeting.objects.select_for_update().filter(body=body, date=info.date).first()
            created = meeting is None
            if created:
                meeting = Meeting(body=body, date=info.date)
            old_file = meeting.source_file.name if meeting.source_file else ""
            stored_name = _store_file(meeting, body, data, filename, sha256)
            _fill_meeting(meeting, parsed, filename, sha256)
            meeting.save()
            agenda = _sync_agenda(meeting, parsed.items, created=created)
            result = _sync_followups(meeting, parsed, agenda, by=by, created=created)
            _link_meetings(meeting, result, by=by)
            if old_file and old_file != stored_name:
                transaction.on_commit(lambda: default_storage.delete(old_file))
    except IntegrityError as error:
        _discard(stored_name)
        same = Meeting.objects.select_related("body").filter(source_sha256=sha256).first()
        if same is not None:  # the same file, imported by somebody else a moment ago
            return _unchanged(filename, same, by)
        raise ImportFailed(
            ImportFailed.CONFLICT,
            _("Mødet blev ændret af en anden import samtidig. Prøv igen."),
        ) from error
    except BaseException:
        _discard(stored_name)
        raise

    result.filename = filename
    result.meeting = meeting
    result.status = Status.CREATED if created else Status.UPDATED
    result.message = _summary(result, created)
    return result


def import_file(
    *, data: bytes, filename: str, body: Body | None = None, by: AbstractBaseUser | None = None
) -> ImportResult:
    """``import_minutes`` for a batch: a failure becomes a failed result instead of an exception."""
    try:
        return import_minutes(data=data, filename=filename, body=body, by=by)
    except ImportFailed as error:
        return ImportResult(filename=filename, status=Status.FAILED, message=error.message, error_code=error.code)
    except Exception:
        logger.exception("Import of %s failed", filename)
        return ImportResult(
            filename=filename, status=Status.FAILED, error_code=ImportFailed.UNEXPECTED,
            message=_("Importen mislykkedes på grund af en uventet fejl, og intet er ændret. "
                      "Prøv igen, eller kontakt en administrator."),
        )


def _unchanged(filename: str, meeting: Meeting, by: AbstractBaseUser | None) -> ImportResult:
    if by is not None and not access.is_secretary(by, meeting.body_id):
        raise ImportFailed(
            ImportFailed.FORBIDDEN, _("Du er ikke sekretær for %(body)s og kan ikke importere dets referater.")
            % {"body": meeting.body},
        )
    return ImportResult(
        filename=filename, status=Status.UNCHANGED, meeting=meeting,
        message=_("Allerede importeret som %(meeting)s; intet er ændret.") % {"meeting": meeting_label(meeting)},
    )


def meeting_label(meeting: Meeting) -> str:
    return f"{meeting.body.name} {format_date(meeting.date)}"


def _summary(result: ImportResult, created: bool) -> str:
    parts = [ngettext("%(n)d forslag til opfølgning", "%(n)d forslag til opfølgning", result.proposed)
             % {"n": result.proposed}]
    if not created:
        parts[0] = ngettext("%(n)d nyt forslag", "%(n)d nye forslag", result.proposed) % {"n": result.proposed}
        parts.append(ngettext("%(n)d opfølgning bevaret", "%(n)d opfølgninger bevaret", result.kept)
                     % {"n": result.kept})
        if result.flagged:
            parts.append(ngettext("%(n)d sætning er forsvundet", "%(n)d sætninger er forsvundet", result.flagged)
                         % {"n": result.flagged})
    if result.linked:
        parts.append(ngettext(
            "%(n)d opfølgning fra tidligere møder drøftet igen",
            "%(n)d opfølgninger fra tidligere møder drøftet igen", result.linked,
        ) % {"n": result.linked})
    label = meeting_label(result.meeting)
    if created:
        return _("Importeret: %(meeting)s – %(details)s.") % {"meeting": label, "details": ", ".join(parts)}
    return _("Opdateret: %(meeting)s – %(details)s.") % {"meeting": label, "details": ", ".join(parts)}


# -- the steps -----------------------------------------------------------------------------------


def _store_file(meeting: Meeting, body: Body, data: bytes, filename: str, sha256: str) -> str:
    """Keep the original file under a name of our own (the uploaded name is only shown, never used as a path)."""
    extension = os.path.splitext(filename)[1].lower()
    if extension not in ALLOWED_EXTENSIONS:
        extension = ".bin"
    name = f"{body.slug}-{meeting.date:%Y-%m-%d}-{sha256[:12]}{extension}"
    meeting.source_file.save(name, ContentFile(data), save=False)
    return meeting.source_file.name


def _discard(stored_name: str) -> None:
    if stored_name:
        try:
            default_storage.delete(stored_name)
        except OSError:
            logger.warning("Could not remove %s after a failed import", stored_name)


def _fill_meeting(meeting: Meeting, parsed: ParsedMinutes, filename: str, sha256: str) -> None:
    info = parsed.meeting
    meeting.start_time = info.start_time
    meeting.location = (info.location or "")[:200]
    meeting.participants = list(info.participants)
    meeting.text = parsed.text
    meeting.source_sha256 = sha256
    meeting.source_name = filename
    meeting.source_format = parsed.format if parsed.format in Meeting.SourceFormat.values else ""


def _time_slot(slot: Any) -> str:
    if not slot:
        return ""
    start, end = slot
    return f"{start:%H.%M}-{end:%H.%M}"


def _sync_agenda(meeting: Meeting, items: Sequence[ParsedItem], *, created: bool) -> dict[int, AgendaItem]:
    """Agenda items by number, updated in place; attachments replaced.

    An item that is no longer in the file is deleted unless follow-ups point at
    it: those keep their agenda item (and their history of where they came from).
    Written in bulk: an import is a handful of queries, not one per item.
    """
    existing = {} if created else {a.number: a for a in meeting.agenda_items.all()}
    if existing:
        Attachment.objects.filter(agenda_item__meeting=meeting).delete()
    outcomes = set(AgendaItem.Outcome.values)
    fields = ["title", "time_slot", "case_number", "closed", "outcome", "sections", "text_start", "text_end"]
    new: list[AgendaItem] = []
    changed: list[AgendaItem] = []
    titles: dict[int, tuple[str, ...]] = {}
    for parsed in items:
        agenda_item = existing.pop(parsed.number, None)
        if agenda_item is None:
            agenda_item = AgendaItem(meeting=meeting, number=parsed.number)
            new.append(agenda_item)
        else:
            changed.append(agenda_item)
        agenda_item.title = (parsed.title or "")[:500]
        agenda_item.time_slot = _time_slot(parsed.time_slot)[:40]
        agenda_item.case_number = (parsed.case_number or "")[:60]
        agenda_item.closed = bool(parsed.closed)
        agenda_item.outcome = parsed.outcome if parsed.outcome in outcomes else AgendaItem.Outcome.NONE
        agenda_item.sections = dict(parsed.sections)
        agenda_item.text_start, agenda_item.text_end = parsed.start, parsed.end
        titles[parsed.number] = tuple(parsed.attachments)
    for gone in existing.values():
        if gone.action_items.exists():
            gone.text_start = gone.text_end = None
            changed.append(gone)
        else:
            gone.delete()
    if changed:
        AgendaItem.objects.bulk_update(changed, fields)
    AgendaItem.objects.bulk_create(new)
    result = {a.number: a for a in [*changed, *new]}
    Attachment.objects.bulk_create(
        Attachment(agenda_item=result[number], title=title[:500], position=position)
        for number, attachment_titles in titles.items()
        for position, title in enumerate(attachment_titles)
    )
    return result


def same_quote(a: str, b: str) -> bool:
    """Quotes are the same sentence when they differ only in line breaks and spacing."""
    return a.split() == b.split()


def locate_quote(text: str, quote: str, *, near: int | None = None, within: tuple[int, int] | None = None
                 ) -> tuple[int, int] | None:
    """Where a quote is in ``text``, tolerating reflowed whitespace; the occurrence nearest ``near`` wins,
    preferring one inside ``within`` (the agenda item's span)."""
    words = quote.split()
    if not words:
        return None
    pattern = re.compile(r"\s+".join(re.escape(w) for w in words))
    found = [(m.start(), m.end()) for m in pattern.finditer(text)]
    if not found:
        return None
    if within is not None:
        inside = [s for s in found if within[0] <= s[0] and s[1] <= within[1]]
        found = inside or found
    anchor = near if near is not None else 0
    return min(found, key=lambda s: abs(s[0] - anchor))


def proposal_title(quote: str) -> str:
    """A short title from the sentence: the sentence itself, without list markers, capitalised."""
    text = " ".join(quote.split())
    text = re.sub(r"^(?:[-–•*▪·]\s*|\d{1,2}[.)]\s+|[a-zæøå][.)]\s+)", "", text)
    text = re.sub(r"^(?:at|og|samt)\s+", "", text, flags=re.IGNORECASE)
    text = text.rstrip(" ,;:")
    if len(text) > _TITLE_LENGTH:
        cut = text[:_TITLE_LENGTH].rsplit(" ", 1)[0]
        text = cut.rstrip(" ,;:") + " …"
    return text[:1].upper() + text[1:] if text else _("Opfølgning")


def _agenda_item_at(agenda: dict[int, AgendaItem], position: int) -> AgendaItem | None:
    for agenda_item in agenda.values():
        if agenda_item.text_start is not None and agenda_item.text_start <= position < (agenda_item.text_end or 0):
            return agenda_item
    return None


def _sync_followups(
    meeting: Meeting, parsed: ParsedMinutes, agenda: dict[int, AgendaItem], *, by: AbstractBaseUser | None,
    created: bool = False,
) -> ImportResult:
    result = ImportResult(filename="", status="", message="")
    text = parsed.text
    candidates = list(parsed.followups)
    taken: set[int] = set()

    def take(match: Callable[[FollowUp], bool]) -> FollowUp | None:
        for index, candidate in enumerate(candidates):
            if index not in taken and match(candidate):
                taken.add(index)
                return candidate
        return None

    kept_spans: list[tuple[int, int]] = []
    existing = [] if created else (
        ActionItem.objects.filter(source_item__meeting=meeting).exclude(quote="")
        .select_related("source_item").order_by("pk")
    )
    for item in existing:
        number = item.source_item.number
        found = take(lambda c: c.item == number and same_quote(c.quote, item.quote)) or take(
            lambda c: same_quote(c.quote, item.quote)
        )
        if found is not None:
            span = (found.start, found.end)
            target = agenda.get(found.item) or _agenda_item_at(agenda, found.start)
        else:
            within = None
            current = agenda.get(number)
            if current is not None and current.text_start is not None:
                within = (current.text_start, current.text_end)
            span = locate_quote(text, item.quote, near=item.quote_start, within=within)
            target = _agenda_item_at(agenda, span[0]) if span else None
        if span is None:
            if item.status in _FLAGGED_STATUSES and not item.source_missing:
                action_item_flag_source_missing(item=item, missing=True, by=by)
                result.flagged += 1
            continue
        _follow_the_text(item, text, span, target or item.source_item)
        if item.source_missing:
            action_item_flag_source_missing(item=item, missing=False, by=by)
        kept_spans.append(span)
        result.kept += 1

    resolver = ResponsibleResolver.for_meeting(body=meeting.body, participants=meeting.participants)
    proposals = []
    for index, candidate in enumerate(candidates):
        if index in taken or any(candidate.start < end and start < candidate.end for start, end in kept_spans):
            continue
        source_item = agenda.get(candidate.item) if candidate.item is not None else None
        source_item = source_item or _agenda_item_at(agenda, candidate.start)
        if source_item is None:
            logger.warning("Follow-up outside any agenda item skipped: %r", candidate.quote[:80])
            continue
        proposals.append(_proposal(meeting, source_item, candidate, resolver))
    if proposals:
        result.new_items.extend(action_items_propose(proposals, by=by))
        result.proposed += len(proposals)
    return result


def _link_meetings(meeting: Meeting, result: ImportResult, *, by: AbstractBaseUser | None) -> None:
    links = meeting_link_followups(meeting=meeting, by=by)
    result.linked = len(links.linked)
    result.proposed += len(links.next_meeting)
    result.new_items.extend(links.next_meeting)
    following = Meeting.objects.filter(body_id=meeting.body_id, date__gt=meeting.date).order_by("date").first()
    if following is not None:
        # This meeting arrived after the one that followed it: the earlier follow-ups it may
        # have discussed, and those waiting for "the next meeting", are now seen from here.
        meeting_link_followups(meeting=following, by=by)


def _follow_the_text(item: ActionItem, text: str, span: tuple[int, int], agenda_item: AgendaItem) -> None:
    """Move an item's quote to where its sentence now is.

    Only where the sentence lies changes, not what the item says, so this is
    not an edit in the item's history and does not count as one.
    """
    start, end = span
    quote = text[start:end]
    if (item.quote_start, item.quote_end, item.quote, item.source_item_id) == (start, end, quote, agenda_item.pk):
        return
    ActionItem.objects.filter(pk=item.pk).update(
        quote_start=start, quote_end=end, quote=quote, source_item=agenda_item
    )


def _proposal(
    meeting: Meeting, source_item: AgendaItem, candidate: FollowUp, resolver: ResponsibleResolver
) -> Proposal:
    due = candidate.due
    window_start = candidate.window_start or due
    precision = candidate.precision if candidate.precision in ActionItem.Precision.values else ActionItem.Precision.NONE
    if due is None:
        window_start = None
        if precision != ActionItem.Precision.RELATIVE:
            precision = ActionItem.Precision.NONE
    if window_start and due and window_start > due:
        window_start = due
    resolution = resolver.resolve(candidate.responsible)
    return Proposal(
        body=meeting.body,
        title=proposal_title(candidate.quote),
        source_item=source_item,
        quote=candidate.quote,
        quote_start=candidate.start,
        quote_end=candidate.end,
        section=(candidate.section or "")[:60],
        window_start=window_start,
        due_date=due,
        precision=precision,
        responsible_text=resolution.text,
        responsible_role=resolution.role,
        responsible_person=resolution.person,
        warnings=tuple(candidate.warnings or ()),
    )
