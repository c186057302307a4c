"""The closed network, proven per engine: no page reaches a loopback port other than the site's.

A canary HTTP listener on a free loopback port records every request; each
engine then tries every way a page can reach it. Nothing may arrive.
"""

import http.server
import threading

import pytest

from e2e.harness.hosts import ORIGIN
from e2e.harness.runner import LabError, lab_url


class _Canary(http.server.BaseHTTPRequestHandler):
    def do_GET(self):  # noqa: N802 - the base class's naming
        self.server.hits.append(self.path)
        self.send_response(200)
        self.send_header("Content-Length", "6")
        self.end_headers()
        self.wfile.write(b"canary")

    do_POST = do_GET

    def log_message(self, format, *args):  # noqa: A002
        pass


@pytest.fixture
def canary():
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), _Canary)
    server.hits = []
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield server
    server.shutdown()
    server.server_close()


# Each resolves once the attempt has ended, whatever its outcome: no waiting on time.
ATTEMPTS = {
    "fetch": "(u) => fetch(u, {mode: 'no-cors'}).then(() => 'answered', () => 'failed')",
    "img": "(u) => new Promise(r => { const i = new Image(); i.onload = () => r('answered');"
    " i.onerror = () => r('failed'); i.src = u; })",
    "iframe": "(u) => new Promise(r => { const f = document.createElement('iframe'); f.onload = () => r('loaded');"
    " f.src = u; document.body.append(f); })",
    "form": "(u) => new Promise(r => { const f = document.createElement('iframe'); f.name = 'sink';"
    " f.onload = () => { if (f.dataset.sent) r('loaded'); }; document.body.append(f);"
    " const form = document.createElement('form'); form.method = 'post'; form.action = u; form.target = 'sink';"
    " document.body.append(form); f.dataset.sent = '1'; form.submit(); })",
}


@pytest.mark.parametrize("host", ["127.0.0.1", "localhost"])
def test_pages_cannot_reach_another_loopback_port(lab, canary, host):
    """Navigation, redirect, iframe, img, fetch and form submission to a loopback canary all fail to reach it."""
    target = f"http://{host}:{canary.server_address[1]}/"
    outcomes = {}
    try:
        outcomes["navigation"] = lab.go(target + "navigation")
    except LabError as refused:
        outcomes["navigation"] = str(refused)
    outcomes["navigation-text"] = lab.text("body")
    try:
        lab.go(lab_url(ORIGIN, "echo", go=target + "redirect"))
    except LabError as refused:
        outcomes["redirect"] = str(refused)
    outcomes["redirect-text"] = lab.text("body")
    for kind, attempt in ATTEMPTS.items():
        lab.go(lab_url(ORIGIN, "script"))
        outcomes[kind] = lab.evaluate(attempt, f"{target}{kind}")
    assert canary.hits == [], outcomes
    assert "canary" not in (outcomes["navigation-text"] or ""), outcomes
