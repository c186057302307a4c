"""Escaping: a cookie value full of markup is shown as text on the get page, and no script runs."""

from e2e.harness.network.hosts import ORIGIN
from e2e.harness.rows import row

PAYLOAD = '<script>window.pwned = "script"</script><img src="x" onerror="window.pwned = \'img\'">'
AUTOESCAPE = "Django docs: templates, automatic HTML escaping"
SHOWN = row("escaping/get-page/shown-text", True, AUTOESCAPE, "The get page shows a cookie's markup as text.")
RAN = row(
    "escaping/get-page/script-ran", None, AUTOESCAPE, "No script or handler in a cookie value runs on the get page."
)


def test_get_page_escapes_cookie_value(lab, check):
    """The get page shows the markup as text inside <h3>; neither the script nor the handler runs."""
    lab.set(ORIGIN, {"name": "username", "value": PAYLOAD})
    lab.go(f"{ORIGIN}/get-cookie/")
    check(SHOWN, lab.text("#value") == PAYLOAD)
    check(RAN, lab.page_global("pwned"))
