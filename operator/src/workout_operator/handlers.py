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
from workout_operator.ownership import GROUP, PLURAL, VERSION, Owner
from workout_operator.reconcile import Context, Outcome, reconcile
from workout_operator.removal import remove_children
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
# Phases worth looking at again soon rather than at the next resync.
_RETRY_PHASES = {"Migrating"}
_RETRY_ERRORS = {"ApplyFailed"}


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


def _reconcile(body: kopf.Body, patch: kopf.Patch, trigger: str) -> Outcome:
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
        # Re-read the status under the lock: another handler may have just written it.
        current = body.status
        outcome = reconcile(
            ctx, spec=body.spec, status=current, generation=body.meta.get("generation")
        )
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
    patch.status.update(outcome.status)
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


def _resync_interval() -> float:
    return OperatorSettings.from_env().resync_seconds


def _idle() -> float:
    return OperatorSettings.from_env().idle_seconds


@kopf.timer(
    GROUP, VERSION, PLURAL, interval=_resync_interval(), idle=_idle(), initial_delay=_idle()
)
def resync(body: kopf.Body, patch: kopf.Patch, **_: Any) -> None:
    """Re-apply periodically: repairs drift and follows readiness and health."""
    _reconcile(body, patch, trigger="resync")


@kopf.on.delete(GROUP, VERSION, PLURAL)
def remove(body: kopf.Body, status: kopf.Status, **_: Any) -> None:
    """Delete the children right away (owner references would let the garbage collector do it later)."""
    ctx = _context(body)
    removed = remove_children(ctx.api, ctx.owner, list(status.get("inventory") or []))
    logger.info("removed %d objects of %s/%s", removed, ctx.owner.namespace, ctx.owner.name)
