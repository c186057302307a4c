"""Benchmark: the harness's cost per scenario against the raw driver floor, per engine.

python3 -m e2e bench [--repeat N] [--browser NAME ...] [--suite]

Per engine, alternating so drift hits both equally:
  raw      Playwright: new context + page + two navigations (set, echo) +
           context.cookies(); WebKitGTK over WebDriver: blank page + jar clear,
           two navigations, whole-jar read; bare calls, no harness code
  harness  the same scenario through the harness: a clean jar proven empty,
           lab.set, lab.sent (navigation + server log read), lab.stored
  batched  one harness scenario carrying 20 cookie cases, cost per case
  doubled  the same with twice the cases: the cost per case should not grow (doubling ratio near 1)
--suite also times `pytest e2e` (every row, three engines) sequentially and with its engines side by side
(-n, --workers), in one run, prints the seconds per engine and module batch and the costliest tests,
and how long `python3 -m e2e e2e` takes to reach its first test.
"""

import argparse
import json
import os
import pathlib
import re
import shutil
import socket
import statistics
import subprocess
import sys
import time
from collections.abc import Callable
from typing import Any
from xml.etree import ElementTree

import django
from playwright.sync_api import Browser, Playwright, sync_playwright

from e2e.harness import guards
from e2e.harness.backends.playwright import CONTEXT_ARGS, PlaywrightSession, find_build, launch_args
from e2e.harness.backends.webdriver import ControlJar, WebDriverSession, WebKitGTKLauncher
from e2e.harness.engine import Engine
from e2e.harness.network.closed import TestNetwork
from e2e.harness.network.hosts import ORIGIN, SECURE_ORIGIN
from e2e.harness.runner import Lab, Session, lab_url

ROOT = pathlib.Path(__file__).resolve().parents[3]
# The timed runs' --output: beside test-results, not in it (a run refuses an --output inside another run's).
RUNS = ROOT / "test-results-bench"
BATCH = 20


def _timed(step: Callable[[], object]) -> float:
    start = time.perf_counter()
    step()
    return (time.perf_counter() - start) * 1000


def raw_scenario(browser: Browser) -> None:
    context = browser.new_context(ignore_https_errors=True)
    page = context.new_page()
    page.goto(lab_url(ORIGIN, "set", c=json.dumps({"name": "bench", "value": "1"})))
    page.goto(lab_url(ORIGIN, "echo"))
    context.cookies()
    context.close()


def raw_webdriver_scenario(session: WebDriverSession) -> None:
    """The WebDriver floor: bare driver calls plus the two bare control-socket lines for the jar."""
    assert isinstance(session.jar, ControlJar)  # the WebKitGTK browser started here has its control socket
    driver, jar = session.driver, session.jar
    driver.get("about:blank")
    _control(jar, "clear")
    driver.get(lab_url(ORIGIN, "set", c=json.dumps({"name": "bench", "value": "1"})))
    driver.get(lab_url(ORIGIN, "echo"))
    _control(jar, "cookies")


def _control(jar: ControlJar, command: str) -> str:
    with socket.socket(socket.AF_UNIX) as sock:
        sock.connect(jar.path)
        with sock.makefile("rw") as stream:
            stream.write(f"{jar.secret} {command}\n")
            stream.flush()
            return stream.readline()


def harness_scenario(session: Session, network: TestNetwork, cases: int = 1) -> None:
    """The same scenario through the harness: a clean jar proven empty, lab.set, lab.sent, lab.stored."""
    lab = Lab(session, network)
    lab.assert_empty_jar("bench start")
    lab.set(ORIGIN, *({"name": f"bench{i}", "value": "1"} for i in range(cases)))
    sent = lab.sent(ORIGIN)
    assert len(sent["cookies"]) == cases
    lab.stored()


