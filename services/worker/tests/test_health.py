"""The health server: contract body, status rules, 503 only when Redis is gone, metrics."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import httpx
from arq.connections import create_pool

from workout_worker.health import create_app
from workout_worker.queue import arq_redis_settings


def health_of(asgi_server: Any, settings: Any) -> httpx.Response:
    with asgi_server(create_app(settings)) as url:
        return httpx.get(f"{url}/health", headers={"X-Trace-Id": "probe-1"}, timeout=30)


def test_healthy_when_redis_api_and_coach_answer(
    live_api: Any, live_coach: str, make_settings: Any, asgi_server: Any
) -> None:
    settings = make_settings(
        api_client={"workout_api_url": live_api.url, "ai_coach_url": live_coach}
    )

    response = health_of(asgi_server, settings)

    assert response.status_code == 200
    assert response.json() == {
        "status": "healthy",
        "redis_connected": True,
        "queue_depth": 0,
        "api_connected": True,
        "ai_coach_connected": True,
        "details": {"queue_depth": "0", "api_status": "200", "ai_coach_status": "200"},
    }
    assert response.headers["x-request-id"] == "probe-1"
    assert response.headers["x-response-time"].endswith("ms")


def test_degraded_but_200_when_the_api_is_down(
    live_coach: str, make_settings: Any, asgi_server: Any, unused_url: Any
) -> None:
    settings = make_settings(
        api_client={"workout_api_url": unused_url(), "ai_coach_url": live_coach}
    )

    response = health_of(asgi_server, settings)

    assert response.status_code == 200
    body = response.json()
    assert body["status"] == "degraded"
    assert body["api_connected"] is False
    assert body["ai_coach_connected"] is True
    assert body["details"]["api_status"] == "unreachable"


def test_degraded_when_the_coach_is_down(
    live_api: Any, make_settings: Any, asgi_server: Any, unused_url: Any
) -> None:
    settings = make_settings(
        api_client={"workout_api_url": live_api.url, "ai_coach_url": unused_url()}
    )

    response = health_of(asgi_server, settings)

    assert response.status_code == 200
    assert response.json()["status"] == "degraded"
    assert response.json()["ai_coach_connected"] is False
    assert response.json()["api_connected"] is True


def test_an_api_answering_503_counts_as_not_connected(
    live_api: Any, live_coach: str, make_settings: Any, asgi_server: Any, proxy: Any
) -> None:
    with proxy(live_api.url) as (url, recorder):
        recorder.fail_path_prefix = "/health"
        recorder.fail_next = 10
        settings = make_settings(api_client={"workout_api_url": url, "ai_coach_url": live_coach})
        response = health_of(asgi_server, settings)

    assert response.json()["status"] == "degraded"
    assert response.json()["details"]["api_status"] == "503"
    assert recorder.seen[0].headers["user-agent"] == "workout-tracker-worker"


def test_unhealthy_and_503_when_redis_is_down(
    live_api: Any, live_coach: str, make_settings: Any, asgi_server: Any, down_redis_url: str
) -> None:
    settings = make_settings(
        redis={"url": down_redis_url},
        api_client={"workout_api_url": live_api.url, "ai_coach_url": live_coach},
    )

    response = health_of(asgi_server, settings)

    assert response.status_code == 503
    body = response.json()
    assert body["status"] == "unhealthy"
    assert body["redis_connected"] is False
    assert body["details"]["queue_depth"] == "unreachable"


async def test_queue_depth_counts_waiting_jobs(make_settings: Any, asgi_server: Any) -> None:
    settings = make_settings()
    pool = await create_pool(arq_redis_settings(settings))
    try:
        for _ in range(3):
            await pool.enqueue_job("cleanup_stale_data", _defer_by=timedelta(hours=1))
    finally:
        await pool.aclose()

    with asgi_server(create_app(settings)) as url:
        async with httpx.AsyncClient(base_url=url, timeout=30) as http:
            health = (await http.get("/health")).json()
            metrics = (await http.get("/metrics")).text

    assert health["queue_depth"] == 3
    assert health["details"]["queue_depth"] == "3"
    assert "workout_worker_queue_depth 3.0" in metrics
    assert 'workout_dependency_up{dependency="redis",service="worker"} 1.0' in metrics
    assert 'workout_http_requests_total{method="GET",route="/health",service="worker"' in metrics


def test_an_unexpected_error_is_a_json_500_with_the_request_id(
    make_settings: Any, asgi_server: Any, unused_url: Any
) -> None:
    app = create_app(
        make_settings(api_client={"workout_api_url": unused_url(), "ai_coach_url": unused_url()})
    )

    async def broken() -> None:
        raise RuntimeError("a bug")

    app.add_api_route("/broken", broken)
    with asgi_server(app) as url:
        response = httpx.get(f"{url}/broken", headers={"X-Trace-Id": "trace-500"}, timeout=30)

    assert response.status_code == 500
    assert response.json() == {"detail": "Internal server error"}
    assert response.headers["x-request-id"] == "trace-500"
