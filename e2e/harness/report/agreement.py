"""Why, against the model: does each engine's own reason name the model's rule, and how many refusals carry one?

Two kinds of row say why. The refusals rows observe the rule an engine's words name (their value is that rule,
"no reason given", "refused without a word" or "stored"). Any other row that names the value meaning a refusal
(Row.refused: False for "not stored", "not sent") keeps the engine's words beside it (the cell's "why") and, where
the model refuses too, the model's rule (the spec's "because").
"""

from e2e.harness.reasons import NO_REASON, SILENT, STORED, rule_of
from e2e.harness.report.schema import Cell, Report, Scenario

SAME, OTHER = "names the model's rule", "names another rule"
KINDS = (SAME, OTHER, NO_REASON, SILENT, STORED)  # the table's columns, in this order
CATEGORY = "refusals"


def _words_rule(engine: str, why: str) -> str:
    """The model's rule an engine's words name (Chromium's are reason names; Firefox's one sentence)."""
    return rule_of(engine, tuple(why.split()) if engine == "chromium" else (why,))


def _said(scenario: Scenario, engine: str, cell: Cell) -> str | None:
    """What the engine's reason for this refusal names (a rule, NO_REASON, SILENT or STORED), or None where the
    cell is no refusal of a row that says why."""
    if scenario["category"] == CATEGORY:
        return str(cell["observed"])
    if "refused" not in scenario or cell["observed"] != scenario["refused"]:
        return None
    return _words_rule(engine, cell["why"]) if cell.get("why") else NO_REASON


def agreement(report: Report) -> tuple[dict[str, dict[str, int]], list[tuple[str, str, str, str]]]:
    """engine -> kind -> count over the refusals for which the model names a rule, and the findings: (row,
    engine, the engine's rule, the model's rule) wherever the two name different rules."""
    counts: dict[str, dict[str, int]] = {}
    findings = []
    for case, scenario in sorted(report["scenarios"].items()):
        model = scenario["spec"]["value"] if scenario["category"] == CATEGORY else scenario["spec"].get("because")
        if not model:
            continue
        for engine, cell in scenario["engines"].items():
            said = _said(scenario, engine, cell)
            if said is None:
                continue
            kind = SAME if said == model else said if said in (NO_REASON, SILENT, STORED) else OTHER
            counts.setdefault(engine, dict.fromkeys(KINDS, 0))[kind] += 1
            if kind == OTHER:
                findings.append((case, engine, said, str(model)))
    return counts, findings


def coverage(report: Report) -> dict[str, tuple[int, int]]:
    """engine -> (refusals that carry the engine's words, refusals) over every row that says why."""
    found: dict[str, tuple[int, int]] = {}
    for scenario in report["scenarios"].values():
        for engine, cell in scenario["engines"].items():
            said = _said(scenario, engine, cell)
            if said is None or said == STORED:
                continue
            heard, refusals = found.get(engine, (0, 0))
            found[engine] = (heard + (said not in (NO_REASON, SILENT)), refusals + 1)
    return found
