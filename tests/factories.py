from __future__ import annotations

import datetime as dt

import factory
from django.contrib.auth import get_user_model

from minutes.models import AgendaItem, Body, Meeting
from tracker.models import ActionItem, Membership, Person, Role, RoleAssignment


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = get_user_model()
        django_get_or_create = ("username",)
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    email = factory.LazyAttribute(lambda u: f"{u.username}@example.org")
    password = factory.PostGenerationMethodCall("set_password", "korrekt-hest-batteri-42")

    @factory.post_generation
    def _save(obj, create, extracted, **kwargs):  # noqa: N805 - factory_boy's signature
        if create:
            obj.save()


class BodyFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Body
        django_get_or_create = ("name",)

    name = factory.Sequence(lambda n: f"Forum {n}")
    slug = factory.Sequence(lambda n: f"forum-{n}")


class MeetingFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Meeting

    body = factory.SubFactory(BodyFactory)
    date = factory.Sequence(lambda n: dt.date(2022, 1, 1) + dt.timedelta(days=n))
    location = "Mødelokale 1"


class AgendaItemFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = AgendaItem

    meeting = factory.SubFactory(MeetingFactory)
    number = factory.Sequence(lambda n: n + 1)
    title = factory.Sequence(lambda n: f"Punkt {n}")
    case_number = factory.Sequence(lambda n: f"22/{10000 + n}")


class PersonFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Person

    name = factory.Sequence(lambda n: f"Person {n}")
    email = factory.LazyAttribute(lambda p: f"{p.name.split()[0].lower()}@example.org")


class MembershipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Membership

    person = factory.SubFactory(PersonFactory)
    body = factory.SubFactory(BodyFactory)


class RoleFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Role
        django_get_or_create = ("name",)

    name = factory.Sequence(lambda n: f"Rolle {n}")


class RoleAssignmentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = RoleAssignment

    role = factory.SubFactory(RoleFactory)
    person = factory.SubFactory(PersonFactory)
    starts_on = dt.date(2020, 1, 1)
    shared = factory.LazyAttribute(lambda a: a.role.is_shared)


class ActionItemFactory(factory.django.DjangoModelFactory):
    """An open, confirmed follow-up (services are the way in production; factories set rows up for tests)."""

    class Meta:
        model = ActionItem

    title = factory.Sequence(lambda n: f"Opfølgning {n}")
    body = factory.SubFactory(BodyFactory)
    source_item = factory.SubFactory(AgendaItemFactory, meeting__body=factory.SelfAttribute("...body"))
    quote = factory.LazyAttribute(lambda i: f"{i.title} skal være færdig.")
    due_date = dt.date(2022, 5, 12)
    window_start = factory.LazyAttribute(lambda i: i.due_date)
    precision = ActionItem.Precision.DAY
    status = ActionItem.Status.OPEN
