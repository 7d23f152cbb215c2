"""Start the whole Workout Tracker platform locally on embedded defaults.

API (SQLite in the data directory), AI coach (built-in offline coach unless a provider key is
set), worker, and the web app's development server; Redis is the local server on :6379 when
one answers, else an embedded one. Prints the URLs, then ``READY`` once every service
answers; Ctrl-C (or SIGTERM) stops everything.
"""

from __future__ import annotations

import argparse
import os
import shutil
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

import httpx

from workout_common.redis_support import resolve_redis_url
from workout_common.urls import redis_url_with_db

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent
STARTUP_TIMEOUT_SECONDS = 120.0


@dataclass
class Service:
    name: str
    command: list[str]
    env: dict[str, str]
    health_url: str
    public_url: str
    cwd: Path = ROOT
    process: subprocess.Popen[bytes] | None = field(default=None, repr=False)


def parse_args(argv: Sequence[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data-dir", type=Path, default=ROOT / "data")
    parser.add_argument("--api-port", type=int, default=8000)
    parser.add_argument("--coach-port", type=int, default=8001)
    parser.add_argument("--worker-port", type=int, default=8002)
    parser.add_argument("--web-port", type=int, default=3000)
    parser.add_argument("--no-frontend", action="store_true", help="do not start the web app")
    parser.add_argument(
        "--dev-frontend",
        action="store_true",
        help="serve the web app from Vite's development server (hot reload) instead of a build",
    )
    return parser.parse_args(argv)


def _pipe_output(name: str, stream: object) -> None:
    assert hasattr(stream, "readline")
    prefix = f"[{name:>8}] "
    for raw in iter(stream.readline, b""):
        sys.stdout.write(prefix + raw.decode(errors="replace"))
        sys.stdout.flush()


def start(service: Service) -> None:
    env = {**os.environ, **service.env}
    service.process = subprocess.Popen(  # noqa: S603 - our own entry points
        service.command,
        cwd=service.cwd,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    threading.Thread(
        target=_pipe_output, args=(service.name, service.process.stdout), daemon=True
    ).start()


def wait_until_answering(service: Service, deadline: float) -> None:
    """Poll the service's health URL until it answers (any HTTP status below 500 or 503)."""
    started = time.monotonic()
    last_note = started
    while time.monotonic() < deadline:
        assert service.process is not None
        if service.process.poll() is not None:
            raise RuntimeError(
                f"{service.name} exited with code {service.process.returncode} while starting; "
                "see its log lines above"
            )
        try:
            response = httpx.get(service.health_url, timeout=2.0)
            if response.status_code < 500 or response.status_code == 503:
                print(f"  {service.name} is up ({time.monotonic() - started:.1f}s)", flush=True)
                return
        except httpx.HTTPError:
            pass
        if time.monotonic() - last_note > 10:
            print(f"  still waiting for {service.name} at {service.health_url} ...", flush=True)
            last_note = time.monotonic()
        time.sleep(0.3)
    raise RuntimeError(f"{service.name} did not answer {service.health_url} in time")


def stop_all(services: Sequence[Service]) -> None:
    for service in reversed(services):
        if service.process and service.process.poll() is None:
            os.killpg(service.process.pid, signal.SIGTERM)
    for service in reversed(services):
        if service.process is None:
            continue
        try:
            service.process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            os.killpg(service.process.pid, signal.SIGKILL)


def plan(args: argparse.Namespace, redis_url: str) -> list[Service]:
    data_dir: Path = args.data_dir.resolve()
    api_url = f"http://127.0.0.1:{args.api_port}"
    coach_url = f"http://127.0.0.1:{args.coach_port}"
    redis_parts = urlsplit(redis_url)
    services = [
        Service(
            name="api",
            command=[str(BIN / "workout-api"), "--host", "127.0.0.1", "--port", str(args.api_port)],
            env={
                "DATABASE_URL": os.environ.get(
                    "DATABASE_URL", f"sqlite:///{data_dir / 'workout_tracker.db'}"
                ),
                "REDIS_URL": redis_url_with_db(redis_url, 2),
                "ENVIRONMENT": os.environ.get("ENVIRONMENT", "development"),
            },
            health_url=f"{api_url}/health",
            public_url=f"http://localhost:{args.api_port}  (docs: /docs)",
        ),
        Service(
            name="coach",
            command=[
                str(BIN / "workout-coach"),
                "--host",
                "127.0.0.1",
                "--port",
                str(args.coach_port),
            ],
            env={"WORKOUT_API_URL": api_url, "REDIS_URL": redis_url_with_db(redis_url, 0)},
            health_url=f"{coach_url}/health",
            public_url=f"http://localhost:{args.coach_port}",
        ),
        Service(
            name="worker",
            command=[str(BIN / "workout-worker")],
            env={
                "WORKER_REDIS__HOST": redis_parts.hostname or "127.0.0.1",
                "WORKER_REDIS__PORT": str(redis_parts.port or 6379),
                "WORKER_API_CLIENT__WORKOUT_API_URL": api_url,
                "WORKER_API_CLIENT__AI_COACH_URL": coach_url,
                "WORKER_WORKER__HEALTH_PORT": str(args.worker_port),
            },
            health_url=f"http://127.0.0.1:{args.worker_port}/health",
            public_url=f"http://localhost:{args.worker_port}/health",
        ),
    ]
    frontend = ROOT / "frontend"
    if not args.no_frontend and (frontend / "package.json").exists():
        npx = shutil.which("npx") or "npx"
        port = ["--port", str(args.web_port), "--strictPort"]
        # What a lifter's phone gets in production (a few requests, tens of KB), not the
        # development server's hundreds of modules; `make dev` keeps hot reload.
        command = (
            [npx, "vite", *port]
            if args.dev_frontend
            else [npx, "vite", "preview", "--outDir", str(web_bundle(args)), *port]
        )
        services.append(
            Service(
                name="web",
                command=command,
                env={
                    "VITE_API_PROXY_TARGET": api_url,
                    "VITE_AI_COACH_PROXY_TARGET": coach_url,
                    "BROWSER": "none",
                },
                health_url=f"http://127.0.0.1:{args.web_port}/",
                public_url=f"http://localhost:{args.web_port}",
                cwd=frontend,
            )
        )
    return services


def web_bundle(args: argparse.Namespace) -> Path:
    data_dir: Path = args.data_dir
    return data_dir / "web"


def build_web_app(args: argparse.Namespace) -> None:
    """The production bundle of the web app, built into the data directory."""
    npx = shutil.which("npx") or "npx"
    print("building the web app ...", flush=True)
    subprocess.run(  # noqa: S603 - our own build
        [npx, "vite", "build", "--outDir", str(web_bundle(args)), "--emptyOutDir"],
        cwd=ROOT / "frontend",
        check=True,
        stdout=subprocess.DEVNULL,
    )


def main(argv: Sequence[str] | None = None) -> int:
    args = parse_args(argv)
    args.data_dir.mkdir(parents=True, exist_ok=True)
    if not args.no_frontend and not args.dev_frontend:
        build_web_app(args)
    redis_url = resolve_redis_url(os.environ.get("REDIS_URL"), data_dir=args.data_dir / "redis")
    print(f"Workout Tracker: starting (data in {args.data_dir}, Redis at {redis_url})", flush=True)
    services = plan(args, redis_url)
    stopping = threading.Event()

    def request_stop(signum: int, _frame: object) -> None:
        stopping.set()

    signal.signal(signal.SIGTERM, request_stop)
    signal.signal(signal.SIGINT, request_stop)
    try:
        deadline = time.monotonic() + STARTUP_TIMEOUT_SECONDS
        # The API first: it migrates and seeds before anything calls it; the rest in parallel.
        for batch in (services[:1], services[1:]):
            for service in batch:
                print(f"starting {service.name}: {' '.join(service.command)}", flush=True)
                start(service)
            for service in batch:
                wait_until_answering(service, deadline)
            if stopping.is_set():
                return 0
        print("\nWorkout Tracker is running:", flush=True)
        for service in services:
            print(f"  {service.name:<7} {service.public_url}", flush=True)
        print("Sign in as admin/admin123 or user/user123. Ctrl-C stops everything.", flush=True)
        print("READY", flush=True)
        while not stopping.wait(0.5):
            for service in services:
                assert service.process is not None
                if service.process.poll() is not None:
                    print(
                        f"{service.name} stopped unexpectedly (exit {service.process.returncode}); "
                        "shutting down",
                        flush=True,
                    )
                    return 1
        return 0
    except RuntimeError as exc:
        print(f"error: {exc}", file=sys.stderr, flush=True)
        return 1
    finally:
        print("stopping ...", flush=True)
        stop_all(services)


if __name__ == "__main__":
    sys.exit(main())
