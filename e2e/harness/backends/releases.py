"""Other releases of an engine, fetched by `python3 -m e2e setup --releases` and chosen with --release.

Standard library only: the bootstrap (e2e/__main__.py) fetches with it before the
virtualenv exists. Each release is a Debian package extracted, never installed, under
CACHE/<engine>-<major>/ with release.json naming the package version it holds.
"""

import json
import os
import pathlib

CACHE = pathlib.Path(os.environ.get("XDG_CACHE_HOME") or pathlib.Path.home() / ".cache") / "cookie-lab" / "releases"
# engine -> (Debian packages of one release, its executable inside the extracted tree)
PACKAGES = {
    "chromium": (["chromium", "chromium-common"], "usr/lib/chromium/chromium"),
    "firefox": (["firefox-esr"], "usr/lib/firefox-esr/firefox-esr"),
}


# engine -> {major: why Playwright cannot drive that release}: measured here with playwright 1.64.1 (and 1.53 to
# 1.63); such a release runs on another client (--firefox marionette).
PLAYWRIGHT_CANNOT = {
    "firefox": {
        "140": 'Playwright 1.64.1 fails at launch with "Protocol error (network.addDataCollector): unknown command"',
    }
}


class ReleaseError(ValueError):
    """A --release that names no fetched release: the message says what to run."""


def parse(choices: list[str]) -> dict[str, str]:
    """["chromium=150"] -> {"chromium": "150"}, or ReleaseError naming the bad choice."""
    chosen = {}
    for choice in choices:
        engine, _, major = choice.partition("=")
        if engine not in PACKAGES or not major.isascii() or not major.isdigit():
            raise ReleaseError(
                f"--release takes ENGINE=MAJOR with ENGINE one of {', '.join(PACKAGES)} (e.g. chromium=150), "
                f"not {choice!r}"
            )
        chosen[engine] = major
    return chosen


def find(engine: str, major: str) -> tuple[str, str]:
    """(executable, Debian version) of a fetched release, or ReleaseError saying how to fetch it."""
    folder = CACHE / f"{engine}-{major}"
    try:
        meta = json.loads((folder / "release.json").read_text())
    except (OSError, ValueError):
        fetched = sorted(p.name for p in CACHE.glob("*-*") if (p / "release.json").exists())
        raise ReleaseError(
            f"--release {engine}={major}: not fetched ({folder} is missing); run `python3 -m e2e setup --releases` "
            f"(fetched here: {', '.join(fetched) or 'none'})"
        ) from None
    return str(folder / meta["executable"]), meta["version"]
