"""Django as shipped, embedded: login, a CSRF-protected POST and logout inside a cross-site iframe.

The app (`shipped_site`) in an iframe on https://other.test, each step a person's click in
the frame (`Session.click_in_frame`); the app reports each answer under a token (its ?t=),
since no test can script a cross-site frame. A row's id names the settings profile and the
observation: django-embed/<profile>/<observation>. Whether a user can log in and post inside
an embed is decided by the cookies' SameSite, Secure and Partitioned and by the run's
third-party policy (`--third-party`, e2e/harness/third_party.py). Each row's spec
value is its observation of the same flow on the spec's user agent (flows.Modelled), whose
third-party policy is the spec's: nothing withheld beyond SameSite and CHIPS's partitions.
"""

import pathlib
import secrets
from typing import Any

import pytest

from e2e.harness.flows import CSRF_NAME, NO_CSRF_COOKIE, Flows, Modelled, app_url, state
from e2e.harness.network.hosts import SECURE_CROSS_SITE_ORIGIN, SECURE_ORIGIN
from e2e.harness.network.site_database import USERS
from e2e.harness.reasons import said_of
from e2e.harness.rows import Deviation, Row, check_rows, measured
from e2e.harness.runner import Lab
from e2e.harness.user_agent import UserAgent
from e2e.harness.verdict import Verdict

NONE = {  # what Django's docs ask of a site that is embedded cross-site
    "SESSION_COOKIE_SAMESITE": "None",
    "SESSION_COOKIE_SECURE": True,
    "CSRF_COOKIE_SAMESITE": "None",
    "CSRF_COOKIE_SECURE": True,
}
# Django 6.2's settings (pull request for ticket #34613), read by site/cookielab/partitioned.py until then.
PARTITIONED = {**NONE, "SESSION_COOKIE_PARTITIONED": True, "CSRF_COOKIE_PARTITIONED": True}

DOCS = "Django docs: settings SESSION_COOKIE_SAMESITE and CSRF_COOKIE_SAMESITE ('None' for cross-site use)"
LAX = f"{DOCS}; Lax (the default) is not sent in a cross-site frame, so the POST has no CSRF cookie"
CHIPS = "draft-cutler-httpbis-partitioned-cookies-01 section 2 (a Partitioned cookie is kept per top-level site)"
BLOCKED = "third-party cookies blocked: the frame's cookies are neither stored nor sent"
PARTITIONED_JAR = "third-party cookies partitioned: the frame's cookies live in the other.test partition"
NO_THIRD_PARTY = "WebKit's no-third-party accept policy: a third-party frame cannot set cookies"
REFUSED = {"blocked": (NO_CSRF_COOKIE, BLOCKED), "no-third-party": (NO_CSRF_COOKIE, NO_THIRD_PARTY)}
# libsoup has no partitioned field (CHIPS is compiled out of WebKitGTK 2.50): an ordinary cookie there.
WEBKIT_NO_CHIPS = measured(
    "webkit", "alice", "Partitioned is ignored: the session is the first party's", policies=("allowed",)
)
FIREFOX_REJECTS_FOREIGN = "network.cookie.cookieBehavior=1 rejects every cookie a third-party frame sets"


def _firefox_blocked(value: Any) -> Deviation:
    return measured("firefox", value, FIREFOX_REJECTS_FOREIGN, policies=("blocked",))


def _webkit_itp(value: Any) -> Deviation:
    return measured("webkit", value, "ITP refuses every cookie a third-party frame sets", policies=("blocked",))


def _in_frame(lab: UserAgent, page: str, button: str, **params: Any) -> Any:
    """Load an app page in an iframe on https://other.test and click button in it: the app's answer, which it
    keeps under ?t= (a parameter's value may be a function of the token: the login's next page)."""
    token = secrets.token_hex(8)
    params = {k: v(token) if callable(v) else v for k, v in params.items()}
    url = app_url(SECURE_ORIGIN, page, t=token, **params)
    records = lab.reach("iframe", SECURE_CROSS_SITE_ORIGIN, url, token, button, navigates=True)
    if not records:
        return "no answer"
    answer = records[0]
    if answer.get("accepted") is False:
        return answer["reason"]  # Django's 403
    return answer


