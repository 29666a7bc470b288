"""Import of 1,000 minutes into PostgreSQL through the import service: seconds in all, per file, and where the time goes.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/bench python bench/import_bench.py [--count 1000] [--profile]

Creates a throwaway database (``test_`` + the name in DATABASE_URL) with ten
forums and their roles, and a temporary folder for the stored files; both are
removed at the end. The 1,000 minutes are the five sample minutes, each copy
moved to one of the ten forums (the header's name) and back by 0 to 19 years
(every year in the text, so its deadlines stay ahead of its meeting date),
with case numbers that recur in two years' meetings (as a case does) rather
than in all twenty: twenty years of a municipality's archive, every copy a
different meeting with its own text. They go through ``minutes.importing.import_file`` one by one, as
the upload page and ``manage.py import_minutes`` do (each file its own
transaction, the file stored). Then the same files once more, which must change
nothing.

Prints the total and per-file wall time (median, p95), this process's CPU
time, and the share of the time spent parsing (pure Python, no database).
``--profile`` adds the functions that take the most time, ``--queries`` the
statements that take the most database time (grouped by their text without
values). The target is
"well under a minute" for the 1,000.
"""
from __future__ import annotations

import argparse
import contextlib
import cProfile
import os
import pstats
import re
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

import django  # noqa: E402

django.setup()

from django.conf import settings  # noqa: E402
from django.db import connection  # noqa: E402
from django.test.utils import setup_test_environment, teardown_test_environment  # noqa: E402

from bench.common import percentile, require_postgresql  # noqa: E402

TARGET_SECONDS = 60
FORUMS = [
    ("Chefforum", "CF"), ("Direktionen", "DIR"), ("Økonomiudvalget", "ØU"), ("Børne- og Skoleudvalget", "BSU"),
    ("Social- og Sundhedsudvalget", "SSU"), ("Teknik- og Miljøudvalget", "TMU"), ("Kultur- og Fritidsudvalget", "KFU"),
    ("Beskæftigelsesudvalget", "BU"), ("Hovedudvalget", "HU"), ("Byrådet", "BR"),
]
ROLES = ["Kommunaldirektør", "Chef for Økonomi & Stab", "Chef for HR", "Chef for Børn og Unge", "Projektleder"]
_HEADER_FORUM = re.compile(r"(REFERAT\s+)(Chefforum|Direktionen)")
_YEAR = re.compile(r"\b(?:19|20)\d\d\b")
# Journal numbers: KLE ("00.01.00-A21-2-21") and year/serial ("22/23184").
_KLE_CASE = re.compile(r"\b(\d\d\.\d\d\.\d\d-[A-Z]\d\d-)(\d+)(-\d\d)\b")
_SERIAL_CASE = re.compile(r"\b(\d\d/)(\d{3,6})\b")


