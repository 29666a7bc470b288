"""The "Kalender" page and the public feed endpoint.

The page creates a secret feed URL for a scope (my items, a role, a forum,
everything I may see), lists the user's feeds with when a calendar last
fetched them, and revokes them. Only a hash of the token is stored, so the URL
is shown once: right after creation, handed from the POST to the next page
view through the session and removed from it as soon as it is shown.

``/kalender/<token>.ics`` needs no login: the token is the credential. It is
read-only, answers conditional requests with 304, and a revoked or unknown
token gets the same plain 404.
"""
from __future__ import annotations

from typing import Any

from django import forms
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse, HttpResponseBadRequest, HttpResponseNotFound
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.cache import get_conditional_response
from django.utils.http import http_date
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST, require_safe

from tracker import feeds
from tracker.localdates import language_of
from tracker.models import CalendarFeed, Role

Scope = CalendarFeed.Scope
NEW_FEED_SESSION_KEY = "tracker:new-calendar-feed"


class CalendarFeedForm(forms.Form):
    """One choice says what the calendar shows: ``mine``, ``all``, ``role:<id>`` or ``body:<id>``."""

    shows = forms.ChoiceField(label=gettext_lazy("Hvad skal kalenderen vise?"))
    name = forms.CharField(
        label=gettext_lazy("Navn (valgfrit)"), max_length=200, required=False,
        help_text=gettext_lazy("Det navn, kalenderen får i dit kalenderprogram. Fx “Økonomi – frister”."),
    )

    def __init__(self, *args: Any, user: AbstractBaseUser, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.roles = {str(r.pk): r for r in feeds.feed_roles_for(user).order_by("name")}
        self.bodies = {str(b.pk): b for b in feeds.feed_bodies_for(user).order_by("name")}
        choices: list[tuple[str, object]] = [
            (Scope.MINE, _("Mine opgaver – mine egne og dem for roller, jeg har")),
            (Scope.ALL, _("Alt, jeg kan se")),
        ]
        if self.bodies:
            choices.append((_("Et forum"), [(f"body:{pk}", b.name) for pk, b in self.bodies.items()]))
        if self.roles:
            choices.append(
                (_("En rolle"), [(f"role:{pk}", self._role_label(r)) for pk, r in self.roles.items()])
            )
        self.fields["shows"].choices = choices

    @staticmethod
    def _role_label(role: Role) -> str:
        return f"{role.name} ({role.body.name})" if role.body_id else role.name

    def clean(self) -> dict[str, object]:
        data = super().clean()
        shows = data.get("shows") or ""
        kind, _sep, pk = shows.partition(":")
        data["scope"] = kind
        data["role"] = self.roles.get(pk) if kind == Scope.ROLE else None
        data["body"] = self.bodies.get(pk) if kind == Scope.BODY else None
        return data


def feed_url(token: str, *, format: str = "event") -> str:
    url = settings.SITE_URL + reverse("tracker:feed", kwargs={"token": token})
    return url + "?format=todo" if format == "todo" else url


def webcal_url(url: str) -> str:
    """The same address with the scheme calendar programs open as a subscription."""
    return "webcal://" + url.split("://", 1)[1]


def _new_feed(request: HttpRequest) -> dict[str, object] | None:
    """The feed created just before, with its URL, once; None on every later view."""
    handoff = request.session.pop(NEW_FEED_SESSION_KEY, None)
    if not handoff:
        return None
    feed = feeds.feeds_of(request.user).filter(pk=handoff.get("id")).first()
    if feed is None:
        return None
    url = feed_url(handoff["token"])
    return {
        "feed": feed,
        "label": feeds.feed_label(feed),
        "url": url,
        "webcal": webcal_url(url),
        "todo_url": feed_url(handoff["token"], format="todo"),
    }


@login_required
def calendar(request: HttpRequest) -> HttpResponse:
    form = CalendarFeedForm(request.POST if request.method == "POST" else None, user=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            feed, token = feeds.calendar_feed_create(
                owner=request.user, scope=form.cleaned_data["scope"], role=form.cleaned_data["role"],
                body=form.cleaned_data["body"], name=form.cleaned_data["name"],
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            request.session[NEW_FEED_SESSION_KEY] = {"id": feed.pk, "token": token}
            return redirect("tracker:calendar")
    status = 400 if form.errors else 200
    context = {
        "form": form,
        "new_feed": None if request.method == "POST" else _new_feed(request),
        "feeds": [(feed, feeds.feed_label(feed)) for feed in feeds.feeds_of(request.user)],
    }
    return render(request, "tracker/calendar.html", context, status=status)


@login_required
@require_POST
def calendar_revoke(request: HttpRequest, pk: int) -> HttpResponse:
    feed = get_object_or_404(feeds.feeds_of(request.user), pk=pk)
    feeds.calendar_feed_revoke(feed=feed)
    messages.success(
        request,
        _("Kalenderen “%(label)s” er tilbagekaldt. Kalenderprogrammer, der abonnerer på den, får ikke flere frister.")
        % {"label": feeds.feed_label(feed)},
    )
    return redirect("tracker:calendar")


@require_safe
def feed(request: HttpRequest, token: str) -> HttpResponse:
    """The calendar a client subscribed to. GET and HEAD; 304 when the client's copy is current."""
    format = request.GET.get("format") or "event"
    if format not in feeds.FORMATS:
        return HttpResponseBadRequest(
            _("Ukendt format. Udelad format, eller brug format=todo."), content_type="text/plain; charset=utf-8"
        )
    subscription = feeds.feed_for_token(token)
    if subscription is None:
        # Calendar programs read this, not people: a fixed body that tells
        # nothing about whether the token ever existed.
        return HttpResponseNotFound(_("Kalenderen findes ikke."), content_type="text/plain; charset=utf-8")
    now = timezone.now()
    today = timezone.localdate(now)
    # The feed is read by programs, not people: in its owner's language (Person.language),
    # whatever the client's Accept-Language says.
    with translation.override(language_of(getattr(subscription.owner, "person", None))):
        scope = feeds.feed_scope_items(subscription, today=today)
        state = feeds.feed_state(subscription, scope, today=today, format=format, site_url=settings.SITE_URL)
        last_modified = int(state.last_modified.timestamp())
        response = get_conditional_response(request, etag=state.etag, last_modified=last_modified)
        if response is None:
            body = feeds.calendar_ical(
                feeds.feed_window_items(scope, today=today),
                name=feeds.calendar_name(subscription),
                site_url=settings.SITE_URL,
                host=feeds.site_host(settings.SITE_URL),
                today=today,
                format=format,
            )
            response = HttpResponse(body, content_type="text/calendar; charset=utf-8")
            response["Content-Disposition"] = 'inline; filename="frister.ics"'
    response["ETag"] = state.etag
    response["Last-Modified"] = http_date(last_modified)
    # Clients may keep the copy but must ask again; the ETag makes asking cheap.
    response["Cache-Control"] = "private, no-cache"
    response["X-Robots-Tag"] = "noindex, nofollow"
    feeds.calendar_feed_mark_fetched(feed=subscription, now=now)
    return response
