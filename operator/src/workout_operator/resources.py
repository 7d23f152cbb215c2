"""Where each kind of object lives in the Kubernetes API (group, version, plural, scope)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

# Plurals that the simple English rules below would get wrong.
_IRREGULAR_PLURALS = {"Endpoints": "endpoints"}
# Kinds the platform chart could render that are not namespaced.
_CLUSTER_SCOPED = {
    "Namespace",
    "ClusterRole",
    "ClusterRoleBinding",
    "CustomResourceDefinition",
    "PersistentVolume",
    "StorageClass",
    "PriorityClass",
    "IngressClass",
    "ClusterKopfPeering",
}


@dataclass(frozen=True, order=True)
class ResourceKind:
    api_version: str
    kind: str

    @classmethod
    def of(cls, manifest: dict[str, Any]) -> ResourceKind:
        return cls(api_version=str(manifest["apiVersion"]), kind=str(manifest["kind"]))

    @classmethod
    def parse(cls, text: str) -> ResourceKind:
        """Read ``apps/v1/Deployment`` or ``v1/Service`` back."""
        api_version, _, kind = text.rpartition("/")
        return cls(api_version=api_version, kind=kind)

    def __str__(self) -> str:
        return f"{self.api_version}/{self.kind}"

    @property
    def plural(self) -> str:
        if self.kind in _IRREGULAR_PLURALS:
            return _IRREGULAR_PLURALS[self.kind]
        lower = self.kind.lower()
        if lower.endswith(("s", "x", "ch", "sh")):
            return lower + "es"
        if lower.endswith("y") and lower[-2:-1] not in "aeiou":
            return lower[:-1] + "ies"
        return lower + "s"

    @property
    def namespaced(self) -> bool:
        return self.kind not in _CLUSTER_SCOPED

    def path(self, *, namespace: str | None, name: str | None = None) -> str:
        base = (
            f"/api/{self.api_version}"
            if "/" not in self.api_version
            else f"/apis/{self.api_version}"
        )
        if self.namespaced and namespace:
            base += f"/namespaces/{namespace}"
        base += f"/{self.plural}"
        return f"{base}/{name}" if name else base
