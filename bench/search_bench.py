"""Search latency over the generated data set: median and p95 over a fixed list of queries.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/bench python manage.py migrate
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/bench python manage.py generate_data
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/bench python bench/search_bench.py [--rounds 5] [--with-text]

Runs against the database in DATABASE_URL as it is (not a throwaway copy) and
times the search page through Django's full request handling (routing,
middleware, the view, every query, the template), first as an administrator,
who searches every forum (the largest result sets there are; it creates the
login "soegebench" for that), then as a secretary of one generated forum.
Before measuring it refreshes the planner statistics (ANALYZE), as autovacuum
does after a bulk load.

The generated data is a worst case for a search: ten titles repeated over
30,000 items, and every follow-up's title repeats its item's title, so most
queries match thousands of items.

The generated agenda items have titles but no sections. ``--with-text`` gives
each of them the sections (Anledning, Sagsfremstilling, Indstilling,
Beslutning …) of an item of the sample minutes, so that documents and snippets
have the size of real minutes; it writes to the database, once.

The target is under 100 ms with the indexes
``minutes_search_agendaitem_idx`` and ``minutes_search_followup_idx``.
"""
from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
# Reuse database connections between requests, as production does.
os.environ.setdefault("DATABASE_CONN_MAX_AGE", "60")

import django  # noqa: E402

django.setup()

from django.conf import settings  # noqa: E402
from django.db import connection, transaction  # noqa: E402
from django.test import Client  # noqa: E402
from django.urls import reverse  # noqa: E402

from bench.common import percentile, require_postgresql  # noqa: E402

TARGET_MS = 100
BENCH_USER = "soegebench"
QUERIES = [
    "budgetopfølgning",
    "kommissorier",
    "kommissorium arbejdsgruppe",
    "sygefravær",
    "evaluering af sygefraværsindsats",
    "digitalisering",
    '"handleplan for digitalisering"',
    "klimaplan",
    "klimaplan -2010",
    "rekruttering fastholdelse",
    "lovgivning",
    "boligbyggeprogram 2015",
    "sundhedspolitik",
    "anlægsoversigt",
    "virksomhedsplaner",
    "status",
    "økonomi",
    "integration",
    '"status på budgetopfølgning 2019"',
    "{case_number}",
]



def measure(user, label: str, queries: list[str], rounds: int) -> None:  # noqa: ANN001 - a User
    """Time the search page for each query as this user; print per query and the median and p95 of all."""
    from minutes import search

    client = Client()
    client.force_login(user)
    url = reverse("minutes:search")
    timings: list[float] = []
    print(f"\nas {label}:")
    print(f"{'query':<40} {'results':>8} {'queries':>8} {'median':>9} {'max':>9}")
    for query in queries:
        executed: list[str] = []
        with connection.execute_wrapper(lambda execute, sql, *rest: executed.append(sql) or execute(sql, *rest)):
            response = client.get(url, {"q": query})
        assert response.status_code == 200, response.status_code
        count = search.search(user=user, criteria=search.Criteria(query=search.parse_query(query))).count
        own: list[float] = []
        for _ in range(rounds):
            start = time.perf_counter()
            client.get(url, {"q": query})
            own.append((time.perf_counter() - start) * 1000)
        timings.extend(own)
        print(f"{query:<40} {count:>8} {len(executed):>8} {statistics.median(own):>7.1f}ms {max(own):>7.1f}ms")
    median, p95 = statistics.median(timings), percentile(timings, 0.95)
    print(f"all {len(timings)} requests: median {median:.1f} ms, p95 {p95:.1f} ms "
          f"(target {TARGET_MS} ms: median {'within' if median < TARGET_MS else 'OVER'}, "
          f"p95 {'within' if p95 < TARGET_MS else 'over'})")


def fill_sections() -> int:
    """Give generated agenda items without sections the sections of the sample minutes' items."""
    from minutes.models import AgendaItem
    from minutes.parsing import parse_bytes

    samples = []
    for path in sorted((ROOT / "minutes" / "samples").glob("*.txt")):
        samples.extend(item.sections for item in parse_bytes(path.read_bytes(), path.name).items if item.sections)
    pks = list(AgendaItem.objects.filter(sections={}, closed=False).order_by("pk").values_list("pk", flat=True))
    with transaction.atomic():
        for start in range(0, len(pks), 2000):
            batch = list(AgendaItem.objects.filter(pk__in=pks[start:start + 2000]))
            for n, item in enumerate(batch, start=start):
                item.sections = dict(samples[n % len(samples)])
            AgendaItem.objects.bulk_update(batch, ["sections"])
    return len(pks)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=5, help="requests per query (after one warm-up)")
    parser.add_argument("--with-text", action="store_true", help="give generated items the sample minutes' text")
    args = parser.parse_args()
    require_postgresql()

    from django.contrib.auth import get_user_model

    from minutes import search
    from minutes.models import AgendaItem
    from tracker.models import ActionItem, Membership

    items = AgendaItem.objects.count()
    if items < 1000:
        sys.exit("Too little data: run `python manage.py generate_data` against this database first.")
    if args.with_text:
        print(f"gave {fill_sections()} agenda items the text of the sample minutes")
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE minutes_agendaitem; ANALYZE minutes_meeting; ANALYZE tracker_actionitem")
        cursor.execute("SELECT pg_size_pretty(pg_relation_size('minutes_search_agendaitem_idx')), "
                       "pg_size_pretty(pg_relation_size('minutes_search_followup_idx'))")
        agenda_index, followup_index = cursor.fetchone()
    with_text = AgendaItem.objects.exclude(sections={}).count()
    print(f"{items} agenda items ({with_text} with sections), {ActionItem.objects.count()} follow-ups")
    print(f"indexes: minutes_search_agendaitem_idx {agenda_index}, minutes_search_followup_idx {followup_index}")

    admin, _ = get_user_model().objects.get_or_create(
        username=BENCH_USER, defaults={"is_superuser": True, "is_staff": True, "email": "bench@example.org"})
    secretary = Membership.objects.filter(is_secretary=True, person__user__isnull=False).order_by("pk").first()
    settings.ALLOWED_HOSTS = ["testserver"]
    case_number = AgendaItem.objects.filter(closed=False).order_by("pk").values_list("case_number", flat=True)[0]
    queries = [template.format(case_number=case_number) for template in QUERIES]

    measure(admin, "an administrator (every forum)", queries, args.rounds)
    if secretary is not None:
        measure(secretary.person.user, f"a secretary of {secretary.body.name}", queries, args.rounds)

    plan = search.matching_items(user=admin, criteria=search.Criteria(query=search.parse_query("kommissorier"))).explain()
    used = [name for name in ("minutes_search_agendaitem_idx", "minutes_search_followup_idx") if name in plan]
    print(f"query plan for “kommissorier” uses: {', '.join(used) or 'NO search index'}")


if __name__ == "__main__":
    main()
