"""The cookie-lab pytest plugin: the test network, the engine behind the runner interface, per-test cookie isolation.

Registered as the `pytest11` entry point `e2e.harness.plugin` (pyproject.toml), so an installed
cookie-lab (`pip install -e .`, `uv sync`) loads it into any pytest run; `-p e2e.harness.plugin`
loads it by name, and the root conftest.py loads it in a checkout where it is not installed.
Layered like pytest-playwright's own fixtures, each overridable:
test_network -> backend (one launched engine) -> lab / module_lab (a clean jar) -> check.
Only e2e/harness/backends/ (playwright.py, webdriver.py, marionette.py) knows how an
engine is driven; everything here speaks Lab, Backend and Engine. Per-run and per-test
state lives in pytest's stash (config.stash, item.stash).
"""

from __future__ import annotations  # the Playwright types in annotations are imported for the checker only

import collections
import contextlib
import json
import os
import pathlib
import sys
from collections.abc import Callable, Generator, Iterator
from typing import TYPE_CHECKING, Any

import pytest
from pytest_django.plugin import blocking_manager_key
from slugify import slugify

from e2e.harness import guards, needs, shards, side_by_side
from e2e.harness.engine import ENGINES
from e2e.harness.network.closed import TestNetwork
from e2e.harness.network.hosts import Origins
from e2e.harness.report.baselines import COMMITTED, Baselines
from e2e.harness.report.record import Collector
from e2e.harness.runner import Backend, EngineCrashed, Lab, LabError
from e2e.harness.verdict import FAILURES, Verdict

if TYPE_CHECKING:  # only backends/playwright.py imports playwright at run time
    from playwright.sync_api import Browser, BrowserContext, BrowserType, Playwright

WEBKIT_ROUTES = ("auto", "playwright", "webkitgtk", "safari")
DEFAULT_OUTPUT = "test-results"  # pytest-playwright's --output default, taken from the repository root
OUTPUT = pytest.StashKey[guards.OutputClaim]()  # the locked output folder, held for the whole run


def pytest_addhooks(pluginmanager: pytest.PytestPluginManager) -> None:
    """pytest-playwright first: this plugin's browser_type_launch_args, browser_context_args and
    delete_output_dir override its fixtures of those names, and between plugins the one registered
    later wins. Installed, both load as entry points in no set order; this call, made while this
    plugin registers, registers pytest-playwright before it (later entry-point loading skips it)."""
    if not pluginmanager.has_plugin("playwright"):
        pluginmanager.load_setuptools_entrypoints("pytest11", name="playwright")


