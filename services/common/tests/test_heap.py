"""The start-up heap is kept out of the collector's scans while a service runs."""

from __future__ import annotations

import gc

from workout_common.heap import startup_heap_frozen


class Node:
    def __init__(self) -> None:
        self.me = self  # a cycle: only the cyclic collector can free it


def test_startup_objects_are_not_scanned_while_serving_and_are_freed_after() -> None:
    startup = Node()
    with startup_heap_frozen():
        assert gc.get_freeze_count() > 0
        assert not any(obj is startup for obj in gc.get_objects())  # outside every scan
        after = Node()
        assert any(obj is after for obj in gc.get_objects())  # new objects still tracked
    assert gc.get_freeze_count() == 0
    assert any(obj is startup for obj in gc.get_objects())  # handed back to the collector
