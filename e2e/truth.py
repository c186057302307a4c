"""Per-engine truth: the one place engine behaviour and its sources live.

TRUTH[case_id][engine] is a Truth(value, source). A source is a spec section,
a browser bug or doc link, or "measured: <engine> <version>". Chromium and
Firefox values were measured on this project's machines; WebKit cannot run
here (no Playwright WebKit build downloads), so every WebKit value is marked
unverified and says where it comes from.
"""
import dataclasses

ENGINES = ("chromium", "firefox", "webkit")
CHROMIUM = "measured: chromium 156.0.8078.108 (Debian build)"
FIREFOX = "measured: firefox 153.7.0esr (Debian build, WebDriver BiDi)"
RFC = "RFC 6265bis-20"  # draft-ietf-httpbis-rfc6265bis-20


@dataclasses.dataclass(frozen=True)
class Truth:
    value: object
    source: str
    verified: bool = True


def unverified(value, source):
    """A value this project could not observe (WebKit here), with where it comes from."""
    return Truth(value, f"unverified on this machine; {source}", verified=False)


def agreed(value, spec, webkit_source=None):
    """Chromium and Firefox both measured doing what `spec` says; WebKit expected to follow it."""
    return {
        "chromium": Truth(value, f"{CHROMIUM}; {spec}"),
        "firefox": Truth(value, f"{FIREFOX}; {spec}"),
        "webkit": unverified(value, webkit_source or spec),
    }


def differ(chromium, firefox, webkit, note):
    """Engines differ: each measured value, `note` saying why; webkit is (value, source)."""
    return {
        "chromium": Truth(chromium, f"{CHROMIUM}; {note}"),
        "firefox": Truth(firefox, f"{FIREFOX}; {note}"),
        "webkit": unverified(*webkit),
    }


TRUTH = {}
MISSING = "<no recorded truth>"


def _flags(row):
    return [flag == "T" for flag in row.replace(" ", "")]


# -- SameSite (e2e/test_samesite.py) -------------------------------------------
# Columns: cookies strict, lax, none (+Secure), unset, none_insecure, bogus.
SAMESITE_NAMES = ("strict", "lax", "none", "unset", "none_insecure", "bogus")
SAMESITE_SPEC = f"{RFC} section 5.6.7.1 (same-site requests) and 5.7 step 13 (SameSite enforcement)"
# Stock Firefox partitions or blocks third-party cookies (Total Cookie Protection,
# https://developer.mozilla.org/en-US/docs/Web/Privacy/Guides/State_Partitioning);
# Chromium here sent no cookie to cross-site subresources either.
THIRD_PARTY = "third-party cookie blocking: SameSite=None is not sent from a cross-site frame or subresource"
# Chromium treats a cookie without SameSite as Lax, but sends it on a cross-site
# top-level POST within 2 minutes of its creation ("Lax-allowing-unsafe",
# https://chromestatus.com/feature/5088147346030592); Firefox has no
# lax-by-default (https://bugzilla.mozilla.org/show_bug.cgi?id=1617609).
UNSET = "no SameSite: Chromium Lax-by-default with the 2-minute POST exception; Firefox treats it as None"
SCHEMEFUL = (
    "schemeful same-site (https://chromestatus.com/feature/5096179480133632): Chromium treats "
    "http <-> https on one host as cross-site; Firefox does not (network.cookie.sameSite.schemeful)"
)
REDIRECT = (
    "a top-level navigation redirected through a cross-site page: Chromium judges only the final "
    "hop's initiator and sends Strict; Firefox considers the redirect chain and withholds it"
)
WEBKIT_NO_LAX_DEFAULT = "WebKit has no lax-by-default: https://bugs.webkit.org/show_bug.cgi?id=198181"
WEBKIT_3P = "WebKit blocks all third-party cookies: https://webkit.org/blog/10218/full-third-party-cookie-blocking-and-more/"

