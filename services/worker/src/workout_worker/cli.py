"""Command line: ``workout-worker`` (worker + health server) and ``workout-worker run-task NAME``."""

from __future__ import annotations

import argparse
import asyncio
import json
import sys
from collections.abc import Sequence

from workout_common.logging_setup import configure_logging
from workout_common.telemetry import setup_telemetry, shutdown_telemetry
from workout_worker.errors import TaskUnavailableError
from workout_worker.resources import open_resources
from workout_worker.settings import Settings, SettingsError, load_settings
from workout_worker.tasks.runner import TASKS, run_task

EXIT_OK = 0
EXIT_ALL_FAILED = 1
EXIT_CANNOT_RUN = 2


def parse_args(argv: Sequence[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        prog="workout-worker",
        description="Workout Tracker worker: Arq queue and health server, or one task once.",
    )
    parser.add_argument("--host", default="0.0.0.0", help="health server address (default 0.0.0.0)")
    commands = parser.add_subparsers(dest="command")
    run = commands.add_parser(
        "run-task",
        help="run one scheduled task once, print its result as JSON (for Kubernetes CronJobs)",
    )
    run.add_argument("task", choices=sorted(TASKS))
    return parser.parse_args(argv)


async def run_task_once(task: str, settings: Settings) -> int:
    """Run ``task``, print its result JSON; the exit code says whether it did its job."""
    async with open_resources(settings) as resources:
        try:
            result = await run_task(task, resources)
        except TaskUnavailableError as exc:
            print(f"workout-worker: {task} could not run: {exc}", file=sys.stderr)
            return EXIT_CANNOT_RUN
    print(json.dumps(result.as_dict()))
    if result.all_failed:
        print(f"workout-worker: {task}: every item failed", file=sys.stderr)
        return EXIT_ALL_FAILED
    return EXIT_OK


def main(argv: Sequence[str] | None = None) -> int:
    args = parse_args(argv)
    configure_logging("workout_worker")
    try:
        settings = load_settings()
    except SettingsError as exc:
        print(f"workout-worker: {exc}", file=sys.stderr)
        return EXIT_CANNOT_RUN
    if args.command == "run-task":
        setup_telemetry("workout-worker")
        try:
            return asyncio.run(run_task_once(args.task, settings))
        finally:
            shutdown_telemetry()  # a CronJob pod exits right after: send its spans first
    from workout_worker.service import serve

    asyncio.run(serve(settings, host=args.host))
    return EXIT_OK


if __name__ == "__main__":
    sys.exit(main())
