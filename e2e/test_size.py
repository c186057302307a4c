"""Size limits: name + value up to 4096 bytes; attribute values up to 1024 bytes."""
import pytest

from harness.hosts import ORIGIN

LIMIT = 4096


def _sized(name, total):
    return {"name": name, "value": "v" * (total - len(name))}


@pytest.fixture(scope="module")
def stored(module_lab):
    module_lab.set(ORIGIN, _sized("sz_at_limit", LIMIT), _sized("sz_over_limit", LIMIT + 1))
    module_lab.set(ORIGIN, {"name": "sz_path_1024", "value": "1", "path": "/" + "p" * 1023})
    module_lab.set(ORIGIN, {"name": "sz_path_1025", "value": "1", "path": "/" + "p" * 1024})
    return {c["name"]: c for c in module_lab.stored()}


@pytest.mark.parametrize("name", ["sz_at_limit", "sz_over_limit"])
def test_size_name_plus_value(stored, check, name):
    """A cookie whose name and value together exceed 4096 bytes is ignored."""
    check(f"size/{name}/stored", name in stored)


@pytest.mark.parametrize("name", ["sz_path_1024", "sz_path_1025"])
def test_size_path_attribute(stored, check, name):
    """A Path over 1024 bytes is ignored: the cookie gets the default path instead."""
    cookie = stored.get(name)
    check(f"size/{name}/stored-path-length", None if cookie is None else len(cookie["path"]))
