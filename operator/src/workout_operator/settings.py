"""Operator configuration, read once at start-up from environment variables."""

from __future__ import annotations

import shutil
from pathlib import Path

from pydantic import Field
from pydantic_settings import SettingsConfigDict

from workout_common.settings_base import ServiceSettings

DEFAULT_HEALTH_URL = "http://{service}.{namespace}.svc:{port}{path}"


def _helm_on_path() -> str:
    return shutil.which("helm") or "helm"


class OperatorSettings(ServiceSettings):
    """Where helm and the chart are, and how often the operator looks again.

    ``POD_ID`` (this replica's peering identity) and ``WORKOUT_OPERATOR_PRIORITY`` are read
    by the command line (``cli.py``) for the peering set-up.
    """

    model_config = SettingsConfigDict(frozen=True)

    helm_binary: str = Field(default_factory=_helm_on_path, alias="HELM_BINARY")
    chart_path: Path = Field(Path("/app/charts/workout-tracker"), alias="WORKOUT_CHART_PATH")
    # The drift-repairing re-apply, the quiet time after a change before it runs, and the
    # delay before looking at a running migration again.
    resync_seconds: float = Field(60.0, gt=0, alias="WORKOUT_OPERATOR_RESYNC_SECONDS")
    idle_seconds: float = Field(5.0, ge=0, alias="WORKOUT_OPERATOR_IDLE_SECONDS")
    retry_seconds: float = Field(10.0, gt=0, alias="WORKOUT_OPERATOR_RETRY_SECONDS")
    # Probe each service's /health; the URL template has service/namespace/port/path fields.
    health_checks: bool = Field(True, alias="WORKOUT_OPERATOR_HEALTH_CHECKS")
    health_url: str = Field(DEFAULT_HEALTH_URL, alias="WORKOUT_OPERATOR_HEALTH_URL")
    health_timeout: float = Field(2.0, gt=0, alias="WORKOUT_OPERATOR_HEALTH_TIMEOUT")
    # /healthz and /metrics.
    port: int = Field(8080, ge=0, le=65535, alias="WORKOUT_OPERATOR_PORT")
    # Wait after a change of an owned object before reconciling: a burst costs one.
    debounce_seconds: float = Field(1.0, ge=0, alias="WORKOUT_OPERATOR_DEBOUNCE_SECONDS")
    # kopf peering name, empty for standalone; seconds a silent peer counts as alive.
    peering: str = Field("", alias="WORKOUT_OPERATOR_PEERING")
    peering_lifetime: float = Field(60.0, gt=0, alias="WORKOUT_OPERATOR_PEERING_LIFETIME")

    @classmethod
    def from_env(cls) -> OperatorSettings:
        return cls()
