"""What the API shows and accepts.

Reading serializers never expose a confidential ("Lukket") agenda item's
content: its title, case number, sections and attachments, nor the text, quote
and comments of the follow-ups that came from it. Writing serializers only
validate the input's shape and the choices the user may make; the change
itself is made by ``tracker.services`` in the view.
"""
from __future__ import annotations

from typing import Any

from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from minutes.models import AgendaItem, Body, Meeting
from tracker import access, exports, selectors
from tracker.models import ActionItem, Person, Role, RoleAssignment
from tracker.templatetags.tracker_ui import due as due_as_written

Status = ActionItem.Status

CLOSED_AGENDA_TITLE = gettext_lazy("Lukket punkt")


class ForumSerializer(serializers.ModelSerializer):
    aliases = serializers.ListField(child=serializers.CharField(), read_only=True)

    class Meta:
        model = Body
        fields = ["id", "name", "slug", "abbreviation", "aliases"]


class MeetingSerializer(serializers.ModelSerializer):
    forum = serializers.PrimaryKeyRelatedField(source="body", read_only=True)
    participants = serializers.SerializerMethodField()

    class Meta:
        model = Meeting
        fields = ["id", "forum", "date", "start_time", "location", "participants", "source_name", "imported_at"]

    def get_participants(self, meeting: Meeting) -> list[str]:
        return [str(p) for p in meeting.participants or []]


class AgendaItemSerializer(serializers.ModelSerializer):
    title = serializers.SerializerMethodField()
    case_number = serializers.SerializerMethodField()
    sections = serializers.SerializerMethodField()
    attachments = serializers.SerializerMethodField()

    class Meta:
        model = AgendaItem
        fields = ["id", "meeting", "number", "title", "time_slot", "case_number", "closed", "outcome", "sections",
                  "attachments"]

    def get_title(self, agenda_item: AgendaItem) -> str:
        return str(CLOSED_AGENDA_TITLE) if agenda_item.closed else agenda_item.title

    def get_case_number(self, agenda_item: AgendaItem) -> str:
        return "" if agenda_item.closed else agenda_item.case_number

    @extend_schema_field({"type": "object", "additionalProperties": {"type": "string"}})
    def get_sections(self, agenda_item: AgendaItem) -> dict[str, str]:
        if agenda_item.closed or not isinstance(agenda_item.sections, dict):
            return {}
        return {str(name): str(text) for name, text in agenda_item.sections.items()}

    def get_attachments(self, agenda_item: AgendaItem) -> list[str]:
        if agenda_item.closed:
            return []
        return [a.title for a in agenda_item.attachments.all()]


class SourceSerializer(serializers.Serializer):
    """Where a follow-up came from: the meeting and agenda item."""

    agenda_item = serializers.IntegerField(source="pk")
    meeting = serializers.IntegerField(source="meeting_id")
    meeting_date = serializers.DateField(source="meeting.date")
    number = serializers.IntegerField()
    title = serializers.SerializerMethodField()
    case_number = serializers.SerializerMethodField()
    closed = serializers.BooleanField()

    def get_title(self, agenda_item: AgendaItem) -> str:
        return str(CLOSED_AGENDA_TITLE) if agenda_item.closed else agenda_item.title

    def get_case_number(self, agenda_item: AgendaItem) -> str:
        return "" if agenda_item.closed else agenda_item.case_number


