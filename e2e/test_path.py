"""Path: default path, segment-boundary prefix matching, trailing slash, duplicates.

Cookies are set once on http://example.test with distinct names; each request
path is then observed from the server's side. A sent row's id names the cookie
and the request path: path/<cookie>/sent-at<path>/echo.
"""

import pytest

from e2e.harness.network.hosts import ORIGIN
from e2e.harness.rows import RFC, check_rows, row
from e2e.harness.spec import rfc6265bis
from e2e.harness.spec.sections import PATH_MATCH, REPLACE

COOKIES = {  # name -> set_cookie spec; p_default is a raw header from DEFAULT_PATH_FROM
    "p_seg": {"path": "/p"},
    "p_slash": {"path": "/p/"},
    "p_exact": {"path": "/q/echo"},
    "p_exact_slash": {"path": "/q/echo/"},
    "p_dir": {"path": "/r/s/"},
    "p_dir_noslash": {"path": "/r/s"},
}
# Django always sends Path; a raw header shows the default path (the
# directory of the URL that set it, RFC 6265bis section 5.1.4).
DEFAULT_PATH_FROM = "/a/b"
# One response holds one cookie per name (response.cookies is keyed by name),
# so the two same-named cookies take two responses.
DUPLICATES = [{"name": "dup", "value": "root", "path": "/"}, {"name": "dup", "value": "deep", "path": "/d"}]
DEFAULT_PATH = f"{RFC} section 5.1.4 (default-path: the directory of the request path)"
ORDER = f"{RFC} section 5.8.3 step 2 (longer paths first)"
PARSE_COOKIE = "django.http.cookie.parse_cookie keeps the last value of a repeated name: the shortest path's"


def sent_at(id, expect):
    _, name, where = id.split("/", 2)
    path = where.removeprefix("sent-at").removesuffix("echo")
    rule = (
        f"A cookie with {COOKIES.get(name, {}).get('path') or 'the default path ' + DEFAULT_PATH_FROM} "
        f"{'is' if expect else 'is not'} sent to {path}echo."
    )
    return row(id, expect, PATH_MATCH, rule)


SENT = check_rows(
    [
        sent_at("path/p_default/sent-at/a/b/echo", True),
        sent_at("path/p_default/sent-at/a/b/c/echo", True),
        sent_at("path/p_default/sent-at/a/echo", False),
        sent_at("path/p_default/sent-at/a/bc/echo", False),
        sent_at("path/p_default/sent-at//echo", False),
        sent_at("path/p_seg/sent-at/p/echo", True),
        sent_at("path/p_seg/sent-at/p/q/echo", True),
        sent_at("path/p_seg/sent-at/pq/echo", False),
        sent_at("path/p_seg/sent-at//echo", False),
        sent_at("path/p_slash/sent-at/p/echo", True),
        sent_at("path/p_slash/sent-at/p/q/echo", True),
        sent_at("path/p_slash/sent-at/pq/echo", False),
        sent_at("path/p_exact/sent-at/q/echo", True),
        sent_at("path/p_exact_slash/sent-at/q/echo", False),
    ]
)


def sent_exact(id):
    """A row for a request to an exact path (no verb name appended): the spec value from the path-match model."""
    _, name, where = id.split("/", 2)
    path, cookie_path = where.removeprefix("sent-exact-at"), COOKIES[name]["path"]
    expect = rfc6265bis.path_match(path, cookie_path)
    return row(
        id, expect, PATH_MATCH, f"A cookie with Path={cookie_path} {'is' if expect else 'is not'} sent to {path}."
    )


# Observed at the path itself (?lab=echo), so a trailing slash is the request's last character.
SENT_EXACT = check_rows(
    [
        sent_exact("path/p_dir/sent-exact-at/r/s"),
        sent_exact("path/p_dir/sent-exact-at/r/s/"),
        sent_exact("path/p_dir/sent-exact-at/r/s/t"),
        sent_exact("path/p_dir_noslash/sent-exact-at/r/s"),
        sent_exact("path/p_dir_noslash/sent-exact-at/r/s/"),
        sent_exact("path/p_dir_noslash/sent-exact-at/r/st"),
    ]
)
DEFAULT = row(
    "path/default/stored-path", "/a/b", DEFAULT_PATH, "Without Path, the cookie's path is the setting URL's directory."
)
DUP_STORED = row(
    "path/duplicate/stored",
    [["/", "root"], ["/d", "deep"]],
    f"{RFC} section 5.7 step 22 (name, domain and path identify a cookie)",
    "Two cookies of one name on different paths are two cookies.",
)
DUP_HEADER = row(
    "path/duplicate/header",
    ["dup=deep", "dup=root"],
    ORDER,
    "With both paths matching, the browser sends both, longest path first.",
)
DUP_REQUEST = row(
    "path/duplicate/request-cookies",
    "root",
    PARSE_COOKIE,
    "Django's request.COOKIES keeps one of the two: the last in the header.",
)
DUP_SCRIPT = row(
    "path/duplicate/document-cookie",
    ["dup=deep", "dup=root"],
    ORDER,
    "document.cookie lists both, in the header's order.",
)
SCRIPT_UNDER = row(
    "path/script/visible-under-path", "p_script=1", PATH_MATCH, "document.cookie shows a Path=/p cookie on /p pages."
)
SCRIPT_OUTSIDE = row(
    "path/script/visible-outside-path", "", PATH_MATCH, "document.cookie hides a Path=/p cookie on other pages."
)
DELETE_OTHER = row(
    "path/delete/other-path-keeps", ["/p"], REPLACE, "delete_cookie with another path leaves the cookie."
)
DELETE_SAME = row("path/delete/same-path-removes", [], REPLACE, "delete_cookie with the cookie's path removes it.")
UPDATE_OTHER = row(
    "path/update/other-path",
    [["/", "old"], ["/p", "new"]],
    REPLACE,
    "Setting a name again on another path adds a second cookie.",
)
UPDATE_SAME = row(
    "path/update/same-path",
    [["/", "old"], ["/p", "newer"]],
    REPLACE,
    "Setting a name again on the same path replaces that cookie.",
)
ECHO_PATHS = sorted({"/".join(r.parts[1:]).removeprefix("sent-at").removesuffix("/echo") for r in SENT} | {"/d"})


