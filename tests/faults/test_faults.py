"""Writes through a cut database connection are stored once, or not at all and replayable.

Each test sends a bounded stream of ``POST /exercises`` as a signed-in user, one
``Idempotency-Key`` per logical write, while the proxy in front of PostgreSQL (or Redis)
cuts in. The client behaves as a careful one does: after a 503 or a broken connection it
sends the same request with the same key again, a bounded number of times. Afterwards the
rows are counted in PostgreSQL itself.
"""

from __future__ import annotations

import time
import uuid
from collections import Counter
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from typing import Any

import httpx
import psycopg
import pytest

FaultPlatform = Any  # conftest.FaultPlatform (a conftest is not importable by name)
ATTEMPTS = 6
RETRY_PAUSE_SECONDS = 0.05
RECOVERY_SECONDS = 60.0


@dataclass
class Write:
    name: str
    key: str
    body: dict[str, Any]
    statuses: list[int | str] = field(default_factory=list)
    answer: dict[str, Any] | None = None

    @property
    def final(self) -> int | str:
        return self.statuses[-1]

    @property
    def succeeded(self) -> bool:
        return isinstance(self.final, int) and 200 <= self.final < 300


def send(client: httpx.Client, platform: FaultPlatform, write: Write, timeout: float) -> None:
    """One logical write: the same request, same key, until it is answered (bounded)."""
    for _ in range(ATTEMPTS):
        try:
            answer = client.post(
                f"{platform.api.url}/exercises",
                json=write.body,
                headers={**platform.user_headers, "Idempotency-Key": write.key},
                timeout=timeout,
            )
        except httpx.TransportError as exc:
            write.statuses.append(type(exc).__name__)
        else:
            write.statuses.append(answer.status_code)
            if answer.status_code != 503:
                write.answer = answer.json()
                return
        time.sleep(RETRY_PAUSE_SECONDS)


def stream(
    platform: FaultPlatform,
    fault: str,
    count: int,
    *,
    timeout: float = 30.0,
    between: Callable[[int], None] | None = None,
    clients: int = 1,
) -> list[Write]:
    run = uuid.uuid4().hex[:8]
    writes = [
        Write(
            name=f"{fault}-{index}",
            key=f"{fault}-{run}-{index}",
            body={"name": f"{fault}-{index}", "sets": 3, "reps": 5 + index % 7, "weight": 20.0},
        )
        for index in range(count)
    ]
    if clients > 1:
        with httpx.Client() as client, ThreadPoolExecutor(clients) as pool:
            list(pool.map(lambda write: send(client, platform, write, timeout), writes))
        return writes
    with httpx.Client() as client:
        for index, write in enumerate(writes):
            if between is not None:
                between(index)
            send(client, platform, write, timeout)
    return writes


def rows_named(platform: FaultPlatform, prefix: str) -> dict[str, list[int]]:
    with psycopg.connect(platform.database_url) as conn:
        found = conn.execute(
            "SELECT name, id FROM exercise WHERE name LIKE %s ORDER BY id", (f"{prefix}-%",)
        ).fetchall()
    rows: dict[str, list[int]] = {}
    for name, row_id in found:
        rows.setdefault(name, []).append(row_id)
    return rows


def audit(platform: FaultPlatform, fault: str, writes: list[Write]) -> Any:
    """Checks the rules and records the fault's line of the table.

    Every 2xx is stored exactly once under its answer's id; every write that ended in an
    error is either not stored or, sent again now with its key, answered with the stored
    record; no logical write is ever stored twice.
    """
    unexpected = [
        w.statuses for w in writes if any(s not in (201, 503) for s in w.statuses if type(s) is int)
    ]
    assert not unexpected, f"answers other than 201/503: {unexpected}\n{platform.logs()}"
    rows = rows_named(platform, fault)
    duplicated = sum(1 for ids in rows.values() if len(ids) > 1)
    stored = sum(1 for w in writes if rows.get(w.name))
    lost = 0
    for write in writes:
        ids = rows.get(write.name, [])
        if write.succeeded:
            assert write.answer is not None
            assert ids == [write.answer["id"]], (write, ids)
            continue
        with httpx.Client() as client:
            again = client.post(
                f"{platform.api.url}/exercises",
                json=write.body,
                headers={**platform.user_headers, "Idempotency-Key": write.key},
                timeout=30,
            )
        assert again.status_code == 201, again.text
        if ids:
            assert again.headers.get("Idempotent-Replayed") == "true", (write, again.headers)
            assert ids == [again.json()["id"]], (write, ids, again.text)
        else:
            lost += 1
    after = rows_named(platform, fault)
    assert duplicated == 0, f"stored twice: {[n for n, ids in rows.items() if len(ids) > 1]}"
    assert sorted(after) == sorted(w.name for w in writes)
    assert all(len(ids) == 1 for ids in after.values()), after
    return platform.record(
        fault=fault,
        sent=len(writes),
        ok=sum(1 for w in writes if w.succeeded),
        unavailable=sum(1 for w in writes for s in w.statuses if s == 503),
        stored=stored,
        lost=lost,
        duplicated=duplicated,
        attempts=sum(len(w.statuses) for w in writes),
    )


