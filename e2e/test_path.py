"""Path: default path, segment-boundary prefix matching, trailing slash, duplicates.

Cookies are set once on http://example.test with distinct names; each request
path is then observed from the server's side. A sent row's id names the cookie
and the request path: path/<cookie>/sent-at<path>/echo.
"""

import functools
from collections.abc import Sequence
from typing import Any

import pytest

from e2e.harness.network.hosts import ORIGIN
from e2e.harness.reasons import model_rule, said
from e2e.harness.rows import RFC, Row, check_rows, row
from e2e.harness.runner import Lab
from e2e.harness.spec.rfc6265bis import storage_step
from e2e.harness.spec.sections import PATH_MATCH, REPLACE
from e2e.harness.spec.user_agent import SpecLab
from e2e.harness.user_agent import UserAgent
from e2e.harness.verdict import Verdict

COOKIES = {  # name -> set_cookie spec (set from "from", else /); p_default is a raw header from DEFAULT_PATH_FROM
    "p_up": {"path": "/a", "from": "/a/b/c"},  # a Path above the page that sets it
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


# The request paths the sent-at rows name (path/<cookie>/sent-at<path>/echo), and /d for the duplicates.
ECHO_PATHS = ["/a/b", "/a/b/c", "/a", "/a/bc", "/", "/p", "/p/q", "/pq", "/q", "/d"]


def steps(lab: UserAgent, exact_paths: Sequence[str] = ()) -> dict[str, Any]:
    """Set every cookie, then observe at each path: run on the browser (module_lab) and on the spec's user agent.
    exact_paths: the paths observed at themselves (?lab=echo). Each record holds the user agent's words for the
    cookies it kept back ("withheld")."""
    lab.hear_refusals()
    lab.raw(ORIGIN, "p_default=1", path=DEFAULT_PATH_FROM)
    pages: dict[str, list[dict[str, Any]]] = {}  # the page that sets them -> the set_cookie specs
    for name, spec in COOKIES.items():
        setting = {key: value for key, value in spec.items() if key != "from"}
        pages.setdefault(spec.get("from", ""), []).append({"name": name, "value": "1", **setting})
    for page, specs in pages.items():
        lab.set(ORIGIN, *specs, path=page)
    for spec in DUPLICATES:
        lab.set(ORIGIN, spec)
    return {
        "stored": lab.stored(),
        "sent": {path: lab.sent(ORIGIN, path) for path in ECHO_PATHS},
        "sent_exact": {path: lab.sent(ORIGIN, path, exact=True) for path in exact_paths},
        "script_d": lab.script_read(ORIGIN, "/d"),
    }


def script_steps(lab: UserAgent) -> tuple[str, str]:
    """A Path=/p cookie: document.cookie on a /p page, then on /."""
    lab.set(ORIGIN, {"name": "p_script", "value": "1", "path": "/p"})
    return lab.script_read(ORIGIN, "/p"), lab.script_read(ORIGIN)


def delete_steps(lab: UserAgent) -> tuple[list[str], list[str]]:
    """delete_cookie on another path, then on the cookie's own: the paths left after each."""
    lab.set(ORIGIN, {"name": "p_del", "value": "1", "path": "/p"})
    lab.drop(ORIGIN, {"name": "p_del", "path": "/"})
    other = [c["path"] for c in lab.stored("p_del")]
    lab.drop(ORIGIN, {"name": "p_del", "path": "/p"})
    return other, [c["path"] for c in lab.stored("p_del")]


def update_steps(lab: UserAgent) -> tuple[list[list[str]], list[list[str]]]:
    """A name set on /, again on /p, again on /p: [path, value] of its cookies after the second and third."""
    lab.set(ORIGIN, {"name": "p_upd", "value": "old", "path": "/"})
    lab.set(ORIGIN, {"name": "p_upd", "value": "new", "path": "/p"})
    other = sorted([c["path"], c["value"]] for c in lab.stored("p_upd"))
    lab.set(ORIGIN, {"name": "p_upd", "value": "newer", "path": "/p"})
    return other, sorted([c["path"], c["value"]] for c in lab.stored("p_upd"))


def dup_parts(text: str) -> list[str]:
    return [part for part in text.split("; ") if part.startswith("dup=")]


SPEC = steps(SpecLab())  # each row's spec value: what the spec's user agent did


@functools.cache
def spec_sent_exact(path: str) -> dict[str, Any]:
    """What the spec's user agent sends to the exact path, after the same steps: a row's path is its own."""
    sent: dict[str, Any] = steps(SpecLab(), exact_paths=[path])["sent_exact"][path]
    return sent


SPEC_SCRIPT, SPEC_DELETE, SPEC_UPDATE = script_steps(SpecLab()), delete_steps(SpecLab()), update_steps(SpecLab())


def sent_at(id: str) -> Row:
    _, name, where = id.split("/", 2)
    path = where.removeprefix("sent-at").removesuffix("echo")
    sent = SPEC["sent"][path.removesuffix("/")]
    expect = name in sent["cookies"]
    rule = (
        f"A cookie with {COOKIES.get(name, {}).get('path') or 'the default path ' + DEFAULT_PATH_FROM} "
        f"{'is' if expect else 'is not'} sent to {path}echo."
    )
    return row(id, expect, PATH_MATCH, rule, refused=False, because=model_rule(sent["withheld"], name=name))


SENT = check_rows(
    [
        sent_at("path/p_default/sent-at/a/b/echo"),
        sent_at("path/p_default/sent-at/a/b/c/echo"),
        sent_at("path/p_default/sent-at/a/echo"),
        sent_at("path/p_default/sent-at/a/bc/echo"),
        sent_at("path/p_default/sent-at//echo"),
        sent_at("path/p_seg/sent-at/p/echo"),
        sent_at("path/p_seg/sent-at/p/q/echo"),
        sent_at("path/p_seg/sent-at/pq/echo"),
        sent_at("path/p_seg/sent-at//echo"),
        sent_at("path/p_slash/sent-at/p/echo"),
        sent_at("path/p_slash/sent-at/p/q/echo"),
        sent_at("path/p_slash/sent-at/pq/echo"),
        sent_at("path/p_exact/sent-at/q/echo"),
        sent_at("path/p_exact_slash/sent-at/q/echo"),
    ]
)


def sent_exact(id: str) -> Row:
    """A row for a request to an exact path (no verb name appended): the spec value from the path-match model."""
    _, name, where = id.split("/", 2)
    path, cookie_path = where.removeprefix("sent-exact-at"), COOKIES[name]["path"]
    sent = spec_sent_exact(path)
    expect = name in sent["cookies"]
    setting = f", set from {COOKIES[name]['from']}," if "from" in COOKIES[name] else ""
    return row(
        id,
        expect,
        PATH_MATCH,
        f"A cookie with Path={cookie_path}{setting} {'is' if expect else 'is not'} sent to {path}.",
        refused=False,
        because=model_rule(sent["withheld"], name=name),
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
        sent_exact("path/p_up/sent-exact-at/a/"),
        sent_exact("path/p_up/sent-exact-at/a"),
    ]
)
DEFAULT = row(
    "path/default/stored-path",
    next(c["path"] for c in SPEC["stored"] if c["name"] == "p_default"),
    DEFAULT_PATH,
    "Without Path, the cookie's path is the setting URL's directory.",
)
DUP_STORED = row(
    "path/duplicate/stored",
    sorted([c["path"], c["value"]] for c in SPEC["stored"] if c["name"] == "dup"),
    f"{RFC} section {storage_step(23)}",
    "Two cookies of one name on different paths are two cookies.",
    labels=("path", "value"),
)
DUP_HEADER = row(
    "path/duplicate/header",
    dup_parts(SPEC["sent"]["/d"]["cookie_header"]),
    ORDER,
    "With both paths matching, the browser sends both, longest path first.",
)
DUP_REQUEST = row(
    "path/duplicate/request-cookies",
    SPEC["sent"]["/d"]["cookies"]["dup"],
    PARSE_COOKIE,
    "Django's request.COOKIES keeps one of the two: the last in the header.",
)
DUP_SCRIPT = row(
    "path/duplicate/document-cookie",
    dup_parts(SPEC["script_d"]),
    ORDER,
    "document.cookie lists both, in the header's order.",
)
SCRIPT_UNDER = row(
    "path/script/visible-under-path", SPEC_SCRIPT[0], PATH_MATCH, "document.cookie shows a Path=/p cookie on /p pages."
)
SCRIPT_OUTSIDE = row(
    "path/script/visible-outside-path",
    SPEC_SCRIPT[1],
    PATH_MATCH,
    "document.cookie hides a Path=/p cookie on other pages.",
)
DELETE_OTHER = row(
    "path/delete/other-path-keeps", SPEC_DELETE[0], REPLACE, "delete_cookie with another path leaves the cookie."
)
DELETE_SAME = row(
    "path/delete/same-path-removes", SPEC_DELETE[1], REPLACE, "delete_cookie with the cookie's path removes it."
)
UPDATE_OTHER = row(
    "path/update/other-path",
    SPEC_UPDATE[0],
    REPLACE,
    "Setting a name again on another path adds a second cookie.",
    labels=("path", "value"),
)
UPDATE_SAME = row(
    "path/update/same-path",
    SPEC_UPDATE[1],
    REPLACE,
    "Setting a name again on the same path replaces that cookie.",
    labels=("path", "value"),
)


