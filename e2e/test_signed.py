"""Signed cookies: set_signed_cookie round-trips; a value tampered with in the browser is refused.

Each case's steps run on the browser and on the spec's user agent (which asks the site itself, in this
process, with the Cookie header the spec's jar sends): a row's spec value is the site's answer there.
"""

import pytest

from e2e.harness.network.hosts import ORIGIN
from e2e.harness.rows import row
from e2e.harness.runner import lab_url
from e2e.harness.spec.user_agent import SpecLab

SIGNED = "Django docs: HttpRequest.get_signed_cookie (raises BadSignature on a bad signature)"


def _verify(lab, salt=""):
    lab.go(lab_url(ORIGIN, "verify", name="sg", salt=salt))
    return lab.page_json()


def round_trip(lab):
    lab.go(lab_url(ORIGIN, "sign", name="sg", value="hello"))
    return _verify(lab)


def tampered(lab):
    """Rewriting the value in document.cookie keeps the signature but breaks it."""
    lab.go(lab_url(ORIGIN, "sign", name="sg", value="hello"))
    signature = lab.stored_values()["sg"].rsplit(":", 1)[1]
    lab.script_write(ORIGIN, f"sg=admin:{signature}; path=/")
    return _verify(lab)


def other_salt(lab):
    lab.go(lab_url(ORIGIN, "sign", name="sg", value="hello", salt="a"))
    return _verify(lab, salt="b")


ROUND_TRIP = row(
    "signed/round-trip",
    round_trip(SpecLab()),
    SIGNED,
    "A signed cookie set by Django comes back and verifies to its value.",
)
TAMPERED = row(
    "signed/tampered",
    tampered(SpecLab()),
    SIGNED,
    "A signed value rewritten by page script fails verification.",
)
OTHER_SALT = row(
    "signed/other-salt",
    other_salt(SpecLab()),
    SIGNED,
    "get_signed_cookie with another salt refuses the value.",
)


@pytest.mark.parametrize(
    "case, steps",
    [(ROUND_TRIP, round_trip), (TAMPERED, tampered), (OTHER_SALT, other_salt)],
    ids=["round-trip", "tampered", "other-salt"],
)
def test_signed_cookie(lab, check, case, steps):
    """A signed cookie round-trips; rewritten by page script, or read with another salt, it is refused."""
    check(case, steps(lab))
