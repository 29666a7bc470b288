from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView
from rest_framework.routers import SimpleRouter

from api import views

app_name = "api"

router = SimpleRouter()
router.register("forums", views.ForumViewSet, basename="forum")
router.register("meetings", views.MeetingViewSet, basename="meeting")
router.register("agenda-items", views.AgendaItemViewSet, basename="agenda-item")
router.register("action-items", views.ActionItemViewSet, basename="action-item")
router.register("roles", views.RoleViewSet, basename="role")
router.register("people", views.PersonViewSet, basename="person")
router.register("role-assignments", views.RoleAssignmentViewSet, basename="role-assignment")

urlpatterns = [
    path("schema/", SpectacularAPIView.as_view(), name="schema"),
    # Swagger UI from the app's own static files; its start script is a separate request (no inline script).
    path("docs/", SpectacularSwaggerSplitView.as_view(url_name="api:schema"), name="docs"),
    path("token/", views.TokenView.as_view(), name="token"),
    path("", include(router.urls)),
]
