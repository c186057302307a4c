"""The fixed vocabulary of origins (web-platform-tests style), built on the site's host names.

All of them resolve only inside the test proxy; none leaves the machine.
"""

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
]
