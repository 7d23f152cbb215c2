"""Deleting everything a ``WorkoutTracker`` created, when the resource itself goes away."""

from __future__ import annotations

from workout_operator.kube import KubeApi
from workout_operator.ownership import Owner, is_owned_by
from workout_operator.resources import ResourceKind


def remove_children(api: KubeApi, owner: Owner, inventory: list[str]) -> int:
    """Delete every labelled child of ``owner`` among the inventory's kinds; how many went."""
    removed = 0
    for text in inventory:
        kind = ResourceKind.parse(text)
        for obj in api.list(kind, owner.namespace, owner.selector):
            if is_owned_by(obj, owner) and api.delete(
                kind, owner.namespace, obj["metadata"]["name"]
            ):
                removed += 1
    return removed
