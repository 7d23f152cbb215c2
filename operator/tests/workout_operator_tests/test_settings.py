from __future__ import annotations

from pathlib import Path

import pytest
from pydantic import ValidationError

from workout_operator.settings import OperatorSettings


def test_the_operator_reads_its_variables(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("HELM_BINARY", "/opt/helm/bin/helm")
    monkeypatch.setenv("WORKOUT_CHART_PATH", "/charts/workout-tracker")
    monkeypatch.setenv("WORKOUT_OPERATOR_RESYNC_SECONDS", "120")
    monkeypatch.setenv("WORKOUT_OPERATOR_HEALTH_CHECKS", "false")
    monkeypatch.setenv("WORKOUT_OPERATOR_PEERING", "workout-operator")
    settings = OperatorSettings.from_env()
    assert settings.helm_binary == "/opt/helm/bin/helm"
    assert settings.chart_path == Path("/charts/workout-tracker")
    assert settings.resync_seconds == 120
    assert settings.health_checks is False
    assert settings.peering == "workout-operator"
    assert settings.port == 8080  # unset: the default


@pytest.mark.parametrize(
    ("variable", "value"),
    [("WORKOUT_OPERATOR_PORT", "eighty"), ("WORKOUT_OPERATOR_RESYNC_SECONDS", "0")],
)
def test_a_bad_value_stops_the_operator_naming_the_variable(
    monkeypatch: pytest.MonkeyPatch, variable: str, value: str
) -> None:
    monkeypatch.setenv(variable, value)
    with pytest.raises(ValidationError, match=variable):
        OperatorSettings.from_env()