SAMESITE_SENT = {
    # context:              (chromium,       firefox,        webkit,         note)
    "same-origin-link":     ("TTTT FT", "TTTT FT", "TTTT FT", SAMESITE_SPEC),
    "same-site-link":       ("TTTT FT", "TTTT FT", "TTTT FT", SAMESITE_SPEC),
    "same-site-iframe":     ("TTTT FT", "TTTT FT", "TTTT FT", SAMESITE_SPEC),
    "same-site-fetch":      ("TTTT FT", "TTTT FT", "TTTT FT", SAMESITE_SPEC),
    "cross-site-link":      ("FTTT FT", "FTTT FT", "FTTT FT", f"{SAMESITE_SPEC}; {UNSET}"),
    "cross-site-form-post": ("FFTT FT", "FFTT FT", "FFTT FT", f"{SAMESITE_SPEC}; {UNSET}"),
    "cross-site-iframe":    ("FFFF FF", "FFFF FF", "FFFF FF", f"{SAMESITE_SPEC}; {THIRD_PARTY}"),
    "cross-site-fetch":     ("FFFF FF", "FFFF FF", "FFFF FF", f"{SAMESITE_SPEC}; {THIRD_PARTY}"),
    "cross-site-img":       ("FFFF FF", "FFFF FF", "FFFF FF", f"{SAMESITE_SPEC}; {THIRD_PARTY}"),
    "cross-site-redirect":  ("TTTT FT", "FTTT FT", "FTTT FT", REDIRECT),
    # The none cookie is Secure, so it never goes to http.
    "https-to-http-link":   ("FTFT FT", "TTFT FT", "TTFT FT", SCHEMEFUL),
    "http-to-https-link":   ("FTTT FT", "TTTT FT", "TTTT FT", SCHEMEFUL),
}
for _context, (_c, _f, _w, _note) in SAMESITE_SENT.items():
    for _name, _cv, _fv, _wv in zip(SAMESITE_NAMES, _flags(_c), _flags(_f), _flags(_w)):
        _webkit = WEBKIT_3P if _context.startswith("cross-site") and _context != "cross-site-redirect" else (
            WEBKIT_NO_LAX_DEFAULT if _name in ("unset", "bogus") else SAMESITE_SPEC
        )
        if _cv == _fv:
            TRUTH[f"samesite/{_name}/{_context}"] = agreed(_cv, _note, _webkit)
        else:
            TRUTH[f"samesite/{_name}/{_context}"] = differ(_cv, _fv, (_wv, _webkit), _note)
# SameSite=None without Secure is rejected (RFC 6265bis section 5.7 step 18);
# an unknown value counts as no attribute (section 5.6.7).
for _name, _stored in zip(SAMESITE_NAMES, _flags("TTTT FT")):
    TRUTH[f"samesite/{_name}/stored"] = agreed(_stored, f"{RFC} sections 5.6.7 and 5.7 step 18")


# -- Path (e2e/test_path.py) ---------------------------------------------------
PATH_MATCH = f"{RFC} section 5.1.4 (paths and path-match)"
TRUTH["path/default/stored-path"] = agreed("/a/b", f"{RFC} section 5.1.4 (default-path)")
for _case, _sent in {
    "p_default/sent-at/a/b/echo": True, "p_default/sent-at/a/b/c/echo": True, "p_default/sent-at/a/echo": False,
    "p_default/sent-at/a/bc/echo": False, "p_default/sent-at//echo": False,
    "p_seg/sent-at/p/echo": True, "p_seg/sent-at/p/q/echo": True, "p_seg/sent-at/pq/echo": False,
    "p_seg/sent-at//echo": False,
    "p_slash/sent-at/p/echo": True, "p_slash/sent-at/p/q/echo": True, "p_slash/sent-at/pq/echo": False,
    "p_exact/sent-at/q/echo": True, "p_exact_slash/sent-at/q/echo": False,
}.items():
    TRUTH[f"path/{_case}"] = agreed(_sent, PATH_MATCH)