def settle(platform: FaultPlatform) -> None:
    """Lets the API meet the connections a fault broke before the next test measures.

    The API does not test a pooled connection before using it (no pre-ping round trip,
    workout_api/database.py), so a connection cut while idle fails its next statement
    once, with a 503.
    """
    successes = 0

    def answered_in_a_row() -> bool:
        nonlocal successes
        reads = httpx.get(f"{platform.api.url}/exercises", params={"page_size": 1}, timeout=10)
        successes = successes + 1 if reads.status_code == 200 else 0
        return successes >= 3

    wait_until(answered_in_a_row, "the API reading again", platform)


@pytest.fixture
def platform(fault_platform: FaultPlatform) -> Any:
    fault_platform.plan.arm(None)
    yield fault_platform
    fault_platform.plan.arm(None)
    fault_platform.postgres_proxy.stall(False)
    fault_platform.redis_proxy.refuse(False)
    fault_platform.redis_proxy.stall(False)
    fault_platform.coach_api_proxy.refuse(False)
    fault_platform.coach_api_proxy.stall(False)
    settle(fault_platform)


def test_reset_database_connections_lose_no_write_and_store_none_twice(
    platform: FaultPlatform,
) -> None:
    platform.plan.arm("reset", every=4)
    writes = stream(platform, "pg-reset", 80)
    resets = platform.plan.applied
    platform.plan.arm(None)
    row = audit(platform, "pg-reset", writes)
    assert resets >= 15, (resets, row)
    assert row.ok == row.sent, f"a retry with the same key should succeed: {row}"


def test_pooled_database_connections_reset_between_writes_cost_one_retry_each(
    platform: FaultPlatform,
) -> None:
    """As after a database restart: the pool's idle connections are dead when next used."""
    resets: list[int] = []

    def between(index: int) -> None:
        if index % 10 == 5:
            resets.append(platform.postgres_proxy.reset_all())

    writes = stream(platform, "pg-reset-idle", 60, between=between)
    row = audit(platform, "pg-reset-idle", writes)
    assert sum(resets) >= 6, (resets, row)
    assert row.ok == row.sent, row


def test_a_dropped_commit_reply_is_answered_by_the_retry_without_a_second_row(
    platform: FaultPlatform,
) -> None:
    platform.plan.arm("commit_reply", every=3)
    writes = stream(platform, "pg-commit-reply", 90)
    dropped = platform.plan.applied
    platform.plan.arm(None)
    row = audit(platform, "pg-commit-reply", writes)
    assert dropped >= 25, (dropped, row)
    replayed_after_503 = [w for w in writes if 503 in w.statuses and w.succeeded]
    assert len(replayed_after_503) >= 25, row
    assert row.ok == row.sent, row


def test_concurrent_writers_meeting_reset_and_dropped_commit_replies_store_each_write_once(
    platform: FaultPlatform,
) -> None:
    # Which writer meets a fault depends on how the four interleave, so one may run out of
    # attempts: audit() then checks it was stored once or not at all, and replays.
    platform.plan.arm("reset_or_commit_reply", every=5)
    writes = stream(platform, "pg-concurrent", 80, clients=4)
    applied = platform.plan.applied
    platform.plan.arm(None)
    audit(platform, "pg-concurrent", writes)
    assert applied >= 32, applied  # of at least 160 INSERTs and COMMITs


def test_a_stalled_database_and_impatient_retries_store_each_write_once(
    platform: FaultPlatform,
) -> None:
    # The client gives up before the stall ends, so its retry races the first attempt.
    platform.plan.arm("stall", every=15)
    writes = stream(platform, "pg-stall", 60, timeout=1.0)
    stalls = platform.plan.applied
    platform.plan.arm(None)
    row = audit(platform, "pg-stall", writes)
    assert stalls >= 3, (stalls, row)
    assert any("Timeout" in str(s) for w in writes for s in w.statuses), row


