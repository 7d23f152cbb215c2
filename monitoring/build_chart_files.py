"""Write the chart's monitoring files: Grafana dashboards and the PrometheusRule template.

The dashboards (charts/workout-tracker/dashboards/*.json) are generated so that every
panel has the same shape (data source variable, namespace filter, units). The alert rules
have one source, monitoring/rules/workout-tracker.rules.yml, which `promtool` checks and
unit-tests; the chart's PrometheusRule template is written from it. Run after a change:

    .venv/bin/python monitoring/build_chart_files.py

A test fails when the committed files differ from what this script writes.
"""

from __future__ import annotations

import json
import re
import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
CHART = ROOT / "charts/workout-tracker"
DASHBOARD_DIR = CHART / "dashboards"
RULES_FILE = ROOT / "monitoring/rules/workout-tracker.rules.yml"
PROMETHEUS_RULE_TEMPLATE = CHART / "templates/monitoring-prometheusrule.yaml"
NS = 'namespace=~"$namespace"'
RATE = "$__rate_interval"


@dataclass
class Query:
    expr: str
    legend: str = ""


@dataclass
class Panel:
    title: str
    queries: list[Query]
    unit: str = "short"
    kind: str = "timeseries"
    description: str = ""
    width: int = 12
    options: dict[str, Any] = field(default_factory=dict)


@dataclass
class Row:
    title: str
    panels: list[Panel]


@dataclass
class Dashboard:
    uid: str
    title: str
    description: str
    rows: list[Row]
    tags: list[str] = field(default_factory=list)


def q(expr: str, legend: str = "") -> Query:
    return Query(" ".join(expr.split()), legend)


def http_rate(service: str, by: str) -> str:
    return f'sum by ({by}) (rate(workout_http_requests_total{{service="{service}", {NS}}}[{RATE}]))'


def http_error_ratio(service_filter: str, by: str) -> str:
    return (
        f'sum by ({by}) (rate(workout_http_requests_total{{{service_filter}, status=~"5..", {NS}}}[{RATE}]))'
        f" / sum by ({by}) (rate(workout_http_requests_total{{{service_filter}, {NS}}}[{RATE}]))"
    )


def quantile(q_: float, metric: str, matchers: str, by: str) -> str:
    group = f"{by}, le" if by else "le"
    return (
        f"histogram_quantile({q_}, sum by ({group}) "
        f"(rate({metric}_bucket{{{matchers}, {NS}}}[{RATE}])))"
    )


def http_panels(service: str) -> list[Row]:
    svc = f'service="{service}"'
    return [
        Row(
            "Requests",
            [
                Panel(
                    "Request rate by route",
                    [q(http_rate(service, "method, route"), "{{method}} {{route}}")],
                    unit="reqps",
                ),
                Panel(
                    "Responses by status",
                    [q(http_rate(service, "status"), "{{status}}")],
                    unit="reqps",
                ),
                Panel(
                    "Server error ratio by route",
                    [q(http_error_ratio(svc, "method, route"), "{{method}} {{route}}")],
                    unit="percentunit",
                ),
                Panel(
                    "Requests in flight",
                    [
                        q(
                            f"sum(workout_http_requests_in_flight{{{svc}, {NS}}})",
                            "in flight",
                        )
                    ],
                ),
            ],
        ),
        Row(
            "Latency",
            [
                Panel(
                    "p99 latency by route",
                    [
                        q(
                            quantile(
                                0.99,
                                "workout_http_request_duration_seconds",
                                svc,
                                "method, route",
                            ),
                            "{{method}} {{route}}",
                        )
                    ],
                    unit="s",
                ),
                Panel(
                    "Latency percentiles",
                    [
                        q(
                            quantile(p, "workout_http_request_duration_seconds", svc, ""),
                            f"p{round(p * 100)}",
                        )
                        for p in (0.5, 0.95, 0.99)
                    ],
                    unit="s",
                ),
            ],
        ),
    ]


