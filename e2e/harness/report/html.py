"""The behaviour report as one self-contained HTML page people read.

First screen: a legend and, per engine (name, version, build), how many rows follow the spec, deviate
knowingly, changed against the baseline, and failed. Every cell is coloured by that verdict, not by the
yes or no it shows: a red ✗ is a row that failed, whatever ✗ means there. Beside the engines, the spec's
own value. Then where engines differ, grouped by concern, with the odd engine out named; then every row,
by concern. Values read as people say them: ✓ / ✗, lifetimes in days and hours, a list's parts by name.
Each cell's expectation and source is one hover or tap away, and the recorded releases of each engine
where they disagree. A filter narrows every table as you type. No script or file from the network: it
works offline and on a 390 px phone screen.
"""

import html
import json

from e2e.harness.report.agreement import KINDS, agreement, coverage
from e2e.harness.report.schema import VERDICTS, Cell, EngineEntry, Json, Report, Scenario
from e2e.harness.rows import NO_VALUE, duration

SHOWN_CHARACTERS = 80

STYLE = """
:root { --follows: #dff3df; --deviates: #fff1c9; --changed: #ecdcff; --failed: #ffd4d4; }
body { font: 15px/1.45 system-ui, sans-serif; margin: 0 auto; padding: 1em; max-width: 76em; color: #222; }
h1 { font-size: 1.5em; margin: .2em 0 .4em; }
h2 { font-size: 1.2em; margin-top: 1.4em; border-bottom: 1px solid #ddd; }
h3 { font-size: 1em; margin: 1em 0 .3em; }
.legend span { display: inline-block; padding: 0 .45em; margin: .1em .2em .1em 0; border-radius: 3px; }
.v-follows { background: var(--follows); }
.v-deviates { background: var(--deviates); }
.v-changed { background: var(--changed); }
.v-failed { background: var(--failed); outline: 2px solid #c00; outline-offset: -2px; }
.cards { display: flex; flex-wrap: wrap; gap: .5em; margin: .5em 0; }
.card { border: 1px solid #ccc; border-radius: 6px; padding: .4em .7em; flex: 1 1 20em; }
.card h3 { margin: 0 0 .2em; overflow-wrap: anywhere; }
.card p { margin: 0; }
.card span { display: inline-block; padding: 0 .35em; margin: .1em .1em 0 0; border-radius: 3px; }
.card b { font-weight: 700; }
#filter { width: 100%; box-sizing: border-box; font: inherit; padding: .35em .5em; margin: .3em 0 .2em; }
.wrap { overflow-x: auto; }
table { border-collapse: collapse; width: 100%; table-layout: fixed; min-width: 40em; }
th:first-child { width: 32%; }
th, td { border-bottom: 1px solid #e4e4e4; padding: .35em .5em; text-align: left; vertical-align: top; }
th { background: #f5f5f5; font-weight: 600; }
td.rule small { color: #666; display: block; overflow-wrap: anywhere; }
td.rule .odd { color: #7a4b00; font-size: .85em; display: block; }
td.spec { background: #f7f7fb; }
.cell { cursor: help; }
.yes, .no { font-weight: 700; }
.history { color: #555; font-size: .85em; display: block; }
.why { color: #333; font-size: .8em; display: block; font-style: italic; }
details summary { cursor: pointer; font-weight: 600; margin: .6em 0; }
code { white-space: pre-wrap; word-break: break-all; font-size: .9em; }
/* A phone (390 px): each row becomes a block, each value labelled with its column, no sideways scroll. */
@media (max-width: 40em) {
  body { padding: .5em; }
  table, thead, tbody, tr, th, td { display: block; width: auto; }
  table { min-width: 0; }
  thead { display: none; }
  tr { border-bottom: 2px solid #ddd; padding: .3em 0; }
  td { border: 0; padding: .15em .3em; overflow-wrap: anywhere; }
  td[data-label]::before { content: attr(data-label) ": "; font-size: .8em; color: #555; }
  td.rule small { display: inline; margin-left: .4em; }
  .card { flex-basis: 100%; }
  #summary .more { display: none; }
}
"""
# Narrows every table's rows to those whose text holds what is typed; a section with no row left hides.
FILTER = """
document.getElementById('filter').addEventListener('input', (event) => {
  const wanted = event.target.value.toLowerCase();
  for (const row of document.querySelectorAll('tbody tr')) {
    row.hidden = wanted !== '' && !row.textContent.toLowerCase().includes(wanted);
  }
  for (const block of document.querySelectorAll('[data-rows]')) {
    block.hidden = wanted !== '' && !block.querySelector('tbody tr:not([hidden])');
  }
});
"""
CONTROL_NAMES = {"\t": "\\t", "\n": "\\n", "\r": "\\r"}
LEGEND = {  # verdict -> (word, what it means)
    "follows": ("follows", "follows the spec, or what its third-party policy decides"),
    "deviates": ("deviates knowingly", "a known deviation of the engine's, with its source"),
    "changed": ("changed", "changed against the committed baseline"),
    "failed": ("failed", "failed its expectation"),
}


