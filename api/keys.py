"""Making, checking and revoking API keys (see ``api.models.ApiKey``)."""
from __future__ import annotations

import datetime as dt
import hmac
import secrets

from django.contrib.auth.models import AbstractBaseUser
from django.db import transaction
from django.utils import timezone

from api.models import ApiKey

# How often a key's last use is written: not on every request.
LAST_USED_INTERVAL = dt.timedelta(minutes=5)
# Longer input is never a key; it is refused before hashing.
MAX_KEY_LENGTH = 200


@transaction.atomic
def api_key_create(*, user: AbstractBaseUser) -> str:
    """A new key for the user (256 random bits); the previous one stops working. Returns the key."""
    key = secrets.token_urlsafe(32)
    ApiKey.objects.filter(user=user).delete()
    ApiKey.objects.create(user=user, digest=ApiKey.digest_of(key), prefix=key[:8])
    return key


def api_key_revoke(*, user: AbstractBaseUser) -> bool:
    """Remove the user's key; whether there was one."""
    deleted, _ = ApiKey.objects.filter(user=user).delete()
    return bool(deleted)


def api_key_user(key: str, *, now: dt.datetime | None = None) -> AbstractBaseUser | None:
    """The active user the key belongs to, or None (unknown, revoked and inactive look the same)."""
    if not key or len(key) > MAX_KEY_LENGTH:
        return None
    digest = ApiKey.digest_of(key)
    found = ApiKey.objects.select_related("user").filter(digest=digest, user__is_active=True).first()
    # The lookup is by hash; the constant-time comparison keeps it that way should it ever change.
    if found is None or not hmac.compare_digest(found.digest, digest):
        return None
    now = now or timezone.now()
    if found.last_used_at is None or now - found.last_used_at >= LAST_USED_INTERVAL:
        ApiKey.objects.filter(pk=found.pk).update(last_used_at=now)
    return found.user
