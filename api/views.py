"""The REST API: the pages' data and actions for other systems.

Every queryset starts from ``tracker.access`` and every change goes through
``tracker.services``, so the API allows exactly what the pages allow: a
follow-up the user may not see answers 404, one they may only read answers 403
to a change. Errors from the services come back with their Danish message
(see ``api.exceptions``).
"""
from __future__ import annotations

from typing import Any

from django.db.models import Prefetch, QuerySet
from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import mixins, status, viewsets
from rest_framework.authentication import SessionAuthentication
from rest_framework.decorators import action
from rest_framework.exceptions import PermissionDenied
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from api import keys
from api import serializers as s
from api.filters import AgendaItemFilter, MeetingFilter, PersonFilter, RoleAssignmentFilter, RoleFilter
from minutes.models import AgendaItem, Body, Meeting
from tracker import access, selectors, services
from tracker.filters import ActionItemFilter
from tracker.models import ActionItem, Membership, Person, Role, RoleAssignment

Status = ActionItem.Status


@extend_schema_view(
    list=extend_schema(summary="Fora", description="De fora, brugeren er med i."),
    retrieve=extend_schema(summary="Et forum"),
)
class ForumViewSet(viewsets.ReadOnlyModelViewSet):
    serializer_class = s.ForumSerializer
    lookup_value_regex = "[0-9]+"

    def get_queryset(self) -> QuerySet[Body]:
        return access.visible_bodies(self.request.user).order_by("name")


@extend_schema_view(list=extend_schema(summary="Møder"), retrieve=extend_schema(summary="Et møde"))
class MeetingViewSet(viewsets.ReadOnlyModelViewSet):
    serializer_class = s.MeetingSerializer
    lookup_value_regex = "[0-9]+"
    filterset_class = MeetingFilter

    def get_queryset(self) -> QuerySet[Meeting]:
        return access.visible_meetings(self.request.user).order_by("-date", "body__name", "pk")


@extend_schema_view(
    list=extend_schema(
        summary="Dagsordenspunkter",
        description="Et lukket punkts titel, sagsnummer, afsnit og bilag vises aldrig.",
    ),
    retrieve=extend_schema(summary="Et dagsordenspunkt"),
)
class AgendaItemViewSet(viewsets.ReadOnlyModelViewSet):
    serializer_class = s.AgendaItemSerializer
    lookup_value_regex = "[0-9]+"
    filterset_class = AgendaItemFilter

    def get_queryset(self) -> QuerySet[AgendaItem]:
        return (
            AgendaItem.objects.filter(meeting__in=access.visible_meetings(self.request.user))
            .prefetch_related("attachments")
            .order_by("-meeting__date", "meeting_id", "number")
        )


