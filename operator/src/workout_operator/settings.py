"""Operator configuration, read once at start-up from environment variables."""

from __future__ import annotations

import os
import shutil
from dataclasses import dataclass
from pathlib import Path

DEFAULT_HEALTH_URL = "http://{service}.{namespace}.svc:{port}{path}"


def _env_bool(name: str, default: bool) -> bool:
    raw = os.environ.get(name)
    if raw is None or raw == "":
        return default
    return raw.strip().lower() in {"1", "true", "yes", "on"}


def _env_float(name: str, default: float) -> float:
    raw = os.environ.get(name)
    return float(raw) if raw else default


@dataclass(frozen=True)
class OperatorSettings:
    """Where helm and the chart are, and how often the operator looks again.

    Environment variables:
      HELM_BINARY                         helm executable (default ``helm`` on PATH)
      WORKOUT_CHART_PATH                  the ``workout-tracker`` chart directory
      WORKOUT_OPERATOR_RESYNC_SECONDS     interval of the drift-repairing re-apply (60)
      WORKOUT_OPERATOR_IDLE_SECONDS       quiet time after a change before the timer runs (5)
      WORKOUT_OPERATOR_RETRY_SECONDS      delay before looking at a running migration again (10)
      WORKOUT_OPERATOR_HEALTH_CHECKS      probe each service's /health (true)
      WORKOUT_OPERATOR_HEALTH_URL         URL template, fields service/namespace/port/path
      WORKOUT_OPERATOR_HEALTH_TIMEOUT     seconds per /health probe (2)
      WORKOUT_OPERATOR_PORT               port of /healthz and /metrics (8080)
      WORKOUT_OPERATOR_DEBOUNCE_SECONDS   wait after a change of an owned object before
                                          reconciling, so that a burst costs one (1)
      WORKOUT_OPERATOR_PEERING            kopf peering name, empty for standalone
      WORKOUT_OPERATOR_PEERING_LIFETIME   seconds a silent peer counts as alive (60)
      WORKOUT_OPERATOR_PRIORITY           peering priority; default derived from POD_ID
      POD_ID                              this replica's peering identity (the pod name)
    """

    helm_binary: str = "helm"
    chart_path: Path = Path("/app/charts/workout-tracker")
    resync_seconds: float = 60.0
    idle_seconds: float = 5.0
    retry_seconds: float = 10.0
    health_checks: bool = True
    health_url: str = DEFAULT_HEALTH_URL
    health_timeout: float = 2.0
    port: int = 8080
    debounce_seconds: float = 1.0
    peering: str = ""
    peering_lifetime: float = 60.0

    @classmethod
    def from_env(cls) -> OperatorSettings:
        helm = os.environ.get("HELM_BINARY") or shutil.which("helm") or "helm"
        return cls(
            helm_binary=helm,
            chart_path=Path(os.environ.get("WORKOUT_CHART_PATH", str(cls.chart_path))),
            resync_seconds=_env_float("WORKOUT_OPERATOR_RESYNC_SECONDS", cls.resync_seconds),
            idle_seconds=_env_float("WORKOUT_OPERATOR_IDLE_SECONDS", cls.idle_seconds),
            retry_seconds=_env_float("WORKOUT_OPERATOR_RETRY_SECONDS", cls.retry_seconds),
            health_checks=_env_bool("WORKOUT_OPERATOR_HEALTH_CHECKS", cls.health_checks),
            health_url=os.environ.get("WORKOUT_OPERATOR_HEALTH_URL") or DEFAULT_HEALTH_URL,
            health_timeout=_env_float("WORKOUT_OPERATOR_HEALTH_TIMEOUT", cls.health_timeout),
            port=int(os.environ.get("WORKOUT_OPERATOR_PORT", str(cls.port))),
            debounce_seconds=_env_float("WORKOUT_OPERATOR_DEBOUNCE_SECONDS", cls.debounce_seconds),
            peering=os.environ.get("WORKOUT_OPERATOR_PEERING", ""),
            peering_lifetime=_env_float("WORKOUT_OPERATOR_PEERING_LIFETIME", cls.peering_lifetime),
        )
