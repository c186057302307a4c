"""The spec model's values, recorded: every row's spec value is what e2e/baselines/model/spec-values.json holds.

The model (e2e/harness/spec/) gives nearly every row its spec value by running the row's own steps. Its values
were checked once against the ones first written by hand from the drafts and Django's docs (514: no
disagreement), and recorded; from then on a change in the model, or in a row's steps, that moves any row's
spec value fails here, naming the row and both values, until it is understood and re-recorded
(`pytest e2e/model/test_model_record.py --update-baselines`). Single rules are checked one at a time in
test_sending.py and test_django_model.py.
"""

import json

from e2e.harness.report.baselines import COMMITTED, dump, flat
from e2e.harness.rows import NO_VALUE
from e2e.model.test_rows import ROWS

RECORD = COMMITTED / "model" / "spec-values.json"


def _values() -> dict[str, object]:
    return {row.id: json.loads(json.dumps(row.expect)) for row in ROWS if row.expect is not NO_VALUE}


def test_every_row_s_spec_value_is_the_recorded_one(pytestconfig):
    """A spec value that moved (or a new row's, not yet recorded) fails, naming the row and both values."""
    values = _values()
    if pytestconfig.getoption("--update-baselines"):
        RECORD.parent.mkdir(parents=True, exist_ok=True)
        # Grouped by concern as an engine's record is, so that grepping a row's id still finds only its row.
        RECORD.write_text(dump({"engine": "spec-model", "version": "RFC 6265bis-20"}, values))
    recorded = flat(json.loads(RECORD.read_text())["observations"])
    moved = {
        row: [recorded.get(row, "not recorded"), value]
        for row, value in values.items()
        if recorded.get(row, NO_VALUE) != value
    }
    assert moved == {}, f"re-record with --update-baselines once understood: {moved}"
