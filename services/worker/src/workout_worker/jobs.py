"""Arq job functions: thin wrappers that run a task with the worker's shared clients."""

from __future__ import annotations

from typing import Any

from workout_worker.resources import Resources
from workout_worker.tasks.runner import run_task

RESOURCES_KEY = "resources"


def _resources(ctx: dict[str, Any]) -> Resources:
    resources: Resources = ctx[RESOURCES_KEY]
    return resources


async def refresh_exercises(ctx: dict[str, Any]) -> dict[str, Any]:
    return (await run_task("refresh", _resources(ctx))).as_dict()


async def warmup_ai_cache(ctx: dict[str, Any]) -> dict[str, Any]:
    return (await run_task("warmup", _resources(ctx))).as_dict()


async def cleanup_stale_data(ctx: dict[str, Any]) -> dict[str, Any]:
    return (await run_task("cleanup", _resources(ctx))).as_dict()
