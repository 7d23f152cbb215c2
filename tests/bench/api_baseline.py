"""The benchmark's baseline: plain Starlette + a psycopg connection pool, same SQL, same JSON.

It answers ``GET /exercises?page=&page_size=`` exactly as the Workout API does (the
data-version row, then the page sorted by id), with nothing else: no validation
framework, middleware, auth, rate limiting, metrics or tracing.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import json
from collections.abc import AsyncIterator

import psycopg
import uvicorn
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

VERSION_SQL = "SELECT version, exercise_count FROM exercise_data_version WHERE id = 1"
PAGE_SQL = (
    "SELECT id, name, sets, reps, weight, workout_day FROM exercise "
    "ORDER BY id ASC LIMIT %s OFFSET %s"
)


class Pool:
    """A fixed set of connections handed out through a queue."""

    def __init__(self, url: str, size: int) -> None:
        self.url, self.size = url, size
        self.queue: asyncio.Queue[psycopg.AsyncConnection[tuple[object, ...]]] = asyncio.Queue()

    async def open(self) -> None:
        for _ in range(self.size):
            self.queue.put_nowait(await psycopg.AsyncConnection.connect(self.url, autocommit=True))

    @contextlib.asynccontextmanager
    async def connection(self) -> AsyncIterator[psycopg.AsyncConnection[tuple[object, ...]]]:
        conn = await self.queue.get()
        try:
            yield conn
        finally:
            self.queue.put_nowait(conn)


def build_app(url: str) -> Starlette:
    pool = Pool(url, 10)

    async def exercises(request: Request) -> Response:
        page = int(request.query_params.get("page", 1))
        page_size = int(request.query_params.get("page_size", 20))
        async with pool.connection() as conn:
            version = await (await conn.execute(VERSION_SQL)).fetchone()
            rows = await (
                await conn.execute(PAGE_SQL, (page_size, (page - 1) * page_size))
            ).fetchall()
        assert version is not None
        body = {
            "page": page,
            "page_size": page_size,
            "total": version[1],
            "items": [
                {
                    "id": r[0],
                    "name": r[1],
                    "sets": r[2],
                    "reps": r[3],
                    "weight": r[4],
                    "workout_day": r[5],
                }
                for r in rows
            ],
        }
        return Response(json.dumps(body), media_type="application/json")

    @contextlib.asynccontextmanager
    async def lifespan(_: Starlette) -> AsyncIterator[None]:
        await pool.open()
        yield

    return Starlette(routes=[Route("/exercises", exercises)], lifespan=lifespan)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--database-url", required=True)
    parser.add_argument("--port", type=int, required=True)
    args = parser.parse_args()
    uvicorn.run(build_app(args.database_url), host="127.0.0.1", port=args.port, log_level="warning")


if __name__ == "__main__":
    main()