TRUTH["path/duplicate/stored"] = agreed([["/", "root"], ["/d", "deep"]], f"{RFC} section 5.7 step 22 (name, domain, path identify a cookie)")
ORDER = f"{RFC} section 5.8.3 step 2 (longer paths first)"
TRUTH["path/duplicate/header"] = agreed(["dup=deep", "dup=root"], ORDER)
TRUTH["path/duplicate/document-cookie"] = agreed(["dup=deep", "dup=root"], ORDER)
TRUTH["path/duplicate/request-cookies"] = agreed(
    "root", "django.http.cookie.parse_cookie keeps the last value of a repeated name: the shortest path's"
)
TRUTH["path/script/visible-under-path"] = agreed("p_script=1", PATH_MATCH)
TRUTH["path/script/visible-outside-path"] = agreed("", PATH_MATCH)
REPLACE = f"{RFC} section 5.7 step 22 (a cookie with the same name, domain and path is replaced)"
TRUTH["path/delete/other-path-keeps"] = agreed(["/p"], REPLACE)
TRUTH["path/delete/same-path-removes"] = agreed([], REPLACE)
TRUTH["path/update/other-path"] = agreed([["/", "old"], ["/p", "new"]], REPLACE)
TRUTH["path/update/same-path"] = agreed([["/", "old"], ["/p", "newer"]], REPLACE)


# -- Domain (e2e/test_domain.py) -----------------------------------------------
DOMAIN_MATCH = f"{RFC} sections 5.1.3 (domain-match) and 5.7 steps 9-10 (Domain attribute)"
PUBLIC_SUFFIX = f"{RFC} section 5.7 step 9 (a public suffix is rejected; an unlisted TLD counts as one)"
# cookie: (stored domain or None, hosts that receive it, source)
_APEX_WIDE = ("apex", "www", "blog")
DOMAIN_CASES = {
    "d_hostonly": ("example.test", ("apex",), f"{RFC} section 5.7 step 10 (no Domain: host-only)"),
    "d_domain": (".example.test", _APEX_WIDE, DOMAIN_MATCH),
    "d_dot": (".example.test", _APEX_WIDE, f"{RFC} section 5.6.3 (a leading dot is ignored)"),
    "d_upper": (".example.test", _APEX_WIDE, f"{RFC} section 5.6.3 (Domain is lower-cased)"),
    "d_sub_from_apex": (None, (), f"{DOMAIN_MATCH}: example.test does not domain-match www.example.test"),
    "d_foreign": (None, (), f"{DOMAIN_MATCH}: example.test does not domain-match other.test"),
    "d_tld": (None, (), PUBLIC_SUFFIX),
    "d_www_hostonly": ("www.example.test", ("www",), f"{RFC} section 5.7 step 10 (no Domain: host-only)"),
    "d_parent_from_www": (".example.test", _APEX_WIDE, DOMAIN_MATCH),
    "d_sibling_from_www": (None, (), f"{DOMAIN_MATCH}: www.example.test does not domain-match blog.example.test"),
}
for _name, (_domain, _hosts, _source) in DOMAIN_CASES.items():
    # The leading dot is how Playwright reports a Domain cookie in both engines.
    TRUTH[f"domain/{_name}/stored-domain"] = agreed(_domain, _source)
    for _host in ("apex", "www", "blog", "other"):
        TRUTH[f"domain/{_name}/sent-to-{_host}"] = agreed(_host in _hosts, _source)
TRUTH["domain/delete/host-only-domain"] = agreed("1", f"{REPLACE}: a host-only deletion is another cookie")
TRUTH["domain/delete/same-domain"] = agreed(None, REPLACE)
TRUTH["domain/lo_hostonly/stored-domain"] = agreed("localhost", f"{RFC} section 5.7 step 10")
TRUTH["domain/ip_hostonly/stored-domain"] = agreed("127.0.0.1", f"{RFC} section 5.7 step 10")
TRUTH["domain/lo_hostonly/sent-back"] = agreed(True, f"{RFC} section 5.7 step 10")
TRUTH["domain/ip_hostonly/sent-back"] = agreed(True, f"{RFC} section 5.7 step 10")
# Domain equal to a host that is a public suffix (localhost) or an IP address
# becomes a host-only cookie: reported without the leading dot.
for _name, _host in (("lo_domain", "localhost"), ("ip_domain", "127.0.0.1")):
    _source = f"{RFC} section 5.7 step 9 (Domain equal to the host, a public suffix or IP: host-only)"
    TRUTH[f"domain/{_name}/stored-domain"] = agreed(_host, _source)
    TRUTH[f"domain/{_name}/sent-back"] = agreed(True, _source)


