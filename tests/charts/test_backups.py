"""PostgreSQL backups: the chart's volume, CronJob and pre-upgrade Job, and their script run for real."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
from pathlib import Path
from typing import Any

import pytest
import yaml

from tests.charts.conftest import (
    NAMESPACE,
    KubeApiStub,
    Manifest,
    Render,
    find,
    helm_template,
    one,
    pod_spec,
    upgrade_against,
    write_values,
)
from workout_testkit.servers import fresh_postgres_database, postgres_server_url

ENABLED = {"backup": {"enabled": True}}


def _env(container: dict[str, Any]) -> dict[str, Any]:
    return {entry["name"]: entry for entry in container["env"]}


def _script(manifest: Manifest) -> str:
    container = pod_spec(manifest)["containers"][0]
    assert container["command"] == ["sh", "-c"]
    return str(container["args"][0])


def test_disabled_by_default_renders_nothing(render: Render) -> None:
    manifests = render()
    assert not [
        m
        for m in manifests
        if m["metadata"]["labels"].get("app.kubernetes.io/component") == "backup"
    ]
    assert not find(manifests, "PersistentVolumeClaim")


def test_enabled_renders_a_volume_and_a_daily_cron_job(render: Render) -> None:
    manifests = render(ENABLED)
    claim = one(manifests, "PersistentVolumeClaim", "backup")
    assert claim["spec"]["resources"]["requests"]["storage"] == "5Gi"
    assert "storageClassName" not in claim["spec"]
    assert claim["metadata"]["annotations"]["helm.sh/resource-policy"] == "keep"

    cron_job = one(manifests, "CronJob", "backup")
    assert cron_job["spec"]["schedule"] == "0 3 * * *"
    assert cron_job["spec"]["concurrencyPolicy"] == "Forbid"
    labels = cron_job["metadata"]["labels"]
    assert labels["app.kubernetes.io/part-of"] == "workout-tracker"
    assert labels["app.kubernetes.io/instance"] == "wt"
    pod = pod_spec(cron_job)
    assert pod["restartPolicy"] == "Never"
    assert pod["securityContext"]["runAsNonRoot"] is True
    assert pod["securityContext"]["runAsUser"] != 0
    [container] = pod["containers"]
    postgres = pod_spec(one(manifests, "StatefulSet", "postgresql"))["containers"][0]
    assert container["image"] == postgres["image"], "pg_dump must match the server's version"
    assert container["securityContext"]["readOnlyRootFilesystem"] is True
    assert container["securityContext"]["allowPrivilegeEscalation"] is False
    assert container["resources"]["limits"]["memory"]
    mounts = {m["mountPath"]: m["name"] for m in container["volumeMounts"]}
    volumes = {v["name"]: v for v in pod["volumes"]}
    assert (
        volumes[mounts["/backups"]]["persistentVolumeClaim"]["claimName"]
        == claim["metadata"]["name"]
    )
    assert "emptyDir" in volumes[mounts["/tmp"]]
    assert _env(container)["BACKUP_DIR"]["value"] == "/backups"
    script = _script(cron_job)
    assert "pg_dump --format=custom" in script
    assert "retention=7" in script


def test_schedule_retention_and_volume_are_configurable(render: Render) -> None:
    values = {
        "backup": {
            "enabled": True,
            "schedule": "30 1 * * 0",
            "retention": 14,
            "persistence": {"size": "20Gi", "storageClass": "fast"},
            "image": {"tag": "16-alpine"},
        }
    }
    manifests = render(values)
    cron_job = one(manifests, "CronJob", "backup")
    assert cron_job["spec"]["schedule"] == "30 1 * * 0"
    assert "retention=14" in _script(cron_job)
    assert pod_spec(cron_job)["containers"][0]["image"] == "docker.io/library/postgres:16-alpine"
    claim = one(manifests, "PersistentVolumeClaim", "backup")["spec"]
    assert claim["resources"]["requests"]["storage"] == "20Gi"
    assert claim["storageClassName"] == "fast"


def test_in_chart_database_url_comes_from_its_password_secret(render: Render) -> None:
    manifests = render(ENABLED)
    env = _env(pod_spec(one(manifests, "CronJob", "backup"))["containers"][0])
    api_env = _env(pod_spec(one(manifests, "Deployment", "api"))["containers"][0])
    assert env["WORKOUT_DATABASE_PASSWORD"] == api_env["WORKOUT_DATABASE_PASSWORD"]
    assert (
        env["WORKOUT_DATABASE_PASSWORD"]["valueFrom"]["secretKeyRef"]["key"] == "postgres-password"
    )
    assert env["DATABASE_URL"] == api_env["DATABASE_URL"]


def test_external_database_url_comes_from_the_api_secret(render: Render) -> None:
    manifests = render(
        {
            **ENABLED,
            "postgresql": {"enabled": False},
            "externalDatabase": {"existingSecret": "workout-db", "existingSecretKey": "url"},
        }
    )
    env = _env(pod_spec(one(manifests, "CronJob", "backup"))["containers"][0])
    assert env["DATABASE_URL"]["valueFrom"]["secretKeyRef"] == {"name": "workout-db", "key": "url"}
    api_env = _env(pod_spec(one(manifests, "Deployment", "api"))["containers"][0])
    assert env["DATABASE_URL"] == api_env["DATABASE_URL"]


def test_a_dump_runs_before_the_migrations_of_every_upgrade(render: Render) -> None:
    manifests = render(ENABLED)
    jobs = {
        j["metadata"]["labels"]["app.kubernetes.io/component"]: j for j in find(manifests, "Job")
    }
    backup, migrate = jobs["backup"], jobs["migrations"]
    annotations = backup["metadata"]["annotations"]
    assert annotations["helm.sh/hook"] == "pre-upgrade"
    assert "pre-upgrade" in migrate["metadata"]["annotations"]["helm.sh/hook"]
    assert int(annotations["helm.sh/hook-weight"]) < int(
        migrate["metadata"]["annotations"]["helm.sh/hook-weight"]
    )
    assert "hook-succeeded" in annotations["helm.sh/hook-delete-policy"]
    assert _script(backup) == _script(one(manifests, "CronJob", "backup"))


def test_no_dump_before_upgrade_when_switched_off(render: Render) -> None:
    manifests = render({"backup": {"enabled": True, "beforeUpgrade": False}})
    assert not find(manifests, "Job", "backup")
    assert one(manifests, "CronJob", "backup")


def test_an_upgrade_that_first_enables_backups_waits_for_no_volume(render: Render) -> None:
    # Helm creates the volume after the pre-upgrade hooks: a hook mounting it would never start.
    manifests = render(ENABLED, "--is-upgrade")
    assert not find(manifests, "Job", "backup")
    assert one(manifests, "PersistentVolumeClaim", "backup")


def test_an_upgrade_with_the_volume_in_place_dumps_first(
    helm: str, kube_api: KubeApiStub, tmp_path: Path
) -> None:
    claim = one(_render_backup(helm, kube_api, tmp_path), "PersistentVolumeClaim", "backup")
    kube_api.claims[(NAMESPACE, claim["metadata"]["name"])] = {**claim, "status": {}}
    job = one(_render_backup(helm, kube_api, tmp_path), "Job", "backup")
    assert job["metadata"]["annotations"]["helm.sh/hook"] == "pre-upgrade"


def _render_backup(helm: str, kube_api: KubeApiStub, tmp_path: Path) -> list[Manifest]:
    """The backup objects of an upgrade, with lookups answered by ``kube_api``."""
    result = helm_template(
        helm,
        "--is-upgrade",
        *upgrade_against(kube_api, tmp_path),
        "-f",
        str(write_values(tmp_path, ENABLED)),
        "--show-only",
        "templates/backup.yaml",
    )
    assert result.returncode == 0, result.stderr
    return [doc for doc in yaml.safe_load_all(result.stdout) if doc]


def test_for_the_operator_the_dump_is_a_job_named_after_the_version(render: Render) -> None:
    manifests = render({**ENABLED, "migrations": {"runAsHook": False}, "image": {"tag": "1.2.0"}})
    backup = one(manifests, "Job", "backup")
    assert backup["metadata"]["name"] == "wt-workout-tracker-backup-1-2-0"
    assert "helm.sh/hook" not in backup["metadata"].get("annotations", {})


def test_backup_pods_may_reach_the_database(render: Render) -> None:
    manifests = render({**ENABLED, "networkPolicy": {"enabled": True}})
    [policy] = find(manifests, "NetworkPolicy", "postgresql")
    [rule] = policy["spec"]["ingress"]
    [expression] = rule["from"][0]["podSelector"]["matchExpressions"]
    assert "backup" in expression["values"]


@pytest.mark.parametrize(
    ("values", "where"),
    [
        ({"backup": {"enabled": True, "schedule": "daily"}}, "/backup/schedule"),
        ({"backup": {"enabled": True, "retention": 0}}, "/backup/retention"),
        ({"backup": {"enabled": True, "retention": "seven"}}, "/backup/retention"),
        (
            {"backup": {"enabled": True, "persistence": {"size": "lots"}}},
            "/backup/persistence/size",
        ),
    ],
)
def test_bad_backup_values_are_refused(
    render_text: Any, values: dict[str, Any], where: str
) -> None:
    result = render_text(values)
    assert result.returncode != 0, f"{values} was accepted"
    assert where in result.stderr, result.stderr


# The script itself, against the real PostgreSQL these tests use.


def _server_major(url: str) -> int:
    import psycopg

    with psycopg.connect(url) as conn:
        row = conn.execute("SHOW server_version_num").fetchone()
    assert row is not None
    return int(row[0]) // 10000


def _client_bin(major: int) -> Path:
    """The directory of a pg_dump/pg_restore of the server's major version."""
    candidates = [Path(f"/usr/lib/postgresql/{major}/bin")]
    on_path = shutil.which("pg_dump")
    if on_path:
        candidates.append(Path(on_path).resolve().parent)
    for directory in candidates:
        pg_dump = directory / "pg_dump"
        if not (pg_dump.exists() and (directory / "pg_restore").exists()):
            continue
        version = subprocess.run(
            [str(pg_dump), "--version"], capture_output=True, text=True, check=True
        ).stdout
        found = re.search(r"(\d+)\.", version)
        if found and int(found.group(1)) == major:
            return directory
    pytest.fail(
        f"no pg_dump and pg_restore of PostgreSQL {major} found (looked in "
        f"{', '.join(map(str, candidates))}): install the PostgreSQL {major} client tools "
        f"(Debian: postgresql-client-{major}) to run the backup script's test"
    )