def dependency_row(service: str) -> Row:
    return Row(
        "Dependencies",
        [
            Panel(
                "Dependencies up",
                [
                    q(
                        f'min by (dependency) (workout_dependency_up{{service="{service}", {NS}}})',
                        "{{dependency}}",
                    )
                ],
                kind="stat",
                width=24,
                description="1 when the service's last check of the dependency succeeded.",
                options={"mappings": UP_MAPPINGS},
            ),
        ],
    )


UP_MAPPINGS = [
    {
        "type": "value",
        "options": {
            "0": {"text": "down", "color": "red", "index": 0},
            "1": {"text": "up", "color": "green", "index": 1},
        },
    }
]

OVERVIEW = Dashboard(
    uid="workout-overview",
    title="Workout Tracker / Overview",
    description="Traffic, errors, latency and health of every Workout Tracker service.",
    tags=["overview"],
    rows=[
        Row(
            "Health",
            [
                Panel(
                    "Scrape targets up",
                    [q('sum by (job) (up{job=~"workout-.+", ' + NS + "})", "{{job}}")],
                    kind="stat",
                    width=12,
                    description="Healthy scrape targets per service (Prometheus 'up').",
                ),
                Panel(
                    "Dependencies up",
                    [
                        q(
                            f"min by (service, dependency) (workout_dependency_up{{{NS}}})",
                            "{{service}} → {{dependency}}",
                        )
                    ],
                    kind="stat",
                    width=12,
                    options={"mappings": UP_MAPPINGS},
                ),
            ],
        ),
        Row(
            "Traffic",
            [
                Panel(
                    "Request rate by service",
                    [
                        q(
                            f"sum by (service) (rate(workout_http_requests_total{{{NS}}}[{RATE}]))",
                            "{{service}}",
                        )
                    ],
                    unit="reqps",
                ),
                Panel(
                    "Server error ratio by service",
                    [q(http_error_ratio('service=~".+"', "service"), "{{service}}")],
                    unit="percentunit",
                ),
                Panel(
                    "p99 latency by service",
                    [
                        q(
                            quantile(
                                0.99,
                                "workout_http_request_duration_seconds",
                                'service=~".+"',
                                "service",
                            ),
                            "{{service}}",
                        )
                    ],
                    unit="s",
                ),
                Panel(
                    "Requests in flight by service",
                    [
                        q(
                            f"sum by (service) (workout_http_requests_in_flight{{{NS}}})",
                            "{{service}}",
                        )
                    ],
                ),
            ],
        ),
        Row(
            "Work",
            [
                Panel(
                    "Coach model calls by outcome",
                    [
                        q(
                            f"sum by (outcome) (rate(workout_coach_model_requests_total{{{NS}}}[{RATE}]))",
                            "{{outcome}}",
                        )
                    ],
                    unit="reqps",
                ),
                Panel(
                    "Worker task runs by task and outcome (1h)",
                    [
                        q(
                            f"max by (task, outcome) (increase(workout_worker_task_runs_total{{{NS}}}[1h]))",
                            "{{task}} {{outcome}}",
                        )
                    ],
                ),
                Panel(
                    "API rate-limit rejections",
                    [
                        q(
                            f"sum by (route) (rate(workout_api_rate_limited_total{{{NS}}}[{RATE}]))",
                            "{{route}}",
                        )
                    ],
                    unit="reqps",
                ),
                Panel(
                    "Worker queue depth",
                    [q(f"max(workout_worker_queue_depth{{{NS}}})", "jobs waiting")],
                ),
            ],
        ),
    ],
)

API = Dashboard(
    uid="workout-api",
    title="Workout Tracker / API",
    description="The Workout API: requests, latency, rate limits, ETag answers, database and Redis.",
    tags=["api"],
    rows=[
        *http_panels("api"),
        Row(
            "Caching and limits",
            [
                Panel(
                    "Rate-limit rejections (429) by route",
                    [
                        q(
                            f"sum by (route) (rate(workout_api_rate_limited_total{{{NS}}}[{RATE}]))",
                            "{{route}}",
                        )
                    ],
                    unit="reqps",
                ),
                Panel(
                    "ETag 304 answers",
                    [
                        q(
                            f"sum(rate(workout_api_etag_not_modified_total{{{NS}}}[{RATE}]))",
                            "304 Not Modified",
                        )
                    ],
                    unit="reqps",
                    description="Exercise list requests answered 304 thanks to If-None-Match.",
                ),
            ],
        ),
        dependency_row("api"),
    ],
)

