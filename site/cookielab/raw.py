"""Set-Cookie headers sent verbatim, for what set_cookie cannot emit (no Path, odd attributes)."""


class RawSetCookie(str):
    """Stands in a response's cookie jar where Django expects a Morsel.

    Django's WSGI handler writes one Set-Cookie header per value of
    response.cookies, as `morsel.output(header="")`; HttpResponse has no other
    way to send several Set-Cookie headers, so this is the narrowest hook.
    """

    def output(self, header="Set-Cookie:"):
        return f"{header} {self}" if header else str(self)

    @classmethod
    def attach(cls, response, headers):
        for index, header in enumerate(headers):
            # dict.__setitem__: SimpleCookie's own would parse it into a Morsel.
            dict.__setitem__(response.cookies, f"raw-{index}", cls(header))
