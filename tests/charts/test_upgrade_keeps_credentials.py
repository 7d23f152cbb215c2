"""Generated credentials survive upgrades: the chart reads them back with `lookup`."""

from __future__ import annotations

import base64
from pathlib import Path

import yaml

from tests.charts.conftest import (
    CHART,
    NAMESPACE,
    RELEASE,
    KubeApiStub,
    Manifest,
    helm_template,
    run_helm,
    upgrade_against,
)

GENERATED = (
    "secret-key",
    "service-account-password",
    "initial-admin-password",
    "postgres-password",
    "redis-password",
)


def _render_secret(helm: str, kube_api: KubeApiStub, tmp_path: Path) -> Manifest:
    result = helm_template(
        helm, *upgrade_against(kube_api, tmp_path), "--show-only", "templates/secret.yaml"
    )
    assert result.returncode == 0, result.stderr
    secret: Manifest = yaml.safe_load(result.stdout)
    return secret


def test_upgrade_keeps_every_generated_credential(
    helm: str, kube_api: KubeApiStub, tmp_path: Path
) -> None:
    installed = _render_secret(helm, kube_api, tmp_path)
    assert set(installed["data"]) == set(GENERATED)
    kube_api.store_release_secret(installed, RELEASE, NAMESPACE)

    upgraded = _render_secret(helm, kube_api, tmp_path)
    assert upgraded["data"] == installed["data"]


def test_upgrade_adds_new_credentials_and_keeps_the_old_ones(
    helm: str, kube_api: KubeApiStub, tmp_path: Path
) -> None:
    # A release from before the in-chart Redis had a password.
    previous = _render_secret(helm, kube_api, tmp_path)
    del previous["data"]["redis-password"]
    previous["data"]["secret-key"] = base64.b64encode(b"k" * 64).decode()
    kube_api.store_release_secret(previous, RELEASE, NAMESPACE)

    upgraded = _render_secret(helm, kube_api, tmp_path)
    assert base64.b64decode(upgraded["data"]["secret-key"]) == b"k" * 64
    for key in ("service-account-password", "initial-admin-password", "postgres-password"):
        assert upgraded["data"][key] == previous["data"][key]
    assert len(base64.b64decode(upgraded["data"]["redis-password"])) == 40


def test_without_a_cluster_each_render_generates_fresh_credentials(helm: str) -> None:
    """Why the operator hands the chart its own Secret: `helm template` cannot look anything up."""
    first = run_helm(helm, "template", RELEASE, str(CHART), "--show-only", "templates/secret.yaml")
    second = run_helm(helm, "template", RELEASE, str(CHART), "--show-only", "templates/secret.yaml")
    assert (
        yaml.safe_load(first.stdout)["data"]["secret-key"]
        != yaml.safe_load(second.stdout)["data"]["secret-key"]
    )
