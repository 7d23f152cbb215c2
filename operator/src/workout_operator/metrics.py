"""The operator's Prometheus metrics and the small HTTP server for ``/healthz`` and ``/metrics``."""

from __future__ import annotations

import time
from datetime import UTC, datetime

from aiohttp import web
from prometheus_client import CONTENT_TYPE_LATEST, Counter, Histogram, generate_latest

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


class Liveness:
    """What ``/healthz`` reports: the loop answers, and when the last reconcile finished."""

    def __init__(self) -> None:
        self.started = time.monotonic()
        self.last_reconcile: datetime | None = None

    def reconciled(self) -> None:
        self.last_reconcile = datetime.now(tz=UTC)


LIVENESS = Liveness()


async def _healthz(_: web.Request) -> web.Response:
    last = LIVENESS.last_reconcile
    return web.json_response(
        {
            "status": "ok",
            "uptimeSeconds": round(time.monotonic() - LIVENESS.started, 1),
            "lastReconcile": last.strftime("%Y-%m-%dT%H:%M:%SZ") if last else None,
        }
    )


async def _metrics(_: web.Request) -> web.Response:
    response = web.Response(body=generate_latest())
    response.headers["Content-Type"] = CONTENT_TYPE_LATEST
    return response


def probe_app() -> web.Application:
    app = web.Application()
    app.router.add_get("/healthz", _healthz)
    app.router.add_get("/metrics", _metrics)
    return app


async def start_probe_server(host: str, port: int) -> web.AppRunner:
    runner = web.AppRunner(probe_app(), access_log=None)
    await runner.setup()
    await web.TCPSite(runner, host, port).start()
    return runner
