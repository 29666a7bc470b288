"""Making, checking and revoking API keys (see ``api.models.ApiKey``)."""
from __future__ import annotations

import datetime as dt

from django.contrib.auth.models import AbstractBaseUser
from django.db import transaction
from django.utils import timezone

from api.models import ApiKey
from tracker import tokens

# How often a key's last use is written: not on every request.
LAST_USED_INTERVAL = dt.timedelta(minutes=5)


@transaction.atomic
def api_key_create(*, user: AbstractBaseUser) -> str:
    """A new key for the user (256 random bits); the previous one stops working. Returns the key."""
    key = tokens.new_token()
    ApiKey.objects.filter(user=user).delete()
    ApiKey.objects.create(user=user, digest=tokens.token_digest(key), prefix=key[:8])
    return key


def api_key_revoke(*, user: AbstractBaseUser) -> bool:
    """Remove the user's key; whether there was one."""
    deleted, _ = ApiKey.objects.filter(user=user).delete()
    return bool(deleted)


def api_key_user(key: str, *, now: dt.datetime | None = None) -> AbstractBaseUser | None:
    """The active user the key belongs to, or None (unknown, revoked and inactive look the same)."""
    if not key or len(key) > tokens.MAX_TOKEN_LENGTH:
        return None
    digest = tokens.token_digest(key)
    found = ApiKey.objects.select_related("user").filter(digest=digest, user__is_active=True).first()
    if found is None or not tokens.digest_matches(found.digest, digest):
        return None
    now = now or timezone.now()
    if found.last_used_at is None or now - found.last_used_at >= LAST_USED_INTERVAL:
        ApiKey.objects.filter(pk=found.pk).update(last_used_at=now)
    return found.user
