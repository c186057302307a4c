#!/usr/bin/env python
"""Run the reference site by hand: python site/manage.py runserver."""

import os
import sys

if __name__ == "__main__":
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "cookielab.settings")
    from django.core.management import execute_from_command_line

    execute_from_command_line(sys.argv)
