"""Engines side by side: `-n N` (pytest-xdist) runs each engine's tests in a worker of its own, in order.

Every test gets an xdist_group: its engine for a browser test (a module's batched jar and the module order
stay together, on one browser), its module otherwise (a module's own fixtures are built once), and the run
schedules by group (--dist loadgroup). The controller, not a worker, holds the one report, the baseline
comparison, the engines section and the last line: observations reach it in each test's report
(user_properties), and each worker sends the engines it launched when it ends (workeroutput).
"""

from typing import Any

import pytest

ENGINES_USED = pytest.StashKey[dict[str, str]]()  # engine name -> its description, for the engines section
WORKER_ENGINES = "cookie_lab_engines"


def running(config: pytest.Config) -> bool:
    """Whether this run distributes its tests (-n N, N > 0)."""
    return bool(config.getoption("numprocesses", None))


def configure(config: pytest.Config) -> None:
    """On the controller: schedule by group, whatever --dist said (load would split a module's batch)."""
    if running(config) and not hasattr(config, "workerinput"):
        config.option.dist = "loadgroup"


def group(items: list[pytest.Item]) -> None:
    """Each test's xdist_group: its engine, else its module."""
    for item in items:
        params = getattr(getattr(item, "callspec", None), "params", {})
        engine = params.get("browser_name")
        item.add_marker(pytest.mark.xdist_group(engine or item.nodeid.split("::")[0]))


def used(config: pytest.Config, engine: str, description: str) -> None:
    config.stash.setdefault(ENGINES_USED, {})[engine] = description


class Workers:
    """pytest-xdist's hooks, on both sides: a worker sends its engines, the controller gathers them."""

    def __init__(self, config: pytest.Config) -> None:
        self.config = config

    @pytest.hookimpl(trylast=True)
    def pytest_sessionfinish(self, session: pytest.Session) -> None:
        output = getattr(self.config, "workeroutput", None)
        if output is not None:
            engines: dict[str, str] = self.config.stash.get(ENGINES_USED, {})
            output[WORKER_ENGINES] = dict(engines)

    @pytest.hookimpl(optionalhook=True)
    def pytest_testnodedown(self, node: Any, error: Any) -> None:
        sent = getattr(node, "workeroutput", {}).get(WORKER_ENGINES, {})
        self.config.stash.setdefault(ENGINES_USED, {}).update(sent)