def _run_script(
    script: str, *, directory: Path, url: str, client: Path, clock: Path, stamp: str
) -> None:
    env = {
        "PATH": f"{clock}:{client}:{os.environ['PATH']}",
        "BACKUP_DIR": str(directory),
        # The API's form of the URL: the script must hand libpq a plain postgresql:// one.
        "DATABASE_URL": url.replace("postgresql://", "postgresql+psycopg://", 1),
        "FAKE_UTC_STAMP": stamp,
    }
    result = subprocess.run(
        ["sh", "-c", script], env=env, capture_output=True, text=True, timeout=120, check=False
    )
    assert result.returncode == 0, result.stderr + result.stdout


def test_the_script_dumps_rotates_and_leaves_a_readable_dump(
    render: Render, tmp_path: Path
) -> None:
    import psycopg

    script = _script(
        one(render({"backup": {"enabled": True, "retention": 2}}), "CronJob", "backup")
    )
    # The script's only reading of the clock: `date -u +FORMAT`, answered here with a fixed stamp.
    clock = tmp_path / "clock"
    clock.mkdir()
    (clock / "date").write_text('#!/bin/sh\nprintf "%s\\n" "$FAKE_UTC_STAMP"\n')
    (clock / "date").chmod(0o755)
    dumps = tmp_path / "backups"
    dumps.mkdir()
    with fresh_postgres_database(postgres_server_url()) as url:
        client = _client_bin(_server_major(url))
        with psycopg.connect(url, autocommit=True) as conn:
            conn.execute("CREATE TABLE lifts (name text PRIMARY KEY, kg numeric)")
            conn.execute("INSERT INTO lifts VALUES ('squat', 140)")
        stamps = ["20260301T030000Z", "20260302T030000Z", "20260303T030000Z"]
        for stamp in stamps:
            _run_script(script, directory=dumps, url=url, client=client, clock=clock, stamp=stamp)

    names = sorted(p.name for p in dumps.iterdir())
    assert names == [f"workout-tracker-{s}.dump" for s in stamps[1:]], names
    listing = subprocess.run(
        [str(client / "pg_restore"), "--list", str(dumps / names[-1])],
        capture_output=True,
        text=True,
        check=False,
    )
    assert listing.returncode == 0, listing.stderr
    assert "TABLE public lifts" in listing.stdout


def test_a_failed_dump_leaves_no_partial_file(render: Render, tmp_path: Path) -> None:
    script = _script(one(render(ENABLED), "CronJob", "backup"))
    dumps = tmp_path / "backups"
    dumps.mkdir()
    env = {
        "PATH": os.environ["PATH"],
        "BACKUP_DIR": str(dumps),
        "DATABASE_URL": "postgresql://nobody@127.0.0.1:1/missing?connect_timeout=2",
    }
    if not shutil.which("pg_dump"):
        pytest.fail("pg_dump is not installed: install the PostgreSQL client tools")
    result = subprocess.run(
        ["sh", "-c", script], env=env, capture_output=True, text=True, timeout=60, check=False
    )
    assert result.returncode != 0
    assert list(dumps.iterdir()) == []
