"""The shipped app's database: a SQLite file made and migrated for each run under --output, and its test users.

The site runs in the test process (server threads), so the file is simply where
Django's default connection points while the flows run; pytest-django's block on
database access is lifted for that time, in every thread. No manual step: a fresh
clone's first run makes it. The spec's user agent asks the same site while a module
is collected, on a database of its own (model_database).
"""

import contextlib
import os
import pathlib
import tempfile
from collections.abc import Iterator
from typing import Any

USERS = {"alice": "alice-password", "bob": "bob-password"}


@contextlib.contextmanager
def site_database(path: pathlib.Path, blocker: Any = None) -> Iterator[pathlib.Path]:
    """Point Django's default database at path, migrate it, create USERS; restore on exit. blocker:
    pytest-django's, lifted meanwhile (None: no block in force here)."""
    from django.conf import settings
    from django.contrib.auth import get_user_model
    from django.core.management import call_command
    from django.db import connections

    database = settings.DATABASES["default"]  # the very dict the connections read
    before = database["NAME"]
    # Playwright's sync API runs an event loop in this thread, and Django then refuses ORM calls
    # here (SynchronousOnlyOperation); nothing here is async: Django's documented way out.
    with (
        blocker.unblock() if blocker is not None else contextlib.nullcontext(),
        _environ(DJANGO_ALLOW_ASYNC_UNSAFE="true"),
    ):
        connections.close_all()
        # Password hashes and sessions: readable by this user only, from the file's creation on (SQLite's
        # journal takes the database file's mode).
        os.close(os.open(path, os.O_WRONLY | os.O_CREAT, 0o600))
        database["NAME"] = str(path)
        try:
            call_command("migrate", verbosity=0, interactive=False)
            for name, password in USERS.items():
                get_user_model().objects.create_user(name, password=password)
            yield path
        finally:
            connections.close_all()
            database["NAME"] = before


@contextlib.contextmanager
def model_database() -> Iterator[pathlib.Path]:
    """site_database() on a temporary folder, removed afterwards: the spec's run of Django's flows, while its
    module is collected (when the plugin has lifted pytest-django's block). The folder, for scratch files."""
    with tempfile.TemporaryDirectory(prefix="cl-model-") as folder, site_database(pathlib.Path(folder) / "db.sqlite3"):
        yield pathlib.Path(folder)


@contextlib.contextmanager
def _environ(**values: str) -> Iterator[None]:
    before = {name: os.environ.get(name) for name in values}
    os.environ.update(values)
    try:
        yield
    finally:
        for name, value in before.items():
            if value is None:
                os.environ.pop(name, None)
            else:
                os.environ[name] = value
