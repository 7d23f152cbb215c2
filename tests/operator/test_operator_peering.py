"""Two ``workout-operator`` processes against one emulated cluster: one works, one stands by,
and the standby takes over when the first stops."""

from __future__ import annotations

import asyncio
import os
import signal
import sys
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any

import httpx
import kmock
from prometheus_client.parser import text_string_to_metric_families

from tests.operator import kube_state as k
from tests.operator.conftest import NAMESPACE, resource
from workout_common.redis_support import free_port

PEERING = "workout-operator"
TIMEOUT = 90.0


@asynccontextmanager
async def operator_process(
    tmp_path: Path, name: str, priority: int
) -> AsyncIterator[tuple[asyncio.subprocess.Process, httpx.AsyncClient]]:
    port = free_port()
    env = {
        **os.environ,
        "WORKOUT_OPERATOR_PORT": str(port),
        "WORKOUT_OPERATOR_PEERING": PEERING,
        "WORKOUT_OPERATOR_PRIORITY": str(priority),
        "POD_ID": name,
    }
    log = (tmp_path / f"{name}.log").open("wb")
    process = await asyncio.create_subprocess_exec(
        sys.executable,
        "-c",
        "from workout_operator.cli import main; main()",
        env=env,
        stdout=log,
        stderr=log,
    )
    try:
        async with httpx.AsyncClient(base_url=f"http://127.0.0.1:{port}", timeout=10) as client:
            yield process, client
    finally:
        if process.returncode is None:
            process.send_signal(signal.SIGTERM)
            try:
                await asyncio.wait_for(process.wait(), timeout=30)
            except TimeoutError:
                process.kill()
                await process.wait()
        log.close()


async def state(client: httpx.AsyncClient) -> dict[str, Any]:
    try:
        response = await client.get("/healthz")
    except httpx.TransportError:
        return {}
    return dict(response.json())


async def reconciles(client: httpx.AsyncClient) -> float:
    text = (await client.get("/metrics")).text
    for family in text_string_to_metric_families(text):
        if family.name == "workout_operator_reconciles":
            return sum(s.value for s in family.samples if s.name.endswith("_total"))
    return 0.0


async def until(check: Any, message: str) -> Any:
    deadline = asyncio.get_running_loop().time() + TIMEOUT
    while asyncio.get_running_loop().time() < deadline:
        value = await check()
        if value:
            return value
        await asyncio.sleep(0.25)
    raise AssertionError(f"timed out: {message}")


async def test_one_replica_reconciles_and_the_other_takes_over(
    cluster: kmock.KubernetesEmulator, tmp_path: Path
) -> None:
    cluster.resources["kopf.dev/v1/clusterkopfpeerings"] = kmock.ResourceInfo(
        kind="ClusterKopfPeering",
        namespaced=False,
        verbs={"get", "list", "watch", "patch", "create"},
    )
    response = await cluster.post(
        "/apis/kopf.dev/v1/clusterkopfpeerings",
        json={
            "apiVersion": "kopf.dev/v1",
            "kind": "ClusterKopfPeering",
            "metadata": {"name": PEERING},
        },
    )
    assert response.status == 200, await response.text()

    async with (
        operator_process(tmp_path, "operator-a", 200) as (first, a),
        operator_process(tmp_path, "operator-b", 100) as (_second, b),
    ):

        async def roles() -> bool:
            return (await state(a)).get("role") == "active" and (await state(b)).get(
                "role"
            ) == "standby"

        await until(roles, "a active, b standing by")
        assert (await b.get("/readyz")).status_code == 200, "a standby replica is ready"

        response = await cluster.post(
            f"/apis/workout-tracker.dev/v1alpha1/namespaces/{NAMESPACE}/workouttrackers",
            json=resource({"version": "1.0.0"}),
        )
        assert response.status == 200

        async def migrating() -> bool:
            return k.status(cluster).get("phase") == "Migrating"

        await until(migrating, "the resource reconciled")
        assert await reconciles(a) > 0
        assert await reconciles(b) == 0, "the standby replica changes nothing"

        first.send_signal(signal.SIGTERM)
        await asyncio.wait_for(first.wait(), timeout=TIMEOUT)

        async def took_over() -> bool:
            return (await state(b)).get("role") == "active"

        await until(took_over, "b active once a is gone")
        await k.patch_spec(cluster, {"version": "1.1.0"})

        async def new_migration() -> bool:
            return any(name.endswith("-1-1-0") for name in k.of_kind(cluster, "Job"))

        await until(new_migration, "b reconciles the next change")
        assert await reconciles(b) > 0
