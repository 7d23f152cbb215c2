"""Dockerfiles, the kind cluster and skaffold agree with the chart and the fixed entry points."""

from __future__ import annotations

import json
import re
import subprocess
from pathlib import Path

import pytest
import yaml

from tests.charts.conftest import CHART, ROOT, Render, pod_spec

# Dockerfile → (workspace package, entry point, image name, port)
PYTHON_IMAGES = {
    "services/api/Dockerfile": ("workout-api", "workout-api", "workout-tracker-api", 8000),
    "services/ai_coach/Dockerfile": (
        "workout-coach",
        "workout-coach",
        "workout-tracker-ai-coach",
        8001,
    ),
    "services/worker/Dockerfile": (
        "workout-worker",
        "workout-worker",
        "workout-tracker-worker",
        8002,
    ),
    "operator/Dockerfile": (
        "workout-operator",
        "workout-operator",
        "workout-tracker-operator",
        8080,
    ),
}
FRONTEND_DOCKERFILE = ROOT / "frontend" / "Dockerfile"


def _instructions(dockerfile: Path) -> list[tuple[str, str]]:
    """(INSTRUCTION, arguments) with line continuations joined and comments dropped."""
    text = re.sub(r"\\\n", " ", dockerfile.read_text())
    result = []
    in_heredoc = None
    for line in text.splitlines():
        if in_heredoc:
            if line.strip() == in_heredoc:
                in_heredoc = None
            continue
        stripped = line.strip()
        if not stripped or stripped.startswith("#"):
            continue
        word, _, rest = stripped.partition(" ")
        result.append((word.upper(), rest.strip()))
        heredoc = re.search(r"<<-?'?(\w+)'?", rest)
        if heredoc:
            in_heredoc = heredoc.group(1)
    return result


def _final_stage(instructions: list[tuple[str, str]]) -> list[tuple[str, str]]:
    starts = [i for i, (word, _) in enumerate(instructions) if word == "FROM"]
    return instructions[starts[-1] :]


def _assert_non_root_exec_form(dockerfile: Path) -> list[tuple[str, str]]:
    instructions = _instructions(dockerfile)
    assert sum(word == "FROM" for word, _ in instructions) >= 2, f"{dockerfile}: not multi-stage"
    final = _final_stage(instructions)
    users = [rest for word, rest in final if word == "USER"]
    assert users, f"{dockerfile}: the final stage sets no USER"
    user = users[-1].split(":")[0]
    assert user not in {"root", "0"}, f"{dockerfile}: runs as {user}"
    entry = [rest for word, rest in final if word in {"ENTRYPOINT", "CMD"}]
    assert entry, f"{dockerfile}: no ENTRYPOINT or CMD"
    for rest in entry:
        assert isinstance(json.loads(rest), list), f"{dockerfile}: {rest} is not exec form"
    secrets = [
        rest
        for word, rest in instructions
        if word in {"ENV", "ARG"} and re.search(r"(PASSWORD|SECRET|API_KEY|TOKEN)\w*=", rest)
    ]
    assert secrets == [], f"{dockerfile}: secrets baked in: {secrets}"
    return final


@pytest.mark.parametrize("path", sorted(PYTHON_IMAGES))
def test_python_images(path: str) -> None:
    package, entry_point, image, port = PYTHON_IMAGES[path]
    dockerfile = ROOT / path
    final = _assert_non_root_exec_form(dockerfile)
    text = dockerfile.read_text()
    assert f"uv sync --frozen --no-dev --no-editable --package {package}" in text
    assert f"--no-install-workspace --package {package}" in text, (
        "dependencies are not their own layer"
    )
    entrypoint = json.loads(next(rest for word, rest in final if word == "ENTRYPOINT"))
    assert entrypoint == [entry_point]
    assert f'org.opencontainers.image.title="{image}"' in text
    assert ("EXPOSE", str(port)) in final
    member = Path(path).parent
    pyproject = (ROOT / member / "pyproject.toml").read_text()
    assert f'{entry_point} = "' in pyproject, f"{entry_point} is not a script of {member}"


