"""The tutorial flow in every engine: set -> get -> update -> get -> delete -> get."""

import pytest

from e2e.harness.network.hosts import ORIGIN, SECURE_ORIGIN

FLOW_ORIGINS = pytest.mark.parametrize("origin", [ORIGIN, SECURE_ORIGIN], ids=["http", "https"])


@FLOW_ORIGINS
def test_flow_set_update_delete(lab, origin):
    """The username cookie is stored, sent and shown; updated in place; then gone."""
    assert lab.go(f"{origin}/set-cookie/") in (200, None)  # None: WebDriver reports no status
    assert lab.stored_values() == {"username": "arafat"}
    sent = lab.sent(origin)
    assert sent["cookies"] == {"username": "arafat"}
    assert sent["scheme"] == origin.split(":")[0]
    lab.go(f"{origin}/get-cookie/")
    assert lab.text("#value") == "arafat"

    lab.go(f"{origin}/update-cookie/")
    assert [c["value"] for c in lab.stored("username")] == ["arafat-updated"]
    assert lab.sent(origin)["cookie_header"] == "username=arafat-updated"

    lab.go(f"{origin}/delete-cookie/")
    assert lab.stored() == []
    assert lab.sent(origin)["cookie_header"] is None
    lab.go(f"{origin}/get-cookie/")
    assert lab.text("#value") is None
    assert lab.text("#message") == "no username cookie"


def test_delete_with_other_path_keeps_cookie(lab):
    """delete_cookie must match the path that set the cookie, or the browser keeps it."""
    lab.go(f"{ORIGIN}/set-cookie/")
    lab.drop(ORIGIN, {"name": "username", "path": "/other"})
    assert lab.stored_values() == {"username": "arafat"}
    assert lab.sent(ORIGIN)["cookies"] == {"username": "arafat"}
    lab.drop(ORIGIN, {"name": "username", "path": "/"})
    assert lab.stored() == []


@FLOW_ORIGINS
def test_flow_page_script_sees_username(lab, origin):
    """The tutorial cookie is not HttpOnly: page script reads it and can overwrite it."""
    lab.go(f"{origin}/set-cookie/")
    assert lab.script_read(origin) == "username=arafat"
    assert lab.script_write(origin, "username=from-script; path=/") == "username=from-script"
    assert lab.sent(origin)["cookies"] == {"username": "from-script"}
