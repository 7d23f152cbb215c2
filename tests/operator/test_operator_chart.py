"""The operator's chart: lint, valid manifests, least privilege, the CRD, the examples."""

from __future__ import annotations

import subprocess
from pathlib import Path
from typing import Any

import jsonschema  # type: ignore[import-untyped]
import pytest
import yaml

from tests.operator.conftest import CHART, REPO, helm_binary
from workout_operator.handlers import WATCHED_KINDS
from workout_operator.render import render_chart
from workout_operator.resources import ResourceKind
from workout_operator.spec import parse_spec
from workout_operator.values import chart_values
from workout_testkit.kubernetes_manifests import validate_manifests

OPERATOR_CHART = REPO / "charts" / "workout-tracker-operator"
CRDS = REPO / "k8s" / "crds"
EXAMPLES = REPO / "k8s" / "examples"


@pytest.fixture
def helm(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> str:
    for variable in ("HELM_CACHE_HOME", "HELM_CONFIG_HOME", "HELM_DATA_HOME"):
        monkeypatch.setenv(variable, str(tmp_path / "helm"))
    return helm_binary()


def template(helm: str, *args: str) -> list[dict[str, Any]]:
    result = subprocess.run(
        [helm, "template", "ops", str(OPERATOR_CHART), "--namespace", "ops", *args],
        capture_output=True,
        text=True,
        check=True,
    )
    return [d for d in yaml.safe_load_all(result.stdout) if d]


def validate(manifests: list[dict[str, Any]], tmp_path: Path) -> None:
    validate_manifests(manifests, tmp_path)


def test_lint_strict(helm: str) -> None:
    result = subprocess.run(
        [helm, "lint", "--strict", str(OPERATOR_CHART)], capture_output=True, text=True, check=False
    )
    assert result.returncode == 0, result.stdout + result.stderr


@pytest.mark.parametrize(
    "args",
    [
        (),
        (
            "--include-crds",
            "--set",
            "replicaCount=2",
            "--set",
            "metrics.serviceMonitor.enabled=true",
        ),
    ],
)
def test_rendered_manifests_are_valid(helm: str, tmp_path: Path, args: tuple[str, ...]) -> None:
    validate(template(helm, *args), tmp_path)


def test_the_operator_pod_is_locked_down_and_probed(helm: str) -> None:
    [deployment] = [m for m in template(helm) if m["kind"] == "Deployment"]
    pod = deployment["spec"]["template"]["spec"]
    assert pod["securityContext"]["runAsNonRoot"] is True
    [container] = pod["containers"]
    assert container["securityContext"]["readOnlyRootFilesystem"] is True
    assert container["securityContext"]["allowPrivilegeEscalation"] is False
    assert container["livenessProbe"]["httpGet"] == {"path": "/healthz", "port": "http-metrics"}
    assert container["ports"][0]["containerPort"] == 8080
    assert {"name": "tmp", "mountPath": "/tmp"} in container["volumeMounts"]
    env = {e["name"]: e.get("value") for e in container["env"]}
    assert env["WORKOUT_OPERATOR_PEERING"] == ""


def test_several_replicas_peer(helm: str) -> None:
    manifests = template(helm, "--set", "replicaCount=2")
    [deployment] = [m for m in manifests if m["kind"] == "Deployment"]
    env = {
        e["name"]: e.get("value")
        for e in deployment["spec"]["template"]["spec"]["containers"][0]["env"]
    }
    assert env["WORKOUT_OPERATOR_PEERING"] == "workout-operator"
    # Each replica's priority derives from its pod name: equal priorities freeze every replica.
    [pod_id] = [
        e
        for e in deployment["spec"]["template"]["spec"]["containers"][0]["env"]
        if e["name"] == "POD_ID"
    ]
    assert pod_id["valueFrom"] == {"fieldRef": {"fieldPath": "metadata.name"}}
    probe = deployment["spec"]["template"]["spec"]["containers"][0]["readinessProbe"]
    assert probe["httpGet"]["path"] == "/readyz"
    [peering] = [m for m in manifests if m["kind"] == "ClusterKopfPeering"]
    assert peering["metadata"]["name"] == "workout-operator"


def test_the_chart_ships_the_same_crds_as_k8s_crds() -> None:
    shipped = {p.name: p.read_text() for p in (OPERATOR_CHART / "crds").glob("*.yaml")}
    source = {p.name: p.read_text() for p in CRDS.glob("*.yaml")}
    assert shipped == source
    assert "workouttrackers.workout-tracker.dev.yaml" in shipped


def _rules(helm: str) -> list[dict[str, Any]]:
    [role] = [m for m in template(helm) if m["kind"] == "ClusterRole"]
    return list(role["rules"])


def _allowed(rules: list[dict[str, Any]], group: str, resource: str, verb: str) -> bool:
    return any(
        group in rule["apiGroups"] and resource in rule["resources"] and verb in rule["verbs"]
        for rule in rules
    )


def test_rbac_covers_every_kind_the_platform_chart_renders_and_no_more(helm: str) -> None:
    rules = _rules(helm)
    spec = yaml.safe_load((EXAMPLES / "workouttracker-complete.yaml").read_text())["spec"]
    manifests = render_chart(
        helm=helm,
        chart=CHART,
        release="gym",
        namespace="fit",
        values=chart_values(parse_spec(spec), credentials_secret="gym-credentials"),
        api_versions=("monitoring.coreos.com/v1",),
    )
    kinds = {ResourceKind.of(m) for m in manifests}
    assert ResourceKind("v1", "Secret") not in kinds, "the operator's credentials are its own"
    assert ResourceKind("v1", "PersistentVolumeClaim") in kinds, "the example keeps backups"
    for kind in kinds:
        group = kind.api_version.rpartition("/")[0]
        for verb in ("list", "create", "patch", "delete"):
            if (kind.plural, verb) == ("persistentvolumeclaims", "delete"):
                continue  # the dumps' volume outlives the platform: never pruned
            assert _allowed(rules, group, kind.plural, verb), (kind, verb)
    assert _allowed(rules, "workout-tracker.dev", "workouttrackers/status", "patch")
    assert _allowed(rules, "", "events", "create")
    granted = {
        (group, resource): set(rule["verbs"])
        for rule in rules
        for group in rule["apiGroups"]
        for resource in rule["resources"]
    }
    # Secrets are read and applied (the credentials), never listed, watched or deleted.
    assert granted[("", "secrets")] == {"get", "create", "patch"}
    assert granted[("", "pods")] == {"list"}, "pods are only read, for their failure reasons"
    assert granted[("", "persistentvolumeclaims")] == {"list", "create", "patch"}
    watched = {(g, p) for g, _v, p in WATCHED_KINDS}
    for (group, resource), verbs in granted.items():
        assert "update" not in verbs, f"every write is a patch: {resource}"
        assert "*" not in verbs
        assert resource != "*"
        assert resource not in {"roles", "rolebindings", "clusterroles"}
        if "watch" in verbs and group not in {"workout-tracker.dev", "apiextensions.k8s.io"}:
            assert (group, resource) in watched, f"{resource} is watched by nothing"
    for group, resource in watched:
        assert "watch" in granted[(group, resource)], resource


def _crd_schema() -> dict[str, Any]:
    crd = yaml.safe_load((CRDS / "workouttrackers.workout-tracker.dev.yaml").read_text())
    [version] = crd["spec"]["versions"]
    return dict(version["schema"]["openAPIV3Schema"])


@pytest.mark.parametrize("example", sorted(p.name for p in EXAMPLES.glob("*.yaml")))
def test_examples_fit_the_crd_schema_and_the_operator(example: str) -> None:
    resource = yaml.safe_load((EXAMPLES / example).read_text())
    assert resource["apiVersion"] == "workout-tracker.dev/v1alpha1"
    assert resource["kind"] == "WorkoutTracker"
    jsonschema.validate(resource, _crd_schema())
    parse_spec(resource["spec"])


def test_the_crd_schema_refuses_what_the_operator_refuses() -> None:
    schema = _crd_schema()
    for spec in (
        {"components": {"api": {"replicas": -1}}},
        {"tracing": {"samplingRatio": 3}},
        {"trustedProxies": ["ingress-nginx"]},
        {"database": {"persistence": {"size": "lots"}}},
        {"image": {"pullPolicy": "Sometimes"}},
        {"version": "bad version"},
    ):
        with pytest.raises(jsonschema.ValidationError):
            jsonschema.validate({"spec": spec}, schema)


def test_the_crd_is_a_valid_definition_with_status_and_printer_columns(tmp_path: Path) -> None:
    crd = yaml.safe_load((CRDS / "workouttrackers.workout-tracker.dev.yaml").read_text())
    validate([crd], tmp_path)
    [version] = crd["spec"]["versions"]
    assert version["subresources"] == {"status": {}}
    columns = [c["name"] for c in version["additionalPrinterColumns"]]
    assert columns == ["Phase", "Ready", "Version", "Age"]
    assert crd["spec"]["names"]["shortNames"] == ["wt"]


def test_a_namespace_scoped_install_grants_rights_in_that_namespace_only(
    helm: str, tmp_path: Path
) -> None:
    manifests = template(helm, "--set", "watchNamespace=gym", "--set", "replicaCount=2")
    validate(manifests, tmp_path)
    [role] = [m for m in manifests if m["kind"] == "Role"]
    [binding] = [m for m in manifests if m["kind"] == "RoleBinding"]
    assert role["metadata"]["namespace"] == binding["metadata"]["namespace"] == "gym"
    assert _allowed(role["rules"], "apps", "deployments", "patch")
    # Cluster-wide, only the CRDs are read (kopf's discovery).
    [cluster_role] = [m for m in manifests if m["kind"] == "ClusterRole"]
    assert [r["resources"] for r in cluster_role["rules"]] == [["customresourcedefinitions"]]
    assert set(cluster_role["rules"][0]["verbs"]) == {"get", "list", "watch"}
    [deployment] = [m for m in manifests if m["kind"] == "Deployment"]
    assert "--namespace=gym" in deployment["spec"]["template"]["spec"]["containers"][0]["args"]
    [peering] = [m for m in manifests if m["kind"] == "KopfPeering"]
    assert peering["metadata"]["namespace"] == "gym"
