"""The commitments: who must do what by when.

Rows here change only through ``tracker.services``; each change writes an
ActionItemEvent and re-plans the item's reminders in the same transaction.
"""
from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from minutes.models import AgendaItem, Body


class Person(models.Model):
    name = models.CharField(_("navn"), max_length=200)
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
        related_name="person", verbose_name=_("login"),
    )
    email = models.EmailField(_("e-mail"), blank=True)
    aliases = models.JSONField(
        _("andre navne"), default=list, blank=True, help_text=_("Fx fornavn eller initialer, som i referaterne.")
    )
    is_active = models.BooleanField(_("aktiv"), default=True)
    language = models.CharField(
        _("sprog"), max_length=8, choices=settings.LANGUAGES, default="da",
        help_text=_("Sproget i brugerfladen, e-mails og kalenderen; sættes, når personen skifter sprog."),
    )
    bodies = models.ManyToManyField(Body, through="Membership", related_name="people", verbose_name=_("fora"))

    class Meta:
        ordering = ["name"]
        verbose_name = _("person")
        verbose_name_plural = _("personer")
        indexes = [models.Index(fields=["name"], name="tracker_person_name_idx")]

    def __str__(self) -> str:
        return self.name


class Membership(models.Model):
    """A person's place in a forum; secretaries run its minutes and follow-ups."""

    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="memberships", verbose_name=_("person"))
    body = models.ForeignKey(Body, on_delete=models.CASCADE, related_name="memberships", verbose_name=_("forum"))
    is_secretary = models.BooleanField(_("sekretær"), default=False)

    class Meta:
        verbose_name = _("medlemskab")
        verbose_name_plural = _("medlemskaber")
        constraints = [models.UniqueConstraint(fields=["person", "body"], name="tracker_membership_once")]

    def __str__(self) -> str:
        return f"{self.person} i {self.body}"


class Role(models.Model):
    """A position that outlives its holder: "Kommunaldirektør", "Chef for Økonomi & Stab"."""

    name = models.CharField(_("navn"), max_length=200, unique=True)
    aliases = models.JSONField(
        _("andre navne"), default=list, blank=True,
        help_text=_("Former rollen optræder under i referater, fx “Kommunaldirektøren”, “ØDC”."),
    )
    body = models.ForeignKey(
        Body, on_delete=models.SET_NULL, null=True, blank=True, related_name="roles", verbose_name=_("forum"),
        help_text=_("Forummet rollen hører til; tom for roller på tværs af fora."),
    )
    is_chef = models.BooleanField(
        _("cheffrolle"), default=False, help_text=_("Omfattes af “cheferne” i forummets referater.")
    )
    is_shared = models.BooleanField(
        _("delt rolle"), default=False, help_text=_("Kan have flere indehavere på samme tid.")
    )

    class Meta:
        ordering = ["name"]
        verbose_name = _("rolle")
        verbose_name_plural = _("roller")

    def __str__(self) -> str:
        return self.name


class RoleAssignment(models.Model):
    """Who holds which role, from when to when (``ends_on`` exclusive; open-ended when empty).

    ``shared`` copies the role's flag when the assignment is made, because the
    database constraint that keeps a non-shared role to one holder at a time
    (an exclusion constraint on PostgreSQL, see migration 0002) can only look
    at this row.
    """

    role = models.ForeignKey(Role, on_delete=models.CASCADE, related_name="assignments", verbose_name=_("rolle"))
    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="role_assignments", verbose_name=_("person"))
    starts_on = models.DateField(_("fra"))
    ends_on = models.DateField(_("til (ikke inklusive)"), null=True, blank=True)
    shared = models.BooleanField(_("delt"), default=False, editable=False)

    class Meta:
        ordering = ["role", "-starts_on"]
        verbose_name = _("rollebesættelse")
        verbose_name_plural = _("rollebesættelser")
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_on__isnull=True) | Q(ends_on__gt=F("starts_on")),
                name="tracker_roleassignment_ends_after_start",
            ),
        ]
        indexes = [models.Index(fields=["person", "starts_on", "ends_on"], name="tracker_roleassign_person_idx")]

    def __str__(self) -> str:
        return f"{self.person} · {self.role}"


