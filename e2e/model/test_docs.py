"""The documents' numbers and tables come from the code: e2e/docs/engine-differences.md is what the committed
baselines generate today."""

from e2e.harness.report import from_baselines
from e2e.harness.report.baselines import COMMITTED, Baselines
from e2e.model.test_rows import ROWS


def test_the_engine_differences_document_is_generated_from_the_baselines():
    """Regenerate it with `python3 -m e2e report --write-differences-doc` after recording baselines."""
    built = from_baselines.report(Baselines(COMMITTED), ROWS)
    assert from_baselines.DOC.read_text() == from_baselines.markdown(built), (
        f"{from_baselines.DOC} is stale: python3 -m e2e report --write-differences-doc"
    )
