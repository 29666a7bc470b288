"""The filters of "Alle opfølgninger", kept in the URL so a view can be bookmarked and shared.

The FilterSet only narrows what ``tracker.access`` lets the user see: its
queryset comes from ``selectors.item_list_queryset`` and every choice list
(forums, roles, people, meetings) is limited to the user's forums.
"""
from __future__ import annotations

import datetime as dt
from functools import cache, partial
from typing import Any

import django_filters
from django import forms
from django.db.models import F, Q, QuerySet
from django.utils.translation import gettext_lazy as _

from minutes.models import Body, Meeting
from tracker import access
from tracker.forms import FastSelect
from tracker.localdates import format_date
from tracker.models import ActionItem, Person, Role

# How many meetings the meeting filter offers when no forum is chosen; any
# visible meeting is still accepted from the URL (links from a meeting page).
MEETING_CHOICES_LIMIT = 60


class SortFilter(django_filters.OrderingFilter):
    """Sorting that keeps undated items last in both directions and ties broken by id."""

    def filter(self, qs: QuerySet, value: list[str] | None) -> QuerySet:
        if not value:
            return qs.order_by(F("due_date").asc(nulls_last=True), "pk")
        ordering = []
        for param in value:
            descending = param.startswith("-")
            field = self.param_map.get(param.lstrip("-"))
            if field is None:
                continue
            expression = F(field)
            ordering.append(expression.desc(nulls_last=True) if descending else expression.asc(nulls_last=True))
        return qs.order_by(*ordering, "pk")


SORT_FIELDS = (("due_date", "due"), ("title", "title"), ("body__name", "body"), ("status", "status"),
               ("updated_at", "changed"))
SORT_LABELS = {"due_date": _("Frist"), "title": _("Titel"), "body__name": _("Forum"),
               "status": _("Status"), "updated_at": _("Senest ændret")}


class MeetingChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, meeting: Meeting) -> str:
        return f"{meeting.body.name} {format_date(meeting.date)}"


class MeetingFilter(django_filters.ModelChoiceFilter):
    field_class = MeetingChoiceField


def _id_name_choices(field: forms.ModelChoiceField) -> list[tuple[Any, str]]:
    return [("", field.empty_label), *field.queryset.values_list("pk", "name")]


class ActionItemFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(
        method="filter_text", label=_("Søg"),
        widget=forms.TextInput(attrs={"type": "search", "placeholder": _("Ord i titel eller citat")}),
    )
    status = django_filters.ChoiceFilter(choices=ActionItem.Status.choices, empty_label=_("Alle"), label=_("Status"), widget=FastSelect)
    body = django_filters.ModelChoiceFilter(
        queryset=Body.objects.none(), to_field_name="slug", empty_label=_("Alle fora"), label=_("Forum"),
        widget=FastSelect,
    )
    role = django_filters.ModelChoiceFilter(
        field_name="responsible_role", queryset=Role.objects.none(), empty_label=_("Alle roller"), label=_("Rolle"),
        widget=FastSelect,
    )
    person = django_filters.ModelChoiceFilter(
        queryset=Person.objects.none(), method="filter_person", empty_label=_("Alle personer"), label=_("Person"),
        widget=FastSelect,
    )
    due_from = django_filters.DateFilter(
        field_name="due_date", lookup_expr="gte", label=_("Frist fra"), widget=forms.DateInput(attrs={"type": "date"})
    )
    due_to = django_filters.DateFilter(
        field_name="due_date", lookup_expr="lte", label=_("Frist til"), widget=forms.DateInput(attrs={"type": "date"})
    )
    overdue = django_filters.BooleanFilter(
        method="filter_overdue", label=_("Kun overskredne"), widget=forms.CheckboxInput
    )
    precision = django_filters.ChoiceFilter(
        choices=ActionItem.Precision.choices, empty_label=_("Alle"), label=_("Fristens præcision"),
        widget=FastSelect,
    )
    meeting = MeetingFilter(
        field_name="source_item__meeting", queryset=Meeting.objects.none(), empty_label=_("Alle møder"),
        label=_("Møde"), widget=FastSelect,
    )
    sort = SortFilter(
        fields=SORT_FIELDS, field_labels=SORT_LABELS, label=_("Sortering"), empty_label=None, widget=FastSelect,
    )

    class Meta:
        model = ActionItem
        fields: list[str] = []

    def __init__(self, data: Any = None, queryset: QuerySet | None = None, *, request: Any, today: dt.date,
                 **kwargs: Any) -> None:
        super().__init__(data, queryset, request=request, **kwargs)
        self.user = request.user
        self.today = today
        for filter_ in self.filters.values():
            # A form field built earlier on the class's filters (the API schema does that) would keep
            # the choices it was built with; this user's choices are set below.
            filter_.__dict__.pop("_field", None)
        # The descending labels ("Frist (aftagende)") are text built from the labels: build them in this
        # request's language, not in the language the module happened to be imported in.
        sort = self.filters["sort"]
        sort.extra["choices"] = sort.build_choices(sort.normalize_fields(SORT_FIELDS), SORT_LABELS)
        bodies = access.visible_bodies(self.user)
        # Choice lists load only what their labels show: a municipality has hundreds of people and roles.
        self.filters["body"].queryset = bodies.only("pk", "name", "slug").order_by("name")
        self.filters["role"].queryset = access.visible_roles(self.user).only("pk", "name").order_by("name")
        self.filters["person"].queryset = access.visible_people(self.user).only("pk", "name").order_by("name")
        self.filters["meeting"].queryset = (
            access.visible_meetings(self.user).select_related("body").only("pk", "date", "body__name")
        )
        if not access.secretary_body_ids(self.user) and not access.is_admin(self.user):
            self.filters["status"].extra["choices"] = [
                (value, label) for value, label in ActionItem.Status.choices
                if value in access.MEMBER_VISIBLE_STATUSES
            ]

    @property
    def form(self) -> forms.Form:
        if not hasattr(self, "_form"):
            form = super().form
            form.label_suffix = ""
            # Options as (id, name) rows rather than model instances: the same list, a fraction of the
            # time. Callables, so that nothing is queried unless the form is drawn (the API never is).
            # Cached: a <select> is iterated more than once while drawn.
            for name in ("role", "person"):
                field = form.fields[name]
                field.widget.choices = cache(partial(_id_name_choices, field))
            form.fields["meeting"].widget.choices = cache(partial(self._meeting_choices, form))
            self._form = form
        return self._form

    def _meeting_choices(self, form: forms.Form) -> list[tuple[Any, str]]:
        """A short list to pick from: the chosen forum's meetings, or the latest ones, plus the chosen one."""
        meetings = self.filters["meeting"].queryset.order_by("-date", "body__name")
        body_slug = form.data.get("body") if form.is_bound else None
        if body_slug:
            meetings = meetings.filter(body__slug=body_slug)
        choices = list(meetings[:MEETING_CHOICES_LIMIT])
        chosen = form.data.get("meeting") if form.is_bound else None
        if chosen and str(chosen).isdigit() and all(str(m.pk) != chosen for m in choices):
            choices += list(self.filters["meeting"].queryset.filter(pk=chosen))
        field = form.fields["meeting"]
        return [("", field.empty_label)] + [(m.pk, field.label_from_instance(m)) for m in choices]

    def filter_text(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        words = value.split()
        if not words:
            return queryset
        # The sentence of a confidential agenda item is searchable only for those who may read it.
        if access.is_admin(self.user):
            quote_readable = Q()
        else:
            quote_readable = ~Q(source_item__closed=True) | Q(body_id__in=access.secretary_body_ids(self.user))
        for word in words:
            queryset = queryset.filter(Q(title__icontains=word) | (Q(quote__icontains=word) & quote_readable))
        return queryset

    def filter_person(self, queryset: QuerySet, name: str, value: Person | None) -> QuerySet:
        """The person's items: assigned by name, or through a role they hold today."""
        if value is None:
            return queryset
        roles = access.held_role_ids(value, self.today)
        return queryset.filter(Q(responsible_person=value) | Q(responsible_role_id__in=roles))

    def filter_overdue(self, queryset: QuerySet, name: str, value: bool | None) -> QuerySet:
        if not value:
            return queryset
        return queryset.filter(status=ActionItem.Status.OPEN, due_date__lt=self.today)
