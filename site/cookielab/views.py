"""The tutorial flow done right: set, update, get and delete one `username` cookie."""

from django.shortcuts import render

from .lab import answers_bad_input
from .spec import set_kwargs

COOKIE = "username"
FIRST_VALUE = "arafat"
UPDATED_VALUE = "arafat-updated"


def _page(request, title, message, value=None):
    return render(request, "cookielab/flow.html", {"title": title, "message": message, "value": value})


def set_cookie(request):
    response = _page(request, "Set cookie", f"{COOKIE} set to {FIRST_VALUE}")
    # Keyword arguments: the third positional parameter is max_age, not path.
    response.set_cookie(COOKIE, FIRST_VALUE, path="/")
    return response


@answers_bad_input
def update_cookie(request):
    value = request.GET.get("value", UPDATED_VALUE)
    # The same validation as the lab API, so bad values answer 400 here too.
    kwargs = set_kwargs({"name": COOKIE, "value": value, "path": "/"})
    response = _page(request, "Update cookie", f"{COOKIE} updated")
    response.set_cookie(**kwargs)
    return response


def get_cookie(request):
    value = request.COOKIES.get(COOKIE)
    message = f"{COOKIE} is set" if value is not None else f"no {COOKIE} cookie"
    return _page(request, "Get cookie", message, value=value)


def delete_cookie(request):
    response = _page(request, "Delete cookie", f"{COOKIE} deleted")
    response.delete_cookie(COOKIE, path="/")
    return response
