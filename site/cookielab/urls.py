from django.http import HttpResponse
from django.urls import path, re_path

from . import lab, views

VERB_PATTERN = "|".join(lab.VERBS)


def no_favicon(request):
    # Browsers ask for it on every origin; a 404 would be log noise in every run.
    return HttpResponse(status=204)


urlpatterns = [
    path("favicon.ico", no_favicon),
    path("set-cookie/", views.set_cookie, name="set-cookie"),
    path("update-cookie/", views.update_cookie, name="update-cookie"),
    path("get-cookie/", views.get_cookie, name="get-cookie"),
    path("delete-cookie/", views.delete_cookie, name="delete-cookie"),
    # A verb at the end of any path: /echo, /a/echo, /a/b/echo ...
    re_path(rf"^(?:(?P<sub>.+)/)?(?P<verb>{VERB_PATTERN})$", lab.lab, name="lab"),
    # Every other path, the root included: a verb named by ?lab=VERB, else a 404 saying so.
    re_path(r"^(?P<path>.*)$", lab.at_exact_path, name="lab-exact"),
]
