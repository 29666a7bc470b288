"""Server time of a calendar feed with 1,000 items, and of the 304 a subscribed client gets.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/bench python bench/feed_bench.py [--items 1000] [--rounds 40]

Creates a throwaway test database (``test_`` + the name in DATABASE_URL), fills
it, and times requests through Django's full request handling (URL routing,
middleware, the view, the queries and the rendering), without the network.
Three cases:

- ``200``: a client without a cached copy (every component written anew);
- ``200 todo``: the same feed as VTODO (``?format=todo``);
- ``304``: a client that sends the ETag it has, as calendar programs do.

For scale it also prints what building the same components with icalendar's
objects would cost (the feed writes them directly, byte for byte the same).
"""
from __future__ import annotations

import argparse
import datetime as dt
import os
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

import django  # noqa: E402

django.setup()

from django.conf import settings  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext, setup_test_environment, teardown_test_environment  # noqa: E402
from django.urls import reverse  # noqa: E402

from bench.common import percentile, require_postgresql  # noqa: E402

TARGET_MS = 100


def seed(n: int) -> str:
    """A forum with n open items over the coming year, one role, one member; returns a "mine" feed token."""
    from django.contrib.auth import get_user_model

    from minutes.models import AgendaItem, Body, Meeting
    from tracker import feeds
    from tracker.models import ActionItem, Membership, Person, Role, RoleAssignment

    body = Body.objects.create(name="Chefforum", slug="chefforum", abbreviation="CF")
    role = Role.objects.create(name="Chef for Økonomi", body=body, is_chef=True)
    user = get_user_model().objects.create_user("bench", password=None)
    person = Person.objects.create(name="Bente Økonomichef", user=user, email="bench@example.org")
    Membership.objects.create(person=person, body=body)
    RoleAssignment.objects.create(role=role, person=person, starts_on=dt.date(2020, 1, 1))
    today = dt.date.today()
    meetings = Meeting.objects.bulk_create(
        Meeting(body=body, date=today - dt.timedelta(days=7 * i), text="") for i in range(max(1, n // 10))
    )
    agenda = AgendaItem.objects.bulk_create(
        AgendaItem(meeting=m, number=k + 1, title=f"CF - Punkt {k + 1} om økonomi og opfølgning")
        for m in meetings for k in range(10)
    )
    ActionItem.objects.bulk_create(
        ActionItem(
            title=f"Opfølgning {i}: kommissoriet for arbejdsgruppe {i} skal være færdigt",
            body=body, source_item=agenda[i % len(agenda)],
            quote=f"Kommissoriet for arbejdsgruppe {i} skal være færdigt til fristen, så Chefforum kan godkende det "
                  "på næste møde; økonomichefen sørger for, at det bliver lagt på intranettet.",
            due_date=today + dt.timedelta(days=i % 365), window_start=today + dt.timedelta(days=i % 365),
            precision=ActionItem.Precision.DAY, status=ActionItem.Status.OPEN,
            responsible_role=role if i % 2 else None, responsible_person=None if i % 2 else person,
        )
        for i in range(n)
    )
    _feed, token = feeds.calendar_feed_create(owner=user, scope="mine")
    return token



def measure(label: str, request, rounds: int, before=None) -> tuple[list[float], list[float]]:
    """Wall-clock time per request, and the CPU time of this process alone.

    On a shared machine the wall clock includes waiting for a core; the CPU
    time (which leaves out PostgreSQL's share) shows what the code itself costs.
    """
    wall, cpu = [], []
    for _ in range(rounds):
        if before:
            before()
        start, start_cpu = time.perf_counter(), time.process_time()
        request()
        wall.append((time.perf_counter() - start) * 1000)
        cpu.append((time.process_time() - start_cpu) * 1000)
    print(
        f"{label:<10} median {statistics.median(wall):7.1f} ms   p95 {percentile(wall, 0.95):7.1f} ms"
        f"   (app CPU median {statistics.median(cpu):6.1f} ms; {rounds} requests)"
    )
    return wall, cpu


def _per_component(entries, render) -> float:
    """Microseconds of CPU per component, the best of three passes."""
    best = float("inf")
    for _ in range(3):
        start = time.process_time()
        for entry in entries:
            render(entry)
        best = min(best, (time.process_time() - start) / max(len(entries), 1) * 1_000_000)
    return best


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--items", type=int, default=1000)
    parser.add_argument("--rounds", type=int, default=40)
    args = parser.parse_args()
    require_postgresql()

    from tracker import feeds

    setup_test_environment()
    settings.ALLOWED_HOSTS = ["testserver"]
    old_name = connection.creation.create_test_db(verbosity=0, autoclobber=True)
    try:
        token = seed(args.items)
        client = Client()
        path = reverse("tracker:feed", kwargs={"token": token})
        first = client.get(path)
        assert first.status_code == 200, first.status_code
        events = first.content.count(b"BEGIN:VEVENT")
        with CaptureQueriesContext(connection) as queries:
            client.get(path)
        with CaptureQueriesContext(connection) as conditional:
            client.get(path, headers={"If-None-Match": first["ETag"]})
        print(
            f"feed of {events} events, {len(first.content) / 1024:.0f} KiB, {len(queries)} queries per request "
            f"({len(conditional)} for a 304)"
        )

        warm = measure("200", lambda: client.get(path), args.rounds)
        measure("200 todo", lambda: client.get(path, {"format": "todo"}), args.rounds)
        etag = first["ETag"]
        not_modified = measure("304", lambda: client.get(path, headers={"If-None-Match": etag}), args.rounds)
        assert client.get(path, headers={"If-None-Match": etag}).status_code == 304

        for label, (wall, _cpu) in (("200", warm), ("304", not_modified)):
            verdict = "within" if statistics.median(wall) < TARGET_MS else "OVER"
            print(f"{label}: median wall time {verdict} the {TARGET_MS} ms target")
        feed = feeds.feed_for_token(token)
        entries = feeds.feed_entries(
            feeds.feed_items(feed, today=dt.date.today()), site_url="https://example.org", host="example.org",
            today=dt.date.today(),
        )
        direct = _per_component(entries, feeds._component_ical)
        objects = _per_component(entries, lambda entry: feeds._component(entry).to_ical())
        print(f"per component: {direct:.0f} µs written directly, {objects:.0f} µs through icalendar's objects")
    finally:
        connection.creation.destroy_test_db(old_name, verbosity=0)
        teardown_test_environment()


if __name__ == "__main__":
    main()
