"""Offline validation of rendered Kubernetes manifests with ``kubernetes-validate --strict``."""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any

import yaml

KUBERNETES_VERSION = "1.35.0"
VALIDATOR = Path(sys.executable).parent / "kubernetes-validate"


def validate_manifests(
    documents: str | Iterable[Mapping[str, Any]],
    directory: Path,
    *,
    version: str = KUBERNETES_VERSION,
) -> None:
    """Fail with the validator's report unless every document is a valid object of ``version``."""
    text = documents if isinstance(documents, str) else yaml.safe_dump_all(list(documents))
    path = directory / "manifests.yaml"
    path.write_text(text)
    result = subprocess.run(  # noqa: S603 - the workspace's own validator
        [str(VALIDATOR), "--strict", "--quiet", "-k", version, str(path)],
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    report = result.stdout + result.stderr
    assert result.returncode == 0, report
    assert "ERROR" not in result.stdout, report
