"""Escaping: a cookie value full of markup is shown as text on the get page, and no script runs."""
from harness.hosts import ORIGIN

PAYLOAD = '<script>window.pwned = "script"</script><img src="x" onerror="window.pwned = \'img\'">'


def test_get_page_escapes_cookie_value(lab, check):
    """The get page shows the markup as text inside <h3>; neither the script nor the handler runs."""
    lab.set(ORIGIN, {"name": "username", "value": PAYLOAD})
    lab.go(f"{ORIGIN}/get-cookie/")
    check("escaping/get-page/shown-text", lab.text("#value") == PAYLOAD)
    check("escaping/get-page/script-ran", lab.page_global("pwned"))
