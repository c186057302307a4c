"""Third-party cookie policy: a named setting of every run, pinned in each engine and named in its line.

What a cross-site frame or subresource may send and store is a browser setting,
not an engine trait, and the one that most decides whether an embedded app works.
A policy name says what the setting does; each engine reaches it its own way:

- allowed: third-party contexts send and store cookies like any other (SameSite decides).
- blocked: a third-party context neither sends nor stores unpartitioned cookies
  (CHIPS `Partitioned` cookies still work where the engine has them).
- partitioned: a third-party context gets a jar of its own per top-level site (Firefox's Total Cookie
  Protection).
- no-third-party: WebKitGTK's accept policy: a third-party context sends the cookies the site
  already has but cannot set new ones (libsoup's SOUP_COOKIE_JAR_ACCEPT_NO_THIRD_PARTY).

`default` picks each engine's shipped default for a regular profile.
"""

import difflib

ENGINES_POLICIES = {
    # Measured: chromium 156.0.8078.108 (Debian build, Playwright 1.64.1): a regular persistent profile
    # and Playwright's contexts block third-party cookies unless the profile's
    # profile.cookie_controls_mode is 0 ("allow third-party cookies"); --test-third-party-cookie-phaseout,
    # --policy and CDP Network.setCookieControls(false) did not allow them.
    "chromium": {"blocked": "its default here", "allowed": "cookie_controls_mode=0"},
    # network.cookie.cookieBehavior (https://searchfox.org/mozilla-esr140/source/modules/libpref/init/StaticPrefList.yaml):
    # 0 accept all, 1 reject foreign, 5 partition foreign (the default since Firefox 103).
    "firefox": {"allowed": "cookieBehavior=0", "blocked": "cookieBehavior=1", "partitioned": "cookieBehavior=5"},
    # WebKitGTK's WebKitCookieAcceptPolicy and ITP (WebKitWebsiteDataManager:itp-enabled). Measured:
    # webkitgtk 2.50.6 with ITP on sends no cookie to a cross-site iframe or fetch (full third-party
    # blocking, as Safari); with no-third-party it sends the site's cookies there.
    "webkit": {
        "allowed": "cookie-policy=always, itp=off",
        "no-third-party": "cookie-policy=no-third-party, itp=off",
        "blocked": "cookie-policy=no-third-party, itp=on",
    },
}
DEFAULTS = {
    "chromium": "blocked",  # measured (above): Debian's Chromium blocks them in a regular profile
    "firefox": "partitioned",  # https://blog.mozilla.org/en/firefox/firefox-rolls-out-total-cookie-protection-by-default-to-all-users-worldwide/
    "webkit": "no-third-party",  # WebKitCookieManager's default accept policy; ITP is off unless an app turns it on
}
FIREFOX_BEHAVIOR = {"allowed": 0, "blocked": 1, "partitioned": 5}
WEBKIT_SETTINGS = {
    "allowed": (("cookie-policy", "always"), ("itp", "off")),
    "no-third-party": (("cookie-policy", "no-third-party"), ("itp", "off")),
    "blocked": (("cookie-policy", "no-third-party"), ("itp", "on")),
}


class PolicyError(ValueError):
    """A --third-party value no engine asked for can take."""


def parse(values: list[str], engines: list[str]) -> dict[str, str]:
    """--third-party values -> {engine: policy} for each engine of the run.

    "allowed" sets every engine; "firefox=partitioned" one; later values win; "default" is each
    engine's shipped default. Raises PolicyError naming the value and the choices.
    """
    chosen = dict(DEFAULTS)
    for value in values:
        engine, _, policy = value.rpartition("=")
        targets = [engine] if engine else list(engines)
        for target in targets:
            if target not in ENGINES_POLICIES:
                raise PolicyError(f"--third-party {value}: unknown engine {target!r} (chromium, firefox, webkit)")
            choices = ("default", *ENGINES_POLICIES[target])
            if policy not in choices:
                near = difflib.get_close_matches(policy, choices, n=1)
                hint = f"did you mean {near[0]}? " if near else ""
                raise PolicyError(
                    f"--third-party {value}: {target} has no {policy!r} policy ({hint}it has {', '.join(choices)})"
                )
            chosen[target] = DEFAULTS[target] if policy == "default" else policy
    return {engine: chosen[engine] for engine in engines}


def describe(engine: str, policy: str) -> str:
    """How the policy is pinned in this engine, for the engine line."""
    return ENGINES_POLICIES[engine][policy]
