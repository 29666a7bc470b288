"""Generate a municipality-sized data set for benchmarks: forums, roles, people,
twenty years of meetings and 100,000 follow-ups with history and reminders.

Rows are written with bulk inserts in batches, bypassing the services on
purpose: this is bulk data for measuring reads, and replaying 100,000 service
calls would take an hour. The result obeys every database constraint.

    python manage.py generate_data                 # the full size
    python manage.py generate_data --items 5000    # smaller, for a quick look
"""
from __future__ import annotations

import datetime as dt
import random
import time
from collections.abc import Iterable, Iterator
from typing import Any, TypeVar

from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import models, transaction
from django.utils import timezone
from django.utils.text import slugify

from minutes.models import AgendaItem, Body, Meeting
from tracker.models import (
    ActionItem,
    ActionItemEvent,
    Membership,
    Person,
    Reminder,
    Role,
    RoleAssignment,
)

M = TypeVar("M", bound=models.Model)
DANISH_LETTERS = str.maketrans({"æ": "ae", "ø": "oe", "å": "aa", "Æ": "Ae", "Ø": "Oe", "Å": "Aa"})

FORUMS = [
    ("Chefforum", "CF"), ("Direktionen", "DIR"), ("Økonomiudvalget", "ØU"), ("Børne- og Skoleudvalget", "BSU"),
    ("Social- og Sundhedsudvalget", "SSU"), ("Teknik- og Miljøudvalget", "TMU"), ("Kultur- og Fritidsudvalget", "KFU"),
    ("Beskæftigelsesudvalget", "BU"), ("Hovedudvalget", "HU"), ("Byrådet", "BR"),
]
ROLE_TITLES = [
    "Chef for Økonomi", "Chef for HR", "Chef for IT", "Chef for Børn og Unge", "Chef for Skole", "Chef for Dagtilbud",
    "Chef for Sundhed", "Chef for Ældre", "Chef for Handicap", "Chef for Beskæftigelse", "Chef for Teknik",
    "Chef for Miljø", "Chef for Plan", "Chef for Kultur", "Chef for Fritid", "Chef for Borgerservice",
    "Chef for Jura", "Chef for Kommunikation", "Chef for Indkøb", "Chef for Ejendomme", "Sekretær",
    "Direktør", "Kommunaldirektør", "Udvalgsformand", "Centerchef", "Afdelingschef", "Projektleder",
    "Controller", "Konsulent", "Koordinator",
]
FIRST = ["Anne", "Mette", "Henrik", "Lars", "Jørgen", "Charlotte", "Kathrine", "Søren", "Pia", "Rune", "Hanne",
         "Jens", "Louise", "Mads", "Camilla", "Peter", "Birgitte", "Thomas", "Sanne", "Mikkel", "Ida", "Ole"]
LAST = ["Jensen", "Nielsen", "Hansen", "Pedersen", "Andersen", "Christensen", "Larsen", "Sørensen", "Rasmussen",
        "Jørgensen", "Petersen", "Madsen", "Kristensen", "Olsen", "Thomsen", "Poulsen", "Holte", "Lerhard"]
TITLES = [
    "Status på budgetopfølgning", "Kommissorium for arbejdsgruppe", "Evaluering af sygefraværsindsats",
    "Handleplan for digitalisering", "Orientering om ny lovgivning", "Rekruttering og fastholdelse",
    "Opfølgning på virksomhedsplaner", "Boligbyggeprogram", "Sundhedspolitik", "Klimaplan", "Anlægsoversigt",
]
VERBS = [
    "udarbejder et notat om", "vender tilbage med en status på", "fremlægger en plan for", "sender materiale om",
    "følger op på", "indkalder til møde om", "beskriver konsekvenserne af",
]
PRECISIONS = [("day", 60), ("month", 15), ("month_part", 5), ("season", 3), ("quarter", 2), ("week", 3), ("none", 12)]


def batched(rows: Iterable[M], size: int) -> Iterator[list[M]]:
    batch: list[M] = []
    for row in rows:
        batch.append(row)
        if len(batch) == size:
            yield batch
            batch = []
    if batch:
        yield batch


