"""Isolation: no cookie leaks between sessions or tests, and the empty-jar guard really fires."""

import pytest

from e2e.harness.network.hosts import ORIGIN, SECURE_ORIGIN
from e2e.harness.rows import row
from e2e.harness.runner import Lab

ISOLATION = (
    "Playwright docs: browser contexts are isolated (https://playwright.dev/python/docs/browser-contexts); "
    "WebKitGTK: each WebDriver session is a browser with its own ephemeral data store"
)
SECOND_JAR = row(
    "isolation/second-context-jar", [], ISOLATION, "A second session's jar does not hold the first one's cookie."
)
SECOND_SENT = row(
    "isolation/second-context-sent", {}, ISOLATION, "A second session sends none of the first one's cookies."
)


@pytest.fixture
def two_labs(backend, test_network):
    sessions = [backend.new_session(), backend.new_session()]
    yield [Lab(session, test_network) for session in sessions]
    for session in sessions:
        session.close()


def test_sessions_do_not_share_cookies(two_labs, check):
    """A cookie set in one session is absent from a second session of the same engine."""
    first, second = two_labs
    first.set(ORIGIN, {"name": "iso", "value": "1"})
    check(SECOND_JAR, second.stored())
    check(SECOND_SENT, second.sent(ORIGIN)["cookies"])


def test_empty_jar_guard_fails_on_leftover(lab):
    """The guard every test starts with raises when a cookie is already there, even one no page shows."""
    # Secure and on a path: invisible from an http page at /, yet part of the jar.
    lab.set(SECURE_ORIGIN, {"name": "left", "value": "over", "secure": True, "path": "/hidden"})
    with pytest.raises(AssertionError, match="cookie jar not empty at test start"):
        lab.assert_empty_jar("test start")


def test_each_observation_has_its_own_token(lab, test_network):
    """Server records are keyed by a fresh token per observation: an old echo cannot be read as new."""
    lab.set(ORIGIN, {"name": "tok", "value": "1"})
    lab.sent(ORIGIN)
    lab.drop(ORIGIN, {"name": "tok"})
    assert lab.sent(ORIGIN)["cookies"] == {}
    assert [record["cookies"] for record in lab.history] == [{"tok": "1"}, {}]
    assert test_network.log("a-token-nobody-used") == []