def pytest_addoption(parser: pytest.Parser) -> None:
    group = parser.getgroup("cookie-lab")
    group.addoption("--report-dir", default=None, help="where the behaviour report goes (default: --output)")
    group.addoption(
        "--baseline-dir",
        default=str(COMMITTED),
        help=f"baselines to compare with (default {COMMITTED})",
    )
    group.addoption("--update-baselines", action="store_true", help="re-record the baselines from this run")
    group.addoption(
        "--strict-baselines", action="store_true", help="fail when an engine/version or case has no baseline"
    )
    group.addoption(
        "--webkit",
        choices=WEBKIT_ROUTES,
        default="auto",
        help="how WebKit runs: Playwright's build, WebKitGTK over WebDriver, or Safari over safaridriver "
        "(auto: Playwright's build when installed, else WebKitGTK)",
    )
    group.addoption(
        "--firefox",
        choices=["playwright", "marionette"],
        default="playwright",
        help="how Firefox runs: Playwright (over WebDriver BiDi for Debian's Firefox), or Marionette "
        "(marionette_driver: for a release no Playwright here drives, e.g. --release firefox=140)",
    )
    group.addoption(
        "--proxy-listen",
        default="127.0.0.1:0",
        metavar="HOST:PORT",
        help="where the test proxy listens (default 127.0.0.1 and a free port); a non-loopback HOST exposes "
        "the test network to other machines, for a remote browser (--webdriver-url)",
    )
    group.addoption(
        "--allow-idle-engines",
        action="store_true",
        help="do not fail when an engine asked for with --browser ran no test (e.g. with -k)",
    )
    group.addoption(
        "--row",
        action="append",
        default=[],
        metavar="ID",
        help="run only the row with this id, as a failure names it (e.g. samesite/strict/cross-site-link), in "
        "every engine asked for; repeatable",
    )
    group.addoption(
        "--report-from-baselines",
        action="store_true",
        help="write the report of the committed baselines (each engine's newest release) and run nothing",
    )
    group.addoption(
        "--write-differences-doc",
        action="store_true",
        help="with --report-from-baselines: also regenerate e2e/docs/engine-differences.md",
    )
    group.addoption(
        "--list-rows",
        action="store_true",
        help="print every row id (what --row takes) with its rule, and run nothing",
    )
    group.addoption(
        "--shard",
        default=None,
        metavar="I/N",
        help="run only shard I of N (whole modules, the same split on every machine); merge the records after",
    )
    group.addoption(
        "--release",
        action="append",
        default=[],
        metavar="ENGINE=MAJOR",
        help="run ENGINE on another release fetched by `python3 -m e2e setup --releases` (e.g. chromium=150); "
        "repeatable, one per engine",
    )
    group.addoption(
        "--third-party",
        action="append",
        default=[],
        metavar="[ENGINE=]POLICY",
        help="third-party cookie policy: allowed, blocked, partitioned (Firefox), no-third-party (WebKitGTK) or "
        "default (each engine's shipped default); ENGINE= for one engine; repeatable",
    )
    group.addoption(
        "--playwright-server",
        action="append",
        default=[],
        metavar="[ENGINE=]WS_URL",
        help="Chromium and Firefox (ENGINE= for one) from this Playwright server instead of launched here (started "
        "with `python3 -m e2e serve-browser ENGINE`); its Playwright must match this one in major.minor; repeatable",
    )
    group.addoption(
        "--webdriver-url",
        default=None,
        help="drive the WebDriver server (a driver, a Selenium Grid) at this URL instead of starting one "
        "(WebKit over WebDriver)",
    )
    group.addoption(
        "--webdriver-jar",
        choices=["auto", "document"],
        default="auto",
        help="how WebKitGTK's jar is read: auto (the browser's control port when it runs on this machine, else "
        "WebDriver's cookies of the current document) or document (always the latter, as for a remote browser)",
    )


LOOKUPS = ("help", "version", "markers", "showfixtures", "show_fixtures_per_test", "collectonly")


def pytest_configure(config: pytest.Config) -> None:
    if config.getoption("--output") == DEFAULT_OUTPUT:
        # From the repository root whatever the working directory: e2e/test-results would be a tracked folder.
        config.option.output = str(config.rootpath / DEFAULT_OUTPUT)
    looking_up = any(config.getoption(name, False) for name in LOOKUPS)
    if not hasattr(config, "workerinput"):  # the xdist controller or a plain run
        guards.stop_on_signals()
        guards.private_tmp(config)
        guards.check_options(config)
        if not looking_up:  # --help, --co, --markers and the like run no test: the last run's output stays
            check_rows_asked(config)
            claim = guards.claim_output(pathlib.Path(config.getoption("--output")), config.rootpath)
            config.stash[OUTPUT] = claim
            config.add_cleanup(claim.close)  # after the report is written: the list names it too
            guards.keep_writes_in_output(config)
            config.pluginmanager.register(Collector(config, run_baselines(config)), "cookie-lab-report")
        config.pluginmanager.register(guards.EnginesRan(config), "cookie-lab-engines-ran")
    side_by_side.configure(config)
    config.pluginmanager.register(side_by_side.Workers(config), "cookie-lab-workers")
    # pytest-playwright runs only chromium without --browser; this suite's
    # point is the matrix, so no option means every engine.
    if not config.option.browser:
        config.option.browser = list(ENGINES)


# e2e/model: the spec model's checks; e2e/selftest: the harness's own tests; e2e/examples: a site of its own (its
# tests need its settings, --ds).
LAYERS = ("model", "selftest", "examples")


