"""A private X server (Xvfb) for engines without a headless mode (WebKitGTK), started and stopped here.

Private in both senses: a display of its own, and only clients holding its cookie (an Xauthority file in a
0700 folder) may connect. Without -auth, Xvfb takes any local client, and another user could type into the
browser's window.
"""

import os
import pathlib
import secrets
import select
import shutil
import struct
import subprocess
import tempfile

from e2e.harness import processes

XVFB = "Xvfb"
START_TIMEOUT = 15


class XServer:
    """Xvfb on a display it picks itself (-displayfd): no races between parallel workers."""

    def __init__(self) -> None:
        self.display: str | None = None
        self.process: subprocess.Popen[bytes] | None = None
        self.folder = pathlib.Path(tempfile.mkdtemp(prefix="cookie-lab-xvfb-"))
        self.log = self.folder / "xvfb.log"
        self.authority = self.folder / "Xauthority"

    def __enter__(self) -> "XServer":
        if shutil.which(XVFB) is None:
            raise RuntimeError("Xvfb is not installed: apt-get install xvfb (python3 -m e2e setup does it as root)")
        write_authority(self.authority, secrets.token_bytes(16))
        read, write = os.pipe()
        try:
            self.process = processes.start(
                [
                    XVFB,
                    "-displayfd",
                    str(write),
                    "-nolisten",
                    "tcp",
                    "-auth",
                    str(self.authority),
                    "-screen",
                    "0",
                    "1280x1024x24",
                ],  # fmt: skip
                self.log,
                env=processes.clean_env(**processes.browser_home()),
                pass_fds=(write,),
            )
        finally:
            os.close(write)
        with os.fdopen(read) as pipe:
            ready, _, _ = select.select([pipe], [], [], START_TIMEOUT)
            number = pipe.readline().strip() if ready else ""
        if not number:
            processes.stop(self.process)  # started above
            raise RuntimeError(f"Xvfb did not report a display in {START_TIMEOUT} s: {processes.tail(self.log)}")
        self.display = f":{number}"
        return self

    def env(self) -> dict[str, str]:
        """What a client of this display needs in its environment."""
        return {"DISPLAY": self.display or "", "XAUTHORITY": str(self.authority)}

    def __exit__(self, *exc: object) -> None:
        if self.process is not None:
            processes.stop(self.process)
        shutil.rmtree(self.folder, ignore_errors=True)


def write_authority(path: pathlib.Path, cookie: bytes) -> None:
    """An Xauthority file with one MIT-MAGIC-COOKIE-1 for any address and display (family FamilyWild), 0600:
    the format libXau reads (xauth is not always installed)."""

    def field(data: bytes) -> bytes:
        return struct.pack(">H", len(data)) + data

    entry = struct.pack(">H", 0xFFFF) + field(b"") + field(b"") + field(b"MIT-MAGIC-COOKIE-1") + field(cookie)
    with os.fdopen(os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600), "wb") as f:
        f.write(entry)
