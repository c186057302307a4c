"""Why a cookie was refused: each engine's own words, mapped onto the model's rules (rfc6265bis.IGNORED).

A reason is heard, not inferred: Chromium says it through the DevTools protocol (a CDP session over Playwright:
Network.responseReceivedExtraInfo lists each Set-Cookie line it blocked, with its blockedReasons); Firefox writes
a console message for each refusal, which the chrome context reads over Marionette (Services.console). Firefox over
Playwright's BiDi and WebKitGTK give the harness no reason (no cookie message reaches Playwright's console events,
measured: firefox 153.8.0; WebKitGTK has no reason at all): their refusals say "no reason given", a value, not a
blank.
"""

import re
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
}


# Firefox's console messages (netwerk/locales/en-US/necko.properties: CookieRejectedNonRequiresSecure2,
# CookieRejectedNonsecureOverSecure, CookieRejectedHttpOnlyButFromScript, CookieRejectedInvalidPrefix,
# CookieRejectedInvalidDomain, CookieOversize, CookieRejectedPartitionedRequiresSecure,
# CookieRejectedNonsecureSameSiteNone...; the English texts measured: firefox 153.8.0 and 140.12.0 over Marionette)
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
}
FIREFOX_NAME = re.compile(r"^Cookie “(.*?)” ")
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


class RefusalLog:
    """What an engine said of each cookie it refused to store since listening began: name -> its own words. pull,
    where given, reads what the engine has said since (a channel that is asked rather than told)."""

    def __init__(self, pull: Callable[[], list[str]] | None = None) -> None:
        self.words: dict[str, tuple[str, ...]] = {}
        self.pull = pull

    def heard(self) -> dict[str, tuple[str, ...]]:
        if self.pull is not None:
            for message in self.pull():
                if found := FIREFOX_NAME.match(message):
                    self.words[found.group(1)] = (message,)
        return dict(self.words)

    def chromium_response(self, params: dict[str, Any]) -> None:
        """Network.responseReceivedExtraInfo: each blocked Set-Cookie line, with its reasons."""
        for blocked in params.get("blockedCookies", []):
            self.words[cookie_name(blocked.get("cookieLine", ""))] = tuple(blocked.get("blockedReasons", ()))


def listen_chromium(context: Any, page: Any) -> RefusalLog:
    """A CDP session on page whose Network events fill a RefusalLog (Playwright's new_cdp_session: Chromium only)."""
    log = RefusalLog()
    cdp = context.new_cdp_session(page)
    cdp.on("Network.responseReceivedExtraInfo", log.chromium_response)
    cdp.send("Network.enable")
    return log


def rule_of(engine: str, words: tuple[str, ...]) -> str:
    """The model's rule an engine's words name: the first of its reasons that maps onto one (an engine may list a
    policy reason beside the rule), else its words as they are (an unmapped reason is a finding, not a blank)."""
    if not words:
        return NO_REASON
    if engine == "spec":  # the model's words are its rule
        return words[0]
    if engine == "firefox":
        return next((rule for phrase, rule in FIREFOX.items() if phrase in words[0]), words[0])
    rules = [CHROMIUM[word] for word in words if word in CHROMIUM]
    return next((rule for rule in rules if rule != "third-party"), rules[0] if rules else "+".join(words))
