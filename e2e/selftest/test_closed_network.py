"""The closed network, proven per engine: no page reaches a loopback port other than the site's.

A canary HTTP listener on a free loopback port records every request; each
engine then tries every way a page can reach it. Nothing may arrive. UDP, which
no HTTP proxy carries, gets canaries of its own on 127.0.0.1 and [::1]: WebRTC
is the one way a page sends it.
"""

import contextlib
import http.server
import socket
import threading

import pytest

from e2e.harness.network.hosts import ORIGIN
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


@pytest.fixture
def udp_canaries():
    """Two UDP listeners, on 127.0.0.1 and [::1]; what they received is read once the page is done."""
    sockets = {}
    for family, host in ((socket.AF_INET, "127.0.0.1"), (socket.AF_INET6, "::1")):
        sock = socket.socket(family, socket.SOCK_DGRAM)
        sock.bind((host, 0))
        sock.setblocking(False)
        sockets[host] = sock
    yield sockets
    for sock in sockets.values():
        sock.close()


def _received(sock):
    packets = []
    with contextlib.suppress(BlockingIOError):
        while True:
            packets.append(sock.recvfrom(2048))
    return packets


# STUN servers and remote host candidates on the canaries' ports: an engine whose WebRTC may use
# UDP sends binding requests to both (measured before the fix: chromium 156 sent 41 and 40).
# Resolves when ICE has failed or after 3 s of checking, whichever comes first.
WEBRTC_ATTEMPT = """async (targets) => {
  if (typeof RTCPeerConnection === 'undefined') return 'no RTCPeerConnection';
  const pc = new RTCPeerConnection({iceServers: targets.map(([h, p]) => ({urls: `stun:${h}:${p}`}))});
  const peer = new RTCPeerConnection();
  pc.createDataChannel('x');
  await pc.setLocalDescription(await pc.createOffer());
  await peer.setRemoteDescription(pc.localDescription);
  await peer.setLocalDescription(await peer.createAnswer());
  await pc.setRemoteDescription(peer.localDescription);
  for (const [i, [h, p]] of targets.entries()) {
    await pc.addIceCandidate({candidate: `candidate:${i + 7} 1 udp 2122260223 ${h} ${p} typ host`, sdpMid: '0'})
      .catch(() => {});
  }
  const ended = () => ['failed', 'closed'].includes(pc.iceConnectionState);
  await new Promise((r) => { if (ended()) r(); pc.oniceconnectionstatechange = () => ended() && r(); setTimeout(r, 3000); });
  const state = `ice ${pc.iceConnectionState}, gathering ${pc.iceGatheringState}`;
  pc.close();
  peer.close();
  return state;
}"""


def test_webrtc_sends_no_udp_to_loopback(lab, udp_canaries):
    """A page's RTCPeerConnection, with STUN servers and remote candidates on loopback, sends no UDP packet."""
    targets = [[host if ":" not in host else f"[{host}]", sock.getsockname()[1]] for host, sock in udp_canaries.items()]
    lab.go(lab_url(ORIGIN, "script"))
    outcome = lab.evaluate(WEBRTC_ATTEMPT, targets)
    received = {host: _received(sock) for host, sock in udp_canaries.items()}
    assert received == {"127.0.0.1": [], "::1": []}, (outcome, {h: len(p) for h, p in received.items()})
