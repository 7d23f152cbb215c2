"""The peak resident memory of a server process while a benchmark drives it."""

from __future__ import annotations

import contextlib
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass

import psutil


@dataclass
class PeakMemory:
    before: int
    peak: int
    seconds: float = 0.0

    @property
    def growth_mib(self) -> float:
        return (self.peak - self.before) / 2**20


@contextlib.contextmanager
def sampled_memory(pid: int, interval: float = 0.005) -> Iterator[PeakMemory]:
    """Samples ``pid``'s RSS in a thread while the block runs; ``seconds`` is the block's time."""
    process = psutil.Process(pid)
    figures = PeakMemory(before=process.memory_info().rss, peak=process.memory_info().rss)
    done = threading.Event()

    def sample() -> None:
        while not done.is_set():
            figures.peak = max(figures.peak, process.memory_info().rss)
            time.sleep(interval)

    sampler = threading.Thread(target=sample)
    sampler.start()
    started = time.perf_counter()
    try:
        yield figures
    finally:
        figures.seconds = time.perf_counter() - started
        done.set()
        sampler.join()
