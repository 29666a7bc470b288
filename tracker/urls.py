from django.urls import path, re_path

from tracker.views import bodies, feeds, items, outbox, roles, workspace
from tracker.views import exports as export_views
from tracker.views import followup_list

app_name = "tracker"

urlpatterns = [
    path("", workspace.home, name="home"),
    path("mine-opgaver/", workspace.my_items, name="my_items"),
    path("opfoelgninger/", items.item_list, name="item_list"),
    path("opfoelgninger/<int:pk>/", items.item_detail, name="item_detail"),
    path("opfoelgninger/<int:pk>/udfoert/", items.item_complete, name="item_complete"),
    path("opfoelgninger/<int:pk>/genaabn/", items.item_reopen, name="item_reopen"),
    path("opfoelgninger/<int:pk>/kommentar/", items.item_comment, name="item_comment"),
    path("opfoelgninger/<int:pk>/frist/", items.item_change_due, name="item_change_due"),
    path("opfoelgninger/<int:pk>/ansvarlig/", items.item_reassign, name="item_reassign"),
    path("opfoelgninger/<int:pk>/annuller/", items.item_cancel, name="item_cancel"),
    re_path(r"^opfoelgninger/eksport\.(?P<fmt>csv|xlsx)$", export_views.export, name="export"),
    path("opfoelgninger/importer/", export_views.sheet_import, name="sheet_import"),
    # str, not slug: a forum's short name may carry Danish letters ("oekonomi" or "økonomi").
    path("fora/<str:slug>/", bodies.body_overview, name="body_overview"),
    path("fora/<slug:slug>/opfoelgningsliste/", followup_list.followup_list, name="followup_list"),
    path("fora/<slug:slug>/opfoelgningsliste.docx", followup_list.followup_list_word, name="followup_list_docx"),
    path("roller/", roles.role_list, name="roles"),
    path("roller/ny/", roles.role_create, name="role_create"),
    path("roller/<int:pk>/", roles.role_detail, name="role_detail"),
    path("roller/<int:pk>/overdrag/", roles.role_handover, name="role_handover"),
    path("kalender/", feeds.calendar, name="calendar"),
    path("kalender/<int:pk>/tilbagekald/", feeds.calendar_revoke, name="calendar_revoke"),
    re_path(r"^kalender/(?P<token>[A-Za-z0-9_-]{20,200})\.ics$", feeds.feed, name="feed"),
    path("paamindelser/", outbox.outbox, name="outbox"),
    path("paamindelser/<int:pk>/send-igen/", outbox.outbox_retry, name="outbox_retry"),
]