class ActionItemSerializer(serializers.ModelSerializer):
    forum = serializers.PrimaryKeyRelatedField(source="body", read_only=True)
    title = serializers.SerializerMethodField()
    quote = serializers.SerializerMethodField()
    responsible_text = serializers.SerializerMethodField()
    due_text = serializers.SerializerMethodField(help_text=gettext_lazy("Fristen som den skrives: “i løbet af maj 2021”."))
    source = SourceSerializer(source="source_item", read_only=True, allow_null=True)
    warnings = serializers.SerializerMethodField()
    url = serializers.SerializerMethodField(help_text=gettext_lazy("Opfølgningens side i brugerfladen."))
    can_edit = serializers.SerializerMethodField(
        help_text=gettext_lazy("Brugeren må ændre tekst, frist og ansvarlig, bekræfte, afvise og annullere.")
    )
    can_change_status = serializers.SerializerMethodField(
        help_text=gettext_lazy("Brugeren må markere som udført, genåbne og kommentere.")
    )

    class Meta:
        model = ActionItem
        fields = [
            "id", "forum", "title", "status", "due_date", "window_start", "precision", "due_text",
            "responsible_role", "responsible_person", "responsible_text", "quote", "section", "source", "warnings",
            "edited", "source_missing", "version", "completed_at", "created_at", "updated_at", "url", "can_edit",
            "can_change_status",
        ]
        read_only_fields = fields

    def _user(self) -> Any:
        return self.context["request"].user

    def get_title(self, item: ActionItem) -> str:
        return exports.public_title(item)

    def get_quote(self, item: ActionItem) -> str:
        return exports.public_quote(item)

    def get_responsible_text(self, item: ActionItem) -> str:
        return "" if exports.is_from_closed_item(item) else item.responsible_text

    def get_due_text(self, item: ActionItem) -> str:
        return due_as_written(item)

    def get_warnings(self, item: ActionItem) -> list[str]:
        return [str(w) for w in item.warnings or []]

    def get_url(self, item: ActionItem) -> str:
        return self.context["request"].build_absolute_uri(reverse("tracker:item_detail", kwargs={"pk": item.pk}))

    def get_can_edit(self, item: ActionItem) -> bool:
        return access.can_edit_item(self._user(), item)

    def get_can_change_status(self, item: ActionItem) -> bool:
        return access.can_change_status(self._user(), item)


def _validate_responsible(body: Body, role: Role | None, person: Person | None) -> dict[str, str]:
    """The same choices the item page offers: the forum's roles (or shared ones) and its active members."""
    errors = {}
    if role is not None and not selectors.assignable_roles(body=body).filter(pk=role.pk).exists():
        errors["responsible_role"] = _("Rollen hører ikke til %(body)s.") % {"body": body.name}
    if person is not None and not selectors.assignable_people(body=body).filter(pk=person.pk).exists():
        errors["responsible_person"] = _("%(person)s er ikke aktivt medlem af %(body)s.") % {
            "person": person.name, "body": body.name}
    return errors


class ActionItemCreateSerializer(serializers.Serializer):
    forum = serializers.PrimaryKeyRelatedField(queryset=Body.objects.none(), help_text=gettext_lazy(
        "Et forum, brugeren er sekretær for."))
    title = serializers.CharField(max_length=500)
    source_item = serializers.PrimaryKeyRelatedField(
        queryset=AgendaItem.objects.none(), required=False, allow_null=True,
        help_text=gettext_lazy("Dagsordenspunktet, opfølgningen stammer fra."),
    )
    quote = serializers.CharField(required=False, allow_blank=True, default="", max_length=5000)
    due_date = serializers.DateField(required=False, allow_null=True, default=None)
    window_start = serializers.DateField(required=False, allow_null=True, default=None)
    precision = serializers.ChoiceField(choices=ActionItem.Precision.choices, required=False)
    responsible_role = serializers.PrimaryKeyRelatedField(
        queryset=Role.objects.all(), required=False, allow_null=True, default=None)
    responsible_person = serializers.PrimaryKeyRelatedField(
        queryset=Person.objects.all(), required=False, allow_null=True, default=None)
    comment = serializers.CharField(required=False, allow_blank=True, default="", max_length=2000)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        request = self.context.get("request")  # absent while the schema is generated
        if request is not None:
            self.fields["forum"].queryset = access.editable_bodies(request.user)
            self.fields["source_item"].queryset = AgendaItem.objects.filter(
                meeting__in=access.visible_meetings(request.user)
            )

    def validate(self, data: dict[str, Any]) -> dict[str, Any]:
        body = data["forum"]
        errors = _validate_responsible(body, data.get("responsible_role"), data.get("responsible_person"))
        source = data.get("source_item")
        if source is not None and source.meeting.body_id != body.pk:
            errors["source_item"] = _("Dagsordenspunktet er ikke fra %(body)s.") % {"body": body.name}
        if errors:
            raise serializers.ValidationError(errors)
        if "precision" not in data:
            data["precision"] = ActionItem.Precision.DAY if data.get("due_date") else ActionItem.Precision.NONE
        return data


