"""Every container runs as non-root on a read-only root filesystem, with resource limits."""

from __future__ import annotations

from typing import Any

import pytest

from tests.charts.conftest import VALUE_SETS, Manifest, Render, pod_spec, workloads


def _containers(spec: dict[str, Any]) -> list[dict[str, Any]]:
    return [*spec.get("initContainers", []), *spec["containers"]]


def _effective(pod: dict[str, Any], container: dict[str, Any], key: str) -> Any:
    container_value = container.get("securityContext", {}).get(key)
    return (
        container_value if container_value is not None else pod.get("securityContext", {}).get(key)
    )


def _name(manifest: Manifest, container: dict[str, Any]) -> str:
    return f"{manifest['kind']}/{manifest['metadata']['name']}:{container['name']}"


@pytest.mark.parametrize("name", sorted(VALUE_SETS))
def test_every_container_is_locked_down(render: Render, name: str) -> None:
    manifests = render(VALUE_SETS[name] | {"mcp": {"enabled": True}})
    checked = 0
    for manifest in workloads(manifests):
        spec = pod_spec(manifest)
        assert spec.get("automountServiceAccountToken") is False, manifest["metadata"]["name"]
        for container in _containers(spec):
            where = _name(manifest, container)
            context = container["securityContext"]
            assert _effective(spec, container, "runAsNonRoot") is True, where
            user = _effective(spec, container, "runAsUser")
            assert isinstance(user, int), f"{where}: no numeric runAsUser"
            assert user > 0, where
            assert context["allowPrivilegeEscalation"] is False, where
            assert context["readOnlyRootFilesystem"] is True, where
            assert context["capabilities"]["drop"] == ["ALL"], where
            assert not context.get("privileged", False), where
            assert spec["securityContext"]["seccompProfile"]["type"] == "RuntimeDefault", where
            limits = container["resources"]["limits"]
            assert {"cpu", "memory"} <= set(limits), f"{where}: limits {limits}"
            assert {"cpu", "memory"} <= set(container["resources"]["requests"]), where
            checked += 1
    assert checked >= 9


def test_component_security_context_merges_over_the_defaults(render: Render) -> None:
    manifests = render({"api": {"securityContext": {"runAsUser": 20000}}})
    api = next(
        m for m in manifests if m["kind"] == "Deployment" and m["metadata"]["name"].endswith("-api")
    )
    context = pod_spec(api)["containers"][0]["securityContext"]
    assert context["runAsUser"] == 20000
    assert context["readOnlyRootFilesystem"] is True


def test_python_containers_get_a_writable_tmp(render: Render) -> None:
    for manifest in workloads(render()):
        spec = pod_spec(manifest)
        for container in spec["containers"]:
            if container["name"] in {"postgresql", "redis", "health"}:
                continue
            mounts = {m["mountPath"] for m in container.get("volumeMounts", [])}
            assert "/tmp" in mounts, _name(manifest, container)


def test_standard_labels_on_every_object(render: Render) -> None:
    for manifest in render(VALUE_SETS["production"]):
        labels = manifest["metadata"]["labels"]
        for key in (
            "app.kubernetes.io/name",
            "app.kubernetes.io/instance",
            "app.kubernetes.io/version",
            "app.kubernetes.io/managed-by",
            "app.kubernetes.io/part-of",
            "helm.sh/chart",
        ):
            assert key in labels, f"{manifest['kind']}/{manifest['metadata']['name']} lacks {key}"