def wait_until(check: Callable[[], bool], what: str, platform: FaultPlatform) -> None:
    """Polls ``check`` until it holds; the deadline is generous, a loaded machine is slow."""
    deadline = time.monotonic() + RECOVERY_SECONDS
    while not check():
        assert time.monotonic() < deadline, f"{what} did not happen\n{platform.logs()}"
        time.sleep(0.1)


def api_health(platform: FaultPlatform) -> tuple[int, dict[str, Any]]:
    answer = httpx.get(f"{platform.api.url}/health", timeout=10)
    return answer.status_code, answer.json()


def redis_state(platform: FaultPlatform) -> tuple[int, str, str, str]:
    code, body = api_health(platform)
    return code, body["status"], body["redis"]["status"], body["redis"]["rate_limit_storage"]


def _rate_limited_call(platform: FaultPlatform) -> None:
    # Rate limits probe Redis again only when a limited request comes.
    answer = httpx.get(f"{platform.api.url}/", timeout=10)
    assert answer.status_code == 200, answer.text


def _redis_fault(platform: FaultPlatform, fault: str, cut: Callable[[bool], None]) -> None:
    seen_during: list[tuple[int, str, str, str]] = []

    def between(index: int) -> None:
        if index == 10:
            cut(True)
        if 10 <= index < 30 and index % 5 == 0:
            _rate_limited_call(platform)
            reads = httpx.get(f"{platform.api.url}/exercises", timeout=10)
            assert reads.status_code == 200, reads.text
            wait_until(
                lambda: redis_state(platform)[2:] == ("disconnected", "memory"),
                "/health reporting Redis down",
                platform,
            )
            seen_during.append(redis_state(platform))
        if index == 30:
            cut(False)

    writes = stream(platform, fault, 40, between=between)
    assert seen_during
    assert all(state == (200, "healthy", "disconnected", "memory") for state in seen_during)

    def recovered() -> bool:
        _rate_limited_call(platform)
        return redis_state(platform) == (200, "healthy", "connected", "redis")

    wait_until(recovered, "/health reporting Redis back", platform)
    row = audit(platform, fault, writes)
    assert row.ok == row.sent, row
    assert row.unavailable == 0, row


def test_writes_and_reads_go_on_while_redis_connections_are_reset(platform: FaultPlatform) -> None:
    _redis_fault(platform, "redis-reset", platform.redis_proxy.refuse)


def test_writes_and_reads_go_on_while_redis_stalls(platform: FaultPlatform) -> None:
    _redis_fault(platform, "redis-stall", platform.redis_proxy.stall)


UNAVAILABLE_DETAIL = "Unable to connect to workout API."


@pytest.mark.parametrize("mode", ["reset", "stall"])
def test_the_coach_degrades_without_an_error_when_its_api_connection_is_cut(
    platform: FaultPlatform, mode: str
) -> None:
    proxy = platform.coach_api_proxy
    cut = proxy.refuse if mode == "reset" else proxy.stall
    # A stalled call costs the coach its whole API timeout: fewer of them.
    fault_starts, fault_ends = (6, 12) if mode == "reset" else (6, 9)
    coach = platform.coach.url
    statuses: Counter[int] = Counter()
    try:
        with httpx.Client(timeout=30) as client:
            for index in range(fault_ends + 6):
                faulty = fault_starts <= index < fault_ends
                if index == fault_starts:
                    cut(True)
                if index == fault_ends:
                    cut(False)
                    wait_until(
                        lambda: client.get(f"{coach}/exercises").status_code == 200,
                        "the coach reaching the API again",
                        platform,
                    )
                listing = client.get(f"{coach}/exercises", params={"page_size": 5})
                advice = client.post(f"{coach}/recommend", json={"focus_area": "chest"})
                health = client.get(f"{coach}/health")
                statuses.update([listing.status_code, advice.status_code, health.status_code])
                assert advice.status_code == 200, advice.text
                assert health.status_code == 200, health.text
                if faulty:
                    assert listing.status_code == 503, listing.text
                    assert listing.json() == {"detail": UNAVAILABLE_DETAIL}
                    assert health.json()["status"] == "degraded"
                    assert health.json()["workout_api_connected"] is False
                else:
                    assert listing.status_code == 200, listing.text
                    assert health.json()["workout_api_connected"] is True
    finally:
        cut(False)
    assert 500 not in statuses
    platform.record(
        fault=f"coach-to-api-{mode}",
        sent=sum(statuses.values()),
        ok=sum(n for code, n in statuses.items() if 200 <= code < 300),
        unavailable=statuses[503],
        stored=None,
        lost=None,
        duplicated=None,
        attempts=sum(statuses.values()),
    )
