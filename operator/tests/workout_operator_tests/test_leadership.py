"""Which replica works: distinct priorities per pod, and the role each replica reports."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from workout_operator.leadership import Role, priority_for, role

NOW = datetime(2030, 1, 1, 12, 0, tzinfo=UTC)


def _peer(
    priority: int, *, seen: timedelta = timedelta(0), lifetime: int = 60
) -> dict[str, object]:
    return {
        "priority": priority,
        "lifetime": lifetime,
        "lastseen": (NOW - seen).isoformat(),
    }


def test_replicas_of_one_deployment_get_distinct_stable_priorities() -> None:
    names = [
        f"workout-tracker-operator-7c9d8f6b5-{suffix}" for suffix in ("x2k4p", "q8m1z", "b7r9t")
    ]
    priorities = [priority_for(name) for name in names]
    assert len(set(priorities)) == len(names)
    assert priorities == [priority_for(name) for name in names], "stable across restarts"
    assert all(p > 0 for p in priorities)


def test_the_highest_live_priority_is_active_and_the_others_stand_by() -> None:
    peering = {"status": {"a": _peer(10), "b": _peer(20)}}
    assert role(peering, identity="a", priority=10, now=NOW) is Role.STANDBY
    assert role(peering, identity="b", priority=20, now=NOW) is Role.ACTIVE


def test_equal_priorities_freeze_and_say_so() -> None:
    peering = {"status": {"a": _peer(10), "b": _peer(10)}}
    assert role(peering, identity="a", priority=10, now=NOW) is Role.FROZEN


def test_a_dead_or_departed_peer_no_longer_counts() -> None:
    expired = {"status": {"a": _peer(10), "b": _peer(20, seen=timedelta(seconds=61))}}
    assert role(expired, identity="a", priority=10, now=NOW) is Role.ACTIVE
    departed = {"status": {"a": _peer(10), "b": _peer(20, lifetime=0)}}
    assert role(departed, identity="a", priority=10, now=NOW) is Role.ACTIVE
    assert role(None, identity="a", priority=10, now=NOW) is Role.ACTIVE