def pytest_ignore_collect(collection_path: pathlib.Path, config: pytest.Config) -> bool | None:
    """`pytest e2e` is the behaviour matrix: e2e/model, e2e/selftest and e2e/examples are collected only where the
    command line (or testpaths, for a bare `pytest`) names them or a path inside them."""
    e2e = pathlib.Path(__file__).resolve().parents[1]
    if collection_path.parent != e2e or collection_path.name not in LAYERS:
        return None
    named = (pathlib.Path(str(arg).split("::")[0]).resolve() for arg in config.args)
    return not any(path == collection_path or collection_path in path.parents for path in named)


@pytest.hookimpl(wrapper=True)
def pytest_make_collect_report(
    collector: pytest.Collector,
) -> Generator[None, pytest.CollectReport, pytest.CollectReport]:
    """A module's import may run its rows' model (flows.Modelled: the site asked on a database of its own), so
    pytest-django's block on database access is lifted while a module is collected; tests stay blocked."""
    blocker = collector.config.stash.get(blocking_manager_key, None) if isinstance(collector, pytest.Module) else None
    with blocker.unblock() if blocker is not None else contextlib.nullcontext():
        return (yield)


def pytest_collection_finish(session: pytest.Session) -> None:
    guards.drop_unused_hypothesis(session.config)


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    for item in items:
        if "browser_name" in getattr(item, "fixturenames", ()):
            item.add_marker(pytest.mark.browser)
    _keep_rows(config, items)
    needs.deselect(config, items)
    shards.keep(config, items)
    if side_by_side.running(config) or hasattr(config, "workerinput"):
        side_by_side.group(items)


def _behaviour_rows(config: pytest.Config) -> list[Any]:
    """Every row of the behaviour modules (e2e/test_*.py), imported as pytest imports them (the same module objects,
    so a later collection finds them loaded); their models may ask the site, so the database block is lifted."""
    import importlib

    from e2e.harness.rows import REGISTRY

    blocker = config.stash.get(blocking_manager_key, None)
    with blocker.unblock() if blocker is not None else contextlib.nullcontext():
        for module in sorted(pathlib.Path(__file__).resolve().parents[1].glob("test_*.py")):
            importlib.import_module(f"e2e.{module.stem}")
    return sorted((r for r in REGISTRY if r.behaviour), key=lambda r: r.id)


@pytest.hookimpl(tryfirst=True)
def pytest_cmdline_main(config: pytest.Config) -> int | None:
    """--list-rows: every row id with its rule, one a line (what --row takes); --report-from-baselines: the
    report of the committed records (from_baselines.py). Neither runs a test."""
    if config.getoption("--list-rows"):
        for found in _behaviour_rows(config):
            print(f"{found.id}  {found.rule}")
        return 0
    if config.getoption("--report-from-baselines"):
        return _report_from_baselines(config)
    return None


def _report_from_baselines(config: pytest.Config) -> int:
    from e2e.harness.report import from_baselines
    from e2e.harness.report.html import render

    policies = config.getoption("--third-party")
    folder = f"third-party-{policies[-1]}" if policies and policies[-1] != "default" else ""
    built = from_baselines.report(run_baselines(config), _behaviour_rows(config), folder)
    if not built["scenarios"]:
        print(f"no record in {config.getoption('--baseline-dir')}/{folder}: nothing to report", file=sys.stderr)
        return 2
    out = pathlib.Path(config.getoption("--report-dir") or config.getoption("--output"))
    if not out.is_absolute():
        out = config.rootpath / out
    out = out / ("baselines-report" + (f"-{folder}" if folder else ""))
    out.mkdir(parents=True, exist_ok=True)
    (out / "cookie-report.json").write_text(json.dumps(built, indent=1, sort_keys=True) + "\n")
    (out / "cookie-report.html").write_text(render(built))
    names = ", ".join(f"{n} {e['version']}" for n, e in sorted(built["engines"].items()))
    print(f"report of the committed records ({names}; {len(built['scenarios'])} rows): {out / 'cookie-report.html'}")
    if config.getoption("--write-differences-doc"):
        from_baselines.DOC.write_text(from_baselines.markdown(built))
        print(f"written: {from_baselines.DOC}")
    return 0


