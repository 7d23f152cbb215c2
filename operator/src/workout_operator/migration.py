"""The schema migration Job: find it among the rendered objects, name it per version, read its state."""

from __future__ import annotations

import copy
import hashlib
import re
from enum import StrEnum
from typing import Any

from workout_operator.render import Manifest

COMPONENT_LABEL = "app.kubernetes.io/component"
MIGRATION_COMPONENT = "migrations"
BACKUP_COMPONENT = "backup"
# Objects that run the new version's code; they wait for the migration to finish.
APP_COMPONENTS = frozenset(
    {"api", "ai-coach", "worker", "frontend", "mcp", "refresh", "warmup", "cleanup"}
)
_GATED_KINDS = frozenset({"Deployment", "StatefulSet", "DaemonSet", "CronJob"})


class JobState(StrEnum):
    MISSING = "Missing"
    RUNNING = "Running"
    SUCCEEDED = "Succeeded"
    FAILED = "Failed"


def component_of(manifest: Manifest) -> str:
    labels = manifest.get("metadata", {}).get("labels") or {}
    return str(labels.get(COMPONENT_LABEL, ""))


def is_migration_job(manifest: Manifest) -> bool:
    return manifest.get("kind") == "Job" and component_of(manifest) == MIGRATION_COMPONENT


def is_backup_job(manifest: Manifest) -> bool:
    """The dump taken before a version change (the scheduled dumps are a CronJob's)."""
    return manifest.get("kind") == "Job" and component_of(manifest) == BACKUP_COMPONENT


def waits_for_migration(manifest: Manifest) -> bool:
    """Workloads running the application's code: rolled only after the schema is migrated."""
    return manifest.get("kind") in _GATED_KINDS and component_of(manifest) in APP_COMPONENTS


def versioned_job(manifest: Manifest, version: str) -> Manifest:
    """The migration Job renamed for ``version``.

    A Job's pod template cannot change, so each version gets its own Job; the previous
    one is pruned once it is no longer rendered.
    """
    job = copy.deepcopy(manifest)
    slug = re.sub(r"[^a-z0-9-]+", "-", version.lower()).strip("-") or "v"
    if slug in job["metadata"]["name"]:  # the chart already names it after the version
        return job
    name = f"{job['metadata']['name']}-{slug}"
    if len(name) > 63:
        digest = hashlib.sha256(name.encode()).hexdigest()[:8]
        name = f"{name[:54].rstrip('-')}-{digest}"
    job["metadata"]["name"] = name
    return job


def job_state(job: dict[str, Any] | None) -> JobState:
    if not job:
        return JobState.MISSING
    status = job.get("status") or {}
    for condition in status.get("conditions") or []:
        if condition.get("status") != "True":
            continue
        if condition.get("type") in {"Complete", "SuccessCriteriaMet"}:
            return JobState.SUCCEEDED
        if condition.get("type") in {"Failed", "FailureTarget"}:
            return JobState.FAILED
    if (status.get("succeeded") or 0) >= 1:
        return JobState.SUCCEEDED
    backoff_limit = (job.get("spec") or {}).get("backoffLimit", 6)
    if (status.get("failed") or 0) > backoff_limit:
        return JobState.FAILED
    return JobState.RUNNING


def failure_message(job: dict[str, Any] | None) -> str:
    for condition in ((job or {}).get("status") or {}).get("conditions") or []:
        if condition.get("type") == "Failed" and condition.get("status") == "True":
            return str(condition.get("message") or condition.get("reason") or "the Job failed")
    return "the Job failed"
