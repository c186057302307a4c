"""Compare two records of cookie behaviour: two releases, two builds, two runs, or two engines.

python3 -m e2e compare OLD NEW [--engines OLD_ENGINE:NEW_ENGINE]

OLD and NEW are records: a committed baseline (e2e/baselines/chromium-156-distro.json) or a run's
cookie-report.json (or a folder holding one). Engines both records hold are compared with themselves
(a browser upgrade: the committed baseline against the new run's record); two records of one engine
each, of different engines, are compared with each other (what WebKit does that Chromium does not);
--engines picks the pair from records of several. A summary comes first, then every row whose value
differs, grouped by concern, with its rule and both values in a line a person reads, and every row whose
value is the same but whose reason (the engine's own words for a refusal) is not. Exit status: 1 when
anything differs, 0 when nothing does, 2 on bad input (one line).
"""

import argparse
import json
import pathlib
import sys
from typing import Any

from e2e.harness.report.baselines import flat
from e2e.harness.rows import split_id

SHOWN = 100  # characters of a value in a line; a longer one says how long it is


class BadRecord(ValueError):
    pass


class Record:
    """One record: {engine label: {case: value}} and the rules it names."""

    def __init__(self, given: str) -> None:
        path = pathlib.Path(given)
        if path.is_dir():
            path = path / "cookie-report.json"
        try:
            data = json.loads(path.read_text())
        except OSError as error:
            raise BadRecord(f"{given}: {error.strerror}") from None
        except ValueError:
            raise BadRecord(f"{given}: not JSON") from None
        self.given = given
        self.values: dict[str, dict[str, Any]] = {}
        self.reasons: dict[str, dict[str, str]] = {}  # engine -> case -> the engine's words
        self.rules: dict[str, str] = {}
        self.versions: dict[str, str] = {}
        if isinstance(data, dict) and "observations" in data and "engine" in data:  # a baseline
            self.values[data["engine"]] = flat(data["observations"])
            self.reasons[data["engine"]] = flat(data.get("reasons", {}))
            self.versions[data["engine"]] = data.get("version", "")
        elif isinstance(data, dict) and "scenarios" in data:  # a report
            for name, engine in data.get("engines", {}).items():
                self.versions[name] = engine.get("version", "")
            for case, scenario in data["scenarios"].items():
                self.rules[case] = scenario.get("rule", "")
                for name, cell in scenario.get("engines", {}).items():
                    self.values.setdefault(name, {})[case] = cell["observed"]
                    if cell.get("why"):
                        self.reasons.setdefault(name, {})[case] = cell["why"]
        else:
            raise BadRecord(f"{given}: neither a baseline (engine, observations) nor a cookie-report.json (scenarios)")

    def label(self, engine: str) -> str:
        return f"{engine} {self.versions.get(engine, '')}".strip()


def pairs(old: Record, new: Record, engines: str | None) -> list[tuple[str, str]]:
    """Which engine of OLD is compared with which of NEW."""
    if engines:
        first, _, second = engines.partition(":")
        second = second or first
        for record, name in ((old, first), (new, second)):
            if name not in record.values:
                raise BadRecord(f"--engines {engines}: {record.given} holds no {name} ({', '.join(record.values)})")
        return [(first, second)]
    shared = sorted(set(old.values) & set(new.values))
    if shared:
        return [(name, name) for name in shared]
    if len(old.values) == 1 and len(new.values) == 1:
        return [(next(iter(old.values)), next(iter(new.values)))]
    raise BadRecord(
        f"{old.given} ({', '.join(old.values)}) and {new.given} ({', '.join(new.values)}) share no engine: "
        "name the pair with --engines OLD:NEW"
    )


def shown(value: Any) -> str:
    text = json.dumps(value, ensure_ascii=False)
    return text if len(text) <= SHOWN else f"{text[:SHOWN]}… ({len(text)} characters)"


def changes(old: dict[str, Any], new: dict[str, Any]) -> list[tuple[str, Any, Any]]:
    """(case, old value, new value) for every row both hold with different values, in id order."""
    return sorted((case, old[case], value) for case, value in new.items() if case in old and old[case] != value)


def reasons_changed(old: Record, new: Record, before: str, after: str) -> list[tuple[str, str, str]]:
    """(case, old words, new words) for every row both hold with the same value and different reasons."""
    was, now = old.reasons.get(before, {}), new.reasons.get(after, {})
    old_values, new_values = old.values[before], new.values[after]
    return sorted(
        (case, was.get(case, ""), now.get(case, ""))
        for case in old_values.keys() & new_values.keys()
        if old_values[case] == new_values[case] and was.get(case, "") != now.get(case, "")
    )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python3 -m e2e compare", description=__doc__.splitlines()[0])
    parser.add_argument("old", help="a baseline file, or a run's cookie-report.json or its folder")
    parser.add_argument("new", help="the same, for the other record")
    parser.add_argument(
        "--engines", metavar="OLD:NEW", help="the engine of each record to compare, e.g. chromium:webkit"
    )
    args = parser.parse_args(argv)
    try:
        old, new = Record(args.old), Record(args.new)
        chosen = pairs(old, new, args.engines)
    except BadRecord as error:
        parser.error(str(error))
    rules = {**old.rules, **new.rules}
    differing = 0
    for before, after in chosen:
        both = set(old.values[before]) & set(new.values[after])
        found = changes(old.values[before], new.values[after])
        differing += len(found)
        only = len(set(old.values[before]) ^ set(new.values[after]))
        print(f"{old.label(before)} -> {new.label(after)}: {len(both)} rows in both, {len(found)} differ"
              + (f", {only} in one record only" if only else ""))  # fmt: skip
        concerns: dict[str, list[tuple[str, Any, Any]]] = {}
        for case, was, now in found:
            concerns.setdefault(split_id(case)[0], []).append((case, was, now))
        for concern, rows in sorted(concerns.items()):
            print(f"  {concern} ({len(rows)})")
            for case, was, now in rows:
                rule = rules.get(case)
                print(f"    {case}: {shown(was)} -> {shown(now)}" + (f"  ({rule})" if rule else ""))
        words = reasons_changed(old, new, before, after)
        differing += len(words)
        if words:
            print(f"  the same value, another reason ({len(words)})")
        for case, was, now in words:
            print(f"    {case}: {shown(was or 'no words')} -> {shown(now or 'no words')}")
    return 1 if differing else 0


if __name__ == "__main__":
    sys.exit(main())
