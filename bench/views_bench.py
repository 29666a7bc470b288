"""Server time and SQL query count of the busiest pages, with 100,000 follow-ups.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/bench python manage.py migrate
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/bench python manage.py generate_data
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/bench python bench/views_bench.py [--rounds 30] [--explain]

Runs against the database in DATABASE_URL as it is (the generated data set,
not a throwaway copy) and times each page through Django's full request
handling (URL routing, middleware, the view, every query, the template),
without the network. Before measuring it refreshes the planner statistics
and the visibility map (VACUUM ANALYZE), as autovacuum does after a bulk load.
It writes to the database: once, it gives the generated follow-ups the dates
of their meetings (the generator stamps every row with the moment it ran, which
no real archive looks like); each run adds a calendar feed for the member and
one for the secretary (revoking those of the run before), and the first adds
a login, an administrator named ``bench-admin``.

The pages, each as the user who would open it:

- "Mine opgaver" as the member with the most open items (by name and through
  the roles held today), and again as one with few, to show the query count
  does not grow with the data;
- "Alle opfølgninger" filtered on status, forum, role, deadline range and
  sorted, as a forum's secretary; as an administrator (who sees all 100,000):
  the menu link (open items), all done items sorted by last change, and a
  word search;
- a forum's overview as its secretary (the biggest forum, about 11,000 items);
- an item page with its history;
- the member's calendar feed and the forum's, each also with the ``304`` a
  client that has it gets.

Each line gives the median and 95th percentile of the wall-clock time, the
median CPU time of this process (which leaves out PostgreSQL and time spent
waiting for a core on a busy machine) and the number of SQL queries.
``--explain`` prints ``EXPLAIN (ANALYZE, BUFFERS)`` of every query slower
than 2 ms, to see which index each one uses.
"""
from __future__ import annotations

import argparse
import datetime as dt
import os
import statistics
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

import django  # noqa: E402

django.setup()

from django.conf import settings  # noqa: E402
from django.db import connection, reset_queries  # noqa: E402
from django.db.models import Count  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402
from django.urls import reverse  # noqa: E402
from django.utils import timezone  # noqa: E402

from bench.common import percentile, require_postgresql  # noqa: E402

TARGET_MS = 50
BENCH_ADMIN = "bench-admin"
SLOW_QUERY_MS = 2.0


@dataclass
class Result:
    label: str
    median: float
    p95: float
    cpu: float
    queries: int
    status: int



def measure(label: str, request: Callable[[], object], rounds: int, explain: bool) -> Result:
    """One warm-up, one request with its queries captured, then ``rounds`` timed requests."""
    response = request()
    connection.queries_log.clear()
    with CaptureQueriesContext(connection) as captured:
        response = request()
    # Read now: the next request empties the log.
    queries = list(captured.captured_queries)
    assert response.status_code in (200, 304), (label, response.status_code)
    wall, cpu = [], []
    for _ in range(rounds):
        start, start_cpu = time.perf_counter(), time.process_time()
        request()
        wall.append((time.perf_counter() - start) * 1000)
        cpu.append((time.process_time() - start_cpu) * 1000)
    result = Result(label, statistics.median(wall), percentile(wall, 0.95), statistics.median(cpu),
                    len(queries), response.status_code)
    print(f"{label:<52} {result.status:>4} {result.queries:>4} q  median {result.median:6.1f} ms  "
          f"p95 {result.p95:6.1f} ms  CPU {result.cpu:6.1f} ms", flush=True)
    if explain:
        explain_slow(queries)
    return result


def explain_slow(queries: list[dict[str, str]]) -> None:
    for query in queries:
        if float(query["time"]) * 1000 < SLOW_QUERY_MS or not query["sql"].lstrip().upper().startswith("SELECT"):
            continue
        with connection.cursor() as cursor:
            cursor.execute("EXPLAIN (ANALYZE, BUFFERS) " + query["sql"])
            plan = "\n".join(f"      {row[0]}" for row in cursor.fetchall())
        print(f"    {float(query['time']) * 1000:.1f} ms: {query['sql'][:300]}\n{plan}")


