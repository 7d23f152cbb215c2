"""The ``WorkoutTracker`` spec as typed models, with the checks the CRD schema cannot express."""

from __future__ import annotations

import ipaddress
import re
from collections.abc import Mapping
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator
from pydantic.alias_generators import to_camel

COMPONENTS = ("api", "aiCoach", "worker", "frontend", "mcp")
TASKS = ("refresh", "warmup", "cleanup")

_CRON_FIELD = re.compile(r"^(\*|\d+(-\d+)?)(/\d+)?(,(\*|\d+(-\d+)?)(/\d+)?)*$")
_CRON_NAMED = re.compile(r"^[A-Za-z]{3}(-[A-Za-z]{3})?(,[A-Za-z]{3}(-[A-Za-z]{3})?)*$")
_CRON_RANGES = ((0, 59), (0, 23), (1, 31), (1, 12), (0, 7))
_QUANTITY = r"^[0-9]+(\.[0-9]+)?(k|M|G|T|P|E|Ki|Mi|Gi|Ti|Pi|Ei)?$"
_CRON_MACROS = {"@yearly", "@annually", "@monthly", "@weekly", "@daily", "@midnight", "@hourly"}


class InvalidSpecError(ValueError):
    """The resource asks for something the operator cannot build; the message says what."""


def cron_problem(expression: str) -> str | None:
    """Why ``expression`` is not a five-field cron schedule, or ``None`` when it is one."""
    text = expression.strip()
    if text in _CRON_MACROS:
        return None
    fields = text.split()
    if len(fields) != 5:
        return f"{expression!r} has {len(fields)} fields, a cron schedule has 5"
    for position, (field, (low, high)) in enumerate(zip(fields, _CRON_RANGES, strict=True)):
        if position >= 3 and _CRON_NAMED.match(field):  # JAN-DEC, SUN-SAT
            continue
        if not _CRON_FIELD.match(field):
            return f"{expression!r}: field {field!r} is not a cron field"
        for number in re.findall(r"\d+", re.sub(r"/\d+", "", field)):
            if not low <= int(number) <= high:
                return f"{expression!r}: {number} is outside {low}-{high}"
    return None


class _Model(BaseModel):
    model_config = ConfigDict(
        alias_generator=to_camel, populate_by_name=True, extra="forbid", frozen=True
    )


class SecretRef(_Model):
    name: str = Field(min_length=1)
    key: str = Field(min_length=1)


class AutoscalingSpec(_Model):
    """A HorizontalPodAutoscaler owns the replica count; the operator leaves it alone."""

    min_replicas: int = Field(default=1, ge=1)
    max_replicas: int = Field(default=4, ge=1)
    target_cpu: int = Field(default=75, ge=1, le=100, alias="targetCPU")

    @model_validator(mode="after")
    def _ordered(self) -> AutoscalingSpec:
        if self.max_replicas < self.min_replicas:
            raise ValueError("autoscaling.maxReplicas is below minReplicas")
        return self


class ComponentSpec(_Model):
    enabled: bool | None = None
    # When set, the resource is the authority on the count (``kubectl scale`` is undone); when
    # unset, the chart's count is used at creation and scaling is left to others.
    replicas: int | None = Field(default=None, ge=0)
    autoscaling: AutoscalingSpec | None = None
    resources: dict[str, dict[str, str | int]] | None = None
    node_selector: dict[str, str] | None = None
    tolerations: list[dict[str, Any]] | None = None

    @model_validator(mode="after")
    def _one_scaler(self) -> ComponentSpec:
        if self.replicas is not None and self.autoscaling is not None:
            raise ValueError("set replicas or autoscaling, not both")
        return self


class ImageSpec(_Model):
    registry: str = "ghcr.io/workout-tracker"
    pull_policy: Literal["Always", "IfNotPresent", "Never"] = "IfNotPresent"


class PersistenceSpec(_Model):
    """The data volume of an in-cluster store (fixed once created: grow the claim itself)."""

    size: str | None = Field(default=None, pattern=_QUANTITY)
    storage_class: str | None = None


