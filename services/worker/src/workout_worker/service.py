"""``workout-worker``: the Arq worker loop and the health server in one process."""

from __future__ import annotations

import asyncio
import contextlib
import logging
import signal
from collections.abc import Iterator

import uvicorn
from arq.worker import Worker
from redis.exceptions import RedisError

from workout_worker.health import create_app
from workout_worker.queue import create_worker
from workout_worker.settings import Settings

logger = logging.getLogger(__name__)

REDIS_RETRY_SECONDS = 5.0


class _HealthServer(uvicorn.Server):
    """uvicorn without its own signal handling: the process-wide handler below stops both halves."""

    @contextlib.contextmanager
    def capture_signals(self) -> Iterator[None]:
        yield


class _ArqLoop:
    """Runs the Arq worker; when Redis is unreachable, waits and starts it again.

    Meanwhile the health server keeps answering (``unhealthy``, 503), so an orchestrator
    sees why instead of a process that exits and restarts in a loop.
    """

    def __init__(self, settings: Settings) -> None:
        self.settings = settings
        self.worker: Worker | None = None
        self.stopping = asyncio.Event()

    def stop(self, signum: signal.Signals) -> None:
        self.stopping.set()
        if self.worker is not None:
            self.worker.handle_sig(signum)

    async def run(self) -> None:
        while not self.stopping.is_set():
            self.worker = create_worker(self.settings, handle_signals=False)
            try:
                await self.worker.async_run()
                return
            except asyncio.CancelledError:
                return  # cancelled by handle_sig on shutdown
            except (RedisError, OSError) as exc:
                logger.error(
                    "Arq worker cannot reach Redis at %s (%s); retrying in %.0fs",
                    self.settings.redis.queue_url(),
                    exc,
                    REDIS_RETRY_SECONDS,
                )
            finally:
                with contextlib.suppress(RedisError, OSError):
                    await self.worker.close()
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self.stopping.wait(), REDIS_RETRY_SECONDS)


async def serve(settings: Settings, *, host: str = "0.0.0.0") -> None:
    """Run until SIGTERM/SIGINT, then stop taking jobs, stop the health server and close clients."""
    arq_loop = _ArqLoop(settings)
    config = uvicorn.Config(
        create_app(settings),
        host=host,
        port=settings.worker.health_port,
        log_config=None,
        access_log=False,
        lifespan="on",
        server_header=False,
    )
    server = _HealthServer(config)
    loop = asyncio.get_running_loop()

    def stop(signum: signal.Signals) -> None:
        logger.info("received %s: shutting down", signum.name)
        server.should_exit = True
        arq_loop.stop(signum)

    for signum in (signal.SIGTERM, signal.SIGINT):
        loop.add_signal_handler(signum, stop, signum)

    async def run_worker() -> None:
        try:
            await arq_loop.run()
        finally:
            server.should_exit = True

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
