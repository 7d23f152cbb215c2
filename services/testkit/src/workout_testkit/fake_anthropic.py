"""A small real HTTP server speaking the Anthropic Messages API, for tests of the Claude path.

It answers ``POST /v1/messages`` like Anthropic does: a ``tool_use`` block calling the
request's first tool (pydantic-ai's structured output) with a canned input, or a text block
when the request offers no tools. It can also answer with an API error (e.g. 529
``overloaded_error``) or stall to exercise timeouts. Every request is recorded.
"""

from __future__ import annotations

import asyncio
import contextlib
import itertools
from collections.abc import AsyncIterator
from dataclasses import dataclass, field
from typing import Any

import uvicorn
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse
from starlette.routing import Route

from workout_common.redis_support import free_port

_ERROR_TYPES = {
    400: "invalid_request_error",
    401: "authentication_error",
    429: "rate_limit_error",
    500: "api_error",
    529: "overloaded_error",
}


@dataclass
class RecordedRequest:
    headers: dict[str, str]
    body: dict[str, Any]

    @property
    def prompt_text(self) -> str:
        """Every text block the model was sent, system prompt included."""
        texts = [block.get("text", "") for block in self.body.get("system", []) or []]
        for message in self.body.get("messages", []):
            content = message.get("content")
            if isinstance(content, str):
                texts.append(content)
            else:
                texts.extend(block.get("text", "") for block in content if isinstance(block, dict))
        return "\n".join(texts)


@dataclass
class FakeAnthropic:
    """Behaviour is set per test: ``tool_input``/``text`` to answer, ``errors``, ``delay_seconds``."""

    tool_input: dict[str, Any] | None = None
    text: str = "Keep training consistently."
    errors: list[int] = field(default_factory=list)
    """Status codes to answer with, one per request, before answering normally."""
    delay_seconds: float = 0.0
    input_tokens: int = 321
    output_tokens: int = 123
    requests: list[RecordedRequest] = field(default_factory=list)
    base_url: str = ""
    _ids: itertools.count[int] = field(default_factory=itertools.count)

    async def _messages(self, request: Request) -> JSONResponse:
        body = await request.json()
        self.requests.append(RecordedRequest(dict(request.headers), body))
        if self.delay_seconds:
            await asyncio.sleep(self.delay_seconds)
        if self.errors:
            status = self.errors.pop(0)
            error_type = _ERROR_TYPES.get(status, "api_error")
            return JSONResponse(
                {"type": "error", "error": {"type": error_type, "message": f"fake {error_type}"}},
                status_code=status,
                headers={"x-should-retry": "true"} if status >= 500 else None,
            )
        number = next(self._ids)
        tools = body.get("tools") or []
        if tools:
            content: list[dict[str, Any]] = [
                {
                    "type": "tool_use",
                    "id": f"toolu_{number:04d}",
                    "name": tools[0]["name"],
                    "input": self.tool_input or {},
                }
            ]
            stop_reason = "tool_use"
        else:
            content = [{"type": "text", "text": self.text}]
            stop_reason = "end_turn"
        return JSONResponse(
            {
                "id": f"msg_{number:04d}",
                "type": "message",
                "role": "assistant",
                "model": body.get("model", "claude"),
                "content": content,
                "stop_reason": stop_reason,
                "stop_sequence": None,
                "usage": {"input_tokens": self.input_tokens, "output_tokens": self.output_tokens},
            }
        )

    def app(self) -> Starlette:
        return Starlette(routes=[Route("/v1/messages", self._messages, methods=["POST"])])


@contextlib.asynccontextmanager
async def serve_app(app: Any, port: int | None = None) -> AsyncIterator[str]:
    """Serve an ASGI app with uvicorn on a free loopback port for the block; yields its URL."""
    port = port or free_port()
    config = uvicorn.Config(
        app, host="127.0.0.1", port=port, log_level="warning", timeout_graceful_shutdown=1
    )
    server = uvicorn.Server(config)
    task = asyncio.create_task(server.serve())
    try:
        while not server.started:
            if task.done():
                task.result()  # re-raise why it could not start
                raise RuntimeError("server stopped before it started")
            await asyncio.sleep(0.02)
        yield f"http://127.0.0.1:{port}"
    finally:
        server.should_exit = True
        with contextlib.suppress(asyncio.CancelledError):
            await asyncio.wait_for(task, timeout=5)


@contextlib.asynccontextmanager
async def fake_anthropic_server(fake: FakeAnthropic | None = None) -> AsyncIterator[FakeAnthropic]:
    fake = fake or FakeAnthropic()
    async with serve_app(fake.app()) as url:
        fake.base_url = url
        yield fake
