"""The site's WebSocket handshake: Django sees the request (the echo verb keeps its cookies), then a 101 from
wsproto and a close; a request that only claims to upgrade gets a 400 naming what is missing."""

import socket

import pytest

from cookielab import lab
from cookielab.server import SiteServer

HANDSHAKE = (
    "GET /echo?t={token} HTTP/1.1\r\nHost: example.test\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
    "{more}Cookie: a=1; b=2\r\n\r\n"
)
KEY = "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n"


@pytest.fixture(scope="module")
def site():
    with SiteServer() as server:
        yield server


def answer(site, request: str) -> bytes:
    with socket.create_connection(("127.0.0.1", site.port), timeout=10) as sock:
        sock.sendall(request.encode())
        received = b""
        while chunk := sock.recv(65536):
            received += chunk
    return received


def test_a_handshake_is_switched_after_django_kept_its_cookies(site):
    received = answer(site, HANDSHAKE.format(token="ws-good", more=KEY))
    head = received.split(b"\r\n\r\n", 1)[0].split(b"\r\n")
    assert head[0] == b"HTTP/1.1 101 Switching Protocols", head
    # RFC 6455 section 1.3's own example key and its accept value
    assert b"Sec-WebSocket-Accept: s3pPLMBiTxaQ9kYGzzhZRbK+xOo=" in head
    assert received.split(b"\r\n\r\n", 1)[1][:1] == b"\x88"  # a close frame follows at once
    assert lab._log["ws-good"][0]["cookies"] == {"a": "1", "b": "2"}


def test_an_upgrade_without_a_key_is_a_400(site):
    received = answer(site, HANDSHAKE.format(token="ws-bad", more=""))
    assert received.startswith(b"HTTP/1.1 400 not a WebSocket handshake: Missing header"), received[:200]
