"""The operator's Prometheus metrics and the small HTTP server for ``/healthz`` and ``/metrics``."""

from __future__ import annotations

import time
from collections.abc import Awaitable, Callable
from datetime import UTC, datetime

from aiohttp import web
from prometheus_client import CONTENT_TYPE_LATEST, Counter, Gauge, Histogram, generate_latest

from workout_operator.error_boundary import error_boundary

RECONCILES = Counter(
    "workout_operator_reconciles_total",
    "Reconciles of WorkoutTracker resources, by outcome (success, requeue, error).",
    ["outcome"],
)
RECONCILE_DURATION = Histogram(
    "workout_operator_reconcile_duration_seconds",
    "Time one reconcile took: render, apply, prune and status.",
    buckets=(0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0, 30.0, 60.0, 120.0),
)
RECONCILE_ERRORS = Counter(
    "workout_operator_reconcile_errors_total",
    "Reconciles that could not complete, by reason (InvalidSpec, RenderFailed, ApplyFailed, MigrationFailed, ...).",
    ["reason"],
)


ACTIVE = Gauge(
    "workout_operator_active",
    "1 when this replica reconciles, 0 when it stands by or is frozen by a same-priority peer.",
)


async def _alone() -> str:
    return "active"


class Liveness:
    """What ``/healthz`` reports: the loop answers, its role among peers, the last reconcile."""

    def __init__(self) -> None:
        self.started = time.monotonic()
        self.last_reconcile: datetime | None = None
        self.role_of: Callable[[], Awaitable[str]] = _alone

    def reconciled(self) -> None:
        self.last_reconcile = datetime.now(tz=UTC)


LIVENESS = Liveness()


async def _state() -> dict[str, object]:
    last = LIVENESS.last_reconcile
    try:
        role = await LIVENESS.role_of()
    except Exception as exc:  # the API server cannot be asked: say so rather than guess
        role = f"unknown ({type(exc).__name__})"
    return {
        "status": "ok" if role == "active" else role,
        "role": role,
        "uptimeSeconds": round(time.monotonic() - LIVENESS.started, 1),
        "lastReconcile": last.strftime("%Y-%m-%dT%H:%M:%SZ") if last else None,
    }


async def _healthz(_: web.Request) -> web.Response:
    """Liveness: the process answers (a standby replica is alive and must not be restarted)."""
    return web.json_response(await _state())


async def _readyz(_: web.Request) -> web.Response:
    """Readiness: active or standing by; frozen (a peer with the same priority) is not ready."""
    state = await _state()
    ready = state["role"] in {"active", "standby"}
    return web.json_response(state, status=200 if ready else 503)


async def _metrics(_: web.Request) -> web.Response:
    response = web.Response(body=generate_latest())
    response.headers["Content-Type"] = CONTENT_TYPE_LATEST
    return response


def probe_app() -> web.Application:
    app = web.Application(middlewares=[error_boundary])
    app.router.add_get("/healthz", _healthz)
    app.router.add_get("/readyz", _readyz)
    app.router.add_get("/metrics", _metrics)
    return app


async def start_probe_server(host: str, port: int) -> web.AppRunner:
    runner = web.AppRunner(probe_app(), access_log=None)
    await runner.setup()
    await web.TCPSite(runner, host, port).start()
    return runner
