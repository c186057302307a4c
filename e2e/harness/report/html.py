"""The behaviour report as one self-contained HTML page people read.

First screen: per engine (name, version, build), how many scenarios follow the
spec, deviate knowingly, changed against the baseline, and failed. Then every
place where engines differ, as the rule's sentence with the values side by
side. Then one section per concern. Values are shown as a person reads them
(✓ / ✗ for yes and no, text for the rest), each cell's source one hover or tap
away, and the recorded releases of each engine where they disagree. No script
from the network, no external file: it works offline and on a narrow screen.
"""

import html
import json

from e2e.harness.report.schema import Cell, EngineEntry, Json, Report
from e2e.harness.rows import NO_VALUE

SHOWN_CHARACTERS = 80
COUNTS = ("follow the spec", "deviate knowingly", "changed against the baseline", "failed")

STYLE = """
body { font: 15px/1.45 system-ui, sans-serif; margin: 0 auto; padding: 1em; max-width: 72em; color: #222; }
h1 { font-size: 1.5em; margin: .2em 0 .6em; }
h2 { font-size: 1.2em; margin-top: 1.6em; border-bottom: 1px solid #ddd; }
.cards { display: flex; flex-wrap: wrap; gap: .8em; }
.card { border: 1px solid #ccc; border-radius: 6px; padding: .6em .9em; flex: 1 1 15em; }
.card h3 { margin: 0 0 .3em; font-size: 1em; }
.card dl { display: grid; grid-template-columns: auto 1fr; gap: .1em .6em; margin: 0; }
.card dd { margin: 0; font-weight: 600; }
.bad { color: #b00; }
.wrap { overflow-x: auto; }
table { border-collapse: collapse; width: 100%; table-layout: fixed; min-width: 36em; }
th:first-child { width: 34%; }
th, td { border-bottom: 1px solid #e4e4e4; padding: .35em .5em; text-align: left; vertical-align: top; }
th { background: #f5f5f5; font-weight: 600; }
td.rule { min-width: 16em; }
td.rule small { color: #666; display: block; }
.yes { color: #186a18; font-weight: 700; }
.no { color: #a01818; font-weight: 700; }
.cell { cursor: help; }
.failed { outline: 2px solid #c00; }
.changed { background: #ffe3e3; }
.history { color: #555; font-size: .85em; display: block; }
details summary { cursor: pointer; font-weight: 600; margin: .6em 0; }
code { white-space: pre-wrap; word-break: break-all; font-size: .9em; }
/* A phone (390 px): each scenario becomes a block, each value labelled with its engine, no sideways scroll. */
@media (max-width: 40em) {
  body { padding: .5em; }
  table, thead, tbody, tr, th, td { display: block; width: auto; }
  table { min-width: 0; }
  thead { display: none; }
  tr { border-bottom: 2px solid #ddd; padding: .3em 0; }
  td { border: 0; padding: .15em .3em; overflow-wrap: anywhere; }
  td[data-label]::before { content: attr(data-label); display: block; font-size: .8em; color: #555; }
  .card { flex-basis: 100%; }
  .card h3 { overflow-wrap: anywhere; }
}
"""
CONTROL_NAMES = {"\t": "\\t", "\n": "\\n", "\r": "\\r"}


def visible(text: str) -> str:
    """Control characters by their names (\\r, \\x01): a browser would draw them as boxes or nothing."""
    return "".join(
        CONTROL_NAMES.get(ch, f"\\x{ord(ch):02x}") if ord(ch) < 0x20 or ord(ch) == 0x7F else ch for ch in text
    )


def readable(value: Json) -> str:
    """A value as a person reads it: ✓/✗ for yes/no, "none" for nothing, text and key: value lines for the rest."""
    if value is True:
        return '<span class="yes">✓</span>'
    if value is False:
        return '<span class="no">✗</span>'
    if value is None or value == NO_VALUE.JSON:
        return "<em>none</em>"
    if isinstance(value, dict):
        if not value:
            return "<em>empty</em>"
        return "<br>".join(f"{html.escape(visible(str(k)))}: {readable(v)}" for k, v in value.items())
    if isinstance(value, list):
        return ", ".join(readable(v) for v in value) if value else "<em>empty</em>"
    if value == "":
        return "<em>empty</em>"
    text = visible(str(value))
    if len(text) > SHOWN_CHARACTERS:  # a 4096-octet value says how long it is instead
        text = f"{text[:SHOWN_CHARACTERS]}… ({len(str(value))} characters)"
    return f"<code>{html.escape(text)}</code>"


