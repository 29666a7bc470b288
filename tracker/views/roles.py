"""Roles and who holds them: the secretary's pages (the admin is for administrators).

A secretary adds the forum's roles with the names they go by in the minutes
(aliases, so the importer can resolve "Kommunaldirektøren" or "ØDC"), and
records who holds a role from which day. A new holder of a role with one
holder at a time is a handover: ``tracker.services.role_assign`` ends the
previous assignment that day and moves the open items with it, with history.
"""
from __future__ import annotations

import datetime as dt

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Count, Prefetch, Q, QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods

from minutes.models import Body
from tracker import access, services
from tracker.models import ActionItem, Membership, Person, Role, RoleAssignment


def _require_secretary(request: HttpRequest) -> None:
    if not access.is_secretary(request.user):
        raise PermissionDenied


def _editable_roles(request: HttpRequest) -> QuerySet[Role]:
    """The roles of the forums the user runs; roles across forums only for administrators."""
    if access.is_admin(request.user):
        return Role.objects.all()
    return Role.objects.filter(body__in=access.editable_bodies(request.user))


class AliasesField(forms.CharField):
    """A list of names, one per line or separated by commas."""

    widget = forms.Textarea(attrs={"rows": 3})

    def prepare_value(self, value: object) -> object:
        if isinstance(value, list):
            return "\n".join(value)
        return value

    def to_python(self, value: object) -> list[str]:
        text = super().to_python(value) or ""
        seen: list[str] = []
        for part in text.replace(",", "\n").splitlines():
            name = " ".join(part.split())
            if name and name.lower() not in {s.lower() for s in seen}:
                seen.append(name)
        return seen


class RoleForm(forms.ModelForm):
    aliases = AliasesField(
        label=gettext_lazy("Andre navne"), required=False,
        help_text=gettext_lazy(
            "Som rollen står i referaterne, én pr. linje: fx “Kommunaldirektøren”, “ØDC”. "
            "Bestemt form og flertal genkendes af sig selv."
        ),
    )

    class Meta:
        model = Role
        fields = ["name", "aliases", "body", "is_chef", "is_shared"]

    def __init__(self, *args: object, user: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)
        bodies = access.editable_bodies(user)
        self.fields["body"].queryset = bodies
        self.fields["body"].empty_label = _("— på tværs af fora —")
        if not access.is_admin(user):
            self.fields["body"].required = True
            if bodies.count() == 1 and not self.instance.pk:
                self.fields["body"].initial = bodies.first()
        if self.instance.pk and self.instance.assignments.exists():
            # Existing assignments were checked against the old setting; changing it
            # would let the one-holder rule and the history disagree.
            self.fields["is_shared"].disabled = True
            self.fields["is_shared"].help_text = _("Kan ikke ændres, når rollen har haft indehavere.")

    def clean_name(self) -> str:
        name = " ".join(self.cleaned_data["name"].split())
        if Role.objects.filter(name__iexact=name).exclude(pk=self.instance.pk).exists():
            raise ValidationError(_("Der findes allerede en rolle med det navn."))
        return name


class HolderForm(forms.Form):
    """A new holder from a date: an existing person of the forum, or somebody new."""

    person = forms.ModelChoiceField(
        label=gettext_lazy("Person"), queryset=Person.objects.none(), required=False,
        empty_label=gettext_lazy("— vælg —"),
    )
    new_name = forms.CharField(label=gettext_lazy("… eller ny person: navn"), required=False, max_length=200)
    new_email = forms.EmailField(label=gettext_lazy("E-mail"), required=False)
    starts_on = forms.DateField(
        label=gettext_lazy("Fra og med"), widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )

    def __init__(self, *args: object, role: Role, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)
        self.role = role
        people = Person.objects.filter(is_active=True)
        if role.body_id:
            people = people.filter(memberships__body_id=role.body_id)
        self.fields["person"].queryset = people.order_by("name").distinct()

    def clean(self) -> dict[str, object]:
        data = super().clean()
        if data.get("person") and data.get("new_name"):
            raise ValidationError(_("Vælg en person eller skriv et nyt navn, ikke begge."))
        if not data.get("person") and not (data.get("new_name") or "").strip():
            raise ValidationError(_("Vælg, hvem der overtager rollen."))
        return data

    def holder(self) -> Person:
        """The chosen person; a new one is created and made a member of the role's forum."""
        person = self.cleaned_data.get("person")
        if person is not None:
            return person
        name = " ".join(self.cleaned_data["new_name"].split())
        person = Person.objects.filter(name__iexact=name).first()
        if person is None:
            first = name.split(" ", 1)[0]
            person = Person.objects.create(
                name=name, email=self.cleaned_data.get("new_email") or "", aliases=[first] if first != name else []
            )
        if self.role.body_id:
            Membership.objects.get_or_create(person=person, body_id=self.role.body_id)
        return person


