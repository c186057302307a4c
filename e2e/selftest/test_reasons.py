"""reasons.py: an engine's own words for a refused cookie, tied to its cookie and mapped onto the model's rules."""

import json

from e2e.harness.reasons import CHROMIUM, FIREFOX, NO_REASON, RefusalLog, cookie_name, rule_of
from e2e.harness.spec.rfc6265bis import IGNORED
from e2e.harness.spec.sending import WITHHELD, Request, excluded, jar


def test_every_chromium_reason_names_a_rule_of_the_model():
    assert set(CHROMIUM.values()) <= set(IGNORED) | set(WITHHELD)


def test_the_model_names_the_rule_that_kept_a_cookie_from_a_request():
    cookies = {c.name: c for c in jar(["s=1; SameSite=Strict", "p=1; Path=/a", "h=1; HttpOnly", "x=1; Secure"],
                                      "https://example.test")}  # fmt: skip
    cross = Request("https://example.test/echo", "https://other.test")
    assert excluded(cookies["s"], cross) == "samesite-cross-site"
    assert excluded(cookies["p"], Request("https://example.test/b", None, top_level=True)) == "path-match"
    assert excluded(cookies["h"], Request("https://example.test/", None, top_level=True, http=False)) == "httponly-api"
    assert excluded(cookies["x"], Request("http://example.test/", None, top_level=True)) == "secure-origin"
    assert excluded(cookies["x"], Request("https://www.example.test/", None, top_level=True)) == "domain-match"
    assert excluded(cookies["s"], Request("https://example.test/", "https://example.test")) is None
    assert {excluded(c, cross) for c in cookies.values()} <= set(WITHHELD) | {None}


def test_a_cookie_a_request_did_not_carry_is_kept_under_that_request_s_token():
    log = RefusalLog()
    log.chromium_request({"requestId": "1", "request": {"url": "https://example.test/echo?t=abc"}})
    log.chromium_request({"requestId": "2", "url": "wss://example.test/echo?t=def"})  # a WebSocket
    log.chromium_request_cookies({"requestId": "1", "associatedCookies": [
        {"cookie": {"name": "s"}, "blockedReasons": ["SameSiteStrict"]},
        {"cookie": {"name": "ok"}, "blockedReasons": []},
    ]})  # fmt: skip
    log.chromium_request_cookies({"requestId": "2", "associatedCookies": [
        {"cookie": {"name": "w"}, "blockedReasons": ["UserPreferences"]}]})  # fmt: skip
    assert log.withheld("abc") == {"s": ("SameSiteStrict",)}
    assert log.withheld("def") == {"w": ("UserPreferences",)}
    assert log.withheld("none") == {}


def test_a_blocked_line_is_kept_under_its_cookie_name():
    log = RefusalLog()
    log.chromium_response({"blockedCookies": [
        {"cookieLine": "__Host-a=1; Secure; Domain=example.test", "blockedReasons": ["InvalidPrefix", "InvalidDomain"]},
        {"cookieLine": "nameless", "blockedReasons": ["SyntaxError"]},
    ]})  # fmt: skip
    assert log.words == {"__Host-a": ("InvalidPrefix", "InvalidDomain"), "": ("SyntaxError",)}


def test_a_rule_wins_over_a_policy_and_unknown_words_stay_as_said():
    assert rule_of("chromium", ("ThirdPartyPhaseout", "SecureOnly")) == "secure-origin"
    assert rule_of("chromium", ("ThirdPartyPhaseout",)) == "third-party"
    assert rule_of("chromium", ("SomethingNew", "Other")) == "SomethingNew+Other"
    assert rule_of("firefox", ()) == NO_REASON
    assert rule_of("spec", ("domain",)) == "domain"


def test_the_name_a_line_sets():
    assert cookie_name(" a = 1; Path=/") == "a"
    assert cookie_name("=v") == "" and cookie_name("v") == ""


