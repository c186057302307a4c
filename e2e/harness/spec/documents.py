"""The forms of an HTML page as a browser would submit them, for the spec's user agent (SpecLab).

html.parser (the standard library's) is enough here: the site's own templates, a form's id, its action and
method, and its successful controls (HTML Living Standard, 4.10.21.4 "Constructing the entry list"): named
inputs with their values, a checkbox only when checked, a select's selected or first option; buttons without
a name add nothing.
"""

import dataclasses
import html.parser
import urllib.parse


@dataclasses.dataclass
class Form:
    action: str  # the absolute URL it submits to
    method: str  # GET or POST
    fields: dict[str, str]  # the entry list, name -> value

    def filled(self, given: dict[str, str]) -> dict[str, str]:
        """The entry list with the given controls set, as Lab.post sets them (`elements[name].value`): a name the
        form lacks is an error, as it is in the page."""
        unknown = set(given) - set(self.fields)
        if unknown:
            raise KeyError(f"the form has no control named {sorted(unknown)}")
        return {**self.fields, **given}


class _Forms(html.parser.HTMLParser):
    def __init__(self, base: str) -> None:
        super().__init__(convert_charrefs=True)
        self.base = base
        self.forms: dict[str, Form] = {}
        self.current: Form | None = None
        self.select: str | None = None  # the name of the select being read
        self.chosen: str | None = None  # its selected option's value, or its first

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = {name: value or "" for name, value in attrs}
        if tag == "form":
            self.current = Form(urllib.parse.urljoin(self.base, a.get("action") or self.base),
                                a.get("method", "get").upper(), {})  # fmt: skip
            self.forms[a.get("id", "")] = self.current
        elif tag == "option" and self.select is not None and (self.chosen is None or "selected" in a):
            self.chosen = a.get("value", "")
        elif self.current is None or "name" not in a:
            return
        elif tag == "input" and (a.get("type", "text") != "checkbox" or "checked" in a):
            self.current.fields[a["name"]] = a.get("value", "")
        elif tag == "select":
            self.select, self.chosen = a["name"], None

    def handle_endtag(self, tag: str) -> None:
        if tag == "select" and self.current is not None and self.select is not None:
            self.current.fields[self.select] = self.chosen or ""
            self.select = None
        elif tag == "form":
            self.current = None


def form(page: str, url: str, selector: str) -> Form:
    """The form `selector` ("#id", or "#id button": the form that button submits) of the page at url."""
    form_id = selector.split()[0].removeprefix("#")
    parser = _Forms(url)
    parser.feed(page)
    if form_id not in parser.forms:
        raise KeyError(f"no form {selector!r} on {url}")
    return parser.forms[form_id]
