"""Soak: run the e2e suite N times and report every test whose outcome ever changed.

python3 -m e2e soak [--runs N] [pytest args, e.g. --browser firefox, or a module to soak alone]

No retries anywhere: a test that passes once and fails once is a flake, and
the soak exits 1 when it finds one (or when any run fails outright).
"""

import argparse
import collections
import json
import pathlib
import subprocess
import sys
import tempfile
import time
import xml.etree.ElementTree as ET

from e2e.harness.tools.args import names_tests

ROOT = pathlib.Path(__file__).resolve().parents[3]


def outcomes(junit_path: pathlib.Path) -> dict[str, str]:
    """test id -> passed / failed / error / skipped, from one run's JUnit XML."""
    result = {}
    for case in ET.parse(junit_path).iter("testcase"):
        test_id = f"{case.get('classname')}::{case.get('name')}"
        result[test_id] = next((child.tag for child in case if child.tag in ("failure", "error", "skipped")), "passed")
    return result


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python3 -m e2e soak", description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=20, help="how many times to run the suite (default 20)")
    parser.add_argument(
        "--output",
        default="test-results",
        help="where soak.json goes (default test-results); each run's own artifacts stay in a temp folder",
    )
    args, pytest_args = parser.parse_known_args(argv)
    seen: collections.defaultdict[str, collections.Counter[str]] = collections.defaultdict(collections.Counter)
    durations: list[float] = []
    with tempfile.TemporaryDirectory() as scratch:
        for run in range(1, args.runs + 1):
            junit = pathlib.Path(scratch) / f"run-{run}.xml"
            start = time.perf_counter()
            log = pathlib.Path(scratch) / f"run-{run}.log"
            with open(log, "w") as run_log:
                done = subprocess.run(
                    [
                        sys.executable,
                        "-m",
                        "pytest",
                        *([] if names_tests(pytest_args, ROOT) else ["e2e"]),
                        "-q",
                        "-p",
                        "no:cacheprovider",
                        f"--junitxml={junit}",
                        "--output",
                        str(pathlib.Path(scratch) / f"out-{run}"),
                        *pytest_args,
                    ],
                    cwd=ROOT,
                    stdout=run_log,
                    stderr=subprocess.STDOUT,
                )
            durations.append(time.perf_counter() - start)
            if done.returncode not in (0, 1) or not junit.exists():
                # pytest itself failed (a bad option, a collection error): its own words, then stop.
                print(log.read_text()[-3000:], end="")
                print(f"run {run}: pytest exited {done.returncode} before running the suite; soak stopped")
                return 2
            counts: collections.Counter[str] = collections.Counter()
            for test_id, outcome in outcomes(junit).items():
                seen[test_id][outcome] += 1
                counts[outcome] += 1
            summary = ", ".join(f"{n} {k}" for k, n in sorted(counts.items()))
            print(f"run {run}/{args.runs}: {summary} ({durations[-1]:.0f} s)", flush=True)
    flaky = {test: dict(c) for test, c in sorted(seen.items()) if len(c) > 1}
    always_failing = sorted(t for t, c in seen.items() if set(c) <= {"failure", "error"})
    result = {
        "runs": args.runs,
        "pytest_args": pytest_args,
        "tests": len(seen),
        "flaky": flaky,
        "always_failing": always_failing,
        "seconds_per_run": round(sum(durations) / len(durations), 1),
    }
    # The summary first: a read-only checkout or a full disk must not cost it.
    print(f"{len(seen)} tests x {args.runs} runs: {len(flaky)} changed outcome, {len(always_failing)} always failed")
    for test, changed in flaky.items():
        print(f"FLAKY {test}: {changed}")
    for test in always_failing:
        print(f"FAILING {test}")
    out = pathlib.Path(args.output) / "soak.json"
    try:
        out.parent.mkdir(parents=True, exist_ok=True)
        out.write_text(json.dumps(result, indent=1, sort_keys=True) + "\n")
    except OSError as error:
        print(f"soak.json not written: {error.strerror}: {out} (pass --output DIR)")
        return 2
    print(f"written to {out}")
    return 1 if flaky or always_failing else 0


if __name__ == "__main__":
    sys.exit(main())
