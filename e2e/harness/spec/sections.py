"""The spec sections that rows of more than one concern cite (one module's own stay in that module)."""

from e2e.harness.rows import RFC
from e2e.harness.spec.rfc6265bis import storage_step

REPLACE = f"{RFC} section {storage_step(23)}"
PATH_MATCH = f"{RFC} section 5.1.4 (paths and path-match)"
HOST_ONLY = f"{RFC} section {storage_step(10)}"
HTTPONLY = f"{RFC} sections {storage_step(15)} and 5.8.2 (HttpOnly: not for non-HTTP APIs)"
SECURE_SEND = f"{RFC} section 5.8.3 step 1 (Secure cookies only over secure channels)"
SAMESITE = f"{RFC} sections 5.2 (same-site requests), {storage_step(18)} and 5.8.3 step 1 (SameSite enforcement)"
# A cookie without SameSite gets the "Default" enforcement, which the draft lets
# user agents treat as None; none of the three engines here applies Lax-by-default.
DEFAULT_ENFORCEMENT = f"{RFC} section 5.6.7 (no SameSite attribute: 'Default' enforcement, sent like None)"
