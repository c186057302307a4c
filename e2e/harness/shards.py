"""--shard I/N: a deterministic split of a run into N disjoint parts, whole modules at a time.

Whole modules, so that a module's batched jar (module_lab) and its shared observations stay
in one shard. Modules are dealt largest first to the shard with the fewest tests so far
(ties to the lower shard), so N machines finish at about the same time and every machine
computes the same split from the same collection. `python3 -m e2e merge` joins the records.
"""

import pytest


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
    """module -> number of tests, dealt into count shards (each a list of modules)."""
    shards: list[list[str]] = [[] for _ in range(count)]
    sizes = [0] * count
    for module in sorted(modules, key=lambda m: (-modules[m], m)):
        smallest = min(range(count), key=lambda s: (sizes[s], s))
        shards[smallest].append(module)
        sizes[smallest] += modules[module]
    return shards


def keep(config, items: list) -> None:
    """Deselect every item outside this run's shard (pytest_collection_modifyitems)."""
    given = config.getoption("--shard")
    if not given:
        return
    index, count = parse(given)
    modules: dict[str, int] = {}
    for item in items:
        module = item.nodeid.split("::")[0]
        modules[module] = modules.get(module, 0) + 1
    mine = set(split(modules, count)[index - 1])
    kept = [item for item in items if item.nodeid.split("::")[0] in mine]
    dropped = [item for item in items if item.nodeid.split("::")[0] not in mine]
    if dropped:
        config.hook.pytest_deselected(items=dropped)
    items[:] = kept
