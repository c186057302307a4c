"""What a command's pytest arguments name: the one helper for `python3 -m e2e e2e|all|soak` and their default paths.

Standard library only: the bootstrap (e2e/__main__.py) uses it before the virtualenv exists.
"""

import pathlib


def names_tests(args: list[str], root: pathlib.Path) -> bool:
    """Whether args name tests themselves (a file, a folder or a node id, as pytest takes them): then a command's
    default path gives way to them, so `python3 -m e2e e2e e2e/test_flow.py` runs that module alone."""
    for arg in args:
        if arg.startswith("-"):
            continue
        path = arg.split("::", 1)[0]
        if path and (pathlib.Path(path).exists() or (root / path).exists()):
            return True
    return False
