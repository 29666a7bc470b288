"""Throughput of minutes.parsing.dates.find_deadlines over the sample minutes.

    .venv/bin/python bench/dates_throughput.py [SECONDS]

Prints documents per second (and KB per millisecond) for find_deadlines alone,
run over every file in ../shared/seeds (or minutes/samples) in a loop.
"""
from __future__ import annotations

import sys
import time
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from minutes.parsing.dates import find_deadlines  # noqa: E402

MEETING = date(2022, 4, 28)


def main(seconds: float = 3.0) -> None:
    folder = ROOT.parent / "shared" / "seeds"
    if not folder.is_dir():
        folder = ROOT / "minutes" / "samples"
    texts = [p.read_text(encoding="utf-8") for p in sorted(folder.glob("*.txt"))]
    size_kb = sum(len(t.encode("utf-8")) for t in texts) / 1024
    for text in texts:  # warm up
        find_deadlines(text, MEETING)
    rounds = 0
    started, cpu_started = time.perf_counter(), time.process_time()
    while time.perf_counter() - started < seconds:
        for text in texts:
            find_deadlines(text, MEETING)
        rounds += 1
    wall = time.perf_counter() - started
    cpu = time.process_time() - cpu_started
    docs = rounds * len(texts)
    # CPU time is the fairer number on a shared machine; wall time is what a user waits.
    print(
        f"find_deadlines: {docs / wall:.0f} documents/second wall, {docs / cpu:.0f} per CPU-second "
        f"({len(texts)} files of {size_kb / len(texts):.1f} KB on average; "
        f"{cpu / rounds / size_kb * 1e6:.0f} µs CPU per KB)"
    )

if __name__ == "__main__":
    main(float(sys.argv[1]) if len(sys.argv) > 1 else 3.0)
