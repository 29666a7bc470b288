"""The documents: what was said at a meeting.

A Meeting keeps its source file and the decoded text; agenda items keep the
character span they cover in that text so that follow-ups can point at the
exact sentence they came from.
"""
from __future__ import annotations

from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _


class Body(models.Model):
    """A forum that meets and keeps minutes: Chefforum, Direktionen, an udvalg."""

    name = models.CharField(_("navn"), max_length=200, unique=True)
    slug = models.SlugField(_("kort navn"), max_length=80, unique=True)
    abbreviation = models.CharField(
        _("forkortelse"), max_length=20, blank=True, help_text=_("Som i punkttitler, fx “CF”.")
    )
    aliases = models.JSONField(
        _("andre navne"), default=list, blank=True,
        help_text=_("Navne forummet optræder under i referater, fx “direktionsmøde”."),
    )
    reminder_policy = models.JSONField(
        _("påmindelsesregler"), default=dict, blank=True,
        help_text=_("Afvigelser fra standardreglerne for påmindelser, fx {\"days_before\": [10, 2]}."),
    )
    created_at = models.DateTimeField(_("oprettet"), auto_now_add=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("forum")
        verbose_name_plural = _("fora")

    def __str__(self) -> str:
        return self.name



class Meeting(models.Model):
    class SourceFormat(models.TextChoices):
        TXT = "txt", _("Tekst")
        MD = "md", _("Markdown")
        DOCX = "docx", _("Word")
        PDF = "pdf", _("PDF")

    body = models.ForeignKey(Body, on_delete=models.PROTECT, related_name="meetings", verbose_name=_("forum"))
    date = models.DateField(_("mødedato"))
    start_time = models.TimeField(_("starttidspunkt"), null=True, blank=True)
    location = models.CharField(_("mødested"), max_length=200, blank=True)
    participants = models.JSONField(_("deltagere"), default=list, blank=True)
    source_file = models.FileField(_("kildefil"), upload_to="minutes/%Y/", blank=True)
    source_sha256 = models.CharField(_("SHA-256 af kildefilen"), max_length=64, blank=True)
    source_name = models.CharField(_("oprindeligt filnavn"), max_length=255, blank=True)
    source_format = models.CharField(_("format"), max_length=8, choices=SourceFormat.choices, blank=True)
    text = models.TextField(_("referatets tekst"), blank=True)
    imported_at = models.DateTimeField(_("importeret"), auto_now_add=True)
    updated_at = models.DateTimeField(_("opdateret"), auto_now=True)

    class Meta:
        ordering = ["-date", "body__name"]
        verbose_name = _("møde")
        verbose_name_plural = _("møder")
        constraints = [
            # A corrected file of the same meeting updates it in place.
            models.UniqueConstraint(fields=["body", "date"], name="minutes_meeting_one_per_body_and_day"),
            # The same file is never imported twice.
            models.UniqueConstraint(
                fields=["source_sha256"], condition=~Q(source_sha256=""), name="minutes_meeting_unique_source"
            ),
        ]
        indexes = [models.Index(fields=["date"], name="minutes_meeting_date_idx")]

    def __str__(self) -> str:
        return f"{self.body} {self.date:%d-%m-%Y}"



class AgendaItem(models.Model):
    class Outcome(models.TextChoices):
        APPROVED = "approved", _("Godkendt")
        NOTED = "noted", _("Taget til efterretning")
        DISCUSSED = "discussed", _("Drøftet")
        DECIDED = "decided", _("Besluttet")
        POSTPONED = "postponed", _("Udskudt")
        WITHDRAWN = "withdrawn", _("Udgik")
        CLOSED = "closed", _("Lukket")
        NONE = "none", _("Ingen beslutning")

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="agenda_items", verbose_name=_("møde"))
    number = models.PositiveIntegerField(_("punkt"))
    title = models.CharField(_("titel"), max_length=500)
    time_slot = models.CharField(_("tidsrum"), max_length=40, blank=True)
    case_number = models.CharField(_("sagsnummer"), max_length=60, blank=True)
    closed = models.BooleanField(
        _("lukket punkt"), default=False,
        help_text=_("Fortroligt punkt: indholdet vises aldrig i kalendere, e-mails, eksport eller API."),
    )
    outcome = models.CharField(_("udfald"), max_length=12, choices=Outcome.choices, default=Outcome.NONE)
    sections = models.JSONField(_("afsnit"), default=dict, blank=True)
    text_start = models.PositiveIntegerField(_("start i teksten"), null=True, blank=True)
    text_end = models.PositiveIntegerField(_("slut i teksten"), null=True, blank=True)

    class Meta:
        ordering = ["meeting", "number"]
        verbose_name = _("dagsordenspunkt")
        verbose_name_plural = _("dagsordenspunkter")
        constraints = [
            models.UniqueConstraint(fields=["meeting", "number"], name="minutes_agendaitem_number_once_per_meeting"),
            models.CheckConstraint(
                condition=Q(text_start__isnull=True) | Q(text_end__isnull=True) | Q(text_start__lte=F("text_end")),
                name="minutes_agendaitem_span_ordered",
            ),
        ]
        indexes = [
            # Linking across meetings looks items up by case number.
            models.Index(fields=["case_number"], name="minutes_agendaitem_case_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.meeting} · {_('punkt')} {self.number}: {self.display_title}"

    @property
    def display_title(self) -> str:
        return str(_("Lukket punkt")) if self.closed else self.title


class Attachment(models.Model):
    agenda_item = models.ForeignKey(
        AgendaItem, on_delete=models.CASCADE, related_name="attachments", verbose_name=_("dagsordenspunkt")
    )
    title = models.CharField(_("titel"), max_length=500)
    position = models.PositiveIntegerField(_("rækkefølge"), default=0)

    class Meta:
        ordering = ["agenda_item", "position"]
        verbose_name = _("bilag")
        verbose_name_plural = _("bilag")

    def __str__(self) -> str:
        return self.title
