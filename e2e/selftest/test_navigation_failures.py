"""Failed loads are named as failures in every backend, and the next load works; real loads are never failures.

Found by running an external cookie corpus through the lab: WebKitGTK's "Could not parse HTTP
response" error page passed as a load, Chromium's error page interrupted the next navigation,
and Firefox over BiDi gave no response object for a load that reached the server.
"""

import pytest

from e2e.harness.network.hosts import ORIGIN
from e2e.harness.runner import LabError, lab_url, octets


def test_a_response_refused_for_a_nul_is_a_named_failure(lab):
    """A Set-Cookie line with a NUL makes every engine refuse the response: the step fails and says so."""
    with pytest.raises(LabError, match=r"navigating to http://example\.test/raw\?b=YT0AbnVs failed: \S"):
        lab.go(lab_url(ORIGIN, "raw", b=octets(b"a=\x00nul")))


def test_the_load_after_a_failed_one_is_not_interrupted(lab):
    """After a refused response, the next navigation loads and reaches the server."""
    with pytest.raises(LabError):
        lab.go(lab_url(ORIGIN, "raw", b=octets(b"a=\x00nul")))
    assert lab.sent(ORIGIN)["path"] == "/echo"
    assert lab.stored() == []


def test_a_cookie_header_with_3_byte_utf8_is_a_load(lab):
    """A cookie written by script with 3-byte UTF-8 is sent, and the load that carries it counts as a load."""
    lab.script_write(ORIGIN, "u=\u2603; path=/")
    record = lab.sent(ORIGIN)
    assert record["cookie_header"].startswith("u="), record
