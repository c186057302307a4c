"""Settings for the reference site.

The lab verbs need no database: by default sessions live in signed cookies. The
shipped app (cookielab/app.py: login, logout, CSRF forms, messages, language) runs
on contrib.auth and contrib.sessions with a SQLite file that the harness creates and
migrates for each run under --output (e2e/harness/network/site_database.py); until then the
database is an empty in-memory one, which the lab verbs never touch.
"""

from .hosts import ALLOWED

SECRET_KEY = "cookie-lab-reference-site-not-a-secret"
DEBUG = False

# The test network's hosts plus loopback names; anything else gets a 400.
ALLOWED_HOSTS = [*ALLOWED]

INSTALLED_APPS = [
    "cookielab",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
]
MIDDLEWARE = [
    # Validates the Host header on every request (DisallowedHost -> 400).
    "django.middleware.common.CommonMiddleware",
    # A database error (the app's tables not made yet) is a named 503, not a 500 (cookielab/middleware.py).
    "cookielab.middleware.DatabaseSetupMiddleware",
    # SESSION_/CSRF_/LANGUAGE_COOKIE_PARTITIONED until Django has them (ticket #34613); outermost but
    # one, so it sees the cookies every other middleware set.
    "cookielab.partitioned.PartitionedCookiesMiddleware",
    # Django's SessionMiddleware, with SESSION_ENGINE read per request (settings profiles).
    "cookielab.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "cookielab.middleware.CsrfViewMiddleware",  # Django's, with CSRF_TRUSTED_ORIGINS read per request
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
]
CSRF_FAILURE_VIEW = "cookielab.app.csrf_failure"  # the 403 names Django's reason, as JSON
LOGIN_URL = "/app/login/"
LOGIN_REDIRECT_URL = "/app/state/"
LOGOUT_REDIRECT_URL = "/app/state/"
# Test users only: the fast hasher keeps a login at a few ms (Django's docs on testing).
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
USE_I18N = True
LANGUAGE_CODE = "en"
LANGUAGES = [("en", "English"), ("fr", "French"), ("de", "German")]
APPEND_SLASH = False  # lab verbs live at slash-less paths: /echo, /a/echo
SESSION_ENGINE = "django.contrib.sessions.backends.signed_cookies"
ROOT_URLCONF = "cookielab.urls"
DATABASES = {"default": {"ENGINE": "django.db.backends.sqlite3", "NAME": ":memory:"}}
TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
            ]
        },
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
