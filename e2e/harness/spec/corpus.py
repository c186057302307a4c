"""The cookie parser corpus: raw Set-Cookie octets, each case a row, and the runner that sets and reads them.

Each row is one case: the Set-Cookie lines (octets, one character per byte;
{dir} stands for the case's own directory), the RFC 6265bis-20 step it
exercises, and the three observations the spec gives for them (spec_observations:
the lines received by the spec's user agent, SpecLab, and what it then sends and shows): the Cookie header the
server receives, document.cookie, and Django's request.COOKIES. Engines that depart have
measured deviations. e2e/test_parser.py runs them; the benchmark times a sample.

Isolation without a clean jar per case: every case is set from its own
directory (/pc/<case>/), so its cookies get that default path and are sent
and shown only there. All cases run in one page, each in a same-origin frame
(set, then read document.cookie) plus one fetch (what is sent).
"""

from typing import Any

from e2e.harness.network.hosts import SECURE_ORIGIN
from e2e.harness.rows import RFC, Row, check_rows, measured, row
from e2e.harness.runner import lab_url, octets
from e2e.harness.spec.rfc6265bis import serialize, storage_step

# Firefox's reading of a nameless cookie (no "=": a name with an empty value) is ESR 153's: ESR 140 follows
# the spec, the whole pair a value with an empty name (measured: firefox 140.12.0esr, Debian build, Marionette).
NAMELESS_FROM = (153, None)
S56 = f"{RFC} section 5.6"
PAST = "Wed, 09 Jun 2021 10:18:14 GMT"
LONG = "v" * 4094  # with a 2-octet name: 4096 octets, the limit
STEPS: dict[str, Any] = {}  # row id -> (the Set-Cookie lines with {dir} filled in, the path read under the directory)


def spec_observations(lines: list[str], set_path: str, read_path: str) -> dict[str, Any]:
    """The three observations for Set-Cookie lines from https://example.test<set_path>, read at <read_path>.

    header: the Cookie header a request to read_path carries (None: no header);
    document.cookie: what script on the page at set_path sees; request.COOKIES:
    Django's parse of that header.
    """
    from django.http.cookie import parse_cookie

    from e2e.harness.spec.user_agent import SpecLab  # the site's settings are in force once the module runs

    lab = SpecLab()
    lab.accept(f"{SECURE_ORIGIN}{set_path}", lines)
    header = serialize(lab.visible(f"{SECURE_ORIGIN}{read_path}", http=True)) or None
    return {
        "header": header,  # as the server reads the octets: one character per byte (Latin-1)
        # HTML's document.cookie and Django's request.COOKIES both decode the octets as UTF-8.
        "document.cookie": utf8(serialize(lab.visible(f"{SECURE_ORIGIN}{set_path}", http=False))),
        "request.COOKIES": parse_cookie(utf8(header or "")),
    }


def utf8(octets: str) -> str:
    """A string of octets (one Latin-1 character each) decoded as UTF-8, invalid sequences replaced."""
    return octets.encode("latin-1").decode("utf-8", errors="replace")


def case(id: str, *lines: str, step: str, read: str = "echo", django: bool = False, **deviations: Any) -> Row:
    """A corpus row: its expectation is the spec model's reading of the lines (django: the rule says which names
    Django's request.COOKIES reads from the header)."""
    slug = id.removeprefix("parser/")
    directory = f"/pc/{slug}"
    octets = [line.replace("{dir}", directory) for line in lines]
    STEPS[id] = (octets, read)
    expect = spec_observations(octets, f"{directory}/raw", f"{directory}/{read}")
    # The lines as sent (the case's directory filled in; octets outside printable ASCII as \\xNN escapes).
    shown = " | ".join(ascii(line)[1:-1] for line in octets)[:160]
    header = expect["header"]
    gives = "no Cookie header" if header is None else f"the Cookie header '{ascii(header)[1:-1][:80]}'"
    rule = f"Set-Cookie '{shown}' gives {gives}."
    if django:
        names = ", ".join(ascii(name)[1:-1] for name in expect["request.COOKIES"]) or "no cookie"
        rule = rule[:-1] + f", which Django reads as {names}."
    return row(id, expect, f"{RFC} section {step}", rule, **deviations)


# A Unicode space before a name, as the octets a server sends (UTF-8, one Latin-1 character a byte), and two a
# browser trims itself (HTAB) or that no one strips (U+FEFF, no space to str.strip()).
SPACES = {
    "u2000": "\xe2\x80\x80",  # EN QUAD
    "u0085": "\xc2\x85",  # NEXT LINE
    "u00a0": "\xc2\xa0",  # NO-BREAK SPACE
    "u3000": "\xe3\x80\x80",  # IDEOGRAPHIC SPACE
    "ufeff": "\xef\xbb\xbf",  # ZERO WIDTH NO-BREAK SPACE
    "tab": "\t",
}


DJANGO_STRIPS = "django.http.cookie.parse_cookie strips a name with str.strip(), every Unicode space included"
# libsoup 3.2.3 keeps nothing of a Set-Cookie whose name holds octets beyond ASCII (the page then sends an empty
# Cookie header), so nothing is smuggled there; with the name trimmed (HTAB) it applies no prefix rule at all.
WEBKIT_NO_NON_ASCII = measured(
    "webkit",
    {"header": "", "document.cookie": "", "request.COOKIES": {}},
    "a name with octets beyond ASCII is not stored (libsoup 3.2.3)",
)
WEBKIT_NO_PREFIX = "no cookie prefix rule is enforced (libsoup 3.2.3)"


SECURE_RULE, HOST_RULE = storage_step(20), storage_step(21)
HTTP_RULE = "5.4 (cookie name prefixes; draft-ietf-httpbis-layered-cookies adds __Http-: Secure and HttpOnly)"


