"""A service of the platform as a real process on a free loopback port, for cross-service tests."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

import httpx

BIN = Path(sys.executable).parent
STARTUP_SECONDS = 90.0


@dataclass
class ServiceProcess:
    name: str
    command: list[str]
    env: dict[str, str]
    port: int
    log_path: Path
    process: subprocess.Popen[bytes] | None = field(default=None, repr=False)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def start(self) -> None:
        # Only what the service needs: no provider key or OTEL_* setting of the caller leaks in.
        base = {
            key: value
            for key, value in os.environ.items()
            if key in {"PATH", "HOME", "LANG", "TMPDIR", "VIRTUAL_ENV"}
        }
        log = self.log_path.open("wb")
        self.process = subprocess.Popen(  # noqa: S603 - the platform's own entry points
            self.command,
            env={**base, **self.env},
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )

    def log_tail(self, lines: int = 40) -> str:
        text = self.log_path.read_text(errors="replace") if self.log_path.exists() else ""
        return f"--- last lines of {self.name} ---\n" + "\n".join(text.splitlines()[-lines:])

    def wait_healthy(self) -> None:
        deadline = time.monotonic() + STARTUP_SECONDS
        while time.monotonic() < deadline:
            assert self.process is not None
            if self.process.poll() is not None:
                raise RuntimeError(f"{self.name} exited early\n{self.log_tail()}")
            try:
                if httpx.get(f"{self.url}/health", timeout=2).status_code in {200, 503}:
                    return
            except httpx.HTTPError:
                pass
            time.sleep(0.2)
        raise RuntimeError(f"{self.name} did not answer /health\n{self.log_tail()}")

    def stop(self) -> None:
        if self.process is None or self.process.poll() is not None:
            return
        os.killpg(self.process.pid, signal.SIGTERM)
        try:
            self.process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            os.killpg(self.process.pid, signal.SIGKILL)
            self.process.wait(timeout=5)


def run_python_script(
    script: Path, env: dict[str, str], *args: str, timeout: float
) -> subprocess.CompletedProcess[str]:
    """Run ``script`` with this Python to its end, no input, its output captured as text."""
    return subprocess.run(  # noqa: S603 - the checkout's own scripts
        [sys.executable, str(script), *args],
        env=env,
        capture_output=True,
        text=True,
        timeout=timeout,
        stdin=subprocess.DEVNULL,
        check=False,
    )
