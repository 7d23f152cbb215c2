"""PromQL of the dashboards and alert rules: every expression, and the metric names it reads."""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[2]
DASHBOARD_DIR = ROOT / "charts/workout-tracker/dashboards"
RULES_FILE = ROOT / "monitoring/rules/workout-tracker.rules.yml"

# What Grafana puts in place of its variables when every namespace is selected.
GRAFANA_VARIABLES = {"$__rate_interval": "1m", "$namespace": ".*"}

_STRING = re.compile(r'"(?:[^"\\]|\\.)*"|\'(?:[^\'\\]|\\.)*\'|`[^`]*`')
_MATCHERS = re.compile(r"\{[^{}]*\}")
_RANGES = re.compile(r"\[[^\[\]]*\]")
_LABEL_LISTS = re.compile(
    r"\b(by|without|on|ignoring|group_left|group_right)\s*\([^()]*\)", re.IGNORECASE
)
_IDENTIFIER = re.compile(r"(?<![\w:.])([a-zA-Z_:][a-zA-Z0-9_:]*)(?![\w:])(?!\s*\()")
_KEYWORDS = frozenset(
    {"by", "without", "on", "ignoring", "group_left", "group_right", "and", "or", "unless"}
    | {"bool", "offset", "inf", "nan", "atan2", "start", "end"}
)


@dataclass(frozen=True)
class Expression:
    source: str
    expr: str


def substitute_grafana_variables(expr: str) -> str:
    for name, value in GRAFANA_VARIABLES.items():
        expr = expr.replace(name, value)
    return expr


def metric_names(expr: str) -> set[str]:
    """The metric names an expression selects (functions, keywords and labels excluded)."""
    text = _STRING.sub('""', expr)
    text = _MATCHERS.sub("", text)
    text = _RANGES.sub("", text)
    text = _LABEL_LISTS.sub(" ", text)
    return {name for name in _IDENTIFIER.findall(text) if name.lower() not in _KEYWORDS}


def dashboard_expressions() -> list[Expression]:
    found: list[Expression] = []
    for path in sorted(DASHBOARD_DIR.glob("*.json")):
        dashboard = json.loads(path.read_text(encoding="utf-8"))
        for panel in dashboard["panels"]:
            for target in panel.get("targets", []):
                found.append(
                    Expression(
                        f"{path.name}: {panel['title']} ({target['refId']})",
                        substitute_grafana_variables(target["expr"]),
                    )
                )
    return found


def rule_expressions() -> list[Expression]:
    rules = yaml.safe_load(RULES_FILE.read_text(encoding="utf-8"))
    return [
        Expression(f"{RULES_FILE.name}: {rule.get('alert') or rule.get('record')}", rule["expr"])
        for group in rules["groups"]
        for rule in group["rules"]
    ]


def all_expressions() -> list[Expression]:
    return dashboard_expressions() + rule_expressions()
