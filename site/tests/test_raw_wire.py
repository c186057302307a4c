"""The raw verb on the wire: any Set-Cookie bytes go out exactly, inside their own line, and nothing else can."""

import base64
import socket

import pytest

from cookielab.server import SiteServer


@pytest.fixture(scope="module")
def site():
    with SiteServer() as server:
        yield server


def b64(raw: bytes) -> str:
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


def wire(site, query: str) -> list[bytes]:
    """The response head's lines, split on CRLF only, as a client reading the raw bytes sees them."""
    with socket.create_connection(("127.0.0.1", site.port), timeout=10) as sock:
        sock.sendall(f"GET /raw?{query} HTTP/1.1\r\nHost: example.test\r\nConnection: close\r\n\r\n".encode())
        answer = b""
        while chunk := sock.recv(65536):
            answer += chunk
    return answer.split(b"\r\n\r\n", 1)[0].split(b"\r\n")


@pytest.mark.parametrize(
    "raw",
    [
        b"a=\x00nul",
        b"a=lone\rcr",
        b"a=\x7fdel",
        b"\ta\t=\tb\t",
        "\u00e9t\u00e9=caf\u00e9 \u2603".encode(),
        b"a=\x01\x1f",
    ],
    ids=["nul", "lone-cr", "del", "tabs", "utf-8", "controls"],
)
def test_raw_bytes_go_on_the_wire_exactly(site, raw):
    """b= bytes Django's response refuses appear byte for byte as one Set-Cookie line."""
    lines = wire(site, f"b={b64(raw)}")
    assert lines[0].startswith(b"HTTP/1.1 200 ")
    assert [line for line in lines if line.lower().startswith(b"set-cookie:")] == [b"Set-Cookie: " + raw]


@pytest.mark.parametrize(
    "raw",
    [b"a=1\r\nX-Injected: 1", b"a=1\nX-Injected: 1", b"a=1\r\n\r\n<html>split</html>", b"\n"],
    ids=["crlf-header", "lf-header", "split-response", "bare-lf"],
)
def test_raw_bytes_cannot_add_a_header_or_split_the_response(site, raw):
    """Any LF, alone or after CR, is refused with a 400 naming b: no other header, no second response."""
    lines = wire(site, f"b={b64(raw)}")
    assert lines[0].startswith(b"HTTP/1.1 400 "), lines[0]
    assert not any(line.lower().startswith((b"x-injected", b"set-cookie")) for line in lines)


def test_lone_cr_stays_inside_its_line(site):
    """A lone CR followed by text that is no header stays part of the cookie line."""
    lines = wire(site, f"b={b64(b'a=1' + bytes([13]) + b'X Injected 1')}")
    assert b"Set-Cookie: a=1\rX Injected 1" in lines


@pytest.mark.parametrize(
    "raw",
    [
        b"crbase=1\rSet-Cookie: injected=1; Path=/",
        b"x=1\rRefresh: 0; url=/echo",
        b"x=1\rContent-Length: 3",
        b"x=1\r \tset-cookie : injected=1",
        b"x=1\r\rX-Injected:1",
    ],
    ids=["set-cookie", "refresh", "content-length", "folded-spaced", "double-cr"],
)
def test_lone_cr_before_a_header_name_is_refused(site, raw):
    """A CR followed by `name:` is refused with a 400 naming b: Chromium would read a header there."""
    lines = wire(site, f"b={b64(raw)}")
    assert lines[0].startswith(b"HTTP/1.1 400 "), lines[0]
    assert not any(b"\r" in line or line.lower().startswith((b"refresh", b"set-cookie")) for line in lines)


def test_raw_bytes_keep_their_order_with_text_headers(site):
    """h= lines come first, then b= lines, each its own Set-Cookie header, in the order given."""
    lines = wire(site, f"h=a%3D1&b={b64(b'b=2')}&b={b64(b'c=3')}")
    assert [line for line in lines if line.startswith(b"Set-Cookie:")] == [
        b"Set-Cookie: a=1", b"Set-Cookie: b=2", b"Set-Cookie: c=3"
    ]  # fmt: skip


@pytest.mark.parametrize("encoded", ["not base64!", "a" * 20000], ids=["not-base64", "too-long"])
def test_raw_bytes_bad_encoding_answers_400(client, encoded):
    """A b= that is not base64url, or longer than the limit, answers 400 naming b."""
    response = client.get("/raw", {"b": encoded})
    assert response.status_code == 400
    assert response.json()["field"] == "b"
