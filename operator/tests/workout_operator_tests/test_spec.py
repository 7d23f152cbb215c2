from __future__ import annotations

import pytest

from workout_operator.spec import InvalidSpecError, cron_problem, parse_spec


def test_an_empty_spec_takes_every_default() -> None:
    spec = parse_spec({})
    assert spec.version == "0.1.0"
    assert spec.database.mode == "InCluster"
    assert spec.ingress.enabled is False
    assert spec.tracing.sampling_ratio == 1.0


def test_camel_case_fields_are_read() -> None:
    spec = parse_spec(
        {
            "components": {"aiCoach": {"replicas": 2}},
            "ai": {"apiKeySecret": {"name": "keys", "key": "anthropic"}},
            "ingress": {"enabled": True, "host": "gym.example.org", "className": "nginx"},
        }
    )
    assert spec.components["aiCoach"].replicas == 2
    assert spec.ai.api_key_secret is not None
    assert spec.ai.api_key_secret.name == "keys"
    assert spec.ingress.class_name == "nginx"


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ({"schedules": {"refresh": {"schedule": "every hour"}}}, "schedules.refresh.schedule"),
        ({"schedules": {"nightly": {"schedule": "0 2 * * *"}}}, "unknown schedules ['nightly']"),
        ({"components": {"db": {"replicas": 1}}}, "unknown components ['db']"),
        ({"components": {"api": {"replicas": -1}}}, "components.api.replicas"),
        ({"database": {"mode": "External"}}, "mode External needs externalSecret"),
        ({"ingress": {"enabled": True}}, "ingress.enabled needs ingress.host"),
        ({"tracing": {"samplingRatio": 2}}, "tracing.samplingRatio"),
        ({"database": {"persistence": {"size": "lots"}}}, "database.persistence.size"),
        (
            {
                "redis": {
                    "mode": "External",
                    "externalSecret": {"name": "r", "key": "url"},
                    "persistence": {"size": "1Gi"},
                }
            },
            "persistence is for mode InCluster",
        ),
        ({"trustedProxies": ["10.0.0.1/8"]}, "trustedProxies: 10.0.0.1/8 has host bits set"),
        ({"version": "1.0 beta"}, "version"),
        ({"colour": "blue"}, "colour"),
    ],
)
def test_invalid_specs_say_what_is_wrong(raw: dict[str, object], expected: str) -> None:
    with pytest.raises(InvalidSpecError) as caught:
        parse_spec(raw)
    assert expected in str(caught.value)


@pytest.mark.parametrize(
    "expression",
    ["0 * * * *", "*/15 * * * *", "0 6 * * 1-5", "0 2 * * SUN", "0 0 1 JAN *", "@daily"],
)
def test_cron_schedules_that_are_fine(expression: str) -> None:
    assert cron_problem(expression) is None


@pytest.mark.parametrize(
    ("expression", "problem"),
    [
        ("* * * *", "has 4 fields"),
        ("61 * * * *", "61 is outside 0-59"),
        ("0 24 * * *", "24 is outside 0-23"),
        ("0 * * * mon-", "is not a cron field"),
    ],
)
def test_cron_schedules_that_are_not(expression: str, problem: str) -> None:
    found = cron_problem(expression)
    assert found is not None
    assert problem in found
