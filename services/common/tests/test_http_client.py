"""Calls between services fail with httpx's errors, whatever the connection did."""

from __future__ import annotations

import socket
from typing import Any

import httpx
import pytest
from anyio.abc import SocketStream
from anyio.streams.tls import TLSAttribute

from workout_common.http_client import service_client


class _ClosedSocketStream(SocketStream):
    """A stream whose socket the event loop already let go of, as uvloop does after a reset."""

    @property
    def _raw_socket(self) -> socket.socket:
        return None  # type: ignore[return-value]

    async def receive(self, max_bytes: int = 65536) -> bytes:
        raise NotImplementedError

    async def send(self, item: bytes) -> None:
        raise NotImplementedError

    async def send_eof(self) -> None:
        raise NotImplementedError

    async def aclose(self) -> None:
        return None


class _ResetWhileConnecting(httpx.AsyncBaseTransport):
    """What httpcore does after connecting: asks the new stream whether it is TLS."""

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        _ClosedSocketStream().extra(TLSAttribute.ssl_object, None)
        raise AssertionError("unreachable")


class _Broken(httpx.AsyncBaseTransport):
    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        missing: Any = None
        return missing.response  # type: ignore[no-any-return]


async def test_a_connection_reset_while_opening_is_a_connect_error() -> None:
    async with service_client(
        "http://api.test", timeout=1, user_agent="test", transport=_ResetWhileConnecting()
    ) as client:
        with pytest.raises(httpx.ConnectError):
            await client.get("/health")


async def test_other_attribute_errors_are_left_alone() -> None:
    async with service_client(
        "http://api.test", timeout=1, user_agent="test", transport=_Broken()
    ) as client:
        with pytest.raises(AttributeError):
            await client.get("/health")