def test_api_image_carries_the_mcp_server(render: Render) -> None:
    text = (ROOT / "services/api/Dockerfile").read_text()
    assert "COPY scripts/exercises_mcp.py /app/scripts/exercises_mcp.py" in text
    mcp = next(
        m
        for m in render({"mcp": {"enabled": True}})
        if m["kind"] == "Deployment" and m["metadata"]["name"].endswith("-mcp")
    )
    assert pod_spec(mcp)["containers"][0]["command"][:2] == [
        "python",
        "/app/scripts/exercises_mcp.py",
    ]


def test_api_image_starts_in_production_unless_told_otherwise() -> None:
    # Without ENVIRONMENT a container would seed admin/admin123 and sign tokens with the
    # public development key; production refuses to start without real secrets instead.
    text = (ROOT / "services/api/Dockerfile").read_text()
    final_stage = text.rsplit("FROM ", 1)[1]
    assert re.search(r"^\s*ENVIRONMENT=production\b", final_stage, re.MULTILINE)


def test_operator_image_carries_helm_and_the_chart() -> None:
    text = (ROOT / "operator/Dockerfile").read_text()
    assert "COPY charts/workout-tracker /app/charts/workout-tracker" in text
    assert "COPY --from=helm /usr/local/bin/helm /usr/local/bin/helm" in text
    assert "WORKOUT_CHART_PATH=/app/charts/workout-tracker" in text
    assert "HELM_BINARY=/usr/local/bin/helm" in text
    helm_version = re.search(r"ARG HELM_VERSION=(v[0-9.]+)", text)
    assert helm_version is not None


def test_frontend_image() -> None:
    assert FRONTEND_DOCKERFILE.exists(), "frontend/Dockerfile, the web app image, is missing"
    final = _assert_non_root_exec_form(FRONTEND_DOCKERFILE)
    assert ("EXPOSE", "3000") in final


def test_dockerignore_keeps_the_context_small_and_secret_free() -> None:
    ignored = set((ROOT / ".dockerignore").read_text().split())
    assert {"**/.venv", "**/node_modules", "**/.git", "**/.env", "data"} <= ignored


def test_kind_cluster_maps_the_ingress_ports() -> None:
    config = yaml.safe_load((ROOT / "k8s/kind/cluster.yaml").read_text())
    assert config["kind"] == "Cluster"
    node = config["nodes"][0]
    assert {(m["containerPort"], m["hostPort"]) for m in node["extraPortMappings"]} == {
        (80, 80),
        (443, 443),
    }
    assert "ingress-ready=true" in node["kubeadmConfigPatches"][0]


def test_kind_up_script_is_valid_bash_and_uses_the_kind_values() -> None:
    script = ROOT / "scripts/kind-up.sh"
    subprocess.run(["bash", "-n", str(script)], check=True)
    text = script.read_text()
    assert "--values k8s/kind/values.yaml" in text
    assert "--config k8s/kind/cluster.yaml" in text
    for dockerfile in (
        "services/api/Dockerfile",
        "services/ai_coach/Dockerfile",
        "services/worker/Dockerfile",
        "frontend/Dockerfile",
    ):
        assert dockerfile in text


def test_skaffold_builds_every_image_and_sets_real_chart_values() -> None:
    config = yaml.safe_load((ROOT / "skaffold.yaml").read_text())
    artifacts = {a["image"]: a for a in config["build"]["artifacts"]}
    operator = next(p for p in config["profiles"] if p["name"] == "operator")
    for patch in operator["patches"]:
        artifacts[patch["value"]["image"]] = patch["value"]
    assert set(artifacts) == {
        "workout-tracker-api",
        "workout-tracker-ai-coach",
        "workout-tracker-worker",
        "workout-tracker-frontend",
        "workout-tracker-operator",
    }
    for artifact in artifacts.values():
        assert (ROOT / artifact["context"] / artifact["docker"]["dockerfile"]).exists()
    (release,) = config["deploy"]["helm"]["releases"]
    assert (ROOT / release["chartPath"]).resolve() == CHART
    values = yaml.safe_load((CHART / "values.yaml").read_text())
    for dotted in release["setValueTemplates"]:
        node = values
        for part in dotted.split("."):
            assert part in node, f"skaffold sets {dotted}, which the chart does not have"
            node = node[part]
    kind = next(p for p in config["profiles"] if p["name"] == "kind")
    assert kind["activation"] == [{"kubeContext": "kind-workout-tracker"}]
    services = {f"workout-tracker-{name}" for name in ("frontend", "api", "ai-coach", "worker")}
    assert {f["resourceName"] for f in config["portForward"]} == services
