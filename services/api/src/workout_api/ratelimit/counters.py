"""Window counters in Redis over one pipelined connection speaking RESP directly.

Every request of every route counts one hit, so this sits on the hottest path of the API:
one ``INCR`` + ``EXPIREAT`` pair written without waiting for earlier replies (Redis answers
in order, one reader task hands each reply pair to its caller). The pairs of all the
requests counted in one turn of the event loop leave in one write (one system call for
the API and one read for Redis, instead of one per request). A general-purpose client
costs several times the round trip itself in connection-pool, retry and tracing overhead.
"""

from __future__ import annotations

import asyncio
import contextlib
import ssl
from collections import deque
from urllib.parse import parse_qs, unquote, urlsplit

SCHEMES = ("redis", "rediss", "unix")
CLIENT_NAME = "workout-api-rate-limits"


class CounterStoreError(Exception):
    """Redis could not be reached or answered with an error."""


def _command(*parts: str) -> bytes:
    encoded = [part.encode() for part in parts]
    out = [b"*%d\r\n" % len(encoded)]
    for part in encoded:
        out.append(b"$%d\r\n%s\r\n" % (len(part), part))
    return b"".join(out)


class RedisCounters:
    """``incr(key, expire_at)`` on the Redis named by a ``redis://``, ``rediss://`` or
    ``unix://`` URL (as ``REDIS_URL`` accepts them)."""

    def __init__(self, url: str, *, timeout: float) -> None:
        parts = urlsplit(url)
        if parts.scheme not in SCHEMES:
            raise ValueError(f"unsupported Redis URL scheme {parts.scheme!r}")
        query = {name: values[-1] for name, values in parse_qs(parts.query).items()}
        self.socket_path = parts.path if parts.scheme == "unix" else None
        self.host = parts.hostname or "localhost"
        self.port = parts.port or 6379
        self.tls = parts.scheme == "rediss"
        if self.socket_path is None:
            self.db = int(parts.path.lstrip("/") or 0)
        else:
            self.db = int(query.get("db", 0))
        self.username = unquote(parts.username) if parts.username else None
        password = unquote(parts.password) if parts.password else query.get("password")
        self.password = password or None
        self.timeout = timeout
        self._writer: asyncio.StreamWriter | None = None
        self._reader_task: asyncio.Task[None] | None = None
        self._pending: deque[asyncio.Future[int]] = deque()
        self._outbox: list[bytes] = []  # commands of this loop turn, written together
        self._connecting = asyncio.Lock()

    async def _connect(self) -> asyncio.StreamWriter:
        async with self._connecting:
            if self._writer is not None:
                return self._writer
            if self.socket_path is not None:
                opening = asyncio.open_unix_connection(self.socket_path)
            else:
                context = ssl.create_default_context() if self.tls else None
                opening = asyncio.open_connection(self.host, self.port, ssl=context)
            reader, writer = await asyncio.wait_for(opening, self.timeout)
            setup = []
            if self.password is not None:
                auth = (self.username, self.password) if self.username else (self.password,)
                setup.append(_command("AUTH", *auth))
            if self.db:
                setup.append(_command("SELECT", str(self.db)))
            setup.append(_command("CLIENT", "SETNAME", CLIENT_NAME))  # named in CLIENT LIST
            try:
                for command in setup:
                    writer.write(command)
                    reply = await asyncio.wait_for(reader.readline(), self.timeout)
                    if not reply.startswith(b"+"):
                        raise CounterStoreError(reply.decode(errors="replace").strip())
            except BaseException:
                writer.close()
                raise
            self._writer = writer
            self._reader_task = asyncio.create_task(self._read_replies(reader, writer))
            return writer

    async def _read_replies(
        self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter
    ) -> None:
        error: Exception = CounterStoreError("connection closed")
        try:
            while True:
                count_line = await reader.readline()
                expire_line = await reader.readline()
                if not expire_line or self._writer is not writer or not self._pending:
                    break
                future = self._pending.popleft()
                if future.done():  # its caller gave up (timeout, cancelled request)
                    continue
                if count_line.startswith(b":") and expire_line.startswith(b":"):
                    future.set_result(int(count_line[1:]))
                else:
                    message = (count_line + expire_line).decode(errors="replace").strip()
                    future.set_exception(CounterStoreError(message))
        except (OSError, asyncio.IncompleteReadError, ValueError) as exc:
            error = CounterStoreError(str(exc) or exc.__class__.__name__)
        finally:
            self._drop(writer, error)

    def _flush(self, writer: asyncio.StreamWriter) -> None:
        if self._writer is not writer:  # dropped meanwhile: its commands were failed
            return
        outbox, self._outbox = self._outbox, []
        writer.write(b"".join(outbox))

    def _drop(self, writer: asyncio.StreamWriter, error: Exception) -> None:
        if self._writer is writer:
            self._writer = None
            self._outbox = []
            pending, self._pending = self._pending, deque()
            for future in pending:
                if not future.done():
                    future.set_exception(error)
        writer.close()

    async def incr(self, key: str, expire_at: int) -> int:
        """Add one to ``key`` (expiring at the epoch second ``expire_at``); the new count."""
        try:
            writer = self._writer or await self._connect()
        except (OSError, TimeoutError) as exc:
            raise CounterStoreError(str(exc) or exc.__class__.__name__) from exc
        future: asyncio.Future[int] = asyncio.get_running_loop().create_future()
        self._pending.append(future)
        if not self._outbox:
            future.get_loop().call_soon(self._flush, writer)
        self._outbox.append(_command("INCR", key) + _command("EXPIREAT", key, str(expire_at)))
        try:
            async with asyncio.timeout(self.timeout):
                return await future
        except TimeoutError as exc:
            # The replies are out of step with the callers now: start over on a new connection.
            self._drop(writer, CounterStoreError("timed out"))
            raise CounterStoreError("timed out") from exc

    async def aclose(self) -> None:
        writer, task = self._writer, self._reader_task
        if writer is not None:
            self._drop(writer, CounterStoreError("closed"))
        if task is not None:
            task.cancel()
            with contextlib.suppress(asyncio.CancelledError, Exception):
                await task
