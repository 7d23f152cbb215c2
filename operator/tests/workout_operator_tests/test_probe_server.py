from __future__ import annotations

from aiohttp import web
from aiohttp.test_utils import TestClient, TestServer

from workout_operator import metrics


async def test_healthz_and_metrics() -> None:
    metrics.RECONCILES.labels(outcome="success").inc()
    metrics.RECONCILE_ERRORS.labels(reason="InvalidSpec").inc()
    metrics.RECONCILE_DURATION.observe(0.2)
    metrics.LIVENESS.reconciled()
    async with TestClient(TestServer(metrics.probe_app())) as client:
        health = await client.get("/healthz")
        assert health.status == 200
        body = await health.json()
        assert body["status"] == "ok"
        assert body["lastReconcile"] is not None
        scrape = await client.get("/metrics")
        text = await scrape.text()
    assert 'workout_operator_reconciles_total{outcome="success"}' in text
    assert 'workout_operator_reconcile_errors_total{reason="InvalidSpec"}' in text
    assert "workout_operator_reconcile_duration_seconds_bucket" in text


async def test_an_unexpected_error_is_a_json_500_with_the_request_id() -> None:
    app = metrics.probe_app()

    async def broken(_: web.Request) -> web.Response:
        raise RuntimeError("a bug")

    app.router.add_get("/broken", broken)
    async with TestClient(TestServer(app)) as client:
        answer = await client.get("/broken", headers={"X-Trace-Id": "trace-500"})
        assert answer.status == 500
        assert await answer.json() == {"detail": "Internal server error"}
        assert answer.headers["X-Request-Id"] == "trace-500"
        probe = await client.get("/healthz")
        assert probe.headers["X-Request-Id"]  # a new id when the caller sent none
        missing = await client.get("/nowhere", headers={"X-Trace-Id": "trace-404"})
        assert missing.status == 404
        assert missing.headers["X-Request-Id"] == "trace-404"
