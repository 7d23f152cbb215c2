"""Kopf entry points. Each one delegates to :func:`workout_operator.reconcile.reconcile`."""

from __future__ import annotations

import logging
import threading
import time
from collections import defaultdict
from typing import Any

import kopf
from aiohttp import web
from opentelemetry import trace

from workout_operator import metrics
from workout_operator.kube import KubeApi, load_api_client
from workout_operator.ownership import GROUP, KIND, PLURAL, VERSION, Owner
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


RUNTIME = _Runtime()
WORKOUT_TRACKER = ResourceKind(f"{GROUP}/{VERSION}", KIND)
# Phases worth looking at again soon rather than at the next resync: a running migration,
# a rollout on its way to ready, an apply the API server refused (it may be back).
_FOLLOW_UP_PHASES = {"Migrating", "Progressing"}
_FOLLOW_UP_REASONS = {"ApplyFailed"}


@kopf.on.startup()
async def startup(settings: kopf.OperatorSettings, **_: Any) -> None:
    RUNTIME.settings = OperatorSettings.from_env()
    RUNTIME.api = KubeApi(load_api_client())
    settings.persistence.finalizer = f"{GROUP}/finalizer"
    settings.persistence.progress_storage = kopf.AnnotationsProgressStorage(prefix=GROUP)
    settings.persistence.diffbase_storage = kopf.AnnotationsDiffBaseStorage(
        prefix=GROUP, key="last-handled-configuration"
    )
    settings.posting.level = logging.WARNING
    settings.watching.server_timeout = 300
    if RUNTIME.settings.port:
        RUNTIME.probe_runner = await metrics.start_probe_server("0.0.0.0", RUNTIME.settings.port)


@kopf.on.cleanup()
async def cleanup(**_: Any) -> None:
    if RUNTIME.probe_runner is not None:
        await RUNTIME.probe_runner.cleanup()
        RUNTIME.probe_runner = None


def _context(body: kopf.Body) -> Context:
    assert RUNTIME.api is not None, "the start-up handler sets the API client"
    owner = Owner(name=body.meta["name"], namespace=body.meta["namespace"], uid=body.meta["uid"])

    def emit(event_type: str, reason: str, message: str) -> None:
        kopf.event(body, type=event_type, reason=reason, message=message[:1000])

    return Context(api=RUNTIME.api, settings=RUNTIME.settings, owner=owner, emit=emit)


def _reconcile(body: kopf.Body, trigger: str) -> Outcome | None:
    """Reconcile the freshest state of the resource and write its status, one at a time.

    Several handlers (change, resync, follow-up) may fire together: under the per-resource
    lock the resource is read again and the status written before the lock is released, so
    each reconcile starts from what the previous one wrote.
    """
    ctx = _context(body)
    started = time.perf_counter()
    with (
        RUNTIME.locks[ctx.owner.uid],
        tracer().start_as_current_span(
            "workout-operator.reconcile",
            attributes={
                "k8s.namespace.name": ctx.owner.namespace,
                "workout_tracker.name": ctx.owner.name,
                "workout_tracker.trigger": trigger,
            },
        ) as span,
    ):
        fresh = ctx.api.get(WORKOUT_TRACKER, ctx.owner.namespace, ctx.owner.name)
        if fresh is None or fresh.get("metadata", {}).get("deletionTimestamp"):
            return None
        outcome = reconcile(
            ctx,
            spec=fresh.get("spec"),
            status=fresh.get("status"),
            generation=fresh.get("metadata", {}).get("generation"),
        )
        ctx.api.patch_status(WORKOUT_TRACKER, ctx.owner.namespace, ctx.owner.name, outcome.status)
        span.set_attribute("workout_tracker.phase", outcome.status.get("phase", ""))
        if outcome.error:
            span.set_status(trace.Status(trace.StatusCode.ERROR, outcome.error))
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


@kopf.on.resume(GROUP, VERSION, PLURAL)
@kopf.on.create(GROUP, VERSION, PLURAL)
@kopf.on.update(GROUP, VERSION, PLURAL, field="spec")
def converge(body: kopf.Body, reason: str, **_: Any) -> None:
    _reconcile(body, trigger=str(reason))


def _resync_interval() -> float:
    return OperatorSettings.from_env().resync_seconds


def _retry_interval() -> float:
    return OperatorSettings.from_env().retry_seconds


def needs_follow_up(status: kopf.Status, **_: Any) -> bool:
    if status.get("phase") in _FOLLOW_UP_PHASES:
        return True
    degraded = [c for c in status.get("conditions") or [] if c.get("type") == "Degraded"]
    return any(c.get("reason") in _FOLLOW_UP_REASONS for c in degraded)


def _idle() -> float:
    return OperatorSettings.from_env().idle_seconds


@kopf.timer(
    GROUP, VERSION, PLURAL, interval=_resync_interval(), idle=_idle(), initial_delay=_idle()
)
def resync(body: kopf.Body, **_: Any) -> None:
    """Re-apply periodically: repairs drift and follows readiness and health."""
    _reconcile(body, trigger="resync")


@kopf.timer(GROUP, VERSION, PLURAL, interval=_retry_interval(), when=needs_follow_up)
def follow_up(body: kopf.Body, **_: Any) -> None:
    """Look again soon while a migration runs, a rollout progresses or an apply failed."""
    _reconcile(body, trigger="follow-up")


@kopf.on.delete(GROUP, VERSION, PLURAL)
def remove(body: kopf.Body, status: kopf.Status, **_: Any) -> None:
    """Delete the children right away (owner references would let the garbage collector do it later)."""
    ctx = _context(body)
    removed = remove_children(ctx.api, ctx.owner, list(status.get("inventory") or []))
    logger.info("removed %d objects of %s/%s", removed, ctx.owner.namespace, ctx.owner.name)
