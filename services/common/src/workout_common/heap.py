"""Keep the objects a service builds at start-up out of the garbage collector's scans."""

from __future__ import annotations

import contextlib
import gc
from collections.abc import Iterator


@contextlib.contextmanager
def startup_heap_frozen() -> Iterator[None]:
    """While serving, every object alive at start-up sits in the permanent generation.

    A web service allocates most of its long-lived objects while starting (modules,
    routes, models, compiled statements); left in the tracked generations, every full
    collection walks all of them and stalls each request in flight (tens of
    milliseconds at the API's p99). Enter it when start-up is over; leaving it hands the
    objects back to the collector, so a process that starts and stops applications (a
    test run) does not keep their cycles forever.
    """
    gc.collect()
    gc.freeze()
    try:
        yield
    finally:
        gc.unfreeze()
