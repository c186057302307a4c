"""The one user-agent contract: what a browser's Lab (runner.py) and the spec's SpecLab (spec/user_agent.py) both do.

A module's steps are written once against it and run twice, on the browser and on the model, so a row's
spec value and its observation come from the same steps. The type checker holds both to it
(`CONFORMING` below): a step one of them lacks, or takes differently, is an error before any run.
"""

from typing import TYPE_CHECKING, Any, Protocol

if TYPE_CHECKING:
    from e2e.harness.runner import Lab, Script
    from e2e.harness.spec.user_agent import SpecLab


class PageSession(Protocol):
    """The session steps a flow takes directly: a click that loads the next page, an emptied jar."""

    def click_and_wait(self, selector: str) -> None: ...

    def clear_cookies(self) -> None: ...


class Addresses(Protocol):
    """Where the site answers on loopback (TestNetwork's ports; the model's names for them)."""

    def loopback_origin(self, host: str, secure: bool = False, other_port: bool = False) -> str: ...


class UserAgent(Protocol):
    """Steps (navigate, set and delete cookies through the site, write document.cookie, submit a form, reach a page
    from another origin, let time pass) and observations (the whole jar, what a request sent, what script sees)."""

    @property
    def session(self) -> PageSession: ...

    @property
    def network(self) -> Addresses: ...

    def go(self, url: str) -> int | None: ...

    def set(self, origin: str, *specs: dict[str, Any], path: str = "") -> None: ...

    def drop(self, origin: str, *specs: dict[str, Any], path: str = "") -> None: ...

    def raw(self, origin: str, *headers: str, path: str = "") -> None: ...

    def script_write(self, origin: str, cookie_string: str, path: str = "") -> str: ...

    def evaluate(self, function: str, arg: Any = None) -> Any: ...

    def run(self, script: "Script", arg: Any = None) -> Any: ...

    def wait(self, seconds: float) -> None: ...

    def hear_refusals(self) -> None: ...

    def refusals(self) -> dict[str, tuple[str, ...]] | None: ...

    def post(self, form: str, action: str | None = None, **fields: str) -> None: ...

    def submit(self, form: str, action: str | None = None, **fields: str) -> Any: ...

    def reach(
        self, kind: str, from_origin: str, url: str, token: str, click: str | None = None, navigates: bool = False
    ) -> list[dict[str, Any]]: ...

    def location(self) -> str: ...

    def page_json(self) -> Any: ...

    def stored(self, name: str | None = None) -> list[dict[str, Any]]: ...

    def partition_keys(self, name: str) -> list[str | None]: ...

    def stored_values(self) -> dict[str, str]: ...

    def sent(self, origin: str, path: str = "", exact: bool = False) -> dict[str, Any]: ...

    def script_read(self, origin: str, path: str = "") -> str: ...

    def document_cookie(self) -> str: ...


if TYPE_CHECKING:

    def _conforming(browser: "Lab", model: "SpecLab") -> tuple[UserAgent, UserAgent]:
        """Checked by mypy only: both labs are UserAgents."""
        return browser, model