@pytest.fixture(scope="module")
def observed(module_lab):
    module_lab.raw(ORIGIN, "p_default=1", path=DEFAULT_PATH_FROM)
    module_lab.set(ORIGIN, *({"name": name, "value": "1", **spec} for name, spec in COOKIES.items()))
    for spec in DUPLICATES:
        module_lab.set(ORIGIN, spec)
    return {
        "stored": module_lab.stored(),
        "sent": {path: module_lab.sent(ORIGIN, path) for path in ECHO_PATHS},
        "sent_exact": {
            row.id: module_lab.sent(ORIGIN, row.id.split("sent-exact-at")[1], exact=True) for row in SENT_EXACT
        },
        "script_d": module_lab.script_read(ORIGIN, "/d"),
    }


@pytest.mark.parametrize("row", SENT_EXACT, ids=str)
def test_path_cookie_sent_to_exact_path(observed, check, row):
    """At the exact path /r/s, a Path=/r/s/ cookie is not sent: the trailing slash is part of its path."""
    check(row, row.parts[0] in observed["sent_exact"][row.id]["cookies"])


def test_path_default_is_directory_of_setting_url(observed, check):
    """Without Path, the cookie's path is the setting URL's directory (/a/b for /a/b/raw)."""
    (cookie,) = [c for c in observed["stored"] if c["name"] == "p_default"]
    check(DEFAULT, cookie["path"])


@pytest.mark.parametrize("row", SENT, ids=str)
def test_path_cookie_sent_at(observed, check, row):
    """A cookie is sent where its path prefix-matches the request path at a segment boundary."""
    name, where = row.parts[0], "/".join(row.parts[1:])
    check(row, name in observed["sent"][where.removeprefix("sent-at").removesuffix("/echo")]["cookies"])


def test_path_duplicates_are_both_stored(observed, check):
    """Two cookies of one name on different paths are two cookies."""
    check(DUP_STORED, sorted((c["path"], c["value"]) for c in observed["stored"] if c["name"] == "dup"))


def test_path_duplicates_longest_path_first(observed, check):
    """With both paths matching, the browser sends both, longest path first."""
    header = observed["sent"]["/d"]["cookie_header"]
    check(DUP_HEADER, [part for part in header.split("; ") if part.startswith("dup=")])


def test_path_duplicates_request_cookies_keeps_one(observed, check):
    """Django's request.COOKIES keeps one of the two: the last one in the header."""
    check(DUP_REQUEST, observed["sent"]["/d"]["cookies"]["dup"])


def test_path_duplicates_document_cookie_order(observed, check):
    """document.cookie lists both, in the same order as the header."""
    check(DUP_SCRIPT, [p for p in observed["script_d"].split("; ") if p.startswith("dup=")])


def test_path_script_sees_only_matching_paths(lab, check):
    """document.cookie shows a Path=/p cookie on /p pages only."""
    lab.set(ORIGIN, {"name": "p_script", "value": "1", "path": "/p"})
    check(SCRIPT_UNDER, lab.script_read(ORIGIN, "/p"))
    check(SCRIPT_OUTSIDE, lab.script_read(ORIGIN))


def test_path_delete_needs_same_path(lab, check):
    """delete_cookie with another path leaves the cookie; with the same path removes it."""
    lab.set(ORIGIN, {"name": "p_del", "value": "1", "path": "/p"})
    lab.drop(ORIGIN, {"name": "p_del", "path": "/"})
    check(DELETE_OTHER, [c["path"] for c in lab.stored("p_del")])
    lab.drop(ORIGIN, {"name": "p_del", "path": "/p"})
    check(DELETE_SAME, [c["path"] for c in lab.stored("p_del")])


def test_path_update_on_other_path_adds_cookie(lab, check):
    """Setting a name again on another path creates a second cookie instead of replacing."""
    lab.set(ORIGIN, {"name": "p_upd", "value": "old", "path": "/"})
    lab.set(ORIGIN, {"name": "p_upd", "value": "new", "path": "/p"})
    check(UPDATE_OTHER, sorted((c["path"], c["value"]) for c in lab.stored("p_upd")))
    lab.set(ORIGIN, {"name": "p_upd", "value": "newer", "path": "/p"})
    check(UPDATE_SAME, sorted((c["path"], c["value"]) for c in lab.stored("p_upd")))
