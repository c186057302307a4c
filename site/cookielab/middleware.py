"""Django's SessionMiddleware and CsrfViewMiddleware, reading their settings per request.

Django's own reads SESSION_ENGINE once, when the server starts; the harness switches
settings profiles (db, cached_db, signed_cookies, file) between tests without
restarting the site or the browser, so the engine is looked up on each request.
Everything else, the session cookie's attributes included, is Django's code.
"""

from importlib import import_module

from django.conf import settings
from django.contrib.sessions import middleware
from django.core.signals import setting_changed
from django.db import DatabaseError
from django.dispatch import receiver
from django.http import JsonResponse
from django.middleware import csrf


class SessionMiddleware(middleware.SessionMiddleware):
    def process_request(self, request):
        # Django's body, with the store looked up here instead of in __init__ (and not kept
        # on the shared middleware instance, which serves several threads).
        session_key = request.COOKIES.get(settings.SESSION_COOKIE_NAME)
        request.session = import_module(settings.SESSION_ENGINE).SessionStore(session_key)


class CsrfViewMiddleware(csrf.CsrfViewMiddleware):
    """Django's CsrfViewMiddleware, reading CSRF_TRUSTED_ORIGINS per request.

    Django caches what it derives from CSRF_TRUSTED_ORIGINS on the middleware instance
    (cached_property) at the first request; a settings profile that trusts a subdomain
    would otherwise never be seen. The derivations are Django's own functions.
    """

    csrf_trusted_origins_hosts = property(csrf.CsrfViewMiddleware.csrf_trusted_origins_hosts.func)
    allowed_origins_exact = property(csrf.CsrfViewMiddleware.allowed_origins_exact.func)
    allowed_origin_subdomains = property(csrf.CsrfViewMiddleware.allowed_origin_subdomains.func)


@receiver(setting_changed)
def forget_session_folder(setting, **kwargs):
    """The file session engine keeps the first SESSION_FILE_PATH it reads (a class attribute, which Django's
    own test signals leave alone); a profile, or the spec's run, with a folder of its own must be heard."""
    if setting == "SESSION_FILE_PATH":
        from django.contrib.sessions.backends.file import SessionStore

        if "_storage_path" in SessionStore.__dict__:
            del SessionStore._storage_path


class DatabaseSetupMiddleware:
    """A view that needs the shipped app's database before it is made (no tables: `manage.py migrate` not run)
    answers 503 naming that setup step, never a 500 and a traceback."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        if isinstance(exception, DatabaseError):
            reason = str(exception).splitlines()[0][:200]
            return JsonResponse(
                {
                    "error": f"the site's database is not set up ({reason}): run `python site/manage.py migrate`, "
                    "or let the harness make it (the shipped_site fixture)"
                },
                status=503,
            )
        return None