def _history(cell: Cell, label: str) -> str:
    """The recorded releases where they disagree, e.g. "chromium 156 -> 157: ✓ -> ✗"."""
    steps = cell.get("history", [])
    if len({json.dumps(v, sort_keys=True) for _, _, v in steps}) < 2:
        return ""
    releases = " -> ".join(release for release, _, _ in steps)
    values = " -> ".join(readable(v) for _, _, v in steps)
    return f'<span class="history">{html.escape(label)} {html.escape(releases)}: {values}</span>'


def _cell(cell: Cell | None, name: str, label: str) -> str:
    if cell is None:
        return f'<td data-label="{html.escape(label, quote=True)}"><em>not run</em></td>'
    classes = ["cell"]
    body = readable(cell["observed"])
    if cell["baseline"] != NO_VALUE.JSON and cell["baseline"] != cell["observed"]:
        classes.append("changed")
        body = f"{readable(cell['baseline'])} &rarr; {body}"
    if cell["outcome"] != "passed":
        classes.append("failed")
    title = f"expected {json.dumps(cell['expected'], ensure_ascii=False)[:300]} - {cell['source']}"
    return (f'<td class="{" ".join(classes)}" data-label="{html.escape(label, quote=True)}" '
            f'title="{html.escape(title, quote=True)}" tabindex="0">{body}{_history(cell, name)}</td>')  # fmt: skip


def _table(report: Report, cases: list[str], columns: list[tuple[str, str]]) -> str:
    head = "".join(f"<th>{html.escape(label)}</th>" for _, label in columns)
    rows = []
    for case in cases:
        s = report["scenarios"][case]
        cells = "".join(_cell(s["engines"].get(name), name, label) for name, label in columns)
        rule = html.escape(visible(s.get("rule") or case))
        rows.append(
            f'<tr id="{html.escape(case)}"><td class="rule">{rule}<small>{html.escape(case)}</small></td>{cells}</tr>'
        )
    return f'<div class="wrap"><table><thead><tr><th>scenario</th>{head}</tr></thead><tbody>{"".join(rows)}</tbody></table></div>'


def _card(name: str, engine: EngineEntry) -> str:
    counts = {label: engine.get("counts", {}).get(label, 0) for label in COUNTS}
    items = "".join(
        f'<dt>{html.escape(label)}</dt><dd class="{"bad" if number and label in ("failed", "changed against the baseline") else ""}">{number}</dd>'
        for label, number in counts.items()
    )  # fmt: skip
    title = f"{name} {engine['version']} ({engine['build']})"
    return f'<section class="card"><h3>{html.escape(title)}</h3><dl>{items}</dl></section>'


def render(report: Report) -> str:
    engines = report["engines"]
    names = sorted(engines)
    columns = [(n, f"{n} {engines[n]['version']} ({engines[n]['build']})") for n in names]
    scenarios = report["scenarios"]
    differing = sorted(c for c, s in scenarios.items() if s["differs"])
    concerns = sorted({s["category"] for s in scenarios.values()})
    sections = "".join(
        f"<details><summary>{html.escape(c)} ({sum(s['category'] == c for s in scenarios.values())})</summary>"
        f"{_table(report, sorted(k for k, s in scenarios.items() if s['category'] == c), columns)}</details>"
        for c in concerns
    )
    differences = (
        _table(report, differing, columns)
        if differing
        else "<p>No scenario differs between the engines of this report.</p>"
    )
    cards = "".join(_card(n, engines[n]) for n in names)
    return f"""<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>cookie-lab behaviour report</title><style>{STYLE}</style></head>
<body>
<h1>cookie-lab behaviour report</h1>
<p id="summary">{len(scenarios)} scenarios in {len(names)} engine{"" if len(names) == 1 else "s"}; {len(differing)} where engines differ.
Hover or tap a value for what was expected and its source.</p>
<div class="cards" id="engines">{cards}</div>
<h2 id="differences">Where engines differ ({len(differing)})</h2>
{differences}
<h2 id="concerns">Every scenario, by concern</h2>
{sections}
</body></html>
"""
