"""Mark rendered objects as children of their ``WorkoutTracker``: namespace, label, owner reference."""

from __future__ import annotations

import copy
import hashlib
from dataclasses import dataclass
from typing import Any

from workout_operator.render import Manifest
from workout_operator.resources import ResourceKind

GROUP = "workout-tracker.dev"
VERSION = "v1alpha1"
KIND = "WorkoutTracker"
PLURAL = "workouttrackers"
OWNER_LABEL = f"{GROUP}/owner"
FIELD_MANAGER = "workout-operator"
# Holds the replica count of a Deployment whose scaling the operator leaves to others.
REPLICAS_MANAGER = "workout-operator-replicas"
KEEP_ANNOTATION = "helm.sh/resource-policy"


@dataclass(frozen=True)
class Owner:
    name: str
    namespace: str
    uid: str

    @property
    def label_value(self) -> str:
        """``<namespace>.<name>``, shortened with a hash when longer than a label value may be."""
        value = f"{self.namespace}.{self.name}"
        if len(value) <= 63:
            return value
        digest = hashlib.sha256(value.encode()).hexdigest()[:10]
        return f"{value[:52].rstrip('.-_')}-{digest}"

    @property
    def selector(self) -> str:
        return f"{OWNER_LABEL}={self.label_value}"

    def reference(self) -> dict[str, Any]:
        return {
            "apiVersion": f"{GROUP}/{VERSION}",
            "kind": KIND,
            "name": self.name,
            "uid": self.uid,
            "controller": True,
            "blockOwnerDeletion": True,
        }


def kept(obj: dict[str, Any]) -> bool:
    """Marked to outlive its release (``helm.sh/resource-policy: keep``), as the dumps' volume."""
    annotations = obj.get("metadata", {}).get("annotations") or {}
    return bool(annotations.get(KEEP_ANNOTATION) == "keep")


def adopt(manifest: Manifest, owner: Owner) -> Manifest:
    """A copy of ``manifest`` placed in the owner's namespace, labelled and owned by it.

    An object marked to be kept gets no owner reference, so deleting the resource leaves it,
    as ``helm uninstall`` does; the label still lets the operator find it.
    """
    child = copy.deepcopy(manifest)
    metadata = child.setdefault("metadata", {})
    if ResourceKind.of(child).namespaced:
        metadata["namespace"] = owner.namespace
        if not kept(child):
            metadata["ownerReferences"] = [owner.reference()]
    metadata.setdefault("labels", {})[OWNER_LABEL] = owner.label_value
    return child


def is_owned_by(obj: dict[str, Any], owner: Owner) -> bool:
    labels = obj.get("metadata", {}).get("labels") or {}
    return bool(labels.get(OWNER_LABEL) == owner.label_value)


def object_key(obj: dict[str, Any]) -> tuple[str, str, str]:
    """``(apiVersion/Kind, namespace, name)``: what identifies an object across renders."""
    metadata = obj.get("metadata", {})
    return (str(ResourceKind.of(obj)), metadata.get("namespace", ""), metadata["name"])
