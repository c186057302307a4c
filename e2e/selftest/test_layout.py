"""The layers stay apart: no module of the harness imports another that imports it back, however indirectly (type
annotations included), and both user agents keep one contract."""

import ast
import pathlib

import pytest

from e2e.harness.runner import Lab
from e2e.harness.spec.user_agent import SpecLab
from e2e.harness.user_agent import UserAgent

HARNESS = pathlib.Path(__file__).resolve().parents[1] / "harness"


def _imports() -> dict[str, set[str]]:
    """module -> the harness modules it imports (at run time or for the type checker alike)."""
    root = HARNESS.parents[1]
    modules = {".".join(p.relative_to(root).with_suffix("").parts).removesuffix(".__init__"): p
               for p in HARNESS.rglob("*.py")}  # fmt: skip
    graph = {}
    for name, path in modules.items():
        found = set()
        for node in ast.walk(ast.parse(path.read_text())):
            if isinstance(node, ast.ImportFrom) and node.module:
                found |= {f"{node.module}.{a.name}" if f"{node.module}.{a.name}" in modules else node.module
                          for a in node.names}  # fmt: skip
            elif isinstance(node, ast.Import):
                found |= {a.name for a in node.names}
        graph[name] = {other for other in found if other in modules and other != name}
    return graph


def test_no_import_circle_in_the_harness():
    """Every import path between the harness's modules runs one way (a circle was guards <-> playwright_server,
    runner <-> cookie_store)."""
    graph = _imports()
    circles = []

    def walk(module: str, path: list[str]) -> None:
        for other in graph[module]:
            if other in path:
                circles.append(path[path.index(other) :] + [other])
            else:
                walk(other, [*path, other])

    for module in graph:
        walk(module, [module])
    assert circles == []


def test_both_user_agents_implement_the_contract():
    """Lab and SpecLab have every step and observation of UserAgent (the type checker holds their signatures)."""
    wanted = {name for name in dir(UserAgent) if not name.startswith("_")}
    held = {"session", "network", "cookie_store"}  # instance attributes, set in __init__ (mypy checks them)
    assert wanted <= set(dir(Lab)) | held and wanted <= set(dir(SpecLab)) | held


def test_the_pytest_internals_crash_recovery_uses_are_there(request, a_fixture):
    """plugin._forget_shared_fixtures drops a module's cached fixtures after a crash through three pytest internals;
    a pytest release that renames or reshapes them fails here, before a crash finds out."""
    import inspect

    item = request.node
    assert hasattr(item, "_fixtureinfo") and isinstance(item._fixtureinfo.name2fixturedefs, dict)
    assert hasattr(item, "_request") and isinstance(item._request, pytest.FixtureRequest)
    definitions = [d for defs in item._fixtureinfo.name2fixturedefs.values() for d in defs]
    assert definitions, "a test with a fixture lists its definitions"
    assert list(inspect.signature(type(definitions[0]).finish).parameters) == ["self", "request"]


@pytest.fixture
def a_fixture():
    return 1


def test_a_fixture_is_listed(a_fixture, request):
    """The internals above see this test's own fixture definition."""
    assert "a_fixture" in request.node._fixtureinfo.name2fixturedefs
