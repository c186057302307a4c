"""The shipped app: Django's own login, logout, CSRF, messages and language views, as a site uses them.

  app/login/     LoginView; `remember` unchecked: set_expiry(0) (until the browser closes),
                 checked: REMEMBER_FOR (a timedelta), `remember=seconds`: REMEMBER_SECONDS
  app/logout/    LogoutView (POST only, as Django 5 requires)
  app/private/   login_required: anonymous users are redirected to the login page
  app/form/      GET: a CSRF-protected form; POST: accepted (a failure is csrf_failure's 403)
  app/message/   messages.info(?text=, ?count= times) then a redirect to app/state/
  app/callback/  csrf_exempt POST target, like an OAuth or SAML callback
  app/state/     JSON: the user, the language, the messages shown (consumed), the cookies that arrived

Any of them with ?t=TOKEN also keeps its JSON answer (or the CSRF 403) under TOKEN in the lab's
log: the app inside a cross-site iframe, which no test can script, reports that way.
  i18n/setlang/  Django's set_language (POST)

Every answer the harness reads is JSON or a page with #state holding JSON.
"""

import datetime
import hashlib

from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.http import JsonResponse
from django.shortcuts import redirect, render
from django.utils import translation
from django.utils.translation import gettext
from django.views.decorators.csrf import csrf_exempt

from .lab import keep
from .spec import SpecError

REMEMBER_FOR = datetime.timedelta(days=30)
REMEMBER_SECONDS = 3600
MAX_MESSAGES = 20
MAX_MESSAGE = 4096
# A string Django's own catalogues translate: proof that the page was served in that language.
TRANSLATED = "This field is required."


def state(request):
    """What Django decided for this request: user, language, messages, and what arrived."""
    return {
        "user": request.user.get_username() or None,
        "language": translation.get_language(),
        "translated": gettext(TRANSLATED),
        "messages": [m.message for m in messages.get_messages(request)],
        "cookies": sorted(request.COOKIES),
        "method": request.method,
    }


def answer(request, body, status=200):
    """The app's JSON answer, also kept under ?t= (see the module's docstring)."""
    keep(request, body)
    return JsonResponse(body, status=status, json_dumps_params={"sort_keys": True})


def state_view(request):
    return answer(request, state(request))


class LoginView(auth_views.LoginView):
    template_name = "cookielab/login.html"

    def form_valid(self, form):
        response = super().form_valid(form)  # login(): a new session key, a new CSRF token
        remember = self.request.POST.get("remember")
        if remember == "seconds":
            self.request.session.set_expiry(REMEMBER_SECONDS)
        elif remember:
            self.request.session.set_expiry(REMEMBER_FOR)
        else:
            self.request.session.set_expiry(0)
        return response


@login_required
def private(request):
    return JsonResponse(state(request), json_dumps_params={"sort_keys": True})


def form(request):
    """GET: the protected form; POST: reached only when CsrfViewMiddleware accepted it."""
    if request.method == "POST":
        return answer(request, {"accepted": True, **state(request)})
    return render(request, "cookielab/form.html")


def message(request):
    """messages.info() ?count= times, then a redirect: to app/state/ (which shows them), or with
    ?next=echo to the echo verb (which does not), so the pending messages can be looked at.

    ?size=N: each message N characters of hex, distinct per message ("<index>:" first), so
    that compression cannot squeeze them under CookieStorage's 2048 bytes.
    """
    text = request.GET.get("text", "hello")
    try:
        count, size = int(request.GET.get("count", "1")), int(request.GET.get("size", "0"))
    except ValueError:
        count = size = 0
    if not 1 <= count <= MAX_MESSAGES or len(text) > MAX_MESSAGE or not 0 <= size <= MAX_MESSAGE:
        raise SpecError("count", f"1 to {MAX_MESSAGES} messages of at most {MAX_MESSAGE} characters")
    for index in range(count):
        if size:
            messages.info(request, noise(index, size))
        else:
            messages.info(request, f"{text}-{index}" if count > 1 else text)
    return redirect("/echo" if request.GET.get("next") == "echo" else "app-state")


def noise(index, size):
    """size characters that do not compress: "<index>:" then SHA-256 hex of the index, chained."""
    digest, text = str(index).encode(), f"{index}:"
    while len(text) < size:
        digest = hashlib.sha256(digest).digest()
        text += digest.hex()
    return text[:size]


@csrf_exempt
def callback(request):
    """A cross-site POST-back target (OAuth/SAML style): who is logged in when it arrives."""
    return JsonResponse(state(request), json_dumps_params={"sort_keys": True})


def csrf_failure(request, reason=""):
    """CSRF_FAILURE_VIEW: Django's 403, with its reason as JSON for the harness."""
    return answer(request, {"accepted": False, "reason": reason}, status=403)