def embedded(lab: UserAgent) -> dict[str, Any]:
    """Log in, post the protected form and log out inside the iframe; who example.test knows in between; and the
    user agent's words for each cookie it refused ("words")."""
    lab.hear_refusals()

    def then(token: str) -> str:
        return f"/app/state/?t={token}"  # LoginView redirects there

    login = _in_frame(lab, "login", "#login button", fill=f"alice:{USERS['alice']}", next=then)
    found = {"login": login["user"] if isinstance(login, dict) else login}
    post = _in_frame(lab, "form", "#protected button")
    found["post"] = post["accepted"] if isinstance(post, dict) else post
    found["first-party"] = state(lab, SECURE_ORIGIN)["user"]
    logout = _in_frame(lab, "form", "#logout button")
    found["logout"] = logout["user"] if isinstance(logout, dict) else logout
    found["words"] = lab.refusals()
    return found


FLOWS = {"lax": ({}, embedded), "none": (NONE, embedded), "partitioned": (PARTITIONED, embedded)}


SPEC = Modelled(FLOWS)  # each row's spec value: the flows on the spec's user agent


def step_row(id: str, source: str, rule: str, **deviations: Any) -> Row:
    """A step's row: Django's "CSRF cookie not set." is the refusal of the CSRF cookie."""
    return SPEC.refusal_row(id, source, rule, NO_CSRF_COOKIE, CSRF_NAME, **deviations)


ROWS = check_rows([
    step_row("django-embed/lax/login", LAX,
        "With Django's defaults (Lax), logging in inside a cross-site iframe is refused: no CSRF cookie arrives."),
    step_row("django-embed/lax/post", LAX, "With Django's defaults, a form POST inside the iframe is refused."),
    SPEC.row("django-embed/lax/first-party", LAX, "Nobody is logged in at example.test afterwards."),
    step_row("django-embed/none/login", DOCS,
        "With the session and CSRF cookies SameSite=None and Secure, the user logs in inside the iframe.",
        policies=REFUSED),
    step_row("django-embed/none/post", DOCS, "A CSRF-protected form POST inside the iframe is accepted.",
        policies={"blocked": (NO_CSRF_COOKIE, BLOCKED), "no-third-party": (NO_CSRF_COOKIE, NO_THIRD_PARTY)}),
    SPEC.row("django-embed/none/first-party", DOCS,
        "The login inside the iframe is the user's login at example.test too (one unpartitioned session).",
        policies={"blocked": (None, BLOCKED), "partitioned": (None, PARTITIONED_JAR),
                  "no-third-party": (None, NO_THIRD_PARTY)}),
    step_row("django-embed/none/logout", DOCS, "Logging out inside the iframe leaves nobody logged in there.",
        policies=REFUSED),
    step_row("django-embed/partitioned/login", CHIPS,
        "With the session and CSRF cookies also Partitioned, the user logs in inside the iframe.",
        policies={"no-third-party": (NO_CSRF_COOKIE, NO_THIRD_PARTY)},
        firefox=_firefox_blocked(NO_CSRF_COOKIE), webkit=_webkit_itp(NO_CSRF_COOKIE)),
    step_row("django-embed/partitioned/post", CHIPS, "A CSRF-protected form POST inside the iframe is accepted.",
        policies={"no-third-party": (NO_CSRF_COOKIE, NO_THIRD_PARTY)},
        firefox=_firefox_blocked(NO_CSRF_COOKIE), webkit=_webkit_itp(NO_CSRF_COOKIE)),
    SPEC.row("django-embed/partitioned/first-party", CHIPS,
        "The partitioned login is not a login at example.test itself.", webkit=WEBKIT_NO_CHIPS),
    step_row("django-embed/partitioned/logout", CHIPS, "Logging out inside the iframe leaves nobody logged in there.",
        policies={"no-third-party": (NO_CSRF_COOKIE, NO_THIRD_PARTY)},
        firefox=_firefox_blocked(NO_CSRF_COOKIE), webkit=_webkit_itp(NO_CSRF_COOKIE)),
])  # fmt: skip


@pytest.fixture(scope="module")
def flows(shipped_site: pathlib.Path, module_lab: Lab) -> Flows:
    return Flows(module_lab, FLOWS)


@pytest.mark.parametrize("row", ROWS, ids=str)
def test_django_embedded(flows: Flows, check: Verdict, row: Row) -> None:
    """Each row: one step of the app inside a cross-site iframe, under its profile and the run's policy. Where
    Django says the CSRF cookie was not set, the engine's words for refusing that cookie beside it."""
    observed = flows(row.parts[0])
    value = observed[row.parts[1]]
    check(row, value, why=said_of(observed["words"], CSRF_NAME) if value == NO_CSRF_COOKIE else "")
