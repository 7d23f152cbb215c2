"""Render the platform chart with ``helm template``: the single source of every manifest."""

from __future__ import annotations

import json
import os
import subprocess
import tempfile
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import yaml

Manifest = dict[str, Any]


class RenderError(RuntimeError):
    """``helm template`` refused the values or could not run; the message carries helm's words."""


def render_chart(
    *,
    helm: str,
    chart: Path,
    release: str,
    namespace: str,
    values: Mapping[str, Any],
    api_versions: tuple[str, ...] = (),
    timeout: float = 120.0,
) -> list[Manifest]:
    """Every object ``helm template`` renders for ``values``, hooks excluded, in helm's order."""
    with tempfile.TemporaryDirectory(prefix="workout-operator-") as home:
        values_file = Path(home) / "values.json"
        values_file.write_text(json.dumps(values), encoding="utf-8")
        command = [
            helm,
            "template",
            release,
            str(chart),
            "--namespace",
            namespace,
            "--values",
            str(values_file),
            "--no-hooks",
        ]
        for api_version in api_versions:
            command += ["--api-versions", api_version]
        env = dict(os.environ)
        # helm writes caches and repository config; keep them away from a read-only home.
        for variable in ("HELM_CACHE_HOME", "HELM_CONFIG_HOME", "HELM_DATA_HOME"):
            env.setdefault(variable, home)
        try:
            completed = subprocess.run(  # noqa: S603 - the command is built from settings, no shell
                command, capture_output=True, text=True, timeout=timeout, env=env, check=False
            )
        except (OSError, subprocess.TimeoutExpired) as exc:
            raise RenderError(f"helm could not run: {exc}") from exc
    if completed.returncode != 0:
        message = completed.stderr.strip() or completed.stdout.strip()
        raise RenderError(f"helm template failed: {message}")
    return parse_manifests(completed.stdout)


def parse_manifests(text: str) -> list[Manifest]:
    """The non-empty objects of a multi-document YAML stream (``List`` kinds are flattened)."""
    manifests: list[Manifest] = []
    for document in yaml.safe_load_all(text):
        if not isinstance(document, dict) or not document:
            continue
        if document.get("kind", "").endswith("List") and "items" in document:
            manifests.extend(item for item in document["items"] if isinstance(item, dict))
        else:
            manifests.append(document)
    return manifests
