"""Reminders through real Celery workers, against this machine's Redis and PostgreSQL.

Each test starts ``celery -A config worker`` processes on the test database,
with the file e-mail backend writing into a temporary folder, listening on a
queue of its own (other people's workers on the same Redis never see our
tasks), and publishes beat's task ``tracker.tasks.send_due_reminders`` through
the broker, as beat does every minute. Workers are always killed at the end.
"""
from __future__ import annotations

import datetime as dt
import email
import email.policy
import os
import re
import signal
import socket
import subprocess
import sys
import time
import uuid
from collections import Counter
from contextlib import contextmanager
from pathlib import Path

import pytest
import redis
from django.conf import settings
from django.db import connection
from django.urls import reverse
from django.utils import timezone

from config.celery import app as celery_app
from tests.conftest import PASSWORD
from tests.factories import AgendaItemFactory, MeetingFactory
from minutes.parsing.dates import format_date_da
from tracker import services
from tracker.models import ActionItem, Person, Reminder
from tracker.policy import danish_working_days
from tracker.reminders import notify_new_assignments

pytestmark = [pytest.mark.slow, pytest.mark.django_db(transaction=True)]

ROOT = Path(__file__).resolve().parents[2]
CELERY = str(Path(sys.executable).with_name("celery"))
SEND_TASK = "tracker.tasks.send_due_reminders"
MESSAGE_ID = re.compile(rb"^Message-ID: <reminder-(\d+)@", re.MULTILINE)


# -- Helpers --------------------------------------------------------------------------------------


def test_database_url() -> str:
    s = connection.settings_dict
    auth = s["USER"] + (f":{s['PASSWORD']}" if s["PASSWORD"] else "")
    return f"postgres://{auth}@{s['HOST'] or '127.0.0.1'}:{s['PORT'] or 5432}/{s['NAME']}"


test_database_url.__test__ = False  # a helper, not a test


class Workers:
    """Celery worker processes on the test database, killed (with their children) on exit."""

    def __init__(self, mail_dir: Path, log_dir: Path, *, lease_seconds: int = 60) -> None:
        self.queue = f"reminders-test-{uuid.uuid4().hex[:10]}"
        self.mail_dir, self.log_dir = mail_dir, log_dir
        self.env = {
            **os.environ,
            "DATABASE_URL": test_database_url(),
            "REDIS_URL": settings.REDIS_URL,
            "EMAIL_BACKEND": "django.core.mail.backends.filebased.EmailBackend",
            "EMAIL_FILE_PATH": str(mail_dir),
            "REMINDER_CLAIM_LEASE_SECONDS": str(lease_seconds),
            "SITE_URL": "https://opfolgning.example.dk",
            "DJANGO_SETTINGS_MODULE": "config.settings",
        }
        self.procs: list[tuple[subprocess.Popen, Path]] = []

    def start(self, *, concurrency: int = 1, pool: str = "prefork") -> subprocess.Popen:
        n = len(self.procs)
        log = self.log_dir / f"worker-{n}.log"
        proc = subprocess.Popen(
            [CELERY, "-A", "config", "worker", "-Q", self.queue, "-n", f"{self.queue}-{n}@%h",
             "--pool", pool, "--concurrency", str(concurrency), "--loglevel", "INFO",
             "--without-gossip", "--without-mingle", "--without-heartbeat"],
            cwd=ROOT, env=self.env, stdout=log.open("wb"), stderr=subprocess.STDOUT, start_new_session=True,
        )
        self.procs.append((proc, log))
        deadline = time.monotonic() + 60
        while b" ready." not in log.read_bytes():
            if proc.poll() is not None or time.monotonic() > deadline:
                raise AssertionError(f"worker did not start:\n{log.read_text(errors='replace')[-3000:]}")
            time.sleep(0.1)
        return proc

    def publish(self, count: int = 1) -> None:
        for _ in range(count):
            celery_app.send_task(SEND_TASK, queue=self.queue)

    def kill(self, proc: subprocess.Popen) -> None:
        """SIGKILL the worker and its pool processes: no chance to clean up."""
        try:
            os.killpg(proc.pid, signal.SIGKILL)
        except ProcessLookupError:
            pass
        proc.wait(timeout=10)

    def logs(self) -> list[str]:
        return [log.read_text(errors="replace") for _, log in self.procs]

    def close(self) -> None:
        for proc, _ in self.procs:
            if proc.poll() is None:
                self.kill(proc)
        client = redis.Redis.from_url(settings.REDIS_URL)
        client.delete(self.queue)
        for key in client.scan_iter("_kombu.binding.*"):
            for member in client.smembers(key):
                if self.queue.encode() in member:
                    client.srem(key, member)


@pytest.fixture
def workers(tmp_path):
    (tmp_path / "mail").mkdir()
    (tmp_path / "logs").mkdir()
    pool = Workers(tmp_path / "mail", tmp_path / "logs")
    try:
        yield pool
    finally:
        pool.close()


