"""Settings for the reference site.

No database: sessions live in signed cookies, which keeps the site stateless and
makes Django's session cookie one more cookie the browsers are tested with.
"""

from .hosts import LOOPBACK_HOSTS, TEST_HOSTS

SECRET_KEY = "cookie-lab-reference-site-not-a-secret"
DEBUG = False

# The test network's hosts plus loopback names; anything else gets a 400.
ALLOWED_HOSTS = [*TEST_HOSTS, *LOOPBACK_HOSTS]

INSTALLED_APPS = ["cookielab"]
MIDDLEWARE = [
    # Validates the Host header on every request (DisallowedHost -> 400).
    "django.middleware.common.CommonMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
]
APPEND_SLASH = False  # lab verbs live at slash-less paths: /echo, /a/echo
SESSION_ENGINE = "django.contrib.sessions.backends.signed_cookies"
ROOT_URLCONF = "cookielab.urls"
DATABASES = {}
TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "APP_DIRS": True,
    }
]
USE_TZ = True

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    # django.server logs every request; keep only warnings (4xx/5xx) so a
    # test run's output shows bad answers and nothing else.
    "loggers": {
        "django.server": {"handlers": ["console"], "level": "WARNING", "propagate": False},
        "django.request": {"handlers": ["console"], "level": "WARNING", "propagate": False},
    },
}
