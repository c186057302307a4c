"""The lab's verbs for your own site: include them, last, in its URLconf, and the harness observes it.

    urlpatterns = [..., path("", include("cookielab.observe"))]

With them, lab.sent() (what the browser sent, from the server's side), lab.script_read() (document.cookie),
lab.reach() (a link, form, iframe, fetch or image from another site) and lab.set()/lab.raw() work against
your site as against the reference site: each answers only at a path whose last segment is its name
(/echo, /a/echo), so your own URLs come first and keep theirs. Needs "cookielab" in INSTALLED_APPS (its
script and embed pages are templates). README's "Your own Django site" shows the rest.
"""

from django.urls import re_path

from . import lab

urlpatterns = [re_path(rf"^(?:(?P<sub>.+)/)?(?P<verb>{'|'.join(lab.VERBS)})$", lab.lab, name="cookie-lab-verb")]
