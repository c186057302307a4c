"""The test proxy under keep-alive and concurrency: every request answered, none lost."""

import concurrent.futures
import http.client
import json
import pathlib
import statistics
import time

from e2e.harness.network.hosts import TEST_HOSTS

CONCURRENT = 200


def test_proxy_keeps_connection_alive(test_network):
    """Several requests, to different test hosts, on one client connection all get answers."""
    connection = http.client.HTTPConnection("127.0.0.1", test_network.proxy.port, timeout=10)
    try:
        for host in TEST_HOSTS:
            connection.request("GET", f"http://{host}/echo", headers={"Host": host})
            response = connection.getresponse()
            assert response.status == 200
            assert json.loads(response.read())["host"] == host
        connection.request("GET", "http://example.com/")  # refused, yet the connection lives on
        assert connection.getresponse().read().startswith(b"cookie-lab proxy refused example.com")
        connection.request("GET", "http://example.test/echo")
        assert connection.getresponse().status == 200
    finally:
        connection.close()


def _one(test_network, index):
    scheme = "https" if index % 2 else "http"
    host = TEST_HOSTS[index % len(TEST_HOSTS)]
    start = time.perf_counter()
    status, _, body = test_network.fetch(f"{scheme}://{host}/echo?t=load-{index}")
    return status, json.loads(body)["host"] == host, (time.perf_counter() - start) * 1000


def test_proxy_handles_200_concurrent_requests(test_network, pytestconfig):
    """200 requests at once (half plain, half CONNECT + TLS) all succeed; the run is bounded in time."""
    start = time.perf_counter()
    with concurrent.futures.ThreadPoolExecutor(max_workers=CONCURRENT) as pool:
        results = list(pool.map(lambda i: _one(test_network, i), range(CONCURRENT), timeout=60))
    wall = time.perf_counter() - start
    latencies = sorted(r[2] for r in results)
    figures = {
        "requests": CONCURRENT,
        "errors": sum(1 for status, right_host, _ in results if status != 200 or not right_host),
        "wall_s": round(wall, 2),
        "median_ms": round(statistics.median(latencies)),
        "p95_ms": round(latencies[int(len(latencies) * 0.95)]),
    }
    output = pathlib.Path(pytestconfig.getoption("--output"))
    output.mkdir(parents=True, exist_ok=True)
    (output / "proxy-load.json").write_text(json.dumps(figures, indent=1, sort_keys=True) + "\n")
    assert figures["errors"] == 0, figures
