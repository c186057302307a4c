from django.contrib.auth import views as auth_views
from django.http import HttpResponse
from django.urls import include, path, re_path
from django.views.i18n import set_language

from . import app, lab, views


def no_favicon(request):
    # Browsers ask for it on every origin; a 404 would be log noise in every run.
    return HttpResponse(status=204)


urlpatterns = [
    path("favicon.ico", no_favicon),
    path("set-cookie/", views.set_cookie, name="set-cookie"),
    path("update-cookie/", views.update_cookie, name="update-cookie"),
    path("get-cookie/", views.get_cookie, name="get-cookie"),
    path("delete-cookie/", views.delete_cookie, name="delete-cookie"),
    # The shipped app: Django's own auth, CSRF, messages and i18n views (cookielab/app.py).
    path("app/login/", app.LoginView.as_view(), name="app-login"),
    path("app/logout/", auth_views.LogoutView.as_view(), name="app-logout"),
    path("app/private/", app.private, name="app-private"),
    path("app/form/", app.form, name="app-form"),
    path("app/message/", lab.answers_bad_input(app.message), name="app-message"),
    path("app/callback/", app.callback, name="app-callback"),
    path("app/state/", app.state_view, name="app-state"),
    path("i18n/setlang/", set_language, name="set_language"),
    # A verb at the end of any path: /echo, /a/echo, /a/b/echo ... (what a site of your own includes too)
    path("", include("cookielab.observe")),
    # Every other path, the root included: a verb named by ?lab=VERB, else a 404 saying so.
    re_path(r"^(?P<path>.*)$", lab.at_exact_path, name="lab-exact"),
]
