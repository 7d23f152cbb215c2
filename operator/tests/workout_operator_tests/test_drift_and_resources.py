from __future__ import annotations

from workout_operator.drift import carries
from workout_operator.ownership import Owner, adopt
from workout_operator.resources import ResourceKind


def test_a_live_object_with_server_additions_carries_the_desired_fields() -> None:
    desired = {"spec": {"replicas": 2, "template": {"spec": {"containers": [{"name": "api"}]}}}}
    live = {
        "metadata": {"resourceVersion": "7"},
        "spec": {
            "replicas": 2,
            "strategy": {},
            "template": {"spec": {"containers": [{"name": "api", "imagePullPolicy": "Always"}]}},
        },
        "status": {"readyReplicas": 2},
    }
    assert carries(live, desired)


def test_changed_missing_or_reordered_fields_do_not() -> None:
    desired = {"spec": {"replicas": 2, "suspend": False, "ports": [{"port": 1}, {"port": 2}]}}
    assert not carries(
        {"spec": {"replicas": 3, "suspend": False, "ports": [{"port": 1}, {"port": 2}]}}, desired
    )
    assert not carries({"spec": {"replicas": 2, "ports": [{"port": 1}, {"port": 2}]}}, desired)
    assert not carries(
        {"spec": {"replicas": 2, "suspend": 0, "ports": [{"port": 1}, {"port": 2}]}}, desired
    )
    assert not carries(
        {"spec": {"replicas": 2, "suspend": False, "ports": [{"port": 2}, {"port": 1}]}}, desired
    )


def test_api_paths() -> None:
    deployment = ResourceKind("apps/v1", "Deployment")
    assert (
        deployment.path(namespace="fit", name="api")
        == "/apis/apps/v1/namespaces/fit/deployments/api"
    )
    assert ResourceKind("v1", "Service").path(namespace="fit") == "/api/v1/namespaces/fit/services"
    assert ResourceKind("networking.k8s.io/v1", "Ingress").plural == "ingresses"
    assert ResourceKind("networking.k8s.io/v1", "NetworkPolicy").plural == "networkpolicies"
    assert (
        ResourceKind("autoscaling/v2", "HorizontalPodAutoscaler").plural
        == "horizontalpodautoscalers"
    )
    assert ResourceKind.parse(str(deployment)) == deployment


def test_adopted_children_carry_the_owner() -> None:
    owner = Owner(name="gym", namespace="fit", uid="u-1")
    child = adopt({"apiVersion": "v1", "kind": "ConfigMap", "metadata": {"name": "c"}}, owner)
    assert child["metadata"]["namespace"] == "fit"
    assert child["metadata"]["labels"]["workout-tracker.dev/owner"] == "fit.gym"
    assert child["metadata"]["ownerReferences"][0]["uid"] == "u-1"
    long_owner = Owner(name="g" * 63, namespace="n" * 63, uid="u")
    assert len(long_owner.label_value) <= 63
