"""Values: what Python's cookie quoting does on the way out and Django's parsing on the way back."""

import pytest

from e2e.harness.network.hosts import ORIGIN
from e2e.harness.rows import RFC, check_rows, row, split_id
from e2e.harness.spec.user_agent import SpecLab

VALUES = {  # name -> the value given to set_cookie
    "v_plain": "arafat",
    "v_empty": "",
    "v_space": "a b",
    "v_semicolon": "a;b",
    "v_comma": "a,b",
    "v_quote": 'say "hi"',
    "v_latin1": "caf\u00e9",
    "v_equals": "a=b",
}
QUOTING = "Python http.cookies._quote (used by Django's set_cookie): quotes and octal-escapes"
UNQUOTING = "django.http.cookie.parse_cookie unquotes with http.cookies._unquote"
STORED_AS = f"{RFC} section 5.7 (the value is stored as sent, quotes included); {QUOTING}"


def steps(lab):
    """Every value set, then observed three ways: run on the browser (module_lab) and on the spec's user agent."""
    lab.set(ORIGIN, *({"name": name, "value": value} for name, value in VALUES.items()))
    return {
        "stored": lab.stored_values(),
        "sent": lab.sent(ORIGIN)["cookies"],
        "script": dict(part.split("=", 1) for part in lab.script_read(ORIGIN).split("; ")),
    }


SPEC = steps(SpecLab())  # each row's spec value: what the spec's user agent did


def stored(id):
    name = split_id(id)[1][0]
    expect = SPEC["stored"][name]
    return row(id, expect, STORED_AS, f"set_cookie value {VALUES[name]!r} is stored as {expect}.")


def script(id):
    name = split_id(id)[1][0]
    expect = SPEC["script"][name]
    return row(id, expect, STORED_AS, f"document.cookie shows value {VALUES[name]!r} as stored: {expect}.")


def request(id):
    expect = SPEC["sent"][split_id(id)[1][0]]
    return row(id, expect, UNQUOTING, f"request.COOKIES gives back the original value {expect!r}.")


STORED = check_rows(
    [
        stored("value/v_plain/stored"),
        stored("value/v_empty/stored"),
        stored("value/v_space/stored"),
        stored("value/v_semicolon/stored"),
        stored("value/v_comma/stored"),
        stored("value/v_quote/stored"),
        stored("value/v_latin1/stored"),
        stored("value/v_equals/stored"),
    ]
)
SCRIPT = check_rows(
    [
        script("value/v_plain/document-cookie"),
        script("value/v_empty/document-cookie"),
        script("value/v_space/document-cookie"),
        script("value/v_semicolon/document-cookie"),
        script("value/v_comma/document-cookie"),
        script("value/v_quote/document-cookie"),
        script("value/v_latin1/document-cookie"),
        script("value/v_equals/document-cookie"),
    ]
)
REQUEST = check_rows(
    [
        request("value/v_plain/request-cookies"),
        request("value/v_empty/request-cookies"),
        request("value/v_space/request-cookies"),
        request("value/v_semicolon/request-cookies"),
        request("value/v_comma/request-cookies"),
        request("value/v_quote/request-cookies"),
        request("value/v_latin1/request-cookies"),
        request("value/v_equals/request-cookies"),
    ]
)


@pytest.fixture(scope="module")
def observed(module_lab):
    return steps(module_lab)


@pytest.mark.parametrize("row", STORED, ids=str)
def test_value_as_stored(observed, check, row):
    """The value the browser stored: Python's cookie module quotes and octal-escapes some characters."""
    check(row, observed["stored"].get(row.parts[0]))


@pytest.mark.parametrize("row", REQUEST, ids=str)
def test_value_round_trips_through_django(observed, check, row):
    """request.COOKIES unquotes what the browser sends back: the original value."""
    check(row, observed["sent"].get(row.parts[0]))


@pytest.mark.parametrize("row", SCRIPT, ids=str)
def test_value_as_script_sees_it(observed, check, row):
    """document.cookie shows the quoted form, exactly as stored."""
    check(row, observed["script"].get(row.parts[0]))