def read_mails(mail_dir: Path) -> list[email.message.EmailMessage]:
    """The messages the file mail backend wrote (it separates them with a line of 79 dashes)."""
    messages = []
    for path in sorted(mail_dir.iterdir()):
        for chunk in path.read_bytes().split(b"\n" + b"-" * 79 + b"\n"):
            if chunk.strip():
                messages.append(email.message_from_bytes(chunk, policy=email.policy.default))
    return messages


def sent_message_ids(mail_dir: Path) -> Counter[int]:
    """How often each outbox row's message was handed to the (file) mail backend."""
    counts: Counter[int] = Counter()
    for path in mail_dir.iterdir():
        counts.update(int(pk) for pk in MESSAGE_ID.findall(path.read_bytes()))
    return counts


def wait_until(condition, *, timeout: float, every: float = 0.2, what: str = "") -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out waiting for {what}")
        time.sleep(every)


def pending_due() -> int:
    return Reminder.objects.filter(status=Reminder.Status.PENDING, due_at__lte=timezone.now()).count()


def due_reminders(count: int) -> list[int]:
    """``count`` reminders due a minute ago, spread over ten people, one per item."""
    from minutes.models import Body

    body = Body.objects.create(name="Chefforum", slug="chefforum")
    people = [Person.objects.create(name=f"Chef {n}", email=f"chef{n}@example.org") for n in range(10)]
    today = timezone.localdate()
    items = ActionItem.objects.bulk_create(
        ActionItem(body=body, title=f"Opfølgning {n}", due_date=today + dt.timedelta(days=30),
                   window_start=today + dt.timedelta(days=30), precision="day", status="open",
                   responsible_person=people[n % 10])
        for n in range(count)
    )
    now = timezone.now()
    rows = Reminder.objects.bulk_create(
        Reminder(item=item, recipient_id=item.responsible_person_id, kind="before", send_on=today,
                 due_at=now - dt.timedelta(minutes=1))
        for item in items
    )
    return [r.pk for r in rows]


@contextmanager
def broker_at(url: str):
    """Point this process's Celery app at another broker (and drop its cached connections)."""
    old = celery_app.conf.broker_url
    celery_app.conf.broker_url = url
    celery_app._pool = None
    celery_app.amqp._producer_pool = None
    try:
        yield
    finally:
        celery_app.conf.broker_url = old
        celery_app._pool = None
        celery_app.amqp._producer_pool = None


def in_60_days() -> dt.date:
    return timezone.localdate() + dt.timedelta(days=60)


def closed_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


# -- Tests ----------------------------------------------------------------------------------------


def test_beats_schedule_names_tasks_the_worker_knows():
    celery_app.loader.import_default_modules()
    for entry in settings.CELERY_BEAT_SCHEDULE.values():
        assert entry["task"] in celery_app.tasks


def test_a_real_worker_sends_each_due_email_once(workers, personas):
    meeting = MeetingFactory(body=personas.body, date=dt.date(2022, 4, 28))
    proposals = [
        ActionItem.objects.create(
            body=personas.body, source_item=AgendaItemFactory(meeting=meeting, number=n), title=f"Opgave {n}",
            due_date=in_60_days(), window_start=in_60_days(), precision="day", responsible_role=personas.role,
        )
        for n in (3, 4, 5)
    ]
    # What the review page does when the secretary confirms the meeting's proposals.
    confirmed = [services.action_item_confirm(item=item, by=personas.alice) for item in proposals]
    notify_new_assignments(items=confirmed, by=personas.alice)
    # And a reminder planned earlier that is due now.
    bob = Person.objects.get(user=personas.bob)
    Reminder.objects.create(item=confirmed[0], recipient=bob, kind="before", send_on=timezone.localdate(),
                            due_at=timezone.now() - dt.timedelta(minutes=5))
    due = set(Reminder.objects.filter(status="pending", due_at__lte=timezone.now()).values_list("pk", flat=True))
    later = set(Reminder.objects.filter(status="pending", due_at__gt=timezone.now()).values_list("pk", flat=True))
    assert len(due) == 2 and later

    workers.start(concurrency=2)
    workers.publish(3)  # three beat ticks, possibly at once
    wait_until(lambda: pending_due() == 0, timeout=60, what="the due reminders to be sent")
    time.sleep(1)

    assert sent_message_ids(workers.mail_dir) == Counter({pk: 1 for pk in due})
    assert set(Reminder.objects.filter(status="sent").values_list("pk", flat=True)) == due
    assert set(Reminder.objects.filter(status="pending").values_list("pk", flat=True)) == later
    mails = {str(m["Subject"]).strip(): m for m in read_mails(workers.mail_dir)}
    assert sorted(mails) == [
        "Du har fået 3 nye opfølgninger fra Chefforum 28. april 2022",
        f"Påmindelse: Opgave 3 – frist {format_date_da(confirmed[0].due_date)}",
    ]
    assert all(m["To"] == "Bob Økonomichef <bob@example.org>" for m in mails.values())
    body = mails["Du har fået 3 nye opfølgninger fra Chefforum 28. april 2022"].get_body(("plain",)).get_content()
    assert f"https://opfolgning.example.dk/opfoelgninger/{confirmed[0].pk}/" in body


