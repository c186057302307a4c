"""pytest inside pytest, for the harness's own tests: a probe test file run with the project's fixtures.

The probe lives in the calling test's tmp_path, never in the checkout (which
may be read-only, and which a second run may share). A conftest.py there wires the
plugin as the root one does, so the probe gets every fixture and option.
"""

import pathlib
import sys

ROOT = pathlib.Path(__file__).resolve().parents[3]
SHIM = (ROOT / "conftest.py").read_text()  # the root conftest's wiring: the plugin, loaded once


def write(folder: pathlib.Path, source: str, name: str = "test_probe.py") -> pathlib.Path:
    """A probe test module and its conftest shim in folder; returns the module's path."""
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "conftest.py").write_text(SHIM)
    path = folder / name
    path.write_text(source)
    return path


def command(path: pathlib.Path, output: pathlib.Path, *args: str) -> list[str]:
    """The pytest command running the probe with the project's settings, artifacts under output."""
    return [
        sys.executable, "-m", "pytest", str(path), "--rootdir", str(ROOT), "-c", str(ROOT / "pyproject.toml"),
        "--confcutdir", str(path.parent), "-p", "no:cacheprovider", "--output", str(output), *args,
    ]  # fmt: skip
