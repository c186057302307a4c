"""The HTML behaviour report renders the matrix in a real browser and highlights differences."""
from harness.report import build_report
from harness.baselines import Comparison, Drift
from harness.html_report import render


def _obs(case, engine, observed, version):
    return {"case": case, "engine": engine, "version": version, "build": "distro", "observed": observed,
            "expected": observed, "source": "measured: test data", "outcome": "passed"}


def _sample_report():
    observations = [
        _obs("samesite/strict/planted", "chromium", True, "156.0.1"),
        _obs("samesite/strict/planted", "firefox", False, "153.7.0"),
        _obs("path/same/everywhere", "chromium", "/a", "156.0.1"),
        _obs("path/same/everywhere", "firefox", "/a", "153.7.0"),
    ]
    comparison = Comparison(
        drift=[Drift("path/same/everywhere", "firefox", "/old", "/a")],
        before={"firefox-153-distro": {"path/same/everywhere": "/old"}},
    )
    return build_report(observations, comparison)


def test_report_json_marks_difference_and_change():
    """The report data flags the planted engine difference and the baseline change."""
    scenarios = _sample_report()["scenarios"]
    assert scenarios["samesite/strict/planted"]["differs"] is True
    assert scenarios["path/same/everywhere"]["differs"] is False
    assert scenarios["path/same/everywhere"]["changed"] == ["firefox"]


def test_report_renders_matrix_and_highlights(page, tmp_path, output_path):
    """In a browser: engines as columns, scenarios as rows, the planted difference highlighted, filters work."""
    report = tmp_path / "cookie-report.html"
    report.write_text(render(_sample_report()))
    page.goto(report.as_uri())
    headers = page.locator("thead th").all_text_contents()
    assert [h.split()[0] for h in headers] == ["scenario", "chromium", "firefox"]
    assert page.locator("tbody tr").count() == 2
    planted = page.locator('tr[data-differs="true"]')
    assert planted.locator("td.case").text_content() == "samesite/strict/planted"
    highlight = "e => getComputedStyle(e).backgroundColor"
    assert planted.locator("td.case").evaluate(highlight) == "rgb(255, 244, 194)"
    assert page.locator('tr[data-differs="false"] td.case').evaluate(highlight) == "rgba(0, 0, 0, 0)"
    assert page.locator("td.changed").text_content() == '"/old" \u2192 "/a"'
    page.screenshot(path=f"{output_path}/report.png", full_page=True)

    page.check("#only-differs")
    assert page.locator("tbody tr:visible").count() == 1
    page.uncheck("#only-differs")
    page.select_option("#category", "path")
    assert page.locator("tbody tr:visible td.case").all_text_contents() == ["path/same/everywhere"]