def visible(text: str) -> str:
    """Control characters by their names (\\r, \\x01): a browser would draw them as boxes or nothing."""
    return "".join(
        CONTROL_NAMES.get(ch, f"\\x{ord(ch):02x}") if ord(ch) < 0x20 or ord(ch) == 0x7F else ch for ch in text
    )


def readable(value: Json, unit: str = "", labels: tuple[str, ...] = ()) -> str:
    """A value as a person reads it: ✓/✗ for yes/no, "none" for nothing, a lifetime in days, a list's parts by their
    labels, text and key: value lines for the rest."""
    if value is True:
        return '<span class="yes">✓</span>'
    if value is False:
        return '<span class="no">✗</span>'
    if value is None or value == NO_VALUE.JSON:
        return "<em>none</em>"
    if isinstance(value, dict):
        if not value:
            return "<em>empty</em>"
        return "<br>".join(f"{html.escape(visible(str(k)))}: {readable(v, unit)}" for k, v in value.items())
    if isinstance(value, list):
        if not value:
            return "<em>empty</em>"
        if labels and len(value) == len(labels) and not any(isinstance(v, list) for v in value):
            return ", ".join(f"{html.escape(label)} {readable(v)}" for label, v in zip(labels, value, strict=True))
        parts = [readable(v, unit, labels) for v in value]
        return ("<br>" if labels or any(isinstance(v, list) for v in value) else ", ").join(parts)
    if value == "":
        return "<em>empty</em>"
    if unit == "seconds" and isinstance(value, int) and not isinstance(value, bool):
        return f"{html.escape(duration(value))} <small>({value} s)</small>"
    if unit and isinstance(value, int) and not isinstance(value, bool):
        return f"{value} {html.escape(unit.removesuffix('s') if value == 1 else unit)}"
    text = visible(str(value))
    if len(text) > SHOWN_CHARACTERS:  # a 4096-octet value says how long it is instead
        text = f"{text[:SHOWN_CHARACTERS]}… ({len(str(value))} characters)"
    return f"<code>{html.escape(text)}</code>"


def _shown(scenario: Scenario, value: Json) -> str:
    return readable(value, scenario.get("unit", ""), tuple(scenario.get("labels", ())))


def _history(scenario: Scenario, cell: Cell, label: str) -> str:
    """The recorded releases where they disagree, e.g. "chromium 156 -> 157: ✓ -> ✗"."""
    steps = cell.get("history", [])
    if len({json.dumps(v, sort_keys=True) for _, _, v in steps}) < 2:
        return ""
    releases = " -> ".join(release for release, _, _ in steps)
    values = " -> ".join(_shown(scenario, v) for _, _, v in steps)
    return f'<span class="history">{html.escape(label)} {html.escape(releases)}: {values}</span>'


def _cell(scenario: Scenario, cell: Cell | None, name: str, label: str) -> str:
    attribute = html.escape(label, quote=True)
    if cell is None:
        return f'<td data-label="{attribute}"><em>not run</em></td>'
    body = _shown(scenario, cell["observed"])
    verdict = cell.get("verdict", "follows")
    if verdict == "changed":
        body = f"{_shown(scenario, cell['baseline'])} &rarr; {body}"
    title = (f"{VERDICTS.get(verdict, verdict)}; expected {json.dumps(cell['expected'], ensure_ascii=False)[:300]}"
             f" ({cell.get('kind', '')}: {cell['source']})")  # fmt: skip
    if cell.get("why"):  # the engine's own words, beside the value it explains
        body += f'<span class="why">{html.escape(name)} says: {html.escape(cell["why"])}</span>'
    return (f'<td class="cell v-{verdict}" data-label="{html.escape(name, quote=True)}" '
            f'title="{html.escape(title, quote=True)}" tabindex="0">{body}{_history(scenario, cell, name)}</td>')  # fmt: skip


def _table(report: Report, cases: list[str], columns: list[tuple[str, str]], odd: bool = False) -> str:
    head = "".join(f"<th>{html.escape(label)}</th>" for _, label in columns)
    rows = []
    for case in cases:
        s = report["scenarios"][case]
        cells = "".join(_cell(s, s["engines"].get(name), name, label) for name, label in columns)
        rule = html.escape(visible(s.get("rule") or case))
        out = s.get("odd", [])
        note = (f'<span class="odd">odd one out: {html.escape(", ".join(out))}</span>'
                if odd and out and len(out) < len(s["engines"]) else "")  # fmt: skip
        spec = s.get("spec", {"value": NO_VALUE.JSON, "source": ""})
        because = spec.get("because")  # the model's rule for its own refusal, as the engines' words are shown
        shown = _shown(s, spec["value"]) + (f'<span class="why">the model: {html.escape(because)}</span>'
                                            if because else "")  # fmt: skip
        spec_cell = (f'<td class="spec" data-label="spec" title="{html.escape(spec["source"], quote=True)}" '
                     f'tabindex="0">{shown}</td>')  # fmt: skip
        rows.append(f'<tr id="{html.escape(case)}"><td class="rule">{rule}<small>{html.escape(case)}</small>{note}'
                    f"</td>{spec_cell}{cells}</tr>")  # fmt: skip
    return (f'<div class="wrap"><table><thead><tr><th>row</th><th>spec</th>{head}</tr></thead>'
            f'<tbody>{"".join(rows)}</tbody></table></div>')  # fmt: skip


