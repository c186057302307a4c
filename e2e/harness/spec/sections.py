"""The spec sections that rows of more than one concern cite (one module's own stay in that module)."""

from e2e.harness.rows import RFC

REPLACE = f"{RFC} section 5.7 step 22 (a cookie with the same name, domain and path is replaced)"
PATH_MATCH = f"{RFC} section 5.1.4 (paths and path-match)"
HOST_ONLY = f"{RFC} section 5.7 step 10 (no Domain: host-only)"
HTTPONLY = f"{RFC} sections 5.7 step 12 and 5.8.2 (HttpOnly: not for non-HTTP APIs)"
SECURE_SEND = f"{RFC} section 5.8.3 step 1 (Secure cookies only over secure channels)"
SAMESITE = f"{RFC} section 5.6.7.1 (same-site requests) and 5.7 step 13 (SameSite enforcement)"
# A cookie without SameSite gets the "Default" enforcement, which the draft lets
# user agents treat as None; none of the three engines here applies Lax-by-default.
DEFAULT_ENFORCEMENT = f"{RFC} section 5.6.7 (no SameSite attribute: 'Default' enforcement, sent like None)"