def check_rows_asked(config: pytest.Config) -> None:
    """--row IDs that no row has: one line naming the nearest ids, before any test is collected."""
    import difflib

    wanted = config.getoption("--row")
    if not wanted:
        return
    ids = [r.id for r in _behaviour_rows(config)]
    for asked in wanted:
        if asked not in ids:
            near = difflib.get_close_matches(asked, ids, n=3, cutoff=0.5)
            hint = f"; nearest: {', '.join(near)}" if near else ""
            raise pytest.UsageError(f"--row {asked}: no row has this id{hint} (pytest e2e --list-rows lists them)")


def _keep_rows(config: pytest.Config, items: list[pytest.Item]) -> None:
    """--row ID: keep only the items checking those rows (check_rows_asked refused unknown ids before)."""
    from e2e.harness.rows import Row

    wanted = set(config.getoption("--row"))
    if not wanted:
        return

    def checks(item: pytest.Item) -> bool:
        params = getattr(getattr(item, "callspec", None), "params", {})
        return any(isinstance(value, Row) and value.id in wanted for value in params.values())

    kept = [item for item in items if checks(item)]
    config.hook.pytest_deselected(items=[item for item in items if not checks(item)])
    items[:] = kept


def pytest_report_collectionfinish(config: pytest.Config) -> list[str]:
    return needs.header(config)


def _site_line() -> str:
    import django
    from django.conf import settings

    return f"site: Django {django.get_version()} ({settings.SETTINGS_MODULE})"


def pytest_report_header(config: pytest.Config) -> list[str]:
    lines = [_site_line()]
    folder = config.stash.get(guards.PRIVATE_TMP, None)
    if folder is not None:
        lines.append(f"temp folder: {folder} (this run's own, removed when it ends)")
    host = config.getoption("--proxy-listen").rpartition(":")[0]
    if host.strip("[]") not in ("127.0.0.1", "localhost", "::1"):
        lines.append(
            f"WARNING: --proxy-listen {config.getoption('--proxy-listen')} is not loopback: other machines reach the "
            "test network through it (the lab's verbs, the server's log, the app's login)"
        )
    return lines


@pytest.fixture(scope="session", autouse=True)
def delete_output_dir() -> None:
    """Replaces pytest-playwright's, which deletes --output whatever it holds: guards.claim_output
    empties it at start, and only a folder a cookie-lab run made."""


@pytest.fixture(scope="session")
def test_network(pytestconfig: pytest.Config) -> Iterator[TestNetwork]:
    """Site servers on plain and TLS sockets behind the closed proxy, for the whole run."""
    host, _, port = pytestconfig.getoption("--proxy-listen").rpartition(":")  # checked by guards.check_options
    with TestNetwork((host, int(port))) as network:
        yield network


@pytest.fixture(scope="session")
def webkit_route(pytestconfig: pytest.Config, browser_name: str, playwright: Playwright) -> str:
    """For WebKit: "playwright", "webkitgtk" or "safari"; other engines always run on Playwright."""
    from e2e.harness.backends.playwright import find_build

    route: str = pytestconfig.getoption("--webkit") if browser_name == "webkit" else "playwright"
    if route == "auto":
        route = "playwright" if find_build(playwright, "webkit") else "webkitgtk"
    return route


def _build(pytestconfig: pytest.Config, playwright: Playwright, browser_name: str) -> tuple[str, str]:
    """(build, executable) to launch: a --release from the cache, else Playwright's build or the distro's."""
    from e2e.harness.backends import releases
    from e2e.harness.backends.playwright import find_build

    chosen = releases.parse(pytestconfig.getoption("--release")).get(browser_name)
    if chosen is not None:
        return "distro", releases.find(browser_name, chosen)[0]
    channel = pytestconfig.getoption("--browser-channel", None)
    if channel:  # Playwright finds the channel's browser (e.g. chrome: Google Chrome stable); a build of its own
        return channel, f"channel {channel}"
    found = find_build(playwright, browser_name)
    if found is None:  # guards.check_options refused the run before any engine launched
        raise LabError(f"no {browser_name} build to launch")
    return found


