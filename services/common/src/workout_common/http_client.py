"""httpx clients for calls between the platform's services: trace ids forwarded, one place."""

from __future__ import annotations

from collections.abc import Mapping
from types import TracebackType

import httpx

from workout_common.trace_context import TRACE_HEADER, current_trace_id, new_trace_id


async def _forward_trace_id(request: httpx.Request) -> None:
    if TRACE_HEADER not in request.headers:
        request.headers[TRACE_HEADER] = current_trace_id() or new_trace_id()


def _raised_by_anyio(exc: BaseException) -> bool:
    traceback: TracebackType | None = exc.__traceback__
    module = ""
    while traceback is not None:
        module = str(traceback.tb_frame.f_globals.get("__name__", ""))
        traceback = traceback.tb_next
    return module == "anyio" or module.startswith("anyio.")


class _ResetSafeTransport(httpx.AsyncBaseTransport):
    """Makes a connection reset while it is being opened an ``httpx.ConnectError``.

    Under uvloop, a peer that resets a connection just after accepting it leaves anyio's
    stream without its socket, and httpcore's first look at it (is it TLS?) raises
    ``AttributeError`` from anyio instead of an httpx error (anyio 4.16, httpcore 1.0.9; about
    1 in 100 such resets). Callers handle ``httpx.HTTPError`` as "the service is not
    reachable"; an ``AttributeError`` made the coach answer 500 (tests/faults).
    """

    def __init__(self, inner: httpx.AsyncBaseTransport) -> None:
        self._inner = inner

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        try:
            return await self._inner.handle_async_request(request)
        except AttributeError as exc:
            if not _raised_by_anyio(exc):
                raise
            raise httpx.ConnectError(
                "connection closed while it was being opened", request=request
            ) from exc

    async def aclose(self) -> None:
        await self._inner.aclose()


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
        transport=_ResetSafeTransport(transport or httpx.AsyncHTTPTransport()),
    )
