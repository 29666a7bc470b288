"""Who may see and change what: the one place that decides.

Every view, FilterSet, feed and API endpoint starts from these querysets, so a
rule changed here changes everywhere.

- Administrators (superusers) see and change everything.
- A forum's secretaries see everything of their forums and may edit it.
- A forum's members see the forum's confirmed items (not proposals) and may
  change the status of the items that are theirs: as the responsible person or
  as today's holder of the responsible role.
- Anyone else sees nothing.
"""
from __future__ import annotations

import datetime as dt

from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
from django.core.exceptions import PermissionDenied
from django.db.models import Q, QuerySet
from django.http import Http404
from django.utils import timezone

from minutes.models import Body, Meeting
from tracker.models import ActionItem, Membership, Person, Role, RoleAssignment

User = AbstractBaseUser | AnonymousUser

# Statuses a member (not a secretary) ever sees: proposals are the secretary's
# draft, rejected ones never became commitments.
MEMBER_VISIBLE_STATUSES = (ActionItem.Status.OPEN, ActionItem.Status.DONE, ActionItem.Status.CANCELLED)


def local_today() -> dt.date:
    return timezone.localdate()


def person_for(user: User) -> Person | None:
    """The Person linked to a login, cached on the user object for the request."""
    if not user.is_authenticated:
        return None
    if not hasattr(user, "_tracker_person"):
        user._tracker_person = Person.objects.filter(user=user).first()
    return user._tracker_person


def _memberships(user: User) -> list[Membership]:
    if not hasattr(user, "_tracker_memberships"):
        person = person_for(user)
        user._tracker_memberships = list(Membership.objects.filter(person=person)) if person else []
    return user._tracker_memberships


def member_body_ids(user: User) -> set[int]:
    return {m.body_id for m in _memberships(user)}


def secretary_body_ids(user: User) -> set[int]:
    return {m.body_id for m in _memberships(user) if m.is_secretary}


def is_admin(user: User) -> bool:
    return bool(user.is_authenticated and user.is_active and user.is_superuser)


def is_secretary(user: User, body: Body | int | None = None) -> bool:
    """Secretary of the given forum, or of any forum when none is given."""
    if is_admin(user):
        return True
    ids = secretary_body_ids(user)
    if body is None:
        return bool(ids)
    return (body if isinstance(body, int) else body.pk) in ids


def visible_bodies(user: User) -> QuerySet[Body]:
    if is_admin(user):
        return Body.objects.all()
    return Body.objects.filter(pk__in=member_body_ids(user))


def editable_bodies(user: User) -> QuerySet[Body]:
    if is_admin(user):
        return Body.objects.all()
    return Body.objects.filter(pk__in=secretary_body_ids(user))


def visible_meetings(user: User) -> QuerySet[Meeting]:
    return Meeting.objects.filter(body__in=visible_bodies(user))


def visible_roles(user: User) -> QuerySet[Role]:
    """The roles of the user's forums and those across forums; nothing for someone in no forum."""
    if is_admin(user):
        return Role.objects.all()
    if not member_body_ids(user):
        return Role.objects.none()
    return Role.objects.filter(Q(body_id__in=member_body_ids(user)) | Q(body__isnull=True))


def visible_people(user: User) -> QuerySet[Person]:
    """The members of the user's forums."""
    if is_admin(user):
        return Person.objects.all()
    return Person.objects.filter(memberships__body_id__in=member_body_ids(user)).distinct()


def editable_roles(user: User) -> QuerySet[Role]:
    """Roles whose holders the user records: their forums' roles; roles across forums only for administrators."""
    if is_admin(user):
        return Role.objects.all()
    return Role.objects.filter(body_id__in=secretary_body_ids(user))


def held_role_ids(person: Person | None, on: dt.date) -> list[int]:
    if person is None:
        return []
    return list(
        RoleAssignment.objects.filter(person=person, starts_on__lte=on)
        .filter(Q(ends_on__isnull=True) | Q(ends_on__gt=on))
        .values_list("role_id", flat=True)
    )


def current_holders(role: Role, on: dt.date) -> QuerySet[Person]:
    return Person.objects.filter(
        Q(role_assignments__ends_on__isnull=True) | Q(role_assignments__ends_on__gt=on),
        role_assignments__role=role,
        role_assignments__starts_on__lte=on,
    ).distinct()


def visible_items(user: User) -> QuerySet[ActionItem]:
    """Every item the user may see, whatever its status (filter further as needed)."""
    if not user.is_authenticated or not user.is_active:
        return ActionItem.objects.none()
    if is_admin(user):
        return ActionItem.objects.all()
    secretary_of = secretary_body_ids(user)
    member_of = member_body_ids(user) - secretary_of
    return ActionItem.objects.filter(
        Q(body_id__in=secretary_of) | Q(body_id__in=member_of, status__in=MEMBER_VISIBLE_STATUSES)
    )


def owned_items_q(user: User, on: dt.date | None = None) -> Q:
    """Items that are the user's: as the responsible person, or through a role held on the day."""
    person = person_for(user)
    if person is None:
        return Q(pk__in=[])
    if on is None or on == local_today():
        roles = _role_ids_held_today(user)
    else:
        roles = held_role_ids(person, on)
    return Q(responsible_person=person) | Q(responsible_role_id__in=roles)


def my_open_items(user: User, on: dt.date | None = None) -> QuerySet[ActionItem]:
    """ "Mine opgaver": open items where I am the person, or hold the responsible role today."""
    return visible_items(user).filter(owned_items_q(user, on), status=ActionItem.Status.OPEN)


def can_edit_item(user: User, item: ActionItem) -> bool:
    """Edit text, dates and assignment: the forum's secretaries and administrators."""
    return is_secretary(user, item.body_id)


def can_change_status(user: User, item: ActionItem) -> bool:
    """Mark done, reopen, comment: editors, and the owner of an item."""
    if can_edit_item(user, item):
        return True
    if item.status == ActionItem.Status.PROPOSED or item.body_id not in member_body_ids(user):
        return False
    person = person_for(user)
    if person is None:
        return False
    if item.responsible_person_id == person.pk:
        return True
    return item.responsible_role_id is not None and item.responsible_role_id in _role_ids_held_today(user)


def _role_ids_held_today(user: User) -> list[int]:
    """held_role_ids for today, cached on the user object so a list of items costs one query, not one per row."""
    today = local_today()
    cached = getattr(user, "_tracker_role_ids", None)
    if cached is None or cached[0] != today:
        user._tracker_role_ids = (today, held_role_ids(person_for(user), today))
    return user._tracker_role_ids[1]


def get_item_for_user(user: User, pk: int, *, for_change: bool = False, for_edit: bool = False) -> ActionItem:
    """The item, or 404 when the user may not see it, or PermissionDenied when they may only read it."""
    try:
        item = visible_items(user).select_related(
            "body", "source_item__meeting__body", "responsible_role", "responsible_person"
        ).get(pk=pk)
    except ActionItem.DoesNotExist:
        raise Http404 from None
    if for_edit and not can_edit_item(user, item):
        raise PermissionDenied
    if for_change and not can_change_status(user, item):
        raise PermissionDenied
    return item
