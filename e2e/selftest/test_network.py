"""The test network is closed: test hosts reach the site, every other host is refused."""

import http.client
import json
import socket

import pytest

from e2e.harness.network.hosts import CROSS_SITE_ORIGIN, ORIGIN, SECURE_ORIGIN, TEST_HOSTS
from e2e.harness.runner import Lab, LabError


def test_proxy_listens_on_loopback_only(test_network):
    """The proxy answers on 127.0.0.1 and nowhere else: another address of this machine is refused."""
    socket.create_connection(("127.0.0.1", test_network.proxy.port), timeout=5).close()
    # 127.0.0.2 is this machine too: a proxy bound to every address (0.0.0.0) would answer there.
    with pytest.raises(ConnectionRefusedError):
        socket.create_connection(("127.0.0.2", test_network.proxy.port), timeout=5)


@pytest.mark.parametrize("host", TEST_HOSTS)
@pytest.mark.parametrize("scheme", ["http", "https"])
def test_every_test_host_reaches_the_site(test_network, scheme, host):
    """Each test host answers over http and https on default ports, and says which scheme."""
    status, _, body = test_network.fetch(f"{scheme}://{host}/echo")
    assert status == 200
    assert b'"scheme": "%s"' % scheme.encode() in body
    assert b'"host": "%s"' % host.encode() in body


@pytest.mark.parametrize(
    "url",
    ["http://example.com/", "http://127.0.0.1/", "http://[::1]/", "http://example.test:8080/", "http://test/"],
)
def test_proxy_refuses_plain_request_to_other_host(test_network, url):
    """A plain request to any non-test host (names, IP literals, other ports) gets 403 naming it."""
    status, _, body = test_network.fetch(url)
    assert status == 403
    assert body.startswith(b"cookie-lab proxy refused ")


@pytest.mark.parametrize("target", ["example.com:443", "127.0.0.1:443", "example.test:8443"])
def test_proxy_refuses_connect_to_other_host(test_network, target):
    """CONNECT to anything but a test host's port 443 gets 403."""
    with socket.create_connection(("127.0.0.1", test_network.proxy.port), timeout=5) as sock:
        sock.sendall(f"CONNECT {target} HTTP/1.1\r\nHost: {target}\r\n\r\n".encode())
        answer = http.client.HTTPResponse(sock, method="CONNECT")
        answer.begin()
        assert answer.status == 403
        assert answer.read().decode().startswith(f"cookie-lab proxy refused {target}: ")


def test_https_to_other_host_fails_through_proxy(test_network):
    """A CONNECT to a non-test host fails: the tunnel is refused with 403."""
    with pytest.raises(OSError, match="403"):
        test_network.fetch("https://example.com/")


PROXY_ENVIRONMENT = {
    "HTTP_PROXY": "http://127.0.0.1:9",
    "HTTPS_PROXY": "http://127.0.0.1:9",
    "ALL_PROXY": "http://127.0.0.1:9",
    "http_proxy": "http://127.0.0.1:9",
    "https_proxy": "http://127.0.0.1:9",
    "no_proxy": "example.test,127.0.0.1,localhost",
}


def test_harness_requests_ignore_proxy_environment(test_network, backend, monkeypatch):
    """Proxy variables pointing nowhere change nothing: log reads, fetches and new browser sessions go direct."""
    for name, value in PROXY_ENVIRONMENT.items():
        monkeypatch.setenv(name, value)
    assert test_network.log("nobody-used-this-token") == []
    for scheme in ("http", "https"):
        status, _, body = test_network.fetch(f"{scheme}://example.test/echo")
        assert (status, json.loads(body)["scheme"]) == (200, scheme)
    session = backend.new_session()
    try:
        assert Lab(session, test_network).sent(ORIGIN)["host"] == "example.test"
    finally:
        session.close()


def test_browser_cannot_reach_non_test_host(lab):
    """A browser navigation to http://example.com/ gets the proxy's refusal, not the internet."""
    assert lab.go("http://example.com/") in (403, None)  # None: WebDriver reports no status
    assert lab.text("body").startswith("cookie-lab proxy refused example.com")


def test_browser_https_to_non_test_host_fails(lab, test_network):
    """A browser navigation to https://example.com/ fails at the refused CONNECT."""
    with pytest.raises(LabError, match="navigating to https://example.com/ failed"):
        lab.go("https://example.com/")
    assert "example.com:443" in test_network.proxy.refused


@pytest.mark.parametrize("origin", [SECURE_ORIGIN, CROSS_SITE_ORIGIN])
def test_browser_reaches_test_hosts(lab, origin):
    """Browser navigations to test hosts arrive with the scheme and host the page used."""
    sent = lab.sent(origin)
    assert f"{sent['scheme']}://{sent['host']}" == origin
