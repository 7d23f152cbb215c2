"""The few Kubernetes API calls the operator makes: server-side apply, get, list, delete."""

from __future__ import annotations

import json
from typing import Any, cast

from kubernetes import client, config

from workout_operator.ownership import FIELD_MANAGER
from workout_operator.resources import ResourceKind

APPLY_CONTENT_TYPE = "application/apply-patch+yaml"


class KubeError(RuntimeError):
    """An API call failed; ``status`` is the HTTP status (0 when the server did not answer)."""

    def __init__(self, message: str, status: int = 0) -> None:
        super().__init__(message)
        self.status = status


def load_api_client() -> client.ApiClient:
    """An API client for the cluster the operator runs in, or the current kubeconfig context."""
    try:
        config.load_incluster_config()  # type: ignore[no-untyped-call]
    except config.ConfigException:
        config.load_kube_config()  # type: ignore[no-untyped-call]
    return client.ApiClient()


class KubeApi:
    def __init__(self, api_client: client.ApiClient, field_manager: str = FIELD_MANAGER) -> None:
        self._client = api_client
        self._field_manager = field_manager

    def _call(
        self,
        method: str,
        path: str,
        *,
        query: list[tuple[str, str]] | None = None,
        body: Any = None,
        content_type: str | None = None,
    ) -> dict[str, Any]:
        headers = {"Accept": "application/json"}
        if content_type:
            headers["Content-Type"] = content_type
        try:
            request = self._client.param_serialize(
                method,
                path,
                query_params=query or [],
                header_params=headers,
                body=body,
                auth_settings=["BearerToken"],
            )
            response = self._client.call_api(*request, _request_timeout=30)
            raw = response.read()  # type: ignore[no-untyped-call]
        except Exception as exc:  # urllib3 connection errors and the like
            raise KubeError(f"{method} {path}: {exc}") from exc
        if not 200 <= response.status < 300:
            text = raw.decode("utf-8", "replace") if isinstance(raw, bytes) else str(raw)
            raise KubeError(f"{method} {path}: {response.status} {text[:500]}", response.status)
        result = json.loads(raw) if raw else {}
        return cast(dict[str, Any], result or {})

    def apply(self, manifest: dict[str, Any], *, field_manager: str = "") -> dict[str, Any]:
        """Server-side apply ``manifest`` as this operator's field manager, taking over conflicts."""
        kind = ResourceKind.of(manifest)
        metadata = manifest["metadata"]
        path = kind.path(namespace=metadata.get("namespace"), name=metadata["name"])
        query = [("fieldManager", field_manager or self._field_manager), ("force", "true")]
        return self._call(
            "PATCH", path, query=query, body=manifest, content_type=APPLY_CONTENT_TYPE
        )

    def patch_status(
        self, kind: ResourceKind, namespace: str, name: str, status: dict[str, Any]
    ) -> dict[str, Any]:
        """Merge-patch the status subresource (``None`` values remove keys)."""
        path = kind.path(namespace=namespace, name=name) + "/status"
        body = {"status": status}
        return self._call("PATCH", path, body=body, content_type="application/merge-patch+json")

    def get(self, kind: ResourceKind, namespace: str, name: str) -> dict[str, Any] | None:
        try:
            return self._call("GET", kind.path(namespace=namespace, name=name))
        except KubeError as exc:
            if exc.status == 404:
                return None
            raise

    def list(self, kind: ResourceKind, namespace: str, label_selector: str) -> list[dict[str, Any]]:
        """Objects of ``kind`` matching ``label_selector`` (``[]`` when the API does not serve the kind)."""
        try:
            answer = self._call(
                "GET", kind.path(namespace=namespace), query=[("labelSelector", label_selector)]
            )
        except KubeError as exc:
            if exc.status == 404:
                return []
            raise
        items = answer.get("items") or []
        for item in items:  # list items come without their type
            item.setdefault("apiVersion", kind.api_version)
            item.setdefault("kind", kind.kind)
        return [item for item in items if _matches(item, label_selector)]

    def delete(self, kind: ResourceKind, namespace: str, name: str) -> bool:
        """Delete with background propagation; ``False`` when it was already gone."""
        body = {"apiVersion": "v1", "kind": "DeleteOptions", "propagationPolicy": "Background"}
        try:
            self._call("DELETE", kind.path(namespace=namespace, name=name), body=body)
        except KubeError as exc:
            if exc.status == 404:
                return False
            raise
        return True


def _matches(obj: dict[str, Any], label_selector: str) -> bool:
    """Equality selectors checked again on our side: the server may not filter (fakes, proxies)."""
    labels = obj.get("metadata", {}).get("labels") or {}
    for term in filter(None, label_selector.split(",")):
        key, _, value = term.partition("=")
        if labels.get(key.strip()) != value.strip():
            return False
    return True