@pytest.fixture(scope="session")
def third_party_policy(pytestconfig: pytest.Config, browser_name: str) -> str:
    """This engine's third-party cookie policy (e2e/harness/third_party.py), checked by guards.check_options."""
    from e2e.harness import third_party

    return third_party.parse(pytestconfig.getoption("--third-party"), [browser_name])[browser_name]


@pytest.fixture(scope="session")
def browser_type_launch_args(
    browser_type_launch_args: dict[str, Any],
    pytestconfig: pytest.Config,
    browser_name: str,
    playwright: Playwright,
    test_network: TestNetwork,
    third_party_policy: str,
) -> dict[str, Any]:
    from e2e.harness.backends.playwright import launch_args

    build, executable = _build(pytestconfig, playwright, browser_name)
    proxy = test_network.proxy
    # A browser on a Playwright server runs on that machine: no namespace of this machine's for it.
    private = proxy.unix_path if proxy.loopback and not _server(pytestconfig, browser_name) else None
    own = launch_args(browser_name, proxy.port, build, executable, third_party_policy, proxy.host, private)
    return {**own, **browser_type_launch_args}  # command-line choices (--headed, --browser-channel, --slowmo) win


def _server(config: pytest.Config, engine: str) -> str | None:
    """The Playwright server this engine comes from (--playwright-server), or None: launched here."""
    from e2e.harness.backends import playwright_server

    return playwright_server.servers(config.getoption("--playwright-server")).get(engine)


@pytest.fixture(scope="session")
def launch_browser(
    browser_type_launch_args: dict[str, Any], browser_type: BrowserType, pytestconfig: pytest.Config
) -> Callable[..., Browser]:
    """Replaces pytest-playwright's: on --playwright-server, a connect that sends the launch options by the
    names the server reads (playwright_server.py); else a local launch."""
    from e2e.harness.backends import playwright_server

    server = _server(pytestconfig, browser_type.name)

    def launch(**kwargs: Any) -> Browser:
        options = {**browser_type_launch_args, **kwargs}
        if not server:
            return browser_type.launch(**options)
        try:
            return playwright_server.connect(browser_type, server, options)
        except playwright_server.ServerError as error:
            pytest.exit(str(error), returncode=pytest.ExitCode.USAGE_ERROR)

    return launch


@pytest.fixture(scope="session")
def browser_context_args(browser_context_args: dict[str, Any]) -> dict[str, Any]:
    from e2e.harness.backends.playwright import CONTEXT_ARGS

    return {**browser_context_args, **CONTEXT_ARGS}


def _playwright_backend(request: pytest.FixtureRequest, browser_name: str, policy: str) -> Backend:
    from e2e.harness import third_party
    from e2e.harness.backends import firefox_console
    from e2e.harness.backends.playwright import (
        PlaywrightBackend,
        ProfileBackend,
        allow_third_party_cookies,
        private_firefox,
    )
    from e2e.harness.engine import Engine
    from e2e.harness.network import private_net

    build, executable = _build(request.config, request.getfixturevalue("playwright"), browser_name)
    settings: tuple[tuple[str, str], ...] = (
        ("third-party", f"{policy} ({third_party.describe(browser_name, policy)})"),
    )
    network: TestNetwork = request.getfixturevalue("test_network")
    server = _server(request.config, browser_name)
    private_socket = network.proxy.unix_path if network.proxy.loopback and not server else None
    if browser_name == "firefox" and build == "distro" and not server:
        settings += (
            private_net.setting() if private_firefox(browser_name, build, private_socket) else ("loopback", "shared"),
        )
    browser_type: BrowserType = request.getfixturevalue("browser_type")
    launch_args = request.getfixturevalue("browser_type_launch_args")
    context_args = request.getfixturevalue("browser_context_args")
    profile = browser_name == "chromium" and policy == "allowed"  # a setting only a profile holds
    if server:
        executable = server  # the server chose the executable, on its machine

    def persistent(folder: str) -> BrowserContext:
        if server:
            raise LabError(
                f"a browser of its own on a profile (a restart, Chromium's third-party cookies allowed) needs a "
                f"local launch: the Playwright server {server} offers no persistent context"
            )
        if profile:
            allow_third_party_cookies(pathlib.Path(folder))
        return browser_type.launch_persistent_context(folder, **launch_args, **context_args)

    if profile:
        probe = ProfileBackend(Engine(browser_name, "", build, "playwright", executable, policy=policy), persistent)
        probe_session = probe.new_session()
        version = probe_session.context.browser.version
        probe_session.close()
        return ProfileBackend(
            Engine(browser_name, version, build, "playwright", executable, settings, policy), persistent
        )
    browser = request.getfixturevalue("browser")
    engine = Engine(browser_name, browser.version, build, "playwright", executable, settings, policy)
    # A served browser writes its console on the server's machine: not read from here.
    console = None if server else launch_args["env"].get(firefox_console.CONSOLE_ENV)
    relaunch = request.getfixturevalue("launch_browser")
    return PlaywrightBackend(
        browser, engine, context_args, relaunch, persistent, pathlib.Path(console) if console else None
    )


