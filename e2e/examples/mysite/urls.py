from django.http import HttpResponse
from django.middleware.csrf import get_token
from django.urls import include, path


def start(request):
    """A page that starts a session and hands out a CSRF token."""
    request.session["visited"] = True
    get_token(request)
    return HttpResponse("started")


urlpatterns = [
    path("start/", start),
    path("", include("cookielab.observe")),  # last: the harness's observation URLs (/echo, /script, ...)
]
