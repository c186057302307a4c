"""The spec's user agent, driven by Lab's own steps: what a conforming browser stores, sends and shows to script.

A module runs its steps once on the browser (module_lab, lab) and once on a SpecLab, and reads each row's
spec value from the SpecLab's run as its test reads the browser's: one script, two user agents. Storage is
rfc6265bis.py's (sections 5.6 and 5.7, with the request's security and API), sending is sending.py's
(section 5.8.3). Only top-level navigations to the site's lab verbs are modelled here (set, drop, raw,
script, echo, from no initiator); frames, subresources and cross-site requests are sending.Request's, for
the SameSite and third-party modules.

The site's Set-Cookie lines are made by the site's own code (cookielab.spec, Django's set_cookie and
delete_cookie), so the model receives what the browser receives.
"""

import datetime
from typing import Any

from e2e.harness.runner import lab_url
from e2e.harness.spec.rfc6265bis import Cookie, serialize
from e2e.harness.spec.sending import Request, receive, sends, site_lines


class SpecLab:
    """The subset of Lab's steps and observations that top-level navigations make, on the spec's jar."""

    def __init__(self) -> None:
        self.jar: list[Cookie] = []
        self.now = datetime.datetime.now(datetime.UTC)

    # -- steps ---------------------------------------------------------------
    def set(self, origin: str, *specs: dict[str, Any], path: str = "") -> None:
        self._receive(lab_url(origin, "set", path), site_lines("set", list(specs)))

    def drop(self, origin: str, *specs: dict[str, Any], path: str = "") -> None:
        self._receive(lab_url(origin, "drop", path), site_lines("drop", list(specs)))

    def raw(self, origin: str, *headers: str, path: str = "") -> None:
        self._receive(lab_url(origin, "raw", path), list(headers))

    def script_write(self, origin: str, cookie_string: str, path: str = "") -> str:
        url = lab_url(origin, "script", path)
        self._receive(url, [cookie_string], http=False)
        return self._serialized(url, http=False)

    # -- observations ----------------------------------------------------------
    def stored(self, name: str | None = None) -> list[dict[str, Any]]:
        """As Lab.stored reports the jar: a Domain cookie's domain with its leading dot, as every engine here
        reports it; expires in seconds since the epoch (None: a session cookie); not the engine-reported
        sameSite."""
        cookies = [
            {
                "name": c.name,
                "value": c.value,
                "domain": c.domain if c.host_only else f".{c.domain}",
                "path": c.path,
                "secure": c.secure,
                "httpOnly": c.http_only,
                "expires": None if c.expiry is None else int(c.expiry.timestamp()),
            }
            for c in self.live()
            if name is None or c.name == name
        ]
        return sorted(cookies, key=lambda c: (c["name"], c["domain"], c["path"]))

    def stored_values(self) -> dict[str, str]:
        return {c["name"]: c["value"] for c in self.stored()}

    def sent(self, origin: str, path: str = "", exact: bool = False) -> dict[str, Any]:
        """The echo record a top-level navigation to origin+path/echo would give: the Cookie header and
        Django's parse of it."""
        from django.http.cookie import parse_cookie

        header = self._serialized(lab_url(origin, "echo", path, exact=exact), http=True) or None
        return {"cookie_header": header, "cookies": parse_cookie(header or "")}

    def script_read(self, origin: str, path: str = "") -> str:
        return self._serialized(lab_url(origin, "script", path), http=False)

    # -- the spec ----------------------------------------------------------------
    def _receive(self, url: str, lines: list[str], http: bool = True) -> None:
        receive(self.jar, lines, Request(url, site=None, top_level=True, http=http), self.now)

    def wait(self, seconds: float) -> None:
        """Let time pass on the spec's clock (the browser's passes by itself)."""
        self.now += datetime.timedelta(seconds=seconds)

    def live(self) -> list[Cookie]:
        """The jar without the cookies whose expiry has passed (section 5.5: removed, never sent)."""
        return [c for c in self.jar if c.expiry is None or c.expiry > self.now]

    def _serialized(self, url: str, http: bool) -> str:
        request = Request(url, site=None, top_level=True, http=http)
        found = [c for c in self.live() if sends(c, request)]
        return serialize(sorted(found, key=lambda c: (-len(c.path), c.created)))  # section 5.8.3 step 2
