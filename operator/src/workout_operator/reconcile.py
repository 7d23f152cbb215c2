"""One reconcile of a ``WorkoutTracker``: render, apply, migrate, roll, prune, report.

Everything here is plain, synchronous code; the kopf handlers only call :func:`reconcile`.
"""

from __future__ import annotations

import hashlib
import json
import logging
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime
from typing import Any

from workout_operator import health
from workout_operator.credentials import credentials_secret, credentials_secret_name
from workout_operator.drift import carries
from workout_operator.kube import KubeApi, KubeError
from workout_operator.migration import (
    COMPONENT_LABEL,
    JobState,
    component_of,
    failure_message,
    is_backup_job,
    is_migration_job,
    job_state,
    versioned_job,
    waits_for_migration,
)
from workout_operator.ownership import (
    REPLICAS_MANAGER,
    Owner,
    adopt,
    is_owned_by,
    kept,
    object_key,
)
from workout_operator.pods import job_selector, pod_problem, selector_of
from workout_operator.render import Manifest, RenderError, render_chart
from workout_operator.resources import ResourceKind
from workout_operator.settings import OperatorSettings
from workout_operator.spec import InvalidSpecError, WorkoutTrackerSpec, parse_spec
from workout_operator.status import (
    DEGRADED,
    PROGRESSING,
    READY,
    RECONCILE_ERROR,
    Assessment,
    ComponentStatus,
    Condition,
    assess,
    failed,
    in_progress,
    latest_backup,
    ready_summary,
    render_conditions,
    workload_status,
)
from workout_operator.values import chart_values

logger = logging.getLogger(__name__)

EventSink = Callable[[str, str, str], None]
"""``(type, reason, message)`` with type ``Normal`` or ``Warning``."""
Prober = Callable[[str, float], str]

_WORKLOAD_KINDS = frozenset({"Deployment", "StatefulSet"})
# The spec's component names by the chart's component label.
_SPEC_NAMES = {
    "api": "api",
    "ai-coach": "aiCoach",
    "worker": "worker",
    "frontend": "frontend",
    "mcp": "mcp",
}
_POD = ResourceKind("v1", "Pod")
_JOB = ResourceKind("batch/v1", "Job")


@dataclass
class Outcome:
    """The status to write, and when to look again (``None``: at the next change or resync)."""

    status: dict[str, Any]
    retry_after: float | None = None
    error: str | None = None
    changes: list[str] = field(default_factory=list)


@dataclass
class Context:
    api: KubeApi
    settings: OperatorSettings
    owner: Owner
    emit: EventSink
    prober: Prober = health.probe


def reconcile(
    ctx: Context,
    *,
    spec: Mapping[str, Any] | None,
    status: Mapping[str, Any] | None,
    generation: int | None,
) -> Outcome:
    previous = dict(status or {})
    try:
        parsed = parse_spec(spec)
    except InvalidSpecError as exc:
        return _finish(
            ctx,
            previous,
            generation,
            failed("InvalidSpec", str(exc), phase="Invalid"),
            error="InvalidSpec",
        )

    if parsed.paused:
        return _paused(ctx, previous, generation)

    # Every failure ends in the status, with its reason: nothing is left for kopf to log only.
    try:
        credentials = _ensure_credentials(ctx)
        manifests = _desired(ctx, parsed, credentials)
        return _converge(ctx, parsed, manifests, previous, generation)
    except RenderError as exc:
        return _finish(
            ctx, previous, generation, failed("RenderFailed", str(exc)), error="RenderFailed"
        )
    except KubeError as exc:
        reason = "Forbidden" if exc.status == 403 else "ApplyFailed"
        outcome = _finish(ctx, previous, generation, failed(reason, str(exc)), error=reason)
        outcome.retry_after = ctx.settings.retry_seconds
        return outcome
    except Exception as exc:
        logger.exception("reconcile of %s/%s failed", ctx.owner.namespace, ctx.owner.name)
        message = f"{type(exc).__name__}: {exc}"
        outcome = _finish(
            ctx, previous, generation, failed("ReconcileError", message), error="ReconcileError"
        )
        outcome.retry_after = ctx.settings.retry_seconds
        return outcome