def test_firefox_messages_are_kept_under_their_cookie_and_name_their_rule():
    said = ["Cookie “rf_secure” has been rejected because a non-HTTPS cookie can’t be set as “secure”.",
            "Cookie “__Host-x” has been rejected for invalid prefix.", "Some other console line",
            "Cookie “kept” with the “SameSite” attribute value “Lax” or “Strict” was omitted because of a cross-site "
            "redirect.", "Cookie “foreign” will soon be rejected because it is foreign and does not have the "
            "“Partitioned“ attribute.", "Cookie “n” rejected because it has the “SameSite=None” attribute but is "
            "missing the “secure” attribute."]  # fmt: skip
    log = RefusalLog(pull=lambda: said)
    heard = log.heard()
    assert set(heard) == {"rf_secure", "__Host-x", "n"}
    assert rule_of("firefox", heard["rf_secure"]) == "secure-origin"
    assert rule_of("firefox", heard["__Host-x"]) == "prefix"
    assert rule_of("firefox", ("Cookie “a” did something new.",)) == "Cookie “a” did something new."
    assert set(FIREFOX.values()) <= set(IGNORED)


def test_the_agreement_table_counts_each_engine_and_lists_the_findings():
    from e2e.harness.report.agreement import OTHER, SAME, agreement

    def scenario(model, **said):
        return {"category": "refusals", "spec": {"value": model, "source": ""},
                "engines": {engine: {"observed": value} for engine, value in said.items()}}  # fmt: skip

    report = {"schema": 4, "engines": {}, "scenarios": {
        "refusals/a/why": scenario("secure-origin", chromium="secure-origin", firefox="prefix", webkit=NO_REASON),
        "refusals/b/why": scenario("prefix", chromium="stored", firefox="prefix", webkit="stored"),
        "secure/x": {"category": "secure", "spec": {"value": True, "source": ""}, "engines": {"chromium": {"observed": 1}}},
    }}  # fmt: skip
    counts, findings = agreement(report)
    assert counts["chromium"][SAME] == 1 and counts["chromium"]["stored"] == 1
    assert counts["firefox"][SAME] == 1 and counts["firefox"][OTHER] == 1
    assert counts["webkit"][NO_REASON] == 1 and counts["webkit"]["stored"] == 1
    assert findings == [("refusals/a/why", "firefox", "prefix", "secure-origin")]


def test_a_row_that_says_why_is_counted_against_the_model_s_rule_and_in_the_coverage():
    from e2e.harness.report.agreement import OTHER, SAME, agreement, coverage

    def sent(because, **cells):
        return {"category": "samesite", "refused": False, "spec": {"value": not because, "source": "", "because": because},
                "engines": cells}  # fmt: skip

    report = {"schema": 4, "engines": {}, "scenarios": {
        "demo/strict/link": sent("samesite-cross-site", chromium={"observed": False, "why": "SameSiteStrict"},
                                                firefox={"observed": False}, webkit={"observed": True}),
        "demo/none/http-link": sent("secure-origin", chromium={"observed": False, "why": "SameSiteLax"}),
        # the model sends it; the engine's policy does not: a refusal with words, against no rule of the model's
        "demo/none/img": sent("", chromium={"observed": False, "why": "UserPreferences"},
                                                firefox={"observed": False}),
        "refusals/a/why": {"category": "refusals", "spec": {"value": "prefix", "source": ""},
                           "engines": {"chromium": {"observed": "prefix"}, "webkit": {"observed": "stored"}}},
    }}  # fmt: skip
    counts, findings = agreement(report)
    assert counts["chromium"][SAME] == 2 and counts["chromium"][OTHER] == 1
    assert counts["firefox"][NO_REASON] == 1 and counts["webkit"]["stored"] == 1
    assert findings == [("demo/none/http-link", "chromium", "samesite-cross-site", "secure-origin")]
    # chromium: 4 refusals, each with words; firefox: 2 without; webkit: a cookie sent and one stored are none
    assert coverage(report) == {"chromium": (4, 4), "firefox": (0, 2)}


