"""Public pages: sign up, confirm, manage and unsubscribe (the last three by signed link)."""

import uuid

from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods

from currentawareness.forms import ManageForm, SignUpForm
from currentawareness.links import (
    CONFIRM_SALT,
    MANAGE_SALT,
    UNSUBSCRIBE_SALT,
    LinkExpired,
    LinkInvalid,
    make_token,
    read_token,
)
from currentawareness.models import SavedSearch, Subscriber
from currentawareness.subscriptions import request_sign_up
from shelfmark_core.conf import app_setting
from shelfmark_core.ratelimit import client_ip, hit


@require_http_methods(["GET", "POST"])
def sign_up(request):
    """The sign-up form; "Alert me" arrives here with the search in `?search=`."""
    if request.method != "POST":
        form = SignUpForm(search=request.GET.get("search", ""))
        return render_sign_up(request, form)
    limit, window = app_setting("CURRENTAWARENESS_SIGNUP_RATE_LIMIT")
    allowed = hit(f"ca-sign-up:{client_ip(request)}", limit, window)
    form = SignUpForm(request.POST)
    if not allowed.allowed:
        response = render_sign_up(request, form, rejection="rate-limited")
        response.status_code = 429
        response["Retry-After"] = str(allowed.retry_after)
        return response
    if not form.is_valid():
        return render_sign_up(request, form)
    reason = form.spam_reason()
    if reason:
        return render_sign_up(request, form, rejection=reason)
    request_sign_up(form.cleaned_data["email"], form.choices())
    return redirect("currentawareness:check_email")


def render_sign_up(request, form, rejection: str = ""):
    search = SavedSearch(query=form.search).describe() if form.search else ""
    return TemplateResponse(
        request,
        "currentawareness/sign_up.html",
        {"form": form, "search_description": search, "rejection": rejection},
    )


def check_email(request):
    """What every sign-up sees, whether the address was new or not."""
    return TemplateResponse(request, "currentawareness/check_email.html", {})


def subscriber_from(request, salt: str, token: str):
    """(subscriber, choices, problem): problem is "expired" or "invalid" for a bad link."""
    try:
        key, choices = read_token(salt, token)
    except LinkExpired:
        return None, None, "expired"
    except LinkInvalid:
        return None, None, "invalid"
    subscriber = Subscriber.objects.filter(key=key).first() if _is_uuid(key) else None
    if subscriber is None:
        return None, None, "invalid"
    return subscriber, choices, ""


def _is_uuid(value: str) -> bool:
    try:
        uuid.UUID(value)
    except ValueError:
        return False
    return True


def link_problem(request, problem: str):
    return TemplateResponse(
        request, "currentawareness/link_problem.html", {"problem": problem}, status=400
    )


@require_http_methods(["GET", "POST"])
def confirm(request, token):
    """Confirm by pressing a button (a link checker that follows the link confirms nothing)."""
    subscriber, choices, problem = subscriber_from(request, CONFIRM_SALT, token)
    if problem:
        return link_problem(request, problem)
    if request.method == "POST":
        subscriber.confirm(choices)
        return TemplateResponse(
            request,
            "currentawareness/confirmed.html",
            {"subscriber": subscriber, "manage_token": _manage_token(subscriber)},
        )
    return TemplateResponse(request, "currentawareness/confirm.html", {"choices": choices})


def _manage_token(subscriber) -> str:
    return make_token(MANAGE_SALT, subscriber.key)


@require_http_methods(["GET", "POST"])
def manage(request, token):
    subscriber, _choices, problem = subscriber_from(request, MANAGE_SALT, token)
    if problem:
        return link_problem(request, problem)
    saved = False
    if request.method == "POST":
        form = ManageForm(request.POST, subscriber=subscriber)
        if form.is_valid():
            form.save()
            saved = True
            form = ManageForm(subscriber=subscriber)
    else:
        form = ManageForm(subscriber=subscriber)
    return TemplateResponse(
        request,
        "currentawareness/manage.html",
        {
            "form": form,
            "subscriber": subscriber,
            "saved": saved,
            "unsubscribe_token": make_token(UNSUBSCRIBE_SALT, subscriber.key),
        },
    )


@csrf_exempt  # RFC 8058: mail clients POST without a session; the signed link authorises it.
@require_http_methods(["GET", "POST"])
def unsubscribe(request, token):
    """GET asks; POST (the page's button, or a mail client's one-click) unsubscribes."""
    subscriber, _choices, problem = subscriber_from(request, UNSUBSCRIBE_SALT, token)
    if problem:
        return link_problem(request, problem)
    if request.method == "POST":
        subscriber.unsubscribe()
        return TemplateResponse(request, "currentawareness/unsubscribed.html", {})
    return TemplateResponse(request, "currentawareness/unsubscribe.html", {})
