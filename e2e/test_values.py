"""Values: what Python's cookie quoting does on the way out and Django's parsing on the way back."""
import pytest

from harness.hosts import ORIGIN

VALUES = {
    "v_plain": "arafat",
    "v_empty": "",
    "v_space": "a b",
    "v_semicolon": "a;b",
    "v_comma": "a,b",
    "v_quote": 'say "hi"',
    "v_latin1": "caf\u00e9",
    "v_equals": "a=b",
}


@pytest.fixture(scope="module")
def observed(module_lab):
    module_lab.set(ORIGIN, *({"name": name, "value": value} for name, value in VALUES.items()))
    return {
        "stored": module_lab.stored_values(),
        "sent": module_lab.sent(ORIGIN)["cookies"],
        "script": dict(part.split("=", 1) for part in module_lab.script_read(ORIGIN).split("; ")),
    }


@pytest.mark.parametrize("name", VALUES)
def test_value_as_stored(observed, check, name):
    """The value the browser stored: Python's cookie module quotes and octal-escapes some characters."""
    check(f"value/{name}/stored", observed["stored"].get(name))


@pytest.mark.parametrize("name", VALUES)
def test_value_round_trips_through_django(observed, check, name):
    """request.COOKIES unquotes what the browser sends back: the original value."""
    check(f"value/{name}/request-cookies", observed["sent"].get(name))


@pytest.mark.parametrize("name", VALUES)
def test_value_as_script_sees_it(observed, check, name):
    """document.cookie shows the quoted form, exactly as stored."""
    check(f"value/{name}/document-cookie", observed["script"].get(name))
