"""A loopback TCP proxy that can be cut: reset its connections, stall, or drop one reply.

It runs its own event loop on a thread, so sync tests and the real service processes behind
it are unaffected by how a test waits. Every control method returns once the proxy has
applied it.

* ``refuse(True)`` resets every open connection (RST) and every new one until ``refuse(False)``;
* ``stall(True)`` stops forwarding in both directions (bytes wait in the sockets) until
  ``stall(False)``, or for a while with ``stall_for(seconds)``;
* an ``inspector`` (one per connection) reads what the client sends and may have the proxy
  reset the connection before a chunk is forwarded, stall everything, or forward the chunk
  and then cut the client off before the server's reply reaches it.
"""

from __future__ import annotations

import asyncio
import contextlib
import enum
import socket
import struct
import threading
from collections.abc import Callable, Coroutine
from dataclasses import dataclass, field
from typing import Any, Protocol, TypeVar

T = TypeVar("T")
CHUNK = 65536


class Verdict(enum.Enum):
    FORWARD = "forward"
    RESET = "reset"  # cut both sides; the chunk never reaches the server
    STALL = "stall"  # stop forwarding everything for the proxy's ``stall_seconds``
    DROP_REPLY = "drop_reply"  # forward the chunk, then cut the client before the reply


class Inspector(Protocol):
    def feed(self, chunk: bytes) -> Verdict: ...


@dataclass
class ProxyCounters:
    connections: int = 0
    resets: int = 0
    stalls: int = 0
    replies_dropped: int = 0


@dataclass(eq=False)
class _Link:
    client: asyncio.StreamWriter
    server: asyncio.StreamWriter
    inspector: Inspector | None
    drop_reply: bool = False
    tasks: list[asyncio.Task[None]] = field(default_factory=list)


def _reset(writer: asyncio.StreamWriter) -> None:
    """Close with RST rather than FIN: the peer sees "connection reset", as after a crash."""
    sock = writer.get_extra_info("socket")
    if sock is not None:
        with contextlib.suppress(OSError):
            sock.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
    writer.transport.abort()


class TcpProxy:
    def __init__(
        self,
        upstream_host: str,
        upstream_port: int,
        *,
        inspector: Callable[[], Inspector] | None = None,
        stall_seconds: float = 2.0,
    ) -> None:
        self.upstream = (upstream_host, upstream_port)
        self.counters = ProxyCounters()
        self._inspector = inspector
        self._stall_seconds = stall_seconds
        self._loop = asyncio.new_event_loop()
        self._thread = threading.Thread(target=self._loop.run_forever, daemon=True)
        self._links: set[_Link] = set()
        self._refusing = False
        self._flowing: asyncio.Event | None = None
        self._server: asyncio.Server | None = None
        self._resume: asyncio.TimerHandle | None = None
        self.port = 0

    # --- life cycle -------------------------------------------------------------------
    def __enter__(self) -> TcpProxy:
        self._thread.start()
        self._call(self._start())
        return self

    def __exit__(self, *_: object) -> None:
        self._call(self._stop())
        self._loop.call_soon_threadsafe(self._loop.stop)
        self._thread.join(timeout=10)
        self._loop.close()

    # --- controls (from any thread) ---------------------------------------------------
    def refuse(self, on: bool) -> None:
        self._call(self._set_refusing(on))

    def reset_all(self) -> int:
        """Reset every open connection now; new ones are accepted as usual."""
        return self._call(self._reset_all())

    def stall(self, on: bool) -> None:
        self._call(self._set_stalled(on))

    def stall_for(self, seconds: float) -> None:
        self._call(self._stall_for(seconds))

    def open_connections(self) -> int:
        return self._call(self._count())

    # --- inside the loop ---------------------------------------------------------------
    def _call(self, coroutine: Coroutine[Any, Any, T]) -> T:
        return asyncio.run_coroutine_threadsafe(coroutine, self._loop).result(timeout=30)

    async def _start(self) -> None:
        self._flowing = asyncio.Event()
        self._flowing.set()
        self._server = await asyncio.start_server(self._accept, "127.0.0.1", 0)
        self.port = int(self._server.sockets[0].getsockname()[1])

    async def _stop(self) -> None:
        if self._server is not None:
            self._server.close()
        await self._reset_all()
        if self._server is not None:
            with contextlib.suppress(Exception):
                await asyncio.wait_for(self._server.wait_closed(), 5)

    async def _count(self) -> int:
        return len(self._links)

    async def _set_refusing(self, on: bool) -> None:
        self._refusing = on
        if on:
            await self._reset_all()

    async def _reset_all(self) -> int:
        links = list(self._links)
        for link in links:
            self._cut(link)
        return len(links)

    async def _set_stalled(self, on: bool) -> None:
        assert self._flowing is not None
        if self._resume is not None:
            self._resume.cancel()
            self._resume = None
        if on:
            self.counters.stalls += 1
            self._flowing.clear()
        else:
            self._flowing.set()

    async def _stall_for(self, seconds: float) -> None:
        await self._set_stalled(True)
        self._resume = self._loop.call_later(seconds, self._flowing_again)

    def _flowing_again(self) -> None:
        self._resume = None
        assert self._flowing is not None
        self._flowing.set()

    def _cut(self, link: _Link) -> None:
        if link not in self._links:
            return
        self._links.discard(link)
        self.counters.resets += 1
        _reset(link.client)
        _reset(link.server)
        current = asyncio.current_task()
        for task in link.tasks:
            if task is not current:
                task.cancel()

    async def _accept(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        if self._refusing:
            _reset(writer)
            return
        try:
            server_reader, server_writer = await asyncio.open_connection(*self.upstream)
        except OSError:
            _reset(writer)
            return
        if self._refusing:  # refused while connecting upstream
            _reset(writer)
            _reset(server_writer)
            return
        self.counters.connections += 1
        link = _Link(writer, server_writer, self._inspector() if self._inspector else None)
        self._links.add(link)
        link.tasks = [
            asyncio.ensure_future(self._client_to_server(link, reader)),
            asyncio.ensure_future(self._server_to_client(link, server_reader)),
        ]
        await asyncio.gather(*link.tasks, return_exceptions=True)
        if link in self._links:
            self._links.discard(link)
            for side in (link.client, link.server):
                with contextlib.suppress(Exception):
                    side.close()

    async def _client_to_server(self, link: _Link, reader: asyncio.StreamReader) -> None:
        assert self._flowing is not None
        while True:
            chunk = await reader.read(CHUNK)
            if not chunk:
                break
            verdict = link.inspector.feed(chunk) if link.inspector else Verdict.FORWARD
            if verdict is Verdict.RESET:
                self._cut(link)
                return
            if verdict is Verdict.STALL:
                await self._stall_for(self._stall_seconds)
            await self._flowing.wait()
            if link not in self._links:
                return
            if verdict is Verdict.DROP_REPLY:
                link.drop_reply = True
            link.server.write(chunk)
            await link.server.drain()
        with contextlib.suppress(OSError):
            link.server.write_eof()

    async def _server_to_client(self, link: _Link, reader: asyncio.StreamReader) -> None:
        assert self._flowing is not None
        while True:
            chunk = await reader.read(CHUNK)
            if not chunk:
                break
            await self._flowing.wait()
            if link not in self._links:
                return
            if link.drop_reply:
                # The server has done what the chunk asked and answered: the client never
                # hears it.
                self.counters.replies_dropped += 1
                self._cut(link)
                return
            link.client.write(chunk)
            await link.client.drain()
        with contextlib.suppress(OSError):
            link.client.write_eof()
