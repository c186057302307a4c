"""Size limits: name + value up to 4096 bytes; attribute values up to 1024 bytes."""

import pytest

from e2e.harness.network.hosts import ORIGIN
from e2e.harness.reasons import model_rule, said
from e2e.harness.rows import RFC, check_rows, measured, row
from e2e.harness.spec.rfc6265bis import storage_step
from e2e.harness.spec.user_agent import heard

LIMIT = 4096
SIZE = f"{RFC} section {storage_step(4)}"
ATTRIBUTE_SIZE = f"{RFC} section 5.6 (attribute values over 1024 bytes are ignored)"
SIZES = {"sz_at_limit": LIMIT, "sz_over_limit": LIMIT + 1}  # name -> name + value bytes
PATHS = {"sz_path_1024": 1024, "sz_path_1025": 1025}  # name -> Path length


def steps(lab):
    """Cookies at and over the limits: the stored ones by name. Run on the browser (module_lab) and on the spec's
    user agent."""
    lab.set(ORIGIN, *({"name": n, "value": "v" * (total - len(n))} for n, total in SIZES.items()))
    for name, length in PATHS.items():
        lab.set(ORIGIN, {"name": name, "value": "1", "path": "/" + "p" * (length - 1)})
    return {c["name"]: c for c in lab.stored()}


def path_length(stored, name):
    cookie = stored.get(name)
    return None if cookie is None else len(cookie["path"])


SPEC, SPEC_REFUSALS = heard(steps)  # each row's spec value: what the spec's user agent did (and its rules)
NAME_VALUE = check_rows(
    [
        row(
            "size/sz_at_limit/stored",
            "sz_at_limit" in SPEC,
            SIZE,
            "A cookie of exactly 4096 bytes of name and value is stored.",
            refused=False,
        ),
        row(
            "size/sz_over_limit/stored",
            "sz_over_limit" in SPEC,
            SIZE,
            "A cookie of 4097 bytes of name and value is ignored.",
            refused=False,
            because=model_rule(SPEC_REFUSALS, name="sz_over_limit"),
            webkit=measured("webkit", True, "no 4096-byte limit on name + value"),
        ),
    ]
)
PATH_LENGTH = check_rows(
    [
        row(
            "size/sz_path_1024/stored-path-length",
            path_length(SPEC, "sz_path_1024"),
            ATTRIBUTE_SIZE,
            "A 1024-byte Path is kept.",
            unit="bytes",
        ),
        row(
            "size/sz_path_1025/stored-path-length",
            path_length(SPEC, "sz_path_1025"),
            f"{ATTRIBUTE_SIZE}: the default path / applies",
            "A 1025-byte Path is ignored and the default path / applies.",
            unit="bytes",
            webkit=measured("webkit", 1025, "no 1024-byte limit on attribute values"),
        ),
    ]
)


@pytest.fixture(scope="module")
def stored(module_lab):
    module_lab.hear_refusals()
    return steps(module_lab), module_lab.refusals()


@pytest.mark.parametrize("row", NAME_VALUE, ids=str)
def test_size_name_plus_value(stored, check, row):
    """A cookie whose name and value together exceed 4096 bytes is ignored (with the engine's words for it)."""
    cookies, refusals = stored
    kept = row.parts[0] in cookies
    check(row, kept, why="" if kept else said(refusals, row.parts[0]))


@pytest.mark.parametrize("row", PATH_LENGTH, ids=str)
def test_size_path_attribute(stored, check, row):
    """A Path over 1024 bytes is ignored: the cookie gets the default path instead."""
    check(row, path_length(stored[0], row.parts[0]))
