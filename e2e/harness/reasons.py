"""Why a cookie was refused: each engine's own words, mapped onto the model's rules (rfc6265bis.IGNORED).

A reason is heard, not inferred: Chromium says it through the DevTools protocol (a CDP session over Playwright:
Network.responseReceivedExtraInfo lists each Set-Cookie line it blocked, with its blockedReasons); Firefox writes
a console message for each refusal to store, which the chrome context reads (over Marionette, or under Playwright
a listener of its own: backends/firefox_console.py). WebKitGTK gives the harness no reason: its refusals say
"no reason given", a value, not a blank.
"""

import contextlib
import itertools
import json
import re
import urllib.parse
from collections.abc import Callable
from typing import Any

NO_REASON = "no reason given"
STORED, SILENT = "stored", "refused without a word"  # a refusals row's other values besides a rule

# Chromium's SetCookieBlockedReason (https://chromedevtools.github.io/devtools-protocol/tot/Network/
# #type-SetCookieBlockedReason; net/cookies/cookie_inclusion_status.h names the same EXCLUDE_ reasons) -> the rule
# of RFC 6265bis-20 (or CHIPS, or a policy) that the reason is an instance of.
CHROMIUM = {
    "SyntaxError": "syntax",
    "DisallowedCharacter": "syntax",
    "NoCookieContent": "syntax",
    "NameValuePairExceedsMaxSize": "size",
    "SecureOnly": "secure-origin",
    "InvalidDomain": "domain",
    "InvalidPrefix": "prefix",
    "SameSiteNoneInsecure": "samesite-none-insecure",
    "SameSiteStrict": "samesite-cross-site",
    "SameSiteLax": "samesite-cross-site",
    "SameSiteUnspecifiedTreatedAsLax": "samesite-cross-site",
    "SchemefulSameSiteStrict": "samesite-cross-site",
    "SchemefulSameSiteLax": "samesite-cross-site",
    "OverwriteSecure": "leave-secure",
    "InvalidPartitionedCookie": "partitioned-insecure",
    "ThirdPartyPhaseout": "third-party",
    "ThirdPartyBlockedInFirstPartySet": "third-party",
    "UserPreferences": "third-party",
    # CookieBlockedReason, the send side (https://chromedevtools.github.io/devtools-protocol/tot/Network/
    # #type-CookieBlockedReason), where it names a rule the set side does not: section 5.8.3's matches.
    "NotOnPath": "path-match",
    "DomainMismatch": "domain-match",
    "SchemeMismatch": "origin-bound",
    "PortMismatch": "origin-bound",
}


# Firefox's console messages (netwerk/locales/en-US/necko.properties: CookieRejectedNonRequiresSecure2,
# CookieRejectedNonsecureOverSecure, CookieRejectedHttpOnlyButFromScript, CookieRejectedInvalidPrefix,
# CookieRejectedInvalidDomain, CookieOversize, CookieRejectedPartitionedRequiresSecure,
# CookieRejectedNonsecureSameSiteNone, CookieRejectedForNonSameSiteness...; the English texts measured: firefox
# 153.8.0 and 140.12.0 over Marionette)
# -> the rule each names, by a phrase of its text.
FIREFOX = {
    "non-HTTPS cookie can’t be set as “secure”": "secure-origin",
    "“SameSite=None” attribute but is missing the “secure” attribute": "samesite-none-insecure",
    "invalid prefix": "prefix",
    "invalid domain": "domain",
    "size is too big": "size",
    "existing “secure” cookie": "leave-secure",
    "HTTP-Only cookie but script tried to store a new one": "httponly-api",
    "“Partitioned” attribute but is missing the “secure” attribute": "partitioned-insecure",
    "in a cross-site context and its “SameSite” is “Lax” or “Strict”": "samesite-cross-site",  # ...ForNonSameSiteness
}
# The Cookie Store API's TypeError messages (measured: chromium 156.0.8078.114, firefox 153.8.0, webkitgtk 2.50.6;
# spec/cookie_store.FAILURES names the model's), any engine's -> the rule each names, by a phrase of its text.
# Chromium says only that the cookie was "malformed" for an oversize one too: the parser's failure, no size rule.
COOKIE_STORE = {
    "domain-match current host": "domain",
    "name and value both cannot be empty": "syntax",
    "name and value must not both be empty": "syntax",
    "was malformed and could not be stored": "syntax",
    "value contains invalid chars": "syntax",
    "must not contain ';'": "syntax",
    "size cannot be greater than 4096 bytes": "size",
    '"__Host-" prefix cannot have': "prefix",
    "with a __Host- prefix": "prefix",
    "uses special prefixes": "prefix",
    'begins with "__Host-"': "prefix",
}
FIREFOX_NAME = re.compile(r"^Cookie “(.*?)” ")
# A refusal to store says "rejected" or "is invalid because" (the size); the same console carries warnings
# about cookies it kept ("will soon be rejected because it is foreign") and cookies it left out of a request
# ("was omitted because of a cross-site redirect"), measured: firefox 140.12.0; neither is a refusal to store.
FIREFOX_REFUSED = re.compile(r"(?<!will soon be )rejected|is invalid because")
# The chrome context's script: the cookie messages of Firefox's console since a time (ms since the epoch).
FIREFOX_MESSAGES = """
const since = arguments[0];
return Services.console.getMessageArray()
  .filter(m => m instanceof Ci.nsIScriptError && m.timeStamp >= since && m.category.startsWith("cookie"))
  .map(m => m.errorMessage);
"""


