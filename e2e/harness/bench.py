"""Benchmark: the harness's cost per scenario against the raw Playwright floor, per engine.

python3 -m harness bench [--repeat N] [--browser NAME ...] [--suite]

Per engine, alternating so drift hits both equally:
  raw      new context + page + two navigations (set, echo) + context.cookies(),
           straight Playwright calls, no harness code
  harness  the same scenario through the harness: fresh context with the
           empty-jar check, lab.set, lab.sent (navigation + server log read),
           lab.stored
  batched  one harness scenario carrying 20 cookie cases, cost per case
--suite also times `pytest e2e --browser NAME` per engine (cost per engine-case)
and how long `python3 -m harness e2e` takes to reach its first test.
"""

import argparse
import json
import os
import pathlib
import statistics
import subprocess
import sys
import time

import django
from playwright.sync_api import sync_playwright

from .engine import Engine
from .hosts import ORIGIN
from .network import TestNetwork
from .playwright_backend import CONTEXT_ARGS, PlaywrightSession, find_build, launch_args
from .runner import Lab, lab_url

ROOT = pathlib.Path(__file__).resolve().parents[2]
BATCH = 20


def _timed(step):
    start = time.perf_counter()
    step()
    return (time.perf_counter() - start) * 1000


def raw_scenario(browser):
    context = browser.new_context(ignore_https_errors=True)
    page = context.new_page()
    page.goto(lab_url(ORIGIN, "set", c=json.dumps({"name": "bench", "value": "1"})))
    page.goto(lab_url(ORIGIN, "echo"))
    context.cookies()
    context.close()


def harness_scenario(browser, engine, network, cases=1):
    lab = Lab(PlaywrightSession(browser.new_context(**CONTEXT_ARGS), engine), network)
    lab.assert_empty_jar("bench start")
    lab.set(ORIGIN, *({"name": f"bench{i}", "value": "1"} for i in range(cases)))
    sent = lab.sent(ORIGIN)
    assert len(sent["cookies"]) == cases
    lab.stored()
    lab.session.close()


def summary(samples):
    ordered = sorted(samples)
    return {
        "median_ms": round(statistics.median(ordered), 1),
        "p10_ms": round(ordered[len(ordered) // 10], 1),
        "p90_ms": round(ordered[(len(ordered) * 9) // 10], 1),
        "stdev_ms": round(statistics.stdev(ordered), 1) if len(ordered) > 1 else 0.0,
        "n": len(ordered),
    }


def bench_engine(playwright, name, network, repeat):
    found = find_build(playwright, name)
    if found is None:
        return {"skipped": "WebKit build not installed (playwright install --with-deps webkit)"}
    build, executable = found
    browser = getattr(playwright, name).launch(**launch_args(name, network.proxy.port, build, executable))
    engine = Engine(name, browser.version, build, "playwright", executable)
    try:
        for _ in range(2):  # warm-up: first contexts pay one-off costs
            raw_scenario(browser)
            harness_scenario(browser, engine, network)
        raw, harness, batched = [], [], []
        for i in range(repeat):
            raw.append(_timed(lambda: raw_scenario(browser)))
            harness.append(_timed(lambda: harness_scenario(browser, engine, network)))
            if i % 4 == 0:
                batched.append(_timed(lambda: harness_scenario(browser, engine, network, BATCH)) / BATCH)
            print(f"  {name}: {i + 1}/{repeat}", end="\r", flush=True)
        result = {
            "engine": engine.describe(),
            "raw": summary(raw),
            "harness": summary(harness),
            "batched_per_case": summary(batched),
        }
        result["ratio"] = round(result["harness"]["median_ms"] / result["raw"]["median_ms"], 2)
        return result
    finally:
        browser.close()


def time_suite(name):
    start = time.perf_counter()
    junit = ROOT / "test-results" / f"bench-junit-{name}.xml"
    done = subprocess.run(
        [
            sys.executable,
            "-m",
            "pytest",
            "e2e",
            "--browser",
            name,
            "-q",
            "-p",
            "no:cacheprovider",
            f"--junitxml={junit}",
            "--output",
            str(ROOT / "test-results" / f"bench-{name}"),
        ],
        cwd=ROOT,
        capture_output=True,
        text=True,
    )
    seconds = time.perf_counter() - start
    text = junit.read_text()
    cases = text.count(f"[{name}")
    return {
        "seconds": round(seconds, 1),
        "engine_cases": cases,
        "ms_per_case": round(seconds * 1000 / max(cases, 1)),
        "exit": done.returncode,
    }


def time_to_first_test():
    start = time.perf_counter()
    process = subprocess.Popen(
        [
            "python3",
            "-m",
            "harness",
            "e2e",
            "-v",
            "--browser",
            "chromium",
            "-k",
            "test_flow_set_update_delete",
            "-p",
            "no:cacheprovider",
            "--output",
            str(ROOT / "test-results" / "bench-first"),
        ],
        cwd=ROOT,
        stdout=subprocess.PIPE,
        text=True,
    )
    first = None
    for line in process.stdout:
        if first is None and "::" in line and ("PASSED" in line or "FAILED" in line):
            first = time.perf_counter() - start
    process.wait()
    return round(first, 1) if first is not None else None


def main(argv=None):
    parser = argparse.ArgumentParser(prog="python3 -m harness bench", description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=30, help="scenarios per kind and engine (default 30)")
    parser.add_argument("--browser", action="append", choices=["chromium", "firefox", "webkit"])
    parser.add_argument("--suite", action="store_true", help="also time the e2e suite per engine and the start-up")
    args = parser.parse_args(argv)
    engines = args.browser or ["chromium", "firefox"]
    sys.path.insert(0, str(ROOT / "site"))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "cookielab.settings")
    django.setup()
    results = {"machine": {"cores": os.cpu_count()}, "engines": {}}
    with TestNetwork() as network, sync_playwright() as playwright:
        for name in engines:
            print(f"benchmarking {name} ({args.repeat} x raw, harness)...", flush=True)
            results["engines"][name] = bench_engine(playwright, name, network, args.repeat)
    if args.suite:
        for name in engines:
            print(f"timing pytest e2e --browser {name}...", flush=True)
            results["engines"][name]["suite"] = time_suite(name)
        results["first_test_seconds"] = time_to_first_test()
    report(results)
    out = ROOT / "test-results" / "bench.json"
    out.parent.mkdir(exist_ok=True)
    out.write_text(json.dumps(results, indent=1, sort_keys=True) + "\n")
    print(f"written to {out}")
    return 0


def fmt(stats):
    return f"{stats['median_ms']:.0f} ({stats['p10_ms']:.0f}-{stats['p90_ms']:.0f})"


def report(results):
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
        if "suite" in r:
            s = r["suite"]
            print(
                f"{'':<10} suite: {s['engine_cases']} engine-cases in {s['seconds']} s "
                f"({s['ms_per_case']} ms/case, exit {s['exit']})"
            )
        print(f"{'':<10} {r['engine']}")
    if "first_test_seconds" in results:
        print(f"python3 -m harness e2e reached its first test result in {results['first_test_seconds']} s")
    print("medians, (p10-p90) in brackets")


if __name__ == "__main__":
    sys.exit(main())
