"""--shard I/N: a deterministic split of a run into N disjoint parts, whole modules at a time.

Whole modules, so that a module's batched jar (module_lab) and its shared observations stay
in one shard. Modules are dealt heaviest first to the lightest shard so far (ties to the lower
shard), so N machines finish at about the same time and every machine computes the same split
from the same collection. A module weighs its tests, a browser test BROWSER_WEIGHT times one
without a browser: counted alone, the 1440 row checks of test_rows.py (a second in all) filled a
shard of two and left the engine nothing to run there. `python3 -m e2e merge` joins the records.
"""

import pytest

# A whole run here: 2193 browser tests take most of its 578 s (about 0.25 s each); test_rows.py's
# 1440 checks take about a second. 50 keeps the cheap modules from weighing like browser ones.
BROWSER_WEIGHT = 50


def parse(text: str) -> tuple[int, int]:
    """ "2/3" -> (2, 3); a UsageError naming the input otherwise."""
    index, _, count = text.partition("/")
    if not (index.isascii() and index.isdigit() and count.isascii() and count.isdigit()):
        raise pytest.UsageError(f"--shard takes I/N with 1 <= I <= N (e.g. 2/3), not {text!r}")
    i, n = int(index), int(count)
    if not 1 <= i <= n:
        raise pytest.UsageError(f"--shard takes I/N with 1 <= I <= N (e.g. 2/3), not {text!r}")
    return i, n


def split(modules: dict[str, int], count: int) -> list[list[str]]:
    """module -> weight, dealt into count shards (each a list of modules)."""
    shards: list[list[str]] = [[] for _ in range(count)]
    sizes = [0] * count
    for module in sorted(modules, key=lambda m: (-modules[m], m)):
        smallest = min(range(count), key=lambda s: (sizes[s], s))
        shards[smallest].append(module)
        sizes[smallest] += modules[module]
    return shards


def keep(config: pytest.Config, items: list[pytest.Item]) -> None:
    """Deselect every item outside this run's shard (pytest_collection_modifyitems)."""
    given = config.getoption("--shard")
    if not given:
        return
    index, count = parse(given)
    modules: dict[str, int] = {}
    for item in items:
        module = item.nodeid.split("::")[0]
        modules[module] = modules.get(module, 0) + (BROWSER_WEIGHT if item.get_closest_marker("browser") else 1)
    mine = set(split(modules, count)[index - 1])
    kept = [item for item in items if item.nodeid.split("::")[0] in mine]
    dropped = [item for item in items if item.nodeid.split("::")[0] not in mine]
    if dropped:
        config.hook.pytest_deselected(items=dropped)
    items[:] = kept
