"""Time to send 10,000 due reminders with two Celery worker processes, and how many went out twice.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/reminder_bench python bench/reminder_sweep.py \
        [--count 10000] [--workers 2] [--kill-after 3000]

Creates a throwaway database (``test_`` + the name in DATABASE_URL), fills it
with ``count`` reminders that are due now (one per item, spread over 50
people), starts ``workers`` separate ``celery -A config worker --pool solo``
processes on a queue of their own on the Redis in REDIS_URL, publishes beat's
task ``tracker.tasks.send_due_reminders`` to each, and waits until the outbox
is empty. Mails are written by Django's file backend into a temporary folder
and counted by Message-ID, so a duplicate would show.

With ``--kill-after N`` the first worker is killed with SIGKILL once N
reminders are sent, and a replacement is started: the claims of the dead
worker run out after the lease (10 s here) and are sent by the others.
"""
from __future__ import annotations

import argparse
import datetime as dt
import os
import re
import signal
import subprocess
import sys
import tempfile
import time
import uuid
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

import django  # noqa: E402

django.setup()

from django.conf import settings  # noqa: E402
from django.db import connection  # noqa: E402
from django.utils import timezone  # noqa: E402

from config.celery import app as celery_app  # noqa: E402

MESSAGE_ID = re.compile(rb"^Message-ID: <reminder-(\d+)@", re.MULTILINE)
LEASE_SECONDS = 10


def seed(count: int) -> None:
    from minutes.models import Body
    from tracker.models import ActionItem, Person, Reminder

    body = Body.objects.create(name="Chefforum", slug="chefforum", abbreviation="CF")
    people = Person.objects.bulk_create(
        Person(name=f"Chef {n}", email=f"chef{n}@example.org") for n in range(50)
    )
    today = timezone.localdate()
    due = today + dt.timedelta(days=30)
    now = timezone.now()
    for start in range(0, count, 2000):
        items = ActionItem.objects.bulk_create(
            ActionItem(body=body, title=f"Opfølgning nr. {n} om budget og kommissorier", due_date=due,
                       window_start=due, precision="day", status="open", responsible_person=people[n % 50],
                       quote=f"Opfølgning nr. {n} skal være færdig til {due:%d.%m}.")
            for n in range(start, min(count, start + 2000))
        )
        Reminder.objects.bulk_create(
            Reminder(item=item, recipient_id=item.responsible_person_id, kind="before", send_on=today,
                     due_at=now - dt.timedelta(minutes=1))
            for item in items
        )


def database_url() -> str:
    s = connection.settings_dict
    auth = s["USER"] + (f":{s['PASSWORD']}" if s["PASSWORD"] else "")
    return f"postgres://{auth}@{s['HOST'] or '127.0.0.1'}:{s['PORT'] or 5432}/{s['NAME']}"


def start_worker(queue: str, n: int, env: dict[str, str], log_dir: Path) -> subprocess.Popen:
    log = log_dir / f"worker-{n}.log"
    proc = subprocess.Popen(
        [str(Path(sys.executable).with_name("celery")), "-A", "config", "worker", "-Q", queue,
         "-n", f"{queue}-{n}@%h", "--pool", "solo", "--loglevel", "INFO",
         "--without-gossip", "--without-mingle", "--without-heartbeat"],
        cwd=ROOT, env=env, stdout=log.open("wb"), stderr=subprocess.STDOUT, start_new_session=True,
    )
    deadline = time.monotonic() + 60
    while b" ready." not in log.read_bytes():
        if proc.poll() is not None or time.monotonic() > deadline:
            raise SystemExit(f"worker {n} did not start:\n{log.read_text(errors='replace')[-2000:]}")
        time.sleep(0.1)
    return proc


def kill(proc: subprocess.Popen) -> None:
    try:
        os.killpg(proc.pid, signal.SIGKILL)
    except ProcessLookupError:
        pass
    proc.wait(timeout=10)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--count", type=int, default=10_000)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--kill-after", type=int, default=0, help="SIGKILL the first worker after this many are sent")
    args = parser.parse_args()
    if connection.vendor != "postgresql":
        raise SystemExit("Run it on PostgreSQL: DATABASE_URL=postgres://…/reminder_bench")

    from tracker.models import Reminder

    old_name = connection.creation.create_test_db(verbosity=0, autoclobber=True)
    queue = f"reminder-bench-{uuid.uuid4().hex[:8]}"
    procs: list[subprocess.Popen] = []
    with tempfile.TemporaryDirectory() as tmp:
        mail_dir, log_dir = Path(tmp) / "mail", Path(tmp) / "logs"
        mail_dir.mkdir()
        log_dir.mkdir()
        env = {
            **os.environ, "DATABASE_URL": database_url(), "REDIS_URL": settings.REDIS_URL,
            "EMAIL_BACKEND": "django.core.mail.backends.filebased.EmailBackend", "EMAIL_FILE_PATH": str(mail_dir),
            "REMINDER_CLAIM_LEASE_SECONDS": str(LEASE_SECONDS), "LOG_LEVEL": "WARNING",
        }
        try:
            seed(args.count)
            connection.close()
            procs = [start_worker(queue, n, env, log_dir) for n in range(args.workers)]
            started = time.perf_counter()
            for _ in procs:
                celery_app.send_task("tracker.tasks.send_due_reminders", queue=queue)
            killed_at = None
            last_publish = time.perf_counter()
            while Reminder.objects.filter(status="pending").exists():
                sent = Reminder.objects.filter(status="sent").count()
                if args.kill_after and killed_at is None and sent >= args.kill_after:
                    kill(procs[0])
                    killed_at = sent
                    procs.append(start_worker(queue, len(procs), env, log_dir))
                # Beat publishes every minute; here more often, so the dead worker's claims are picked up soon.
                if killed_at is not None and time.perf_counter() - last_publish > 2:
                    celery_app.send_task("tracker.tasks.send_due_reminders", queue=queue)
                    last_publish = time.perf_counter()
                if time.perf_counter() - started > 1800:
                    raise SystemExit("gave up after 30 minutes")
                time.sleep(0.05)
            elapsed = time.perf_counter() - started
            time.sleep(1)
            counts: Counter[int] = Counter()
            for path in mail_dir.iterdir():
                counts.update(int(pk) for pk in MESSAGE_ID.findall(path.read_bytes()))
            sent_rows = Reminder.objects.filter(status="sent").count()
        finally:
            for proc in procs:
                kill(proc)
            client = celery_app.connection_for_write().default_channel.client
            client.delete(queue)
            connection.creation.destroy_test_db(old_name, verbosity=0)

    duplicates = sum(n - 1 for n in counts.values() if n > 1)
    missing = args.count - len(counts)
    print(
        f"{args.count} due reminders, {args.workers} worker processes: {elapsed:.1f} s "
        f"({args.count / elapsed:.0f} e-mails/s); rows marked sent: {sent_rows}; "
        f"e-mails written: {sum(counts.values())}; duplicates: {duplicates}; missing: {missing}"
        + (f"; first worker SIGKILLed after {killed_at} sent" if killed_at is not None else "")
    )


if __name__ == "__main__":
    main()
