"""The web app image's nginx set-up, run with the machine's nginx against a real bundle.

No container engine is needed: the test runs the image's entrypoint script and nginx config
(paths moved into a temp directory) and checks what a browser and the cluster would see.
"""

from __future__ import annotations

import gzip
import json
import os
import shutil
import subprocess
import threading
import time
import urllib.error
import urllib.request
from collections.abc import Callable, Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import cast

import pytest

from workout_common.redis_support import free_port, port_open

ROOT = Path(__file__).resolve().parents[2]
FRONTEND = ROOT / "frontend"
NGINX = shutil.which("nginx") or "/usr/sbin/nginx"


class EchoHandler(BaseHTTPRequestHandler):
    """An upstream that answers with what it received."""

    def do_GET(self) -> None:
        body = json.dumps(
            {
                "upstream": cast(ThreadingHTTPServer, self.server).server_port,
                "path": self.path,
                "trace": self.headers.get("X-Trace-Id"),
                "host": self.headers.get("Host"),
            }
        ).encode()
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, format: str, *args: object) -> None:
        return


@pytest.fixture(scope="module")
def bundle(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A production build of the web app, as the image's first stage makes it."""
    out = tmp_path_factory.mktemp("dist")
    subprocess.run(
        ["npx", "vite", "build", "--outDir", str(out), "--emptyOutDir"],
        cwd=FRONTEND,
        check=True,
        capture_output=True,
    )
    return out


@pytest.fixture
def upstreams() -> Iterator[tuple[int, int]]:
    servers = [ThreadingHTTPServer(("127.0.0.1", 0), EchoHandler) for _ in range(2)]
    for server in servers:
        threading.Thread(target=server.serve_forever, daemon=True).start()
    yield servers[0].server_address[1], servers[1].server_address[1]
    for server in servers:
        server.shutdown()
        server.server_close()


def write_nginx_conf(tmp_path: Path) -> Path:
    """The image's nginx.conf with its /tmp paths moved under tmp_path."""
    text = (FRONTEND / "nginx" / "nginx.conf").read_text().replace("/tmp/", f"{tmp_path}/")
    if os.geteuid() == 0:
        # In the image nginx runs as uid 101 already; here root must not hand workers to nobody.
        text = "user root;\n" + text
    conf = tmp_path / "nginx.conf"
    conf.write_text(text)
    return conf


def entrypoint(
    tmp_path: Path, bundle: Path, env: dict[str, str], *command: str
) -> subprocess.Popen[bytes]:
    return subprocess.Popen(
        [str(FRONTEND / "nginx" / "entrypoint.sh"), *command],
        env={
            "PATH": os.environ["PATH"],
            "FRONTEND_RUNTIME_DIR": str(tmp_path / "workout-frontend"),
            "FRONTEND_WEB_ROOT": str(bundle),
            **env,
        },
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
    )


@pytest.fixture
def serve(tmp_path: Path, bundle: Path) -> Iterator[Callable[..., str]]:
    processes: list[subprocess.Popen[bytes]] = []

    def start(**env: str) -> str:
        port = free_port()
        conf = write_nginx_conf(tmp_path)
        process = entrypoint(
            tmp_path,
            bundle,
            {"PORT": str(port), **env},
            NGINX,
            "-c",
            str(conf),
            "-e",
            "stderr",
            "-g",
            "daemon off;",
        )
        processes.append(process)
        deadline = time.monotonic() + 15
        while not port_open("127.0.0.1", port):
            if process.poll() is not None:
                output = process.stdout.read().decode() if process.stdout else ""
                pytest.fail(f"nginx exited with {process.returncode}: {output}")
            if time.monotonic() > deadline:
                pytest.fail("nginx did not start listening")
            time.sleep(0.05)
        return f"http://127.0.0.1:{port}"

    yield start
    for process in processes:
        process.terminate()
        process.wait(timeout=10)


def get(url: str, headers: dict[str, str] | None = None) -> tuple[int, dict[str, str], bytes]:
    request = urllib.request.Request(url, headers=headers or {})
    try:
        with urllib.request.urlopen(request, timeout=10) as response:
            return (
                response.status,
                {k.lower(): v for k, v in response.headers.items()},
                response.read(),
            )
    except urllib.error.HTTPError as error:
        return error.code, {k.lower(): v for k, v in error.headers.items()}, error.read()


def test_serves_health_runtime_config_and_spa_fallback(
    serve: Callable[..., str], bundle: Path
) -> None:
    base = serve(
        API_BASE_URL="https://api.example.test", AI_COACH_BASE_URL='https://coach.example.test/"x'
    )

    status, _, body = get(f"{base}/healthz")
    assert (status, body) == (200, b"ok\n")

    status, headers, body = get(f"{base}/env.js")
    assert status == 200
    assert headers["cache-control"] == "no-store"
    assert 'apiBaseUrl: "https://api.example.test"' in body.decode()
    assert 'aiCoachBaseUrl: "https://coach.example.test/\\"x"' in body.decode()

    index = (bundle / "index.html").read_bytes()
    for deep_link in ("/", "/exercises", "/coach", "/sign-in"):
        status, headers, body = get(f"{base}{deep_link}")
        assert (status, body) == (200, index), deep_link
        assert headers["cache-control"] == "no-cache"
        # Tokens live in localStorage: only the app's own scripts run, the page is never framed,
        # and it talks only to itself and the two configured backends.
        csp = headers["content-security-policy"]
        assert "script-src 'self';" in csp
        assert "frame-ancestors 'none'" in csp
        assert "connect-src 'self' https://api.example.test https://coach.example.test;" in csp
        assert headers["x-content-type-options"] == "nosniff"
        assert headers["x-frame-options"] == "DENY"
        assert headers["referrer-policy"] == "no-referrer"


def test_hashed_assets_are_cached_for_good_and_gzipped(
    serve: Callable[..., str], bundle: Path
) -> None:
    base = serve()
    script = next((bundle / "assets").glob("index-*.js"))

    status, headers, body = get(f"{base}/assets/{script.name}", {"Accept-Encoding": "gzip"})

    assert status == 200
    assert headers["cache-control"] == "public, max-age=31536000, immutable"
    assert headers["content-encoding"] == "gzip"
    assert gzip.decompress(body) == script.read_bytes()
    assert get(f"{base}/assets/missing-0000.js")[0] == 404


def test_service_worker_and_manifest_are_revalidated_and_allowed(
    serve: Callable[..., str], bundle: Path
) -> None:
    base = serve()

    status, headers, body = get(f"{base}/sw.js")
    assert status == 200
    assert body == (bundle / "sw.js").read_bytes()
    assert headers["content-type"] == "application/javascript"
    # Checked on every visit, so a new deploy reaches an installed app at once.
    assert headers["cache-control"] == "no-cache"
    csp = headers["content-security-policy"]
    assert "worker-src 'self'" in csp
    assert "manifest-src 'self'" in csp

    status, headers, body = get(f"{base}/manifest.webmanifest")
    assert status == 200
    assert headers["content-type"] == "application/manifest+json"
    assert headers["cache-control"] == "no-cache"
    manifest = json.loads(body)
    assert manifest["display"] == "standalone"
    for icon in manifest["icons"]:
        status, headers, body = get(f"{base}{icon['src']}")
        assert (status, headers["content-type"]) == (200, "image/png"), icon["src"]
        assert body.startswith(b"\x89PNG"), icon["src"]
    assert {icon["purpose"] for icon in manifest["icons"]} == {"any", "maskable"}


def test_proxies_api_and_coach_to_their_upstreams(
    serve: Callable[..., str], upstreams: tuple[int, int]
) -> None:
    api, coach = upstreams
    base = serve(
        API_UPSTREAM=f"http://127.0.0.1:{api}", AI_COACH_UPSTREAM=f"http://127.0.0.1:{coach}/"
    )

    status, _, body = get(f"{base}/api/exercises?page=2&sort_by=name", {"X-Trace-Id": "ui-react"})
    assert status == 200
    assert json.loads(body) == {
        "upstream": api,
        "path": "/exercises?page=2&sort_by=name",
        "trace": "ui-react",
        "host": f"127.0.0.1:{api}",
    }
    status, _, body = get(f"{base}/ai-coach/health")
    assert status == 200
    assert json.loads(body)["upstream"] == coach
    assert json.loads(body)["path"] == "/health"


def test_unconfigured_upstream_answers_json_not_the_app(serve: Callable[..., str]) -> None:
    base = serve()

    status, headers, body = get(f"{base}/api/exercises")

    assert status == 502
    assert headers["content-type"] == "application/json"
    assert json.loads(body) == {"detail": "API_UPSTREAM is not configured in the web app container"}


def test_refuses_an_upstream_that_is_not_a_url(tmp_path: Path, bundle: Path) -> None:
    process = entrypoint(tmp_path, bundle, {"API_UPSTREAM": "release-api:8000"}, "true")

    output = process.communicate(timeout=10)[0].decode()

    assert process.returncode == 64
    assert "API_UPSTREAM must start with http:// or https://" in output