class ActionItem(models.Model):
    """A follow-up: someone must do something, usually by a date."""

    class Status(models.TextChoices):
        PROPOSED = "proposed", _("Foreslået")
        OPEN = "open", _("Åben")
        DONE = "done", _("Udført")
        CANCELLED = "cancelled", _("Annulleret")
        REJECTED = "rejected", _("Afvist")

    class Precision(models.TextChoices):
        DAY = "day", _("Dag")
        WEEK = "week", _("Uge")
        MONTH = "month", _("Måned")
        MONTH_PART = "month_part", _("Del af måned")
        QUARTER = "quarter", _("Kvartal")
        SEASON = "season", _("Årstid")
        YEAR = "year", _("År")
        RELATIVE = "relative", _("Relativ")
        NONE = "none", _("Uden dato")

    title = models.CharField(_("opfølgning"), max_length=500)
    body = models.ForeignKey(Body, on_delete=models.PROTECT, related_name="action_items", verbose_name=_("forum"))
    source_item = models.ForeignKey(
        AgendaItem, on_delete=models.SET_NULL, null=True, blank=True, related_name="action_items",
        verbose_name=_("dagsordenspunkt"),
    )
    quote = models.TextField(_("citat"), blank=True)
    quote_start = models.PositiveIntegerField(_("citatets start"), null=True, blank=True)
    quote_end = models.PositiveIntegerField(_("citatets slut"), null=True, blank=True)
    section = models.CharField(_("afsnit"), max_length=60, blank=True)
    due_date = models.DateField(_("frist"), null=True, blank=True)
    window_start = models.DateField(_("tidsrummets start"), null=True, blank=True)
    precision = models.CharField(_("præcision"), max_length=12, choices=Precision.choices, default=Precision.NONE)
    warnings = models.JSONField(_("advarsler"), default=list, blank=True)
    responsible_role = models.ForeignKey(
        Role, on_delete=models.PROTECT, null=True, blank=True, related_name="action_items",
        verbose_name=_("ansvarlig rolle"),
    )
    responsible_person = models.ForeignKey(
        Person, on_delete=models.PROTECT, null=True, blank=True, related_name="action_items",
        verbose_name=_("ansvarlig person"),
    )
    responsible_text = models.CharField(_("ansvarlig (som skrevet)"), max_length=200, blank=True)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.PROPOSED)
    edited = models.BooleanField(
        _("redigeret i hånden"), default=False, help_text=_("Bevares, når referatet importeres igen.")
    )
    source_missing = models.BooleanField(
        _("kilden er forsvundet"), default=False,
        help_text=_("Sætningen findes ikke længere i den seneste version af referatet."),
    )
    version = models.PositiveIntegerField(_("version"), default=1)
    completed_at = models.DateTimeField(_("udført"), null=True, blank=True)
    created_at = models.DateTimeField(_("oprettet"), auto_now_add=True)
    updated_at = models.DateTimeField(_("ændret"), auto_now=True)

    class Meta:
        ordering = [F("due_date").asc(nulls_last=True), "pk"]
        verbose_name = _("opfølgning")
        verbose_name_plural = _("opfølgninger")
        constraints = [
            models.CheckConstraint(
                condition=Q(window_start__isnull=True) | Q(due_date__isnull=True) | Q(window_start__lte=F("due_date")),
                name="tracker_actionitem_window_ordered",
            ),
            models.CheckConstraint(
                condition=Q(quote_start__isnull=True) | Q(quote_end__isnull=True) | Q(quote_start__lte=F("quote_end")),
                name="tracker_actionitem_quote_span_ordered",
            ),
            models.CheckConstraint(
                condition=Q(status__in=["proposed", "open", "done", "cancelled", "rejected"]),
                name="tracker_actionitem_status_valid",
            ),
        ]
        indexes = [
            # "Mine opgaver" and reminder planning: open items of a person or a role by due date.
            models.Index(
                fields=["responsible_person", "due_date"], condition=Q(status="open"), name="tracker_ai_open_person_idx"
            ),
            models.Index(
                fields=["responsible_role", "due_date"], condition=Q(status="open"), name="tracker_ai_open_role_idx"
            ),
            # The filtered list and the forum overview: a forum's items by status and due date.
            models.Index(fields=["body", "status", "due_date"], name="tracker_ai_body_status_idx"),
            # Feeds: the newest change in scope drives ETag / Last-Modified.
            models.Index(fields=["body", "updated_at"], name="tracker_ai_body_updated_idx"),
            # "Alle opfølgninger" across forums (the menu link, ?status=open, by deadline) and the
            # overdue filter: the page and its count read this index alone (bench/views_bench.py).
            models.Index(fields=["due_date", "id"], condition=Q(status="open"), name="tracker_ai_open_due_idx"),
        ]

    def __str__(self) -> str:
        return self.title


    @property
    def is_closed_source(self) -> bool:
        """True when the item comes from a confidential ("Lukket") agenda item."""
        return bool(self.source_item_id and self.source_item.closed)


