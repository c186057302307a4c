"""A module's batched observations: a step that fails costs the rows it observes, not the module."""

import pytest

from e2e.harness.batch import Batch, StepFailed
from e2e.harness.runner import EngineCrashed, LabError


def _fails(error):
    def step():
        raise error

    return step


@pytest.mark.parametrize("error", [LabError("clicking #go failed"), TimeoutError("no load"), KeyError("context")])
def test_a_failed_step_costs_only_the_rows_it_observes(error):
    """Whatever the exception, the keys before and after it keep their values; the failed key raises its error."""
    batch = Batch()
    batch.observe("before", lambda: 1)
    assert batch.observe("broken", _fails(error)) is None
    batch.observe("after", lambda: 3)
    assert (batch["before"], batch["after"]) == (1, 3)
    assert batch.failed() == ["broken"]
    with pytest.raises(StepFailed, match=rf"the batch step for 'broken' failed: {type(error).__name__}"):
        batch["broken"]


def test_a_crash_ends_the_batch():
    """A crashed engine can observe nothing more: EngineCrashed is not kept, it ends the pass."""
    with pytest.raises(EngineCrashed):
        Batch().observe("any", _fails(EngineCrashed("webkit crashed")))
