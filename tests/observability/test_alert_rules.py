"""promtool checks the alert rules and the local Prometheus config, and runs the rule unit tests."""

from __future__ import annotations

import re
import subprocess
from pathlib import Path
from types import ModuleType

import yaml

ROOT = Path(__file__).resolve().parents[2]
MONITORING = ROOT / "monitoring"
REQUIRED_ALERTS = {
    "WorkoutApiHighErrorRatio",
    "WorkoutApiHighLatencyP99",
    "WorkoutWorkerTaskFailures",
    "WorkoutCoachProviderFailures",
    "WorkoutTargetDown",
}


def run(*command: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(command, cwd=ROOT, capture_output=True, text=True, timeout=120)


def test_promtool_accepts_the_rules(promtool: str) -> None:
    result = run(promtool, "check", "rules", str(MONITORING / "rules/workout-tracker.rules.yml"))
    assert result.returncode == 0, result.stdout + result.stderr
    assert "SUCCESS" in result.stdout


def test_rule_unit_tests_pass(promtool: str) -> None:
    result = run(
        promtool, "test", "rules", str(MONITORING / "tests/workout-tracker.rules.test.yml")
    )
    assert result.returncode == 0, result.stdout + result.stderr


def test_local_prometheus_config_is_valid_and_loads_the_rules(promtool: str) -> None:
    result = run(promtool, "check", "config", str(MONITORING / "prometheus.yml"))
    assert result.returncode == 0, result.stdout + result.stderr
    assert "1 rule files found" in result.stdout


def test_every_alert_has_a_severity_a_summary_and_a_unit_test() -> None:
    rules = yaml.safe_load((MONITORING / "rules/workout-tracker.rules.yml").read_text())
    alerts = {rule["alert"]: rule for group in rules["groups"] for rule in group["rules"]}
    assert alerts.keys() >= REQUIRED_ALERTS
    tests = yaml.safe_load((MONITORING / "tests/workout-tracker.rules.test.yml").read_text())
    tested = {
        case["alertname"]
        for test in tests["tests"]
        for case in test.get("alert_rule_test", [])
        if case.get("exp_alerts")
    }
    for name, rule in alerts.items():
        assert rule["labels"]["severity"] in {"warning", "critical"}, name
        assert rule["annotations"]["summary"], name
        assert name in tested, f"{name} has no unit test in which it fires"


def test_dashboard_queries_are_valid_promql(
    promtool: str, promql: ModuleType, tmp_path: Path
) -> None:
    """promtool parses every panel query (Grafana variables substituted) as a recording rule."""
    expressions = promql.dashboard_expressions()
    assert expressions
    rules = {
        "groups": [
            {
                "name": "dashboards",
                "rules": [
                    {"record": f"dashboard:query_{index}", "expr": expression.expr}
                    for index, expression in enumerate(expressions)
                ],
            }
        ]
    }
    path = tmp_path / "dashboard-queries.rules.yml"
    path.write_text(yaml.safe_dump(rules))
    result = run(promtool, "check", "rules", str(path))
    assert result.returncode == 0, result.stdout + result.stderr


def test_metric_names_are_read_from_promql(promql: ModuleType) -> None:
    names = promql.metric_names(
        'histogram_quantile(0.99, sum by (service, le) (rate(workout_http_request_duration_seconds_bucket{service="api", route!="<unmatched>", namespace=~".*"}[1m])))'
        ' / on (service) group_left max without (instance) (up{job=~"workout-.+"} offset 5m) > bool 1e3'
    )
    assert names == {"workout_http_request_duration_seconds_bucket", "up"}


def cron_period_seconds(schedule: str) -> int:
    """The period of a cron schedule that fixes everything below its repeating field."""
    minute, hour, day_of_month, month, day_of_week = schedule.split()
    assert (day_of_month, month) == ("*", "*"), schedule
    if day_of_week != "*":
        return 7 * 86400
    if hour != "*":
        return 86400
    assert minute.isdigit(), schedule
    return 3600


def test_task_success_thresholds_are_twice_the_charts_schedules() -> None:
    rules = yaml.safe_load((MONITORING / "rules/workout-tracker.rules.yml").read_text())
    (rule,) = (
        rule
        for group in rules["groups"]
        for rule in group["rules"]
        if rule.get("alert") == "WorkoutWorkerTaskNotSucceeding"
    )
    thresholds = {
        task: int(seconds)
        for task, seconds in re.findall(r'\{task="(\w+)"\}\)\) > 2 \* (\d+)', rule["expr"])
    }
    values = yaml.safe_load((ROOT / "charts/workout-tracker/values.yaml").read_text())
    periods = {
        task: cron_period_seconds(job["schedule"])
        for task, job in values["cronJobs"].items()
        if isinstance(job, dict) and "schedule" in job
    }
    assert thresholds == periods
