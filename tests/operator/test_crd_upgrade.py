"""The CRD upgrades in place: every resource a released CRD accepted, the current one accepts
with the same meaning (Helm never upgrades ``crds/``; docs/operator.md, "CRD upgrade").

The released definitions are kept under ``crd_history/`` with resources written for them. A
change may add optional fields, widen ranges and enums; it may not remove or retype a field
(the API server would prune or refuse what is stored), make one required, or narrow a rule.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import jsonschema
import pytest
import yaml

from workout_operator.spec import parse_spec

ROOT = Path(__file__).resolve().parents[2]
HISTORY = Path(__file__).with_name("crd_history")
CURRENT = ROOT / "k8s/crds/workouttrackers.workout-tracker.dev.yaml"
RELEASED = sorted(HISTORY.glob("workouttrackers-*.yaml"))


def _schema(path: Path) -> dict[str, Any]:
    crd = yaml.safe_load(path.read_text())
    [version] = crd["spec"]["versions"]
    return dict(version["schema"]["openAPIV3Schema"])


def narrowings(old: dict[str, Any], new: dict[str, Any], where: str = "") -> list[str]:
    """What ``new`` refuses or drops that ``old`` accepted, as readable findings."""
    found: list[str] = []
    if "type" in old and old.get("type") != new.get("type"):
        found.append(f"{where or '.'}: type {old['type']} became {new.get('type')}")
    for key in ("pattern", "format"):
        if key in new and new.get(key) != old.get(key):
            found.append(f"{where}: {key} changed to {new[key]!r}")
    if "enum" in new and not set(old.get("enum", [object()])) <= set(new["enum"]):
        found.append(f"{where}: enum narrowed to {new['enum']}")
    for low in ("minimum", "minLength", "minItems"):
        if low in new and new[low] > old.get(low, float("-inf")):
            found.append(f"{where}: {low} raised to {new[low]}")
    for high in ("maximum", "maxLength", "maxItems"):
        if high in new and new[high] < old.get(high, float("inf")):
            found.append(f"{where}: {high} lowered to {new[high]}")
    added_required = set(new.get("required", [])) - set(old.get("required", []))
    if added_required:
        found.append(f"{where}: now requires {sorted(added_required)}")
    new_properties = new.get("properties", {})
    for name, old_property in old.get("properties", {}).items():
        if name not in new_properties:
            if not new.get("x-kubernetes-preserve-unknown-fields"):
                found.append(f"{where}.{name}: removed (stored values would be pruned)")
            continue
        found += narrowings(old_property, new_properties[name], f"{where}.{name}")
    for key in ("items", "additionalProperties"):
        if isinstance(old.get(key), dict) and isinstance(new.get(key), dict):
            found += narrowings(old[key], new[key], f"{where}[{key}]")
    return found


def test_the_checker_finds_each_kind_of_narrowing() -> None:
    old = {
        "type": "object",
        "properties": {
            "a": {"type": "integer", "minimum": 0},
            "b": {"type": "string", "enum": ["x", "y"]},
            "c": {"type": "string"},
        },
    }
    new = {
        "type": "object",
        "required": ["a"],
        "properties": {
            "a": {"type": "integer", "minimum": 1},
            "b": {"type": "string", "enum": ["x"]},
        },
    }
    assert len(narrowings(old, new)) == 4
    assert narrowings(old, {**old, "properties": {**old["properties"], "d": {}}}) == []


@pytest.mark.parametrize("released", RELEASED, ids=[p.stem for p in RELEASED])
def test_the_current_crd_accepts_everything_a_released_one_did(released: Path) -> None:
    assert narrowings(_schema(released), _schema(CURRENT)) == []


@pytest.mark.parametrize(
    "resource", sorted(HISTORY.glob("*-workouttracker*.yaml")), ids=lambda p: p.stem
)
def test_resources_written_for_a_released_crd_still_apply_and_reconcile(resource: Path) -> None:
    body = yaml.safe_load(resource.read_text())
    jsonschema.validate(body, _schema(CURRENT))
    parse_spec(body["spec"])
