"""Firefox's console, heard under Playwright: the cookie messages Firefox writes for each cookie it refuses.

Over WebDriver BiDi no cookie message reaches Playwright: Firefox's remote agent forwards only console messages of
level "error" as log.entryAdded (remote/webdriver-bidi/modules/windowglobal/log.sys.mjs, measured: firefox
153.8.0), and a refusal is a warning. Marionette reads them in the chrome context, but a Marionette session beside
BiDi breaks Playwright's (measured). So the chrome context is given a listener at startup instead: AutoConfig
(https://support.mozilla.org/kb/customizing-firefox-using-autoconfig), a script Firefox runs from its own
installation folder. The system's folder stays untouched: Firefox finds its installation from its executable's
real path, so the run gets a folder of its own with a copy of the executable (half a megabyte), links to everything
else, and the AutoConfig files. The listener appends each cookie message of the console (the content processes'
too: each forwards its messages to the parent's console) to the file COOKIE_LAB_CONSOLE names, as JSON lines.
AutoConfig runs unsandboxed by default only in ESR builds (general.config.sandbox_enabled), which is what Debian
ships; in another build the listener stays off and its refusals say "no reason given", as before.
"""

import itertools
import json
import os
import pathlib
import time
from typing import Any

from e2e.harness.reasons import RefusalLog

CONSOLE_ENV = "COOKIE_LAB_CONSOLE"  # the file the listener appends to; unset: no listener
CONFIG = "cookie-lab.cfg"
AUTOCONFIG = f"""\
pref("general.config.filename", "{CONFIG}");
pref("general.config.obscure_value", 0);
pref("general.config.sandbox_enabled", false);
"""
# Firefox skips a config file's first line.
LISTENER = f"""\
// cookie-lab: each cookie message of Firefox's console, appended to ${CONSOLE_ENV} as a JSON line.
const path = Services.env.get("{CONSOLE_ENV}");
if (path) {{
  const file = Cc["@mozilla.org/file/local;1"].createInstance(Ci.nsIFile);
  file.initWithPath(path);
  Services.console.registerListener({{
    observe(message) {{
      if (!(message instanceof Ci.nsIScriptError) || !message.category.startsWith("cookie")) return;
      const stream = Cc["@mozilla.org/network/file-output-stream;1"].createInstance(Ci.nsIFileOutputStream);
      stream.init(file, 0x02 | 0x08 | 0x10, 0o600, 0);  // write, create, append
      const text = Cc["@mozilla.org/intl/converter-output-stream;1"].createInstance(Ci.nsIConverterOutputStream);
      text.init(stream, "UTF-8");
      text.writeString(JSON.stringify(message.errorMessage) + "\\n");
      text.close();
    }},
  }});
}}
"""
# A cookie the page writes for its refusal, which marks the end of what was said before it: refused in every
# context (a __Host- cookie must have Path=/), so it never enters the jar.
MARK = "__Host-cookie-lab-heard-"
MARK_SECONDS = 2.0  # how long a read waits for its mark: it comes within milliseconds (measured: firefox 153.8.0)
_marks = itertools.count(1)


def installation(executable: str, folder: pathlib.Path) -> pathlib.Path:
    """An installation of Firefox in folder with the listener: the executable copied, the rest linked. Returns
    the executable to launch."""
    real = pathlib.Path(os.path.realpath(executable))
    for entry in real.parent.iterdir():
        if entry.name not in (real.name, "defaults"):
            (folder / entry.name).symlink_to(entry)
    own = folder / real.name
    own.write_bytes(real.read_bytes())
    own.chmod(0o700)
    prefs = folder / "defaults" / "pref"
    prefs.mkdir(parents=True)
    for entry in (real.parent / "defaults" / "pref").glob("*"):
        (prefs / entry.name).symlink_to(entry)
    for entry in (real.parent / "defaults").glob("*"):
        if entry.name != "pref":
            (folder / "defaults" / entry.name).symlink_to(entry)
    (prefs / "cookie-lab-autoconfig.js").write_text(AUTOCONFIG)
    (folder / CONFIG).write_text("// " + LISTENER)
    return own


def listen(page: Any, console: pathlib.Path) -> RefusalLog:
    """From now on, the cookie messages the listener writes to console, read after a mark the page writes."""
    start = console.stat().st_size if console.exists() else 0
    read = {"offset": start}
    said: list[str] = []

    def lines() -> None:
        if not console.exists():
            return
        with console.open("rb") as text:
            text.seek(read["offset"])
            chunk = text.read()
        complete = chunk[: chunk.rfind(b"\n") + 1]
        read["offset"] += len(complete)
        said.extend(json.loads(line) for line in complete.decode().splitlines())

    def flush() -> None:
        if not page.url.startswith(("http:", "https:")):  # about:blank has no jar to write a mark in
            lines()
            return
        mark = f"{MARK}{next(_marks)}"
        try:
            page.evaluate("(name) => { document.cookie = name + '=1; Path=/-'; }", mark)
        except Exception:  # noqa: BLE001 - a page gone or navigating: read what is there
            lines()
            return
        deadline = time.monotonic() + MARK_SECONDS
        while True:
            lines()
            if any(f"“{mark}”" in message for message in said) or time.monotonic() > deadline:
                return
            time.sleep(0.01)  # polling a file, bounded by MARK_SECONDS

    def pull() -> list[str]:
        heard = [message for message in said if f"“{MARK}" not in message]
        said.clear()
        return heard

    return RefusalLog(pull=pull, flush=flush)
