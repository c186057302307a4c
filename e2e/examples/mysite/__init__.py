"""A small Django project of its own, tested with cookie-lab as README's "Your own Django site" shows."""
