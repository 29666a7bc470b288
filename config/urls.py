from django.contrib import admin
from django.urls import include, path
from django.utils.translation import gettext_lazy as _

from tracker.views.auth import RateLimitedLoginView

admin.site.site_header = _("Referat → opfølgning")
admin.site.site_title = _("Opfølgning")
admin.site.index_title = _("Administration")

urlpatterns = [
    path("admin/", admin.site.urls),
    path("konto/login/", RateLimitedLoginView.as_view(), name="login"),
    path("konto/", include("django.contrib.auth.urls")),
    path("", include("tracker.urls")),
    path("moeder/", include("minutes.urls")),
    path("api/", include("api.urls")),
]
