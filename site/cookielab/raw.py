"""Set-Cookie headers sent verbatim, for what set_cookie cannot emit (no Path, odd attributes)."""

from http.cookies import Morsel


class RawSetCookie(Morsel):
    """Stands in a response's cookie jar where Django expects a Morsel.

    Django's WSGI handler writes one Set-Cookie header per value of
    response.cookies, as `morsel.output(header="")`; HttpResponse has no other
    way to send several Set-Cookie headers, so this is the narrowest hook. The
    name and value are parsed too, so Django's test client can keep the cookie.
    """

    def __init__(self, header):
        super().__init__()
        name, _, rest = header.partition("=")
        value = rest.split(";", 1)[0].strip()
        # Assigned directly: Morsel.set() refuses the illegal names raw headers exist to send.
        self._key, self._value, self._coded_value = name.strip(), value, value
        self.header = header

    def output(self, attrs=None, header="Set-Cookie:"):
        return f"{header} {self.header}" if header else self.header

    @classmethod
    def attach(cls, response, headers):
        for index, header in enumerate(headers):
            # dict.__setitem__: SimpleCookie's own would re-parse it into a plain Morsel.
            dict.__setitem__(response.cookies, f"raw-{index}", cls(header))
