"""The fixed vocabulary of origins (web-platform-tests style), built on the site's host names.

All of them resolve only inside the test proxy; none leaves the machine.
"""

import dataclasses
import urllib.parse

from cookielab.hosts import (
    CROSS_SITE_HOST,
    HOST,
    LOOPBACK_HOSTS,
    OTHER_SUBDOMAIN_HOST,
    SUBDOMAIN_HOST,
    TEST_HOSTS,
    THIRD_SITE_HOST,
)

ORIGIN = f"http://{HOST}"
SECURE_ORIGIN = f"https://{HOST}"
SUBDOMAIN_ORIGIN = f"http://{SUBDOMAIN_HOST}"
SECURE_SUBDOMAIN_ORIGIN = f"https://{SUBDOMAIN_HOST}"
OTHER_SUBDOMAIN_ORIGIN = f"http://{OTHER_SUBDOMAIN_HOST}"
CROSS_SITE_ORIGIN = f"http://{CROSS_SITE_HOST}"
SECURE_CROSS_SITE_ORIGIN = f"https://{CROSS_SITE_HOST}"
SECURE_THIRD_SITE_ORIGIN = f"https://{THIRD_SITE_HOST}"


@dataclasses.dataclass(frozen=True)
class Origins:
    """The test origins by what they are to the site (the `origins` fixture): your tests' vocabulary."""

    site: str = ORIGIN  # http://example.test
    secure_site: str = SECURE_ORIGIN  # https://example.test
    subdomain: str = SUBDOMAIN_ORIGIN  # http://www.example.test: same site, another origin
    secure_subdomain: str = SECURE_SUBDOMAIN_ORIGIN
    cross_site: str = CROSS_SITE_ORIGIN  # http://other.test: another site
    secure_cross_site: str = SECURE_CROSS_SITE_ORIGIN
    third_site: str = SECURE_THIRD_SITE_ORIGIN  # https://third.test: a second other site


__all__ = [  # the site's host names, re-exported, and the origins built on them
    "CROSS_SITE_HOST",
    "HOST",
    "LOOPBACK_HOSTS",
    "OTHER_SUBDOMAIN_HOST",
    "SUBDOMAIN_HOST",
    "TEST_HOSTS",
    "THIRD_SITE_HOST",
    "ORIGIN",
    "SECURE_ORIGIN",
    "SUBDOMAIN_ORIGIN",
    "SECURE_SUBDOMAIN_ORIGIN",
    "OTHER_SUBDOMAIN_ORIGIN",
    "CROSS_SITE_ORIGIN",
    "SECURE_CROSS_SITE_ORIGIN",
    "SECURE_THIRD_SITE_ORIGIN",
    "Origins",
]


def endpoint(url: str, plain: str, secure: str) -> tuple[str, int] | None:
    """(host, port) of a URL whose scheme is plain or secure (its default port where none is given), else None."""
    parts = urllib.parse.urlsplit(url)
    try:
        port = parts.port or (443 if parts.scheme == secure else 80)
    except ValueError:
        return None
    return (parts.hostname, port) if parts.scheme in (plain, secure) and parts.hostname else None