# The generator stamps every row with the moment it ran; a real archive's
# follow-ups were recorded at their meeting and closed some days after their
# deadline. The forum overview's chart and the feeds' Last-Modified read these.
REALISTIC_TIMES = """
UPDATE tracker_actionitem AS a SET
    created_at = (m.date + time '10:00') AT TIME ZONE 'Europe/Copenhagen',
    completed_at = CASE WHEN a.status = 'done' THEN LEAST(now(),
        (COALESCE(a.due_date, m.date + 30) + (a.id % 14)::int + time '14:00') AT TIME ZONE 'Europe/Copenhagen') END,
    updated_at = LEAST(now(), CASE a.status
        WHEN 'done' THEN (COALESCE(a.due_date, m.date + 30) + (a.id % 14)::int + time '14:00')
        WHEN 'cancelled' THEN (m.date + (a.id % 60)::int + time '12:00')
        ELSE (m.date + (a.id % 30)::int + time '09:00') END AT TIME ZONE 'Europe/Copenhagen')
FROM minutes_agendaitem AS ai JOIN minutes_meeting AS m ON m.id = ai.meeting_id
WHERE ai.id = a.source_item_id
"""


def give_realistic_times() -> bool:
    """Spread the timestamps of bulk-generated follow-ups over their meetings' dates, once."""
    from tracker.models import ActionItem

    oldest = ActionItem.objects.order_by("created_at").values_list("created_at", flat=True).first()
    if oldest is None or timezone.now() - oldest > dt.timedelta(days=2):
        return False
    with connection.cursor() as cursor:
        cursor.execute(REALISTIC_TIMES)
    return True


def require_migrated() -> None:
    from django.db.migrations.executor import MigrationExecutor

    executor = MigrationExecutor(connection)
    if executor.migration_plan(executor.loader.graph.leaf_nodes()):
        sys.exit("The database is behind the code: run `python manage.py migrate` against it first.")


