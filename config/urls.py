from django.contrib import admin
from django.urls import include, path
from django.utils.translation import gettext_lazy as _
from django.views.generic import TemplateView

from tracker.views import language
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
    path("i18n/", include("django.conf.urls.i18n")),
    path("sprog/", language.language_set, name="language_set"),
    path("tilgaengelighed/", TemplateView.as_view(template_name="accessibility.html"), name="accessibility"),
]