def _paused(ctx: Context, previous: dict[str, Any], generation: int | None) -> Outcome:
    """Leave the cluster as it is and say so; the status keeps what was known."""
    message = "spec.paused is true: the operator changes nothing until it is false again"
    if previous.get("phase") != "Paused":
        ctx.emit("Normal", "Paused", message)
    assessment = Assessment(
        phase="Paused",
        conditions=[
            Condition(READY, previous.get("phase") == "Ready", "Paused", message),
            Condition(PROGRESSING, False, "Paused", message),
            Condition(DEGRADED, False, "Paused", message),
        ],
    )
    return _finish(ctx, previous, generation, assessment)


def _ensure_credentials(ctx: Context) -> str:
    """Create the credentials Secret, or add keys it lacks; never change a value it holds."""
    name = credentials_secret_name(ctx.owner)
    existing = ctx.api.get(ResourceKind("v1", "Secret"), ctx.owner.namespace, name)
    secret = credentials_secret(ctx.owner, existing)
    if existing is None or not carries(existing, secret):
        ctx.api.apply(secret)
        if existing is None:
            ctx.emit(
                "Normal",
                "CredentialsCreated",
                f"generated the platform's credentials in Secret {name}",
            )
    return name


def _secret_checksum(ctx: Context, spec: WorkoutTrackerSpec, credentials: str) -> str:
    """A digest of every Secret the pods read: a rotation changes it, and so rolls the pods."""
    names = {credentials}
    for ref in (spec.database.external_secret, spec.redis.external_secret, spec.ai.api_key_secret):
        if ref is not None:
            names.add(ref.name)
    digest = hashlib.sha256()
    for name in sorted(names):
        secret = ctx.api.get(ResourceKind("v1", "Secret"), ctx.owner.namespace, name)
        data = (secret or {}).get("data") or {}
        digest.update(json.dumps([name, data], sort_keys=True).encode())
    return digest.hexdigest()


def _desired(ctx: Context, spec: WorkoutTrackerSpec, credentials: str) -> list[Manifest]:
    values = chart_values(spec, credentials_secret=credentials)
    values["secretChecksum"] = _secret_checksum(ctx, spec, credentials)
    api_versions = ("monitoring.coreos.com/v1",) if spec.monitoring.service_monitor else ()
    rendered = render_chart(
        helm=ctx.settings.helm_binary,
        chart=ctx.settings.chart_path,
        release=ctx.owner.name,
        namespace=ctx.owner.namespace,
        values=values,
        api_versions=api_versions,
    )
    manifests = []
    for manifest in rendered:
        if is_migration_job(manifest) or is_backup_job(manifest):
            manifest = versioned_job(manifest, spec.version)
        manifests.append(adopt(manifest, ctx.owner))
    return manifests


