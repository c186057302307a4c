"""The Cookie Store API (cookieStore.get/getAll/set/delete and change events) as steps on Lab.

Pages change cookies three ways: Set-Cookie, document.cookie, and cookieStore. Each step
runs in the current page through Lab.evaluate, so every backend drives it the same way.
An engine without the API answers ABSENT for every step, recorded as its observed value;
a step the engine refuses answers "refused: <error name>" (a TypeError for a bad cookie).
On the spec's user agent (SpecLab) the same steps run on the standard's model instead.
"""

import json
from typing import Any

from e2e.harness.runner import Lab
from e2e.harness.spec.sending import secure_channel
from e2e.harness.spec.user_agent import SpecLab

ABSENT = "cookieStore absent"


def run(lab: Lab, body: str, arg: Any = None) -> Any:
    """Run body (an async function body over `arg`, using `cookieStore`) in the current page."""
    function = (
        "async (arg) => {"
        f" if (!('cookieStore' in self)) return {json.dumps(ABSENT)};"
        f" try {{ {body} }} catch (error) {{ return 'refused: ' + error.name; }}"
        "}"
    )
    return lab.evaluate(function, arg)


def set_cookie(lab: Lab | SpecLab, *args: Any) -> Any:
    """cookieStore.set(name, value) or set({...}); "set" once it resolved."""
    if isinstance(lab, SpecLab):
        return lab.cookie_store.set(*args)
    return run(lab, "await cookieStore.set(...arg); return 'set';", list(args))


def get(lab: Lab | SpecLab, name: Any) -> Any:
    """cookieStore.get(name or {...}): the item as the engine reports it, or None."""
    if isinstance(lab, SpecLab):
        return lab.cookie_store.get(name)
    return run(lab, "const item = await cookieStore.get(arg); return item === null ? null : {...item};", name)


def get_all(lab: Lab | SpecLab, name: Any = None) -> Any:
    """The names cookieStore.getAll() lists (with a name: the matching items' values)."""
    if isinstance(lab, SpecLab):
        return lab.cookie_store.get_all(name)
    if name is None:
        return run(lab, "return (await cookieStore.getAll()).map((c) => c.name).sort();")
    return run(lab, "return (await cookieStore.getAll(arg)).map((c) => c.value);", name)


def delete(lab: Lab | SpecLab, name: Any) -> Any:
    if isinstance(lab, SpecLab):
        return lab.cookie_store.delete(name)
    return run(lab, "await cookieStore.delete(arg); return 'deleted';", name)


def available(lab: Lab | SpecLab) -> bool:
    """Whether the current page has cookieStore (a [SecureContext] interface)."""
    if isinstance(lab, SpecLab):
        return secure_channel(lab.url)
    found: bool = lab.evaluate("() => 'cookieStore' in self")
    return found


# Listens for change events while a Set-Cookie arrives (a fetch of the raw verb), page script
# writes document.cookie, and cookieStore deletes: what each event carries, in order. Waits
# for three events or 3 s, whichever comes first.
CHANGES = """
const seen = [];
cookieStore.addEventListener('change', (event) => seen.push({
  changed: event.changed.map((c) => `${c.name}=${c.value}`), deleted: event.deleted.map((c) => c.name)}));
await fetch(arg);
document.cookie = 'cs_ev_doc=1; path=/';
await cookieStore.delete('cs_ev_http');
const until = Date.now() + 3000;
while (seen.length < 3 && Date.now() < until) await new Promise((tick) => setTimeout(tick, 50));
return seen;
"""


def changes(lab: Lab, set_cookie_url: str) -> Any:
    return run(lab, CHANGES, set_cookie_url)
