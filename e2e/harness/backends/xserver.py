"""A private X server (Xvfb) for engines without a headless mode (WebKitGTK), started and stopped here."""

import os
import pathlib
import select
import shutil
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
        self.log = pathlib.Path(tempfile.mkstemp(prefix="cookie-lab-xvfb-", suffix=".log")[1])

    def __enter__(self) -> "XServer":
        if shutil.which(XVFB) is None:
            raise RuntimeError("Xvfb is not installed: apt-get install xvfb (python3 -m e2e setup does it as root)")
        read, write = os.pipe()
        try:
            self.process = processes.start(
                [XVFB, "-displayfd", str(write), "-nolisten", "tcp", "-screen", "0", "1280x1024x24"],
                self.log,
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

    def __exit__(self, *exc: object) -> None:
        if self.process is not None:
            processes.stop(self.process)
        self.log.unlink(missing_ok=True)