class ActionItemUpdateSerializer(serializers.Serializer):
    """The fields a secretary may change; those left out stay as they are."""

    title = serializers.CharField(required=False, max_length=500)
    due_date = serializers.DateField(required=False, allow_null=True)
    window_start = serializers.DateField(required=False, allow_null=True)
    precision = serializers.ChoiceField(choices=ActionItem.Precision.choices, required=False)
    responsible_role = serializers.PrimaryKeyRelatedField(queryset=Role.objects.all(), required=False, allow_null=True)
    responsible_person = serializers.PrimaryKeyRelatedField(
        queryset=Person.objects.all(), required=False, allow_null=True)
    reason = serializers.CharField(required=False, allow_blank=True, default="", max_length=2000,
                                   help_text=gettext_lazy("Hvorfor ændringen er lavet; vises i historikken."))
    expected_version = serializers.IntegerField(
        required=False, min_value=1,
        help_text=gettext_lazy("Den version, klienten har set. Er opfølgningen ændret siden, svares 409."),
    )

    CHANGEABLE = ("title", "due_date", "window_start", "precision", "responsible_role", "responsible_person")

    def validate(self, data: dict[str, Any]) -> dict[str, Any]:
        item: ActionItem = self.context["item"]
        if not any(key in data for key in self.CHANGEABLE):
            raise serializers.ValidationError(_("Angiv mindst én ændring."))
        errors = _validate_responsible(item.body, data.get("responsible_role"), data.get("responsible_person"))
        if errors:
            raise serializers.ValidationError(errors)
        return data


class StatusChangeSerializer(serializers.Serializer):
    status = serializers.ChoiceField(
        choices=[(s.value, s.label) for s in (Status.OPEN, Status.DONE, Status.CANCELLED, Status.REJECTED)],
        help_text=gettext_lazy(
            "open: bekræft et forslag eller genåbn; done: udført; cancelled: annullér; rejected: afvis et forslag."
        ),
    )
    comment = serializers.CharField(required=False, allow_blank=True, default="", max_length=2000)
    expected_version = serializers.IntegerField(required=False, min_value=1)


class CommentSerializer(serializers.Serializer):
    comment = serializers.CharField(max_length=2000)


class CommentResultSerializer(serializers.Serializer):
    id = serializers.IntegerField(source="pk")
    comment = serializers.CharField()
    created_at = serializers.DateTimeField()


class RoleSerializer(serializers.ModelSerializer):
    forum = serializers.PrimaryKeyRelatedField(source="body", read_only=True, allow_null=True)
    aliases = serializers.SerializerMethodField()

    class Meta:
        model = Role
        fields = ["id", "name", "aliases", "forum", "is_chef", "is_shared"]

    def get_aliases(self, role: Role) -> list[str]:
        return [str(a) for a in role.aliases or []]


class PersonSerializer(serializers.ModelSerializer):
    forums = serializers.SerializerMethodField()

    class Meta:
        model = Person
        fields = ["id", "name", "email", "is_active", "forums"]

    def get_forums(self, person: Person) -> list[int]:
        return sorted(m.body_id for m in person.memberships.all())


class RoleAssignmentSerializer(serializers.ModelSerializer):
    class Meta:
        model = RoleAssignment
        fields = ["id", "role", "person", "starts_on", "ends_on"]
        read_only_fields = fields


class RoleAssignmentCreateSerializer(serializers.Serializer):
    role = serializers.PrimaryKeyRelatedField(queryset=Role.objects.none())
    person = serializers.PrimaryKeyRelatedField(queryset=Person.objects.filter(is_active=True))
    starts_on = serializers.DateField()
    ends_on = serializers.DateField(required=False, allow_null=True, default=None)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        request = self.context.get("request")  # absent while the schema is generated
        if request is not None:
            self.fields["role"].queryset = access.editable_roles(request.user)

    def validate(self, data: dict[str, Any]) -> dict[str, Any]:
        role, person = data["role"], data["person"]
        if role.body_id and not person.memberships.filter(body_id=role.body_id).exists():
            raise serializers.ValidationError(
                {"person": _("%(person)s er ikke medlem af %(body)s.") % {"person": person.name, "body": role.body}}
            )
        return data


class TokenSerializer(serializers.Serializer):
    token = serializers.CharField(help_text=gettext_lazy("Sendes som “Authorization: Token <nøgle>”."))


class ErrorSerializer(serializers.Serializer):
    detail = serializers.CharField(required=False)