# -- Secure (e2e/test_secure.py) -----------------------------------------------
SECURE_ORIGIN_ONLY = f"{RFC} section 5.7 step 8 (Secure only from a secure origin)"
LEAVE_SECURE = f"{RFC} section 5.7 step 16 (an insecure origin cannot overwrite or shadow a Secure cookie)"
SECURE_SEND = f"{RFC} section 5.8.3 step 1 (Secure cookies only over secure channels)"
TRUTH["secure/set-over-http/stored"] = agreed(False, SECURE_ORIGIN_ONLY)
TRUTH["secure/set-over-https/stored-secure"] = agreed(True, SECURE_ORIGIN_ONLY)
TRUTH["secure/sent-over-https"] = agreed(True, SECURE_SEND)
TRUTH["secure/sent-over-http"] = agreed(False, SECURE_SEND)
TRUTH["secure/script-on-https"] = agreed(True, f"{RFC} section 5.8.2 (document.cookie uses the same rules)")
TRUTH["secure/script-on-http"] = agreed(False, f"{RFC} section 5.8.2 (document.cookie uses the same rules)")
TRUTH["secure/http-overwrite-and-shadow"] = agreed([["/", "https", True]], LEAVE_SECURE)
TRUTH["secure/http-shadow-sent"] = agreed(None, LEAVE_SECURE)
TRUTH["secure/http-script-overwrite"] = agreed("", LEAVE_SECURE)
# http://localhost is a potentially trustworthy origin (W3C Secure Contexts section 3.2),
# which 6265bis lets engines treat as secure.
LOCALHOST = f"{RFC} section 5.7 step 8 (a 'secure' origin as the user agent defines it); W3C Secure Contexts section 3.2"
TRUTH["secure/localhost-http/stored"] = agreed("1", LOCALHOST)
TRUTH["secure/localhost-http/sent"] = agreed("1", LOCALHOST)

# -- HttpOnly (e2e/test_httponly.py) -------------------------------------------
HTTPONLY = f"{RFC} sections 5.7 step 12 and 5.8.2 (HttpOnly: not for non-HTTP APIs)"
TRUTH["httponly/h_on/script-sees"] = agreed(False, HTTPONLY)
TRUTH["httponly/h_off/script-sees"] = agreed(True, HTTPONLY)
TRUTH["httponly/h_on/sent"] = agreed("1", HTTPONLY)
TRUTH["httponly/h_off/sent"] = agreed("1", HTTPONLY)
TRUTH["httponly/h_on/stored-flag"] = agreed(True, HTTPONLY)
TRUTH["httponly/h_off/stored-flag"] = agreed(False, HTTPONLY)
TRUTH["httponly/h_script/stored-flag"] = agreed(False, f"{RFC} section 5.7 step 12 (script cannot set HttpOnly)")
TRUTH["httponly/script-overwrite/value"] = agreed("1", f"{RFC} section 5.7 step 22 (a non-HTTP API cannot replace an HttpOnly cookie)")
TRUTH["httponly/script-delete/stored"] = agreed(True, f"{RFC} section 5.7 step 22 (a non-HTTP API cannot replace an HttpOnly cookie)")
TRUTH["httponly/script-created/sent"] = agreed("1", f"{RFC} section 5.8.3")
TRUTH["httponly/update/flip"] = agreed(["h_flip=0", "", "h_flip=2"], f"{HTTPONLY}; {REPLACE}")

# -- Prefixes (e2e/test_prefixes.py) -------------------------------------------
PREFIX = f"{RFC} section 5.7 steps 20-21 (__Secure- and __Host- prefixes, matched case-insensitively)"
for _name, _stored in {
    "__Secure-ok": True, "__Secure-nosecure": False, "__Host-ok": True, "__Host-domain": False,
    "__Host-path": False, "__Host-nosecure": False, "__host-lower": False, "__SECURE-upper": False,
    "__Secure-http": False,
}.items():
    TRUTH[f"prefix/{_name}/stored"] = agreed(_stored, PREFIX)
for _name in ("__Secure-del", "__Host-del"):
    TRUTH[f"prefix/{_name}/after-delete"] = agreed(
        None, "django.http.HttpResponse.delete_cookie adds Secure for prefixed names; " + PREFIX
    )