def cookie_name(line: str) -> str:
    """The name a Set-Cookie line or a document.cookie string sets (section 5.6: before the first '=')."""
    pair = line.split(";", 1)[0]
    return pair.split("=", 1)[0].strip(" \t") if "=" in pair else ""


def said(refusals: dict[str, tuple[str, ...]] | None, name: str) -> str:
    """The engine's own words for refusing the cookie called name, as a check's why= ("" where it said none)."""
    return " ".join((refusals or {}).get(name, ()))


def said_of(refusals: dict[str, tuple[str, ...]] | None, name: str) -> str:
    """As said, after the cookie's name: for a row whose value does not name the cookie (a Django flow's answer)."""
    words = said(refusals, name)
    return f"{name}: {words}" if words else ""


def model_rule(*refusals: dict[str, tuple[str, ...]] | None, name: str) -> str:
    """The spec's user agent's rule for refusing the cookie called name, from the first of its refusals that
    names it (a row's because=; "" where none does)."""
    return next((found[name][0] for found in refusals if found and found.get(name)), "")


class RefusalLog:
    """What an engine said of each cookie it refused to store since listening began: name -> its own words. pull,
    where given, reads what the engine has said since (a channel that is asked rather than told)."""

    def __init__(self, pull: Callable[[], list[str]] | None = None, flush: Callable[[], Any] | None = None) -> None:
        self.words: dict[str, tuple[str, ...]] = {}
        self.pull = pull
        self.flush = flush  # a round trip to the engine, after which every event it sent before has been heard
        self.urls: dict[str, str] = {}  # a request's id -> its URL (the last hop's, after redirects)
        self.kept_back: dict[str, dict[str, tuple[str, ...]]] = {}  # a request's id -> cookie name -> reasons

    def heard(self) -> dict[str, tuple[str, ...]]:
        if self.flush is not None:
            self.flush()
        if self.pull is not None:
            for message in self.pull():
                if (found := FIREFOX_NAME.match(message)) and FIREFOX_REFUSED.search(message):
                    self.words[found.group(1)] = (message,)
        return dict(self.words)

    def chromium_response(self, params: dict[str, Any]) -> None:
        """Network.responseReceivedExtraInfo: each blocked Set-Cookie line, with its reasons."""
        for blocked in params.get("blockedCookies", []):
            self.words[cookie_name(blocked.get("cookieLine", ""))] = tuple(blocked.get("blockedReasons", ()))

    def chromium_request(self, params: dict[str, Any]) -> None:
        """Network.requestWillBeSent and webSocketCreated: which URL a request id is (the extra info names only
        the id)."""
        self.urls[params["requestId"]] = params["request"]["url"] if "request" in params else params["url"]

    def chromium_request_cookies(self, params: dict[str, Any]) -> None:
        """Network.requestWillBeSentExtraInfo: each cookie the request did not carry, with its reasons."""
        kept = {
            found["cookie"]["name"]: tuple(found["blockedReasons"])
            for found in params.get("associatedCookies", [])
            if found.get("blockedReasons")
        }
        self.kept_back.setdefault(params["requestId"], {}).update(kept)

    def withheld(self, token: str) -> dict[str, tuple[str, ...]]:
        """cookie name -> the engine's words for not sending it on the requests made under the lab's ?t=token."""
        if self.flush is not None:
            self.flush()
        found: dict[str, tuple[str, ...]] = {}
        for request, kept in self.kept_back.items():
            query = urllib.parse.parse_qs(urllib.parse.urlsplit(self.urls.get(request, "")).query)
            if query.get("t") == [token]:
                found.update(kept)
        return found


