"""``workout-worker``: the Arq worker loop and the health server in one process."""

from __future__ import annotations

import asyncio
import contextlib
import logging
import signal
from collections.abc import Iterator

import uvicorn

from workout_worker.health import create_app
from workout_worker.queue import create_worker
from workout_worker.settings import Settings

logger = logging.getLogger(__name__)


class _HealthServer(uvicorn.Server):
    """uvicorn without its own signal handling: the process-wide handler below stops both halves."""

    @contextlib.contextmanager
    def capture_signals(self) -> Iterator[None]:
        yield


async def serve(settings: Settings, *, host: str = "0.0.0.0") -> None:
    """Run until SIGTERM/SIGINT, then stop taking jobs, stop the health server and close clients."""
    worker = create_worker(settings, handle_signals=False)
    config = uvicorn.Config(
        create_app(settings),
        host=host,
        port=settings.worker.health_port,
        log_config=None,
        access_log=False,
        lifespan="on",
    )
    server = _HealthServer(config)
    loop = asyncio.get_running_loop()

    def stop(signum: signal.Signals) -> None:
        logger.info("received %s: shutting down", signum.name)
        server.should_exit = True
        worker.handle_sig(signum)

    for signum in (signal.SIGTERM, signal.SIGINT):
        loop.add_signal_handler(signum, stop, signum)

    async def run_worker() -> None:
        try:
            await worker.async_run()
        except asyncio.CancelledError:
            pass  # cancelled by handle_sig on shutdown
        finally:
            server.should_exit = True
            await worker.close()

    logger.info(
        "worker started: queue %s, health on %s:%d",
        settings.redis.queue_url(),
        host,
        settings.worker.health_port,
    )
    try:
        await asyncio.gather(run_worker(), server.serve())
    finally:
        for signum in (signal.SIGTERM, signal.SIGINT):
            loop.remove_signal_handler(signum)
