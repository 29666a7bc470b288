"""Minutes imported per second into the database, through the import service.

    DATABASE_URL=postgres://…/scratch python bench/import_throughput.py [--count 1000]

Writes to the database it is given: use a scratch database that has been
migrated. Each of the sample minutes is imported ``count / 5`` times as a
different meeting (the header date moved one day per copy), the way a
municipality's archive would be loaded; then the same files again, which must
change nothing. The target is 1,000 minutes in well under a minute.
"""
from __future__ import annotations

import argparse
import datetime as dt
import os
import re
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

MONTHS = ["januar", "februar", "marts", "april", "maj", "juni", "juli", "august", "september", "oktober",
          "november", "december"]
HEADER = 600
_NUMERIC = re.compile(r"\b\d{2}-\d{2}-\d{4}\b")
_WORDS = re.compile(r"\b\d{1,2}\. (?:%s) \d{4}\b" % "|".join(MONTHS))


def copy_for(text: str, day: dt.date) -> bytes:
    """The minutes as if held on ``day``: only the header's dates change."""
    header = _NUMERIC.sub(day.strftime("%d-%m-%Y"), text[:HEADER])
    header = _WORDS.sub(f"{day.day}. {MONTHS[day.month - 1]} {day.year}", header)
    return (header + text[HEADER:]).encode("utf-8")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--count", type=int, default=1000)
    args = parser.parse_args()

    import django

    django.setup()
    from django.conf import settings

    from minutes.importing import Status, import_file
    from minutes.models import Body, Meeting

    settings.MEDIA_ROOT = tempfile.mkdtemp(prefix="import-bench-")
    for name, slug in (("Chefforum", "chefforum"), ("Direktionen", "direktionen")):
        Body.objects.get_or_create(name=name, defaults={"slug": slug})
    samples = [p.read_text(encoding="utf-8") for p in sorted((ROOT / "minutes" / "samples").glob("*.txt"))]
    start_day = dt.date(2030, 1, 1) + dt.timedelta(days=Meeting.objects.count())
    files = [
        (f"copy-{i}.txt", copy_for(samples[i % len(samples)], start_day + dt.timedelta(days=i)))
        for i in range(args.count)
    ]

    started = time.perf_counter()
    results = [import_file(data=data, filename=name) for name, data in files]
    first = time.perf_counter() - started
    failed = [r for r in results if not r.ok]
    proposals = sum(r.proposed for r in results)

    started = time.perf_counter()
    again = [import_file(data=data, filename=name) for name, data in files]
    second = time.perf_counter() - started
    unchanged = sum(1 for r in again if r.status == Status.UNCHANGED)

    print(f"imported {len(results) - len(failed)} of {len(results)} minutes ({proposals} proposals) "
          f"in {first:.1f} s: {len(results) / first:.0f} per second")
    print(f"the same files again: {unchanged} unchanged in {second:.1f} s")
    for result in failed[:5]:
        print(f"  failed: {result.filename}: {result.message}")
    return 0 if not failed and unchanged == len(files) and first < 60 else 1


if __name__ == "__main__":
    sys.exit(main())
