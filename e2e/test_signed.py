"""Signed cookies: set_signed_cookie round-trips; a value tampered with in the browser is refused."""

from e2e.harness.network.hosts import ORIGIN
from e2e.harness.rows import row
from e2e.harness.runner import lab_url

SIGNED = "Django docs: HttpRequest.get_signed_cookie (raises BadSignature on a bad signature)"
ROUND_TRIP = row(
    "signed/round-trip",
    {"valid": True, "value": "hello"},
    SIGNED,
    "A signed cookie set by Django comes back and verifies to its value.",
)
TAMPERED = row(
    "signed/tampered",
    {"valid": False, "why": "BadSignature"},
    SIGNED,
    "A signed value rewritten by page script fails verification.",
)
OTHER_SALT = row(
    "signed/other-salt",
    {"valid": False, "why": "BadSignature"},
    SIGNED,
    "get_signed_cookie with another salt refuses the value.",
)


def _verify(lab, salt=""):
    lab.go(lab_url(ORIGIN, "verify", name="sg", salt=salt))
    return lab.page_json()


def test_signed_cookie_round_trips(lab, check):
    """A signed cookie set by Django comes back and verifies to its value."""
    lab.go(lab_url(ORIGIN, "sign", name="sg", value="hello"))
    check(ROUND_TRIP, _verify(lab))


def test_signed_cookie_tampered_by_script_is_refused(lab, check):
    """Rewriting the value in document.cookie breaks the signature."""
    lab.go(lab_url(ORIGIN, "sign", name="sg", value="hello"))
    signature = lab.stored_values()["sg"].rsplit(":", 1)[1]
    lab.script_write(ORIGIN, f"sg=admin:{signature}; path=/")
    check(TAMPERED, _verify(lab))


def test_signed_cookie_other_salt_is_refused(lab, check):
    """get_signed_cookie with another salt refuses the value."""
    lab.go(lab_url(ORIGIN, "sign", name="sg", value="hello", salt="a"))
    check(OTHER_SALT, _verify(lab, salt="b"))
