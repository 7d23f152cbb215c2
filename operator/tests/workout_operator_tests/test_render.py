"""Rendering the real platform chart with the values the operator maps from a spec."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from workout_operator.credentials import credentials_secret
from workout_operator.migration import is_migration_job
from workout_operator.ownership import Owner
from workout_operator.render import RenderError, render_chart
from workout_operator.spec import parse_spec
from workout_operator.values import chart_values
from workout_testkit.kubernetes_manifests import validate_manifests

REPO = Path(__file__).resolve().parents[3]
CHART = REPO / "charts" / "workout-tracker"
EXAMPLES = REPO / "k8s" / "examples"


def _render(helm: str, spec: dict[str, object]) -> list[dict[str, object]]:
    return render_chart(
        helm=helm,
        chart=CHART,
        release="gym",
        namespace="fit",
        values=chart_values(parse_spec(spec), credentials_secret="gym-credentials"),
    )


def test_rendering_is_deterministic_so_a_resync_changes_nothing(helm: str) -> None:
    spec = yaml.safe_load((EXAMPLES / "workouttracker.yaml").read_text())["spec"]
    assert _render(helm, spec) == _render(helm, spec)


def test_the_migration_job_is_an_ordinary_manifest_and_credentials_come_from_the_operator(
    helm: str,
) -> None:
    manifests = _render(helm, {"version": "1.0.0"})
    assert [m for m in manifests if is_migration_job(m)], "the operator runs the Job itself"
    for manifest in manifests:
        annotations = manifest.get("metadata", {}).get("annotations") or {}  # type: ignore[union-attr]
        assert "helm.sh/hook" not in annotations
    secrets = [m for m in manifests if m["kind"] == "Secret"]
    assert secrets == [], "every generated credential lives in the operator's own Secret"


def test_the_credentials_secret_keeps_existing_values() -> None:
    owner = Owner(name="gym", namespace="fit", uid="u")
    first = credentials_secret(owner, None)
    assert set(first["data"]) >= {"secret-key", "service-account-password", "postgres-password"}
    again = credentials_secret(owner, {"data": first["data"]})
    assert again["data"] == first["data"]
    partial = credentials_secret(owner, {"data": {"secret-key": "a2VlcA=="}})
    assert partial["data"]["secret-key"] == "a2VlcA=="
    assert "ownerReferences" not in first["metadata"], (
        "kept when the resource goes, like the volumes"
    )


@pytest.mark.parametrize("example", sorted(p.name for p in EXAMPLES.glob("*.yaml")))
def test_each_example_renders_to_valid_kubernetes_objects(
    helm: str, example: str, tmp_path: Path
) -> None:
    spec = yaml.safe_load((EXAMPLES / example).read_text())["spec"]
    manifests = _render(helm, spec)
    validate_manifests(manifests, tmp_path)


def test_helm_errors_are_reported_not_raised_raw(helm: str, tmp_path: Path) -> None:
    with pytest.raises(RenderError, match="helm template failed"):
        render_chart(
            helm=helm, chart=tmp_path / "missing", release="gym", namespace="fit", values={}
        )
    with pytest.raises(RenderError, match="helm could not run"):
        render_chart(
            helm=str(tmp_path / "no-helm"), chart=CHART, release="gym", namespace="fit", values={}
        )
