"""The Cookie Store Standard on the spec's user agent: SpecLab.cookie_store, with PageCookieStore's methods."""

import urllib.parse
from typing import Any, Protocol

from e2e.harness.spec.rfc6265bis import FORBIDDEN, NAME_VALUE_LIMIT, Cookie
from e2e.harness.spec.sending import Request, origin_of, secure_channel


class Document(Protocol):
    """What the store needs of the spec's user agent that holds it (SpecLab): its current document's URL, its
    jar's storage and visibility, and a request the document makes."""

    url: str

    def accept(self, url: str, lines: list[str], http: bool = True) -> None: ...

    def visible(self, url: str, http: bool) -> list[Cookie]: ...

    def fetch(self, request: Request, fields: dict[str, str] | None = None) -> Any: ...


REFUSED = "refused: TypeError"  # how PageCookieStore reports a rejected promise
# The standard's "set a cookie" failures (https://cookiestore.spec.whatwg.org/#set-a-cookie), each under the rule of
# RFC 6265bis-20 it is an instance of (rfc6265bis.IGNORED), or a rule of its own: the model's words for a refusal.
FAILURES = {
    "syntax": "a control character or ';' in the name or value, or an empty name with an empty value or '='",
    "size": "name and value over 4096 bytes",
    "domain": "a domain the document's host does not domain-match",
    "path": "a path not starting with /",
    "prefix": "a __Host- cookie with a domain or a path other than /",
}


class CookieStore:
    """The Cookie Store Standard's set(), get(), getAll() and delete() in the SpecLab's current document: each
    builds the cookie the standard describes, refused with a TypeError where the standard says so, and hands it
    to the storage model as a non-HTTP API (section 5.7 with http=False); get() and getAll() see what
    document.cookie sees. Answers are shaped as PageCookieStore (e2e/harness/cookie_store.py) shapes the engine's."""

    def __init__(self, lab: Document) -> None:
        self.lab = lab
        self.said = ""  # the last refusal's rule: a key of FAILURES

    def set(self, *args: Any) -> str:
        given = args[0] if len(args) == 1 and isinstance(args[0], dict) else {"name": args[0], "value": args[1]}
        try:
            line = self._line(given["name"], given.get("value", ""), given, expires=given.get("expires"))
        except ValueError as failure:
            self.said = str(failure)
            return REFUSED
        self.lab.accept(self.lab.url, [line], http=False)
        return "set"

    def delete(self, given: str | dict[str, Any]) -> str:
        options = {"name": given} if isinstance(given, str) else given
        try:
            line = self._line(options["name"], "", options, expires=0)
        except ValueError as failure:
            self.said = str(failure)
            return REFUSED
        self.lab.accept(self.lab.url, [line], http=False)
        return "deleted"

    def get(self, given: str | dict[str, Any]) -> dict[str, str] | None:
        found = self.get_all_items(given)
        return found[0] if found else None

    def get_all(self, given: str | None = None) -> list[str]:
        """As PageCookieStore.get_all reports it: the names, sorted, or with a name the matching values."""
        if given is None:
            return sorted(item["name"] for item in self.get_all_items(None))
        return [item["value"] for item in self.get_all_items(given)]

    def available(self) -> bool:
        """[SecureContext]: a secure document has cookieStore."""
        return secure_channel(self.lab.url)

    def get_all_items(self, given: str | dict[str, Any] | None) -> list[dict[str, str]]:
        name = given.get("name") if isinstance(given, dict) else given
        visible = self.lab.visible(self.lab.url, http=False)
        return [{"name": c.name, "value": c.value} for c in visible if name is None or c.name == name]

    def changes(self, set_cookie_url: str, written: str, deleted: str) -> list[dict[str, list[str]]]:
        """The change events a listener in the current document receives (the standard's "process cookie
        changes": per change, the cookies script can see that were inserted or replaced, and those removed)
        while a fetch of set_cookie_url receives its Set-Cookie, script writes document.cookie and delete()
        runs; a change script cannot see fires nothing."""
        site = origin_of(self.lab.url)
        steps = (
            lambda: self.lab.fetch(Request(set_cookie_url, site=site)),
            lambda: self.lab.accept(self.lab.url, [written], http=False),
            lambda: self.delete(deleted),
        )
        seen = []
        for step in steps:
            before = self._seen()
            step()
            after = self._seen()
            event = {
                "changed": [f"{key[0]}={value}" for key, value in after.items() if before.get(key) != value],
                "deleted": [key[0] for key in before if key not in after],
            }
            if event["changed"] or event["deleted"]:
                seen.append(event)
        return seen

    def _seen(self) -> dict[tuple[str, str, str], str]:
        return {(c.name, c.domain, c.path): c.value for c in self.lab.visible(self.lab.url, http=False)}

    def _line(self, name: str, value: str, options: dict[str, Any], expires: float | None) -> str:
        """The standard's "set a cookie" checks, then the cookie as a Set-Cookie line; ValueError(a key of FAILURES):
        a TypeError."""
        host = urllib.parse.urlsplit(self.lab.url).hostname or ""
        domain, path = options.get("domain"), options.get("path", "/")
        if any(FORBIDDEN.search(text) or ";" in text for text in (name, value)):  # control characters, ";"
            raise ValueError("syntax")
        if (not name and not value) or (not name and "=" in value):
            raise ValueError("syntax")
        if len((name + value).encode()) > NAME_VALUE_LIMIT:
            raise ValueError("size")
        if domain is not None and (domain.startswith(".") or not (host == domain or host.endswith("." + domain))):
            raise ValueError("domain")
        if not path.startswith("/"):
            raise ValueError("path")
        if name.lower().startswith("__host-") and (domain is not None or path != "/"):
            raise ValueError("prefix")
        same_site = {"strict": "Strict", "lax": "Lax", "none": "None"}[options.get("sameSite", "strict")]
        line = f"{name}={value}; Path={path}; Secure; SameSite={same_site}"
        line += f"; Domain={domain}" if domain is not None else ""
        if expires is not None:  # milliseconds since the epoch
            from django.utils.http import http_date

            line += f"; Expires={http_date(expires / 1000)}"
        return line