def _converge(
    ctx: Context,
    spec: WorkoutTrackerSpec,
    manifests: list[Manifest],
    previous: dict[str, Any],
    generation: int | None,
) -> Outcome:
    inventory = sorted(
        {str(ResourceKind.of(m)) for m in manifests} | set(previous.get("inventory") or [])
    )
    existing = _existing_children(ctx, inventory)
    migrations = [m for m in manifests if is_migration_job(m)]
    backups = [m for m in manifests if is_backup_job(m)]
    gated = [m for m in manifests if waits_for_migration(m)]
    first = [m for m in manifests if m not in migrations and m not in backups and m not in gated]

    changes: list[str] = []
    applied: dict[tuple[str, str, str], dict[str, Any]] = {}

    def apply_all(batch: list[Manifest]) -> None:
        # Always applied, even when the live object looks right: server-side apply removes
        # the fields this manager sent before and sends no more, which no comparison can see.
        # An apply that changes nothing is not a write for the API server.
        for manifest in batch:
            key = object_key(manifest)
            if key not in existing:
                changes.append(f"created {key[0].rsplit('/', 1)[-1]}/{key[2]}")
            else:
                manifest = _scaling_left_alone(ctx, spec, manifest, existing[key])
            applied[key] = ctx.api.apply(manifest)

    apply_all(first)

    backup = _latest_backup(ctx, manifests)
    migrated = previous.get("migratedVersion")
    if migrations and migrated != spec.version:
        # A dump of the schema the upgrade starts from; at the first install there is none.
        steps = [(backups, _BACKUP)] if migrated is not None else []
        for batch, step in [*steps, (migrations, _MIGRATION)]:
            if not batch:
                continue
            apply_all(batch)
            waiting = _run_job(
                ctx,
                step,
                applied[object_key(batch[0])],
                spec.version,
                previous,
                generation,
                changes=changes,
                inventory=inventory,
                extra={"backup": backup},
            )
            if waiting is not None:
                return waiting
        migrated = spec.version

    apply_all(gated)

    desired_keys = {object_key(m) for m in manifests}
    for key in sorted(existing):
        if key in desired_keys or kept(existing[key]):
            continue
        kind = ResourceKind.parse(key[0])
        if ctx.api.delete(kind, key[1], key[2]):
            changes.append(f"pruned {kind.kind}/{key[2]}")

    components = _components(ctx, manifests, applied)
    assessment = assess(components)
    if changes:
        ctx.emit("Normal", "Applied", "; ".join(changes))
    if assessment.phase != previous.get("phase") or (
        assessment.phase == "Degraded" and _reason(previous, "Degraded") != _reason_of(assessment)
    ):
        event_type = "Warning" if assessment.phase == "Degraded" else "Normal"
        ctx.emit(event_type, assessment.phase, _message(assessment))
    outcome = _finish(
        ctx,
        previous,
        generation,
        assessment,
        changes=changes,
        inventory=sorted({str(ResourceKind.of(m)) for m in manifests}),
        extra={"version": spec.version, "migratedVersion": migrated, "backup": backup},
    )
    if assessment.phase != "Ready":
        outcome.retry_after = ctx.settings.retry_seconds
    return outcome


@dataclass(frozen=True)
class _JobStep:
    """A Job the operator runs to completion before a version change rolls out."""

    what: str  # "migration Job", in messages
    phase: str  # while it runs
    reason: str  # prefix of its event and condition reasons
    consequence: str  # what a failure means for the rollout
    # Announce success every time it is seen (the migration: seen once, then recorded), or
    # only on leaving ``phase`` (the backup: seen again while the migration runs).
    announce_every_success: bool

    @property
    def failed(self) -> str:
        return f"{self.reason}Failed"


_BACKUP = _JobStep(
    what="backup Job",
    phase="BackingUp",
    reason="Backup",
    consequence="the migration waits for a dump (remove spec.backup to upgrade without one)",
    announce_every_success=False,
)
_MIGRATION = _JobStep(
    what="migration Job",
    phase="Migrating",
    reason="Migration",
    consequence="Deployments keep running the previous version",
    announce_every_success=True,
)


