"""Query filters of the API's lists.

Action items use the very FilterSet of the "Alle opfølgninger" page
(``tracker.filters.ActionItemFilter``), so the API and the page filter alike;
the small FilterSets here cover the other lists. Every choice is limited to
what the user may see.
"""
from __future__ import annotations

from typing import Any

import django_filters
from django.db.models import Q, QuerySet
from django.utils.translation import gettext_lazy as _
from django_filters.rest_framework import DjangoFilterBackend

from minutes.models import AgendaItem, Body, Meeting
from tracker import access
from tracker.models import Person, Role, RoleAssignment


class FilterBackend(DjangoFilterBackend):
    """Hands the FilterSet the day the request is answered, as the list page does."""

    def get_filterset_kwargs(self, request: Any, queryset: QuerySet, view: Any) -> dict[str, Any]:
        kwargs = super().get_filterset_kwargs(request, queryset, view)
        if getattr(view, "filterset_needs_today", False):
            kwargs["today"] = access.local_today()
        return kwargs


def _visible_bodies(request: Any) -> QuerySet[Body]:
    return access.visible_bodies(request.user) if request is not None else Body.objects.none()


class MeetingFilter(django_filters.FilterSet):
    body = django_filters.ModelChoiceFilter(
        queryset=_visible_bodies, to_field_name="slug", label=_("Forum (kort navn)")
    )
    date_from = django_filters.DateFilter(field_name="date", lookup_expr="gte", label=_("Mødedato fra"))
    date_to = django_filters.DateFilter(field_name="date", lookup_expr="lte", label=_("Mødedato til"))

    class Meta:
        model = Meeting
        fields: list[str] = []


class AgendaItemFilter(django_filters.FilterSet):
    meeting = django_filters.NumberFilter(field_name="meeting_id", label=_("Møde"))
    body = django_filters.ModelChoiceFilter(
        field_name="meeting__body", queryset=_visible_bodies, to_field_name="slug", label=_("Forum (kort navn)")
    )
    case_number = django_filters.CharFilter(method="filter_case_number", label=_("Sagsnummer"))

    class Meta:
        model = AgendaItem
        fields: list[str] = []

    def filter_case_number(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        # A confidential item's case number is not shown, so it cannot be searched for either.
        return queryset.filter(case_number=value.strip(), closed=False)


class RoleFilter(django_filters.FilterSet):
    body = django_filters.ModelChoiceFilter(
        queryset=_visible_bodies, to_field_name="slug", label=_("Forum (kort navn)")
    )

    class Meta:
        model = Role
        fields: list[str] = []


class PersonFilter(django_filters.FilterSet):
    body = django_filters.ModelChoiceFilter(
        field_name="memberships__body", queryset=_visible_bodies, to_field_name="slug",
        label=_("Forum (kort navn)"),
    )

    class Meta:
        model = Person
        fields: list[str] = []


class RoleAssignmentFilter(django_filters.FilterSet):
    role = django_filters.NumberFilter(field_name="role_id", label=_("Rolle"))
    person = django_filters.NumberFilter(field_name="person_id", label=_("Person"))
    on = django_filters.DateFilter(method="filter_on", label=_("Gældende på dagen"))

    class Meta:
        model = RoleAssignment
        fields: list[str] = []

    def filter_on(self, queryset: QuerySet, name: str, value: Any) -> QuerySet:
        return queryset.filter(starts_on__lte=value).filter(Q(ends_on__isnull=True) | Q(ends_on__gt=value))
