"""Forms of the item actions. Each carries the version the user saw (``expected_version``),
so a change made by somebody else meanwhile is reported instead of overwritten."""
from __future__ import annotations

from typing import Any

from django import forms
from django.forms.utils import flatatt
from django.utils.html import escape
from django.utils.safestring import mark_safe
from django.utils.translation import gettext_lazy as _

from minutes.models import Body
from tracker import selectors
from tracker.models import ActionItem, Person, Role

COMMENT_MAX = 2000


class FastSelect(forms.Select):
    """A <select> whose options are built in Python.

    Django renders every <option> through a template; with the hundreds of
    people and roles of a municipality that alone takes most of a page's time.
    The output is the same markup, escaped the same way.
    """

    def render(self, name: str, value: Any, attrs: dict[str, Any] | None = None, renderer: Any = None) -> str:
        selected = {str(v) for v in self.format_value(value)}
        options = []
        for option_value, label in self.choices:
            option_value = str(option_value)
            mark = " selected" if option_value in selected else ""
            options.append(f'<option value="{escape(option_value)}"{mark}>{escape(label)}</option>')
        attributes = flatatt(self.build_attrs(self.attrs, attrs))
        return mark_safe(f'<select name="{escape(name)}"{attributes}>{"".join(options)}</select>')


class VersionedForm(forms.Form):
    expected_version = forms.IntegerField(widget=forms.HiddenInput, min_value=1)

    def __init__(self, *args: Any, item: ActionItem, **kwargs: Any) -> None:
        kwargs.setdefault("initial", {})
        kwargs["initial"].setdefault("expected_version", item.version)
        # Ids stay unique when one page holds the same form for many items.
        kwargs.setdefault("auto_id", f"id_%s_{item.pk}")
        kwargs.setdefault("label_suffix", "")
        super().__init__(*args, **kwargs)
        self.item = item


class CompleteForm(VersionedForm):
    comment = forms.CharField(
        label=_("Kommentar (valgfri)"), required=False, max_length=COMMENT_MAX,
        widget=forms.TextInput(attrs={"placeholder": _("Kommentar (valgfri)"), "autocomplete": "off"}),
    )


class ReopenForm(VersionedForm):
    comment = forms.CharField(
        label=_("Hvorfor genåbnes den? (valgfri)"), required=False, max_length=COMMENT_MAX,
        widget=forms.TextInput(attrs={"autocomplete": "off"}),
    )


class CancelForm(VersionedForm):
    comment = forms.CharField(
        label=_("Begrundelse"), max_length=COMMENT_MAX, widget=forms.TextInput(attrs={"autocomplete": "off"}),
        error_messages={"required": _("Skriv, hvorfor opfølgningen annulleres.")},
    )


class CommentForm(VersionedForm):
    comment = forms.CharField(
        label=_("Kommentar"), max_length=COMMENT_MAX, widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": _("Skriv en kommentar.")},
    )


class DueDateForm(VersionedForm):
    due_date = forms.DateField(
        label=_("Ny frist"), required=False, widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        help_text=_("Tom: opfølgningen får ingen frist."),
        error_messages={"invalid": _("Skriv datoen som dd-mm-åååå, fx 12-05-2022.")},
        input_formats=["%Y-%m-%d", "%d-%m-%Y", "%d.%m.%Y", "%d/%m/%Y"],
    )
    reason = forms.CharField(
        label=_("Begrundelse"), max_length=COMMENT_MAX, widget=forms.TextInput(attrs={"autocomplete": "off"}),
        error_messages={"required": _("Skriv, hvorfor fristen ændres.")},
    )

    def __init__(self, *args: Any, item: ActionItem, **kwargs: Any) -> None:
        kwargs.setdefault("initial", {})
        kwargs["initial"].setdefault("due_date", item.due_date)
        super().__init__(*args, item=item, **kwargs)

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        if "due_date" in data and data["due_date"] == self.item.due_date and self.item.precision == "day":
            self.add_error("due_date", _("Det er den nuværende frist. Vælg en anden dato."))
        return data


class ReassignForm(VersionedForm):
    responsible_role = forms.ModelChoiceField(
        label=_("Ansvarlig rolle"), queryset=Role.objects.none(), required=False, empty_label=_("Ingen rolle"),
        widget=FastSelect,
    )
    responsible_person = forms.ModelChoiceField(
        label=_("Ansvarlig person"), queryset=Person.objects.none(), required=False, empty_label=_("Ingen person"),
        widget=FastSelect,
        help_text=_("Sæt en person, når én bestemt skal have opgaven, uanset hvem der har rollen."),
    )
    reason = forms.CharField(
        label=_("Begrundelse (valgfri)"), required=False, max_length=COMMENT_MAX,
        widget=forms.TextInput(attrs={"autocomplete": "off"}),
    )

    def __init__(self, *args: Any, item: ActionItem, body: Body, **kwargs: Any) -> None:
        kwargs.setdefault("initial", {})
        kwargs["initial"].setdefault("responsible_role", item.responsible_role_id)
        kwargs["initial"].setdefault("responsible_person", item.responsible_person_id)
        super().__init__(*args, item=item, **kwargs)
        self.fields["responsible_role"].queryset = selectors.assignable_roles(body=body)
        self.fields["responsible_person"].queryset = selectors.assignable_people(body=body)

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        if not self.errors and not data.get("responsible_role") and not data.get("responsible_person"):
            raise forms.ValidationError(_("Vælg en rolle eller en person."))
        if (
            not self.errors
            and data.get("responsible_role") == self.item.responsible_role
            and data.get("responsible_person") == self.item.responsible_person
        ):
            raise forms.ValidationError(_("Det er allerede den ansvarlige. Vælg en anden rolle eller person."))
        return data
