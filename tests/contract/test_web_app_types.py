"""The web app's API types are generated from the services' OpenAPI documents and kept current."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
FRONTEND = ROOT / "frontend"
GENERATED = FRONTEND / "src" / "api" / "generated"
GENERATOR = FRONTEND / "node_modules" / ".bin" / "openapi-typescript"


@pytest.fixture(scope="module")
def documents(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("openapi")
    subprocess.run(
        [sys.executable, str(ROOT / "scripts" / "openapi_documents.py"), str(folder)],
        check=True,
        capture_output=True,
        timeout=120,
    )
    return folder


@pytest.mark.parametrize("service", ["workout-api", "ai-coach"])
def test_the_committed_types_are_those_of_the_current_document(
    documents: Path, tmp_path: Path, service: str
) -> None:
    fresh = tmp_path / f"{service}.ts"
    subprocess.run(
        [str(GENERATOR), str(documents / f"{service}.json"), "-o", str(fresh)],
        check=True,
        capture_output=True,
        cwd=FRONTEND,
        timeout=120,
    )
    committed = GENERATED / f"{service}.ts"
    assert committed.read_text() == fresh.read_text(), (
        f"{committed.relative_to(ROOT)} is stale: the {service} OpenAPI document changed; "
        "run `make api-types` and commit the result"
    )
