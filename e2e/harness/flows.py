"""Steps and observations for Django's own flows (login, logout, CSRF, messages, language), on Lab.

Each returns what a row compares: the server's view (the app's JSON), the whole jar,
or what page script sees. The app's URLs are in site/cookielab/app.py. The same flows
run on the spec's user agent (Modelled): each row's spec value.
"""

import time
from typing import Any
from urllib.parse import urlencode

from e2e.harness.network.site_database import USERS, model_database
from e2e.harness.reasons import model_rule
from e2e.harness.rows import Row, row, split_id
from e2e.harness.runner import lab_url
from e2e.harness.spec.user_agent import SpecLab
from e2e.harness.user_agent import UserAgent


def app_url(origin: str, page: str, **params: str) -> str:
    """A page of the shipped app, e.g. app_url(ORIGIN, "message", text="hi") -> http://example.test/app/message/?text=hi."""
    return f"{origin}/app/{page}/" + (f"?{urlencode(params)}" if params else "")


def described(cookie: dict[str, Any]) -> dict[str, Any]:
    """One stored cookie's attributes as a row compares them; sameSite is the engine's report of what was sent."""
    lifetime = None if cookie["expires"] is None else round((cookie["expires"] - time.time()) / 3600)
    return {
        "path": cookie["path"],
        "httpOnly": cookie["httpOnly"],
        "secure": cookie["secure"],
        "sameSite": cookie["sameSite"],
        "lifetime_hours": lifetime,
    }


def attributes(lab: UserAgent, name: str) -> dict[str, Any] | None:
    """described() of the one stored cookie of that name, or None."""
    found = lab.stored(name)
    if not found:
        return None
    (cookie,) = found
    return described(cookie)


def value(lab: UserAgent, name: str) -> str | None:
    """The stored value of the one cookie of that name, or None."""
    found = lab.stored(name)
    return found[0]["value"] if found else None


def names(lab: UserAgent) -> list[str]:
    return sorted(c["name"] for c in lab.stored())


def log_in(lab: UserAgent, origin: str, user: str = "alice", remember: str = "") -> Any:
    """Django's LoginView with the user's password; the answer is the app's state after the redirect."""
    lab.go(app_url(origin, "login"))
    return lab.submit("#login", username=user, password=USERS[user], remember=remember)


def log_out(lab: UserAgent, origin: str) -> Any:
    """LogoutView by POST from the app's form page."""
    lab.go(app_url(origin, "form"))
    return lab.submit("#logout")


def state(lab: UserAgent, origin: str) -> Any:
    lab.go(app_url(origin, "state"))
    return lab.page_json()


def post_form(lab: UserAgent, page_origin: str, action: str | None = None) -> Any:
    """Load the protected form on page_origin, post it (to action when given): the app's answer or its 403."""
    lab.go(app_url(page_origin, "form"))
    return lab.submit("#protected", action)


def cross_site_post(lab: UserAgent, from_origin: str, target: str) -> Any:
    """A page on from_origin submits a form to target (a person's click): the answer there."""
    lab.go(lab_url(from_origin, "embed", kind="form", url=target))
    lab.session.click_and_wait("#go button")
    return lab.page_json()


DB = {"SESSION_ENGINE": "django.contrib.sessions.backends.db"}  # the session engine Django ships with
CSRF_NAME = "csrftoken"  # settings.CSRF_COOKIE_NAME, as every profile here leaves it
SESSION_NAME = "sessionid"  # settings.SESSION_COOKIE_NAME, likewise
NO_CSRF_COOKIE = "CSRF cookie not set."  # django.middleware.csrf.REASON_NO_CSRF_COOKIE


class Flows:
    """Each profile's flow run once per module, on the module's jar emptied first, under its settings.

    flows: profile -> (settings, flow(lab) -> {observation: value}); base: settings under every profile's (a
    scratch folder). A row asks for its profile's observations; a flow that failed fails only its own rows.
    """

    def __init__(self, lab: UserAgent, flows: dict[str, Any], base: dict[str, Any] | None = None) -> None:
        self.lab = lab
        self.flows = flows
        self.base = base or {}
        self.done: dict[str, dict[str, Any] | Exception] = {}  # profile -> what its flow observed, or its error

    def __call__(self, profile: str) -> dict[str, Any]:
        if profile not in self.done:
            from django.test import override_settings

            settings, flow = self.flows[profile]
            self.lab.session.clear_cookies()
            try:
                with override_settings(**self.base, **settings):
                    self.done[profile] = flow(self.lab)
            except Exception as error:  # noqa: BLE001 - kept for this profile's rows, raised there
                self.done[profile] = error
        observed = self.done[profile]
        if isinstance(observed, Exception):
            raise observed
        return observed


class Modelled:
    """Every profile's flow on the spec's user agent, asking the site in this process on a database of its own
    (the flows of a module, run while it is collected): SPEC[profile][observation] is the spec's value, and
    SPEC.row(id, source, rule) the row whose spec value its id names (<concern>/<profile>/<observation>). A
    flow that fails here fails the module's collection."""

    def __init__(self, flows: dict[str, Any]) -> None:
        with model_database() as folder:
            spec = Flows(SpecLab(), flows, base={"SESSION_FILE_PATH": str(folder)})
            self.values = {profile: spec(profile) for profile in flows}

    def __getitem__(self, profile: str) -> dict[str, Any]:
        return self.values[profile]

    def row(self, id: str, source: str, rule: str, **deviations: Any) -> Row:
        profile, observation = split_id(id)[1]
        return row(id, self.values[profile][observation], source, rule, **deviations)

    def refusal_row(self, id: str, source: str, rule: str, refused: Any, name: str, **deviations: Any) -> Row:
        """A row whose value refused means the cookie called name did not arrive (Django's answer for it); where
        the model's own value is that refusal, the model's rule for refusing or keeping back the cookie, from its
        flow's "words" (the user agent's refusals or withheld cookies), is the row's because."""
        profile, observation = split_id(id)[1]
        observed = self.values[profile]
        because = model_rule(observed["words"], name=name) if observed[observation] == refused else ""
        return self.row(id, source, rule, refused=refused, because=because, **deviations)