def smuggled(id: str, line: str, step: str) -> Row:
    """parser/smuggle-<prefix>-<space>: the line with that space before its name, as the spec model reads it."""
    space = id.rsplit("-", 1)[1]
    cookie = line.split(";")[0]
    trimmed = {"header": cookie, "document.cookie": cookie, "request.COOKIES": dict([cookie.split("=")])}
    webkit = measured("webkit", trimmed, WEBKIT_NO_PREFIX) if space == "tab" else WEBKIT_NO_NON_ASCII
    return case(id, SPACES[space] + line, step=f"{step}; {DJANGO_STRIPS}", django=True, webkit=webkit)


ROWS = check_rows(
    [
        # -- nameless cookies and empty names or values (5.6 steps 2-5) --
        case(
            "parser/nameless-foo",
            "foo",
            step="5.6 step 3",
            firefox=measured(
                "firefox",
                {"document.cookie": "foo=", "header": "foo=", "request.COOKIES": {"foo": ""}},
                releases=NAMELESS_FROM,
            ),
        ),
        case(
            "parser/nameless-eq-foo",
            "=foo",
            step="5.6 step 3",
            firefox=measured(
                "firefox", {"document.cookie": "", "header": None, "request.COOKIES": {}}, releases=NAMELESS_FROM
            ),
        ),
        case(
            "parser/nameless-eq",
            "=",
            step="5.6 step 5",
            webkit=measured("webkit", {"document.cookie": "", "header": "", "request.COOKIES": {}}),
        ),
        case(
            "parser/nameless-space-eq-space",
            " = ",
            step="5.6 step 5",
            webkit=measured("webkit", {"document.cookie": "", "header": "", "request.COOKIES": {}}),
        ),
        case(
            "parser/nameless-with-attribute",
            "foo; Secure",
            step="5.6 step 3",
            firefox=measured(
                "firefox",
                {"document.cookie": "foo=", "header": "foo=", "request.COOKIES": {"foo": ""}},
                releases=NAMELESS_FROM,
            ),
        ),
        case(
            "parser/nameless-value-with-eq",
            "=a=b",
            step="5.6 step 3",
            chromium=measured("chromium", {"document.cookie": "", "header": None, "request.COOKIES": {}}),
            firefox=measured("firefox", {"document.cookie": "", "header": None, "request.COOKIES": {}}),
        ),
        case(
            "parser/nameless-then-named",
            "foo",
            "a=1",
            step="5.6 step 3",
            firefox=measured(
                "firefox",
                {"document.cookie": "foo=; a=1", "header": "foo=; a=1", "request.COOKIES": {"a": "1", "foo": ""}},
                releases=NAMELESS_FROM,
            ),
        ),
        case(
            "parser/nameless-replaced",
            "foo",
            "bar",
            step=storage_step(23),
            firefox=measured(
                "firefox",
                {"document.cookie": "foo=; bar=", "header": "foo=; bar=", "request.COOKIES": {"bar": "", "foo": ""}},
                releases=NAMELESS_FROM,
            ),
        ),
        case(
            "parser/nameless-empty-pair",
            "; Secure",
            step="5.6 step 5",
            webkit=measured("webkit", {"document.cookie": "", "header": "", "request.COOKIES": {}}),
        ),
        case("parser/empty-value", "a=", step="5.6 step 4"),
        case("parser/empty-value-space", "a= ", step="5.6 step 4"),
        case(
            "parser/empty-line",
            "",
            step="5.6 step 5",
            webkit=measured("webkit", {"document.cookie": "", "header": "", "request.COOKIES": {}}),
        ),
        case(
            "parser/only-spaces",
            "   ",
            step="5.6 step 5",
            webkit=measured("webkit", {"document.cookie": "", "header": "", "request.COOKIES": {}}),
        ),
        case("parser/value-with-eq", "a=b=c", step="5.6 step 3"),
        case("parser/name-eq-eq", "a==", step="5.6 step 3"),
        # -- whitespace and tabs around names, values and attributes (5.6 step 4) --
        case("parser/space-before-name", " a=1", step="5.6 step 4"),
        case("parser/space-after-name", "a =1", step="5.6 step 4"),
        case("parser/space-before-value", "a= 1", step="5.6 step 4"),
        case("parser/space-after-value", "a=1 ", step="5.6 step 4"),
        case("parser/tab-before-name", "\ta=1", step="5.6 step 4"),
        case(
            "parser/tab-after-name",
            "a\t=1",
            step="5.6 step 4",
            webkit=measured("webkit", {"document.cookie": "a", "header": "a", "request.COOKIES": {"": "a"}}),
        ),
        case("parser/tabs-around-value", "a=\t1\t", step="5.6 step 4"),
        case("parser/space-inside-name", "a b=1", step="5.6 step 4"),
        case("parser/space-inside-value", "a=1 2", step="5.6 step 4"),
        case(
            "parser/tab-inside-value",
            "a=1\t2",
            step="5.6 step 4",
            chromium=measured("chromium", {"document.cookie": "", "header": None, "request.COOKIES": {}}),
            webkit=measured("webkit", {"document.cookie": "a=1", "header": "a=1", "request.COOKIES": {"a": "1"}}),
        ),
        case("parser/tab-before-attribute", "a=1;\tHttpOnly", step="5.6 attribute step 2"),
        case("parser/spaces-around-attribute-eq", "a=1; Max-Age = -1", step="5.6 attribute step 3"),
        case(
            "parser/tabs-around-attribute-eq",
            "a=1;\tMax-Age\t=\t-1",
            step="5.6 attribute step 3",
            webkit=measured("webkit", {"document.cookie": "a=1", "header": "a=1", "request.COOKIES": {"a": "1"}}),
        ),
        case("parser/space-in-attribute-name", "a=1; Max Age=-1", step="5.6 attribute step 3"),
        # -- quotes (5.6: the value is taken as is) --
        case("parser/quoted-value", 'a="1"', step="5.6 step 3"),
        case("parser/open-quote", 'a="1', step="5.6 step 3"),
        case("parser/close-quote", 'a=1"', step="5.6 step 3"),
        case("parser/quote-then-text", 'a="1"2', step="5.6 step 3"),
        case("parser/empty-quotes", 'a=""', step="5.6 step 3"),
        case("parser/quoted-semicolon", 'a="x;y"', step="5.6 step 2"),
        case("parser/quoted-space", 'a="x y"', step="5.6 step 3"),
        case("parser/single-quotes", "a='1'", step="5.6 step 3"),
        case("parser/quoted-name", '"a"=1', step="5.6 step 3"),
        case("parser/quotes-inside-value", 'a=x"y"z', step="5.6 step 3"),
        case("parser/backslash-quote", 'a="x\\"y"', step="5.6 step 3"),
        # -- commas: a Set-Cookie header is not a list --
        case("parser/comma-two-pairs", "a=1, b=2", step="5.6 step 3"),
        case("parser/comma-no-space", "a=1,b=2", step="5.6 step 3"),
        case("parser/comma-in-expires", f"a=1; Expires={PAST}", step="5.6.1"),
        case("parser/comma-after-attribute", "a=1; Secure, b=2", step="5.6 attribute step 3"),
        case("parser/comma-in-name", "a,b=1", step="5.6 step 3"),
        # -- runs of semicolons and empty attributes --
        case("parser/trailing-semicolon", "a=1;", step="5.6 step 2"),
        case("parser/double-semicolon", "a=1;;", step="5.6 attribute step 1"),
        case("parser/semicolons-then-flag", "a=1;;;HttpOnly", step="5.6 attribute step 1"),
        case("parser/spaced-semicolons", "a=1; ; ; HttpOnly", step="5.6 attribute step 1"),
        case(
            "parser/leading-semicolon",
            ";a=1",
            step="5.6 step 5",
            webkit=measured("webkit", {"document.cookie": "", "header": "", "request.COOKIES": {}}),
        ),
        case("parser/semicolon-space-only", "a=1; ", step="5.6 attribute step 1"),
        # -- unknown and valueless attributes --
        case("parser/unknown-attribute", "a=1; Foo", step="5.6 attribute step 6"),
        case("parser/unknown-attribute-value", "a=1; Foo=bar", step="5.6 attribute step 6"),
        case("parser/secure-with-value", "a=1; Secure=no", step="5.6.5"),
        case("parser/httponly-with-value", "a=1; HttpOnly=false", step="5.6.6"),
        case("parser/attribute-just-eq", "a=1; =", step="5.6 attribute step 6"),
        case("parser/attribute-eq-value", "a=1; =x", step="5.6 attribute step 6"),
        case("parser/max-age-valueless", "a=1; Max-Age", step="5.6.2"),
        case("parser/path-valueless", "a=1; Path", step="5.6.4"),
        case("parser/domain-valueless", "a=1; Domain", step="5.6.3"),
        case("parser/expires-valueless", "a=1; Expires", step="5.6.1"),
        case("parser/samesite-valueless", "a=1; SameSite", step="5.6.7"),
        # -- repeated attributes: the last one wins (5.7 uses the last of each name) --
        case("parser/max-age-last-keeps", "a=1; Max-Age=-1; Max-Age=100", step=storage_step(6)),
        case("parser/max-age-last-deletes", "a=1; Max-Age=100; Max-Age=-1", step=storage_step(6)),
        case("parser/path-last-wins", "a=1; Path=/elsewhere; Path={dir}", step=storage_step(11)),
        case("parser/path-last-elsewhere", "a=1; Path={dir}; Path=/elsewhere", step=storage_step(11)),
        case(
            "parser/expires-last-past",
            f"a=1; Expires=Wed, 09 Jun 2100 10:18:14 GMT; Expires={PAST}",
            step=storage_step(6),
        ),
        case(
            "parser/expires-last-future",
            f"a=1; Expires={PAST}; Expires=Wed, 09 Jun 2100 10:18:14 GMT",
            step=storage_step(6),
        ),
        case("parser/httponly-twice", "a=1; HttpOnly; HttpOnly", step="5.6.6"),
        case("parser/max-age-over-expires", f"a=1; Expires={PAST}; Max-Age=100", step=storage_step(6)),
        case(
            "parser/expires-then-max-age-delete",
            "a=1; Max-Age=-1; Expires=Wed, 09 Jun 2100 10:18:14 GMT",
            step=storage_step(6),
            webkit=measured("webkit", {"document.cookie": "a=1", "header": "a=1", "request.COOKIES": {"a": "1"}}),
        ),
        case(
            "parser/invalid-max-age-keeps-earlier",
            "a=1; Max-Age=-1; Max-Age=x",
            step="5.6.2",
            chromium=measured("chromium", {"document.cookie": "a=1", "header": "a=1", "request.COOKIES": {"a": "1"}}),
            firefox=measured("firefox", {"document.cookie": "a=1", "header": "a=1", "request.COOKIES": {"a": "1"}}),
        ),
        # -- attribute names are case-insensitive --
        case("parser/max-age-lower", "a=1; max-age=-1", step="5.6 attribute step 6"),
        case("parser/max-age-upper", "a=1; MAX-AGE=-1", step="5.6 attribute step 6"),
        case("parser/max-age-mixed", "a=1; mAx-AgE=-1", step="5.6 attribute step 6"),
        case("parser/httponly-upper", "a=1; HTTPONLY", step="5.6 attribute step 6"),
        case("parser/httponly-lower", "a=1; httponly", step="5.6 attribute step 6"),
        case("parser/path-lower", "a=1; path=/elsewhere", step="5.6 attribute step 6"),
        case("parser/expires-upper", f"a=1; EXPIRES={PAST}", step="5.6 attribute step 6"),
        case("parser/path-upper-deeper", "a=1; PATH={dir}/x", step="5.6 attribute step 6", read="x/echo"),
        # -- empty attribute values --
        case("parser/path-empty", "a=1; Path=", step="5.6.4"),
        case("parser/path-relative", "a=1; Path=pc", step="5.6.4"),
        case("parser/domain-empty", "a=1; Domain=", step="5.6.3"),
        case(
            "parser/max-age-empty",
            "a=1; Max-Age=",
            step="5.6.2",
            webkit=measured("webkit", {"document.cookie": "", "header": None, "request.COOKIES": {}}),
        ),
        case("parser/expires-empty", "a=1; Expires=", step="5.6.1"),
        case("parser/samesite-empty", "a=1; SameSite=", step="5.6.7"),
        # -- Max-Age forms (5.6.2) --
        case("parser/max-age-zero", "a=1; Max-Age=0", step="5.6.2"),
        case("parser/max-age-minus-zero", "a=1; Max-Age=-0", step="5.6.2"),
        case("parser/max-age-plus-sign", "a=1; Max-Age=+1", step="5.6.2"),
        case("parser/max-age-leading-zeros", "a=1; Max-Age=0060", step="5.6.2"),
        case("parser/max-age-all-zeros", "a=1; Max-Age=000", step="5.6.2"),
        case("parser/max-age-decimal", "a=1; Max-Age=1.5", step="5.6.2"),
        case("parser/max-age-exponent", "a=1; Max-Age=1e3", step="5.6.2"),
        case("parser/max-age-hex", "a=1; Max-Age=0x10", step="5.6.2"),
        case(
            "parser/max-age-negative-decimal",
            "a=1; Max-Age=-1.5",
            step="5.6.2",
            firefox=measured("firefox", {"document.cookie": "", "header": None, "request.COOKIES": {}}),
        ),
        case(
            "parser/max-age-trailing-text",
            "a=1; Max-Age=-1x",
            step="5.6.2",
            firefox=measured("firefox", {"document.cookie": "", "header": None, "request.COOKIES": {}}),
        ),
        case("parser/max-age-huge", "a=1; Max-Age=99999999999999999999", step="5.6.2"),
        case("parser/max-age-huge-negative", "a=1; Max-Age=-99999999999999999999", step="5.6.2"),
        case(
            "parser/max-age-double-minus",
            "a=1; Max-Age=--1",
            step="5.6.2",
            firefox=measured("firefox", {"document.cookie": "", "header": None, "request.COOKIES": {}}),
        ),
        case(
            "parser/max-age-inner-space",
            "a=1; Max-Age=- 1",
            step="5.6.2",
            firefox=measured("firefox", {"document.cookie": "", "header": None, "request.COOKIES": {}}),
        ),
        case(
            "parser/max-age-arabic-digit",
            "a=1; Max-Age=-\xd9\xa1",
            step="5.6.2",
            firefox=measured("firefox", {"document.cookie": "", "header": None, "request.COOKIES": {}}),
        ),
        # -- Expires forms (5.6.1 with 5.1.1): a past date deletes, an unreadable one leaves a session cookie --
        case("parser/expires-rfc1123-past", f"a=1; Expires={PAST}", step="5.1.1"),
        case("parser/expires-rfc850-two-digit-year", "a=1; Expires=Wednesday, 09-Jun-21 10:18:14 GMT", step="5.1.1"),
        case("parser/expires-asctime", "a=1; Expires=Wed Jun  9 10:18:14 2021", step="5.1.1"),
        case("parser/expires-year-70", "a=1; Expires=Thu, 01 Jan 70 00:00:01 GMT", step="5.1.1 step 3"),
        case("parser/expires-year-69", "a=1; Expires=Fri, 01 Jan 69 00:00:01 GMT", step="5.1.1 step 4"),
        case("parser/expires-year-99", "a=1; Expires=Fri, 01 Jan 99 00:00:01 GMT", step="5.1.1 step 3"),
        case(
            "parser/expires-year-1600",
            "a=1; Expires=Sat, 01 Jan 1600 00:00:01 GMT",
            step="5.1.1 step 5",
            chromium=measured("chromium", {"document.cookie": "", "header": None, "request.COOKIES": {}}),
            firefox=measured("firefox", {"document.cookie": "", "header": None, "request.COOKIES": {}}),
            webkit=measured("webkit", {"document.cookie": "", "header": None, "request.COOKIES": {}}),
        ),
        case("parser/expires-year-1601", "a=1; Expires=Mon, 01 Jan 1601 00:00:01 GMT", step="5.1.1 step 5"),
        case("parser/expires-day-32", "a=1; Expires=Wed, 32 Jun 2021 10:18:14 GMT", step="5.1.1 step 5"),
        case(
            "parser/expires-day-0",
            "a=1; Expires=Wed, 00 Jun 2021 10:18:14 GMT",
            step="5.1.1 step 5",
            firefox=measured("firefox", {"document.cookie": "", "header": None, "request.COOKIES": {}}),
        ),
        case(
            "parser/expires-hour-24",
            "a=1; Expires=Wed, 09 Jun 2021 24:18:14 GMT",
            step="5.1.1 step 5",
            firefox=measured("firefox", {"document.cookie": "", "header": None, "request.COOKIES": {}}),
        ),
        case(
            "parser/expires-minute-60",
            "a=1; Expires=Wed, 09 Jun 2021 10:60:14 GMT",
            step="5.1.1 step 5",
            firefox=measured("firefox", {"document.cookie": "", "header": None, "request.COOKIES": {}}),
        ),
        case(
            "parser/expires-second-60",
            "a=1; Expires=Wed, 09 Jun 2021 10:18:60 GMT",
            step="5.1.1 step 5",
            firefox=measured("firefox", {"document.cookie": "", "header": None, "request.COOKIES": {}}),
        ),
        case(
            "parser/expires-february-30",
            "a=1; Expires=Tue, 30 Feb 2021 10:18:14 GMT",
            step="5.1.1 step 6",
            firefox=measured("firefox", {"document.cookie": "", "header": None, "request.COOKIES": {}}),
        ),
        case("parser/expires-zone-pst", "a=1; Expires=Wed, 09 Jun 2021 10:18:14 PST", step="5.1.1"),
        case("parser/expires-zone-offset", "a=1; Expires=Wed, 09 Jun 2021 10:18:14 +0200", step="5.1.1"),
        case("parser/expires-no-zone", "a=1; Expires=Wed, 09 Jun 2021 10:18:14", step="5.1.1"),
        case("parser/expires-iso8601", "a=1; Expires=2021-06-09T10:18:14Z", step="5.1.1"),
        case("parser/expires-dashes-numeric", "a=1; Expires=2021-06-09 10:18:14", step="5.1.1"),
        case(
            "parser/expires-dots",
            "a=1; Expires=09.Jun.2021 10:18:14",
            step="5.1.1",
            firefox=measured("firefox", {"document.cookie": "a=1", "header": "a=1", "request.COOKIES": {"a": "1"}}),
            webkit=measured("webkit", {"document.cookie": "a=1", "header": "a=1", "request.COOKIES": {"a": "1"}}),
        ),
        case(
            "parser/expires-slashes-month-name",
            "a=1; Expires=09/Jun/2021 10:18:14",
            step="5.1.1",
            webkit=measured("webkit", {"document.cookie": "a=1", "header": "a=1", "request.COOKIES": {"a": "1"}}),
        ),
        case(
            "parser/expires-month-first",
            "a=1; Expires=Jun 09 2021 10:18:14",
            step="5.1.1",
            webkit=measured("webkit", {"document.cookie": "a=1", "header": "a=1", "request.COOKIES": {"a": "1"}}),
        ),
        case("parser/expires-lowercase", "a=1; Expires=wed, 09 jun 2021 10:18:14 gmt", step="5.1.1"),
        case(
            "parser/expires-full-month-name",
            "a=1; Expires=Wednesday, 09 June 2021 10:18:14 GMT",
            step="5.1.1",
            webkit=measured("webkit", {"document.cookie": "a=1", "header": "a=1", "request.COOKIES": {"a": "1"}}),
        ),
        case(
            "parser/expires-no-time",
            "a=1; Expires=Wed, 09 Jun 2021",
            step="5.1.1 step 5",
            firefox=measured("firefox", {"document.cookie": "", "header": None, "request.COOKIES": {}}),
        ),
        case(
            "parser/expires-no-seconds",
            "a=1; Expires=Wed, 09 Jun 2021 10:18 GMT",
            step="5.1.1",
            firefox=measured("firefox", {"document.cookie": "", "header": None, "request.COOKIES": {}}),
        ),
        case("parser/expires-single-digits", "a=1; Expires=Wed, 9 Jun 2021 1:2:3 GMT", step="5.1.1"),
        case("parser/expires-epoch", "a=1; Expires=Thu, 01 Jan 1970 00:00:00 GMT", step="5.1.1"),
        case("parser/expires-unix-seconds", "a=1; Expires=1623233894", step="5.1.1"),
        case("parser/expires-garbage", "a=1; Expires=soon", step="5.1.1"),
        case(
            "parser/expires-three-digit-year",
            "a=1; Expires=Wed, 09 Jun 021 10:18:14 GMT",
            step="5.1.1",
            firefox=measured("firefox", {"document.cookie": "a=1", "header": "a=1", "request.COOKIES": {"a": "1"}}),
        ),
        # -- control characters in names and values (5.6 step 1: the whole line is ignored) --
        case(
            "parser/ctl-nul-in-value",
            "a=1\x002",
            step="5.6 step 1",
            chromium=measured(
                "chromium", {"document.cookie": "<the frame did not load>", "header": None, "request.COOKIES": {}}
            ),
            firefox=measured(
                "firefox", {"document.cookie": "<the frame did not load>", "header": None, "request.COOKIES": {}}
            ),
            webkit=measured(
                "webkit", {"document.cookie": "<the frame did not load>", "header": None, "request.COOKIES": {}}
            ),
        ),
        case(
            "parser/ctl-nul-in-name",
            "a\x00b=1",
            step="5.6 step 1",
            chromium=measured(
                "chromium", {"document.cookie": "<the frame did not load>", "header": None, "request.COOKIES": {}}
            ),
            firefox=measured(
                "firefox", {"document.cookie": "<the frame did not load>", "header": None, "request.COOKIES": {}}
            ),
            webkit=measured(
                "webkit", {"document.cookie": "<the frame did not load>", "header": None, "request.COOKIES": {}}
            ),
        ),
        case(
            "parser/ctl-soh-in-value",
            "a=\x01",
            step="5.6 step 1",
            webkit=measured("webkit", {"document.cookie": "a=", "header": "a=", "request.COOKIES": {"a": ""}}),
        ),
        case(
            "parser/ctl-del-in-value",
            "a=b\x7f",
            step="5.6 step 1",
            webkit=measured(
                "webkit", {"document.cookie": "a=b\x7f", "header": "a=b\x7f", "request.COOKIES": {"a": "b\x7f"}}
            ),
        ),
        case(
            "parser/ctl-del-in-name",
            "a\x7f=1",
            step="5.6 step 1",
            webkit=measured(
                "webkit", {"document.cookie": "a\x7f=1", "header": "a\x7f=1", "request.COOKIES": {"a\x7f": "1"}}
            ),
        ),
        case(
            "parser/ctl-lone-cr-in-value",
            "a=b\rc",
            step="5.6 step 1",
            chromium=measured("chromium", {"document.cookie": "a=b", "header": "a=b", "request.COOKIES": {"a": "b"}}),
            webkit=measured("webkit", {"document.cookie": "a=b c", "header": "a=b c", "request.COOKIES": {"a": "b c"}}),
        ),
        case(
            "parser/ctl-vertical-tab",
            "a=b\x0bc",
            step="5.6 step 1",
            webkit=measured("webkit", {"document.cookie": "a=b", "header": "a=b", "request.COOKIES": {"a": "b"}}),
        ),
        case(
            "parser/ctl-escape",
            "a=\x1b[0m",
            step="5.6 step 1",
            webkit=measured("webkit", {"document.cookie": "a=", "header": "a=", "request.COOKIES": {"a": ""}}),
        ),
        case(
            "parser/ctl-in-attribute",
            "a=1; Path={dir}\x01",
            step="5.6 step 1",
            webkit=measured("webkit", {"document.cookie": "a=1", "header": "a=1", "request.COOKIES": {"a": "1"}}),
        ),
        case(
            "parser/ctl-unit-separator",
            "a=1\x1f",
            step="5.6 step 1",
            webkit=measured("webkit", {"document.cookie": "a=1", "header": "a=1", "request.COOKIES": {"a": "1"}}),
        ),
        case(
            "parser/htab-allowed-in-value",
            "a=b\tc",
            step="5.6 step 1",
            chromium=measured("chromium", {"document.cookie": "", "header": None, "request.COOKIES": {}}),
            webkit=measured("webkit", {"document.cookie": "a=b", "header": "a=b", "request.COOKIES": {"a": "b"}}),
        ),
        case(
            "parser/ctl-nul-at-end",
            "a=1\x00",
            step="5.6 step 1",
            chromium=measured(
                "chromium", {"document.cookie": "<the frame did not load>", "header": None, "request.COOKIES": {}}
            ),
            firefox=measured(
                "firefox", {"document.cookie": "<the frame did not load>", "header": None, "request.COOKIES": {}}
            ),
            webkit=measured(
                "webkit", {"document.cookie": "<the frame did not load>", "header": None, "request.COOKIES": {}}
            ),
        ),
        case(
            "parser/high-latin1-octet",
            "a=\xa0x",
            step="5.6 step 3",
            chromium=measured(
                "chromium", {"document.cookie": "", "header": "a=\xa0x", "request.COOKIES": {"a": "\ufffdx"}}
            ),
            firefox=measured(
                "firefox",
                {"document.cookie": "a=\ufffdx", "header": "a=\xef\xbf\xbdx", "request.COOKIES": {"a": "\ufffdx"}},
            ),
            webkit=measured("webkit", {"document.cookie": "a=", "header": "a=", "request.COOKIES": {"a": ""}}),
        ),
        # -- UTF-8 names and values (octets sent as they are) --
        case(
            "parser/utf8-value",
            "a=caf\xc3\xa9",
            step="5.6 step 3",
            webkit=measured("webkit", {"document.cookie": "a=caf", "header": "a=caf", "request.COOKIES": {"a": "caf"}}),
        ),
        case(
            "parser/utf8-name",
            "caf\xc3\xa9=1",
            step="5.6 step 3",
            webkit=measured("webkit", {"document.cookie": "caf", "header": "caf", "request.COOKIES": {"": "caf"}}),
        ),
        case(
            "parser/utf8-snowman",
            "a=\xe2\x98\x83",
            step="5.6 step 3",
            webkit=measured("webkit", {"document.cookie": "a=", "header": "a=", "request.COOKIES": {"a": ""}}),
        ),
        case(
            "parser/utf8-emoji-name",
            "\xf0\x9f\x8d\xaa=1",
            step="5.6 step 3",
            webkit=measured("webkit", {"document.cookie": "", "header": "", "request.COOKIES": {}}),
        ),
        case(
            "parser/utf8-invalid-octet",
            "a=\xff",
            step="5.6 step 3",
            chromium=measured(
                "chromium", {"document.cookie": "", "header": "a=\xff", "request.COOKIES": {"a": "\ufffd"}}
            ),
            firefox=measured(
                "firefox",
                {"document.cookie": "a=\ufffd", "header": "a=\xef\xbf\xbd", "request.COOKIES": {"a": "\ufffd"}},
            ),
            webkit=measured("webkit", {"document.cookie": "a=", "header": "a=", "request.COOKIES": {"a": ""}}),
        ),
        case(
            "parser/utf8-truncated",
            "a=\xc3",
            step="5.6 step 3",
            chromium=measured(
                "chromium", {"document.cookie": "", "header": "a=\xc3", "request.COOKIES": {"a": "\ufffd"}}
            ),
            firefox=measured(
                "firefox",
                {"document.cookie": "a=\ufffd", "header": "a=\xef\xbf\xbd", "request.COOKIES": {"a": "\ufffd"}},
            ),
            webkit=measured("webkit", {"document.cookie": "a=", "header": "a=", "request.COOKIES": {"a": ""}}),
        ),
        case(
            "parser/utf8-bom-before-name",
            "\xef\xbb\xbfa=1",
            step="5.6 step 3",
            webkit=measured("webkit", {"document.cookie": "", "header": "", "request.COOKIES": {}}),
        ),
        case(
            "parser/utf8-nameless",
            "caf\xc3\xa9",
            step="5.6 step 3",
            firefox=measured(
                "firefox",
                {"document.cookie": "caf\xe9=", "header": "caf\xc3\xa9=", "request.COOKIES": {"caf\xe9": ""}},
                releases=NAMELESS_FROM,
            ),
            webkit=measured("webkit", {"document.cookie": "caf", "header": "caf", "request.COOKIES": {"": "caf"}}),
        ),
        case(
            "parser/utf8-nbsp-around-value",
            "a=\xc2\xa01\xc2\xa0",
            step="5.6 step 4",
            chromium=measured(
                "chromium",
                {"document.cookie": "a=\xa01\xa0", "header": "a=\xc2\xa01\xc2", "request.COOKIES": {"a": "1\ufffd"}},
            ),
            firefox=measured(
                "firefox",
                {"document.cookie": "a=\xa01\xa0", "header": "a=\xc2\xa01\xc2", "request.COOKIES": {"a": "1\ufffd"}},
            ),
            webkit=measured("webkit", {"document.cookie": "a=", "header": "a=", "request.COOKIES": {"a": ""}}),
        ),
        # -- lengths at and just past each limit --
        case("parser/name-value-at-4096", f"ab={LONG}", step=storage_step(4)),
        case(
            "parser/name-value-4097",
            f"ab={LONG}v",
            step=storage_step(4),
            webkit=measured(
                "webkit",
                {
                    "document.cookie": ("ab=" + "v" * 4095),
                    "header": ("ab=" + "v" * 4095),
                    "request.COOKIES": {"ab": ("v" * 4095)},
                },
            ),
        ),
        case("parser/name-only-4096", "n" * 4096 + "=", step=storage_step(4)),
        case(
            "parser/nameless-4096",
            "v" * 4096,
            step=storage_step(4),
            firefox=measured(
                "firefox",
                {
                    "document.cookie": ("v" * 4096 + "="),
                    "header": ("v" * 4096 + "="),
                    "request.COOKIES": {("v" * 4096): ""},
                },
                releases=NAMELESS_FROM,
            ),
        ),
        case(
            "parser/nameless-4097",
            "v" * 4097,
            step=storage_step(4),
            webkit=measured(
                "webkit",
                {"document.cookie": ("v" * 4097), "header": ("v" * 4097), "request.COOKIES": {"": ("v" * 4097)}},
            ),
        ),
        case(
            "parser/path-at-1024",
            "a=1; Path={dir}/" + "p" * (1024 - len("/pc/path-at-1024/")),
            step="5.6 attribute step 4",
            read="p" * (1024 - len("/pc/path-at-1024/")) + "/echo",
        ),
        case(
            "parser/path-1025",
            "a=1; Path={dir}/" + "p" * (1025 - len("/pc/path-1025/")),
            step="5.6 attribute step 4",
            read="p" * (1025 - len("/pc/path-1025/")) + "/echo",
            webkit=measured("webkit", {"document.cookie": "", "header": "a=1", "request.COOKIES": {"a": "1"}}),
        ),
        case("parser/max-age-1024-octets", "a=1; Max-Age=-" + "0" * 1022 + "1", step="5.6 attribute step 4"),
        case(
            "parser/max-age-1025-octets",
            "a=1; Max-Age=-" + "0" * 1023 + "1",
            step="5.6 attribute step 4",
            webkit=measured("webkit", {"document.cookie": "", "header": None, "request.COOKIES": {}}),
        ),
        # -- the order of cookies in the Cookie header (5.8.3 step 2) --
        case(
            "parser/order-longer-path-first", "a=1; Path={dir}", "b=2; Path={dir}/x", step="5.8.3 step 2", read="x/echo"
        ),
        case("parser/order-creation", "b=1", "a=2", step="5.8.3 step 2"),
        case(
            "parser/order-same-name-two-paths",
            "a=root; Path={dir}",
            "a=deep; Path={dir}/x",
            step="5.8.3 step 2",
            read="x/echo",
        ),
        case(
            "parser/order-replacement-keeps-creation",
            "a=1",
            "b=2",
            "a=3",
            step=storage_step(23),
            chromium=measured(
                "chromium",
                {"document.cookie": "b=2; a=3", "header": "b=2; a=3", "request.COOKIES": {"a": "3", "b": "2"}},
            ),
        ),
        case(
            "parser/order-nameless-and-named",
            "x=1",
            "foo",
            "y=2",
            step="5.8.3 step 2",
            firefox=measured(
                "firefox",
                {
                    "document.cookie": "x=1; foo=; y=2",
                    "header": "x=1; foo=; y=2",
                    "request.COOKIES": {"foo": "", "x": "1", "y": "2"},
                },
                releases=NAMELESS_FROM,
            ),
        ),
        case(
            "parser/order-three-depths",
            "a=1; Path={dir}",
            "b=2; Path={dir}/x/y",
            "c=3; Path={dir}/x",
            step="5.8.3 step 2",
            read="x/y/echo",
        ),
        # -- Domain, Path and flags as parsed (5.6.3-5.6.6, 5.7) --
        case("parser/domain-exact", "a=1; Domain=example.test", step="5.6.3"),
        case("parser/domain-leading-dot", "a=1; Domain=.example.test", step="5.6.3"),
        case("parser/domain-upper", "a=1; Domain=EXAMPLE.test", step="5.6.3"),
        case("parser/domain-trailing-dot", "a=1; Domain=example.test.", step=storage_step(10)),
        case("parser/domain-other-site", "a=1; Domain=other.test", step=storage_step(10)),
        case("parser/domain-public-suffix", "a=1; Domain=test", step=storage_step(9)),
        case("parser/domain-subdomain", "a=1; Domain=www.example.test", step=storage_step(10)),
        case("parser/domain-spaces", "a=1; Domain= example.test ", step="5.6.3"),
        case("parser/path-deeper-not-sent-here", "a=1; Path={dir}/x", step="5.1.4"),
        case("parser/path-trailing-slash", "a=1; Path={dir}/", step="5.1.4"),
        case("parser/path-with-query-chars", "a=1; Path={dir}?x", step="5.1.4"),
        case("parser/path-percent-encoded", "a=1; Path=/%70c", step="5.1.4"),
        case("parser/httponly-hidden-from-script", "a=1; HttpOnly", step="5.8.2"),
        case("parser/secure-over-https", "a=1; Secure", step=storage_step(13)),
        # -- prefixes and SameSite as parsed (rfc6265bis.STORAGE_STEPS 19-22) --
        case(
            "parser/prefix-secure-without-secure",
            "__Secure-a=1",
            step=storage_step(20),
            webkit=measured(
                "webkit",
                {"document.cookie": "__Secure-a=1", "header": "__Secure-a=1", "request.COOKIES": {"__Secure-a": "1"}},
            ),
        ),
        case("parser/prefix-secure-with-secure", "__Secure-a=1; Secure", step=storage_step(20)),
        case(
            "parser/prefix-secure-lowercase",
            "__secure-a=1",
            step=storage_step(20),
            webkit=measured(
                "webkit",
                {"document.cookie": "__secure-a=1", "header": "__secure-a=1", "request.COOKIES": {"__secure-a": "1"}},
            ),
        ),
        case(
            "parser/prefix-host-with-dir-path",
            "__Host-a=1; Secure; Path={dir}",
            step=storage_step(21),
            webkit=measured(
                "webkit",
                {"document.cookie": "__Host-a=1", "header": "__Host-a=1", "request.COOKIES": {"__Host-a": "1"}},
            ),
        ),
        case(
            "parser/prefix-in-nameless-value",
            "__Secure-a=1; Path={dir}",
            step=storage_step(20),
            webkit=measured(
                "webkit",
                {"document.cookie": "__Secure-a=1", "header": "__Secure-a=1", "request.COOKIES": {"__Secure-a": "1"}},
            ),
        ),
        case(
            "parser/prefix-nameless-bypass",
            "=__Secure-a=1",
            step=storage_step(22),
            webkit=measured(
                "webkit",
                {"document.cookie": "__Secure-a=1", "header": "__Secure-a=1", "request.COOKIES": {"__Secure-a": "1"}},
            ),
        ),
        case(
            "parser/prefix-nameless-host-bypass",
            "=__Host-a=1",
            step=storage_step(22),
            webkit=measured(
                "webkit",
                {"document.cookie": "__Host-a=1", "header": "__Host-a=1", "request.COOKIES": {"__Host-a": "1"}},
            ),
        ),
        case(
            "parser/samesite-none-without-secure",
            "a=1; SameSite=None",
            step=storage_step(19),
            webkit=measured("webkit", {"document.cookie": "a=1", "header": "a=1", "request.COOKIES": {"a": "1"}}),
        ),
        # -- prefix smuggling ("Cookie Chaos", PortSwigger research, 2025-09): a name behind a Unicode space
        # is no prefixed name to the browser (5.6 step 1 trims SP and HTAB only), so no prefix rule holds it;
        # Django's parse_cookie strips every Unicode space off a name (django/http/cookie.py: key.strip()) and
        # reads a __Secure-, __Host- or __Http- cookie nobody was allowed to set. --
        smuggled("parser/smuggle-secure-u2000", "__Secure-a=1", SECURE_RULE),
        smuggled("parser/smuggle-secure-u0085", "__Secure-a=1", SECURE_RULE),
        smuggled("parser/smuggle-secure-u00a0", "__Secure-a=1", SECURE_RULE),
        smuggled("parser/smuggle-secure-u3000", "__Secure-a=1", SECURE_RULE),
        smuggled("parser/smuggle-secure-ufeff", "__Secure-a=1", SECURE_RULE),
        smuggled("parser/smuggle-secure-tab", "__Secure-a=1", SECURE_RULE),
        smuggled("parser/smuggle-host-u2000", "__Host-a=1; Path={dir}", HOST_RULE),
        smuggled("parser/smuggle-host-u0085", "__Host-a=1; Path={dir}", HOST_RULE),
        smuggled("parser/smuggle-host-u00a0", "__Host-a=1; Path={dir}", HOST_RULE),
        smuggled("parser/smuggle-host-u3000", "__Host-a=1; Path={dir}", HOST_RULE),
        smuggled("parser/smuggle-host-ufeff", "__Host-a=1; Path={dir}", HOST_RULE),
        smuggled("parser/smuggle-host-tab", "__Host-a=1; Path={dir}", HOST_RULE),
        smuggled("parser/smuggle-http-u2000", "__Http-a=1", HTTP_RULE),
        smuggled("parser/smuggle-http-u00a0", "__Http-a=1", HTTP_RULE),
        case("parser/samesite-none-lowercase-secure", "a=1; SameSite=none; Secure", step="5.6.7"),
        case("parser/samesite-strict-lowercase", "a=1; SameSite=strict", step="5.6.7"),
        case("parser/samesite-bogus", "a=1; SameSite=Bogus", step="5.6.7"),
        case(
            "parser/samesite-lax-twice",
            "a=1; SameSite=Lax; SameSite=None",
            step="5.6.7",
            webkit=measured("webkit", {"document.cookie": "a=1", "header": "a=1", "request.COOKIES": {"a": "1"}}),
        ),
    ]
)


