from django.contrib import admin
from django.db.models import Count
from django.utils.translation import gettext_lazy as _

from minutes.models import AgendaItem, Attachment, Body, Meeting


@admin.register(Body)
class BodyAdmin(admin.ModelAdmin):
    list_display = ["name", "abbreviation", "meeting_count"]
    search_fields = ["name", "abbreviation"]
    prepopulated_fields = {"slug": ["name"]}

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(meeting_count=Count("meetings"))

    @admin.display(description=_("møder"), ordering="meeting_count")
    def meeting_count(self, obj: Body) -> int:
        return obj.meeting_count


class AgendaItemInline(admin.TabularInline):
    model = AgendaItem
    fields = ["number", "title", "case_number", "closed", "outcome"]
    extra = 0
    show_change_link = True


@admin.register(Meeting)
class MeetingAdmin(admin.ModelAdmin):
    list_display = ["date", "body", "start_time", "location", "source_name", "imported_at"]
    list_filter = ["body", ("date", admin.DateFieldListFilter)]
    search_fields = ["body__name", "location", "source_name", "agenda_items__title", "agenda_items__case_number"]
    date_hierarchy = "date"
    list_select_related = ["body"]
    readonly_fields = ["source_sha256", "source_name", "source_format", "imported_at", "updated_at"]
    inlines = [AgendaItemInline]


class AttachmentInline(admin.TabularInline):
    model = Attachment
    extra = 0


@admin.register(AgendaItem)
class AgendaItemAdmin(admin.ModelAdmin):
    list_display = ["number", "title", "meeting", "case_number", "outcome", "closed"]
    list_filter = ["meeting__body", "outcome", "closed"]
    search_fields = ["title", "case_number"]
    list_select_related = ["meeting__body"]
    raw_id_fields = ["meeting"]
    inlines = [AttachmentInline]
