"""The behaviour report as one self-contained HTML page: scenarios x engines."""

import html
import json

STYLE = """
body { font: 14px system-ui, sans-serif; margin: 1.5em; }
table { border-collapse: collapse; }
th, td { border: 1px solid #ccc; padding: .25em .5em; text-align: left; vertical-align: top; }
th { background: #f3f3f3; position: sticky; top: 0; }
td code { white-space: pre-wrap; word-break: break-all; }
tr[data-differs="true"] td.case { background: #fff4c2; }
td.changed { background: #ffd0d0; }
td.failed { outline: 2px solid #c00; }
.legend span { padding: 0 .5em; margin-right: 1em; }
"""
SCRIPT = """
function applyFilters() {
  const category = document.getElementById("category").value;
  const differs = document.getElementById("only-differs").checked;
  const changed = document.getElementById("only-changed").checked;
  let shown = 0;
  for (const row of document.querySelectorAll("tbody tr")) {
    const visible = (!category || row.dataset.category === category)
      && (!differs || row.dataset.differs === "true")
      && (!changed || row.dataset.changed === "true");
    row.hidden = !visible;
    shown += visible ? 1 : 0;
  }
  document.getElementById("shown").textContent = shown;
}
for (const id of ["category", "only-differs", "only-changed"]) {
  document.getElementById(id).addEventListener("change", applyFilters);
}
applyFilters();
"""


def _value(value):
    return html.escape(json.dumps(value, sort_keys=True))


def _cell(cell):
    if cell is None:
        return "<td>not run</td>"
    classes, body = [], f"<code>{_value(cell['observed'])}</code>"
    if cell["baseline"] != "<none>" and cell["baseline"] != cell["observed"]:
        classes.append("changed")
        body = f"<code>{_value(cell['baseline'])}</code> &rarr; {body}"
    if cell["outcome"] != "passed":
        classes.append("failed")
    title = html.escape(f"expected {json.dumps(cell['expected'])}; {cell['source']}", quote=True)
    return f'<td class="{" ".join(classes)}" title="{title}">{body}</td>'


def render(report):
    engines = sorted(report["engines"])
    scenarios = report["scenarios"]
    categories = sorted({s["category"] for s in scenarios.values()})
    head = "".join(
        f"<th>{html.escape(e)} {html.escape(report['engines'][e]['version'])}"
        f"<br><small>{html.escape(report['engines'][e]['build'])} build</small></th>"
        for e in engines
    )
    rows = []
    for case in sorted(scenarios):
        s = scenarios[case]
        cells = "".join(_cell(s["engines"].get(e)) for e in engines)
        rows.append(
            f'<tr data-category="{html.escape(s["category"])}" data-differs="{str(s["differs"]).lower()}" '
            f'data-changed="{str(bool(s["changed"])).lower()}"><td class="case">{html.escape(case)}</td>{cells}</tr>'
        )
    options = "".join(f'<option value="{html.escape(c)}">{html.escape(c)}</option>' for c in categories)
    differing = sum(1 for s in scenarios.values() if s["differs"])
    changed = sum(1 for s in scenarios.values() if s["changed"])
    return f"""<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>cookie-lab behaviour report</title>
<style>{STYLE}</style></head>
<body>
<h1>cookie-lab behaviour report</h1>
<p id="summary">{len(scenarios)} scenarios, {differing} differ between engines, {changed} changed against the baseline.</p>
<p class="legend"><span style="background:#fff4c2">engines differ</span><span style="background:#ffd0d0">changed: baseline &rarr; now</span><span style="outline:2px solid #c00">test failed</span> (hover a cell for the recorded truth and its source)</p>
<p><label>attribute <select id="category"><option value="">all</option>{options}</select></label>
<label><input type="checkbox" id="only-differs"> only where engines differ</label>
<label><input type="checkbox" id="only-changed"> only changed against the baseline</label>
&middot; <span id="shown">{len(scenarios)}</span> shown</p>
<table id="matrix"><thead><tr><th>scenario</th>{head}</tr></thead>
<tbody>
{chr(10).join(rows)}
</tbody></table>
<script>{SCRIPT}</script>
</body></html>
"""
