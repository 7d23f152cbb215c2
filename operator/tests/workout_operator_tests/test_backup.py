"""Backups through the operator: spec, chart values, the CRD, the rendered Job and the status."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import yaml

from workout_operator.migration import is_backup_job, is_migration_job, waits_for_migration
from workout_operator.ownership import Owner, adopt
from workout_operator.render import render_chart
from workout_operator.spec import BackupSpec, InvalidSpecError, parse_spec
from workout_operator.status import latest_backup
from workout_operator.values import chart_values

REPO = Path(__file__).resolve().parents[3]
CHART = REPO / "charts" / "workout-tracker"
CRD = REPO / "k8s" / "crds" / "workouttrackers.workout-tracker.dev.yaml"


def test_no_backup_in_the_spec_leaves_backups_off() -> None:
    spec = parse_spec({"version": "1.0.0"})
    assert spec.backup is None
    assert "backup" not in chart_values(spec)


def test_backup_spec_maps_to_the_chart_values() -> None:
    spec = parse_spec(
        {
            "backup": {
                "schedule": "15 2 * * *",
                "retention": 3,
                "size": "20Gi",
                "storageClass": "fast",
            }
        }
    )
    assert chart_values(spec)["backup"] == {
        "enabled": True,
        "schedule": "15 2 * * *",
        "retention": 3,
        "beforeUpgrade": True,
        "persistence": {"size": "20Gi", "storageClass": "fast"},
    }


def test_an_empty_backup_takes_the_defaults() -> None:
    values = chart_values(parse_spec({"backup": {}}))["backup"]
    assert values["schedule"] == "0 3 * * *"
    assert values["retention"] == 7
    assert values["persistence"] == {"size": "5Gi", "storageClass": ""}


@pytest.mark.parametrize(
    ("backup", "expected"),
    [
        ({"schedule": "nightly"}, "backup.schedule"),
        ({"retention": 0}, "backup.retention"),
        ({"size": "lots"}, "backup.size"),
        ({"keep": 3}, "backup.keep"),
    ],
)
def test_bad_backup_specs_say_what_is_wrong(backup: dict[str, Any], expected: str) -> None:
    with pytest.raises(InvalidSpecError, match=expected):
        parse_spec({"backup": backup})


def test_the_crd_describes_the_backup_spec_with_the_same_defaults() -> None:
    crd = yaml.safe_load(CRD.read_text())
    [version] = crd["spec"]["versions"]
    schema = version["schema"]["openAPIV3Schema"]["properties"]
    fields = schema["spec"]["properties"]["backup"]["properties"]
    defaults = BackupSpec()
    assert set(fields) == {field.alias for field in BackupSpec.model_fields.values()}
    assert fields["schedule"]["default"] == defaults.schedule
    assert fields["retention"]["default"] == defaults.retention
    assert fields["size"]["default"] == defaults.size
    assert fields["retention"]["minimum"] == 1
    status = schema["status"]["properties"]["backup"]["properties"]
    assert set(status) == {"lastJob", "lastSucceeded", "time"}


def test_the_rendered_backup_job_runs_before_the_migration_and_nothing_waits_for_it(
    helm: str,
) -> None:
    spec = parse_spec({"version": "1.1.0", "backup": {}})
    manifests = render_chart(
        helm=helm,
        chart=CHART,
        release="gym",
        namespace="fit",
        values=chart_values(spec, credentials_secret="gym-credentials"),
    )
    [backup] = [m for m in manifests if is_backup_job(m)]
    assert backup["metadata"]["name"] == "gym-workout-tracker-backup-1-1-0"
    assert not is_migration_job(backup)
    cron_jobs = [m for m in manifests if m["kind"] == "CronJob"]
    backup_cron = next(c for c in cron_jobs if c["metadata"]["name"].endswith("-backup"))
    assert not waits_for_migration(backup_cron), "dumps keep running while a migration waits"
    [claim] = [m for m in manifests if m["kind"] == "PersistentVolumeClaim"]
    adopted = adopt(claim, Owner(name="gym", namespace="fit", uid="u-1"))
    assert "ownerReferences" not in adopted["metadata"], "the dumps outlive the resource"
    assert adopt(backup, Owner(name="gym", namespace="fit", uid="u-1"))["metadata"][
        "ownerReferences"
    ]


def _job(name: str, condition: str | None, when: str | None = None) -> dict[str, Any]:
    status: dict[str, Any] = {}
    if condition:
        status["conditions"] = [
            {
                "type": condition,
                "status": "True",
                "lastTransitionTime": when or "2026-01-01T00:00:00Z",
            }
        ]
        if condition == "Complete" and when:
            status["completionTime"] = when
    return {"metadata": {"name": name}, "spec": {"backoffLimit": 2}, "status": status}


def test_the_latest_finished_backup_is_named() -> None:
    jobs = [
        _job("gym-backup-29000000", "Complete", "2026-03-01T03:00:41Z"),
        _job("gym-backup-29001440", "Failed", "2026-03-02T03:01:10Z"),
        _job("gym-backup-29002880", None),  # still running
    ]
    assert latest_backup(jobs) == {
        "lastJob": "gym-backup-29001440",
        "lastSucceeded": False,
        "time": "2026-03-02T03:01:10Z",
    }
    jobs.append(_job("gym-workout-tracker-backup-1-1-0", "Complete", "2026-03-02T09:30:00Z"))
    assert latest_backup(jobs) == {
        "lastJob": "gym-workout-tracker-backup-1-1-0",
        "lastSucceeded": True,
        "time": "2026-03-02T09:30:00Z",
    }


def test_the_cron_job_names_a_success_newer_than_the_jobs_kept() -> None:
    cron_job = {
        "metadata": {"name": "gym-workout-tracker-backup"},
        "status": {"lastSuccessfulTime": "2026-03-05T03:00:50Z"},
    }
    jobs = [_job("gym-backup-29000000", "Complete", "2026-03-01T03:00:41Z")]
    assert latest_backup(jobs, [cron_job]) == {
        "lastJob": "gym-workout-tracker-backup",
        "lastSucceeded": True,
        "time": "2026-03-05T03:00:50Z",
    }
    assert latest_backup([], []) is None
