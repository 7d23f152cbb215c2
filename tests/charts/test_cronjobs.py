"""The contract's schedules run as CronJobs of `workout-worker run-task`, never in the worker too."""

from __future__ import annotations

from tests.charts.conftest import Render, container_env, find, one, pod_spec, with_environment

CONTRACT = {
    "refresh": "0 * * * *",  # every hour at minute 0
    "warmup": "0 6 * * *",  # daily at the warm-up hour (06:00 UTC)
    "cleanup": "0 2 * * 0",  # weekly, Sunday (contract day 6) at 02:00 UTC
}


def test_schedules_and_commands_match_the_contract(render: Render) -> None:
    manifests = render()
    cron_jobs = find(manifests, "CronJob")
    assert len(cron_jobs) == 3
    worker_image = pod_spec(one(manifests, "Deployment", "worker"))["containers"][0]["image"]
    for task, schedule in CONTRACT.items():
        job = one(manifests, "CronJob", task)
        spec = job["spec"]
        assert spec["schedule"] == schedule
        assert spec["timeZone"] == "Etc/UTC"
        assert spec["concurrencyPolicy"] == "Forbid"
        assert spec["suspend"] is False
        assert spec["successfulJobsHistoryLimit"] == 3
        assert spec["failedJobsHistoryLimit"] == 3
        container = pod_spec(job)["containers"][0]
        assert container["image"] == worker_image
        assert "command" not in container  # the image's entry point: workout-worker
        assert container["args"] == ["run-task", task]
        assert pod_spec(job)["restartPolicy"] == "Never"


def test_schedules_history_and_suspension_are_configurable(render: Render) -> None:
    manifests = render(
        {
            "cronJobs": {
                "warmup": {"schedule": "15 4 * * *", "suspend": True},
                "successfulJobsHistoryLimit": 1,
                "failedJobsHistoryLimit": 5,
            }
        }
    )
    warmup = one(manifests, "CronJob", "warmup")["spec"]
    assert warmup["schedule"] == "15 4 * * *"
    assert warmup["suspend"] is True
    assert warmup["successfulJobsHistoryLimit"] == 1
    assert warmup["failedJobsHistoryLimit"] == 5
    assert one(manifests, "CronJob", "refresh")["spec"]["schedule"] == CONTRACT["refresh"]


def test_worker_deployment_runs_with_its_own_schedules_off(render: Render) -> None:
    from workout_worker.settings import load_settings

    manifests = render()
    for workload in (one(manifests, "Deployment", "worker"), one(manifests, "CronJob", "refresh")):
        env = container_env(manifests, pod_spec(workload)["containers"][0])
        settings = with_environment(env, load_settings)
        assert settings.schedule.enable_hourly_refresh is False
        assert settings.schedule.enable_daily_warmup is False
        assert settings.schedule.enable_weekly_cleanup is False
