"""values.schema.json turns bad values away, naming the value and what is wrong with it."""

from __future__ import annotations

from typing import Any

import pytest

BAD_VALUES = [
    ({"api": {"replicaCount": "three"}}, "/api/replicaCount", "want integer"),
    ({"api": {"replicaCount": -1}}, "/api/replicaCount", "minimum"),
    (
        {"cronJobs": {"refresh": {"schedule": "hourly", "suspend": False}}},
        "/cronJobs/refresh/schedule",
        "does not match pattern",
    ),
    ({"image": {"pullPolicy": "Sometimes"}}, "/image/pullPolicy", "Always"),
    (
        {"aiCoach": {"resources": {"limits": None}}},
        "/aiCoach/resources",
        "missing property 'limits'",
    ),
    (
        {"worker": {"resources": {"limits": {"memory": "lots"}}}},
        "/worker/resources/limits/memory",
        "",
    ),
    ({"ingress": {"host": "Workout Example"}}, "/ingress/host", "does not match pattern"),
    (
        {"externalDatabase": {"url": "mysql://db/workout"}},
        "/externalDatabase/url",
        "does not match pattern",
    ),
    ({"tracing": {"samplingRatio": 1.5}}, "/tracing/samplingRatio", "maximum"),
    ({"trustedProxies": ["ingress-nginx"]}, "/trustedProxies/0", "does not match pattern"),
    ({"migrations": {"runAsHook": "yes"}}, "/migrations/runAsHook", "want boolean"),
    ({"api": {"extraEnv": {"BAD-NAME": "x"}}}, "/api/extraEnv", "'BAD-NAME' not allowed"),
    ({"api": {"autoscaling": {"minReplicas": 0}}}, "/api/autoscaling/minReplicas", "minimum"),
    (
        {"frontend": {"podDisruptionBudget": {"enabled": True, "maxUnavailable": "half"}}},
        "/frontend/podDisruptionBudget/maxUnavailable",
        "",
    ),
    ({"apiServer": {"enabled": True}}, "apiServer", "not allowed"),
    (
        {"auth": {"existingSecret": "Not_A_Secret"}},
        "/auth/existingSecret",
        "does not match pattern",
    ),
]


@pytest.mark.parametrize(("values", "where", "what"), BAD_VALUES, ids=[w for _, w, _ in BAD_VALUES])
def test_bad_values_are_rejected_with_a_clear_message(
    render_text: Any, values: dict[str, Any], where: str, what: str
) -> None:
    result = render_text(values)
    assert result.returncode != 0, f"{values} was accepted"
    assert "values don't meet the specifications of the schema" in result.stderr
    assert where in result.stderr, result.stderr
    assert what in result.stderr, result.stderr


def test_good_values_of_every_kind_are_accepted(render_text: Any) -> None:
    result = render_text(
        {
            "api": {"resources": {"limits": {"cpu": 2, "memory": "1Gi"}, "requests": {"cpu": 0.5}}},
            "frontend": {"podDisruptionBudget": {"enabled": True, "maxUnavailable": "50%"}},
            "ingress": {"host": "*.workout.example.com"},
            "rateLimits": {"readAnonymous": "30/minute", "WRITE_USER": 20},
            "worker": {"extraEnv": {"WORKER_REFRESH__MAX_RETRIES": 5, "DEBUG": True}},
        }
    )
    assert result.returncode == 0, result.stderr
