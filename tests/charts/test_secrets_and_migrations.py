"""Generated credentials, existing Secrets, and the migration Job as a hook or for the operator."""

from __future__ import annotations

import base64
from typing import Any

from tests.charts.conftest import VALUE_SETS, Manifest, Render, find, one, pod_spec

GENERATED = {
    "secret-key",
    "service-account-password",
    "initial-admin-password",
    "postgres-password",
    "redis-password",
}


def _secret_refs(manifests: list[Manifest]) -> set[tuple[str, str]]:
    refs = set()
    for manifest in manifests:
        if manifest["kind"] not in {"Deployment", "StatefulSet", "Job", "CronJob"}:
            continue
        for container in [
            *pod_spec(manifest).get("initContainers", []),
            *pod_spec(manifest)["containers"],
        ]:
            for entry in container.get("env", []):
                ref = entry.get("valueFrom", {}).get("secretKeyRef")
                if ref:
                    refs.add((ref["name"], ref["key"]))
    return refs


def test_generated_secret_holds_strong_credentials(render: Render) -> None:
    manifests = render()
    (secret,) = find(manifests, "Secret")
    assert secret["metadata"]["annotations"]["helm.sh/resource-policy"] == "keep"
    data = {key: base64.b64decode(value).decode() for key, value in secret["data"].items()}
    assert set(data) == GENERATED
    assert len(data["secret-key"]) >= 32
    assert all(value.isalnum() and len(value) >= 24 for value in data.values())
    # Every key the pods read exists in the Secret.
    assert {
        key for name, key in _secret_refs(manifests) if name == secret["metadata"]["name"]
    } == GENERATED


def test_existing_secrets_replace_generated_ones(render: Render) -> None:
    manifests = render(VALUE_SETS["production"])
    assert find(manifests, "Secret") == []
    assert _secret_refs(manifests) == {
        ("workout-db", "url"),
        ("workout-redis", "redis-url"),
        ("workout-auth", "secret-key"),
        ("workout-auth", "service-account-password"),
        ("workout-admin", "password"),
        ("anthropic", "api-key"),
    }


def test_plain_external_urls_go_into_the_secret(render: Render) -> None:
    manifests = render(VALUE_SETS["plain-external-urls"])
    (secret,) = find(manifests, "Secret")
    data = {key: base64.b64decode(value).decode() for key, value in secret["data"].items()}
    assert data["database-url"] == "postgresql://workout:s3cret@db.internal:5432/workout"
    assert data["redis-url"] == "redis://:s3cret@redis.internal:6379"
    assert "postgres-password" not in data
    assert find(manifests, "StatefulSet") == []


def _hook(job: Manifest) -> Any:
    return job["metadata"].get("annotations", {}).get("helm.sh/hook")


def test_migration_hook_runs_after_the_in_chart_database_exists(render: Render) -> None:
    manifests = render()
    job = one(manifests, "Job", "migrations")
    assert _hook(job) == "post-install,pre-upgrade"
    assert pod_spec(job)["containers"][0]["args"] == ["migrate"]
    (wait,) = pod_spec(job)["initContainers"]
    assert wait["name"] == "wait-for-database"
    assert "pg_isready" in wait["command"][-1]
    env = {e["name"]: e["value"] for e in wait["env"]}
    assert env == {
        "PGHOST": "wt-workout-tracker-postgresql",
        "PGUSER": "workout",
        "PGDATABASE": "workout_tracker",
    }


def test_migration_hook_runs_before_install_when_every_secret_preexists(render: Render) -> None:
    job = one(render(VALUE_SETS["production"]), "Job", "migrations")
    assert _hook(job) == "pre-install,pre-upgrade"
    # The release's ServiceAccount does not exist before install.
    assert "serviceAccountName" not in pod_spec(job)
    assert "initContainers" not in pod_spec(job)


def test_migration_job_for_the_operator_is_named_after_the_version(render: Render) -> None:
    job = one(render(VALUE_SETS["operator"]), "Job", "migrations")
    assert _hook(job) is None
    assert job["metadata"]["name"] == "wt-workout-tracker-migrate-0-2-0-rc-1"
    assert job["metadata"]["annotations"]["workout-tracker.io/platform-version"] == "0.2.0-rc.1"


def test_incomplete_external_configuration_is_refused(render_text: Any) -> None:
    result = render_text({"postgresql": {"enabled": False}})
    assert result.returncode != 0
    assert "set externalDatabase.url or externalDatabase.existingSecret" in result.stderr
    result = render_text({"redis": {"enabled": False}})
    assert "set externalRedis.url or externalRedis.existingSecret" in result.stderr
    result = render_text({"ingress": {"tls": {"enabled": True}}})
    assert "set ingress.tls.secretName" in result.stderr
