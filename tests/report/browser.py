"""Drive Debian's headless chromium over the DevTools protocol on a pipe (standard library only).

`chromium --remote-debugging-pipe` reads commands on fd 3 and writes answers and events on fd 4,
each a JSON message ended by a NUL byte. No websocket client, no driver download, no network.

Also a script: `python tests/report/browser.py lake/reports/<from>_<to>/report.html
docs/images/report.png` makes the screenshot the docs show.
"""

from __future__ import annotations

import base64
import fcntl
import io
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

# Debian's chromium first; Google Chrome (as on GitHub's Ubuntu runners) takes the same flags.
CHROMIUM_NAMES = ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable")
# The flags the project runs chromium with: nothing fetched, nothing stored, no sandbox in CI.
FLAGS = (
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--remote-debugging-pipe",
)
TIMEOUT_S = 60.0
FIRST_FREE_FD = 10
BASH = shutil.which("bash") or "/bin/bash"


def find_chromium() -> str | None:
    """The chromium executable on PATH, or None."""
    for name in CHROMIUM_NAMES:
        found = shutil.which(name)
        if found:
            return found
    return None


class DevTools:
    """One chromium process and one page (a flat session), with every event it sent."""

    def __init__(self, process: subprocess.Popen[bytes], commands: int, answers: int) -> None:
        self.process = process
        self._commands = os.fdopen(commands, "wb", buffering=0)
        self._answers = os.fdopen(answers, "rb", buffering=0)
        self._buffer = b""
        self._next_id = 0
        self.session: str | None = None
        self.events: list[dict[str, Any]] = []

    def _read_message(self, deadline: float) -> dict[str, Any]:
        while b"\0" not in self._buffer:
            if time.monotonic() > deadline:
                raise TimeoutError("chromium did not answer in time")
            chunk = self._answers.read(65536)
            if not chunk:
                raise RuntimeError(f"chromium exited (status {self.process.poll()})")
            self._buffer += chunk
        message, self._buffer = self._buffer.split(b"\0", 1)
        parsed: dict[str, Any] = json.loads(message)
        return parsed

    def send(self, method: str, params: dict[str, Any] | None = None, page: bool = True) -> Any:
        """Send a command (to the page's session unless `page` is False); return its result."""
        self._next_id += 1
        message: dict[str, Any] = {"id": self._next_id, "method": method, "params": params or {}}
        if page and self.session is not None:
            message["sessionId"] = self.session
        self._commands.write(json.dumps(message).encode() + b"\0")
        deadline = time.monotonic() + TIMEOUT_S
        while True:
            answer = self._read_message(deadline)
            if answer.get("id") == self._next_id:
                if "error" in answer:
                    raise RuntimeError(f"{method}: {answer['error']}")
                return answer.get("result", {})
            self.events.append(answer)

    def wait_for(self, method: str) -> dict[str, Any]:
        """Wait for an event (or take it from those already received)."""
        for event in self.events:
            if event.get("method") == method:
                return event
        deadline = time.monotonic() + TIMEOUT_S
        while True:
            event = self._read_message(deadline)
            self.events.append(event)
            if event.get("method") == method:
                return event

    def open(self, url: str, width: int = 1280, height: int = 1000) -> None:
        """Open `url` in a new page with console, log and errors recorded; wait for load."""
        target = self.send("Target.createTarget", {"url": "about:blank"}, page=False)
        attached = self.send(
            "Target.attachToTarget", {"targetId": target["targetId"], "flatten": True}, page=False
        )
        self.session = attached["sessionId"]
        for domain in ("Runtime", "Log", "Page"):
            self.send(f"{domain}.enable")
        self.send(
            "Emulation.setDeviceMetricsOverride",
            {"width": width, "height": height, "deviceScaleFactor": 1, "mobile": False},
        )
        self.send("Page.navigate", {"url": url})
        self.wait_for("Page.loadEventFired")

    def evaluate(self, expression: str) -> Any:
        """The value of a JavaScript expression in the page (promises awaited)."""
        result = self.send(
            "Runtime.evaluate",
            {"expression": expression, "returnByValue": True, "awaitPromise": True},
        )
        if "exceptionDetails" in result:
            raise RuntimeError(f"{expression}: {result['exceptionDetails']}")
        return result["result"].get("value")


