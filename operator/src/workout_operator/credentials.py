"""Credentials the platform needs, generated once per resource and kept in a Secret it owns.

``helm template`` cannot ``lookup`` what it generated last time, so a chart-generated key
would change on every render; the operator makes the Secret itself and hands it to the
chart as the ``existingSecret`` of each credential.

The Secret is not owned by the resource: like the database volumes, which outlive it, it is
kept when the resource is deleted, so that re-creating the resource finds the data readable.
"""

from __future__ import annotations

import base64
import secrets
from collections.abc import Callable, Mapping
from typing import Any

from workout_operator.ownership import GROUP, Owner
from workout_operator.render import Manifest

CREDENTIALS_LABEL = f"{GROUP}/credentials-of"
# Key in the Secret → length of the generated value (the chart's key names).
GENERATED_KEYS = {
    "secret-key": 64,
    "service-account-password": 40,
    "initial-admin-password": 24,
    "postgres-password": 40,
    "redis-password": 40,
}


def credentials_secret_name(owner: Owner) -> str:
    return f"{owner.name}-credentials"[:253]


def _random_value(length: int) -> str:
    alphabet = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789"
    return "".join(secrets.choice(alphabet) for _ in range(length))


def credentials_secret(
    owner: Owner,
    existing: Mapping[str, Any] | None,
    generate: Callable[[int], str] = _random_value,
) -> Manifest:
    """The Secret with every generated key: the existing values kept, missing ones made."""
    data = dict(((existing or {}).get("data")) or {})
    for key, length in GENERATED_KEYS.items():
        if key not in data:
            data[key] = base64.b64encode(generate(length).encode()).decode()
    return {
        "apiVersion": "v1",
        "kind": "Secret",
        "metadata": {
            "name": credentials_secret_name(owner),
            "labels": {
                "app.kubernetes.io/name": "workout-tracker",
                "app.kubernetes.io/instance": owner.name,
                "app.kubernetes.io/managed-by": "workout-operator",
                CREDENTIALS_LABEL: owner.label_value,
            },
            "namespace": owner.namespace,
        },
        "type": "Opaque",
        "data": dict(sorted(data.items())),
    }


def credential_values(secret_name: str) -> dict[str, Any]:
    """Chart values pointing every generated credential at ``secret_name``."""
    return {
        "auth": {
            "existingSecret": secret_name,
            "initialAdmin": {
                "existingSecret": secret_name,
                "passwordKey": "initial-admin-password",
            },
        },
        "postgresql": {"existingSecret": secret_name},
        "redis": {"existingSecret": secret_name},
    }
