"""The ``workout-operator`` command as a process: it serves /healthz and /metrics and reconciles."""

from __future__ import annotations

import asyncio
import os
import signal
import sys
from collections.abc import Awaitable, Callable
from pathlib import Path

import httpx
import kmock

from tests.operator import kube_state as k
from tests.operator.conftest import NAMESPACE, eventually, resource
from workout_common.redis_support import free_port


async def test_the_command_serves_its_probes_and_reconciles(
    cluster: kmock.KubernetesEmulator, tmp_path: Path
) -> None:
    port = free_port()
    env = {**os.environ, "WORKOUT_OPERATOR_PORT": str(port)}
    log = (tmp_path / "operator.log").open("wb")
    process = await asyncio.create_subprocess_exec(
        sys.executable,
        "-c",
        "from workout_operator.cli import main; main()",
        env=env,
        stdout=log,
        stderr=log,
    )
    try:
        async with httpx.AsyncClient(base_url=f"http://127.0.0.1:{port}") as client:

            async def get(path: str) -> httpx.Response | None:
                try:
                    return await client.get(path)
                except httpx.TransportError:
                    return None

            health = await eventually_async(lambda: get("/healthz"))
            assert health.status_code == 200
            assert health.json()["status"] == "ok"

            response = await cluster.post(
                f"/apis/workout-tracker.dev/v1alpha1/namespaces/{NAMESPACE}/workouttrackers",
                json=resource({"version": "1.0.0"}),
            )
            assert response.status == 200
            await eventually(
                lambda: k.of_kind(cluster, "Job"), message="the operator process at work"
            )
            await eventually(lambda: k.status(cluster).get("phase") == "Migrating")

            scrape = await client.get("/metrics")
            assert "workout_operator_reconciles_total" in scrape.text
            assert 'workout_operator_reconciles_total{outcome="requeue"}' in scrape.text
    finally:
        process.send_signal(signal.SIGTERM)
        try:
            await asyncio.wait_for(process.wait(), timeout=15)
        except TimeoutError:
            process.kill()
            await process.wait()
        log.close()


async def eventually_async(
    fetch: Callable[[], Awaitable[httpx.Response | None]], within: float = 30.0
) -> httpx.Response:
    deadline = asyncio.get_running_loop().time() + within
    while asyncio.get_running_loop().time() < deadline:
        answer = await fetch()
        if answer is not None:
            return answer
        await asyncio.sleep(0.2)
    raise AssertionError("the probe server never answered")