def archive(count: int) -> list[tuple[str, bytes]]:
    """``count`` distinct minutes from the samples: forum = copy // 5 % 10, years back = 19 - copy // 50 % 20."""
    samples = [(p.stem, p.read_text(encoding="utf-8")) for p in sorted((ROOT / "minutes" / "samples").glob("*.txt"))]
    files = []
    for n in range(count):
        stem, text = samples[n % len(samples)]
        forum = FORUMS[n // len(samples) % len(FORUMS)][0]
        # Oldest first, as an archive is loaded.
        back = 19 - n // (len(samples) * len(FORUMS)) % 20
        copy = _HEADER_FORUM.sub(lambda m: m.group(1) + forum, text, count=1)
        copy = _YEAR.sub(lambda m: str(int(m.group(0)) - back), copy)
        # A case is on the agenda of a few meetings, not of every copy: new case numbers every other year.
        cases = back // 2 + 1
        copy = _KLE_CASE.sub(lambda m: f"{m.group(1)}{m.group(2)}{cases:02d}{m.group(3)}", copy)
        copy = _SERIAL_CASE.sub(lambda m: f"{m.group(1)}{m.group(2)}{cases:02d}", copy)
        if n >= len(samples) * len(FORUMS) * 20:
            # Beyond 1,000 the combinations repeat: a note makes the text (and its hash) new.
            copy += f"\n\nKopi {n}\n"
        files.append((f"{stem}-{n:04d}.txt", copy.encode("utf-8")))
    return files


def seed() -> None:
    from minutes.models import Body
    from tracker.models import Role

    for name, abbreviation in FORUMS:
        body = Body.objects.create(name=name, slug=abbreviation.lower().replace("ø", "oe"), abbreviation=abbreviation)
        for role in ROLES:
            Role.objects.create(name=f"{role} ({abbreviation})", body=body, aliases=[role], is_chef=True)


class StatementTimes:
    """An execute wrapper that adds up the time of each statement, by its text without values."""

    _VALUES = re.compile(r"'[^']*'|\b\d+\b|%s")

    def __init__(self) -> None:
        self.times: dict[str, list[float]] = {}

    def __call__(self, execute, sql, params, many, context):
        started = time.perf_counter()
        try:
            return execute(sql, params, many, context)
        finally:
            shape = self._VALUES.sub("?", " ".join(sql.split()))
            self.times.setdefault(shape, []).append(time.perf_counter() - started)

    def report(self, files: int, top: int = 12) -> None:
        total = sum(map(sum, self.times.values()))
        count = sum(map(len, self.times.values()))
        print(f"{count / files:.0f} statements per file, {total / files * 1000:.1f} ms of database time per file; "
              f"the {top} that take the most:")
        for shape, times in sorted(self.times.items(), key=lambda kv: -sum(kv[1]))[:top]:
            print(f"  {sum(times) / files * 1000:6.2f} ms/file  {len(times) / files:5.1f}×/file  {shape[:150]}")



def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--count", type=int, default=1000)
    parser.add_argument("--profile", action="store_true", help="print the functions that take the most time")
    parser.add_argument("--queries", action="store_true", help="print the statements that take the most time")
    args = parser.parse_args()
    require_postgresql()

    from minutes.importing import Status, import_file
    from minutes.models import Meeting
    from minutes.parsing import parse_bytes
    from tracker.models import ActionItem

    files = archive(args.count)
    media = tempfile.mkdtemp(prefix="import-bench-")
    settings.MEDIA_ROOT = media
    setup_test_environment()
    old_name = connection.creation.create_test_db(verbosity=0, autoclobber=True)
    try:
        seed()
        load = os.getloadavg()
        print(f"{len(files)} minutes, {sum(len(d) for _n, d in files) / len(files) / 1024:.0f} KB each on average; "
              f"load average {load[0]:.2f} on {os.cpu_count()} cores")

        parse_started, parse_cpu = time.perf_counter(), time.process_time()
        for name, data in files:
            parse_bytes(data, name)
        parse_wall, parse_cpu = time.perf_counter() - parse_started, time.process_time() - parse_cpu

        profiler = cProfile.Profile() if args.profile else None
        per_file: list[float] = []
        started, started_cpu = time.perf_counter(), time.process_time()
        if profiler:
            profiler.enable()
        results = []
        statements = StatementTimes()
        with connection.execute_wrapper(statements) if args.queries else contextlib.nullcontext():
            for name, data in files:
                one = time.perf_counter()
                results.append(import_file(data=data, filename=name))
                per_file.append((time.perf_counter() - one) * 1000)
        if profiler:
            profiler.disable()
        wall, cpu = time.perf_counter() - started, time.process_time() - started_cpu

        again_started = time.perf_counter()
        again = [import_file(data=data, filename=name) for name, data in files]
        again_wall = time.perf_counter() - again_started

        failed = [r for r in results if not r.ok]
        unchanged = sum(1 for r in again if r.status == Status.UNCHANGED)
        print(f"imported {len(results) - len(failed)} of {len(results)}: {Meeting.objects.count()} meetings, "
              f"{ActionItem.objects.count()} proposed follow-ups")
        print(f"total {wall:.1f} s ({len(results) / wall:.0f} minutes/s); per file median "
              f"{statistics.median(per_file):.1f} ms, p95 {percentile(per_file, 0.95):.1f} ms; "
              f"CPU of this process {cpu:.1f} s")
        tenth = max(1, len(per_file) // 10)
        print(f"per file, median of the first {tenth}: {statistics.median(per_file[:tenth]):.1f} ms; "
              f"of the last {tenth}: {statistics.median(per_file[-tenth:]):.1f} ms")
        print(f"of which parsing (the same files, without the database): {parse_wall:.1f} s wall, "
              f"{parse_cpu:.1f} s CPU ({len(files) / parse_wall:.0f} documents/s)")
        print(f"the same files again: {unchanged} of {len(again)} unchanged in {again_wall:.1f} s")
        for result in failed[:5]:
            print(f"  failed: {result.filename}: {result.message}")
        thousand = wall / len(files) * 1000
        verdict = "within" if thousand < TARGET_SECONDS else "OVER"
        print(f"target: 1,000 minutes well under {TARGET_SECONDS} s: {verdict} "
              f"({thousand:.0f} s{'' if len(files) == 1000 else ', extrapolated'})")
        load = os.getloadavg()
        print(f"load average at the end {load[0]:.2f} {load[1]:.2f} {load[2]:.2f}")
        if args.queries:
            statements.report(len(files))
        if profiler:
            stats = pstats.Stats(profiler)
            stats.dump_stats(os.environ.get("IMPORT_BENCH_PROFILE", os.devnull))
            stats.sort_stats("cumulative").print_stats(r"minutes|tracker", 25)
            stats.sort_stats("tottime").print_stats(15)
        ok = not failed and unchanged == len(files) and thousand < TARGET_SECONDS
    finally:
        connection.creation.destroy_test_db(old_name, verbosity=0)
        teardown_test_environment()
        shutil.rmtree(media, ignore_errors=True)
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