COACH = Dashboard(
    uid="workout-coach",
    title="Workout Tracker / AI Coach",
    description="The AI coach: requests, model calls, tokens and the /recommend cache.",
    tags=["coach"],
    rows=[
        *http_panels("coach"),
        Row(
            "Model",
            [
                Panel(
                    "Model calls by endpoint and outcome",
                    [
                        q(
                            "sum by (endpoint, outcome) "
                            f"(rate(workout_coach_model_requests_total{{{NS}}}[{RATE}]))",
                            "{{endpoint}} {{outcome}}",
                        )
                    ],
                    unit="reqps",
                ),
                Panel(
                    "Model call p95 latency by endpoint",
                    [
                        q(
                            quantile(
                                0.95,
                                "workout_coach_model_request_duration_seconds",
                                'model=~".+"',
                                "endpoint, model",
                            ),
                            "{{endpoint}} {{model}}",
                        )
                    ],
                    unit="s",
                ),
                Panel(
                    "Tokens by kind",
                    [
                        q(
                            "sum by (model, kind) "
                            f"(rate(workout_coach_model_tokens_total{{{NS}}}[{RATE}]))",
                            "{{model}} {{kind}}",
                        )
                    ],
                    unit="short",
                    description="Tokens per second sent to (input) and received from (output) the model.",
                ),
                Panel(
                    "Model failure ratio",
                    [
                        q(
                            "sum by (model) (rate(workout_coach_model_requests_total"
                            f'{{outcome=~"error|timeout", {NS}}}[{RATE}]))'
                            " / sum by (model) (rate(workout_coach_model_requests_total"
                            f"{{{NS}}}[{RATE}]))",
                            "{{model}}",
                        )
                    ],
                    unit="percentunit",
                ),
            ],
        ),
        Row(
            "Recommendation cache",
            [
                Panel(
                    "Cache look-ups by result",
                    [
                        q(
                            "sum by (result) "
                            f"(rate(workout_coach_cache_requests_total{{{NS}}}[{RATE}]))",
                            "{{result}}",
                        )
                    ],
                    unit="reqps",
                ),
                Panel(
                    "Cache hit ratio",
                    [
                        q(
                            "sum(rate(workout_coach_cache_requests_total"
                            f'{{result="hit", {NS}}}[{RATE}]))'
                            " / sum(rate(workout_coach_cache_requests_total"
                            f"{{{NS}}}[{RATE}]))",
                            "hit ratio",
                        )
                    ],
                    unit="percentunit",
                ),
            ],
        ),
        dependency_row("coach"),
    ],
)

