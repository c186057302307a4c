"""This repository's layout: the cookie-lab plugin (e2e/harness/plugin.py), for every run in this checkout.

cookie-lab registers no pytest11 entry point, so an environment with it installed runs other projects'
tests untouched; a project of your own loads it with this same line in its root conftest.py.
"""

pytest_plugins = ["e2e.harness.plugin"]
