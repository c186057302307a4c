"""The behaviour report: its first screen in a real browser, its history, and a merge of separate runs."""

import json
import subprocess
import sys

import pytest

from e2e.harness.engine import Engine
from e2e.harness.network.hosts import ORIGIN
from e2e.harness.report.baselines import Comparison, Drift
from e2e.harness.report.html import readable, render
from e2e.harness.report.merge import merge
from e2e.harness.report.record import build_report
from e2e.harness.report.schema import Observation
from e2e.harness.rows import Expectation, Row
from e2e.harness.runner import lab_url
from e2e.test_size import NAME_VALUE

CHROMIUM = Engine("chromium", "156.0.1", "distro", "playwright", "/usr/bin/chromium")
FIREFOX = Engine("firefox", "153.7.0", "distro", "playwright", "/usr/bin/firefox-esr")
WEBKIT = Engine("webkit", "2.50.6", "webkitgtk", "webdriver", "http://127.0.0.1:1 (webkitgtk_browser.py)")
PLANTED_RULE = "A SameSite=Strict cookie is not sent on a planted link."


ROWS: dict[str, Row] = {}  # one Row per case id, made the first time a test asks (rows.Row registers itself)


def _obs(case, engine, observed, expected=None, deviation=False, rule="A rule.", spec=None):
    """An observation of case on engine; expected defaults to observed (passed); a deviation passes on a value the
    spec (spec, else not observed) does not give."""
    value = observed if expected is None else expected
    spec_value = spec if spec is not None else ((not value) if deviation else value)
    if case not in ROWS:
        ROWS[case] = Row(case, rule, spec_value, "RFC 6265bis-20 section 5 (test data)")
    kind = "deviation" if deviation else "spec"
    expectation = Expectation(value, "measured: test data" if deviation else ROWS[case].spec, kind)
    return Observation.of(ROWS[case], engine, observed, expectation, value == observed)


def _sample_report():
    observations = [
        _obs("samesite/strict/planted", CHROMIUM, True, deviation=True, rule=PLANTED_RULE),
        _obs("samesite/strict/planted", FIREFOX, False, rule=PLANTED_RULE),
        _obs("path/same/everywhere", CHROMIUM, "/a"),
        _obs("path/same/everywhere", FIREFOX, "/a"),
        _obs("path/broken/here", FIREFOX, "/b", expected="/c"),
    ]
    comparison = Comparison(
        drift=[Drift("path/same/everywhere", "firefox", "/old", "/a")],
        before={FIREFOX.key: {"path/same/everywhere": "/old"}},
        history={CHROMIUM.key: {"samesite/strict/planted": [["155", "distro", False], ["156", "distro", True]]}},
    )
    return build_report(observations, comparison)


def test_report_counts_each_engine_for_the_first_screen():
    """Per engine: follow the spec, deviate knowingly, changed against the baseline, failed."""
    engines = _sample_report()["engines"]
    assert engines["chromium"]["counts"] == {
        "follow the spec": 1, "deviate knowingly": 1, "changed against the baseline": 0, "failed": 0
    }  # fmt: skip
    assert engines["firefox"]["counts"] == {
        "follow the spec": 1, "deviate knowingly": 0, "changed against the baseline": 1, "failed": 1
    }  # fmt: skip


# The report in a frame of a given width (1280: a laptop, 390: a phone), at its top: the engine cards, and the
# first row where engines differ, each cell with its verdict class and colour, and whether it is on the first screen.
FIRST_SCREEN = """async ([page, width, height]) => {
  const frame = document.createElement('iframe');
  frame.style.cssText = `width: ${width}px; height: ${height}px; border: 0`;
  await new Promise((loaded) => { frame.onload = loaded; frame.srcdoc = page; document.body.replaceChildren(frame); });
  const doc = frame.contentDocument;
  const row = doc.querySelector('#differences ~ section tbody tr');
  return {
    cards: [...doc.querySelectorAll('#engines .card')].map(c => c.innerText.replace(/\\s+/g, ' ').trim()),
    legend: [...doc.querySelectorAll('.legend span')].map(s => s.className),
    row: [...row.querySelectorAll('td')].map(td => ({
      text: td.innerText.replace(/\\s+/g, ' ').trim(), verdict: td.className.replace('cell ', ''),
      colour: frame.contentWindow.getComputedStyle(td).backgroundColor, seen: td.getBoundingClientRect().bottom <= height,
    })),
  };
}"""
GREEN, AMBER = "rgb(223, 243, 223)", "rgb(255, 241, 201)"  # html.STYLE's --follows and --deviates