def _b64(line: str) -> str:
    return octets(line.encode("latin-1"))


# Each case: load its set URL in a same-origin frame, read the frame's document.cookie,
# fetch its read URL (the server logs the Cookie header under a token). One page, every case.
RUN_CORPUS = """async (cases) => {
  // A load or fetch the engine never finishes must not hang the run: each wait is bounded.
  const bounded = (promise) => Promise.race([promise, new Promise((r) => setTimeout(() => r('timeout'), 3000))]);
  const runCase = async (c) => {
    const frame = document.createElement('iframe');
    const loaded = new Promise((resolve) => { frame.onload = () => resolve('loaded'); });
    frame.src = c.set;
    document.body.append(frame);
    const load = await bounded(loaded);
    // An engine that refuses the response shows an error page of another origin: no document to read.
    const cookie = frame.contentDocument ? frame.contentDocument.cookie : '<the frame did not load>';
    const fetched = await bounded(fetch(c.read, {credentials: 'include'}).then(() => 'fetched', () => 'failed'));
    frame.remove();
    return load === 'timeout' ? '<the frame did not load>' : fetched === 'timeout' ? '<the fetch did not end>' : cookie;
  };
  // Cases live in separate directories, so several can run at once.
  const seen = new Array(cases.length);
  let next = 0;
  const worker = async () => { while (next < cases.length) { const i = next++; seen[i] = await runCase(cases[i]); } };
  await Promise.all(Array.from({length: 8}, worker));
  return seen;
}"""


def corpus_urls(r: Row, token: str) -> tuple[str, str]:
    """(set URL, read URL) of a row: both under the case's own directory."""
    directory = f"/pc/{r.id.removeprefix('parser/')}"
    lines, read = STEPS[r.id]
    set_url = lab_url(SECURE_ORIGIN, "raw", directory, page=1, b=[_b64(line) for line in lines])
    return set_url, f"{SECURE_ORIGIN}{directory}/{read}?t={token}"
