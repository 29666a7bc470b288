"""Documents per second for reading + structure + follow-ups, on one core.

    python bench/parse_throughput.py [--seconds 3] [FILE ...]

With no files it uses the sample minutes in minutes/samples/. Each round
parses every file from its bytes, as an upload would; rounds repeat for
about the given time. The target is at least 200 documents per second of
CPU time (time.process_time), which is what one core spends; wall clock is
printed too, and on a busy machine it also counts time spent waiting for a
core. The fastest round is printed as well: other processes slow every
measurement down, and the fastest round is the one they disturbed least.
The exit status is 1 when the CPU rate is below the target.
"""
from __future__ import annotations

import argparse
import os
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from minutes.parsing import parse_bytes  # noqa: E402  (needs the project root on the path)

TARGET = 200.0  # documents per second of CPU time, seed-sized (~15 KB) minutes


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("files", nargs="*", type=Path)
    parser.add_argument("--seconds", type=float, default=3.0)
    args = parser.parse_args()
    files = args.files or sorted((ROOT / "minutes" / "samples").glob("*.txt"))
    documents = [(path.name, path.read_bytes()) for path in files]
    if not documents:
        print("no documents to parse", file=sys.stderr)
        return 2
    for name, data in documents:  # warm up: imports, compiled patterns, caches
        parse_bytes(data, name)
    count = followups = size = 0
    fastest = 0.0
    started, cpu_started = time.perf_counter(), time.process_time()
    while time.perf_counter() - started < args.seconds:
        round_started = time.process_time()
        for name, data in documents:
            parsed = parse_bytes(data, name)
            followups += len(parsed.followups)
            size += len(data)
            count += 1
        round_cpu = time.process_time() - round_started
        if round_cpu > 0:
            fastest = max(fastest, len(documents) / round_cpu)
    wall = time.perf_counter() - started
    cpu = time.process_time() - cpu_started
    cpu_rate = count / cpu if cpu else count / wall
    wall_rate = count / wall
    load = ", ".join(f"{value:.1f}" for value in os.getloadavg()) if hasattr(os, "getloadavg") else "unknown"
    print(
        f"parse + extract of {len(documents)} documents ({size / count / 1024:.1f} KB average, "
        f"{followups / count:.1f} follow-ups each), {count} parses in {wall:.1f} s, load average {load}:"
    )
    print(f"  CPU time:   {cpu_rate:6.0f} documents/second (fastest round {fastest:.0f}/s)")
    print(f"  wall clock: {wall_rate:6.0f} documents/second")
    verdict = "met" if cpu_rate >= TARGET else "NOT met"
    print(f"  target: at least {TARGET:.0f} documents/second of CPU time on one core: {verdict}")
    return 0 if cpu_rate >= TARGET else 1


if __name__ == "__main__":
    sys.exit(main())
