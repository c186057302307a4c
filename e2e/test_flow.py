"""The tutorial flow in every engine: set -> get -> update -> get -> delete -> get."""
import pytest

from harness.hosts import ORIGIN, SECURE_ORIGIN

FLOW_ORIGINS = pytest.mark.parametrize("origin", [ORIGIN, SECURE_ORIGIN], ids=["http", "https"])


@FLOW_ORIGINS
def test_flow_set_update_delete(lab, origin):
    """The username cookie is stored, sent and shown; updated in place; then gone."""
    assert lab.go(f"{origin}/set-cookie/") == 200
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
