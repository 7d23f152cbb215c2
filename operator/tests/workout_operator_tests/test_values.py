from __future__ import annotations

from workout_operator.spec import parse_spec
from workout_operator.values import chart_values


def test_minimal_spec_maps_to_in_cluster_stores_and_operator_run_migrations() -> None:
    values = chart_values(parse_spec({"version": "1.2.3"}), credentials_secret="gym-credentials")
    assert values["image"]["tag"] == "1.2.3"
    assert values["migrations"] == {"runAsHook": False}
    assert values["postgresql"] == {"enabled": True, "existingSecret": "gym-credentials"}
    assert values["redis"] == {"enabled": True, "existingSecret": "gym-credentials"}
    assert values["auth"]["existingSecret"] == "gym-credentials"
    assert values["auth"]["initialAdmin"]["existingSecret"] == "gym-credentials"
    assert values["ingress"]["enabled"] is False
    assert "api" not in values, "unset component settings keep the chart's defaults"
    assert "cronJobs" not in values
    assert "trustedProxies" not in values


def test_complete_spec_maps_every_field() -> None:
    spec = parse_spec(
        {
            "components": {
                "api": {"replicas": 3, "resources": {"limits": {"cpu": "2"}}},
                "mcp": {"enabled": True},
            },
            "database": {"mode": "External", "externalSecret": {"name": "db", "key": "url"}},
            "redis": {"mode": "External", "externalSecret": {"name": "rd", "key": "url"}},
            "ai": {"model": "openai:gpt-4o", "apiKeySecret": {"name": "keys", "key": "k"}},
            "schedules": {"refresh": {"schedule": "*/5 * * * *"}, "cleanup": {"suspend": True}},
            "rateLimits": {"readUser": "10/minute"},
            "ingress": {
                "enabled": True,
                "host": "gym.example.org",
                "className": "nginx",
                "tls": {"enabled": True, "secretName": "tls"},
            },
            "monitoring": {"serviceMonitor": True, "dashboards": True},
            "tracing": {"otlpEndpoint": "http://otel:4318", "samplingRatio": 0.1},
            "trustedProxies": ["10.42.0.0/16"],
        }
    )
    values = chart_values(spec)
    assert values["api"] == {"replicaCount": 3, "resources": {"limits": {"cpu": "2"}}}
    assert values["mcp"] == {"enabled": True}
    assert values["postgresql"] == {"enabled": False}
    assert values["externalDatabase"] == {"existingSecret": "db", "existingSecretKey": "url"}
    assert values["externalRedis"] == {"existingSecret": "rd", "existingSecretKey": "url"}
    assert values["aiCoach"] == {
        "model": "openai:gpt-4o",
        "apiKey": {"existingSecret": "keys", "key": "k"},
    }
    assert values["cronJobs"] == {
        "refresh": {"schedule": "*/5 * * * *", "suspend": False},
        "cleanup": {"suspend": True},
    }
    assert values["rateLimits"] == {"readUser": "10/minute"}
    assert values["ingress"] == {
        "enabled": True,
        "host": "gym.example.org",
        "className": "nginx",
        "tls": {"enabled": True, "secretName": "tls"},
        "annotations": {},
    }
    assert values["monitoring"]["serviceMonitor"] == {"enabled": True}
    assert values["monitoring"]["prometheusRule"] == {"enabled": False}
    assert values["tracing"] == {"otlpEndpoint": "http://otel:4318", "samplingRatio": 0.1}


def test_in_cluster_stores_take_their_volume_size_and_class() -> None:
    spec = parse_spec(
        {
            "database": {"persistence": {"size": "50Gi", "storageClass": "fast-ssd"}},
            "redis": {"persistence": {"size": "2Gi"}},
        }
    )
    values = chart_values(spec)
    assert values["postgresql"]["persistence"] == {"size": "50Gi", "storageClass": "fast-ssd"}
    assert values["redis"]["persistence"] == {"size": "2Gi"}
    assert "persistence" not in chart_values(parse_spec({}))["postgresql"]
