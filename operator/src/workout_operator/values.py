"""Map a ``WorkoutTracker`` spec onto the values of the ``workout-tracker`` chart."""

from __future__ import annotations

from typing import Any

from workout_operator.credentials import credential_values
from workout_operator.spec import WorkoutTrackerSpec


def chart_values(
    spec: WorkoutTrackerSpec, *, credentials_secret: str | None = None
) -> dict[str, Any]:
    """The chart values that realise ``spec``.

    Only what the spec sets is passed, so every other chart default stays in force. The
    migration Job is rendered as an ordinary manifest (``runAsHook: false``) because the
    operator runs it itself before rolling the Deployments. ``credentials_secret`` names the Secret
    holding the generated credentials, which must not change from one render to the next.
    """
    values: dict[str, Any] = {
        "image": {
            "registry": spec.image.registry,
            "pullPolicy": spec.image.pull_policy,
            "tag": spec.version,
        },
        "migrations": {"runAsHook": False},
    }
    if spec.image_pull_secrets:
        values["imagePullSecrets"] = [{"name": name} for name in spec.image_pull_secrets]
    for component, settings in spec.components.items():
        entry: dict[str, Any] = {}
        if settings.enabled is not None:
            entry["enabled"] = settings.enabled
        if settings.replicas is not None:
            entry["replicaCount"] = settings.replicas
        if settings.resources is not None:
            entry["resources"] = settings.resources
        if settings.node_selector is not None:
            entry["nodeSelector"] = settings.node_selector
        if settings.tolerations is not None:
            entry["tolerations"] = settings.tolerations
        if settings.autoscaling is not None:
            entry["autoscaling"] = {
                "enabled": True,
                "minReplicas": settings.autoscaling.min_replicas,
                "maxReplicas": settings.autoscaling.max_replicas,
                "targetCPU": settings.autoscaling.target_cpu,
            }
        if entry:
            values[component] = entry

    coach = values.setdefault("aiCoach", {})
    coach["model"] = spec.ai.model
    if spec.ai.api_key_secret is not None:
        coach["apiKey"] = {
            "existingSecret": spec.ai.api_key_secret.name,
            "key": spec.ai.api_key_secret.key,
        }

    cron_jobs: dict[str, Any] = {}
    for task, schedule in spec.schedules.items():
        cron_jobs[task] = {"suspend": schedule.suspend}
        if schedule.schedule is not None:
            cron_jobs[task]["schedule"] = schedule.schedule
    if cron_jobs:
        values["cronJobs"] = cron_jobs

    values["postgresql"] = {"enabled": spec.database.mode == "InCluster"}
    if spec.database.mode == "External" and spec.database.external_secret is not None:
        values["externalDatabase"] = {
            "existingSecret": spec.database.external_secret.name,
            "existingSecretKey": spec.database.external_secret.key,
        }
    values["redis"] = {"enabled": spec.redis.mode == "InCluster"}
    if spec.redis.mode == "External" and spec.redis.external_secret is not None:
        values["externalRedis"] = {
            "existingSecret": spec.redis.external_secret.name,
            "existingSecretKey": spec.redis.external_secret.key,
        }
    for key, store in (("postgresql", spec.database), ("redis", spec.redis)):
        if store.persistence is not None:
            values[key]["persistence"] = {
                name: value
                for name, value in (
                    ("size", store.persistence.size),
                    ("storageClass", store.persistence.storage_class),
                )
                if value is not None
            }

    if credentials_secret:
        for key, entry in credential_values(credentials_secret).items():
            values[key] = {**values.get(key, {}), **entry}
    if spec.rate_limits:
        values["rateLimits"] = {name: str(value) for name, value in spec.rate_limits.items()}

    ingress = spec.ingress
    values["ingress"] = {
        "enabled": ingress.enabled,
        "host": ingress.host,
        "className": ingress.class_name,
        "tls": {"enabled": ingress.tls.enabled, "secretName": ingress.tls.secret_name},
        "annotations": dict(ingress.annotations),
    }
    values["monitoring"] = {
        "serviceMonitor": {"enabled": spec.monitoring.service_monitor},
        "dashboards": {"enabled": spec.monitoring.dashboards},
        "prometheusRule": {"enabled": spec.monitoring.prometheus_rule},
    }
    values["tracing"] = {
        "otlpEndpoint": spec.tracing.otlp_endpoint,
        "samplingRatio": spec.tracing.sampling_ratio,
    }
    if spec.backup is not None:
        values["backup"] = {
            "enabled": True,
            "schedule": spec.backup.schedule,
            "retention": spec.backup.retention,
            "beforeUpgrade": True,
            "persistence": {
                "size": spec.backup.size,
                "storageClass": spec.backup.storage_class,
            },
        }
    if spec.trusted_proxies is not None:
        values["trustedProxies"] = list(spec.trusted_proxies)
    return values
