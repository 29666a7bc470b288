"""``Authorization: Token <key>`` against the hashed keys of ``api.models.ApiKey``."""
from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy as _
from rest_framework import exceptions
from rest_framework.authentication import TokenAuthentication

from api.keys import api_key_user


class ApiKeyAuthentication(TokenAuthentication):
    """DRF's token header, checked against the stored hash instead of a stored key."""

    def authenticate_credentials(self, key: str) -> tuple[Any, None]:
        user = api_key_user(key)
        if user is None:
            raise exceptions.AuthenticationFailed(_("Ugyldig eller tilbagekaldt API-nøgle."))
        return user, None
