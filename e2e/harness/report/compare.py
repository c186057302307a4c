"""Compare two records of cookie behaviour: what changed between two releases, builds or runs.

python3 -m e2e compare OLD NEW

OLD and NEW are records: a committed baseline (e2e/baselines/chromium-156-distro.json) or a
run's cookie-report.json (or a folder holding one). Every scenario whose value changed is
printed with its rule (where the record holds it), engine, and old -> new. Exit status: 1
when anything changed, 0 when nothing did, 2 on bad input (one line). This is how a CI job
checks a browser upgrade: compare the committed baseline with the new run's record.
"""

import argparse
import json
import pathlib
import sys
from typing import Any

from e2e.harness.report.baselines import _flat

Values = dict[tuple[str, str], Any]  # (engine, case id) -> observed


class BadRecord(ValueError):
    pass


def read(given: str) -> tuple[Values, dict[str, str]]:
    """({(engine, case): value}, {case: rule}) from a baseline file or a report (file or folder)."""
    path = pathlib.Path(given)
    if path.is_dir():
        path = path / "cookie-report.json"
    try:
        data = json.loads(path.read_text())
    except OSError as error:
        raise BadRecord(f"{given}: {error.strerror}") from None
    except ValueError:
        raise BadRecord(f"{given}: not JSON") from None
    if isinstance(data, dict) and "observations" in data and "engine" in data:  # a baseline
        return {(data["engine"], case): value for case, value in _flat(data["observations"]).items()}, {}
    if isinstance(data, dict) and "scenarios" in data:  # a report
        values: Values = {}
        rules: dict[str, str] = {}
        for case, scenario in data["scenarios"].items():
            rules[case] = scenario.get("rule", "")
            for engine, cell in scenario.get("engines", {}).items():
                values[(engine, case)] = cell["observed"]
        return values, rules
    raise BadRecord(f"{given}: neither a baseline (engine, observations) nor a cookie-report.json (scenarios)")


def changes(old: Values, new: Values) -> list[tuple[str, str, Any, Any]]:
    """(case, engine, old value, new value) for every scenario both records hold with different values."""
    return sorted(
        (case, engine, old[(engine, case)], value)
        for (engine, case), value in new.items()
        if (engine, case) in old and old[(engine, case)] != value
    )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python3 -m e2e compare", description=__doc__.splitlines()[0])
    parser.add_argument("old", help="a baseline file, or a run's cookie-report.json or its folder")
    parser.add_argument("new", help="the same, for the newer record")
    args = parser.parse_args(argv)
    try:
        (old, old_rules), (new, new_rules) = read(args.old), read(args.new)
    except BadRecord as error:
        parser.error(str(error))
    rules = {**old_rules, **new_rules}
    shared = {key for key in new if key in old}
    if not shared:
        parser.error(f"{args.old} and {args.new} share no engine and scenario: nothing to compare")
    found = changes(old, new)
    for case, engine, before, after in found:
        rule = rules.get(case)
        print(f"{rule + ' ' if rule else ''}({case}) [{engine}]: {json.dumps(before)} -> {json.dumps(after)}")
    only = len(set(old) ^ set(new))
    print(f"{len(found)} of {len(shared)} scenarios changed" + (f"; {only} in one record only" if only else ""))
    return 1 if found else 0


if __name__ == "__main__":
    sys.exit(main())
