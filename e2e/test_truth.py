"""The truth table itself: every value has a source; WebKit values say they are unverified."""
import pytest

from e2e.truth import ENGINES, TRUTH


@pytest.mark.parametrize("case_id", sorted(TRUTH))
def test_truth_has_every_engine_with_a_source(case_id):
    """Each case records every engine; measured engines say so, WebKit says it is unverified."""
    entry = TRUTH[case_id]
    assert set(entry) == set(ENGINES)
    for engine in ("chromium", "firefox"):
        assert entry[engine].verified and entry[engine].source.startswith(f"measured: {engine} ")
    assert not entry["webkit"].verified
    assert entry["webkit"].source.startswith("unverified on this machine; ")
