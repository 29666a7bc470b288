"""API keys: one per user, of which only a hash is kept."""
from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class ApiKey(models.Model):
    """A user's key for the API (``Authorization: Token <key>``).

    The key itself is shown once, when it is made; the database holds its
    SHA-256, so a copy of the database opens nothing. The first characters
    are kept to tell keys apart in the admin.
    """

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="api_key", verbose_name=_("bruger")
    )
    digest = models.CharField(_("kontrolsum"), max_length=64, unique=True)
    prefix = models.CharField(_("begyndelse"), max_length=8, help_text=_("Nøglens første tegn, så den kan genkendes."))
    created_at = models.DateTimeField(_("oprettet"), auto_now_add=True)
    last_used_at = models.DateTimeField(_("sidst brugt"), null=True, blank=True)

    class Meta:
        verbose_name = _("API-nøgle")
        verbose_name_plural = _("API-nøgler")

    def __str__(self) -> str:
        return f"{self.user} ({self.prefix}…)"
