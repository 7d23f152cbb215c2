"""Backups on day 2: a dump before each version change's migration, and the status naming it.

As in test_operator_day2.py, the tests play the Job controller; the emulator behaves like an
API server for everything the operator writes.
"""

from __future__ import annotations

import asyncio
from typing import Any

import kmock

from tests.operator import kube_state as k
from tests.operator.conftest import eventually
from tests.operator.test_operator_reconcile import PREFIX, bring_up

BACKUP_SPEC = {"schedule": "0 3 * * *", "retention": 5, "size": "2Gi"}


async def _finish_job(
    cluster: kmock.KubernetesEmulator, name: str, *, failed: bool = False
) -> None:
    when = "2026-03-02T09:30:00Z"
    condition = {
        "type": "Failed" if failed else "Complete",
        "status": "True",
        "reason": "BackoffLimitExceeded" if failed else "Completed",
        "message": "pg_dump: error: connection refused" if failed else "",
        "lastTransitionTime": when,
    }
    status: dict[str, Any] = {"conditions": [condition], ("failed" if failed else "succeeded"): 1}
    if not failed:
        status["completionTime"] = when
    await k.patch_status(cluster, k.path_of("Job", name), status)


async def test_an_upgrade_dumps_the_database_before_migrating(
    cluster: kmock.KubernetesEmulator, operator: None
) -> None:
    await bring_up(cluster, {"version": "1.0.0", "backup": BACKUP_SPEC})
    # At the first install there is nothing to dump: only the schedule and its volume.
    assert list(k.of_kind(cluster, "Job")) == [f"{PREFIX}-migrate-1-0-0"]
    assert f"{PREFIX}-backup" in k.of_kind(cluster, "CronJob")
    [claim] = k.of_kind(cluster, "PersistentVolumeClaim").values()
    assert claim["spec"]["resources"]["requests"]["storage"] == "2Gi"
    assert not claim["metadata"].get("ownerReferences"), "the dumps outlive the resource"
    assert k.status(cluster).get("backup") is None

    await k.patch_spec(cluster, {"version": "1.1.0"})
    backup = f"{PREFIX}-backup-1-1-0"
    migrate = f"{PREFIX}-migrate-1-1-0"
    await eventually(lambda: backup in k.of_kind(cluster, "Job"), message="the backup Job")
    await eventually(lambda: k.status(cluster).get("phase") == "BackingUp", message="BackingUp")
    await asyncio.sleep(1.5)
    assert migrate not in k.of_kind(cluster, "Job"), "the migration waits for the dump"
    assert ("Normal", "BackupStarted") in k.event_reasons(cluster)

    await _finish_job(cluster, backup)
    await eventually(lambda: migrate in k.of_kind(cluster, "Job"), message="the migration Job")
    await eventually(
        lambda: (k.status(cluster).get("backup") or {}).get("lastJob") == backup,
        message="status naming the backup",
    )
    assert k.status(cluster)["backup"] == {
        "lastJob": backup,
        "lastSucceeded": True,
        "time": "2026-03-02T09:30:00Z",
    }
    assert ("Normal", "BackupSucceeded") in k.event_reasons(cluster)

    await k.complete_jobs(cluster)
    await k.make_ready(cluster)
    await eventually(lambda: k.status(cluster).get("migratedVersion") == "1.1.0")
    await eventually(lambda: k.status(cluster).get("phase") == "Ready", message="Ready")
    assert k.status(cluster)["backup"]["lastJob"] == backup


async def test_a_failed_dump_stops_the_upgrade_and_says_so(
    cluster: kmock.KubernetesEmulator, operator: None
) -> None:
    await bring_up(cluster, {"version": "1.0.0", "backup": BACKUP_SPEC})
    await k.patch_spec(cluster, {"version": "2.0.0"})
    backup = f"{PREFIX}-backup-2-0-0"
    await eventually(lambda: backup in k.of_kind(cluster, "Job"), message="the backup Job")
    await _finish_job(cluster, backup, failed=True)

    await eventually(lambda: k.status(cluster).get("phase") == "Failed", message="Failed")
    degraded = k.condition(cluster, "Degraded")
    assert degraded["reason"] == "BackupFailed"
    assert "connection refused" in degraded["message"]
    await eventually(lambda: ("Warning", "BackupFailed") in k.event_reasons(cluster))
    assert f"{PREFIX}-migrate-2-0-0" not in k.of_kind(cluster, "Job")
    assert k.status(cluster)["backup"] == {
        "lastJob": backup,
        "lastSucceeded": False,
        "time": "2026-03-02T09:30:00Z",
    }