WORKER = Dashboard(
    uid="workout-worker",
    title="Workout Tracker / Worker",
    description="The worker: scheduled task runs, durations, items, queue depth and its health server.",
    tags=["worker"],
    rows=[
        Row(
            "Tasks",
            [
                Panel(
                    "Task runs by outcome (1h)",
                    [
                        q(
                            "max by (task, outcome) "
                            f"(increase(workout_worker_task_runs_total{{{NS}}}[1h]))",
                            "{{task}} {{outcome}}",
                        )
                    ],
                ),
                Panel(
                    "Task duration p95",
                    [
                        q(
                            quantile(
                                0.95, "workout_worker_task_duration_seconds", 'task=~".+"', "task"
                            ),
                            "{{task}}",
                        )
                    ],
                    unit="s",
                ),
                Panel(
                    "Items by task and result (1h)",
                    [
                        q(
                            "max by (task, result) "
                            f"(increase(workout_worker_task_items_total{{{NS}}}[1h]))",
                            "{{task}} {{result}}",
                        )
                    ],
                ),
                Panel(
                    "Time since last success",
                    [
                        q(
                            "time() - max by (task) "
                            f"(workout_worker_task_last_success_timestamp_seconds{{{NS}}})",
                            "{{task}}",
                        )
                    ],
                    unit="s",
                    description="Alert WorkoutWorkerTaskNotSucceeding fires past twice the "
                    "task's period (refresh 2h, warmup 2d, cleanup 2w).",
                ),
                Panel(
                    "Queue depth",
                    [q(f"max(workout_worker_queue_depth{{{NS}}})", "jobs waiting in arq:queue")],
                ),
                Panel(
                    "Task figures readable",
                    [
                        q(
                            f"min(workout_worker_task_metrics_up{{{NS}}})",
                            "Redis answered the scrape",
                        )
                    ],
                    kind="stat",
                    description="0 when the worker could not read the task figures from Redis.",
                    options={"mappings": UP_MAPPINGS},
                ),
            ],
        ),
        *http_panels("worker")[:1],
        dependency_row("worker"),
    ],
)

OPERATOR = Dashboard(
    uid="workout-operator",
    title="Workout Tracker / Operator",
    description="The WorkoutTracker operator: reconciles, their duration and errors.",
    tags=["operator"],
    rows=[
        Row(
            "Reconciles",
            [
                Panel(
                    "Reconciles by outcome",
                    [
                        q(
                            "sum by (outcome) "
                            f"(rate(workout_operator_reconciles_total{{{NS}}}[{RATE}]))",
                            "{{outcome}}",
                        )
                    ],
                    unit="ops",
                ),
                Panel(
                    "Reconcile duration p95",
                    [
                        q(
                            "histogram_quantile(0.95, sum by (le) "
                            f"(rate(workout_operator_reconcile_duration_seconds_bucket{{{NS}}}[{RATE}])))",
                            "p95",
                        )
                    ],
                    unit="s",
                ),
                Panel(
                    "Reconcile errors by reason (1h)",
                    [
                        q(
                            "sum by (reason) "
                            f"(increase(workout_operator_reconcile_errors_total{{{NS}}}[1h]))",
                            "{{reason}}",
                        )
                    ],
                    width=24,
                ),
            ],
        ),
    ],
)

DASHBOARDS = {
    "overview": OVERVIEW,
    "api": API,
    "coach": COACH,
    "worker": WORKER,
    "operator": OPERATOR,
}

DATASOURCE = {"type": "prometheus", "uid": "${datasource}"}


def panel_json(panel: Panel, panel_id: int, x: int, y: int) -> dict[str, Any]:
    height = 5 if panel.kind == "stat" else 8
    defaults: dict[str, Any] = {"unit": panel.unit}
    if "mappings" in panel.options:
        defaults["mappings"] = panel.options["mappings"]
    body: dict[str, Any] = {
        "id": panel_id,
        "type": panel.kind,
        "title": panel.title,
        "description": panel.description,
        "datasource": DATASOURCE,
        "gridPos": {"x": x, "y": y, "w": panel.width, "h": height},
        "fieldConfig": {"defaults": defaults, "overrides": []},
        "targets": [
            {
                "datasource": DATASOURCE,
                "refId": chr(ord("A") + index),
                "expr": query.expr,
                "legendFormat": query.legend,
            }
            for index, query in enumerate(panel.queries)
        ],
    }
    if panel.kind == "timeseries":
        body["options"] = {
            "legend": {"displayMode": "list", "placement": "bottom", "showLegend": True},
            "tooltip": {"mode": "multi", "sort": "desc"},
        }
    else:
        body["options"] = {
            "reduceOptions": {"calcs": ["lastNotNull"], "fields": "", "values": False},
            "colorMode": "background",
            "textMode": "value_and_name",
        }
    return body


