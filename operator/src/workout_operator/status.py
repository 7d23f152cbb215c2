"""Turn what the cluster reports into the resource's status: components, conditions, phase."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from workout_operator.migration import JobState, component_of, job_state

READY, PROGRESSING, DEGRADED = "Ready", "Progressing", "Degraded"
# True while the last reconcile could not complete; its reason says why.
RECONCILE_ERROR = "ReconcileError"
# Components whose failing /health makes the platform degraded (the frontend is static).
_UNHEALTHY = {"unhealthy", "unreachable"}


@dataclass(frozen=True)
class ComponentStatus:
    """One workload as its controller reports it.

    ``total`` counts every pod the controller keeps (old and new: during a surge it exceeds
    ``desired``); ``observed`` is whether the controller has seen the workload's latest spec.
    """

    name: str
    kind: str
    desired: int
    ready: int
    updated: int
    available: int = 0
    total: int = 0
    observed: bool = True
    health: str = "unknown"
    problem: str = ""

    @property
    def is_ready(self) -> bool:
        """Rolled out as ``kubectl rollout status`` sees it: the controller has seen the latest
        spec, and every pod it keeps is updated, available and ready; no old pod is left."""
        return (
            self.observed
            and self.updated == self.desired
            and self.available >= self.desired
            and self.ready >= self.desired
            and self.total == self.desired
        )

    def as_status(self) -> dict[str, Any]:
        status: dict[str, Any] = {
            "kind": self.kind,
            "desiredReplicas": self.desired,
            "readyReplicas": self.ready,
            "updatedReplicas": self.updated,
            "availableReplicas": self.available,
            "replicas": self.total,
            "health": self.health,
            "problem": self.problem or None,
        }
        return status


@dataclass(frozen=True)
class Condition:
    type: str
    status: bool
    reason: str
    message: str


@dataclass
class Assessment:
    phase: str
    conditions: list[Condition]
    components: list[ComponentStatus] = field(default_factory=list)


def workload_status(obj: Mapping[str, Any]) -> ComponentStatus:
    """Readiness of a Deployment or StatefulSet as the API reports it."""
    spec = obj.get("spec") or {}
    status = obj.get("status") or {}
    desired = int(spec.get("replicas", 1))
    ready = int(status.get("readyReplicas") or 0)
    updated = int(status.get("updatedReplicas") or 0)
    available = int(status.get("availableReplicas") or 0)
    if obj.get("kind") == "StatefulSet":
        updated = int(status.get("updatedReplicas", status.get("currentReplicas")) or 0)
        # StatefulSets report availableReplicas only from Kubernetes 1.22 on.
        available = int(status.get("availableReplicas", ready) or 0)
    observed = (status.get("observedGeneration") or 0) >= (
        obj.get("metadata", {}).get("generation") or 0
    )
    name = component_of(dict(obj)) or obj.get("metadata", {}).get("name", "")
    return ComponentStatus(
        name=name,
        kind=str(obj.get("kind")),
        desired=desired,
        ready=ready,
        updated=updated,
        available=available,
        total=int(status.get("replicas") or 0),
        observed=observed,
    )


def _progress(component: ComponentStatus) -> str:
    if not component.observed:
        return f"{component.name} (new spec not yet seen by its controller)"
    return (
        f"{component.name} {component.ready}/{component.desired} "
        f"(updated {component.updated}, available {component.available}, pods {component.total})"
    )


def assess(components: Sequence[ComponentStatus]) -> Assessment:
    """Conditions for a fully applied platform from its workloads' readiness and health."""
    failing = [c for c in components if c.problem]
    waiting = [c for c in components if not c.is_ready and not c.problem]
    sick = [c for c in components if c.is_ready and c.desired > 0 and c.health in _UNHEALTHY]
    conditions = []
    if failing:
        detail = "; ".join(f"{c.name}: {c.problem}" for c in failing)
        conditions.append(Condition(DEGRADED, True, "PodsFailing", detail))
        conditions.append(Condition(READY, False, "PodsFailing", detail))
        conditions.append(Condition(PROGRESSING, True, "RollingOut", detail))
        return Assessment(phase="Degraded", conditions=conditions, components=list(components))
    if waiting:
        detail = ", ".join(_progress(c) for c in waiting)
        conditions.append(Condition(READY, False, "ComponentsNotReady", f"waiting for {detail}"))
        conditions.append(Condition(PROGRESSING, True, "RollingOut", f"waiting for {detail}"))
    else:
        conditions.append(
            Condition(PROGRESSING, False, "RolloutComplete", "every workload is up to date")
        )
    if sick:
        detail = ", ".join(f"{c.name} is {c.health}" for c in sick)
        conditions.append(Condition(DEGRADED, True, "HealthCheckFailing", detail))
        if not waiting:
            conditions.append(Condition(READY, False, "HealthCheckFailing", detail))
    else:
        conditions.append(Condition(DEGRADED, False, "AsExpected", "no failures"))
    if not waiting and not sick:
        conditions.append(
            Condition(READY, True, "AllComponentsReady", f"{len(components)} components ready")
        )
    phase = "Progressing" if waiting else ("Degraded" if sick else "Ready")
    return Assessment(phase=phase, conditions=conditions, components=list(components))


