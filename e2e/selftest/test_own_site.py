"""Your own Django site, as README shows it: a small project of its own, its observation URLs included, its tests
on the `lab` and `origins` fixtures, in every engine."""

import re
import subprocess
import sys

import pytest


@pytest.mark.needs("chromium", "firefox", "webkit")
@pytest.mark.browser  # its inner run launches every engine
def test_a_site_of_its_own_runs_in_every_engine(pytestconfig, tmp_path):
    """README's command on e2e/examples/mysite: its two tests pass in each engine, against its own settings."""
    run = subprocess.run(
        [sys.executable, "-m", "pytest", "e2e/examples/mysite", "--ds", "e2e.examples.mysite.settings",
         "-p", "no:cacheprovider", "--output", str(tmp_path / "out")],
        cwd=pytestconfig.rootpath, capture_output=True, text=True, timeout=300,
    )  # fmt: skip
    assert run.returncode == 0, run.stdout[-3000:]
    assert re.search(r"=+ 6 passed in ", run.stdout), run.stdout[-1000:]
    assert "site: Django " in run.stdout and "(e2e.examples.mysite.settings)" in run.stdout
