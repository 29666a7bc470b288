from django.urls import path

from tracker.views import workspace

app_name = "tracker"

urlpatterns = [
    path("", workspace.home, name="home"),
]
