"""Make (or replace) a user's API key and print it once: it is not stored, only its hash."""
from __future__ import annotations

from typing import Any

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from api.keys import api_key_create


class Command(BaseCommand):
    help = gettext_lazy("Laver en ny API-nøgle til brugeren og skriver den ud én gang; en tidligere nøgle holder op med at virke.")

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("username")

    def handle(self, *args: Any, **options: Any) -> None:
        user = get_user_model().objects.filter(username=options["username"], is_active=True).first()
        if user is None:
            raise CommandError(_("Ingen aktiv bruger hedder “%(name)s”.") % {"name": options["username"]})
        self.stdout.write(api_key_create(user=user))