def _card(name: str, engine: EngineEntry) -> str:
    counts = engine.get("counts", {})
    items = " ".join(
        f'<span class="v-{verdict}"><b>{counts.get(label, 0)}</b> {html.escape(label)}</span>'
        for verdict, label in VERDICTS.items()
    )
    title = f"{name} {engine['version']} ({engine['build']})"
    return f'<section class="card"><h3>{html.escape(title)}</h3><p>{items}</p></section>'


def _by_concern(report: Report, cases: list[str], columns: list[tuple[str, str]], odd: bool, folded: bool) -> str:
    concerns: dict[str, list[str]] = {}
    for case in cases:
        concerns.setdefault(report["scenarios"][case]["category"], []).append(case)
    blocks = []
    for concern, rows in sorted(concerns.items()):
        table = _table(report, sorted(rows), columns, odd)
        if folded:
            blocks.append(
                f"<details data-rows><summary>{html.escape(concern)} ({len(rows)})</summary>{table}</details>"
            )
        else:
            blocks.append(f"<section data-rows><h3>{html.escape(concern)} ({len(rows)})</h3>{table}</section>")
    return "".join(blocks)


def _agreement(report: Report, names: list[str]) -> str:
    """The table of agreement (agreement.py), how many refusals carry the engine's words, and the findings;
    nothing without a row that says why."""
    counts, findings = agreement(report)
    heard = coverage(report)
    if not counts and not heard:
        return ""
    head = "".join(f"<th>{html.escape(kind)}</th>" for kind in KINDS)
    rows = "".join(
        f"<tr><td>{html.escape(name)}</td>" + "".join(f"<td>{counts[name][kind]}</td>" for kind in KINDS) + "</tr>"
        for name in names
        if name in counts
    )
    carried = "; ".join(
        f"{html.escape(name)} {heard[name][0]} of {heard[name][1]} ({100 * heard[name][0] // max(heard[name][1], 1)}%)"
        for name in names
        if name in heard
    )
    found = "".join(
        f'<li><a href="#{html.escape(case)}">{html.escape(case)}</a>: {html.escape(engine)} names '
        f"{html.escape(said)}, the model {html.escape(model)}</li>"
        for case, engine, said, model in findings
    )
    return (f'<h2 id="why">Why: each engine\'s reason against the model\'s rule</h2>'
            f'<p id="reasons-heard">Refusals that carry the engine\'s own words: {carried}.</p>'
            f'<div class="wrap"><table><thead>'
            f"<tr><th>engine</th>{head}</tr></thead><tbody>{rows}</tbody></table></div>"
            f"<p>{len(findings)} finding{'' if len(findings) == 1 else 's'} (an engine's reason names another rule"
            f"){':' if findings else '.'}</p>{f'<ul>{found}</ul>' if found else ''}")  # fmt: skip


def render(report: Report) -> str:
    engines = report["engines"]
    names = sorted(engines)
    columns = [(n, f"{n} {engines[n]['version']} ({engines[n]['build']})") for n in names]
    scenarios = report["scenarios"]
    differing = sorted(c for c, s in scenarios.items() if s["differs"])
    legend = " ".join(f'<span class="v-{verdict}" title="{html.escape(meaning, quote=True)}">{html.escape(word)}</span>'
                      for verdict, (word, meaning) in LEGEND.items())  # fmt: skip
    differences = (
        _by_concern(report, differing, columns, odd=True, folded=False)
        if differing
        else "<p>No row differs between the engines of this report.</p>"
    )
    cards = "".join(_card(n, engines[n]) for n in names)
    return f"""<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>cookie-lab behaviour report</title><style>{STYLE}</style></head>
<body>
<h1>cookie-lab behaviour report</h1>
<p id="summary">{len(scenarios)} rows in {len(names)} engine{"" if len(names) == 1 else "s"}; {len(differing)} where engines differ.
Cells are coloured by verdict: <span class="legend">{legend}</span><span class="more">; the spec column is the spec's
own value, and a value's expectation and source are a hover or tap away.</span></p>
<div class="cards" id="engines">{cards}</div>
<input id="filter" type="search" placeholder="filter rows: an id, a rule's words, a value" aria-label="filter rows">
<h2 id="differences">Where engines differ ({len(differing)})</h2>
{differences}
{_agreement(report, names)}
<h2 id="concerns">Every row, by concern</h2>
{_by_concern(report, sorted(scenarios), columns, odd=False, folded=True)}
<script>{FILTER}</script>
</body></html>
"""
