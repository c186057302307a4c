"""The scenario rows themselves: one literal home per id, a rule, a spec, and sourced deviations."""

import datetime
import importlib
import pathlib
import re

import pytest

from e2e.harness.engine import ENGINES
from e2e.harness.rows import MEASURED, MEASURED_OLDER, REGISTRY, UNVERIFIED

E2E = pathlib.Path(__file__).parents[1]
for module in sorted(E2E.glob("test_*.py")):  # the behaviour modules, each holding its rows
    importlib.import_module(f"e2e.{module.stem}")  # the same module objects pytest collects
ROWS = sorted((r for r in REGISTRY if r.behaviour), key=lambda r: r.id)
TEXT = {path: path.read_text() for path in E2E.rglob("*") if path.suffix in (".py", ".json")}


def test_rows_exist_for_every_concern():
    """The tables were found: at least the 261 browser cases' worth of rows."""
    assert len(ROWS) >= 250, len(ROWS)


def test_rule_sentences_are_prose_and_the_same_every_day():
    """No rule shows a Python dict, an unfilled {dir}, a header "None", or a year a date computed from today
    would bring (this year or the next): sentences, and the report holding them, read the same every day."""
    years = {str(datetime.date.today().year + n) for n in (0, 1)}
    bad = [r.id for r in ROWS if re.search(r"\{'|\{dir\}|header None\b", r.rule) or any(y in r.rule for y in years)]
    assert bad == []


def test_row_ids_are_unique():
    """No two rows share an id."""
    ids = [r.id for r in ROWS]
    assert sorted({i for i in ids if ids.count(i) > 1}) == []


@pytest.mark.parametrize("row", ROWS, ids=lambda r: r.id)
def test_row_id_is_written_once(row):
    """Grepping the id over e2e/ finds exactly its row: the id is typed nowhere else."""
    hits = [
        (path.name, n)
        for path, text in TEXT.items()
        for n, line in enumerate(text.splitlines(), 1)
        if f'"{row.id}"' in line
    ]
    assert len(hits) == 1, hits


@pytest.mark.parametrize("row", ROWS, ids=lambda r: r.id)
def test_row_states_rule_spec_and_sourced_deviations(row):
    """A one-sentence rule, the spec's section, and every deviation a real departure with a source."""
    assert re.fullmatch(r"[A-Z\"'_a-z].+\.", row.rule), row.rule
    assert row.spec, "the spec section (RFC 6265bis or Django's docs) the expectation comes from"
    for engine, deviations in row.deviations.items():
        assert engine in ENGINES
        for deviation in deviations:
            # Under the policies it applies to (third_party.py), it departs from what the row expects there.
            expected = [row.policies.get(p, (row.expect,))[0] for p in deviation.policies] or [row.expect]
            assert deviation.value not in expected or deviation.builds, f"{engine}: a deviation equal to the spec"
            sources = (MEASURED[engine], *([MEASURED_OLDER[engine]] if engine in MEASURED_OLDER else []))
            measured_here = deviation.source.startswith(sources)
            assert measured_here or deviation.source.startswith(UNVERIFIED), deviation.source
