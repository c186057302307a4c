"""The test network's host names: the one place they are defined.

The site allows exactly these (ALLOWED_HOSTS); the e2e harness routes exactly
the test hosts through its proxy. Loopback names reach the site on its own
ports only, for the localhost and IP-address scenarios.
"""

HOST = "example.test"
SUBDOMAIN_HOST = "www.example.test"
OTHER_SUBDOMAIN_HOST = "blog.example.test"
CROSS_SITE_HOST = "other.test"
THIRD_SITE_HOST = "third.test"  # a second cross-site top level: partitions and redirects through a third site
TEST_HOSTS = (HOST, SUBDOMAIN_HOST, OTHER_SUBDOMAIN_HOST, CROSS_SITE_HOST, THIRD_SITE_HOST)
LOOPBACK_HOSTS = ("localhost", "127.0.0.1")
# What a site under test allows: your own settings say `ALLOWED_HOSTS = [*cookielab.hosts.ALLOWED]`.
ALLOWED = (*TEST_HOSTS, *LOOPBACK_HOSTS)
# The plain ports this process's SiteServers listen on (server.py keeps it): a loopback URL at one of them is the
# site itself, the only loopback target its verbs may name.
SERVED_PORTS: set[int] = set()
