"""One request carrying X-Trace-Id becomes one OpenTelemetry trace across coach, API and database,
exported over OTLP by the real services; the worker's calls join the trace of what they call.
"""

from __future__ import annotations

import asyncio
import re
import time
from collections import defaultdict
from typing import Any

import httpx
from arq import create_pool
from arq.connections import RedisSettings

from workout_common.trace_context import TRACE_ID_SPAN_ATTRIBUTE
from workout_testkit.otlp_receiver import ReceivedSpan

SERVER, CLIENT = 2, 3  # OTLP span kinds


def by_trace(spans: list[ReceivedSpan]) -> dict[str, list[ReceivedSpan]]:
    traces: dict[str, list[ReceivedSpan]] = defaultdict(list)
    for span in spans:
        traces[span.trace_id].append(span)
    return traces


def is_sql(span: ReceivedSpan) -> bool:
    # Redis calls are database spans too (the coach's rate limits make one): not SQL.
    system = span.attributes.get("db.system", span.attributes.get("db.system.name"))
    return system is not None and system != "redis"


def test_coach_request_is_one_trace_through_api_and_database(platform: Any) -> None:
    answer = httpx.get(
        f"{platform.coach.url}/exercises", headers={"X-Trace-Id": "abc123"}, timeout=30
    )
    assert answer.status_code == 200, answer.text
    assert answer.headers["X-Request-Id"] == "abc123"

    def tagged(spans: list[ReceivedSpan]) -> list[ReceivedSpan]:
        return [s for s in spans if s.attributes.get(TRACE_ID_SPAN_ATTRIBUTE) == "abc123"]

    def complete(spans: list[ReceivedSpan]) -> bool:
        mine = tagged(spans)
        services = {s.service for s in mine}
        ids = {s.span_id for s in mine}
        # A span is exported when it ends, parents after their children: the trace is whole
        # once a single span (the coach's entry) is left without its parent.
        entries = [s for s in mine if s.parent_span_id not in ids]
        return (
            {"workout-coach", "workout-api"} <= services
            and any(is_sql(s) for s in mine)
            and len(entries) == 1
        )

    spans = platform.otlp.wait_for(complete)
    mine = tagged(spans)
    assert complete(spans), f"spans tagged abc123: {[(s.service, s.name) for s in mine]}"

    (trace_id,) = {s.trace_id for s in mine}
    whole_trace = by_trace(spans)[trace_id]
    assert all(s.attributes.get(TRACE_ID_SPAN_ATTRIBUTE) == "abc123" for s in whole_trace), [
        (s.service, s.name) for s in whole_trace if TRACE_ID_SPAN_ATTRIBUTE not in s.attributes
    ]

    span_ids = {s.span_id: s for s in whole_trace}
    # The entry span's parent, if any, is the caller's (this test process when its httpx is
    # instrumented by an earlier test), which exports nowhere.
    (coach_entry,) = [s for s in whole_trace if s.parent_span_id not in span_ids]
    assert (coach_entry.service, coach_entry.kind) == ("workout-coach", SERVER)
    api_servers = [s for s in whole_trace if s.service == "workout-api" and s.kind == SERVER]
    assert api_servers
    for server in api_servers:
        caller = span_ids[server.parent_span_id]
        assert (caller.service, caller.kind) == ("workout-coach", CLIENT)
    for sql in (s for s in whole_trace if is_sql(s)):
        assert sql.service == "workout-api"


def test_log_lines_carry_the_trace_and_span_ids(platform: Any) -> None:
    answer = httpx.get(f"{platform.api.url}/exercises", headers={"X-Trace-Id": "log-check-7"})
    assert answer.status_code == 200

    def access_lines() -> list[str]:
        text = platform.api.log_path.read_text(errors="replace")
        return [
            line
            for line in text.splitlines()
            if "trace_id=log-check-7 " in line and "GET /exercises -> 200" in line
        ]

    # The access line is written once the response has gone out.
    deadline = time.monotonic() + 20
    while not (lines := access_lines()) and time.monotonic() < deadline:
        time.sleep(0.1)
    assert lines, platform.api.log_tail()
    match = re.search(r"otel_trace_id=([0-9a-f]{32}) span_id=([0-9a-f]{16})\]", lines[0])
    assert match, lines[0]
    otel_trace_id, span_id = match.groups()

    spans = platform.otlp.wait_for(lambda got: any(x.span_id == span_id for x in got))
    (logged_span,) = [s for s in spans if s.span_id == span_id]
    assert logged_span.trace_id == otel_trace_id
    assert logged_span.service == "workout-api"
    assert logged_span.attributes[TRACE_ID_SPAN_ATTRIBUTE] == "log-check-7"


async def _enqueue(redis_server: str, queue_db: int, job: str) -> None:
    settings = RedisSettings.from_dsn(redis_server)
    settings.database = queue_db
    pool = await create_pool(settings)
    try:
        assert await pool.enqueue_job(job, _queue_name="arq:queue") is not None
    finally:
        await pool.aclose()


def test_worker_calls_join_the_traces_of_the_services_they_call(platform: Any) -> None:
    for job in ("refresh_exercises", "warmup_ai_cache"):
        asyncio.run(_enqueue(platform.redis_server, platform.queue_db, job))

    def joined(spans: list[ReceivedSpan]) -> set[str]:
        found = set()
        for trace in by_trace(spans).values():
            services = {s.service for s in trace}
            if "workout-worker" in services:
                found |= services - {"workout-worker"}
        return found

    spans = platform.otlp.wait_for(lambda s: {"workout-api", "workout-coach"} <= joined(s))
    assert {"workout-api", "workout-coach"} <= joined(spans)
    for trace in by_trace(spans).values():
        worker_clients = {
            s.span_id for s in trace if s.service == "workout-worker" and s.kind == CLIENT
        }
        for server in (s for s in trace if s.service != "workout-worker" and s.kind == SERVER):
            if server.parent_span_id in worker_clients:
                assert server.attributes.get(TRACE_ID_SPAN_ATTRIBUTE)
