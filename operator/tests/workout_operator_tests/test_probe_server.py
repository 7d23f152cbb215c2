from __future__ import annotations

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