Send = Callable[[str, dict[str, Any]], Any]  # a DevTools command to one target: (method, params)
# Each frame in a process of its own (a cross-site iframe under site isolation) is a target of its own, attached
# as the page's child, paused until its listener is ready (waitForDebuggerOnStart); flatten=False carries its
# messages inside the page session's Target.receivedMessageFromTarget, which Playwright's CDPSession can read.
AUTO_ATTACH = {"autoAttach": True, "waitForDebuggerOnStart": True, "flatten": False}


class _Frames:
    """The page's Network events and its frames' (each frame target attached in turn, frames within frames)."""

    def __init__(self, log: RefusalLog) -> None:
        self.handlers: dict[str, Callable[[dict[str, Any]], None]] = {
            "Network.responseReceivedExtraInfo": log.chromium_response,
            "Network.requestWillBeSent": log.chromium_request,
            "Network.webSocketCreated": log.chromium_request,
            "Network.requestWillBeSentExtraInfo": log.chromium_request_cookies,
        }
        self.targets: dict[str, Send] = {}  # a child's session id -> how to send it a command
        self.ids = itertools.count(1)

    def event(self, method: str, params: dict[str, Any], send: Send) -> None:
        if method in self.handlers:
            self.handlers[method](params)
        elif method == "Target.attachedToTarget":
            self.attach(params["sessionId"], send)
        elif method == "Target.receivedMessageFromTarget" and params["sessionId"] in self.targets:
            message = json.loads(params["message"])
            if "method" in message:
                self.event(message["method"], message.get("params", {}), self.targets[params["sessionId"]])

    def attach(self, session: str, parent: Send) -> None:
        def send(method: str, params: dict[str, Any]) -> None:
            command = json.dumps({"id": next(self.ids), "method": method, "params": params})
            parent("Target.sendMessageToTarget", {"sessionId": session, "message": command})

        self.targets[session] = send
        with contextlib.suppress(Exception):  # a frame gone before it was heard: its requests with it
            for method, params in (("Network.enable", {}), ("Target.setAutoAttach", AUTO_ATTACH),
                                   ("Runtime.runIfWaitingForDebugger", {})):  # fmt: skip
                send(method, params)


def listen_chromium(context: Any, page: Any) -> RefusalLog:
    """A CDP session on page whose Network events, and its frames', fill a RefusalLog (Playwright's
    new_cdp_session: Chromium only): the Set-Cookie lines it blocked, and the cookies each request did not
    carry. A popup is a page of its own: its requests are not heard here; nor is a WebSocket handshake's cookies
    (no requestWillBeSentExtraInfo for one, measured: chromium 156)."""
    cdp = context.new_cdp_session(page)
    # The events reach Python only while Playwright's loop runs: a server that has seen the request does not
    # mean its events were read (a fetch's were not, measured: chromium 156), so each read asks a round trip first.
    log = RefusalLog(flush=lambda: cdp.send("Runtime.evaluate", {"expression": "0"}))
    frames = _Frames(log)

    def top(method: str, params: dict[str, Any]) -> Any:
        return cdp.send(method, params)

    for method in (*frames.handlers, "Target.attachedToTarget", "Target.receivedMessageFromTarget"):
        cdp.on(method, lambda params, method=method: frames.event(method, params, top))
    cdp.send("Network.enable")
    cdp.send("Target.setAutoAttach", AUTO_ATTACH)
    return log


def rule_of(engine: str, words: tuple[str, ...]) -> str:
    """The model's rule an engine's words name: the first of its reasons that maps onto one (an engine may list a
    policy reason beside the rule), else its words as they are (an unmapped reason is a finding, not a blank)."""
    if not words:
        return NO_REASON
    if engine == "spec":  # the model's words are its rule
        return words[0]
    text = " ".join(words)
    if found := next((rule for phrase, rule in COOKIE_STORE.items() if phrase in text), None):
        return found
    if engine == "firefox":
        return next((rule for phrase, rule in FIREFOX.items() if phrase in words[0]), words[0])
    rules = [CHROMIUM[word] for word in words if word in CHROMIUM]
    return next((rule for rule in rules if rule != "third-party"), rules[0] if rules else "+".join(words))