@pytest.fixture(scope="session")
def backend(
    request: pytest.FixtureRequest,
    browser_name: str,
    webkit_route: str,
    test_network: TestNetwork,
    third_party_policy: str,
) -> Iterator[Backend]:
    """The launched engine behind the runner interface, for the whole run."""
    from e2e.harness.backends.webdriver import WebDriverBackend, WebKitGTKLauncher

    marionette = browser_name == "firefox" and request.config.getoption("--firefox") == "marionette"
    if webkit_route == "playwright" and not marionette:
        launched = _playwright_backend(request, browser_name, third_party_policy)
        side_by_side.used(request.config, browser_name, launched.engine.describe())
        yield launched  # pytest-playwright closes the browser it launched; the backend closes a relaunch
        launched.close()
        return
    if marionette:
        from e2e.harness.backends.marionette import MarionetteLauncher

        _, executable = _build(request.config, request.getfixturevalue("playwright"), browser_name)
        proxy = test_network.proxy
        launcher: MarionetteLauncher | WebKitGTKLauncher = MarionetteLauncher(
            proxy.host, proxy.port, executable, third_party_policy, proxy.unix_path if proxy.loopback else None
        )
    else:
        url, jar = request.config.getoption("--webdriver-url"), request.config.getoption("--webdriver-jar")
        proxy = test_network.proxy
        launcher = WebKitGTKLauncher(
            proxy.url, webkit_route, url, third_party_policy, jar, proxy.unix_path if proxy.loopback else None
        )
    with launcher:
        launched = WebDriverBackend(launcher)
        side_by_side.used(request.config, browser_name, launched.engine.describe())
        try:
            yield launched
        finally:
            launched.close()


def _clean_lab(request: pytest.FixtureRequest, backend: Backend, test_network: TestNetwork, scope: str) -> Lab:
    runner = Lab(backend.session_for(request, scope), test_network)
    runner.assert_empty_jar(f"{scope} start")
    return runner


@pytest.fixture(scope="session")
def origins() -> Origins:
    """The test origins (origins.site is http://example.test, origins.secure_cross_site https://other.test, ...): every
    one reaches the site under test through the test proxy, and nothing else does."""
    return Origins()


@pytest.fixture
def lab(request: pytest.FixtureRequest, backend: Backend, test_network: TestNetwork) -> Lab:
    """The scenario runner on a clean jar of this test's own, proven empty."""
    return _clean_lab(request, backend, test_network, "function")


@pytest.fixture(scope="module")
def module_lab(request: pytest.FixtureRequest, backend: Backend, test_network: TestNetwork) -> Lab:
    """One clean jar for a module's batched cases (distinct cookie names), proven empty."""
    return _clean_lab(request, backend, test_network, "module")


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item: pytest.Item, call: pytest.CallInfo[None]) -> Generator[None, Any, None]:
    """On a failing browser test, keep what the server received beside the trace and screenshot."""
    report = (yield).get_result()
    if call.excinfo is not None and call.excinfo.errisinstance(EngineCrashed):
        _forget_shared_fixtures(item)
    if report.when != "call" or not report.failed:
        return
    for name in ("lab", "module_lab"):
        runner = getattr(item, "funcargs", {}).get(name)
        if isinstance(runner, Lab) and runner.history:
            folder = pathlib.Path(item.config.getoption("--output")) / slugify(item.nodeid)
            folder.mkdir(parents=True, exist_ok=True)
            (folder / "server-echo.json").write_text(json.dumps(runner.history, indent=1, sort_keys=True))
            report.sections.append(("server echo", f"what the server received: {folder / 'server-echo.json'}"))


