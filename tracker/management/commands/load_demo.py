"""Demo data a newcomer can click through: two forums, their roles and people, two logins,
and the five sample minutes imported, partly reviewed.

Safe to run again: it only creates what is missing.
"""
from __future__ import annotations

import datetime as dt
from pathlib import Path

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand
from django.db import transaction
from django.utils import timezone

from minutes.importing import Status as ImportStatus
from minutes.importing import import_file
from minutes.models import Body, Meeting
from tracker import services
from tracker.models import ActionItem, Membership, Person, Role
from tracker.reminders import notify_new_assignments

SAMPLES = Path(__file__).resolve().parents[3] / "minutes" / "samples"

DEMO_LOGINS = {
    "sekretaer": ("demo-sekretaer-2024", "Sanne Sekretær", "sanne@example.org"),
    "chef": ("demo-chef-2024", "Mette Duekilde", "mette@example.org"),
}

FORUMS = [
    {
        "name": "Chefforum", "slug": "chefforum", "abbreviation": "CF",
        "roles": [
            ("Kommunaldirektør", ["Kommunaldirektøren", "KD"], False, "Kirsten Kommunaldirektør"),
            ("Chef for Økonomi & Stab", ["Økonomichefen", "ØDC", "Chef for Økonomi og Stab"], True, "Ole Økonomi"),
            ("Chef for Børn og Unge", ["Børne- og ungechefen"], True, "Henrik Hansen"),
            ("Chef for Social og Sundhed", ["Social- og sundhedschefen"], True, "Mette Duekilde"),
            ("Afdelingschef", ["Afdelingscheferne", "afdelingschefen"], True, None),
            ("Sekretær for Chefforum", ["sekretæren for Chefforum", "sekretæren", "sekretariatet"], False, "Sanne Sekretær"),
        ],
    },
    {
        "name": "Direktionen", "slug": "direktionen", "abbreviation": "",
        "aliases": ["direktionsmøde", "direktionen"],
        "roles": [
            ("Kommunaldirektør (Direktionen)", ["Kommunaldirektøren"], False, "Lars Holte"),
            ("Direktør for Børn og Kultur", ["Børne- og kulturdirektøren"], True, "Jørgen Lerhard"),
            ("Direktør for Social og Sundhed", ["Social- og sundhedsdirektøren"], True, "Charlotte Markussen"),
            ("Direktør for By og Miljø", ["By- og miljødirektøren"], True, "Anya Krogh Manghezi"),
            ("Chef for HR", ["HR-chefen"], True, "Kathrine Seier Skastrup"),
        ],
    },
]


class Command(BaseCommand):
    help = "Opretter demodata: fora, roller, personer og to demo-logins."

    @transaction.atomic
    def handle(self, *args: object, **options: object) -> None:
        User = get_user_model()
        people: dict[str, Person] = {}

        def person(name: str) -> Person:
            if name not in people:
                first = name.split()[0]
                people[name], _ = Person.objects.get_or_create(
                    name=name, defaults={"email": f"{first.lower()}@example.org", "aliases": [first]}
                )
            return people[name]

        for username, (password, name, email) in DEMO_LOGINS.items():
            user = User.objects.filter(username=username).first()
            if user is None:
                user = User.objects.create_user(username=username, password=password, email=email)
                first, _, last = name.partition(" ")
                user.first_name, user.last_name = first, last
                user.save()
            p = person(name)
            if p.user_id is None:
                p.user = user
                p.email = email
                p.save()

        for spec in FORUMS:
            body, _ = Body.objects.get_or_create(
                name=spec["name"],
                defaults={"slug": spec["slug"], "abbreviation": spec["abbreviation"], "aliases": spec.get("aliases", [])},
            )
            for role_name, aliases, is_chef, holder in spec["roles"]:
                role, created = Role.objects.get_or_create(
                    name=role_name, defaults={"aliases": aliases, "body": body, "is_chef": is_chef,
                                              "is_shared": holder is None},
                )
                if holder and created:
                    services.role_assign(role=role, person=person(holder), starts_on=dt.date(2019, 1, 1))
                if holder:
                    Membership.objects.get_or_create(person=person(holder), body=body)
        chefforum = Body.objects.get(name="Chefforum")
        Membership.objects.update_or_create(
            person=person("Sanne Sekretær"), body=chefforum, defaults={"is_secretary": True}
        )
        direktionen = Body.objects.get(name="Direktionen")
        Membership.objects.update_or_create(
            person=person("Sanne Sekretær"), body=direktionen, defaults={"is_secretary": True}
        )
        Membership.objects.get_or_create(person=person("Mette Duekilde"), body=direktionen)

        secretary = User.objects.get(username="sekretaer")
        self._import_samples(by=secretary, today=timezone.localdate())

        self.stdout.write(self.style.SUCCESS("Demodata er klar."))
        for username, (password, name, _email) in DEMO_LOGINS.items():
            self.stdout.write(f"  Log ind som {name}: brugernavn {username}, adgangskode {password}")

    def _import_samples(self, *, by: object, today: dt.date) -> None:
        """The sample minutes through the import service; a second run finds them imported already.

        Older meetings are reviewed the way a secretary would: proposals with a
        deadline or a known responsible are confirmed (the rest rejected), and
        some deadlines are moved or items completed, so "Mine opgaver" has
        overdue, current and later items. The newest meeting of each forum is
        left for the visitor to review.
        """
        created = []
        for path in sorted(SAMPLES.glob("*.txt")):
            result = import_file(data=path.read_bytes(), filename=path.name)
            self.stdout.write(f"  {path.name}: {result.message}")
            if result.status == ImportStatus.CREATED:
                created.append(result.meeting)
        newest = {body_id: max(m.date for m in created if m.body_id == body_id) for body_id in {m.body_id for m in created}}
        for meeting in sorted(created, key=lambda m: m.date):
            if meeting.date != newest[meeting.body_id]:
                self._review(meeting, by=by, today=today)

    def _review(self, meeting: Meeting, *, by: object, today: dt.date) -> None:
        chef_roles = list(Role.objects.filter(body=meeting.body, is_chef=True, is_shared=False).order_by("name"))
        proposals = ActionItem.objects.filter(source_item__meeting=meeting, status=ActionItem.Status.PROPOSED)
        for index, item in enumerate(proposals.order_by("quote_start")):
            has_owner = item.responsible_role_id or item.responsible_person_id
            if not has_owner and item.due_date is None:
                services.action_item_reject(item=item, by=by, comment="Ikke en opfølgning for forummet.")
                continue
            if not has_owner and chef_roles:
                item = services.action_item_update(item=item, by=by, responsible_role=chef_roles[index % len(chef_roles)])
            item = services.action_item_confirm(item=item, by=by)
            if item.due_date is None:
                continue
            if index % 4 == 1:
                services.action_item_update(
                    item=item, by=by, due_date=today + dt.timedelta(days=2 + index % 3), reason="Ny frist aftalt på mødet."
                )
            elif index % 4 == 2:
                services.action_item_update(
                    item=item, by=by, due_date=today + dt.timedelta(days=20 + 7 * index), reason="Udskudt efter aftale."
                )
            elif index % 4 == 3:
                services.action_item_complete(item=item, by=by, comment="Klaret.")
        # As the review page does: each responsible person gets one e-mail for the meeting
        # (shown by the worker in the console within a minute of starting).
        notify_new_assignments(items=list(ActionItem.objects.filter(source_item__meeting=meeting)), by=by)