@extend_schema_view(
    list=extend_schema(
        summary="Opfølgninger",
        description=(
            "Samme filtre som siden “Alle opfølgninger”. Medlemmer ser forummets bekræftede opfølgninger; "
            "sekretærer også forslag og afviste."
        ),
    ),
    retrieve=extend_schema(summary="En opfølgning"),
    create=extend_schema(
        summary="Opret en opfølgning",
        description="Kun forummets sekretærer. Opfølgningen er åben med det samme.",
        request=s.ActionItemCreateSerializer, responses={201: s.ActionItemSerializer},
    ),
    partial_update=extend_schema(
        summary="Ret tekst, frist eller ansvarlig",
        description="Kun forummets sekretærer. Felter, der ikke sendes, bevares.",
        request=s.ActionItemUpdateSerializer, responses={200: s.ActionItemSerializer},
    ),
)
class ActionItemViewSet(
    mixins.ListModelMixin, mixins.RetrieveModelMixin, mixins.CreateModelMixin, viewsets.GenericViewSet
):
    serializer_class = s.ActionItemSerializer
    lookup_value_regex = "[0-9]+"
    filterset_class = ActionItemFilter
    filterset_needs_today = True
    http_method_names = ["get", "post", "patch", "head", "options"]

    def get_queryset(self) -> QuerySet[ActionItem]:
        return selectors.item_list_queryset(user=self.request.user)

    def get_object(self) -> ActionItem:
        return access.get_item_for_user(self.request.user, self.kwargs["pk"])

    def _answer(self, item: ActionItem, code: int = status.HTTP_200_OK) -> Response:
        item = access.get_item_for_user(self.request.user, item.pk)
        return Response(s.ActionItemSerializer(item, context=self.get_serializer_context()).data, status=code)

    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        if not access.editable_bodies(request.user).exists():
            raise PermissionDenied(_("Kun et forums sekretærer kan oprette opfølgninger."))
        serializer = s.ActionItemCreateSerializer(data=request.data, context=self.get_serializer_context())
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        item = services.action_item_create(
            by=request.user, body=data["forum"], title=data["title"], source_item=data.get("source_item"),
            quote=data["quote"], due_date=data["due_date"], window_start=data["window_start"],
            precision=data["precision"], responsible_role=data["responsible_role"],
            responsible_person=data["responsible_person"], comment=data["comment"],
        )
        return self._answer(item, status.HTTP_201_CREATED)

    def partial_update(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        item = access.get_item_for_user(request.user, self.kwargs["pk"], for_edit=True)
        context = {**self.get_serializer_context(), "item": item}
        serializer = s.ActionItemUpdateSerializer(data=request.data, context=context)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        changes = {key: data[key] for key in s.ActionItemUpdateSerializer.CHANGEABLE if key in data}
        item = services.action_item_update(
            item=item, by=request.user, expected_version=data.get("expected_version"), reason=data["reason"],
            **changes,
        )
        return self._answer(item)

    @extend_schema(
        summary="Skift status",
        description=(
            "open bekræfter et forslag (sekretær) eller genåbner; done markerer som udført; "
            "cancelled annullerer (sekretær); rejected afviser et forslag (sekretær). "
            "Den ansvarlige må markere som udført og genåbne."
        ),
        request=s.StatusChangeSerializer, responses={200: s.ActionItemSerializer},
    )
    @action(detail=True, methods=["post"])
    def status(self, request: Request, pk: str | None = None) -> Response:
        item = access.get_item_for_user(request.user, self.kwargs["pk"])
        serializer = s.StatusChangeSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        target, comment, version = data["status"], data["comment"], data.get("expected_version")
        by = request.user
        if target == Status.OPEN and item.status == Status.PROPOSED:
            self._require(access.can_edit_item(by, item))
            item = services.action_item_confirm(item=item, by=by, expected_version=version)
            if comment.strip():
                services.action_item_comment(item=item, by=by, comment=comment)
        elif target == Status.OPEN:
            self._require(access.can_change_status(by, item))
            item = services.action_item_reopen(item=item, by=by, comment=comment, expected_version=version)
        elif target == Status.DONE:
            self._require(access.can_change_status(by, item))
            item = services.action_item_complete(item=item, by=by, comment=comment, expected_version=version)
        elif target == Status.CANCELLED:
            self._require(access.can_edit_item(by, item))
            item = services.action_item_cancel(item=item, by=by, comment=comment, expected_version=version)
        else:
            self._require(access.can_edit_item(by, item))
            item = services.action_item_reject(item=item, by=by, comment=comment, expected_version=version)
        return self._answer(item)

    @extend_schema(
        summary="Kommentér",
        description="Den ansvarlige og forummets sekretærer.",
        request=s.CommentSerializer, responses={201: s.CommentResultSerializer},
    )
    @action(detail=True, methods=["post"])
    def comments(self, request: Request, pk: str | None = None) -> Response:
        item = access.get_item_for_user(request.user, self.kwargs["pk"], for_change=True)
        serializer = s.CommentSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        event = services.action_item_comment(item=item, by=request.user, comment=serializer.validated_data["comment"])
        return Response(s.CommentResultSerializer(event).data, status=status.HTTP_201_CREATED)

    @staticmethod
    def _require(allowed: bool) -> None:
        if not allowed:
            raise PermissionDenied


@extend_schema_view(list=extend_schema(summary="Roller"), retrieve=extend_schema(summary="En rolle"))
class RoleViewSet(viewsets.ReadOnlyModelViewSet):
    serializer_class = s.RoleSerializer
    lookup_value_regex = "[0-9]+"
    filterset_class = RoleFilter

    def get_queryset(self) -> QuerySet[Role]:
        return access.visible_roles(self.request.user).order_by("name")


@extend_schema_view(
    list=extend_schema(summary="Personer", description="Medlemmerne af brugerens fora."),
    retrieve=extend_schema(summary="En person"),
)
class PersonViewSet(viewsets.ReadOnlyModelViewSet):
    serializer_class = s.PersonSerializer
    lookup_value_regex = "[0-9]+"
    filterset_class = PersonFilter

    def get_queryset(self) -> QuerySet[Person]:
        user = self.request.user
        memberships = Membership.objects.filter(body__in=access.visible_bodies(user))
        return (
            access.visible_people(user)
            .prefetch_related(Prefetch("memberships", queryset=memberships))
            .order_by("name", "pk")
        )


@extend_schema_view(
    list=extend_schema(summary="Rollebesættelser", description="Hvem har haft hvilken rolle hvornår."),
    retrieve=extend_schema(summary="En rollebesættelse"),
    create=extend_schema(
        summary="Ny indehaver af en rolle",
        description=(
            "Kun sekretærer for rollens forum (roller på tværs af fora: administratorer). For en rolle med én "
            "indehaver ad gangen er det en overdragelse: den forrige besættelse slutter dagen før, og de åbne "
            "opfølgninger følger med."
        ),
        request=s.RoleAssignmentCreateSerializer, responses={201: s.RoleAssignmentSerializer},
    ),
)
class RoleAssignmentViewSet(
    mixins.ListModelMixin, mixins.RetrieveModelMixin, mixins.CreateModelMixin, viewsets.GenericViewSet
):
    serializer_class = s.RoleAssignmentSerializer
    lookup_value_regex = "[0-9]+"
    filterset_class = RoleAssignmentFilter

    def get_queryset(self) -> QuerySet[RoleAssignment]:
        return RoleAssignment.objects.filter(role__in=access.visible_roles(self.request.user)).order_by(
            "role__name", "-starts_on", "pk"
        )

    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        if not access.editable_roles(request.user).exists():
            raise PermissionDenied(_("Kun sekretærer kan ændre, hvem der har en rolle."))
        serializer = s.RoleAssignmentCreateSerializer(data=request.data, context=self.get_serializer_context())
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        assignment = services.role_assign(
            role=data["role"], person=data["person"], starts_on=data["starts_on"], ends_on=data["ends_on"],
            by=request.user,
        )
        return Response(s.RoleAssignmentSerializer(assignment).data, status=status.HTTP_201_CREATED)


class TokenView(APIView):
    """The logged-in user's API key. Only with a browser session: a key cannot make new keys."""

    authentication_classes = [SessionAuthentication]

    @extend_schema(
        summary="Ny API-nøgle",
        description=(
            "Laver en ny nøgle til den indloggede bruger og viser den denne ene gang (kun en kontrolsum gemmes); "
            "en tidligere nøgle holder op med at virke."
        ),
        request=None, responses={201: s.TokenSerializer},
    )
    def post(self, request: Request) -> Response:
        return Response({"token": keys.api_key_create(user=request.user)}, status=status.HTTP_201_CREATED)

    @extend_schema(summary="Tilbagekald API-nøglen", request=None, responses={204: None})
    def delete(self, request: Request) -> Response:
        keys.api_key_revoke(user=request.user)
        return Response(status=status.HTTP_204_NO_CONTENT)