@login_required
def role_list(request: HttpRequest) -> HttpResponse:
    _require_secretary(request)
    today = access.local_today()
    current = RoleAssignment.objects.filter(starts_on__lte=today).filter(
        Q(ends_on__isnull=True) | Q(ends_on__gt=today)
    ).select_related("person")
    roles = (
        _editable_roles(request)
        .select_related("body")
        .annotate(open_count=Count("action_items", filter=Q(action_items__status=ActionItem.Status.OPEN)))
        .prefetch_related(Prefetch("assignments", queryset=current, to_attr="current_assignments"))
        .order_by("body__name", "name")
    )
    groups: dict[Body | None, list[Role]] = {}
    for role in roles:
        groups.setdefault(role.body, []).append(role)
    return render(request, "tracker/roles.html", {"groups": list(groups.items()), "today": today})


@login_required
@require_http_methods(["GET", "POST"])
def role_create(request: HttpRequest) -> HttpResponse:
    _require_secretary(request)
    form = RoleForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        role = form.save()
        messages.success(request, _("Rollen “%(role)s” er oprettet. Angiv, hvem der har den.") % {"role": role})
        return redirect("tracker:role_detail", pk=role.pk)
    return render(request, "tracker/roles_form.html", {"form": form})


@login_required
@require_http_methods(["GET", "POST"])
def role_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """The role's names and flags (editable) and who held it when, with the handover form."""
    _require_secretary(request)
    role = get_object_or_404(_editable_roles(request).select_related("body"), pk=pk)
    form = RoleForm(request.POST or None, instance=role, user=request.user)
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, _("Rollen “%(role)s” er gemt.") % {"role": role})
        return redirect("tracker:role_detail", pk=role.pk)
    holder_form = HolderForm(role=role, initial={"starts_on": access.local_today()})
    return _render_detail(request, role, form, holder_form)


@login_required
@require_http_methods(["POST"])
def role_handover(request: HttpRequest, pk: int) -> HttpResponse:
    """Record a new holder from a date; for a one-holder role this hands the role and its open items over."""
    _require_secretary(request)
    role = get_object_or_404(_editable_roles(request).select_related("body"), pk=pk)
    holder_form = HolderForm(request.POST, role=role)
    if holder_form.is_valid():
        starts_on: dt.date = holder_form.cleaned_data["starts_on"]
        try:
            with transaction.atomic():
                person = holder_form.holder()
                services.role_assign(role=role, person=person, starts_on=starts_on, by=request.user)
        except ValidationError as error:
            for message in error.messages:
                holder_form.add_error(None, message)
        else:
            open_count = ActionItem.objects.filter(responsible_role=role, status=ActionItem.Status.OPEN).count()
            messages.success(
                request,
                _("%(person)s har rollen “%(role)s” fra %(date)s. %(count)s åbne opfølgninger på rollen går til dem fra den dag.")
                % {"person": person, "role": role, "date": date_format(starts_on, "j. F Y"), "count": open_count},
            )
            return redirect("tracker:role_detail", pk=role.pk)
    return _render_detail(request, role, RoleForm(instance=role, user=request.user), holder_form, status=400)


def _render_detail(
    request: HttpRequest, role: Role, form: RoleForm, holder_form: HolderForm, status: int = 200
) -> HttpResponse:
    today = access.local_today()
    assignments = list(role.assignments.select_related("person").order_by("-starts_on", "-pk"))
    for assignment in assignments:
        assignment.is_current = assignment.starts_on <= today and (
            assignment.ends_on is None or assignment.ends_on > today
        )
        assignment.is_future = assignment.starts_on > today
    open_items = (
        ActionItem.objects.filter(responsible_role=role, status=ActionItem.Status.OPEN)
        .select_related("responsible_person", "source_item__meeting")
        .order_by("due_date", "pk")[:50]
    )
    context = {
        "role": role, "form": form, "holder_form": holder_form, "assignments": assignments,
        "open_items": open_items, "today": today,
    }
    return render(request, "tracker/roles_detail.html", context, status=status)