@pytest.fixture(scope="module")
def observed(module_lab: Lab) -> dict[str, Any]:
    return steps(module_lab, exact_paths=[row.id.split("sent-exact-at")[1] for row in SENT_EXACT])


@pytest.mark.parametrize("row", SENT_EXACT, ids=str)
def test_path_cookie_sent_to_exact_path(observed: dict[str, Any], check: Verdict, row: Row) -> None:
    """At the exact path /r/s, a Path=/r/s/ cookie is not sent: the trailing slash is part of its path."""
    sent = observed["sent_exact"][row.id.split("sent-exact-at")[1]]
    kept = row.parts[0] in sent["cookies"]
    check(row, kept, why="" if kept else said(sent["withheld"], row.parts[0]))


def test_path_default_is_directory_of_setting_url(observed: dict[str, Any], check: Verdict) -> None:
    """Without Path, the cookie's path is the setting URL's directory (/a/b for /a/b/raw)."""
    (cookie,) = [c for c in observed["stored"] if c["name"] == "p_default"]
    check(DEFAULT, cookie["path"])


@pytest.mark.parametrize("row", SENT, ids=str)
def test_path_cookie_sent_at(observed: dict[str, Any], check: Verdict, row: Row) -> None:
    """A cookie is sent where its path prefix-matches the request path at a segment boundary."""
    name, where = row.parts[0], "/".join(row.parts[1:])
    sent = observed["sent"][where.removeprefix("sent-at").removesuffix("/echo")]
    check(row, name in sent["cookies"], why="" if name in sent["cookies"] else said(sent["withheld"], name))


