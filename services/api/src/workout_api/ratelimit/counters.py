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
READ_SIZE = 65536


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
        self._written = 0  # hits written on the current connection
        self._answered = 0  # hits answered on it
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
            self._writer, self._written, self._answered = writer, 0, 0
            self._reader_task = asyncio.create_task(self._read_replies(reader, writer))
            return writer

    async def _read_replies(
        self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter
    ) -> None:
        error: Exception = CounterStoreError("connection closed")
        unparsed = b""
        try:
            while data := await reader.read(READ_SIZE):
                # Every hit gets two one-line replies; hand out each complete pair.
                lines = (unparsed + data).split(b"\r\n")
                unparsed = lines.pop()  # an incomplete line, or b""
                if len(lines) % 2:
                    unparsed = lines.pop() + b"\r\n" + unparsed
                if self._writer is not writer or len(lines) // 2 > len(self._pending):
                    break
                for index in range(0, len(lines), 2):
                    self._answer(self._pending.popleft(), lines[index], lines[index + 1])
                self._answered += len(lines) // 2
        except (OSError, ValueError) as exc:
            error = CounterStoreError(str(exc) or exc.__class__.__name__)
        finally:
            self._drop(writer, error)

    @staticmethod
    def _answer(future: asyncio.Future[int], count_line: bytes, expire_line: bytes) -> None:
        if future.done():  # its caller gave up (a cancelled request)
            return
        if count_line.startswith(b":") and expire_line.startswith(b":"):
            future.set_result(int(count_line[1:]))
        else:
            message = (
                f"{count_line.decode(errors='replace')} {expire_line.decode(errors='replace')}"
            )
            future.set_exception(CounterStoreError(message.strip()))

    def _flush(self, writer: asyncio.StreamWriter) -> None:
        if self._writer is not writer:  # dropped meanwhile: its commands were failed
            return
        outbox, self._outbox = self._outbox, []
        writer.write(b"".join(outbox))
        self._written += len(outbox)
        # Replies come in order: one timer per write (not a timeout per hit) checks that
        # every hit written so far has been answered in time.
        asyncio.get_running_loop().call_later(
            self.timeout, self._give_up_unless_answered, writer, self._written
        )

    def _give_up_unless_answered(self, writer: asyncio.StreamWriter, written: int) -> None:
        if self._writer is writer and self._answered < written:
            # The replies are out of step with the callers now: start over on a new connection.
            self._drop(writer, CounterStoreError("timed out"))

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
        loop = asyncio.get_running_loop()
        future: asyncio.Future[int] = loop.create_future()
        self._pending.append(future)
        if not self._outbox:
            loop.call_soon(self._flush, writer)
        self._outbox.append(_command("INCR", key) + _command("EXPIREAT", key, str(expire_at)))
        return await future

    async def aclose(self) -> None:
        writer, task = self._writer, self._reader_task
        if writer is not None:
            self._drop(writer, CounterStoreError("closed"))
        if task is not None:
            task.cancel()
            with contextlib.suppress(asyncio.CancelledError, Exception):
                await task
