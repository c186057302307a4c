"""The table of agreement: for each refusals row, does the engine's own reason name the model's rule?"""

from e2e.harness.reasons import NO_REASON, SILENT, STORED
from e2e.harness.report.schema import Report

SAME, OTHER = "names the model's rule", "names another rule"
KINDS = (SAME, OTHER, NO_REASON, SILENT, STORED)  # the table's columns, in this order
CATEGORY = "refusals"


def agreement(report: Report) -> tuple[dict[str, dict[str, int]], list[tuple[str, str, str, str]]]:
    """engine -> kind -> count over the refusals rows, and the findings: (row, engine, the engine's rule, the
    model's rule) wherever the two name different rules."""
    counts: dict[str, dict[str, int]] = {}
    findings = []
    for case, scenario in sorted(report["scenarios"].items()):
        if scenario["category"] != CATEGORY:
            continue
        model = scenario["spec"]["value"]
        for engine, cell in scenario["engines"].items():
            said = cell["observed"]
            kind = SAME if said == model else said if said in (NO_REASON, SILENT, STORED) else OTHER
            counts.setdefault(engine, dict.fromkeys(KINDS, 0))[kind] += 1
            if kind == OTHER:
                findings.append((case, engine, str(said), str(model)))
    return counts, findings