# -- Size (e2e/test_size.py) ---------------------------------------------------
SIZE = f"{RFC} section 5.7 step 2 (name + value over 4096 bytes: ignore the cookie)"
TRUTH["size/sz_at_limit/stored"] = agreed(True, SIZE)
TRUTH["size/sz_over_limit/stored"] = agreed(False, SIZE)
ATTRIBUTE_SIZE = f"{RFC} section 5.6 (attribute values over 1024 bytes are ignored)"
TRUTH["size/sz_path_1024/stored-path-length"] = agreed(1024, ATTRIBUTE_SIZE)
TRUTH["size/sz_path_1025/stored-path-length"] = agreed(1, f"{ATTRIBUTE_SIZE}: the default path / applies")


# -- Expiry (e2e/test_expiry.py) -----------------------------------------------
MAX_AGE = f"{RFC} section 5.6.2 (Max-Age)"
EXPIRES = f"{RFC} section 5.6.1 (Expires) and 5.1.1 (cookie-date parsing)"
CAP = f"{RFC} sections 5.6.1 and 5.6.2 (lifetimes are capped at 400 days = 34560000 s)"
for _case, _value, _source in (
    ("session", "session", f"{RFC} section 5.7 step 7 (no Max-Age or Expires: session cookie)"),
    ("max-age-int", 3600, MAX_AGE),
    ("max-age-timedelta", 3600, f"{MAX_AGE}; Django converts a timedelta to seconds"),
    ("expires-datetime", 3600, f"{MAX_AGE}; Django turns a datetime expires into Max-Age"),
    ("max-age-over-past-expires", 3600, f"{RFC} section 5.7 step 7 (Max-Age wins over Expires)"),
    ("max-age-ten-years", 34560000, CAP),
    ("expires-year-9999", 34560000, CAP),
):
    TRUTH[f"expiry/{_case}/lifetime"] = agreed(_value, _source)
TRUTH["expiry/raw-max-age-over-expires/lifetime"] = agreed(3600, f"{RFC} section 5.7 step 7 (Max-Age wins over Expires)")
for _case in ("max-age-zero", "max-age-negative", "expires-past"):
    TRUTH[f"expiry/delete-{_case}/sent"] = agreed(False, f"{RFC} section 5.7 step 22 (an expired replacement removes the cookie)")
for _case in ("max-age-zero-new", "max-age-negative-new"):
    TRUTH[f"expiry/{_case}/sent"] = agreed(False, f"{MAX_AGE} (Max-Age <= 0: the earliest representable time)")
TRUTH["expiry/short-max-age/sent-then-gone"] = agreed(["1", True], f"{MAX_AGE}; {RFC} section 5.8.3 (expired cookies are not sent)")
# The cookie-date grammar (section 5.1.1) takes tokens in any order: a day of
# month, a month name, a 2- or 4-digit year and hh:mm:ss, ignoring the rest.
COOKIE_DATE = f"{RFC} section 5.1.1 (cookie-date parsing)"
for _case in ("rfc1123", "rfc850", "asctime", "lowercase", "no-weekday"):
    TRUTH[f"expiry/format-{_case}/read-as"] = agreed("as written", COOKIE_DATE)
for _case in ("iso8601", "slashes", "unix-seconds", "garbage"):
    # Unparseable: the Expires attribute is ignored and the cookie is a session cookie.
    TRUTH[f"expiry/format-{_case}/read-as"] = agreed("session", f"{COOKIE_DATE}: no month name, date ignored")
TRUTH["expiry/format-tutorial-dd-mm-yyyy/read-as"] = differ(
    "session",
    "as written",
    ("session", f"{COOKIE_DATE}: numeric month, no month name, so the date fails to parse"),
    f"{COOKIE_DATE}: '31-12-2030 23:59:59 GMT' has no month name, so the spec's parser fails "
    "(Chromium: session cookie) while Firefox's own date parser (PR_ParseTimeString) reads it",
)


# -- Signed cookies (e2e/test_signed.py) ---------------------------------------
SIGNED = "Django docs: HttpRequest.get_signed_cookie (raises BadSignature on a bad signature)"
TRUTH["signed/round-trip"] = agreed({"valid": True, "value": "hello"}, SIGNED)
TRUTH["signed/tampered"] = agreed({"valid": False, "why": "BadSignature"}, SIGNED)
TRUTH["signed/other-salt"] = agreed({"valid": False, "why": "BadSignature"}, SIGNED)