@pytest.mark.parametrize("width, height", [(1280, 800), (390, 844)], ids=["laptop", "phone"])
def test_report_first_screen_shows_verdict_colours_and_the_spec(lab, tmp_path, width, height):
    """In each engine, at 1280 and at 390 px: the counts per engine, and on the first screen the first row where
    engines differ with the spec's value beside the engines' and each cell coloured by its verdict (Chromium's
    ✓ a known deviation: amber; Firefox's ✗ the spec's value: green), not by yes or no."""
    lab.go(lab_url(ORIGIN, "script"))
    screen = lab.evaluate(FIRST_SCREEN, [render(_sample_report()), width, height])
    assert screen["cards"] == [
        "chromium 156.0.1 (distro) 1 follow the spec 1 deviate knowingly 0 changed against the baseline 0 failed",
        "firefox 153.7.0 (distro) 1 follow the spec 0 deviate knowingly 1 changed against the baseline 1 failed",
    ]
    assert screen["legend"] == ["v-follows", "v-deviates", "v-changed", "v-failed"]
    rule, spec, chromium, firefox = screen["row"]
    assert rule["text"].startswith(PLANTED_RULE) and "odd one out" not in rule["text"]  # a tie: nobody is odd
    assert spec["text"].endswith("✗") and spec["seen"]
    assert chromium["text"].startswith("chromium") or chromium["text"].startswith("✓")
    assert (chromium["verdict"], chromium["colour"], chromium["seen"]) == ("v-deviates", AMBER, True)
    assert (firefox["verdict"], firefox["colour"], firefox["seen"]) == ("v-follows", GREEN, True)
    lab.session.screenshot(str(tmp_path / f"report-{width}px.png"))


@pytest.mark.needs("chromium", "webkit")
@pytest.mark.browser  # its inner runs launch Chromium and WebKit
def test_merge_builds_one_report_from_two_separate_runs(pytestconfig, tmp_path):
    """Two runs, one engine each, into one report with both engines side by side."""
    for engine in ("chromium", "webkit"):
        run = subprocess.run(
            [sys.executable, "-m", "pytest", "e2e/test_size.py", "--browser", engine, "-p", "no:cacheprovider",
             "--output", str(tmp_path / engine)],
            cwd=pytestconfig.rootpath, capture_output=True, text=True, timeout=300,
        )  # fmt: skip
        assert run.returncode == 0, run.stdout[-2000:]
    merged_dir = tmp_path / "merged"
    run = subprocess.run(
        [sys.executable, "-m", "e2e.harness.report.merge", str(tmp_path / "chromium"), str(tmp_path / "webkit"),
         "--output", str(merged_dir)],
        cwd=pytestconfig.rootpath, capture_output=True, text=True, timeout=60,
    )  # fmt: skip
    assert run.returncode == 0, run.stderr
    merged = json.loads((merged_dir / "cookie-report.json").read_text())
    assert sorted(merged["engines"]) == ["chromium", "webkit"]
    over_limit = merged["scenarios"][NAME_VALUE[1].id]  # 4097 octets: WebKitGTK keeps it, Chromium does not
    assert (
        over_limit["engines"]["chromium"]["observed"] is False and over_limit["engines"]["webkit"]["observed"] is True
    )
    assert over_limit["differs"] is True
    assert "Where engines differ (2)" in (merged_dir / "cookie-report.html").read_text()


def test_merge_refuses_another_schema():
    """A record of another report schema is refused, not half-merged."""
    with pytest.raises(ValueError, match="schema"):
        merge([{"schema": 1, "engines": {}, "scenarios": {}}])


@pytest.mark.parametrize(
    "value, shown",
    [
        ("a\x01=1", "<code>a\\x01=1</code>"),
        ("x\ry\tz\x7f", "<code>x\\ry\\tz\\x7f</code>"),
        ({"a\x00": "b"}, "a\\x00: <code>b</code>"),
    ],
    ids=["x01", "cr-tab-del", "key"],
)
def test_control_characters_show_by_their_names(value, shown):
    """A control character in a value is shown as \\r, \\x01 ...: a browser would draw a box or nothing."""
    assert readable(value) == shown


def test_one_engine_report_says_engine():
    """A report of one engine says "1 engine", not "1 engines"."""
    report = build_report([_obs("path/same/everywhere", CHROMIUM, "/a")], Comparison())
    assert "1 rows in 1 engine;" in render(report)


# The report in a 390 px wide frame (a phone): nothing may need a sideways scroll.
NARROW = """async (page) => {
  const frame = document.createElement('iframe');
  frame.style.cssText = 'width: 390px; height: 844px; border: 0';
  await new Promise((loaded) => { frame.onload = loaded; frame.srcdoc = page; document.body.replaceChildren(frame); });
  const doc = frame.contentDocument;
  doc.querySelectorAll('details').forEach((d) => { d.open = true; });
  const wide = [...doc.querySelectorAll('th, td, h3, p, code')].filter((e) => e.getBoundingClientRect().right > 391);
  return {width: doc.documentElement.scrollWidth, wide: wide.map((e) => e.textContent.slice(0, 40))};
}"""


def test_report_fits_a_phone_screen(lab, tmp_path):
    """At 390 px, with three engines and a long value, the report reflows: no element past the right edge."""
    observations = [
        _obs("samesite/strict/planted", engine, engine is CHROMIUM, rule=PLANTED_RULE)
        for engine in (CHROMIUM, FIREFOX, WEBKIT)
    ] + [_obs("parser/long-value", engine, "v" * 300 + "\x01") for engine in (CHROMIUM, FIREFOX, WEBKIT)]
    lab.go(lab_url(ORIGIN, "script"))
    screen = lab.evaluate(NARROW, render(build_report(observations, Comparison())))
    assert screen["width"] <= 390 and screen["wide"] == [], screen  # 390 less a scrollbar, where one shows
    lab.session.screenshot(str(tmp_path / "report-390px.png"))
