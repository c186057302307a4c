"""The lab API the browser tests drive, one small handler per verb.

Every verb answers at any path ending in its name (/echo, /a/b/echo, ...), and
at any path at all when named by ?lab=VERB (/a/b?lab=echo, /a/b/?lab=echo), so
path scenarios can set and observe cookies at every exact path, a trailing
slash or none.

  set     set_cookie for each spec in ?c= (JSON), answers the names set
  drop    delete_cookie for each spec in ?c=
  raw     each ?h= sent verbatim as a Set-Cookie header (what Django cannot emit)
  echo    what the server received: raw Cookie header and request.COOKIES;
          with ?t=TOKEN also remembered for `log` (for requests a page cannot read)
  log     the echoes remembered under ?t=TOKEN
  script  an HTML page for document.cookie reads and writes
  embed   an HTML page that reaches ?url= as a link, form, iframe, img, fetch, script, sandboxed iframe or popup
  sign    set_signed_cookie(?name=, ?value=, ?salt=)
  verify  get_signed_cookie(?name=, ?salt=): the value, or why it was refused
  session store ?value= in the session (Django's session cookie)
  csrf    get_token(): makes Django send its CSRF cookie

Any verb also takes ?go=URL to answer with a redirect there instead (test hosts only).
"""

import base64
import binascii
import collections
import functools
import re
import threading

from django.core import signing
from django.http import HttpResponseRedirect, JsonResponse
from django.middleware.csrf import get_token
from django.shortcuts import render
from django.views.decorators.csrf import csrf_exempt

from . import spec as specs
from .partitioned import set_partitioned_cookie
from .raw import RawSetCookie
from .targets import test_host_url

MAX_RAW_HEADER = 8192
# A lone CR is a line break to Chromium (measured: chromium 156, `x=1\rRefresh: 0; url=...` was
# followed), so a CR followed by a header name and a colon could act as a header of its own.
# Header names are RFC 9110 tokens; leading and trailing controls and spaces are what lenient
# parsers trim.
HEADER_AFTER_CR = re.compile(rb"\r[\x00-\x20]*[!#$%&'*+.^_`|~0-9A-Za-z-]+[\x00-\x20]*:")
EMBED_KINDS = ("link", "form", "iframe", "img", "fetch", "script", "sandboxed-iframe", "popup", "websocket")
_LOG_TOKENS = 256  # enough for one test's requests; old tokens fall off
_log = collections.OrderedDict()
_log_lock = threading.Lock()


def _json(data, status=200):
    return JsonResponse(data, status=status, json_dumps_params={"sort_keys": True}, safe=False)


def bad_request(field, message):
    return _json({"error": f"{field}: {message}", "field": field}, status=400)


def _finish(request, body):
    """Answer with the body, or with a redirect to ?go= (a test host only)."""
    go = request.GET.get("go")
    if go is None:
        return _json(body)
    return HttpResponseRedirect(test_host_url("go", go))


def _specs(request):
    return specs.parse_list(request.GET.get("c") or request.POST.get("c"))


def set_cookies(response, spec_list):
    """set_cookie for each spec: the set verb's Set-Cookie lines (the harness's spec user agent makes the same)."""
    for kwargs in [specs.set_kwargs(s) for s in spec_list]:
        if kwargs.pop("partitioned", False):
            set_partitioned_cookie(response, **kwargs)
        else:
            response.set_cookie(**kwargs)
    return response


def drop_cookies(response, spec_list):
    """delete_cookie for each spec: the drop verb's Set-Cookie lines."""
    for kwargs in [specs.drop_kwargs(s) for s in spec_list]:
        response.delete_cookie(**kwargs)
    return response


def _set(request):
    given = _specs(request)
    return set_cookies(_finish(request, {"set": [specs.set_kwargs(s)["key"] for s in given]}), given)


def _drop(request):
    given = _specs(request)
    return drop_cookies(_finish(request, {"dropped": [specs.drop_kwargs(s)["key"] for s in given]}), given)


def _raw(request):
    """Set-Cookie lines: h= as text (Latin-1, no control characters), b= as exact bytes (base64url).

    b= carries what Django's own response refuses (NUL, a lone CR, DEL, UTF-8):
    the bytes go on the wire as sent, each inside one Set-Cookie line. LF is refused,
    since it would end the line and start a header of its own, and so is a CR that is
    followed by `name:`, since Chromium ends a line at a lone CR too.
    """
    headers = request.GET.getlist("h")
    for header in headers:
        if len(header) > MAX_RAW_HEADER:
            raise specs.SpecError("h", f"longer than {MAX_RAW_HEADER} characters")
        specs.header_safe("h", header)
    lines = headers + [_raw_bytes(encoded) for encoded in request.GET.getlist("b")]
    if not lines:
        raise specs.SpecError("h", "missing: pass one or more Set-Cookie header values (h=, or b= as base64url)")
    # page=1: answer with the script page, so a frame that sets the cookies can also read them.
    page = request.GET.get("page")
    response = render(request, "cookielab/script.html") if page else _finish(request, {"raw": lines})
    RawSetCookie.attach(response, lines)
    return response


