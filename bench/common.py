"""What the benchmark scripts share."""
from __future__ import annotations

import sys

from django.db import connection


def percentile(values: list[float], fraction: float) -> float:
    """The value below which ``fraction`` of the values lie (nearest rank)."""
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(fraction * (len(ordered) - 1)))]


def require_postgresql() -> None:
    """Stop with a clear message unless DATABASE_URL points at PostgreSQL, which the numbers are about."""
    if connection.vendor != "postgresql":
        sys.exit("Run the benchmark on PostgreSQL: set DATABASE_URL=postgres://…")
