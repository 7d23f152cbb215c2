from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[3]
CHART = REPO / "charts" / "workout-tracker"


@pytest.fixture
def helm(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> str:
    candidate = os.environ.get("HELM_BINARY") or str(REPO / ".tools" / "bin" / "helm")
    found = shutil.which(candidate)
    assert found, f"helm not found at {candidate}: run `make helm` (or set HELM_BINARY)"
    for variable in ("HELM_CACHE_HOME", "HELM_CONFIG_HOME", "HELM_DATA_HOME"):
        monkeypatch.setenv(variable, str(tmp_path / "helm"))
    return found