def _run_job(
    ctx: Context,
    step: _JobStep,
    job: dict[str, Any],
    version: str,
    previous: dict[str, Any],
    generation: int | None,
    *,
    changes: list[str],
    inventory: list[str],
    extra: Mapping[str, Any],
) -> Outcome | None:
    """The outcome to report while ``job`` has not succeeded; ``None`` once it has."""
    state = job_state(job)
    name = job["metadata"]["name"]
    subject = f"{step.what} {name} for version {version}"
    if state is JobState.FAILED:
        message = f"{subject} failed: {failure_message(job)}; {step.consequence}"
        if previous.get("phase") != "Failed" or _reason(previous, "Degraded") != step.failed:
            ctx.emit("Warning", step.failed, message)
        return _finish(
            ctx,
            previous,
            generation,
            failed(step.failed, message),
            error=step.failed,
            changes=changes,
            inventory=inventory,
            extra=extra,
        )
    if state is not JobState.SUCCEEDED:
        problem = pod_problem(ctx.api.list(_POD, ctx.owner.namespace, job_selector(job)))
        if problem:
            reason = f"{step.reason}PodsFailing"
            message = f"{subject} cannot run: {problem}"
            if _reason(previous, "Degraded") != reason:
                ctx.emit("Warning", reason, message)
            outcome = _finish(
                ctx,
                previous,
                generation,
                failed(reason, message, phase="Degraded"),
                error=reason,
                changes=changes,
                inventory=inventory,
                extra=extra,
            )
            outcome.retry_after = ctx.settings.retry_seconds
            return outcome
        message = f"{subject} is running"
        if previous.get("phase") != step.phase:
            ctx.emit("Normal", f"{step.reason}Started", message)
        outcome = _finish(
            ctx,
            previous,
            generation,
            in_progress(step.phase, message, phase=step.phase),
            changes=changes,
            inventory=inventory,
            extra=extra,
        )
        outcome.retry_after = ctx.settings.retry_seconds
        return outcome
    if step.announce_every_success or previous.get("phase") == step.phase:
        ctx.emit("Normal", f"{step.reason}Succeeded", f"{subject} completed")
    return None


def _latest_backup(ctx: Context, manifests: list[Manifest]) -> dict[str, Any] | None:
    """The newest finished backup, when backups are configured (``None`` clears the status)."""
    cron_jobs = [m for m in manifests if m.get("kind") == "CronJob" and component_of(m) == "backup"]
    if not cron_jobs:
        return None
    labels = cron_jobs[0]["spec"]["jobTemplate"]["metadata"]["labels"]
    selector = ",".join(
        f"{key}={labels[key]}"
        for key in ("app.kubernetes.io/name", "app.kubernetes.io/instance", COMPONENT_LABEL)
    )
    jobs = ctx.api.list(_JOB, ctx.owner.namespace, selector)
    live = [
        ctx.api.get(ResourceKind.of(m), ctx.owner.namespace, m["metadata"]["name"])
        for m in cron_jobs
    ]
    return latest_backup(jobs, [c for c in live if c is not None])


def _scaling_left_alone(
    ctx: Context, spec: WorkoutTrackerSpec, manifest: Manifest, live: Mapping[str, Any]
) -> Manifest:
    """``manifest`` without ``spec.replicas`` when the count is not the resource's to set.

    With autoscaling, or when the resource does not pin the count, ``kubectl scale`` or the
    HorizontalPodAutoscaler own it. Server-side apply would reset a field its manager stops
    sending, so the live count is first handed to a separate field manager, which keeps it.
    """
    if manifest.get("kind") != "Deployment" or "replicas" not in (manifest.get("spec") or {}):
        return manifest
    component = _SPEC_NAMES.get(component_of(manifest))
    settings = spec.components.get(component) if component else None
    if settings is not None and settings.replicas is not None and settings.autoscaling is None:
        return manifest
    live_replicas = (live.get("spec") or {}).get("replicas")
    if live_replicas is None:
        return manifest
    metadata = manifest["metadata"]
    ctx.api.apply(
        {
            "apiVersion": manifest["apiVersion"],
            "kind": manifest["kind"],
            "metadata": {"name": metadata["name"], "namespace": metadata["namespace"]},
            "spec": {"replicas": live_replicas},
        },
        field_manager=REPLICAS_MANAGER,
    )
    trimmed = dict(manifest)
    trimmed["spec"] = {k: v for k, v in manifest["spec"].items() if k != "replicas"}
    return trimmed


