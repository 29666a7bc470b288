"""The language switch in the footer: Django's set_language, remembered on the person as well."""
from __future__ import annotations

from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.views.decorators.http import require_POST
from django.views.i18n import set_language

from tracker import services


@require_POST
def language_set(request: HttpRequest) -> HttpResponse:
    """Switch language (a cookie, as Django does) and, for a logged-in user, keep the choice on their person."""
    response = set_language(request)
    if request.user.is_authenticated:
        try:
            services.person_language_set(user=request.user, language=request.POST.get("language", ""))
        except ValidationError:
            pass  # set_language has ignored an unknown language too; nothing changes
    return response