class Command(BaseCommand):
    help = "Genererer store mængder realistiske data til målinger (fora, roller, personer, møder, opfølgninger)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--forums", type=int, default=10)
        parser.add_argument("--roles", type=int, default=300)
        parser.add_argument("--people", type=int, default=2000)
        parser.add_argument("--years", type=int, default=20)
        parser.add_argument("--items", type=int, default=100_000, help="Antal opfølgninger i alt.")
        parser.add_argument("--seed", type=int, default=2024)
        parser.add_argument("--today", type=dt.date.fromisoformat, default=None, help="Dagen data er \"i dag\" for.")
        parser.add_argument("--batch-size", type=int, default=5000)

    def handle(self, *args: Any, **opts: Any) -> None:
        if opts["forums"] > len(FORUMS) or opts["forums"] < 1:
            raise CommandError(f"--forums skal være mellem 1 og {len(FORUMS)}.")
        self.rng = random.Random(opts["seed"])
        self.batch = opts["batch_size"]
        self.today = opts["today"] or timezone.localdate()
        started = time.perf_counter()
        with transaction.atomic():
            bodies = self._bodies(opts["forums"])
            people = self._people(opts["people"], bodies)
            roles = self._roles(opts["roles"], bodies, people)
            meetings = self._meetings(bodies, opts["years"], opts["items"])
            agenda = self._agenda(meetings)
            items = self._items(agenda, roles, people, opts["items"])
            self._events_and_reminders(items, people)
        self.stdout.write(self.style.SUCCESS(f"Færdig på {time.perf_counter() - started:.1f} s."))

    def _log(self, what: str, count: int) -> None:
        self.stdout.write(f"  {count:>7} {what}")

    def _bodies(self, count: int) -> list[Body]:
        bodies = []
        for name, abbreviation in FORUMS[:count]:
            body, _ = Body.objects.get_or_create(
                name=f"{name} (genereret)", defaults={"slug": slugify(f"gen-{name}".translate(DANISH_LETTERS)), "abbreviation": abbreviation}
            )
            bodies.append(body)
        self._log("fora", len(bodies))
        return bodies

    def _people(self, count: int, bodies: list[Body]) -> list[Person]:
        User = get_user_model()
        password = make_password("genereret-data-2024")
        start = Person.objects.count()
        users = User.objects.bulk_create(
            [User(username=f"gen{start + n}", password=password, email=f"gen{start + n}@example.org")
             for n in range(count // 10)],
            batch_size=self.batch,
        )
        people = [
            Person(
                name=f"{self.rng.choice(FIRST)} {self.rng.choice(LAST)}",
                email="" if n % 50 == 0 else f"person{start + n}@example.org",
                user=users[n] if n < len(users) else None,
            )
            for n in range(count)
        ]
        people = Person.objects.bulk_create(people, batch_size=self.batch)
        memberships = []
        for n, person in enumerate(people):
            for body in self.rng.sample(bodies, k=min(len(bodies), 1 + n % 2)):
                memberships.append(Membership(person=person, body=body, is_secretary=n % 97 == 0))
        Membership.objects.bulk_create(memberships, batch_size=self.batch, ignore_conflicts=True)
        self._log("personer", len(people))
        return people

    def _roles(self, count: int, bodies: list[Body], people: list[Person]) -> list[Role]:
        roles = []
        for n in range(count):
            body = bodies[n % len(bodies)]
            title = ROLE_TITLES[(n // len(bodies)) % len(ROLE_TITLES)]
            roles.append(Role(name=f"{title} ({body.abbreviation} {n})", body=body, is_chef=title.startswith("Chef"),
                              aliases=[title.lower()]))
        roles = Role.objects.bulk_create(roles, batch_size=self.batch)
        # Each role has had a few holders over the years, one at a time.
        assignments = []
        first_day = self.today.replace(year=self.today.year - 20)
        for role in roles:
            start = first_day
            while start < self.today:
                end = start + dt.timedelta(days=self.rng.randint(700, 3000))
                assignments.append(RoleAssignment(
                    role=role, person=self.rng.choice(people), starts_on=start,
                    ends_on=end if end <= self.today else None,
                ))
                start = end
        RoleAssignment.objects.bulk_create(assignments, batch_size=self.batch)
        self._log("roller", len(roles))
        self._log("rollebesættelser", len(assignments))
        return roles

    def _meetings(self, bodies: list[Body], years: int, items: int) -> list[Meeting]:
        per_body_per_year = max(1, min(40, items // max(1, len(bodies) * years * 20)))
        meetings = []
        first = self.today.replace(year=self.today.year - years)
        days = (self.today + dt.timedelta(days=60) - first).days
        for body in bodies:
            count = per_body_per_year * years
            for date in sorted({first + dt.timedelta(days=int(days * k / count)) for k in range(count)}):
                meetings.append(Meeting(body=body, date=date, location="Mødelokale 1",
                                        start_time=dt.time(9, 0), participants=[]))
        meetings = Meeting.objects.bulk_create(meetings, batch_size=self.batch, ignore_conflicts=False)
        self._log("møder", len(meetings))
        return meetings

    def _agenda(self, meetings: list[Meeting]) -> list[AgendaItem]:
        rows = []
        for meeting in meetings:
            for number in range(1, 7):
                closed = number == 3 and self.rng.random() < 0.2
                rows.append(AgendaItem(
                    meeting=meeting, number=number, closed=closed,
                    title="Lukket" if closed else f"{self.rng.choice(TITLES)} {meeting.date.year}",
                    case_number=f"{meeting.date.year % 100:02d}/{self.rng.randint(100, 30000)}",
                    outcome="closed" if closed else self.rng.choice(["approved", "noted", "discussed", "decided"]),
                ))
        rows = AgendaItem.objects.bulk_create(rows, batch_size=self.batch)
        self._log("dagsordenspunkter", len(rows))
        return rows

    def _items(self, agenda: list[AgendaItem], roles: list[Role], people: list[Person], count: int) -> list[ActionItem]:
        open_agenda = [a for a in agenda if not a.closed]
        roles_by_body: dict[int, list[Role]] = {}
        for role in roles:
            roles_by_body.setdefault(role.body_id, []).append(role)
        precision_pool = [p for p, weight in PRECISIONS for _ in range(weight)]
        now = timezone.now()
        rows = []
        for n in range(count):
            source = open_agenda[n % len(open_agenda)]
            meeting = source.meeting
            precision = self.rng.choice(precision_pool)
            due = meeting.date + dt.timedelta(days=self.rng.randint(7, 150))
            window_start = due
            if precision == "none":
                due = window_start = None
            elif precision in ("month", "season", "quarter"):
                window_start = due.replace(day=1)
            elif precision == "week":
                window_start = due - dt.timedelta(days=due.weekday())
            age = (self.today - meeting.date).days
            if age > 120:
                status = self.rng.choices(["done", "cancelled", "open"], weights=[90, 7, 3])[0]
            elif age > 0:
                status = self.rng.choices(["done", "open", "proposed"], weights=[30, 65, 5])[0]
            else:
                status = self.rng.choices(["open", "proposed"], weights=[80, 20])[0]
            role = self.rng.choice(roles_by_body[meeting.body_id]) if self.rng.random() < 0.7 else None
            person = self.rng.choice(people) if role is None or self.rng.random() < 0.2 else None
            title = f"{self.rng.choice(VERBS).capitalize()} {source.title.lower()}"
            rows.append(ActionItem(
                title=title, body_id=meeting.body_id, source_item=source,
                quote=f"{role.name if role else person.name} {self.rng.choice(VERBS)} {source.title.lower()}.",
                section=self.rng.choice(["Beslutning", "Indstilling", "Sagsfremstilling"]),
                due_date=due, window_start=window_start, precision=precision,
                responsible_role=role, responsible_person=person, status=status,
                completed_at=now if status == "done" else None, version=1 + n % 4,
            ))
        created = ActionItem.objects.bulk_create(rows, batch_size=self.batch)
        self._log("opfølgninger", len(created))
        return created

    def _events_and_reminders(self, items: list[ActionItem], people: list[Person]) -> None:
        events, reminders = [], []
        now = timezone.now()
        for item in items:
            events.append(ActionItemEvent(item=item, kind="proposed"))
            if item.status != "proposed":
                events.append(ActionItemEvent(item=item, kind="confirmed", changes={"status": ["proposed", "open"]}))
            if item.status in ("done", "cancelled"):
                events.append(ActionItemEvent(item=item, kind="completed" if item.status == "done" else "cancelled",
                                              changes={"status": ["open", item.status]}))
            if item.due_date is None or item.status == "proposed":
                continue
            recipient = item.responsible_person or self.rng.choice(people)
            send_on = item.due_date - dt.timedelta(days=1)
            pending = item.status == "open" and send_on >= self.today
            reminders.append(Reminder(
                item=item, recipient=recipient, kind=Reminder.Kind.BEFORE, send_on=send_on,
                due_at=timezone.make_aware(dt.datetime.combine(send_on, dt.time(7, 30))),
                status=Reminder.Status.PENDING if pending else Reminder.Status.SENT,
                sent_at=None if pending else now,
            ))
        for batch in batched(events, self.batch):
            ActionItemEvent.objects.bulk_create(batch)
        for batch in batched(reminders, self.batch):
            Reminder.objects.bulk_create(batch, ignore_conflicts=True)
        self._log("hændelser", len(events))
        self._log("påmindelser", len(reminders))