def _existing_children(
    ctx: Context, inventory: list[str]
) -> dict[tuple[str, str, str], dict[str, Any]]:
    found: dict[tuple[str, str, str], dict[str, Any]] = {}
    for text in inventory:
        kind = ResourceKind.parse(text)
        for obj in ctx.api.list(kind, ctx.owner.namespace, ctx.owner.selector):
            if is_owned_by(obj, ctx.owner):
                found[object_key(obj)] = obj
    return found


def _components(
    ctx: Context, manifests: list[Manifest], applied: Mapping[tuple[str, str, str], dict[str, Any]]
) -> list[ComponentStatus]:
    health_of: dict[str, str] = {}
    components = []
    workloads = [applied[object_key(m)] for m in manifests if m.get("kind") in _WORKLOAD_KINDS]
    ready_names = {workload_status(w).name for w in workloads if workload_status(w).is_ready}
    if ctx.settings.health_checks:
        for target in health.health_targets(manifests):
            if target.component in ready_names:
                url = health.health_url(ctx.settings.health_url, target, ctx.owner.namespace)
                health_of[target.component] = ctx.prober(url, ctx.settings.health_timeout)
    for workload in workloads:
        component = workload_status(workload)
        default = "unknown" if ctx.settings.health_checks else "not-checked"
        problem = ""
        if not component.is_ready and selector_of(workload):
            pods = ctx.api.list(_POD, ctx.owner.namespace, selector_of(workload))
            problem = pod_problem(pods)
        components.append(
            replace(component, health=health_of.get(component.name, default), problem=problem)
        )
    return components


def _reason(status: Mapping[str, Any], condition_type: str) -> str | None:
    for condition in status.get("conditions") or []:
        if condition.get("type") == condition_type:
            return str(condition.get("reason"))
    return None


def _reason_of(assessment: Assessment) -> str | None:
    for condition in assessment.conditions:
        if condition.type == DEGRADED:
            return condition.reason
    return None


def _message(assessment: Assessment) -> str:
    for condition in assessment.conditions:
        if condition.type == "Ready":
            return condition.message
    return assessment.phase


def _finish(
    ctx: Context,
    previous: dict[str, Any],
    generation: int | None,
    assessment: Assessment,
    *,
    error: str | None = None,
    changes: list[str] | None = None,
    inventory: list[str] | None = None,
    extra: Mapping[str, Any] | None = None,
) -> Outcome:
    announced_elsewhere = error in {_MIGRATION.failed, _BACKUP.failed}
    changed = previous.get("phase") != assessment.phase or _reason(previous, "Degraded") != error
    if error and changed and not announced_elsewhere:
        ctx.emit("Warning", error, _message(assessment))
    outcome_condition = (
        Condition(RECONCILE_ERROR, True, error, _message(assessment))
        if error
        else Condition(RECONCILE_ERROR, False, "ReconcileSucceeded", "the last reconcile completed")
    )
    status: dict[str, Any] = {
        "phase": assessment.phase,
        "observedGeneration": generation,
        "conditions": render_conditions(
            [*assessment.conditions, outcome_condition], previous.get("conditions"), generation
        ),
        "lastReconcileTime": datetime.now(tz=UTC).strftime("%Y-%m-%dT%H:%M:%SZ"),
    }
    if assessment.components:
        components: dict[str, Any] = {c.name: c.as_status() for c in assessment.components}
        # The status is merge-patched: a component no longer deployed must be removed explicitly.
        for gone in set(previous.get("components") or {}) - set(components):
            components[gone] = None
        status["components"] = components
        status["readyComponents"] = ready_summary(assessment.components)
    if inventory is not None:
        status["inventory"] = inventory
    for key, value in (extra or {}).items():
        status[key] = value
    return Outcome(status=status, error=error, changes=list(changes or []))
