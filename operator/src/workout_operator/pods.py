"""Why a workload's pods do not start: the kubelet's reasons, read from the pods' status.

A Deployment whose image cannot be pulled, or whose Secret is missing, reports nothing but
"0 ready"; a Job in the same state reports nothing at all. The pods say why.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

# Waiting reasons that do not resolve by themselves: a person has to act.
STUCK_REASONS = frozenset(
    {
        "ErrImagePull",
        "ImagePullBackOff",
        "InvalidImageName",
        "CreateContainerConfigError",
        "CreateContainerError",
        "CrashLoopBackOff",
        "RunContainerError",
    }
)


def selector_of(workload: Mapping[str, Any]) -> str:
    """The label selector of a Deployment's or StatefulSet's pods (``matchLabels`` only)."""
    labels = ((workload.get("spec") or {}).get("selector") or {}).get("matchLabels") or {}
    return ",".join(f"{key}={value}" for key, value in sorted(labels.items()))


def job_selector(job: Mapping[str, Any]) -> str:
    return f"job-name={job['metadata']['name']}"


def pod_problem(pods: Iterable[Mapping[str, Any]]) -> str:
    """The first stuck container among ``pods``, in words (``""`` when none is stuck)."""
    for pod in sorted(pods, key=lambda p: str(p.get("metadata", {}).get("name", ""))):
        status = pod.get("status") or {}
        statuses = list(status.get("initContainerStatuses") or []) + list(
            status.get("containerStatuses") or []
        )
        for container in statuses:
            waiting = (container.get("state") or {}).get("waiting") or {}
            reason = waiting.get("reason")
            if reason in STUCK_REASONS:
                message = str(waiting.get("message") or "").strip()
                name = pod.get("metadata", {}).get("name", "")
                text = f"pod {name} container {container.get('name')}: {reason}"
                return f"{text}: {message[:300]}" if message else text
    return ""
