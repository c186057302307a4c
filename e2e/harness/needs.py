"""@pytest.mark.needs(...): what a test needs beyond its own engine parameter, so that a run collects only
the tests it can run (a hosted job with one engine, Playwright's builds and no WebKitWebDriver).

A need is an engine name (the test launches that engine itself, e.g. in an inner run), "webkitgtk"
(WebKitWebDriver, Xvfb and the WebKitGTK browser: WebKit over WebDriver here), "distro" (the Debian
builds of the engines it names: it looks for their process names or paths), "grid" (Java and the
Selenium Grid jar that `python3 -m e2e setup --grid` fetches) or "root" (it acts as another local user,
uid 65534, through setpriv). Tests are chosen by these
markers, never by their names; the collection header says how many were left out and why.
"""

import collections
import os
import shutil

import pytest

from e2e.harness.backends import grid
from e2e.harness.engine import ENGINES

NEEDS = (*ENGINES, "webkitgtk", "distro", "grid", "root")
REASONS = pytest.StashKey[collections.Counter[str]]()


def unmet(config: pytest.Config, needs: tuple[str, ...]) -> list[str]:
    """The needs this run cannot meet, each as a short reason."""
    from e2e.harness.backends.playwright import playwright_download

    unknown = set(needs) - set(NEEDS)
    if unknown:
        raise pytest.UsageError(f"@pytest.mark.needs: unknown need {sorted(unknown)}; one of {', '.join(NEEDS)}")
    chosen = config.option.browser or list(ENGINES)
    reasons = [f"{need} not in --browser" for need in needs if need in ENGINES and need not in chosen]
    channel = config.getoption("--browser-channel", None)
    if channel:  # their inner runs launch the engine's own build, which a channel's job need not have
        reasons += [
            f"{need}'s own build (this run is --browser-channel {channel})" for need in needs if need in ENGINES
        ]
    route = config.getoption("--webkit")
    if "webkitgtk" in needs and (
        route in ("playwright", "safari") or (route == "auto" and playwright_download("webkit") is not None)
    ):
        reasons.append(f"webkitgtk (WebKit runs as --webkit {route})")
    if "grid" in needs:
        try:
            if not (grid.checked() and shutil.which("java")):
                reasons.append("grid (python3 -m e2e setup --grid fetches it)")
        except grid.BadJar as error:
            raise pytest.UsageError(str(error)) from None
    if "root" in needs and not (os.geteuid() == 0 and shutil.which("setpriv")):
        reasons.append("root (to act as another local user with setpriv)")
    if "distro" in needs:
        reasons += [
            f"{need}'s Debian build (Playwright's is installed)"
            for need in needs
            if need in ENGINES and playwright_download(need) is not None
        ]
    return reasons


def deselect(config: pytest.Config, items: list[pytest.Item]) -> None:
    """Deselect every item whose needs this run cannot meet (pytest_collection_modifyitems)."""
    reasons = config.stash.setdefault(REASONS, collections.Counter())
    kept: list[pytest.Item] = []
    left_out: list[pytest.Item] = []
    for item in items:
        needs = tuple(need for mark in item.iter_markers("needs") for need in mark.args)
        why = unmet(config, needs) if needs else []
        (left_out if why else kept).append(item)
        reasons.update(why)
    if left_out:
        config.hook.pytest_deselected(items=left_out)
        items[:] = kept


def header(config: pytest.Config) -> list[str]:
    reasons = config.stash.get(REASONS, collections.Counter())
    if not reasons:
        return []
    return ["left out by @needs: " + "; ".join(f"{count} need {why}" for why, count in sorted(reasons.items()))]
