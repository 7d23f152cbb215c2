"""Which of several operator replicas reconciles, as kopf's peering decides it.

Kopf lets the live peer with the highest priority work and pauses the others; peers with the
same priority pause one another. Each replica therefore needs a priority of its own
(:func:`priority_for`), and its probes report the role it has (:func:`role`): ``active``,
``standby`` (a higher-priority peer works) or ``frozen`` (a peer with the same priority: nobody
works).
"""

from __future__ import annotations

import hashlib
from collections.abc import Mapping
from datetime import UTC, datetime, timedelta
from enum import StrEnum
from typing import Any

from workout_operator.resources import ResourceKind

CLUSTER_PEERING = ResourceKind("kopf.dev/v1", "ClusterKopfPeering")
NAMESPACED_PEERING = ResourceKind("kopf.dev/v1", "KopfPeering")
# Priorities derived from a pod name fall in [1, _SPAN]; an explicit priority may be anything.
_SPAN = 1_000_000


class Role(StrEnum):
    ACTIVE = "active"
    STANDBY = "standby"
    FROZEN = "frozen"


def priority_for(identity: str) -> int:
    """A stable priority from a pod's name: replicas differ, a restarted pod keeps its own."""
    digest = hashlib.sha256(identity.encode()).digest()
    return 1 + int.from_bytes(digest[:8], "big") % _SPAN


def _parse_time(text: str) -> datetime:
    moment = datetime.fromisoformat(text.replace("Z", "+00:00"))
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


def role(peering: Mapping[str, Any] | None, *, identity: str, priority: int, now: datetime) -> Role:
    """This replica's role from the peering object's status (``{peer id: {priority, ...}}``)."""
    peers = dict((peering or {}).get("status") or {})
    rivals = []
    for peer_id, info in peers.items():
        if peer_id == identity or not isinstance(info, Mapping):
            continue
        lastseen = info.get("lastseen")
        seen = _parse_time(str(lastseen)) if lastseen else now
        if seen + timedelta(seconds=int(info.get("lifetime", 60))) <= now:
            continue  # dead: kopf ignores it too
        rivals.append(int(info.get("priority", 0)))
    if any(p > priority for p in rivals):
        return Role.STANDBY
    if any(p == priority for p in rivals):
        return Role.FROZEN
    return Role.ACTIVE