class ActionItemEvent(models.Model):
    """One line of an item's history, written by the services."""

    class Kind(models.TextChoices):
        PROPOSED = "proposed", _("Foreslået")
        CREATED = "created", _("Oprettet")
        CONFIRMED = "confirmed", _("Bekræftet")
        EDITED = "edited", _("Redigeret")
        DUE_CHANGED = "due_changed", _("Frist ændret")
        REASSIGNED = "reassigned", _("Ny ansvarlig")
        COMPLETED = "completed", _("Udført")
        REOPENED = "reopened", _("Genåbnet")
        REJECTED = "rejected", _("Afvist")
        CANCELLED = "cancelled", _("Annulleret")
        COMMENTED = "commented", _("Kommentar")
        HANDOVER = "handover", _("Rolleoverdragelse")
        SOURCE_MISSING = "source_missing", _("Kilden forsvundet")

    item = models.ForeignKey(ActionItem, on_delete=models.CASCADE, related_name="events", verbose_name=_("opfølgning"))
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+",
        verbose_name=_("af"),
    )
    kind = models.CharField(_("hændelse"), max_length=16, choices=Kind.choices)
    changes = models.JSONField(_("ændringer"), default=dict, blank=True, help_text=_("felt → [før, efter]"))
    comment = models.TextField(_("kommentar"), blank=True)
    created_at = models.DateTimeField(_("tidspunkt"), auto_now_add=True, db_index=True)

    class Meta:
        ordering = ["created_at", "pk"]
        verbose_name = _("hændelse")
        verbose_name_plural = _("historik")
        indexes = [models.Index(fields=["item", "created_at"], name="tracker_event_item_idx")]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} · {self.item_id}"


