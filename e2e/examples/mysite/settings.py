"""Settings of a small site that ships Secure session and CSRF cookies: what a test of its own checks."""

import cookielab.hosts

SECRET_KEY = "example-site-not-a-secret"
DEBUG = False
ALLOWED_HOSTS = [*cookielab.hosts.ALLOWED]  # the test hosts the harness reaches the site by
INSTALLED_APPS = ["django.contrib.contenttypes", "django.contrib.auth", "django.contrib.sessions", "cookielab"]
MIDDLEWARE = [
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
]
ROOT_URLCONF = "e2e.examples.mysite.urls"
SESSION_ENGINE = "django.contrib.sessions.backends.signed_cookies"  # no database to set up
SESSION_COOKIE_SECURE = True
CSRF_COOKIE_SECURE = True
DATABASES = {"default": {"ENGINE": "django.db.backends.sqlite3", "NAME": ":memory:"}}
TEMPLATES = [{"BACKEND": "django.template.backends.django.DjangoTemplates", "APP_DIRS": True}]
USE_TZ = True
