"""A module's observations, made in one pass over its rows: a step that fails costs only the rows it observes.

A module batches its rows (many cookies per navigation, one jar for the module) to stay fast. Before
this, any exception in one step of the pass (a WebKit click whose callback lost a race with the
unload, measured: 1 run in 9) errored every row of the module. Now each step's value or failure is
kept under its key; a test reading a failed key fails with that step's error, and the others read
their values. A crashed engine is different: nothing after it can be observed, so EngineCrashed
still ends the pass (and plugin.py rebuilds the module's fixtures on a relaunched browser).
"""

from collections.abc import Callable
from typing import Any, Generic, TypeVar

from e2e.harness.runner import EngineCrashed, LabError

K = TypeVar("K")
V = TypeVar("V")


class StepFailed(LabError):
    """The batch step that observes this row failed; the message is that step's error."""


class _Failed:
    def __init__(self, error: BaseException) -> None:
        self.message = f"{type(error).__name__}: {str(error).splitlines()[0] if str(error) else ''}"


class Batch(Generic[K, V]):
    """key -> the value its step observed, or the error it raised (raised again when the key is read)."""

    def __init__(self) -> None:
        self._found: dict[K, V | _Failed] = {}

    def observe(self, key: K, step: Callable[[], V]) -> V | None:
        """Run step for key and keep what it gives; an exception other than a crash is kept instead."""
        try:
            value = step()
        except EngineCrashed:
            raise
        except Exception as error:  # noqa: BLE001 - whatever failed, it costs this key's rows only
            self._found[key] = _Failed(error)
            return None
        self._found[key] = value
        return value

    def __getitem__(self, key: K) -> V:
        found = self._found[key]
        if isinstance(found, _Failed):
            raise StepFailed(f"the batch step for {key!r} failed: {found.message}")
        return found

    def __contains__(self, key: Any) -> bool:
        return key in self._found

    def failed(self) -> list[K]:
        return [key for key, found in self._found.items() if isinstance(found, _Failed)]