class Reminder(models.Model):
    """An outbox row: one e-mail to one person about one item (or a digest), due at a time.

    Rows are planned by the services when an item changes; the sweep only sends
    what is due, so nothing is lost while the broker or a worker is down.
    """

    class Kind(models.TextChoices):
        BEFORE = "before", _("Før fristen")
        DUE = "due", _("På dagen")
        OVERDUE = "overdue", _("Overskredet")
        WINDOW_START = "window_start", _("Tidsrummet begynder")
        WINDOW_END = "window_end", _("Tidsrummet slutter snart")
        DIGEST = "digest", _("Ugeoversigt")
        ASSIGNED = "assigned", _("Nye opfølgninger")

    class Status(models.TextChoices):
        PENDING = "pending", _("Afventer")
        SENT = "sent", _("Sendt")
        CANCELLED = "cancelled", _("Annulleret")
        FAILED = "failed", _("Fejlet")

    item = models.ForeignKey(
        ActionItem, on_delete=models.CASCADE, null=True, blank=True, related_name="reminders",
        verbose_name=_("opfølgning"),
    )
    recipient = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="reminders", verbose_name=_("modtager"))
    kind = models.CharField(_("slags"), max_length=16, choices=Kind.choices)
    send_on = models.DateField(_("afsendelsesdag"))
    due_at = models.DateTimeField(_("sendes"))
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.PENDING)
    payload = models.JSONField(_("indhold"), default=dict, blank=True)
    attempts = models.PositiveSmallIntegerField(_("forsøg"), default=0)
    last_error = models.TextField(_("seneste fejl"), blank=True)
    sent_at = models.DateTimeField(_("sendt"), null=True, blank=True)
    created_at = models.DateTimeField(_("oprettet"), auto_now_add=True)

    class Meta:
        ordering = ["due_at", "pk"]
        verbose_name = _("påmindelse")
        verbose_name_plural = _("påmindelser")
        constraints = [
            models.UniqueConstraint(
                fields=["item", "recipient", "kind", "send_on"], name="tracker_reminder_once_per_day"
            ),
            # Digests and other mails not tied to one item: once per person, kind and day.
            models.UniqueConstraint(
                fields=["recipient", "kind", "send_on"], condition=Q(item__isnull=True),
                name="tracker_reminder_digest_once_per_day",
            ),
        ]
        indexes = [
            # Used by the sweep: the pending rows that are due.
            models.Index(fields=["due_at"], condition=Q(status="pending"), name="tracker_reminder_due_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} → {self.recipient} ({self.send_on})"


class CalendarFeed(models.Model):
    """A revocable secret URL for an iCalendar subscription. Only a hash of the secret is stored."""

    class Scope(models.TextChoices):
        MINE = "mine", _("Mine opgaver")
        ROLE = "role", _("En rolle")
        BODY = "body", _("Et forum")
        ALL = "all", _("Alt jeg kan se")

    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="calendar_feeds", verbose_name=_("ejer")
    )
    name = models.CharField(_("navn"), max_length=200, blank=True)
    scope = models.CharField(_("omfang"), max_length=8, choices=Scope.choices, default=Scope.MINE)
    role = models.ForeignKey(Role, on_delete=models.CASCADE, null=True, blank=True, verbose_name=_("rolle"))
    body = models.ForeignKey(Body, on_delete=models.CASCADE, null=True, blank=True, verbose_name=_("forum"))
    token_hash = models.CharField(_("hash af nøglen"), max_length=64, editable=False)
    created_at = models.DateTimeField(_("oprettet"), auto_now_add=True)
    revoked_at = models.DateTimeField(_("tilbagekaldt"), null=True, blank=True)
    last_fetched_at = models.DateTimeField(_("senest hentet"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("kalenderabonnement")
        verbose_name_plural = _("kalenderabonnementer")
        constraints = [
            models.UniqueConstraint(fields=["token_hash"], name="tracker_calendarfeed_token_unique"),
            models.CheckConstraint(
                condition=(
                    Q(scope="role", role__isnull=False, body__isnull=True)
                    | Q(scope="body", body__isnull=False, role__isnull=True)
                    | Q(scope__in=["mine", "all"], role__isnull=True, body__isnull=True)
                ),
                name="tracker_calendarfeed_scope_target",
            ),
        ]

    def __str__(self) -> str:
        return self.name or self.get_scope_display()



class ActionItemLink(models.Model):
    """A follow-up discussed again at a later meeting of its forum.

    Found by the importer when the later minutes arrive: the same case number
    on an agenda item, the meeting the follow-up was scheduled for ("På
    Chefforum den 3 februar …"), or the meeting after a postponed item. The
    secretary then closes the follow-up, moves its deadline, or keeps it as it
    is; the link remembers that answer, so a re-import does not ask again.
    """

    class Reason(models.TextChoices):
        CASE_NUMBER = "case_number", _("Samme sagsnummer")
        SCHEDULED = "scheduled", _("Planlagt til mødet")
        POSTPONED = "postponed", _("Udskudt til mødet")

    class Proposal(models.TextChoices):
        CLOSE = "close", _("Afslut")
        UPDATE = "update", _("Ret frist")

    class Status(models.TextChoices):
        PROPOSED = "proposed", _("Foreslået")
        ACCEPTED = "accepted", _("Godkendt")
        DISMISSED = "dismissed", _("Beholdt")

    item = models.ForeignKey(ActionItem, on_delete=models.CASCADE, related_name="links", verbose_name=_("opfølgning"))
    meeting = models.ForeignKey(
        "minutes.Meeting", on_delete=models.CASCADE, related_name="action_item_links", verbose_name=_("møde"),
    )
    agenda_item = models.ForeignKey(
        AgendaItem, on_delete=models.SET_NULL, null=True, blank=True, related_name="action_item_links",
        verbose_name=_("dagsordenspunkt"),
    )
    reason = models.CharField(_("grund"), max_length=12, choices=Reason.choices)
    proposal = models.CharField(_("forslag"), max_length=8, choices=Proposal.choices)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.PROPOSED)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+",
        verbose_name=_("behandlet af"),
    )
    decided_at = models.DateTimeField(_("behandlet"), null=True, blank=True)
    created_at = models.DateTimeField(_("oprettet"), auto_now_add=True)

    class Meta:
        ordering = ["meeting", "pk"]
        verbose_name = _("opfølgning på senere møde")
        verbose_name_plural = _("opfølgninger på senere møder")
        constraints = [
            # One question per follow-up and later meeting, however often its minutes are imported.
            models.UniqueConstraint(fields=["item", "meeting"], name="tracker_actionitemlink_once_per_meeting"),
        ]

    def __str__(self) -> str:
        return f"{self.item} → {self.meeting}"