def _forget_shared_fixtures(item: pytest.Item) -> None:
    """After a crash, module- and class-scoped fixtures (module_lab, a module's batched observations)
    are torn down, so the module's next test builds them again on a relaunched browser instead of
    re-raising the cached crash in every remaining test (wptrunner's CRASH-and-restart, per module).

    pytest has no public way to drop a cached higher-scoped fixture: this uses three of its internals,
    Function._fixtureinfo.name2fixturedefs, Function._request and FixtureDef.finish(request), checked on pytest
    8.3 to 9.2.0 (the pin). e2e/selftest/test_layout.py fails first when a pytest release changes them."""
    for fixturedefs in item._fixtureinfo.name2fixturedefs.values():  # type: ignore[attr-defined]
        for fixturedef in fixturedefs:
            if fixturedef.scope in ("module", "class", "package"):
                with contextlib.suppress(Exception):  # its browser is gone: closing it may fail too
                    fixturedef.finish(item._request)  # type: ignore[attr-defined]


@pytest.fixture(scope="module")
def shipped_site(request: pytest.FixtureRequest, django_db_blocker: Any) -> Iterator[pathlib.Path]:
    """The shipped app's database for a module's flows: made, migrated and given test users, under --output."""
    from e2e.harness.network.site_database import site_database

    output = pathlib.Path(request.config.getoption("--output")).resolve()
    output.mkdir(parents=True, exist_ok=True)
    # One file per module and worker: side by side, each engine's worker runs the module at once (side_by_side.py).
    worker = os.environ.get("PYTEST_XDIST_WORKER", "main")
    path = output / f"site-{request.module.__name__.rsplit('.', 1)[-1]}-{worker}.sqlite3"
    path.unlink(missing_ok=True)
    with site_database(path, django_db_blocker):
        yield path


RUN_BASELINES = pytest.StashKey[Baselines]()


def run_baselines(config: pytest.Config) -> Baselines:
    """The run's one Baselines (each file read once): the verdicts' notes and the report's comparison share it."""
    if RUN_BASELINES not in config.stash:
        config.stash[RUN_BASELINES] = Baselines(config.getoption("--baseline-dir"))
    return config.stash[RUN_BASELINES]


@pytest.fixture(scope="session")
def baselines(pytestconfig: pytest.Config) -> Baselines:
    return run_baselines(pytestconfig)


@pytest.fixture
def check(request: pytest.FixtureRequest, backend: Backend, baselines: Baselines) -> Verdict:
    """check(row, observed): record the observation and give the row's one verdict for this engine."""
    return Verdict(request.node, backend.engine, lambda engine, case: baselines.value(engine.key, case))


@pytest.hookimpl(wrapper=True)
def pytest_pyfunc_call(pyfuncitem: pytest.Function) -> Generator[None, object, object]:
    """A test with failed checks fails once its body is done, listing every failed observation."""
    result = yield
    failures = pyfuncitem.stash.get(FAILURES, None)
    if failures:
        pytest.fail("\n".join(failures), pytrace=False)
    return result


def pytest_terminal_summary(terminalreporter: pytest.TerminalReporter) -> None:
    engines_used = terminalreporter.config.stash.get(side_by_side.ENGINES_USED, {})
    if engines_used:
        terminalreporter.section("engines")
        for name in sorted(engines_used):
            terminalreporter.write_line(engines_used[name])
        terminalreporter.write_line(_site_line())  # the other side of every cookie: what the site's Django sends
    # One line per skip reason instead of pytest's one per test location.
    reasons = collections.Counter(
        report.longrepr[2].removeprefix("Skipped: ")
        for report in terminalreporter.stats.get("skipped", [])
        if isinstance(report.longrepr, tuple)
    )
    for reason, count in sorted(reasons.items()):
        terminalreporter.write_line(f"skipped {count} tests: {reason}")
