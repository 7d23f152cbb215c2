"""The chart lints strictly and every rendering is a valid set of Kubernetes objects."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
import yaml

from workout_testkit.kubernetes_manifests import validate_manifests

from tests.charts.conftest import CHART, VALUE_SETS, run_helm, write_values

# Kubernetes versions the rendered objects must be valid for: the oldest the chart supports
# among kubernetes-validate's schemas that we care about, and a current one.
KUBERNETES_VERSIONS = ("1.33.0", "1.35.0")


def test_lint_strict_with_default_values(helm: str) -> None:
    result = run_helm(helm, "lint", "--strict", str(CHART))
    assert result.returncode == 0, result.stdout + result.stderr


@pytest.mark.parametrize("name", sorted(VALUE_SETS))
def test_lint_strict_with_value_set(helm: str, tmp_path: Path, name: str) -> None:
    values = write_values(tmp_path, VALUE_SETS[name])
    result = run_helm(helm, "lint", "--strict", str(CHART), "-f", str(values))
    assert result.returncode == 0, result.stdout + result.stderr


@pytest.mark.parametrize("version", KUBERNETES_VERSIONS)
@pytest.mark.parametrize("name", sorted(VALUE_SETS))
def test_rendered_manifests_are_valid_kubernetes(
    helm: str, tmp_path: Path, name: str, version: str
) -> None:
    values = write_values(tmp_path, VALUE_SETS[name])
    rendered = run_helm(helm, "template", "wt", str(CHART), "-f", str(values))
    assert rendered.returncode == 0, rendered.stderr
    validate_manifests(rendered.stdout, tmp_path, version=version)

def _param_paths(values_text: str) -> set[str]:
    return {
        line.split("@param", 1)[1].split()[0]
        for line in values_text.splitlines()
        if line.lstrip().startswith("## @param")
    }


def _leaf_paths(node: Any, prefix: str = "") -> list[str]:
    if isinstance(node, dict) and node:
        paths: list[str] = []
        for key, child in node.items():
            paths.extend(_leaf_paths(child, f"{prefix}.{key}" if prefix else key))
        return paths
    return [prefix]


def test_every_value_is_documented_and_typed() -> None:
    text = (CHART / "values.yaml").read_text()
    documented = _param_paths(text)
    schema = yaml.safe_load((CHART / "values.schema.json").read_text())
    undocumented = []
    untyped = []
    for path in _leaf_paths(yaml.safe_load(text)):
        parts = path.split(".")
        if not any(".".join(parts[:i]) in documented for i in range(1, len(parts) + 1)):
            undocumented.append(path)
        node = schema
        for part in parts[:-1]:
            node = _schema_child(schema, node, part)
            if node is None:
                break
        if node is None or _schema_child(schema, node, parts[-1]) is None:
            untyped.append(path)
    assert undocumented == [], f"values without a `## @param` line: {undocumented}"
    assert untyped == [], f"values missing from values.schema.json: {untyped}"


def _schema_child(schema: dict[str, Any], node: dict[str, Any], key: str) -> dict[str, Any] | None:
    node = _resolve(schema, node)
    properties = node.get("properties", {})
    if key in properties:
        return _resolve(schema, properties[key])
    extra = node.get("additionalProperties")
    if isinstance(extra, dict):
        return _resolve(schema, extra)
    # An open object (no declared properties) types whatever is below it.
    if node.get("type") == "object" and not properties and extra is not False:
        return node
    return None


def _resolve(schema: dict[str, Any], node: dict[str, Any]) -> dict[str, Any]:
    while "$ref" in node or "allOf" in node:
        if "$ref" in node:
            node = schema["definitions"][node["$ref"].rsplit("/", 1)[1]]
        else:
            node = node["allOf"][0]
    return node