def failed(reason: str, message: str, *, phase: str = "Failed") -> Assessment:
    """A reconcile that could not complete: not ready, not progressing, degraded."""
    return Assessment(
        phase=phase,
        conditions=[
            Condition(READY, False, reason, message),
            Condition(PROGRESSING, False, reason, message),
            Condition(DEGRADED, True, reason, message),
        ],
    )


def in_progress(reason: str, message: str, *, phase: str) -> Assessment:
    return Assessment(
        phase=phase,
        conditions=[
            Condition(READY, False, reason, message),
            Condition(PROGRESSING, True, reason, message),
            Condition(DEGRADED, False, "AsExpected", "no failures"),
        ],
    )


def render_conditions(
    conditions: Sequence[Condition],
    previous: Sequence[Mapping[str, Any]] | None,
    generation: int | None,
    now: datetime | None = None,
) -> list[dict[str, Any]]:
    """Kubernetes-style conditions; ``lastTransitionTime`` moves only when the status flips."""
    stamp = (now or datetime.now(tz=UTC)).strftime("%Y-%m-%dT%H:%M:%SZ")
    before = {c.get("type"): c for c in previous or []}
    rendered = []
    for condition in conditions:
        value = "True" if condition.status else "False"
        old = before.get(condition.type)
        since = old.get("lastTransitionTime") if old and old.get("status") == value else None
        entry: dict[str, Any] = {
            "type": condition.type,
            "status": value,
            "reason": condition.reason,
            "message": condition.message,
            "lastTransitionTime": since or stamp,
        }
        if generation is not None:
            entry["observedGeneration"] = generation
        rendered.append(entry)
    return rendered


def ready_summary(components: Sequence[ComponentStatus]) -> str:
    return f"{sum(1 for c in components if c.is_ready)}/{len(components)}"


def latest_backup(
    jobs: Sequence[Mapping[str, Any]], cron_jobs: Sequence[Mapping[str, Any]] = ()
) -> dict[str, Any] | None:
    """``{lastJob, lastSucceeded, time}`` of the most recently finished backup, if any.

    Finished Jobs (scheduled or before an upgrade) name themselves; when the CronJob reports a
    success newer than every Job still kept (history limits delete old Jobs), it is named.
    """
    finished: list[tuple[str, str, bool]] = []
    for job in jobs:
        state = job_state(dict(job))
        if state not in (JobState.SUCCEEDED, JobState.FAILED):
            continue
        status = job.get("status") or {}
        succeeded = state is JobState.SUCCEEDED
        when = status.get("completionTime") if succeeded else None
        for condition in status.get("conditions") or []:
            if condition.get("status") == "True" and condition.get("type") in (
                {"Complete", "SuccessCriteriaMet"} if succeeded else {"Failed", "FailureTarget"}
            ):
                when = when or condition.get("lastTransitionTime")
        finished.append((str(when or ""), str(job["metadata"]["name"]), succeeded))
    for cron_job in cron_jobs:
        when = (cron_job.get("status") or {}).get("lastSuccessfulTime")
        if when and all(str(when) > time for time, _, _ in finished):
            finished.append((str(when), str(cron_job["metadata"]["name"]), True))
    if not finished:
        return None
    when, name, succeeded = max(finished)
    return {"lastJob": name, "lastSucceeded": succeeded, "time": when or None}
