"""Merge the JSON records of separate runs (matrix jobs, other machines, other days) into one report.

python3 -m e2e merge RECORD [RECORD ...] [--output DIR]

A RECORD is a cookie-report.json, or a folder holding one (searched below it).
One column per engine, build and record (Playwright's WebKit and WebKitGTK side by side, a policy's
record beside the default's); where two records hold the same one, the one given later wins. Writes DIR/cookie-report.json and DIR/cookie-report.html.
"""

import argparse
import json
import pathlib
import sys
from typing import Any

from e2e.harness.report.html import render
from e2e.harness.report.record import SCHEMA, finish
from e2e.harness.report.schema import EngineEntry, Report, Scenario


def records(paths: list[str]) -> list[pathlib.Path]:
    found = []
    for given in map(pathlib.Path, paths):
        found += sorted(given.rglob("cookie-report.json")) if given.is_dir() else [given]
    return found


def merge(reports: list[dict[str, Any]]) -> Report:
    """One report of several runs' JSON reports (as read from their files: checked here, not trusted)."""
    engines: dict[str, EngineEntry] = {}
    scenarios: dict[str, Scenario] = {}
    for report in reports:
        if report.get("schema") != SCHEMA:
            raise ValueError(f"a record of schema {report.get('schema')}; this merge reads schema {SCHEMA}")
        columns: dict[str, str] = {}
        for name, engine in report["engines"].items():
            # The same engine in another build (Playwright's WebKit and WebKitGTK), or under another third-party
            # policy (another record folder), gets a column of its own.
            same = engines.get(name)
            columns[name] = name
            if same is not None and same["baseline"] != engine["baseline"]:
                columns[name] = f"{name}-{engine['build']}" if same["build"] != engine["build"] else engine["baseline"]
            engines[columns[name]] = EngineEntry(  # its counts are computed again over the merged cells
                version=engine["version"], build=engine["build"], baseline=engine["baseline"],
                description=engine["description"],
            )  # fmt: skip
        for case, scenario in report["scenarios"].items():
            merged = scenarios.setdefault(case, {
                "category": scenario["category"], "rule": "", "spec": scenario["spec"],
                "labels": scenario.get("labels", []), "unit": scenario.get("unit", ""), "changed": [], "engines": {},
            })  # fmt: skip
            merged["rule"] = merged["rule"] or scenario.get("rule", "")
            merged["engines"].update({columns[name]: cell for name, cell in scenario["engines"].items()})
            merged["changed"] = sorted(set(merged["changed"]) | set(scenario.get("changed", [])))
    return finish(engines, scenarios)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python3 -m e2e merge", description=__doc__.splitlines()[0])
    parser.add_argument("records", nargs="+", help="cookie-report.json files, or folders holding them")
    parser.add_argument("--output", default="test-results/merged", help="where the merged report goes")
    args = parser.parse_args(argv)
    missing = [given for given in args.records if not pathlib.Path(given).exists()]
    if missing:
        parser.error(f"no such file or folder: {', '.join(missing)}")
    paths = records(args.records)
    if not paths:
        parser.error(f"no cookie-report.json found in {', '.join(args.records)}")
    try:
        merged = merge([json.loads(p.read_text()) for p in paths])
    except (ValueError, KeyError, OSError) as error:  # JSONDecodeError is a ValueError
        parser.error(f"cannot merge: {error}")
    out = pathlib.Path(args.output)
    out.mkdir(parents=True, exist_ok=True)
    (out / "cookie-report.json").write_text(json.dumps(merged, indent=1, sort_keys=True) + "\n")
    (out / "cookie-report.html").write_text(render(merged))
    engines = ", ".join(f"{n} {e['version']}" for n, e in sorted(merged["engines"].items()))
    print(
        f"merged {len(paths)} records ({engines}; {len(merged['scenarios'])} scenarios) into {out / 'cookie-report.html'}"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