def _above_four(fd: int) -> int:
    moved = fcntl.fcntl(fd, fcntl.F_DUPFD, FIRST_FREE_FD)
    os.close(fd)
    return moved


@contextmanager
def chromium(executable: str) -> Iterator[DevTools]:
    """A headless chromium with a throwaway profile, stopped (by its pid) on exit."""
    commands_read, commands_write = os.pipe()
    answers_read, answers_write = os.pipe()
    # The child's ends move to fds 3 and 4: keep them clear of those numbers first.
    commands_read, answers_write = _above_four(commands_read), _above_four(answers_write)
    with tempfile.TemporaryDirectory(prefix="report-browser-") as profile:
        # bash only moves the pipes to the fds chromium expects, then becomes chromium
        # (dash, Debian's sh, cannot name an fd above 9).
        script = f'exec "$0" "$@" 3<&{commands_read} 4>&{answers_write}'
        process = subprocess.Popen(
            [BASH, "-c", script, executable, *FLAGS, f"--user-data-dir={profile}"],
            pass_fds=(commands_read, answers_write),
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        os.close(commands_read)
        os.close(answers_write)
        tools = DevTools(process, commands_write, answers_read)
        try:
            yield tools
        finally:
            try:
                tools.send("Browser.close", page=False)
                process.wait(timeout=TIMEOUT_S)
            except (RuntimeError, TimeoutError, OSError, subprocess.TimeoutExpired):
                process.kill()
                process.wait()


# The screenshot in docs/images/report.png: the top of the page and the rank history with a
# song hovered, side by side vertically, scaled to 880 px and reduced to 256 colours.
SHOT_WIDTH, SHOT_SCALED = 1100, 880
SHOT_PARTS = (("header.hero", 0, 700), ("#rank-history", 105, 680))
HOVER = """(function () {
  var c = window.rankHistory, b = c.svg.getBoundingClientRect();
  var s = c.svg.viewBox.baseVal.width / b.width, j = Math.floor(c.times.length * 0.3);
  c.svg.dispatchEvent(new MouseEvent("mousemove", {bubbles: true,
    clientX: b.left + c.scaleX(c.times[j]) / s,
    clientY: b.top + c.scaleY(c.data.songs[4].positions[j]) / s}));
})()"""


def screenshot(page: Path, out: Path) -> None:
    """Save the docs' screenshot of a report page (needs Pillow, which matplotlib brings)."""
    from PIL import Image

    parts = []
    with chromium(find_chromium() or CHROMIUM_NAMES[0]) as tools:
        # A viewport as tall as the page: capturing never resizes it (which hides the tooltip).
        tools.open(page.as_uri(), width=SHOT_WIDTH, height=6000)
        tools.evaluate(HOVER)
        for selector, above, height in SHOT_PARTS:
            top = tools.evaluate(
                f"document.querySelector('{selector}').getBoundingClientRect().top"
                f" + window.scrollY - {above}"
            )
            clip = {"x": 0, "y": top, "width": SHOT_WIDTH, "height": height, "scale": 1}
            shot = tools.send("Page.captureScreenshot", {"format": "png", "clip": clip})
            parts.append(Image.open(io.BytesIO(base64.b64decode(shot["data"]))).convert("RGB"))
    gap = 12
    image = Image.new("RGB", (SHOT_WIDTH, sum(p.height for p in parts) + gap), "#fafafa")
    image.paste(parts[0], (0, 0))
    image.paste(parts[1], (0, parts[0].height + gap))
    scaled = image.resize((SHOT_SCALED, image.height * SHOT_SCALED // SHOT_WIDTH), Image.LANCZOS)
    scaled.quantize(colors=256).save(out, optimize=True)


def main() -> int:
    """Save the docs' screenshot of a report page: browser.py REPORT.html OUT.png."""
    if find_chromium() is None:
        sys.stderr.write("chromium is not installed (Debian: apt-get install -y chromium)\n")
        return 2
    screenshot(Path(sys.argv[1]).resolve(), Path(sys.argv[2]))
    return 0


if __name__ == "__main__":
    sys.exit(main())
