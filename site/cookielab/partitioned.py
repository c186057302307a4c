"""Partitioned cookies (CHIPS) from Django, until Django has `partitioned=`.

Django 5.2 to 6.1 cannot send the `Partitioned` attribute (ticket #34613,
https://code.djangoproject.com/ticket/34613; the pull request for 6.2 adds
`set_cookie(partitioned=True)` and SESSION_/CSRF_/LANGUAGE_COOKIE_PARTITIONED), and
Python's Morsel knows it only from 3.14. This helper is the one place the site adds it:
Django's own set_cookie builds the cookie, and a Morsel that knows the flag writes it.
"""

from http.cookies import Morsel


class PartitionedMorsel(Morsel):
    """A Morsel that also writes the Partitioned flag (as Python 3.14's does)."""

    _reserved = {**Morsel._reserved, "partitioned": "Partitioned"}
    _flags = {*Morsel._flags, "partitioned"}

    def set(self, key, val, coded_val):
        # Django's own Morsel already accepted the name: a cookie may be called "partitioned".
        self._key, self._value, self._coded_value = key, val, coded_val


def set_partitioned_cookie(response, key, value="", **kwargs):
    """response.set_cookie(key, value, **kwargs) with `Partitioned` added to the Set-Cookie line."""
    response.set_cookie(key, value, **kwargs)
    partition(response, key)


# The settings Django 6.2's pull request adds; read here until Django reads them itself.
SETTINGS = {
    "SESSION_COOKIE_PARTITIONED": "SESSION_COOKIE_NAME",
    "CSRF_COOKIE_PARTITIONED": "CSRF_COOKIE_NAME",
    "LANGUAGE_COOKIE_PARTITIONED": "LANGUAGE_COOKIE_NAME",
}


class PartitionedCookiesMiddleware:
    """Adds `Partitioned` to the session, CSRF and language cookies Django set on a response, where
    SESSION_COOKIE_PARTITIONED, CSRF_COOKIE_PARTITIONED or LANGUAGE_COOKIE_PARTITIONED is true."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        from django.conf import settings

        response = self.get_response(request)
        for flag, name in SETTINGS.items():
            key = getattr(settings, name)
            if getattr(settings, flag, False) and key in response.cookies:
                partition(response, key)
        return response


def partition(response, key):
    """Add `Partitioned` to the cookie response.set_cookie() made for key."""
    django_morsel = response.cookies[key]
    morsel = PartitionedMorsel()
    morsel.set(django_morsel.key, django_morsel.value, django_morsel.coded_value)
    morsel.update({k: v for k, v in django_morsel.items() if v != ""})
    morsel["partitioned"] = True
    response.cookies[key] = morsel
