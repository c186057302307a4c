"""URLs the lab may send a browser to (go=, url=): http(s) on a test host, parsed as browsers parse them.

The WHATWG URL standard is what browsers follow; urllib does not (it reads
`http://evil.com\\@example.test/` as example.test, a browser as evil.com).
ada-url is a WHATWG-conformant parser (the one Node.js uses), so the host
checked here is the host the browser will connect to, and the URL handed on
is the parser's own serialization of it.
"""

import ada_url

from .hosts import LOOPBACK_HOSTS, SERVED_PORTS, TEST_HOSTS
from .spec import SpecError

SCHEMES = ("http:", "https:")
MAX_URL = 4096


def test_host_url(field: str, value: str | None, loopback: bool = False) -> str:
    """The normalized URL, or SpecError(field) unless it is http(s) on a test host's default port; loopback: also
    plain http on localhost or 127.0.0.1 at a port this process's site serves (a frame of the site on another of its
    ports), and no other loopback port."""
    if not value:
        raise SpecError(field, "required: an http(s) URL on a test host")
    if len(value) > MAX_URL:
        raise SpecError(field, f"longer than {MAX_URL} characters")
    try:
        url = ada_url.parse_url(value)
    except ValueError:
        raise SpecError(field, "not a URL (WHATWG URL parsing failed)") from None
    if url["protocol"] not in SCHEMES:
        raise SpecError(field, f"scheme {url['protocol']!r} refused: http or https only")
    if url["username"] or url["password"]:
        raise SpecError(field, "userinfo refused: no user or password in the URL")
    served = url["port"].isdigit() and int(url["port"]) in SERVED_PORTS
    if loopback and served and url["hostname"] in LOOPBACK_HOSTS and url["protocol"] == "http:":
        return url["href"]
    if url["hostname"] not in TEST_HOSTS:
        raise SpecError(field, f"host {url['hostname']!r} refused: a test host only ({', '.join(TEST_HOSTS)})")
    if url["port"]:
        raise SpecError(field, f"port {url['port']} refused: test hosts answer on the default ports only")
    return url["href"]


test_host_url.__test__ = False  # a checker, not a pytest test
