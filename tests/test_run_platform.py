"""`make run`'s launcher brings up API, coach and worker on embedded defaults and stops them."""

from __future__ import annotations

import queue
import signal
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from workout_common.redis_support import free_port, start_embedded_redis

ROOT = Path(__file__).resolve().parent.parent
STARTUP_TIMEOUT = 180.0


class Launcher:
    def __init__(self, process: subprocess.Popen[str]) -> None:
        self.process = process
        self.lines: queue.Queue[str] = queue.Queue()
        self.output: list[str] = []
        threading.Thread(target=self._read, daemon=True).start()

    def _read(self) -> None:
        assert self.process.stdout is not None
        for line in self.process.stdout:
            self.lines.put(line.rstrip("\n"))

    def wait_for(self, marker: str, timeout: float) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            try:
                line = self.lines.get(timeout=0.5)
            except queue.Empty:
                if self.process.poll() is not None:
                    break
                continue
            self.output.append(line)
            if line.strip() == marker:
                return
        raise AssertionError(f"launcher never printed {marker!r}:\n" + "\n".join(self.output[-60:]))


@pytest.fixture
def platform(tmp_path: Path) -> Iterator[tuple[Launcher, dict[str, int], Path]]:
    redis_url = start_embedded_redis(tmp_path / "redis")
    ports = {name: free_port() for name in ("api", "coach", "worker")}
    data_dir = tmp_path / "data"
    process = subprocess.Popen(
        [
            sys.executable,
            str(ROOT / "scripts" / "run_platform.py"),
            "--data-dir",
            str(data_dir),
            "--api-port",
            str(ports["api"]),
            "--coach-port",
            str(ports["coach"]),
            "--worker-port",
            str(ports["worker"]),
            "--no-frontend",
        ],
        cwd=ROOT,
        env={
            "PATH": "/usr/bin:/bin",
            "HOME": str(tmp_path),
            "REDIS_URL": redis_url,
            "BCRYPT_ROUNDS": "4",
        },
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    launcher = Launcher(process)
    try:
        yield launcher, ports, data_dir
    finally:
        if process.poll() is None:
            process.send_signal(signal.SIGTERM)
            try:
                process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                process.kill()


def test_launcher_serves_every_service_with_dev_users_and_stops_cleanly(
    platform: tuple[Launcher, dict[str, int], Path],
) -> None:
    launcher, ports, data_dir = platform
    launcher.wait_for("READY", STARTUP_TIMEOUT)
    printed = "\n".join(launcher.output)
    for port in ports.values():
        assert f"localhost:{port}" in printed

    api = f"http://127.0.0.1:{ports['api']}"
    health = httpx.get(f"{api}/health", timeout=10).json()
    assert health["status"] == "healthy"
    assert health["database"]["status"] == "connected"
    login = httpx.post(
        f"{api}/auth/login", json={"username": "admin", "password": "admin123"}, timeout=10
    )
    assert login.status_code == 200
    token = login.json()["access_token"]
    created = httpx.post(
        f"{api}/exercises",
        json={"name": "Back Squat", "sets": 5, "reps": 5, "weight": 100.0},
        headers={"Authorization": f"Bearer {token}"},
        timeout=10,
    )
    assert created.status_code == 201

    coach = httpx.get(f"http://127.0.0.1:{ports['coach']}/health", timeout=10).json()
    assert coach["workout_api_connected"] is True
    assert coach["redis_connected"] is True
    analysis = httpx.get(f"http://127.0.0.1:{ports['coach']}/analyze", timeout=60)
    assert analysis.status_code == 200
    assert "legs" in analysis.text.lower()

    worker = httpx.get(f"http://127.0.0.1:{ports['worker']}/health", timeout=10)
    assert worker.status_code == 200
    assert worker.json()["status"] == "healthy"

    assert (data_dir / "workout_tracker.db").exists()
    launcher.process.send_signal(signal.SIGTERM)
    assert launcher.process.wait(timeout=30) == 0


def test_launcher_stops_everything_and_fails_when_a_service_cannot_start(tmp_path: Path) -> None:
    redis_url = start_embedded_redis(tmp_path / "redis")
    with socket.socket() as taken:  # the API's port is already in use
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        api_port = taken.getsockname()[1]
        process = subprocess.run(
            [
                sys.executable,
                str(ROOT / "scripts" / "run_platform.py"),
                "--data-dir",
                str(tmp_path / "data"),
                "--api-port",
                str(api_port),
                "--coach-port",
                str(free_port()),
                "--worker-port",
                str(free_port()),
                "--no-frontend",
            ],
            cwd=ROOT,
            env={"PATH": "/usr/bin:/bin", "HOME": str(tmp_path), "REDIS_URL": redis_url},
            capture_output=True,
            text=True,
            timeout=STARTUP_TIMEOUT,
        )
    assert process.returncode == 1
    assert "READY" not in process.stdout
    assert "api exited" in process.stderr