def dashboard_json(dashboard: Dashboard) -> dict[str, Any]:
    panels: list[dict[str, Any]] = []
    panel_id = 1
    y = 0
    for row in dashboard.rows:
        panels.append(
            {
                "id": panel_id,
                "type": "row",
                "title": row.title,
                "collapsed": False,
                "gridPos": {"x": 0, "y": y, "w": 24, "h": 1},
                "panels": [],
            }
        )
        panel_id += 1
        y += 1
        x = 0
        row_height = 0
        for panel in row.panels:
            height = 5 if panel.kind == "stat" else 8
            if x + panel.width > 24:
                x = 0
                y += row_height
                row_height = 0
            panels.append(panel_json(panel, panel_id, x, y))
            panel_id += 1
            x += panel.width
            row_height = max(row_height, height)
        y += row_height
    return {
        "uid": dashboard.uid,
        "title": dashboard.title,
        "description": dashboard.description,
        "tags": ["workout-tracker", *dashboard.tags],
        "editable": True,
        "graphTooltip": 1,
        "schemaVersion": 39,
        "version": 1,
        "refresh": "30s",
        "time": {"from": "now-6h", "to": "now"},
        "timezone": "browser",
        "links": [
            {
                "type": "dashboards",
                "tags": ["workout-tracker"],
                "asDropdown": True,
                "title": "Workout Tracker",
                "includeVars": True,
                "keepTime": True,
            }
        ],
        "templating": {
            "list": [
                {
                    "name": "datasource",
                    "label": "Data source",
                    "type": "datasource",
                    "query": "prometheus",
                    "current": {},
                    "hide": 0,
                },
                {
                    "name": "namespace",
                    "label": "Namespace",
                    "type": "query",
                    "datasource": DATASOURCE,
                    "query": {
                        "query": "label_values(up, namespace)",
                        "refId": "namespace",
                    },
                    "definition": "label_values(up, namespace)",
                    "includeAll": True,
                    "allValue": ".*",
                    "multi": True,
                    "current": {"text": "All", "value": "$__all"},
                    "refresh": 2,
                    "hide": 0,
                },
            ]
        },
        "annotations": {"list": []},
        "panels": panels,
    }


def render_dashboards() -> dict[Path, str]:
    """Path → JSON text of every dashboard."""
    return {
        DASHBOARD_DIR / f"{name}.json": json.dumps(
            dashboard_json(dashboard), indent=2, ensure_ascii=False
        )
        + "\n"
        for name, dashboard in DASHBOARDS.items()
    }


PROMETHEUS_RULE_HEADER = """\
{{- /* Written by monitoring/build_chart_files.py from monitoring/rules/workout-tracker.rules.yml; do not edit. */ -}}
{{- if .Values.monitoring.prometheusRule.enabled }}
apiVersion: monitoring.coreos.com/v1
kind: PrometheusRule
metadata:
  name: {{ include "wt.fullname" . }}
  labels:
    {{- include "wt.releaseLabels" . | nindent 4 }}
    {{- with .Values.monitoring.prometheusRule.labels }}
    {{- toYaml . | nindent 4 }}
    {{- end }}
spec:
"""


def _escape_for_helm(text: str) -> str:
    """Alert templates use ``{{ $value }}``: Helm must print them, not evaluate them."""
    return re.sub(r"\{\{|\}\}", lambda m: '{{ "{{" }}' if m.group() == "{{" else '{{ "}}" }}', text)


def render_prometheus_rule() -> str:
    text = RULES_FILE.read_text(encoding="utf-8")
    body = text[text.index("groups:") :]
    indented = "".join(f"  {line}" if line.strip() else line for line in body.splitlines(True))
    return PROMETHEUS_RULE_HEADER + _escape_for_helm(indented) + "{{- end }}\n"


def render_all() -> dict[Path, str]:
    return {**render_dashboards(), PROMETHEUS_RULE_TEMPLATE: render_prometheus_rule()}


def main() -> int:
    DASHBOARD_DIR.mkdir(parents=True, exist_ok=True)
    for path, text in render_all().items():
        path.write_text(text, encoding="utf-8")
        print(f"wrote {path.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
