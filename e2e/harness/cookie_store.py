"""The Cookie Store API (cookieStore.get/getAll/set/delete and change events) in a browser's page: Lab.cookie_store.

Pages change cookies three ways: Set-Cookie, document.cookie, and cookieStore. Each step
runs in the current page through Lab.evaluate, so every backend drives it the same way.
An engine without the API answers ABSENT for every step, recorded as its observed value;
a step the engine refuses answers "refused: <error name>" (a TypeError for a bad cookie), and the error's message,
the engine's own words for the refusal, is kept as the store's `said`.
The spec's user agent has the same methods on the standard's model (spec/cookie_store.py),
so a module's steps call lab.cookie_store on either.
"""

import json
from typing import Any, Protocol


class Page(Protocol):
    """What the store needs of the lab that holds it: script in its current page (Lab.evaluate)."""

    def evaluate(self, function: str, arg: Any = None) -> Any: ...


ABSENT = "cookieStore absent"
REFUSAL = "cookieLabRefused"  # the key of a rejected step's answer in the page, never an item's

# Listens for change events while a Set-Cookie arrives (a fetch of the raw verb), page script
# writes document.cookie, and cookieStore deletes: what each event carries, in order. Waits
# for three events or 3 s, whichever comes first.
CHANGES = """
const [url, written, deleted] = arg;
const seen = [];
cookieStore.addEventListener('change', (event) => seen.push({
  changed: event.changed.map((c) => `${c.name}=${c.value}`), deleted: event.deleted.map((c) => c.name)}));
await fetch(url);
document.cookie = written;
await cookieStore.delete(deleted);
const until = Date.now() + 3000;
while (seen.length < 3 && Date.now() < until) await new Promise((tick) => setTimeout(tick, 50));
return seen;
"""


class PageCookieStore:
    """cookieStore in the lab's current page."""

    def __init__(self, lab: Page) -> None:
        self.lab = lab
        self.said = ""  # the last refusal's words: its error's message

    def run(self, body: str, arg: Any = None) -> Any:
        """Run body (an async function body over `arg`, using `cookieStore`) in the current page."""
        function = (
            "async (arg) => {"
            f" if (!('cookieStore' in self)) return {json.dumps(ABSENT)};"
            f" try {{ {body} }} catch (error) {{ return {{{REFUSAL}: error.name, words: String(error.message)}}; }}"
            "}"
        )
        answer = self.lab.evaluate(function, arg)
        if isinstance(answer, dict) and REFUSAL in answer:
            self.said = answer["words"]
            return f"refused: {answer[REFUSAL]}"
        return answer

    def set(self, *args: Any) -> Any:
        """cookieStore.set(name, value) or set({...}); "set" once it resolved."""
        return self.run("await cookieStore.set(...arg); return 'set';", list(args))

    def get(self, name: Any) -> Any:
        """cookieStore.get(name or {...}): the item as the engine reports it, or None."""
        return self.run("const item = await cookieStore.get(arg); return item === null ? null : {...item};", name)

    def get_all(self, name: Any = None) -> Any:
        """The names cookieStore.getAll() lists, sorted (with a name: the matching items' values)."""
        if name is None:
            return self.run("return (await cookieStore.getAll()).map((c) => c.name).sort();")
        return self.run("return (await cookieStore.getAll(arg)).map((c) => c.value);", name)

    def delete(self, name: Any) -> Any:
        """cookieStore.delete(name or {...}); "deleted" once it resolved."""
        return self.run("await cookieStore.delete(arg); return 'deleted';", name)

    def available(self) -> bool:
        """Whether the current page has cookieStore (a [SecureContext] interface)."""
        found: bool = self.lab.evaluate("() => 'cookieStore' in self")
        return found

    def changes(self, set_cookie_url: str, written: str, deleted: str) -> Any:
        """The change events the current page sees while set_cookie_url's Set-Cookie arrives by fetch, script
        writes document.cookie = written, and cookieStore.delete(deleted) runs."""
        return self.run(CHANGES, [set_cookie_url, written, deleted])
