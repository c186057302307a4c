"""Turn a declarative cookie spec (JSON) into set_cookie / delete_cookie arguments.

Every problem is a SpecError naming the field, which the views answer with 400:
the site must never let bad input reach Django as a 500.
"""

import datetime
import json
from http.cookies import CookieError, Morsel

MAX_VALUE_LENGTH = 8192  # above any engine's 4096-byte cap, so the cap stays observable
# Beyond about 3e11 s Django's http_date() overflows; 10**10 s (317 years) is
# far past every engine's lifetime cap, so nothing observable is lost.
MAX_SECONDS = 10**10
SAMESITE_VALUES = ("Strict", "Lax", "None")
# A list of specs, each an object, each field at most {"timedelta": n}: 3 levels.
MAX_DEPTH = 8
MAX_SPEC_TEXT = 256 * 1024  # 500 cookies with long names fit; a runaway request does not
# Every number a spec takes is at most MAX_SECONDS (11 digits); a longer one is refused while
# parsing, before Python's int() meets 5000 digits (a ValueError that is not a JSON error).
MAX_NUMBER_DIGITS = 20
SET_FIELDS = {"name", "value", "max_age", "expires", "path", "domain", "secure", "httponly", "samesite", "partitioned"}
DROP_FIELDS = {"name", "path", "domain", "samesite"}


class SpecError(ValueError):
    def __init__(self, field, message):
        super().__init__(f"{field}: {message}")
        self.field = field
        self.message = message


def parse_list(text):
    """Parse the `c` parameter: one spec object or a list of them."""
    if text is None:
        raise SpecError("c", "missing: pass a JSON cookie spec or list of specs")
    if len(text) > MAX_SPEC_TEXT:
        raise SpecError("c", f"longer than {MAX_SPEC_TEXT} characters")
    if _depth(text) > MAX_DEPTH:
        # Checked before json.loads, whose recursion would otherwise end in a RecursionError.
        raise SpecError("c", f"nested deeper than {MAX_DEPTH} levels")
    try:
        data = json.loads(text, parse_int=_bounded_int, parse_float=_bounded_float, parse_constant=_no_constant)
    except SpecError:
        raise
    except ValueError as exc:
        raise SpecError("c", f"not valid JSON ({getattr(exc, 'msg', exc)})") from None
    specs = data if isinstance(data, list) else [data]
    if not specs:
        raise SpecError("c", "empty list")
    return specs


def _bounded_int(text):
    if len(text.lstrip("-")) > MAX_NUMBER_DIGITS:
        raise SpecError("c", f"a number longer than {MAX_NUMBER_DIGITS} digits")
    return int(text)


def _bounded_float(text):
    if len(text) > MAX_NUMBER_DIGITS:
        raise SpecError("c", f"a number longer than {MAX_NUMBER_DIGITS} characters")
    return float(text)


def _no_constant(text):
    raise SpecError("c", f"{text} is not a number JSON allows")


def _depth(text):
    """Deepest nesting of [ and { outside JSON strings (an upper bound for the parsed value)."""
    depth = deepest = 0
    in_string = escaped = False
    for ch in text:
        if in_string:
            escaped, in_string = (False, True) if escaped else (ch == "\\", ch != '"')
        elif ch == '"':
            in_string = True
        elif ch in "[{":
            depth += 1
            deepest = max(deepest, depth)
        elif ch in "]}":
            depth -= 1
    return deepest


def _check_fields(spec, allowed):
    if not isinstance(spec, dict):
        raise SpecError("c", "each spec must be a JSON object")
    unknown = sorted(set(spec) - allowed)
    if unknown:
        raise SpecError(unknown[0], f"unknown field (allowed: {', '.join(sorted(allowed))})")


def _name(spec):
    name = spec.get("name")
    if not isinstance(name, str) or not name:
        raise SpecError("name", "required, a non-empty string")
    try:
        Morsel().set(name, "", "")
    except CookieError:
        raise SpecError("name", f"illegal cookie name {name!r}") from None
    return name


def _optional_str(spec, field):
    value = spec.get(field)
    if value is not None and not isinstance(value, str):
        raise SpecError(field, "must be a string")
    if value is not None:
        header_safe(field, value)
    return value


