"""This site's own cookies in every engine: run with `pytest e2e/examples/mysite --ds e2e.examples.mysite.settings`."""


def test_session_and_csrf_cookies_are_secure(lab, origins):
    """Both cookies are stored Secure and HttpOnly as set, and sent over https only."""
    lab.go(f"{origins.secure_site}/start/")
    stored = {cookie["name"]: cookie for cookie in lab.stored()}
    assert stored["sessionid"]["secure"] and stored["sessionid"]["httpOnly"]
    assert stored["csrftoken"]["secure"] and not stored["csrftoken"]["httpOnly"]
    assert {"sessionid", "csrftoken"} <= set(lab.sent(origins.secure_site)["cookies"])
    assert lab.sent(origins.site)["cookies"] == {}  # http: neither is sent


def test_page_script_sees_the_csrf_token_but_not_the_session(lab, origins):
    """document.cookie on an https page shows the CSRF cookie (not HttpOnly), never the session's."""
    lab.go(f"{origins.secure_site}/start/")
    names = {part.split("=")[0] for part in lab.script_read(origins.secure_site).split("; ")}
    assert "csrftoken" in names and "sessionid" not in names
