"""Admin for the administrator's bookkeeping: forums, roles, people and who holds what.

Action items are read-only here apart from their text: state changes go through
the services (the app's pages), so that history and reminders stay right.
"""
from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from tracker.models import (
    ActionItem,
    ActionItemEvent,
    CalendarFeed,
    Membership,
    Person,
    Reminder,
    Role,
    RoleAssignment,
)


class MembershipInline(admin.TabularInline):
    model = Membership
    extra = 0
    autocomplete_fields = ["body"]


class RoleAssignmentInline(admin.TabularInline):
    model = RoleAssignment
    extra = 0
    autocomplete_fields = ["person", "role"]
    fields = ["role", "person", "starts_on", "ends_on"]


@admin.register(Person)
class PersonAdmin(admin.ModelAdmin):
    list_display = ["name", "email", "user", "is_active"]
    list_filter = ["is_active", "memberships__body", "memberships__is_secretary"]
    search_fields = ["name", "email", "user__username"]
    raw_id_fields = ["user"]
    inlines = [MembershipInline, RoleAssignmentInline]


@admin.register(Role)
class RoleAdmin(admin.ModelAdmin):
    list_display = ["name", "body", "is_chef", "is_shared"]
    list_filter = ["body", "is_chef", "is_shared"]
    search_fields = ["name"]
    inlines = [RoleAssignmentInline]


@admin.register(RoleAssignment)
class RoleAssignmentAdmin(admin.ModelAdmin):
    list_display = ["role", "person", "starts_on", "ends_on"]
    list_filter = ["role__body", "role"]
    search_fields = ["role__name", "person__name"]
    autocomplete_fields = ["person", "role"]
    date_hierarchy = "starts_on"

    def save_model(self, request, obj, form, change):
        obj.shared = obj.role.is_shared
        super().save_model(request, obj, form, change)


class ActionItemEventInline(admin.TabularInline):
    model = ActionItemEvent
    extra = 0
    can_delete = False
    fields = ["created_at", "kind", "actor", "changes", "comment"]
    readonly_fields = fields

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(ActionItem)
class ActionItemAdmin(admin.ModelAdmin):
    list_display = ["title", "body", "status", "due_date", "precision", "responsible_role", "responsible_person"]
    list_filter = ["status", "body", "precision", "responsible_role", "source_missing"]
    search_fields = ["title", "quote", "responsible_text", "source_item__case_number"]
    date_hierarchy = "due_date"
    list_select_related = ["body", "responsible_role", "responsible_person"]
    raw_id_fields = ["source_item"]
    readonly_fields = [
        "status", "version", "due_date", "window_start", "precision", "responsible_role", "responsible_person",
        "quote", "quote_start", "quote_end", "section", "completed_at", "created_at", "updated_at",
    ]
    inlines = [ActionItemEventInline]


@admin.register(ActionItemEvent)
class ActionItemEventAdmin(admin.ModelAdmin):
    list_display = ["created_at", "item", "kind", "actor"]
    list_filter = ["kind"]
    search_fields = ["item__title", "comment", "actor__username"]
    raw_id_fields = ["item"]

    def has_change_permission(self, request, obj=None):
        return False

    def has_add_permission(self, request):
        return False


@admin.register(Reminder)
class ReminderAdmin(admin.ModelAdmin):
    list_display = ["due_at", "kind", "recipient", "item", "status", "attempts", "sent_at"]
    list_filter = ["status", "kind"]
    search_fields = ["recipient__name", "recipient__email", "item__title"]
    raw_id_fields = ["item", "recipient"]
    date_hierarchy = "due_at"


@admin.register(CalendarFeed)
class CalendarFeedAdmin(admin.ModelAdmin):
    list_display = ["__str__", "owner", "scope", "created_at", "last_fetched_at", "revoked_at"]
    list_filter = ["scope", ("revoked_at", admin.EmptyFieldListFilter)]
    search_fields = ["owner__username", "name"]
    readonly_fields = ["token_hash", "last_fetched_at"]
    actions = ["revoke"]

    @admin.action(description=_("Tilbagekald valgte abonnementer"))
    def revoke(self, request, queryset):
        from django.utils import timezone

        queryset.filter(revoked_at__isnull=True).update(revoked_at=timezone.now())
