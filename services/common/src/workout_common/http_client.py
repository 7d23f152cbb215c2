"""httpx clients for calls between the platform's services: trace ids forwarded, one place."""

from __future__ import annotations

from collections.abc import Mapping

import httpx

from workout_common.trace_context import TRACE_HEADER, current_trace_id, new_trace_id


async def _forward_trace_id(request: httpx.Request) -> None:
    if TRACE_HEADER not in request.headers:
        request.headers[TRACE_HEADER] = current_trace_id() or new_trace_id()


def service_client(
    base_url: str,
    *,
    timeout: float,
    user_agent: str,
    headers: Mapping[str, str] | None = None,
    transport: httpx.AsyncBaseTransport | None = None,
) -> httpx.AsyncClient:
    """An ``AsyncClient`` that sends ``X-Trace-Id`` (the current one, or a new one) on every call."""
    all_headers = {"User-Agent": user_agent, **(headers or {})}
    return httpx.AsyncClient(
        base_url=base_url.rstrip("/"),
        timeout=timeout,
        headers=all_headers,
        event_hooks={"request": [_forward_trace_id]},
        transport=transport,
    )
