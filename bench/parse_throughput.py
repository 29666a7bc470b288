"""Documents per second for reading + structure + follow-ups, on one core.

    python bench/parse_throughput.py [--seconds 2] [FILE ...]

With no files it uses the sample minutes in minutes/samples/. Each round
parses every file from its bytes, as an upload would; the rounds repeat for
about the given time. The target is at least 200 documents per second.
"""
from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from minutes.parsing import parse_bytes  # noqa: E402  (needs the project root on the path)

TARGET = 200.0


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("files", nargs="*", type=Path)
    parser.add_argument("--seconds", type=float, default=2.0)
    args = parser.parse_args()
    files = args.files or sorted((ROOT / "minutes" / "samples").glob("*.txt"))
    documents = [(path.name, path.read_bytes()) for path in files]
    if not documents:
        print("no documents to parse", file=sys.stderr)
        return 2
    for name, data in documents:  # warm up: imports, compiled patterns, caches
        parse_bytes(data, name)
    count = 0
    followups = 0
    size = 0
    started = time.perf_counter()
    cpu_started = time.process_time()
    while time.perf_counter() - started < args.seconds:
        for name, data in documents:
            parsed = parse_bytes(data, name)
            followups += len(parsed.followups)
            size += len(data)
            count += 1
    elapsed = time.perf_counter() - started
    cpu = time.process_time() - cpu_started
    rate = count / elapsed
    # CPU time is what one core spends; on a busy machine wall time also counts
    # the time this process waited for a core.
    cpu_rate = count / cpu if cpu else rate
    print(
        f"{count} documents in {elapsed:.2f} s: {rate:.0f} documents/second wall clock, "
        f"{cpu_rate:.0f} documents/second of CPU time "
        f"({size / count / 1024:.1f} KB average, {followups / count:.1f} follow-ups each; target {TARGET:.0f})"
    )
    return 0 if cpu_rate >= TARGET else 1


if __name__ == "__main__":
    sys.exit(main())