def _raw_bytes(encoded):
    try:
        raw = base64.urlsafe_b64decode(encoded + "=" * (-len(encoded) % 4))
    except (ValueError, binascii.Error):
        raise specs.SpecError("b", "not base64url") from None
    if len(raw) > MAX_RAW_HEADER:
        raise specs.SpecError("b", f"longer than {MAX_RAW_HEADER} bytes")
    if b"\n" in raw:
        raise specs.SpecError("b", "LF (0x0A) would end the Set-Cookie line and start another header")
    if HEADER_AFTER_CR.search(raw):
        raise specs.SpecError("b", "a CR followed by a header name and a colon could start a header of its own")
    # Latin-1 maps each byte to one code point; the server writes headers back as Latin-1.
    return raw.decode("latin-1")


def received(request):
    """What the browser sent: the raw Cookie header and Django's parse of it."""
    return {
        "cookie_header": request.META.get("HTTP_COOKIE"),
        "cookies": request.COOKIES,
        "host": request.get_host(),
        "method": request.method,
        "path": request.path,
        "scheme": request.scheme,
    }


def _echo(request):
    record = received(request)
    for reported in ("seen", "storage", "request"):  # what the script page (script?t=) saw, as it reported it
        if reported in request.GET:
            record[reported] = request.GET[reported]
    keep(request, record)
    return _finish(request, record)


def keep(request, record):
    """Keep record under the request's ?t= token, for the harness to read with the log verb (no token: not kept).

    Pages in a frame no test can script (the app inside a cross-site iframe) report this way.
    """
    token = request.GET.get("t")
    if token:
        with _log_lock:
            _log.setdefault(token, []).append(record)
            _log.move_to_end(token)
            while len(_log) > _LOG_TOKENS:
                _log.popitem(last=False)


def _log_view(request):
    token = request.GET.get("t")
    if not token:
        raise specs.SpecError("t", "missing: pass the token the echoes used")
    with _log_lock:
        return _json(list(_log.get(token, [])))


def _script(request):
    return render(request, "cookielab/script.html")


def _embed(request):
    kind = request.GET.get("kind")
    if kind not in EMBED_KINDS:
        raise specs.SpecError("kind", f"must be one of {', '.join(EMBED_KINDS)}")
    url = test_host_url("url", request.GET.get("url"), loopback=True)
    return render(request, "cookielab/embed.html", {"kind": kind, "url": url})


def _sign(request):
    name = specs.set_kwargs({"name": request.GET.get("name"), "value": request.GET.get("value", "")})
    response = _finish(request, {"signed": name["key"]})
    response.set_signed_cookie(name["key"], name["value"], salt=request.GET.get("salt", ""), path="/")
    return response


def _verify(request):
    name = specs.drop_kwargs({"name": request.GET.get("name")})["key"]
    try:
        value = request.get_signed_cookie(name, salt=request.GET.get("salt", ""))
    except KeyError:
        return _json({"valid": False, "why": "missing"})
    except signing.BadSignature as exc:
        return _json({"valid": False, "why": type(exc).__name__})
    except ValueError:
        # Signed with the right key but not by set_signed_cookie: no timestamp to read.
        return _json({"valid": False, "why": "no timestamp"})
    return _json({"valid": True, "value": value})


def _session(request):
    value = request.GET.get("value")
    if value is not None:
        request.session["value"] = specs.set_kwargs({"name": "session", "value": value})["value"]
    return _json({"value": request.session.get("value")})


def _csrf(request):
    return _json({"token_length": len(get_token(request))})


VERBS = {
    "set": _set,
    "drop": _drop,
    "raw": _raw,
    "echo": _echo,
    "log": _log_view,
    "script": _script,
    "embed": _embed,
    "sign": _sign,
    "verify": _verify,
    "session": _session,
    "csrf": _csrf,
}


def answers_bad_input(view):
    """Turn a SpecError into a 400 JSON answer naming the field."""

    @functools.wraps(view)
    def wrapper(request, *args, **kwargs):
        try:
            return view(request, *args, **kwargs)
        except specs.SpecError as exc:
            return bad_request(exc.field, exc.message)

    return wrapper


@csrf_exempt
@answers_bad_input
def lab(request, verb, sub=None):
    return VERBS[verb](request)


@csrf_exempt
@answers_bad_input
def at_exact_path(request, path=None):
    """Any other path: the verb named by ?lab=, so what a browser sends to /a/b itself is observable."""
    verb = request.GET.get("lab")
    if verb not in VERBS:
        return _json({"error": f"lab: no page here; add ?lab=VERB ({', '.join(VERBS)})", "field": "lab"}, 404)
    return VERBS[verb](request)
