"""Kopf entry points: start-up and clean-up (probe server, peering), reconciles of a
WorkoutTracker (on change, on a change of an object it owns, and every ``resyncSeconds``),
all through :func:`workout_operator.reconcile.reconcile`, and the removal of its children
(:func:`workout_operator.removal.remove_children`)."""

from __future__ import annotations

import asyncio
import logging
import threading
import time
from collections import defaultdict
from datetime import UTC, datetime
from typing import Any, cast

import kopf
from aiohttp import web
from opentelemetry import trace

from workout_operator import metrics
from workout_operator.kube import KubeApi, load_api_client
from workout_operator.leadership import CLUSTER_PEERING, NAMESPACED_PEERING, Role, role
from workout_operator.ownership import GROUP, KIND, OWNER_LABEL, PLURAL, VERSION, Owner
from workout_operator.reconcile import Context, Outcome, reconcile
from workout_operator.removal import remove_children
from workout_operator.resources import ResourceKind
from workout_operator.settings import OperatorSettings
from workout_operator.telemetry_setup import tracer

logger = logging.getLogger(__name__)


class _Runtime:
    """Process-wide state set up once at start-up."""

    settings = OperatorSettings()
    api: KubeApi | None = None
    probe_runner: web.AppRunner | None = None
    locks: defaultdict[str, threading.Lock] = defaultdict(threading.Lock)
    # Peering: this replica's identity and priority, and where its peering object lives
    # (``None``: the cluster-wide one).
    identity: str = ""
    priority: int = 0
    peering_namespace: str | None = None
    # Reconciles asked for by changes of owned objects, by (namespace, name): (due, task).
    followups: dict[tuple[str, str], tuple[float, asyncio.Task[None]]] = {}
    stopping = False
    resync_task: asyncio.Task[None] | None = None
    # The namespaces watched (empty: every namespace).
    namespaces: list[str] = []


RUNTIME = _Runtime()
WORKOUT_TRACKER = ResourceKind(f"{GROUP}/{VERSION}", KIND)
# Phases worth looking at again soon rather than at the next resync.
_RETRY_PHASES = {"Migrating"}
_RETRY_ERRORS = {"ApplyFailed", "Forbidden", "ReconcileError", "MigrationPodsFailing"}
# The owned kinds whose changes (status, drift, deletion) are followed as they happen; the
# resync covers the rest.
WATCHED_KINDS = (
    ("apps", "v1", "deployments"),
    ("apps", "v1", "statefulsets"),
    ("batch", "v1", "jobs"),
    ("batch", "v1", "cronjobs"),
    ("", "v1", "services"),
    ("", "v1", "configmaps"),
    ("networking.k8s.io", "v1", "ingresses"),
    ("networking.k8s.io", "v1", "networkpolicies"),
    ("policy", "v1", "poddisruptionbudgets"),
    ("autoscaling", "v2", "horizontalpodautoscalers"),
)


@kopf.on.startup()
async def startup(settings: kopf.OperatorSettings, **_: Any) -> None:
    RUNTIME.settings = OperatorSettings.from_env()
    RUNTIME.api = KubeApi(load_api_client())
    RUNTIME.stopping = False
    settings.persistence.finalizer = f"{GROUP}/finalizer"
    settings.persistence.progress_storage = kopf.AnnotationsProgressStorage(prefix=GROUP)
    settings.persistence.diffbase_storage = kopf.AnnotationsDiffBaseStorage(
        prefix=GROUP, key="last-handled-configuration"
    )
    settings.posting.level = logging.WARNING
    settings.watching.server_timeout = 300
    settings.peering.lifetime = int(RUNTIME.settings.peering_lifetime)
    metrics.LIVENESS.role_of = _role
    RUNTIME.resync_task = asyncio.create_task(_resync_loop())
    if RUNTIME.settings.port:
        RUNTIME.probe_runner = await metrics.start_probe_server("0.0.0.0", RUNTIME.settings.port)


@kopf.on.cleanup()
async def cleanup(**_: Any) -> None:
    RUNTIME.stopping = True
    if RUNTIME.resync_task is not None:
        RUNTIME.resync_task.cancel()
    for _due, task in list(RUNTIME.followups.values()):
        task.cancel()
    RUNTIME.followups.clear()
    if RUNTIME.probe_runner is not None:
        await RUNTIME.probe_runner.cleanup()
        RUNTIME.probe_runner = None


