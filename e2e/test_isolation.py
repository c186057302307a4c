"""Isolation: no cookie leaks between tests, and the empty-jar guard really fires."""
import pytest

from harness.hosts import ORIGIN
from harness.runner import Lab, assert_empty_jar


def test_contexts_do_not_share_cookies(browser, browser_context_args, test_network, check):
    """A cookie set in one context is absent from a second context of the same browser."""
    first = Lab(browser.new_context(**browser_context_args), test_network)
    second = Lab(browser.new_context(**browser_context_args), test_network)
    try:
        first.set(ORIGIN, {"name": "iso", "value": "1"})
        check("isolation/second-context-jar", second.stored())
        check("isolation/second-context-sent", second.sent(ORIGIN)["cookies"])
    finally:
        first.context.close()
        second.context.close()


def test_empty_jar_guard_fails_on_leftover(browser, browser_context_args, test_network):
    """The guard every test starts with raises when a cookie is already there."""
    leftover = Lab(browser.new_context(**browser_context_args), test_network)
    try:
        leftover.set(ORIGIN, {"name": "left", "value": "over"})
        with pytest.raises(AssertionError, match="cookie jar not empty at test start"):
            assert_empty_jar(leftover.context, "test start")
    finally:
        leftover.context.close()


def test_each_observation_has_its_own_token(lab, test_network):
    """Server records are keyed by a fresh token per observation: an old echo cannot be read as new."""
    lab.set(ORIGIN, {"name": "tok", "value": "1"})
    lab.sent(ORIGIN)
    lab.drop(ORIGIN, {"name": "tok"})
    assert lab.sent(ORIGIN)["cookies"] == {}
    assert [record["cookies"] for record in lab.history] == [{"tok": "1"}, {}]
    assert test_network.log("a-token-nobody-used") == []
