"""The tutorial pages' exact Set-Cookie headers and pages (Django test client, no browser)."""

import pytest
from django.http import HttpResponse

from cookielab.views import FIRST_VALUE, UPDATED_VALUE


def set_cookie_headers(response):
    """The Set-Cookie header values as Django's WSGI handler writes them."""
    return [morsel.output(header="").strip() for morsel in response.cookies.values()]


def test_set_cookie_page_sets_username(client):
    """/set-cookie/ sets username=arafat on path / and nothing else."""
    response = client.get("/set-cookie/")
    assert response.status_code == 200
    assert set_cookie_headers(response) == [f"username={FIRST_VALUE}; Path=/"]


def test_update_cookie_page_replaces_value(client):
    """/update-cookie/ sends the same cookie (name, path) with the new value."""
    response = client.get("/update-cookie/")
    assert set_cookie_headers(response) == [f"username={UPDATED_VALUE}; Path=/"]


def test_update_cookie_page_quotes_value_with_space(client):
    """Python's cookie module quotes a value containing a space."""
    response = client.get("/update-cookie/", {"value": "a b"})
    assert set_cookie_headers(response) == ['username="a b"; Path=/']


def test_update_cookie_page_rejects_oversized_value(client):
    """A value over the lab's limit answers 400 naming the field, not 500."""
    response = client.get("/update-cookie/", {"value": "x" * 9000})
    assert response.status_code == 400
    assert response.json()["field"] == "value"


def test_delete_cookie_page_expires_username(client):
    """/delete-cookie/ empties the value, expires it in 1970 and sets Max-Age=0 on path /."""
    response = client.get("/delete-cookie/")
    assert set_cookie_headers(response) == ['username=""; expires=Thu, 01 Jan 1970 00:00:00 GMT; Max-Age=0; Path=/']


def test_get_cookie_page_shows_value_escaped(client):
    """The get page shows the cookie inside <h3>, HTML-escaped."""
    client.cookies["username"] = "<b>x</b>"
    content = client.get("/get-cookie/").content.decode()
    assert '<h3 id="value">&lt;b&gt;x&lt;/b&gt;</h3>' in content
    assert "<b>x</b>" not in content


def test_get_cookie_page_without_cookie(client):
    """Without the cookie the get page says so and shows no value."""
    content = client.get("/get-cookie/").content.decode()
    assert "no username cookie" in content
    assert "<h3" not in content


def test_set_cookie_positional_path_is_max_age():
    """set_cookie's third positional argument is max_age: passing "/" there raises ValueError."""
    with pytest.raises(ValueError, match=r"invalid literal for int\(\) with base 10: '/'"):
        HttpResponse().set_cookie("username", "arafat", "/")


def test_unknown_host_answers_400(client):
    """A Host outside the test hosts is refused by ALLOWED_HOSTS with 400, not served."""
    response = client.get("/get-cookie/", headers={"host": "example.com"})
    assert response.status_code == 400
