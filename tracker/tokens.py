"""Secrets handed out once and kept only as a hash: calendar feed addresses and API keys.

Whoever holds the secret gets in; the database holds its SHA-256, so a copy of
the database opens nothing. Lookups are by the hash, and the stored hash is
compared again in constant time.
"""
from __future__ import annotations

import hashlib
import hmac
import secrets

# Longer input is never one of ours; it is refused before hashing.
MAX_TOKEN_LENGTH = 200


def new_token() -> str:
    """A URL-safe secret of 256 bits."""
    return secrets.token_urlsafe(32)


def token_digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def digest_matches(stored: str, digest: str) -> bool:
    return hmac.compare_digest(stored, digest)