def summary(samples: list[float]) -> dict[str, float]:
    ordered = sorted(samples)
    return {
        "median_ms": round(statistics.median(ordered), 1),
        "p10_ms": round(ordered[len(ordered) // 10], 1),
        "p90_ms": round(ordered[(len(ordered) * 9) // 10], 1),
        "stdev_ms": round(statistics.stdev(ordered), 1) if len(ordered) > 1 else 0.0,
        "n": len(ordered),
    }


def measure(
    name: str, engine: Engine, raw: Callable[[], None], harness: Callable[[int], None], repeat: int
) -> dict[str, Any]:
    """Alternate raw and harness scenarios (drift hits both alike); harness(cases) runs one scenario."""
    for _ in range(2):  # warm-up: first contexts pay one-off costs
        raw()
        harness(1)
    raws: list[float] = []
    harnesses: list[float] = []
    batched: list[float] = []
    doubled: list[float] = []
    for i in range(repeat):
        raws.append(_timed(raw))
        harnesses.append(_timed(lambda: harness(1)))
        if i % 4 == 0:
            batched.append(_timed(lambda: harness(BATCH)) / BATCH)
            doubled.append(_timed(lambda: harness(2 * BATCH)) / (2 * BATCH))
        print(f"  {name}: {i + 1}/{repeat}", end="\r", flush=True)
    result: dict[str, Any] = {
        "engine": engine.describe(),
        "raw": summary(raws),
        "harness": summary(harnesses),
        "batched_per_case": summary(batched),
        "doubled_per_case": summary(doubled),
    }
    result["ratio"] = round(result["harness"]["median_ms"] / result["raw"]["median_ms"], 2)
    # Twice the rows in one batch: the cost per row should stay (a ratio near 1), not grow with the batch.
    result["doubling_ratio"] = round(
        result["doubled_per_case"]["median_ms"] / result["batched_per_case"]["median_ms"], 2
    )
    return result


CORPUS_SAMPLE = 40


def corpus_costs(session: Session, network: TestNetwork) -> dict[str, Any]:
    """Per corpus case, side by side: the naive loop (clear the jar, set, echo) and the batched corpus run."""
    from e2e.harness.spec.corpus import ROWS, RUN_CORPUS, corpus_urls

    rows = ROWS[:CORPUS_SAMPLE]
    lab = Lab(session, network)
    urls = [corpus_urls(r, f"bench-{i}") for i, r in enumerate(rows)]

    def naive() -> None:
        for set_url, read_url in urls:
            session.clear_cookies()
            lab.go(set_url)
            lab.go(read_url)

    def batched() -> None:
        session.clear_cookies()
        lab.go(lab_url(SECURE_ORIGIN, "script", "/pc"))
        lab.evaluate(RUN_CORPUS, [{"set": s, "read": r} for s, r in urls])
        for i in range(len(rows)):
            network.log(f"bench-{i}")

    naive_ms: list[float] = []
    batched_ms: list[float] = []
    for _ in range(3):
        naive_ms.append(_timed(naive) / len(rows))
        batched_ms.append(_timed(batched) / len(rows))
    result = {"naive_ms_per_case": round(statistics.median(naive_ms), 1),
              "batched_ms_per_case": round(statistics.median(batched_ms), 1), "cases": len(rows)}  # fmt: skip
    result["ratio"] = round(result["batched_ms_per_case"] / result["naive_ms_per_case"], 2)
    return result


def bench_playwright(playwright: Playwright, name: str, network: TestNetwork, repeat: int) -> dict[str, Any]:
    found = find_build(playwright, name)
    assert found is not None  # main() benchmarks WebKitGTK where there is no Playwright build
    build, executable = found
    options = launch_args(name, network.proxy.port, build, executable, proxy_socket=network.proxy.unix_path)
    browser = getattr(playwright, name).launch(**options)
    engine = Engine(name, browser.version, build, "playwright", executable)

    def harness(cases: int) -> None:
        # A fresh context per scenario, as every Playwright test gets.
        session = PlaywrightSession(browser.new_context(**CONTEXT_ARGS), engine)
        harness_scenario(session, network, cases)
        session.close()

    try:
        result = measure(name, engine, lambda: raw_scenario(browser), harness, repeat)
        session = PlaywrightSession(browser.new_context(**CONTEXT_ARGS), engine)
        result["corpus"] = corpus_costs(session, network)
        session.close()
        return result
    finally:
        browser.close()


def bench_webdriver(network: TestNetwork, repeat: int) -> dict[str, Any]:
    with WebKitGTKLauncher(network.proxy.url, proxy_socket=network.proxy.unix_path) as launcher:
        session = launcher.new_session()
        try:

            def harness(cases: int) -> None:
                session.reset()  # what every WebKitGTK test gets: blank page, empty jar
                harness_scenario(session, network, cases)

            result = measure("webkit", session.engine, lambda: raw_webdriver_scenario(session), harness, repeat)
            result["corpus"] = corpus_costs(session, network)
            return result
        finally:
            session.close()


TOP_ROWS = 20
ENGINE_PARAMETER = re.compile(r"\[(chromium|firefox|webkit)[-\]]")  # a test id's engine, first


def time_matrix(label: str, *extra: str) -> dict[str, Any]:
    """`pytest e2e` (every row, every engine) with extra arguments: its wall time, its exit and its JUnit file."""
    junit = RUNS / f"junit-{label}.xml"
    start = time.perf_counter()
    done = subprocess.run(
        [sys.executable, "-m", "pytest", "e2e", *extra, "-q", "-p", "no:cacheprovider", f"--junitxml={junit}",
         "--output", str(RUNS / label)],
        cwd=ROOT, capture_output=True, text=True,
    )  # fmt: skip
    seconds = time.perf_counter() - start
    if not junit.exists():
        raise SystemExit(f"pytest e2e {' '.join(extra)} ran no test (exit {done.returncode}): {done.stdout[-1000:]}")
    return {"seconds": round(seconds, 1), "exit": done.returncode, "junit": str(junit)}


def costs(junit_text: str) -> dict[str, Any]:
    """Per engine and module batch, the seconds its tests took, and the TOP_ROWS costliest tests (a module's batch
    is paid by the test that first asks for its fixture)."""
    by_batch: dict[str, float] = {}
    cases: dict[str, int] = {}
    tests: list[tuple[float, str]] = []
    for case in ElementTree.fromstring(junit_text).iter("testcase"):
        name = case.get("name", "")
        found = ENGINE_PARAMETER.search(name)
        engine = found.group(1) if found else "none"
        module = case.get("classname", "").rsplit(".", 1)[-1]
        seconds = float(case.get("time", 0))
        by_batch[f"{engine} {module}"] = by_batch.get(f"{engine} {module}", 0.0) + seconds
        cases[engine] = cases.get(engine, 0) + 1
        tests.append((seconds, f"{module}::{name}"))
    return {
        "cases": cases,
        "batches": {k: round(v, 1) for k, v in sorted(by_batch.items(), key=lambda kv: -kv[1])},
        "top": [[round(t, 2), n] for t, n in sorted(tests, reverse=True)[:TOP_ROWS]],
    }


def time_suite(workers: int) -> dict[str, Any]:
    """The behaviour matrix sequentially and with its engines side by side (-n workers), in one run, and the
    sequential run's per-row costs."""
    sequential = time_matrix("sequential")
    side_by_side = time_matrix(f"side-by-side-{workers}", "-n", str(workers))
    result = {
        "sequential": sequential,
        "side_by_side": side_by_side | {"workers": workers},
        "ratio": round(side_by_side["seconds"] / sequential["seconds"], 2),
    }
    return result | costs(pathlib.Path(sequential["junit"]).read_text())


def time_to_first_test() -> float | None:
    start = time.perf_counter()
    process = subprocess.Popen(
        [
            "python3",
            "-m",
            "e2e",
            "e2e",
            "-v",
            "--browser",
            "chromium",
            "-k",
            "test_flow_set_update_delete",
            "-p",
            "no:cacheprovider",
            "--output",
            str(RUNS / "first"),
        ],
        cwd=ROOT,
        stdout=subprocess.PIPE,
        text=True,
    )
    first = None
    assert process.stdout is not None  # stdout=PIPE
    for line in process.stdout:
        if first is None and "::" in line and ("PASSED" in line or "FAILED" in line):
            first = time.perf_counter() - start
    process.wait()
    return round(first, 1) if first is not None else None


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python3 -m e2e bench", description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=30, help="scenarios per kind and engine (default 30)")
    parser.add_argument("--browser", action="append", choices=["chromium", "firefox", "webkit"])
    parser.add_argument(
        "--suite", action="store_true", help="also time the e2e matrix sequentially and side by side, and the start-up"
    )
    parser.add_argument("--workers", type=int, default=3, help="the side-by-side run's -n (default 3, one per engine)")
    args = parser.parse_args(argv)
    # The browsers' homes and Firefox's installation folders (launch_args) go in a folder of the bench's own,
    # removed at its end: they were left in the system temp folder.
    folder = guards.own_tmp()
    try:
        return _bench(args)
    finally:
        shutil.rmtree(folder, ignore_errors=True)


def _bench(args: argparse.Namespace) -> int:
    engines = args.browser or ["chromium", "firefox", "webkit"]
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "cookielab.settings")
    django.setup()
    engines_results: dict[str, dict[str, Any]] = {}
    results: dict[str, Any] = {"machine": {"cores": os.cpu_count()}, "engines": engines_results}
    with TestNetwork() as network, sync_playwright() as playwright:
        for name in engines:
            print(f"benchmarking {name} ({args.repeat} x raw, harness)...", flush=True)
            if find_build(playwright, name) is None:  # WebKit without Playwright's build: WebKitGTK
                engines_results[name] = bench_webdriver(network, args.repeat)
            else:
                engines_results[name] = bench_playwright(playwright, name, network, args.repeat)
    if args.suite:
        print(f"timing pytest e2e, sequentially and with -n {args.workers}...", flush=True)
        results["suite"] = time_suite(args.workers)
        results["first_test_seconds"] = time_to_first_test()
    report(results)
    out = ROOT / "test-results" / "bench.json"
    out.parent.mkdir(exist_ok=True)
    out.write_text(json.dumps(results, indent=1, sort_keys=True) + "\n")
    print(f"written to {out}")
    return 0


def fmt(stats: dict[str, float]) -> str:
    return f"{stats['median_ms']:.0f} ({stats['p10_ms']:.0f}-{stats['p90_ms']:.0f})"


def report(results: dict[str, Any]) -> None:
    print()
    print(f"{'engine':<10} {'raw ms':>16} {'harness ms':>16} {'ratio':>6} {'batched ms/case':>16}")
    for name, r in results["engines"].items():
        if "skipped" in r:
            print(f"{name:<10} skipped: {r['skipped']}")
            continue
        print(
            f"{name:<10} {fmt(r['raw']):>16} {fmt(r['harness']):>16} {r['ratio']:>6.2f} "
            f"{fmt(r['batched_per_case']):>16}"
        )
        print(
            f"{'':<10} {2 * BATCH} cases a scenario: {fmt(r['doubled_per_case'])} ms/case, "
            f"{r['doubling_ratio']} of the cost per case at {BATCH}"
        )
        if "corpus" in r:
            c = r["corpus"]
            print(
                f"{'':<10} parser corpus, per case ({c['cases']} cases): naive loop {c['naive_ms_per_case']} ms, "
                f"batched {c['batched_ms_per_case']} ms, ratio {c['ratio']}"
            )
        print(f"{'':<10} {r['engine']}")
    if "suite" in results:
        report_suite(results["suite"])
    if "first_test_seconds" in results:
        print(f"python3 -m e2e e2e reached its first test result in {results['first_test_seconds']} s")
    print("medians, (p10-p90) in brackets")


def report_suite(suite: dict[str, Any]) -> None:
    sequential, side = suite["sequential"], suite["side_by_side"]
    print(
        f"pytest e2e: {sum(suite['cases'].values())} tests ({suite['cases']}): sequential {sequential['seconds']} s "
        f"(exit {sequential['exit']}), side by side -n {side['workers']} {side['seconds']} s (exit {side['exit']}): "
        f"ratio {suite['ratio']}"
    )
    print("seconds per engine and module batch (sequential run):")
    for batch, seconds in list(suite["batches"].items())[:TOP_ROWS]:
        print(f"  {seconds:>7.1f}  {batch}")
    print(f"the {TOP_ROWS} costliest tests:")
    for seconds, name in suite["top"]:
        print(f"  {seconds:>7.2f}  {name}")


if __name__ == "__main__":
    sys.exit(main())