class StoreSpec(_Model):
    """PostgreSQL or Redis: in the cluster (the chart's own) or external via a Secret."""

    mode: Literal["InCluster", "External"] = "InCluster"
    external_secret: SecretRef | None = None
    persistence: PersistenceSpec | None = None

    @model_validator(mode="after")
    def _external_needs_secret(self) -> StoreSpec:
        if self.mode == "External" and self.external_secret is None:
            raise ValueError("mode External needs externalSecret {name, key}")
        if self.mode == "External" and self.persistence is not None:
            raise ValueError("persistence is for mode InCluster; an external store keeps its own")
        return self


class AiSpec(_Model):
    model: str = "anthropic:claude-3-5-haiku-latest"
    api_key_secret: SecretRef | None = None


class ScheduleSpec(_Model):
    schedule: str | None = None
    suspend: bool = False


class BackupSpec(_Model):
    """PostgreSQL dumps on a schedule and before each version change, kept on a volume."""

    schedule: str = "0 3 * * *"
    retention: int = Field(default=7, ge=1, le=1000)
    size: str = Field(default="5Gi", pattern=_QUANTITY)
    storage_class: str = ""

    @model_validator(mode="after")
    def _valid_schedule(self) -> BackupSpec:
        problem = cron_problem(self.schedule)
        if problem:
            raise ValueError(f"backup.schedule {problem}")
        return self


class TlsSpec(_Model):
    enabled: bool = False
    secret_name: str = ""


class IngressSpec(_Model):
    enabled: bool = False
    host: str = ""
    class_name: str = ""
    tls: TlsSpec = TlsSpec()
    annotations: dict[str, str] = {}

    @model_validator(mode="after")
    def _enabled_needs_host(self) -> IngressSpec:
        if self.enabled and not self.host:
            raise ValueError("ingress.enabled needs ingress.host")
        return self


class MonitoringSpec(_Model):
    service_monitor: bool = False
    dashboards: bool = False
    prometheus_rule: bool = False


class TracingSpec(_Model):
    otlp_endpoint: str = ""
    sampling_ratio: float = Field(default=1.0, ge=0.0, le=1.0)


class WorkoutTrackerSpec(_Model):
    version: str = Field(
        default="0.1.0", min_length=1, pattern=r"^[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}$"
    )
    # Stop every change to the cluster (status still follows what runs).
    paused: bool = False
    image_pull_secrets: list[str] = []
    image: ImageSpec = ImageSpec()
    components: dict[str, ComponentSpec] = {}
    database: StoreSpec = StoreSpec()
    redis: StoreSpec = StoreSpec()
    ai: AiSpec = AiSpec()
    schedules: dict[str, ScheduleSpec] = {}
    rate_limits: dict[str, str | int] = {}
    ingress: IngressSpec = IngressSpec()
    monitoring: MonitoringSpec = MonitoringSpec()
    tracing: TracingSpec = TracingSpec()
    # Absent: no backups.
    backup: BackupSpec | None = None
    # Proxies whose X-Forwarded-For names the client; None keeps the chart's default.
    trusted_proxies: list[str] | None = None

    @model_validator(mode="after")
    def _known_names(self) -> WorkoutTrackerSpec:
        for proxy in self.trusted_proxies or []:
            try:
                ipaddress.ip_network(proxy)
            except ValueError as exc:
                raise ValueError(f"trustedProxies: {exc}") from None
        unknown = sorted(set(self.components) - set(COMPONENTS))
        if unknown:
            raise ValueError(f"unknown components {unknown}; known: {list(COMPONENTS)}")
        unknown = sorted(set(self.schedules) - set(TASKS))
        if unknown:
            raise ValueError(f"unknown schedules {unknown}; known: {list(TASKS)}")
        for task, entry in self.schedules.items():
            problem = entry.schedule is not None and cron_problem(entry.schedule)
            if problem:
                raise ValueError(f"schedules.{task}.schedule {problem}")
        return self


def parse_spec(raw: Mapping[str, Any] | None) -> WorkoutTrackerSpec:
    """Validate a resource's ``spec``; every problem becomes one readable ``InvalidSpecError``."""
    try:
        return WorkoutTrackerSpec.model_validate(dict(raw or {}))
    except ValidationError as exc:
        problems = []
        for error in exc.errors():
            where = ".".join(str(part) for part in error["loc"])
            message = error["msg"].removeprefix("Value error, ")
            problems.append(f"{where}: {message}" if where else message)
        raise InvalidSpecError("; ".join(problems)) from exc
