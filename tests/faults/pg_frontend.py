"""What a PostgreSQL client asks of its server, read off the byte stream it sends.

Only the framing of the frontend side of the wire protocol (no library parses that side):
untyped start-up packets (SSLRequest, StartupMessage, CancelRequest), then messages of one
type byte and a length that counts itself. The SQL of simple queries (``Q``), of
extended-protocol Parse messages (``P``) and of the statement each Bind (``B``) runs is all
the fault tests look at. psycopg sends ``COMMIT`` as a simple query and, after a statement's
fifth run, prepares it and then only binds it by name: a Bind names the SQL that runs.
"""

from __future__ import annotations

import struct
from collections.abc import Iterator
from dataclasses import dataclass

_PROTOCOL_3 = 196608  # StartupMessage; SSLRequest, GSSENCRequest and CancelRequest differ


@dataclass(frozen=True)
class FrontendMessage:
    kind: str  # "Q", "P", "S", ... or "startup"
    sql: str | None = None

    @property
    def statement(self) -> str:
        """The SQL's first word in capitals (``COMMIT``, ``INSERT``), or ``""``."""
        words = (self.sql or "").strip().rstrip(";").split(None, 1)
        return words[0].upper() if words else ""


class FrontendStream:
    """Splits what a client sends into messages, whatever chunks the bytes come in."""

    def __init__(self) -> None:
        self._buffer = b""
        self._started = False
        self._prepared: dict[str, str] = {}

    def feed(self, chunk: bytes) -> Iterator[FrontendMessage]:
        self._buffer += chunk
        while True:
            if not self._started:
                if len(self._buffer) < 8:
                    return
                (length,) = struct.unpack("!I", self._buffer[:4])
                if len(self._buffer) < length:
                    return
                (code,) = struct.unpack("!I", self._buffer[4:8])
                self._buffer = self._buffer[length:]
                self._started = code == _PROTOCOL_3
                yield FrontendMessage("startup")
                continue
            if len(self._buffer) < 5:
                return
            kind = chr(self._buffer[0])
            (length,) = struct.unpack("!I", self._buffer[1:5])
            if len(self._buffer) < 1 + length:
                return
            body = self._buffer[5 : 1 + length]
            self._buffer = self._buffer[1 + length :]
            yield FrontendMessage(kind, self._sql_of(kind, body))

    def _sql_of(self, kind: str, body: bytes) -> str | None:
        if kind == "Q":
            return body.split(b"\0", 1)[0].decode(errors="replace")
        if kind == "P":  # statement name, then its query
            name, query, _ = body.split(b"\0", 2)
            sql = query.decode(errors="replace")
            self._prepared[name.decode()] = sql
            return sql
        if kind == "B":  # portal name, then the statement it runs
            _, statement, _ = body.split(b"\0", 2)
            return self._prepared.get(statement.decode())
        return None
