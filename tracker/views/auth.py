"""Login with a limit on failed attempts, per user name and per client address."""
from __future__ import annotations

import hashlib

from django.conf import settings
from django.contrib.auth import views as auth_views
from django.core.cache import cache
from django.http import HttpRequest, HttpResponse
from django.utils.translation import gettext as _

from tracker import services
from tracker.localdates import language_of


def client_address(request: HttpRequest) -> str:
    """Where a login attempt comes from.

    Behind the TLS proxy (``SECURE_PROXY_SSL_HEADER`` set) every request has
    the proxy's own REMOTE_ADDR; the client is the address the proxy appended
    to X-Forwarded-For. Only that last entry counts: the ones before it are
    whatever the client chose to send.
    """
    if settings.SECURE_PROXY_SSL_HEADER:
        forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")[-1].strip()
        if forwarded:
            return forwarded
    return request.META.get("REMOTE_ADDR", "")


def _limits(request: HttpRequest, username: str) -> list[tuple[str, int]]:
    """Counter keys with their limits. An address is often a whole town hall, so it gets a far higher limit
    than a user name: one person's typos must not lock their colleagues out."""
    name = hashlib.sha256(username.strip().lower().encode()).hexdigest()[:32]
    return [
        (f"login-failures:user:{name}", settings.LOGIN_FAILURE_LIMIT),
        (f"login-failures:addr:{client_address(request)}", settings.LOGIN_FAILURE_ADDRESS_LIMIT),
    ]


def _keys(request: HttpRequest, username: str) -> list[str]:
    return [key for key, _limit in _limits(request, username)]


def is_locked_out(request: HttpRequest, username: str) -> bool:
    return any((cache.get(key) or 0) >= limit for key, limit in _limits(request, username))


def record_failure(request: HttpRequest, username: str) -> None:
    for key in _keys(request, username):
        # add() starts the window; incr() keeps it, so the lock lifts a fixed time after the first failure.
        if not cache.add(key, 1, timeout=settings.LOGIN_FAILURE_WINDOW_SECONDS):
            try:
                cache.incr(key)
            except ValueError:
                cache.set(key, 1, timeout=settings.LOGIN_FAILURE_WINDOW_SECONDS)


def clear_failures(request: HttpRequest, username: str) -> None:
    cache.delete_many(_keys(request, username))


class RateLimitedLoginView(auth_views.LoginView):
    def post(self, request: HttpRequest, *args: object, **kwargs: object) -> HttpResponse:
        username = request.POST.get("username", "")
        if is_locked_out(request, username):
            form = self.get_form()
            form.add_error(
                None,
                _("For mange mislykkede forsøg. Vent %(minutes)d minutter, eller nulstil din adgangskode.")
                % {"minutes": settings.LOGIN_FAILURE_WINDOW_SECONDS // 60},
            )
            return self.render_to_response(self.get_context_data(form=form), status=429)
        response = super().post(request, *args, **kwargs)
        if request.user.is_authenticated:
            clear_failures(request, username)
            remember_language(request, response)
        else:
            record_failure(request, username)
        return response


def remember_language(request: HttpRequest, response: HttpResponse) -> None:
    """At login the latest choice wins: one made on this device before logging in, else the person's own."""
    chosen = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME)
    if chosen in dict(settings.LANGUAGES):
        services.person_language_set(user=request.user, language=chosen)
        return
    person = getattr(request.user, "person", None)
    if person is not None:
        response.set_cookie(
            settings.LANGUAGE_COOKIE_NAME, language_of(person), max_age=settings.LANGUAGE_COOKIE_AGE,
            path=settings.LANGUAGE_COOKIE_PATH, domain=settings.LANGUAGE_COOKIE_DOMAIN,
            secure=settings.LANGUAGE_COOKIE_SECURE, httponly=settings.LANGUAGE_COOKIE_HTTPONLY,
            samesite=settings.LANGUAGE_COOKIE_SAMESITE,
        )