def header_safe(field, value):
    """Refuse what cannot go into a Set-Cookie header: control characters, non-Latin-1."""
    if any(ord(ch) < 0x20 or ord(ch) == 0x7F for ch in value):
        raise SpecError(field, "control characters are not allowed")
    latin1(field, value)


def latin1(field, value):
    # WSGI header values are Latin-1; Python's cookie module escapes only
    # code points below 256, so anything above would crash the server.
    try:
        value.encode("latin-1")
    except UnicodeEncodeError:
        raise SpecError(field, "characters outside Latin-1 cannot go in a header") from None


def _bool(spec, field):
    value = spec.get(field, False)
    if not isinstance(value, bool):
        raise SpecError(field, "must be true or false")
    return value


def _samesite(spec):
    value = spec.get("samesite")
    if value is None:
        return None
    if value not in SAMESITE_VALUES:
        raise SpecError("samesite", f"must be one of {', '.join(SAMESITE_VALUES)} or null")
    return value


def _max_age(spec):
    """An int (seconds) or {"timedelta": seconds}, Django's two accepted forms."""
    value = spec.get("max_age")
    if value is None:
        return None
    if isinstance(value, dict) and set(value) == {"timedelta"}:
        seconds = value["timedelta"]
        if _seconds(seconds):
            return datetime.timedelta(seconds=seconds)
    elif _seconds(value):
        return value
    raise SpecError("max_age", f'must be an integer or {{"timedelta": integer}}, at most {MAX_SECONDS} in size')


def _seconds(value):
    return isinstance(value, int) and not isinstance(value, bool) and abs(value) <= MAX_SECONDS


def _expires(spec):
    """A string (sent verbatim), {"datetime": ISO 8601} or {"in_seconds": n} (a datetime n s from now)."""
    value = spec.get("expires")
    if value is None:
        return None
    if isinstance(value, str):
        return _optional_str(spec, "expires")
    if isinstance(value, dict) and set(value) == {"datetime"} and isinstance(value["datetime"], str):
        try:
            when = datetime.datetime.fromisoformat(value["datetime"])
        except ValueError:
            raise SpecError("expires", "datetime must be ISO 8601") from None
        if when.year >= 9999:
            raise SpecError("expires", "datetime must be before the year 9999")
        return when
    if isinstance(value, dict) and set(value) == {"in_seconds"} and _seconds(value["in_seconds"]):
        return datetime.datetime.now(tz=datetime.UTC) + datetime.timedelta(seconds=value["in_seconds"])
    raise SpecError("expires", 'must be a string, {"datetime": ISO 8601} or {"in_seconds": integer}')


def set_kwargs(spec):
    """set_cookie keyword arguments for one spec."""
    _check_fields(spec, SET_FIELDS)
    value = spec.get("value", "")
    if not isinstance(value, str):
        raise SpecError("value", "must be a string")
    if len(value) > MAX_VALUE_LENGTH:
        raise SpecError("value", f"longer than {MAX_VALUE_LENGTH} characters")
    latin1("value", value)
    max_age, expires = _max_age(spec), _expires(spec)
    if isinstance(expires, datetime.datetime) and max_age is not None:
        raise SpecError("expires", "a datetime expires cannot be combined with max_age")
    kwargs = {
        "key": _name(spec),
        "value": value,
        "max_age": max_age,
        "expires": expires,
        "path": _optional_str(spec, "path") or "/",
        "domain": _optional_str(spec, "domain"),
        "secure": _bool(spec, "secure"),
        "httponly": _bool(spec, "httponly"),
        "samesite": _samesite(spec),
    }
    if _bool(spec, "partitioned"):  # CHIPS, through cookielab/partitioned.py: Django has no partitioned= yet
        kwargs["partitioned"] = True
    return kwargs


def drop_kwargs(spec):
    """delete_cookie keyword arguments for one spec."""
    _check_fields(spec, DROP_FIELDS)
    return {
        "key": _name(spec),
        "path": _optional_str(spec, "path") or "/",
        "domain": _optional_str(spec, "domain"),
        "samesite": _samesite(spec),
    }