def current_role() -> Role:
    """This replica's role as kopf's peering sees it (always active when running alone)."""
    if not RUNTIME.settings.peering or RUNTIME.api is None:
        return Role.ACTIVE
    namespace = RUNTIME.peering_namespace
    kind = CLUSTER_PEERING if namespace is None else NAMESPACED_PEERING
    peering = RUNTIME.api.get(kind, namespace or "", RUNTIME.settings.peering)
    return role(
        peering, identity=RUNTIME.identity, priority=RUNTIME.priority, now=datetime.now(tz=UTC)
    )


async def _role() -> str:
    found = await asyncio.to_thread(current_role)
    metrics.ACTIVE.set(1 if found is Role.ACTIVE else 0)
    return str(found)


def _context(owner: Owner) -> Context:
    assert RUNTIME.api is not None, "the start-up handler sets the API client"
    api = RUNTIME.api
    reference: dict[str, Any] = {
        "apiVersion": f"{GROUP}/{VERSION}",
        "kind": KIND,
        "metadata": {"name": owner.name, "namespace": owner.namespace, "uid": owner.uid},
    }

    def emit(event_type: str, reason: str, message: str) -> None:
        kopf.event(
            kopf.Body(cast(Any, reference)), type=event_type, reason=reason, message=message[:1000]
        )

    return Context(api=api, settings=RUNTIME.settings, owner=owner, emit=emit)


def _run(namespace: str, name: str, trigger: str) -> Outcome | None:
    """One reconcile of the named resource, read afresh under its lock (``None``: it is gone)."""
    assert RUNTIME.api is not None, "the start-up handler sets the API client"
    if RUNTIME.stopping:
        return None  # shutting down: the next replica (or start) reconciles
    started = time.perf_counter()
    obj = RUNTIME.api.get(WORKOUT_TRACKER, namespace, name)
    if obj is None or obj["metadata"].get("deletionTimestamp"):
        return None
    owner = Owner(name=name, namespace=namespace, uid=obj["metadata"]["uid"])
    ctx = _context(owner)
    with (
        RUNTIME.locks[owner.uid],
        tracer().start_as_current_span(
            "workout-operator.reconcile",
            attributes={
                "k8s.namespace.name": namespace,
                "workout_tracker.name": name,
                "workout_tracker.trigger": trigger,
            },
        ) as span,
    ):
        # Read again under the lock: another reconcile may have just written the status.
        obj = RUNTIME.api.get(WORKOUT_TRACKER, namespace, name) or obj
        outcome = reconcile(
            ctx,
            spec=obj.get("spec"),
            status=obj.get("status"),
            generation=obj["metadata"].get("generation"),
        )
        span.set_attribute("workout_tracker.phase", outcome.status.get("phase", ""))
        if outcome.error:
            span.set_status(trace.Status(trace.StatusCode.ERROR, outcome.error))
        RUNTIME.api.patch_status(WORKOUT_TRACKER, namespace, name, outcome.status)
    metrics.RECONCILE_DURATION.observe(time.perf_counter() - started)
    if outcome.error:
        metrics.RECONCILE_ERRORS.labels(reason=outcome.error).inc()
        metrics.RECONCILES.labels(outcome="error").inc()
    elif outcome.retry_after is not None:
        metrics.RECONCILES.labels(outcome="requeue").inc()
    else:
        metrics.RECONCILES.labels(outcome="success").inc()
    metrics.LIVENESS.reconciled()
    return outcome


def follow_up(namespace: str, name: str, delay: float) -> None:
    """Reconcile ``namespace/name`` in ``delay`` seconds, unless one is due sooner already."""
    if RUNTIME.stopping:
        return
    key = (namespace, name)
    loop = asyncio.get_running_loop()
    due = loop.time() + delay
    scheduled = RUNTIME.followups.get(key)
    if scheduled is not None and not scheduled[1].done():
        if scheduled[0] <= due:
            return
        scheduled[1].cancel()  # only sleeping ones are in the table
    RUNTIME.followups[key] = (due, asyncio.create_task(_follow_up(key, delay)))


