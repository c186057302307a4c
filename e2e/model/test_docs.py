"""The documents' numbers and tables come from the code: e2e/docs/engine-differences.md is what the committed
baselines generate today; every step of section 5.7 the project cites comes from one table."""

import pathlib
import re

from e2e.harness.report import from_baselines
from e2e.harness.report.baselines import COMMITTED, Baselines
from e2e.harness.spec import rfc6265bis
from e2e.model.test_rows import ROWS


def test_the_engine_differences_document_is_generated_from_the_baselines():
    """Regenerate it with `python3 -m e2e report --write-differences-doc` after recording baselines."""
    built = from_baselines.report(Baselines(COMMITTED), ROWS)
    assert from_baselines.DOC.read_text() == from_baselines.markdown(built), (
        f"{from_baselines.DOC} is stale: python3 -m e2e report --write-differences-doc"
    )


CITED_STEP = re.compile(r"5\.7,? steps? (\d+)")
ROOT = pathlib.Path(__file__).resolve().parents[2]


def test_section_5_7_steps_are_cited_from_one_table():
    """A step number written by hand meant different steps in different modules (Secure from http was step 8 in one,
    13 in another; the draft's is 13): rfc6265bis.storage_step writes every citation from STORAGE_STEPS, and the
    model's own comments name steps the table has."""
    by_hand = [
        f"{path.relative_to(ROOT)}:{number}: {line.strip()[:80]}"
        for path in sorted([*(ROOT / "e2e").rglob("*.py"), *(ROOT / "e2e").rglob("*.md"), ROOT / "README.md"])
        if path.name not in ("rfc6265bis.py", "test_docs.py")  # the table, and this check of it
        for number, line in enumerate(path.read_text().splitlines(), 1)
        if CITED_STEP.search(line)
    ]
    assert not by_hand, "cite section 5.7's steps with rfc6265bis.storage_step(n):\n" + "\n".join(by_hand)
    storing = pathlib.Path(rfc6265bis.__file__).read_text().split("\ndef store(")[1].split("\ndef ")[0]
    named = {int(n) for n in re.findall(r"# steps? (\d+)", storing)}
    assert named <= set(rfc6265bis.STORAGE_STEPS), named - set(rfc6265bis.STORAGE_STEPS)
    assert rfc6265bis.storage_step(13) == "5.7 step 13 (a Secure cookie from a non-secure origin is ignored)"