def test_two_workers_sweeping_the_same_1000_reminders_send_each_once(workers):
    rows = due_reminders(1000)
    workers.start(pool="solo")
    workers.start(pool="solo")
    workers.publish(4)
    wait_until(lambda: pending_due() == 0, timeout=120, what="1,000 reminders to be sent")
    time.sleep(1)

    counts = sent_message_ids(workers.mail_dir)
    assert set(counts) == set(rows)
    assert [pk for pk, n in counts.items() if n > 1] == []
    assert Reminder.objects.filter(status="sent").count() == 1000
    # Both workers took part.
    per_worker = [sum(map(int, re.findall(r"Reminder sweep: sendt (\d+)", log))) for log in workers.logs()]
    assert sum(per_worker) == 1000 and all(per_worker), per_worker


def test_a_worker_killed_mid_sweep_loses_nothing_and_repeats_nothing_that_was_recorded(tmp_path):
    (tmp_path / "mail").mkdir()
    (tmp_path / "logs").mkdir()
    workers = Workers(tmp_path / "mail", tmp_path / "logs", lease_seconds=5)
    try:
        rows = due_reminders(1000)
        first = workers.start(concurrency=2)
        workers.publish(2)
        wait_until(lambda: Reminder.objects.filter(status="sent").count() >= 150, timeout=60, every=0.01,
                   what="the sweep to get going")
        workers.kill(first)

        sent_before = set(Reminder.objects.filter(status="sent").values_list("pk", flat=True))
        in_flight = set(Reminder.objects.filter(status="pending", attempts__gt=0).values_list("pk", flat=True))
        assert 150 <= len(sent_before) < 1000, "the kill must land mid-sweep"

        workers.start(concurrency=2)
        # Beat would publish every minute; the rows the dead worker held are due when its lease (5 s) ends.
        deadline = time.monotonic() + 120
        while Reminder.objects.filter(status="pending").exists():
            assert time.monotonic() < deadline, "the restarted worker did not finish"
            workers.publish()
            time.sleep(2)
        time.sleep(1)
    finally:
        workers.close()

    counts = sent_message_ids(workers.mail_dir)
    assert set(counts) == set(rows), "every reminder was sent"
    assert Reminder.objects.filter(status="sent").count() == 1000
    repeated = {pk for pk, n in counts.items() if n > 1}
    # A row recorded as sent is never sent again. The only possible repeat is a message a
    # killed process had handed over but not yet recorded: at most one per pool process,
    # sent again with the same Message-ID (see tracker/sending.py).
    assert not repeated & sent_before
    assert repeated <= in_flight and len(repeated) <= 2 and all(counts[pk] == 2 for pk in repeated)
    print(f"killed after {len(sent_before)} sent, {len(in_flight)} claimed; repeated: {len(repeated)}")


def test_with_redis_down_items_still_change_and_the_reminders_go_out_when_it_is_back(workers, personas, client):
    meeting = MeetingFactory(body=personas.body, date=dt.date(2022, 4, 28))
    proposal = ActionItem.objects.create(
        body=personas.body, source_item=AgendaItemFactory(meeting=meeting, number=4), title="Kommissorierne",
        due_date=in_60_days(), window_start=in_60_days(), precision="day", responsible_role=personas.role,
    )
    with broker_at(f"redis://127.0.0.1:{closed_port()}/0"):
        # The broker really is unreachable from this process.
        started = time.monotonic()
        with pytest.raises(Exception):
            celery_app.send_task(SEND_TASK, queue=workers.queue)
        assert time.monotonic() - started < 10

        started = time.monotonic()
        item = services.action_item_confirm(item=proposal, by=personas.alice)
        notify_new_assignments(items=[item], by=personas.alice)
        assert client.login(username="alice", password=PASSWORD)
        new_due = timezone.localdate() + dt.timedelta(days=90)
        response = client.post(
            reverse("tracker:item_change_due", args=[item.pk]),
            {"due_date": new_due.isoformat(), "reason": "Afventer KL", "expected_version": item.version},
        )
        assert response.status_code == 302
        assert time.monotonic() - started < 5, "nothing in the request path waits for Redis"

    item.refresh_from_db()
    assert item.due_date == new_due and item.status == "open"
    due_day = Reminder.objects.get(item=item, kind="due", status="pending")
    assert due_day.send_on == danish_working_days().on_or_before(new_due)
    notice = Reminder.objects.get(kind="assigned")
    assert notice.status == "pending"

    # Redis is back: the next beat tick sends what is due.
    workers.start()
    workers.publish()
    wait_until(lambda: pending_due() == 0, timeout=60, what="the reminders after the outage")
    time.sleep(0.5)
    assert sent_message_ids(workers.mail_dir) == Counter({notice.pk: 1})
