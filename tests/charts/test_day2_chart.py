"""Chart behaviour a platform team relies on after install: restarts on rotation, a safe
install under ``--wait``, nothing exposed by default, the operator's image under skaffold."""

from __future__ import annotations

from pathlib import Path

import yaml

from tests.charts.conftest import Render, find, one, pod_spec

ROOT = Path(__file__).resolve().parents[2]


def _checksum(render: Render, values: dict[str, object]) -> str:
    api = one(render(values), "Deployment", "api")
    return str(api["spec"]["template"]["metadata"]["annotations"]["checksum/secret"])


def test_a_rotated_secret_restarts_the_pods(render: Render) -> None:
    # With existing Secrets the operator passes a digest of their data: it reaches every pod.
    assert _checksum(render, {"secretChecksum": "aaa"}) == "aaa"
    assert _checksum(render, {"secretChecksum": "bbb"}) == "bbb"
    for deployment in find(render({"secretChecksum": "aaa"}), "Deployment"):
        annotations = deployment["spec"]["template"]["metadata"]["annotations"]
        assert annotations["checksum/secret"] == "aaa", deployment["metadata"]["name"]

    # Without it, the digest of the Secret the chart renders: the same values give the same
    # digest (no restart on a plain upgrade), a changed URL another one.
    def values(url: str) -> dict[str, object]:
        return {
            "postgresql": {"enabled": False},
            "externalDatabase": {"url": url},
            "redis": {"enabled": False},
            "externalRedis": {"url": "redis://cache:6379/0"},
            "auth": {"existingSecret": "auth", "initialAdmin": {"existingSecret": "admin"}},
        }

    first = _checksum(render, values("postgresql://db/a"))
    assert _checksum(render, values("postgresql://db/a")) == first
    assert _checksum(render, values("postgresql://db/b")) != first


def test_helm_install_wait_is_not_blocked_by_the_post_install_migration(render: Render) -> None:
    # The in-chart database exists only after install, so the schema comes from a post-install
    # hook, which `helm install --wait` runs once every pod is ready: the API's readiness
    # must not wait for the schema.
    manifests = render({})
    [job] = [m for m in find(manifests, "Job") if "migrate" in m["metadata"]["name"]]
    assert "post-install" in job["metadata"]["annotations"]["helm.sh/hook"]
    [container] = pod_spec(one(manifests, "Deployment", "api"))["containers"]
    assert container["readinessProbe"].get("tcpSocket") == {"port": "http"}
    assert container["startupProbe"].get("tcpSocket") == {"port": "http"}
    assert container["livenessProbe"]["httpGet"]["path"] == "/health"


def test_with_the_schema_migrated_first_readiness_asks_health(render: Render) -> None:
    values = {
        "postgresql": {"enabled": False},
        "externalDatabase": {"existingSecret": "db", "existingSecretKey": "url"},
        "auth": {"existingSecret": "auth", "initialAdmin": {"existingSecret": "admin"}},
    }
    manifests = render(values)
    [job] = [m for m in find(manifests, "Job") if "migrate" in m["metadata"]["name"]]
    assert job["metadata"]["annotations"]["helm.sh/hook"] == "pre-install,pre-upgrade"
    [container] = pod_spec(one(manifests, "Deployment", "api"))["containers"]
    assert container["readinessProbe"]["httpGet"]["path"] == "/health"


def test_no_ingress_unless_asked_for(render: Render) -> None:
    assert not find(render({}), "Ingress")
    values = yaml.safe_load((ROOT / "charts" / "workout-tracker" / "values.yaml").read_text())
    assert values["ingress"]["enabled"] is False


def test_skaffold_deploys_the_operator_image_it_built() -> None:
    config = yaml.safe_load((ROOT / "skaffold.yaml").read_text())
    operator = next(p for p in config["profiles"] if p["name"] == "operator")
    [release] = operator["deploy"]["helm"]["releases"]
    values = release["setValueTemplates"]
    # The chart puts image.registry in front of the repository unless it is empty.
    assert values["image.registry"] == ""
    assert values["image.repository"] == "{{.IMAGE_REPO_workout_tracker_operator}}"
