"""The fixed vocabulary of test hosts and origins (web-platform-tests style).

All of them resolve only inside the test proxy; none leaves the machine.
"""

HOST = "example.test"
SUBDOMAIN_HOST = "www.example.test"
OTHER_SUBDOMAIN_HOST = "blog.example.test"
CROSS_SITE_HOST = "other.test"
TEST_HOSTS = (HOST, SUBDOMAIN_HOST, OTHER_SUBDOMAIN_HOST, CROSS_SITE_HOST)

ORIGIN = f"http://{HOST}"
SECURE_ORIGIN = f"https://{HOST}"
SUBDOMAIN_ORIGIN = f"http://{SUBDOMAIN_HOST}"
SECURE_SUBDOMAIN_ORIGIN = f"https://{SUBDOMAIN_HOST}"
OTHER_SUBDOMAIN_ORIGIN = f"http://{OTHER_SUBDOMAIN_HOST}"
CROSS_SITE_ORIGIN = f"http://{CROSS_SITE_HOST}"
SECURE_CROSS_SITE_ORIGIN = f"https://{CROSS_SITE_HOST}"
