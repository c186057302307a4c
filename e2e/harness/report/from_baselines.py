"""A report from the committed baselines alone, without a browser: what each engine does today, in one page.

    python3 -m e2e report [--third-party POLICY] [--output DIR] [--write-differences-doc]

Each engine's newest recorded release (under the default third-party policy, or POLICY's folder) is judged
against the rows as a run would judge it, with the other releases as its history. The same data writes
e2e/docs/engine-differences.md, the tables of where engines differ that the documents show (generated,
never typed: e2e/model/test_docs.py fails when the file is stale).
"""

import pathlib

from e2e.harness.engine import Engine, RecordKey, release_number
from e2e.harness.report.baselines import Baselines, Comparison
from e2e.harness.report.record import build_report
from e2e.harness.report.schema import Json, Observation, Report, Scenario
from e2e.harness.rows import NO_VALUE, Row, duration

DOC = pathlib.Path(__file__).parents[2] / "docs" / "engine-differences.md"


def newest(baselines: Baselines, folder: str = "") -> list[RecordKey]:
    """The newest release of each engine and build recorded in folder ("" the default policy's)."""
    chosen: dict[tuple[str, str], RecordKey] = {}
    for key in baselines.records():
        if key.folder != folder:
            continue
        mine = (key.engine, key.build)
        if mine not in chosen or release_number(key.release) > release_number(chosen[mine].release):
            chosen[mine] = key
    return sorted(chosen.values(), key=lambda k: k.name)


def engine_of(baselines: Baselines, key: RecordKey) -> Engine:
    """The engine a record describes, as a run's Engine would (its key is the record's own)."""
    meta = baselines.meta(key)
    policy = key.folder.removeprefix("third-party-")
    return Engine(meta["engine"], meta["version"], meta["build"], "record", str(baselines.path(key)), policy=policy)


def report(baselines: Baselines, rows: list[Row], folder: str = "") -> Report:
    """The behaviour report of the newest records, every row judged by its expectation for that engine, with the
    engine's words kept beside its values."""
    observations = []
    comparison = Comparison()
    for key in newest(baselines, folder):
        engine = engine_of(baselines, key)
        recorded, words = baselines.get(key) or {}, baselines.reasons(key)
        comparison.before[str(key)] = recorded
        comparison.history[str(key)] = baselines.history(key)
        for row in rows:
            if row.id not in recorded:
                continue
            expectation = row.expectation(engine)
            value = recorded[row.id]
            observations.append(Observation.of(row, engine, value, expectation, expectation.known and
                                               value == expectation.value, words.get(row.id, "")))  # fmt: skip
    return build_report(observations, comparison)


def plain(scenario: Scenario, value: Json) -> str:
    """A value as the documents' tables write it (the report's words, without markup)."""
    if value is True:
        return "✓"
    if value is False:
        return "✗"
    if value is None or value == NO_VALUE.JSON:
        return "none"
    if scenario.get("unit") == "seconds" and isinstance(value, int):
        return duration(value)
    labels = scenario.get("labels", [])
    if isinstance(value, list) and labels:
        items = value if value and isinstance(value[0], list) else [value]
        return "; ".join(", ".join(f"{label} {plain({}, v)}" for label, v in zip(labels, item, strict=False))
                         for item in items)  # fmt: skip
    if isinstance(value, list):
        return ", ".join(plain(scenario, v) for v in value) or "empty"
    text = str(value).replace("|", "\\|").replace("\n", "\\n")
    return text if len(text) <= 60 else f"{text[:60]}… ({len(text)} characters)"


def markdown(built: Report) -> str:
    """Where engines differ, by concern: rule, spec, each engine's value (and * where it fails its row)."""
    names = sorted(built["engines"])
    engines = built["engines"]
    head = " | ".join(f"{n} {engines[n]['version']}" for n in names)
    lines = [
        "# Where engines differ",
        "",
        "Generated from the committed baselines by `python3 -m e2e report --write-differences-doc` (each engine's",
        "newest release, default third-party policy); `e2e/model/test_docs.py` fails when it is stale. A value in",
        "*italics* deviates knowingly from the spec (the row names its source); `(policy)` is what the engine's",
        "third-party policy decides there (a setting, not a deviation); `(!)` marks one that fails its row.",
        "",
    ]
    concerns: dict[str, list[str]] = {}
    for case, scenario in built["scenarios"].items():
        if scenario["differs"]:
            concerns.setdefault(scenario["category"], []).append(case)
    counted = sum(len(cases) for cases in concerns.values())
    lines.append(f"{counted} of {len(built['scenarios'])} rows differ between {', '.join(names)}.")
    for concern, cases in sorted(concerns.items()):
        lines += ["", f"## {concern} ({len(cases)})", "", f"| row | spec | {head} |",
                  "| --- | --- | " + " | ".join("---" for _ in names) + " |"]  # fmt: skip
        for case in sorted(cases):
            scenario = built["scenarios"][case]
            cells = []
            for name in names:
                cell = scenario["engines"].get(name)
                if cell is None:
                    cells.append("not recorded")
                    continue
                text = plain(scenario, cell["observed"])
                text = f"*{text}*" if cell.get("verdict") == "deviates" else text
                text = (
                    f"{text} (policy)"
                    if cell.get("kind") == "policy" and cell["observed"] != scenario["spec"]["value"]
                    else text
                )
                cells.append(f"{text} (!)" if cell.get("verdict") == "failed" else text)
            rule = scenario.get("rule", "").replace("|", "\\|")
            lines.append(f"| {rule} `{case}` | {plain(scenario, scenario['spec']['value'])} | {' | '.join(cells)} |")
    return "\n".join(lines) + "\n"
