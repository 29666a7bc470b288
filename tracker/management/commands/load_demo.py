"""Demo data a newcomer can click through: two forums, their roles and people, two logins.

Safe to run again: it only creates what is missing.
"""
from __future__ import annotations

import datetime as dt

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand
from django.db import transaction

from minutes.models import Body
from tracker import services
from tracker.models import Membership, Person, Role

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

        self.stdout.write(self.style.SUCCESS("Demodata er klar."))
        for username, (password, name, _email) in DEMO_LOGINS.items():
            self.stdout.write(f"  Log ind som {name}: brugernavn {username}, adgangskode {password}")
