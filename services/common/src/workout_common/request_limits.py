"""What a request may carry, checked before any route sees it.

* Headers: at most ``MAX_HEADER_BYTES`` in all, else 431.
* Bodies: at most ``max_body_bytes``, else 413, decided from ``Content-Length`` before anything
  is read, and while reading for a chunked body. A route never waits on a body it would
  refuse. Routes that stream a large upload (``streamed_bodies``) get it unread, with only the
  declared length checked here; they enforce their own limit as they read.
* JSON bodies: numbers must be finite and strings must be Unicode text. ``json`` reads
  ``1e999`` as infinity, accepts bare ``NaN`` and keeps lone surrogates (``"\\ud800"``); none of
  them can be stored or written back as JSON, so they are refused here with a 422 that says so.

The 422 answers of validation errors echo only short scalar inputs
(:func:`validation_error_handler`): an attacker's 20 MB input stays out of the answer.
"""

from __future__ import annotations

import json
import math
from collections.abc import Mapping
from typing import Any

from fastapi.exceptions import RequestValidationError
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.types import ASGIApp, Message, Receive, Scope, Send

MAX_HEADER_BYTES = 16 * 1024
DEFAULT_MAX_BODY_BYTES = 1024 * 1024
_BODY_METHODS = frozenset({"POST", "PUT", "PATCH", "DELETE"})


class UnusableJSONError(ValueError):
    """A JSON body that parses but holds a value the service cannot keep."""


def _finite(text: str) -> float:
    value = float(text)
    if value in (float("inf"), float("-inf")):
        raise UnusableJSONError(f"number {text[:40]} is too large")
    return value


def _no_constants(name: str) -> Any:
    raise UnusableJSONError(f"{name} is not a number JSON allows")


def _check_strings(value: Any) -> None:
    stack = [value]
    while stack:
        item = stack.pop()
        if isinstance(item, str):
            try:
                item.encode("utf-8")
            except UnicodeEncodeError:
                raise UnusableJSONError(
                    "text holds a lone surrogate escape (\\ud800-\\udfff), which is not Unicode"
                ) from None
        elif isinstance(item, dict):
            stack.extend(item.keys())
            stack.extend(item.values())
        elif isinstance(item, list):
            stack.extend(item)


def check_json_body(body: bytes) -> None:
    """Raises :class:`UnusableJSONError` for the values described above; invalid JSON passes
    (the route's own parser answers it)."""
    try:
        parsed = json.loads(body, parse_float=_finite, parse_constant=_no_constants)
    except UnusableJSONError:
        raise
    except ValueError:
        return
    _check_strings(parsed)


def _json_answer(status: int, detail: str) -> Response:
    return JSONResponse({"detail": detail}, status_code=status)


class RequestLimitsMiddleware:
    """Enforces the header and body limits and the JSON value rules above."""

    def __init__(
        self,
        app: ASGIApp,
        *,
        max_body_bytes: int = DEFAULT_MAX_BODY_BYTES,
        streamed_bodies: Mapping[str, int] | None = None,
    ) -> None:
        """``streamed_bodies``: path prefixes whose routes read their (large) bodies as a
        stream under their own limit; only a declared ``Content-Length`` over the limit given
        here is refused, and the body passes through unread."""
        self.app = app
        self.max_body_bytes = max_body_bytes
        self.streamed_bodies = dict(streamed_bodies or {})

    def _streamed_limit(self, path: str) -> int | None:
        for prefix, limit in self.streamed_bodies.items():
            if path == prefix or path.startswith(prefix.rstrip("/") + "/"):
                return limit
        return None

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        headers: list[tuple[bytes, bytes]] = scope["headers"]
        if sum(len(name) + len(value) for name, value in headers) > MAX_HEADER_BYTES:
            answer = _json_answer(
                431, f"Request headers too large: at most {MAX_HEADER_BYTES} bytes in all"
            )
            await answer(scope, receive, send)
            return
        if scope["method"] not in _BODY_METHODS:
            await self.app(scope, receive, send)
            return

        streamed = self._streamed_limit(scope["path"])
        limit = self.max_body_bytes if streamed is None else streamed
        content_type = b""
        declared: int | None = None
        for name, value in headers:
            if name == b"content-length":
                try:
                    declared = int(value)
                except ValueError:
                    await _json_answer(400, "Content-Length is not a number")(scope, receive, send)
                    return
            elif name == b"content-type":
                content_type = value
        too_large = _json_answer(413, f"Request body too large: at most {limit} bytes")
        if declared is not None and declared > limit:
            await too_large(scope, receive, send)
            return
        if streamed is not None:
            await self.app(scope, receive, send)
            return

        chunks: list[bytes] = []
        size = 0
        while True:
            message = await receive()
            if message["type"] == "http.disconnect":
                return
            chunk = message.get("body", b"")
            size += len(chunk)
            if size > limit:
                await too_large(scope, receive, send)
                return
            chunks.append(chunk)
            if not message.get("more_body", False):
                break
        body = b"".join(chunks)

        if body and b"json" in content_type.lower():
            try:
                check_json_body(body)
            except UnusableJSONError as exc:
                # The shape of every 422 (a list of validation errors), so clients read one.
                answer = JSONResponse(
                    {
                        "detail": [
                            {
                                "loc": ["body"],
                                "msg": f"Request body is not usable JSON: {exc}",
                                "type": "json_unusable",
                            }
                        ]
                    },
                    status_code=422,
                )
                await answer(scope, receive, send)
                return

        replayed = False

        async def replay() -> Message:
            nonlocal replayed
            if not replayed:
                replayed = True
                return {"type": "http.request", "body": body, "more_body": False}
            return await receive()

        await self.app(scope, replay, send)


MAX_ERRORS_SHOWN = 20
MAX_INPUT_ECHOED = 100


def _bounded(error: Mapping[str, Any]) -> dict[str, Any]:
    """One error as FastAPI words it; the input only when it is a short scalar."""
    answer: dict[str, Any] = {
        "loc": [part if isinstance(part, int) else str(part)[:100] for part in error["loc"]],
        "msg": str(error.get("msg", ""))[:300],
        "type": str(error.get("type", "")),
    }
    value = error.get("input")
    if isinstance(value, bool | int | float) or value is None:
        if not isinstance(value, float) or math.isfinite(value):
            answer["input"] = value
    elif isinstance(value, str) and len(value) <= MAX_INPUT_ECHOED:
        answer["input"] = value
    return answer


async def validation_error_handler(request: Request, exc: Exception) -> Response:
    """FastAPI's 422, bounded: short scalar inputs only, no contexts, at most 20 errors."""
    assert isinstance(exc, RequestValidationError)
    errors = exc.errors()
    detail = [_bounded(error) for error in errors[:MAX_ERRORS_SHOWN]]
    if len(errors) > MAX_ERRORS_SHOWN:
        detail.append(
            {"loc": [], "msg": f"{len(errors) - MAX_ERRORS_SHOWN} more errors", "type": "more"}
        )
    return JSONResponse({"detail": detail}, status_code=422)
