"""Fixtures of the observability tests: PromQL helpers, promtool, helm, the chart files script."""

from __future__ import annotations

import importlib.util
import shutil
import sys
from pathlib import Path
from types import ModuleType

import pytest

ROOT = Path(__file__).resolve().parents[2]


def _load(path: Path, name: str) -> ModuleType:
    spec = importlib.util.spec_from_file_location(name, path)
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module  # dataclasses look their module up there
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="session")
def promql() -> ModuleType:
    return _load(Path(__file__).with_name("promql.py"), "observability_promql")


@pytest.fixture(scope="session")
def chart_files() -> ModuleType:
    return _load(ROOT / "monitoring/build_chart_files.py", "observability_chart_files")


def _tool(name: str, hint: str) -> str:
    found = shutil.which(name)
    assert found, f"{name} is missing: {hint}"
    return found


@pytest.fixture(scope="session")
def promtool() -> str:
    return _tool("promtool", "run `make prometheus-tools` (Debian package prometheus)")


@pytest.fixture(scope="session")
def prometheus_binary() -> str:
    return _tool("prometheus", "run `make prometheus-tools` (Debian package prometheus)")


@pytest.fixture(scope="session")
def helm() -> str:
    path = ROOT / ".tools/bin/helm"
    assert path.exists(), "helm is missing: run `make helm`"
    return str(path)