def test_path_duplicates_are_both_stored(observed: dict[str, Any], check: Verdict) -> None:
    """Two cookies of one name on different paths are two cookies."""
    check(DUP_STORED, sorted((c["path"], c["value"]) for c in observed["stored"] if c["name"] == "dup"))


def test_path_duplicates_longest_path_first(observed: dict[str, Any], check: Verdict) -> None:
    """With both paths matching, the browser sends both, longest path first."""
    check(DUP_HEADER, dup_parts(observed["sent"]["/d"]["cookie_header"]))


def test_path_duplicates_request_cookies_keeps_one(observed: dict[str, Any], check: Verdict) -> None:
    """Django's request.COOKIES keeps one of the two: the last one in the header."""
    check(DUP_REQUEST, observed["sent"]["/d"]["cookies"]["dup"])


def test_path_duplicates_document_cookie_order(observed: dict[str, Any], check: Verdict) -> None:
    """document.cookie lists both, in the same order as the header."""
    check(DUP_SCRIPT, dup_parts(observed["script_d"]))


def test_path_script_sees_only_matching_paths(lab: Lab, check: Verdict) -> None:
    """document.cookie shows a Path=/p cookie on /p pages only."""
    under, outside = script_steps(lab)
    check(SCRIPT_UNDER, under)
    check(SCRIPT_OUTSIDE, outside)


def test_path_delete_needs_same_path(lab: Lab, check: Verdict) -> None:
    """delete_cookie with another path leaves the cookie; with the same path removes it."""
    other, same = delete_steps(lab)
    check(DELETE_OTHER, other)
    check(DELETE_SAME, same)


def test_path_update_on_other_path_adds_cookie(lab: Lab, check: Verdict) -> None:
    """Setting a name again on another path creates a second cookie instead of replacing."""
    other, same = update_steps(lab)
    check(UPDATE_OTHER, other)
    check(UPDATE_SAME, same)