def members_by_open_items() -> list[tuple[int, object]]:
    """Logins of people in a forum with how many open items "Mine opgaver" shows them, most first."""
    from django.contrib.auth import get_user_model

    from tracker import access

    counted = []
    for user in get_user_model().objects.filter(person__memberships__isnull=False, is_superuser=False).distinct():
        counted.append((access.my_open_items(user).count(), user))
    counted.sort(key=lambda pair: (-pair[0], pair[1].pk))
    return counted


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=30, help="timed requests per page (after two warm-ups)")
    parser.add_argument("--explain", action="store_true", help="print the plans of the queries slower than 2 ms")
    args = parser.parse_args()
    require_postgresql()
    require_migrated()

    from django.contrib.auth import get_user_model

    from tracker import access, feeds
    from tracker.models import ActionItem, CalendarFeed, Membership

    total = ActionItem.objects.count()
    if total < 10_000:
        sys.exit("Too little data: run `python manage.py generate_data` against this database first.")
    if give_realistic_times():
        print("gave the generated follow-ups the dates of their meetings (created, changed, completed)")
    with connection.cursor() as cursor:
        # As autovacuum does after a bulk load: planner statistics and the visibility map (index-only scans).
        cursor.execute("VACUUM ANALYZE")
    settings.ALLOWED_HOSTS = ["testserver"]
    settings.DEBUG = False
    load = os.getloadavg()
    print(f"{total} follow-ups; load average {load[0]:.2f} {load[1]:.2f} {load[2]:.2f} on {os.cpu_count()} cores")

    ranked = members_by_open_items()
    busiest_count, busiest = ranked[0]
    quiet_count, quiet = next((n, u) for n, u in reversed(ranked) if n > 0)
    admin, _ = get_user_model().objects.get_or_create(
        username=BENCH_ADMIN, defaults={"is_superuser": True, "is_staff": True, "email": "bench@example.org"}
    )
    biggest = (
        ActionItem.objects.values("body").annotate(n=Count("pk")).order_by("-n").first()["body"]
    )
    secretary_membership = (
        Membership.objects.filter(is_secretary=True, body_id=biggest, person__user__isnull=False)
        .select_related("person__user", "body").first()
    )
    if secretary_membership is None:
        sys.exit("No secretary with a login in the biggest forum: run generate_data again.")
    secretary, body = secretary_membership.person.user, secretary_membership.body
    item = (
        access.visible_items(secretary).filter(body=body, status=ActionItem.Status.OPEN)
        .annotate(n=Count("events")).order_by("-n", "pk").first()
    )
    # A fresh feed each run (only a hash of a token is stored); the earlier ones are revoked.
    CalendarFeed.objects.filter(owner=busiest, scope=CalendarFeed.Scope.MINE, revoked_at=None).update(
        revoked_at=timezone.now()
    )
    _feed, token = feeds.calendar_feed_create(owner=busiest, scope=CalendarFeed.Scope.MINE)
    CalendarFeed.objects.filter(owner=secretary, scope=CalendarFeed.Scope.BODY, revoked_at=None).update(
        revoked_at=timezone.now()
    )
    _feed, body_token = feeds.calendar_feed_create(owner=secretary, scope=CalendarFeed.Scope.BODY, body=body)
    print(f"member {busiest.username}: {busiest_count} open items; member {quiet.username}: {quiet_count}; "
          f"secretary {secretary.username} of {body.name}; item {item.pk} with {item.n} history lines\n")

    clients = {}
    for user in (busiest, quiet, secretary, admin):
        clients[user.pk] = Client()
        clients[user.pk].force_login(user)

    def get(user, path: str, data: dict | None = None, headers: dict | None = None) -> Callable[[], object]:  # noqa: ANN001
        return lambda: clients[user.pk].get(path, data or {}, headers=headers or {})

    role = access.visible_roles(secretary).filter(body=body).order_by("pk").first()
    filters = {
        "status": "open", "body": body.slug, "role": role.pk, "due_from": "2010-01-01", "due_to": "2035-12-31",
        "sort": "-due",
    }
    everything = {"status": "done", "due_from": "2010-01-01", "due_to": "2035-12-31", "precision": "day",
                  "sort": "-changed"}
    feed_path = reverse("tracker:feed", kwargs={"token": token})
    etag = Client().get(feed_path)["ETag"]
    body_feed_path = reverse("tracker:feed", kwargs={"token": body_token})
    body_feed = Client().get(body_feed_path)
    body_events = body_feed.content.count(b"BEGIN:VEVENT")
    my_items = reverse("tracker:my_items")
    item_list = reverse("tracker:item_list")

    print(f"{'page':<52} {'code':>4} {'SQL':>6}")
    results = [
        measure(f"Mine opgaver ({busiest_count} items)", get(busiest, my_items), args.rounds, args.explain),
        measure(f"Mine opgaver ({quiet_count} items)", get(quiet, my_items), args.rounds, args.explain),
        measure("Alle opfølgninger, 5 filters, secretary", get(secretary, item_list, filters), args.rounds,
                args.explain),
        measure("Alle opfølgninger, open (menu link), admin", get(admin, item_list, {"status": "open"}), args.rounds,
                args.explain),
        measure("Alle opfølgninger, 5 filters, admin", get(admin, item_list, everything), args.rounds, args.explain),
        measure("Alle opfølgninger, text search, admin", get(admin, item_list, {"status": "open", "q": "klimaplan"}),
                args.rounds, args.explain),
        measure(f"Forum overview ({body.action_items.count()} items), secretary",
                get(secretary, reverse("tracker:body_overview", args=[body.slug])), args.rounds, args.explain),
        measure("Item page, secretary", get(secretary, reverse("tracker:item_detail", args=[item.pk])), args.rounds,
                args.explain),
        measure("Feed (Mine opgaver), 200", get(busiest, feed_path), args.rounds, args.explain),
        measure("Feed (Mine opgaver), 304", get(busiest, feed_path, headers={"If-None-Match": etag}), args.rounds,
                args.explain),
        measure(f"Feed of a forum ({body_events} events), 200", get(secretary, body_feed_path), args.rounds,
                args.explain),
        measure(f"Feed of a forum ({body_events} events), 304",
                get(secretary, body_feed_path, headers={"If-None-Match": body_feed["ETag"]}), args.rounds, args.explain),
    ]
    reset_queries()
    missed = [r for r in results if r.median >= TARGET_MS]
    print(f"\ntarget: under {TARGET_MS} ms server time; "
          + ("all medians met" if not missed else "missed: " + ", ".join(f"{r.label} ({r.median:.0f} ms)" for r in missed)))
    load = os.getloadavg()
    print(f"load average at the end {load[0]:.2f} {load[1]:.2f} {load[2]:.2f}")
    return 0 if not missed else 1


if __name__ == "__main__":
    sys.exit(main())