async def _follow_up(key: tuple[str, str], delay: float) -> None:
    await asyncio.sleep(delay)
    RUNTIME.followups.pop(key, None)  # changes from now on ask for another one
    if RUNTIME.stopping:
        return
    try:
        if await asyncio.to_thread(current_role) is not Role.ACTIVE:
            return  # the active replica follows the change
        outcome = await asyncio.to_thread(_run, *key, "owned-object-changed")
    except Exception:
        logger.exception("follow-up reconcile of %s/%s failed", *key)
        outcome = None
        follow_up(*key, RUNTIME.settings.retry_seconds)
    if outcome is not None and outcome.retry_after is not None:
        follow_up(*key, outcome.retry_after)


def _owner_of(body: kopf.Body) -> tuple[str, str] | None:
    for reference in body.meta.get("ownerReferences") or []:
        if reference.get("kind") == KIND and str(reference.get("apiVersion", "")).startswith(
            f"{GROUP}/"
        ):
            return str(body.meta.get("namespace")), str(reference["name"])
    return None


async def owned_object_changed(body: kopf.Body, **_: Any) -> None:
    """An owned object changed (its status, or behind the operator's back): look soon."""
    owner = _owner_of(body)
    if owner is not None:
        follow_up(*owner, RUNTIME.settings.debounce_seconds)


for _group, _version, _plural in WATCHED_KINDS:
    kopf.on.event(
        group=_group,
        version=_version,
        plural=_plural,
        labels={OWNER_LABEL: kopf.PRESENT},
        id=f"owned-{_plural}",
    )(owned_object_changed)


def _reconcile(body: kopf.Body, patch: kopf.Patch, trigger: str) -> Outcome:
    outcome = _run(body.meta["namespace"], body.meta["name"], trigger)
    if outcome is None:
        return Outcome(status={})
    return outcome


@kopf.on.resume(GROUP, VERSION, PLURAL)
@kopf.on.create(GROUP, VERSION, PLURAL)
@kopf.on.update(GROUP, VERSION, PLURAL, field="spec")
def converge(body: kopf.Body, patch: kopf.Patch, reason: str, **_: Any) -> None:
    outcome = _reconcile(body, patch, trigger=str(reason))
    phase = outcome.status.get("phase")
    if outcome.retry_after is not None and (
        phase in _RETRY_PHASES or outcome.error in _RETRY_ERRORS
    ):
        raise kopf.TemporaryError(f"{phase}: looking again", delay=outcome.retry_after)


async def _resync_loop() -> None:
    """Reconcile every resource every ``resyncSeconds``: the safety net under the watches.

    A plain task rather than a kopf timer: kopf puts a finalizer on every resource a timer
    serves, and a finalizer makes deleting the resource (or its namespace) wait for a
    running operator.
    """
    while not RUNTIME.stopping:
        await asyncio.sleep(RUNTIME.settings.resync_seconds)
        try:
            if await asyncio.to_thread(current_role) is not Role.ACTIVE:
                continue
            found = await asyncio.to_thread(_all_resources)
        except Exception:
            logger.exception("resync: listing the WorkoutTrackers failed")
            continue
        for namespace, name in found:
            follow_up(namespace, name, 0)


def _all_resources() -> list[tuple[str, str]]:
    assert RUNTIME.api is not None, "the start-up handler sets the API client"
    found = []
    for namespace in RUNTIME.namespaces or [""]:
        for obj in RUNTIME.api.list(WORKOUT_TRACKER, namespace, ""):
            found.append((obj["metadata"]["namespace"], obj["metadata"]["name"]))
    return found


@kopf.on.delete(GROUP, VERSION, PLURAL, optional=True)
def remove(body: kopf.Body, status: kopf.Status, **_: Any) -> None:
    """Delete the children right away when something else holds the resource for deletion.

    Optional: the operator puts no finalizer on the resource (and removes the one earlier
    versions put), so that deleting it, or its namespace, never waits for a running operator;
    owner references let the garbage collector remove the children.
    """
    ctx = _context(
        Owner(name=body.meta["name"], namespace=body.meta["namespace"], uid=body.meta["uid"])
    )
    removed = remove_children(ctx.api, ctx.owner, list(status.get("inventory") or []))
    logger.info("removed %d objects of %s/%s", removed, ctx.owner.namespace, ctx.owner.name)