# -- Django's session and CSRF cookies (e2e/test_session_csrf.py) --------------
SESSION = "Django docs: settings SESSION_COOKIE_* (defaults: sessionid, 2 weeks, HttpOnly, Lax, path /)"
CSRF = "Django docs: settings CSRF_COOKIE_* (defaults: csrftoken, 52 weeks, not HttpOnly, Lax, path /)"


def _attrs(http_only, lifetime_hours, path, same_site, secure):
    return {"httpOnly": http_only, "lifetime_hours": lifetime_hours, "path": path, "sameSite": same_site, "secure": secure}


TRUTH["django/session-defaults/attributes"] = agreed(_attrs(True, 336, "/", "Lax", False), SESSION)
TRUTH["django/session-renamed-strict-secure/attributes"] = agreed(_attrs(True, 336, "/s", "Strict", True), SESSION)
TRUTH["django/session-browser-session/attributes"] = agreed(
    _attrs(False, None, "/", "Lax", False), f"{SESSION}; SESSION_EXPIRE_AT_BROWSER_CLOSE sends no expiry"
)
for _case in ("defaults", "renamed-strict-secure", "browser-session"):
    TRUTH[f"django/session-{_case}/read-back"] = agreed({"value": "v1"}, f"{SESSION}; signed_cookies session engine")
TRUTH["django/csrf-defaults/attributes"] = agreed(_attrs(False, 8736, "/", "Lax", False), CSRF)
TRUTH["django/csrf-httponly-strict/attributes"] = agreed(_attrs(True, 8736, "/", "Strict", False), CSRF)
TRUTH["django/csrf-defaults/script-sees"] = agreed(True, f"{CSRF}; {HTTPONLY}")
TRUTH["django/csrf-httponly-strict/script-sees"] = agreed(False, f"{CSRF}; {HTTPONLY}")
TRUTH["django/csrf-use-sessions/cookies"] = agreed(["sessionid"], "Django docs: settings CSRF_USE_SESSIONS")


# -- Values (e2e/test_values.py) -----------------------------------------------
QUOTING = "Python http.cookies._quote (used by Django's set_cookie): quotes and octal-escapes"
UNQUOTING = "django.http.cookie.parse_cookie unquotes with http.cookies._unquote"
STORED_AS = f"{RFC} section 5.7 (the value is stored as sent, quotes included); {QUOTING}"
for _name, (_quoted, _original) in {
    "v_plain": ("arafat", "arafat"),
    "v_empty": ('""', ""),
    "v_space": ('"a b"', "a b"),
    "v_semicolon": ('"a\\073b"', "a;b"),
    "v_comma": ('"a\\054b"', "a,b"),
    "v_quote": ('"say \\"hi\\""', 'say "hi"'),
    "v_latin1": ('"caf\\351"', "caf\u00e9"),
    "v_equals": ('"a=b"', "a=b"),
}.items():
    TRUTH[f"value/{_name}/stored"] = agreed(_quoted, STORED_AS)
    TRUTH[f"value/{_name}/document-cookie"] = agreed(_quoted, STORED_AS)
    TRUTH[f"value/{_name}/request-cookies"] = agreed(_original, UNQUOTING)


# -- Isolation (e2e/test_isolation.py) -----------------------------------------
ISOLATION = "Playwright docs: browser contexts are isolated (https://playwright.dev/python/docs/browser-contexts)"
TRUTH["isolation/second-context-jar"] = agreed([], ISOLATION)
TRUTH["isolation/second-context-sent"] = agreed({}, ISOLATION)


# -- Escaping (e2e/test_escaping.py) -------------------------------------------
AUTOESCAPE = "Django docs: templates, automatic HTML escaping"
TRUTH["escaping/get-page/shown-text"] = agreed(True, AUTOESCAPE)
TRUTH["escaping/get-page/script-ran"] = agreed(None, AUTOESCAPE)


def truth_for(case_id, engine):
    """The recorded Truth for engine; a case without truth is a test error, not a pass."""
    try:
        return TRUTH[case_id][engine]
    except KeyError:
        raise LookupError(f"no recorded truth for {case_id!r} on {engine}: add it to e2e/truth.py") from None
