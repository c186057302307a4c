"""Path: default path, segment-boundary prefix matching, trailing slash, duplicates.

All cookies are set once on http://example.test with distinct names; each
request path below is then observed from the server's side.
"""
import pytest

from harness.hosts import ORIGIN

SPECS = [
    {"name": "p_seg", "value": "1", "path": "/p"},
    {"name": "p_slash", "value": "1", "path": "/p/"},
    {"name": "p_exact", "value": "1", "path": "/q/echo"},
    {"name": "p_exact_slash", "value": "1", "path": "/q/echo/"},
]
# One response holds one cookie per name (response.cookies is keyed by name),
# so the two same-named cookies take two responses.
DUPLICATES = [{"name": "dup", "value": "root", "path": "/"}, {"name": "dup", "value": "deep", "path": "/d"}]
# Django always sends Path; a raw header shows the default path (the
# directory of the URL that set it, RFC 6265bis section 5.1.4).
DEFAULT_PATH_FROM = "/a/b"
ECHO_PATHS = ["", "/a", "/a/b", "/a/b/c", "/a/bc", "/p", "/p/q", "/pq", "/q", "/d"]

# (cookie, request path) pairs whose sending each engine's truth records.
SENT_CASES = [
    ("p_default", "/a/b"), ("p_default", "/a/b/c"), ("p_default", "/a"), ("p_default", "/a/bc"),
    ("p_default", ""),
    ("p_seg", "/p"), ("p_seg", "/p/q"), ("p_seg", "/pq"), ("p_seg", ""),
    ("p_slash", "/p"), ("p_slash", "/p/q"), ("p_slash", "/pq"),
    ("p_exact", "/q"), ("p_exact_slash", "/q"),
]


@pytest.fixture(scope="module")
def observed(module_lab):
    module_lab.raw(ORIGIN, "p_default=1", path=DEFAULT_PATH_FROM)
    module_lab.set(ORIGIN, *SPECS)
    for spec in DUPLICATES:
        module_lab.set(ORIGIN, spec)
    return {
        "stored": module_lab.stored(),
        "sent": {path: module_lab.sent(ORIGIN, path) for path in ECHO_PATHS},
        "script_d": module_lab.script_read(ORIGIN, "/d"),
    }


def test_path_default_is_directory_of_setting_url(observed, check):
    """Without Path, the cookie's path is the setting URL's directory (/a/b for /a/b/raw)."""
    (cookie,) = [c for c in observed["stored"] if c["name"] == "p_default"]
    check("path/default/stored-path", cookie["path"])


@pytest.mark.parametrize("name, path", SENT_CASES, ids=[f"{n}-at-{p or '/'}" for n, p in SENT_CASES])
def test_path_cookie_sent_at(observed, check, name, path):
    """A cookie is sent where its path prefix-matches the request path at a segment boundary."""
    check(f"path/{name}/sent-at{path or '/'}/echo", name in observed["sent"][path]["cookies"])


def test_path_duplicates_are_both_stored(observed, check):
    """Two cookies of one name on different paths are two cookies."""
    check("path/duplicate/stored", sorted((c["path"], c["value"]) for c in observed["stored"] if c["name"] == "dup"))


def test_path_duplicates_longest_path_first(observed, check):
    """With both paths matching, the browser sends both, longest path first."""
    header = observed["sent"]["/d"]["cookie_header"]
    check("path/duplicate/header", [part for part in header.split("; ") if part.startswith("dup=")])


def test_path_duplicates_request_cookies_keeps_one(observed, check):
    """Django's request.COOKIES keeps one of the two: the last one in the header."""
    check("path/duplicate/request-cookies", observed["sent"]["/d"]["cookies"]["dup"])


def test_path_duplicates_document_cookie_order(observed, check):
    """document.cookie lists both, in the same order as the header."""
    check("path/duplicate/document-cookie", [p for p in observed["script_d"].split("; ") if p.startswith("dup=")])


def test_path_script_sees_only_matching_paths(lab, check):
    """document.cookie shows a Path=/p cookie on /p pages only."""
    lab.set(ORIGIN, {"name": "p_script", "value": "1", "path": "/p"})
    check("path/script/visible-under-path", lab.script_read(ORIGIN, "/p"))
    check("path/script/visible-outside-path", lab.script_read(ORIGIN))


def test_path_delete_needs_same_path(lab, check):
    """delete_cookie with another path leaves the cookie; with the same path removes it."""
    lab.set(ORIGIN, {"name": "p_del", "value": "1", "path": "/p"})
    lab.drop(ORIGIN, {"name": "p_del", "path": "/"})
    check("path/delete/other-path-keeps", [c["path"] for c in lab.stored("p_del")])
    lab.drop(ORIGIN, {"name": "p_del", "path": "/p"})
    check("path/delete/same-path-removes", [c["path"] for c in lab.stored("p_del")])


def test_path_update_on_other_path_adds_cookie(lab, check):
    """Setting a name again on another path creates a second cookie instead of replacing."""
    lab.set(ORIGIN, {"name": "p_upd", "value": "old", "path": "/"})
    lab.set(ORIGIN, {"name": "p_upd", "value": "new", "path": "/p"})
    check("path/update/other-path", sorted((c["path"], c["value"]) for c in lab.stored("p_upd")))
    lab.set(ORIGIN, {"name": "p_upd", "value": "newer", "path": "/p"})
    check("path/update/same-path", sorted((c["path"], c["value"]) for c in lab.stored("p_upd")))
