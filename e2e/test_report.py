"""The HTML behaviour report renders the matrix in a real browser and highlights differences."""

from e2e.harness.baselines import Comparison, Drift
from e2e.harness.engine import Engine
from e2e.harness.html_report import render
from e2e.harness.report import build_report, observation

CHROMIUM = Engine("chromium", "156.0.1", "distro", "playwright", "/usr/bin/chromium")
FIREFOX = Engine("firefox", "153.7.0", "distro", "playwright", "/usr/bin/firefox-esr")


def _obs(case, engine, observed):
    return observation(case, engine, observed, observed, "measured: test data", True)


def _sample_report():
    observations = [
        _obs("samesite/strict/planted", CHROMIUM, True),
        _obs("samesite/strict/planted", FIREFOX, False),
        _obs("path/same/everywhere", CHROMIUM, "/a"),
        _obs("path/same/everywhere", FIREFOX, "/a"),
    ]
    comparison = Comparison(
        drift=[Drift("path/same/everywhere", "firefox", "/old", "/a")],
        before={FIREFOX.key: {"path/same/everywhere": "/old"}},
    )
    return build_report(observations, comparison)


def test_report_json_marks_difference_and_change():
    """The report data flags the planted engine difference and the baseline change."""
    scenarios = _sample_report()["scenarios"]
    assert scenarios["samesite/strict/planted"]["differs"] is True
    assert scenarios["path/same/everywhere"]["differs"] is False
    assert scenarios["path/same/everywhere"]["changed"] == ["firefox"]


VISIBLE_CASES = (
    "() => [...document.querySelectorAll('tbody tr')].filter(r => !r.hidden).map(r => r.cells[0].textContent)"
)
BACKGROUND = "(s) => getComputedStyle(document.querySelector(s)).backgroundColor"


def test_report_renders_matrix_and_highlights(lab, tmp_path, pytestconfig):
    """In each engine: engines as columns, scenarios as rows, the planted difference highlighted, filters work."""
    report = tmp_path / "cookie-report.html"
    report.write_text(render(_sample_report()))
    lab.go(report.as_uri())
    headers = lab.evaluate("() => [...document.querySelectorAll('thead th')].map(h => h.textContent)")
    assert [h.split()[0] for h in headers] == ["scenario", "chromium", "firefox"]
    assert lab.evaluate(VISIBLE_CASES) == ["path/same/everywhere", "samesite/strict/planted"]
    assert lab.text('tr[data-differs="true"] td.case') == "samesite/strict/planted"
    assert lab.evaluate(BACKGROUND, 'tr[data-differs="true"] td.case') == "rgb(255, 244, 194)"
    assert lab.evaluate(BACKGROUND, 'tr[data-differs="false"] td.case') == "rgba(0, 0, 0, 0)"
    assert lab.text("td.changed") == '"/old" \u2192 "/a"'
    lab.session.screenshot(str(tmp_path / "report.png"))

    lab.evaluate(
        "(id) => { const box = document.getElementById(id); box.checked = true; "
        "box.dispatchEvent(new Event('change')); }",
        "only-differs",
    )
    assert lab.evaluate(VISIBLE_CASES) == ["samesite/strict/planted"]
    lab.evaluate(
        "() => { const box = document.getElementById('only-differs'); box.checked = false; "
        "const select = document.getElementById('category'); select.value = 'path'; "
        "select.dispatchEvent(new Event('change')); }"
    )
    assert lab.evaluate(VISIBLE_CASES) == ["path/same/everywhere"]
