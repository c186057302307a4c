"""This repository's layout: the cookie-lab plugin (e2e/harness/plugin.py) for a run from a checkout.

Installed (`pip install -e .`, `uv sync`), cookie-lab registers the plugin as its `pytest11` entry
point under this same name, and pytest does not load it again; the bootstrap's .venv holds only the
locked dependencies, so this line loads it there.
"""

pytest_plugins = ["e2e.harness.plugin"]
