from django.contrib import admin

from api.models import ApiKey


@admin.register(ApiKey)
class ApiKeyAdmin(admin.ModelAdmin):
    """Keys can be seen and deleted (revoked) here; they are made by their owner or ``create_api_key``."""

    list_display = ("user", "prefix", "created_at", "last_used_at")
    search_fields = ("user__username", "prefix")
    readonly_fields = ("user", "prefix", "digest", "created_at", "last_used_at")

    def has_add_permission(self, request, obj=None) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False
