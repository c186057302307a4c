"""The closed test network: the site's servers and database behind a proxy that reaches only the test hosts."""