def test_a_frame_in_a_process_of_its_own_is_heard_through_the_page_session():
    import json

    from e2e.harness.reasons import _Frames

    log, sent = RefusalLog(), []
    frames = _Frames(log)
    frames.event("Target.attachedToTarget", {"sessionId": "F"}, lambda method, params: sent.append((method, params)))
    inner = [json.loads(params["message"])["method"] for method, params in sent]
    assert {method for method, _ in sent} == {"Target.sendMessageToTarget"}
    assert inner == ["Network.enable", "Target.setAutoAttach", "Runtime.runIfWaitingForDebugger"]
    for method, params in (
        ("Network.requestWillBeSent", {"requestId": "9", "request": {"url": "https://example.test/echo?t=tok"}}),
        (
            "Network.requestWillBeSentExtraInfo",
            {"requestId": "9", "associatedCookies": [{"cookie": {"name": "s"}, "blockedReasons": ["SameSiteStrict"]}]},
        ),  # fmt: skip
    ):
        message = json.dumps({"method": method, "params": params})
        frames.event("Target.receivedMessageFromTarget", {"sessionId": "F", "message": message}, lambda *a: None)
    assert log.withheld("tok") == {"s": ("SameSiteStrict",)}


def test_firefox_s_own_installation_adds_the_listener_and_leaves_the_system_s_untouched(tmp_path):
    from e2e.harness.backends.firefox_console import AUTOCONFIG, CONFIG, installation

    system = tmp_path / "system"
    (system / "defaults" / "pref").mkdir(parents=True)
    (system / "defaults" / "pref" / "channel-prefs.js").write_text('pref("app.update.channel", "esr");')
    (system / "firefox-esr").write_bytes(b"\x7fELF binary")
    (system / "libxul.so").write_bytes(b"library")
    before = sorted(str(p.relative_to(system)) for p in system.rglob("*"))
    (tmp_path / "own").mkdir()
    own = installation(str(system / "firefox-esr"), tmp_path / "own")
    # Firefox takes its installation from the executable's real path: a copy, not a link.
    assert own == tmp_path / "own" / "firefox-esr" and not own.is_symlink() and own.read_bytes() == b"\x7fELF binary"
    assert (tmp_path / "own" / "libxul.so").resolve() == system / "libxul.so"
    assert (
        tmp_path / "own" / "defaults" / "pref" / "channel-prefs.js"
    ).resolve().parent == system / "defaults" / "pref"
    assert (tmp_path / "own" / "defaults" / "pref" / "cookie-lab-autoconfig.js").read_text() == AUTOCONFIG
    assert (tmp_path / "own" / CONFIG).read_text().startswith("// ")  # Firefox skips the first line
    assert sorted(str(p.relative_to(system)) for p in system.rglob("*")) == before


class _Page:
    """A page whose cookie writes Firefox's listener reports, as the console listener would write them."""

    url = "https://example.test/"

    def __init__(self, console):
        self.console = console

    def evaluate(self, script, name):
        with self.console.open("a") as out:
            out.write(json.dumps(f"Cookie “{name}” has been rejected for invalid prefix.") + "\n")


def test_firefox_s_console_file_is_read_from_where_listening_began_up_to_the_page_s_mark(tmp_path):
    from e2e.harness.backends.firefox_console import listen

    console = tmp_path / "console.jsonl"
    console.write_text(json.dumps("Cookie “before” has been rejected for invalid prefix.") + "\n")
    log = listen(_Page(console), console)
    with console.open("a") as out:
        out.write(
            json.dumps("Cookie “s” has been rejected because a non-HTTPS cookie can’t be set as “secure”.") + "\n"
        )
    assert set(log.heard()) == {"s"}  # neither the earlier cookie nor the mark
    assert rule_of("firefox", log.heard()["s"]) == "secure-origin"


def test_cookie_store_messages_name_the_model_s_failures():
    from e2e.harness.reasons import COOKIE_STORE
    from e2e.harness.spec.cookie_store import FAILURES

    assert set(COOKIE_STORE.values()) <= set(FAILURES)
    said = {  # as the engines word them (measured: chromium 156, firefox 153, webkitgtk 2.50.6)
        "Failed to execute 'set' on 'CookieStore': Cookie domain must domain-match current host": "domain",
        "The cookie name and value must not both be empty.": "syntax",
        "Cookie name and value size cannot be greater than 4096 bytes": "size",
        "Cookie path cannot be different than '/' when the cookie name uses special prefixes": "prefix",
    }
    for words, rule in said.items():
        assert rule_of("chromium" if words.startswith("Failed") else "firefox", (words,)) == rule
    assert rule_of("chromium", ("SecureOnly",)) == "secure-origin"  # Chromium's reason names still go by name
