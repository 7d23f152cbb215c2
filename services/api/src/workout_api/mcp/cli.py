"""Run the MCP server: ``python scripts/exercises_mcp.py [--transport stdio|http] [--port N]
[--user USERNAME]``.

In stdio mode stdout carries only JSON-RPC; every log line goes to stderr. The training-log
tools act for ``--user`` over stdio, for the bearer token's account over HTTP.
"""

from __future__ import annotations

import argparse
import logging
import os
import sys
from dataclasses import dataclass
from typing import Literal

import anyio
from pydantic import ValidationError
from starlette.middleware import Middleware

from workout_api.database import create_session_factory
from workout_api.mcp.database import DatabaseNotReadyError, display_url, open_database
from workout_api.mcp.http_auth import BearerTokenGate
from workout_api.mcp.identity import BearerTokenIdentity, Identity, LocalUserIdentity
from workout_api.mcp.log_tool_specs import USER_TOOLS
from workout_api.mcp.server import create_server
from workout_api.settings import Settings
from workout_common.logging_setup import configure_logging

PROG = "exercises-mcp"
SERVICE_NAME = "workout-mcp"
DEFAULT_HTTP_PORT = 8003
DEFAULT_HTTP_PATH = "/mcp"

logger = logging.getLogger("workout_api.mcp")

Transport = Literal["stdio", "http"]


@dataclass(frozen=True)
class Options:
    transport: Transport
    host: str
    port: int
    path: str
    user: str | None = None


def parse_args(argv: list[str] | None) -> Options:
    parser = argparse.ArgumentParser(
        prog=PROG,
        description="Workout Tracker as MCP tools: the program (list-exercises, get-exercise, "
        "calculate-volume) and a lifter's training log (log-workout, list-workouts, ...), on "
        "the database named by DATABASE_URL.",
    )
    parser.add_argument(
        "--transport",
        choices=["stdio", "http"],
        default="stdio",
        help="stdio (default) for a local MCP client, http for streamable HTTP",
    )
    parser.add_argument(
        "--host",
        # Loopback unless told: a laptop's MCP server is not for the network (the chart's
        # pods pass --host 0.0.0.0).
        default=os.environ.get("HOST", "127.0.0.1"),
        help="address to listen on with --transport http (default $HOST or 127.0.0.1)",
    )
    parser.add_argument(
        "--port",
        type=int,
        default=DEFAULT_HTTP_PORT,
        help=f"port to listen on with --transport http (default {DEFAULT_HTTP_PORT})",
    )
    parser.add_argument(
        "--path",
        default=DEFAULT_HTTP_PATH,
        help=f"URL path of the MCP endpoint with --transport http (default {DEFAULT_HTTP_PATH})",
    )
    parser.add_argument(
        "--user",
        metavar="USERNAME",
        help="with stdio: the lifter whose training log the log tools read and write "
        "(over HTTP each request's bearer token names the lifter instead)",
    )
    args = parser.parse_args(argv)
    if args.user is not None and args.transport != "stdio":
        # Over the network anyone could act as this lifter: HTTP callers sign in instead.
        parser.error("--user works with --transport stdio only; HTTP callers send a token")
    return Options(
        transport=args.transport, host=args.host, port=args.port, path=args.path, user=args.user
    )


def _listed(variable: str) -> list[str]:
    """A comma-separated environment variable as a list (empty when unset)."""
    return [item.strip() for item in os.environ.get(variable, "").split(",") if item.strip()]


def _route_library_logs_to_root() -> None:
    # FastMCP installs its own (rich, multi-line) stderr handler; one log format is easier to read.
    library_logger = logging.getLogger("fastmcp")
    library_logger.handlers.clear()
    library_logger.propagate = True


async def serve(settings: Settings, options: Options) -> int:
    try:
        engine = await open_database(settings)
    except DatabaseNotReadyError as exc:
        print(f"{PROG}: {exc}", file=sys.stderr)
        return 1
    session_factory = create_session_factory(engine)
    identity: Identity = (
        LocalUserIdentity(options.user)
        if options.transport == "stdio"
        else BearerTokenIdentity(settings)
    )
    server = create_server(session_factory, identity=identity)
    logger.info(
        "serving exercises from %s over %s%s",
        display_url(settings.database_url),
        "stdio"
        if options.transport == "stdio"
        else f"http://{options.host}:{options.port}{options.path}",
        f" for user {options.user}" if options.user else "",
    )
    try:
        if options.transport == "stdio":
            await server.run_stdio_async(show_banner=False)
        else:
            await server.run_http_async(
                show_banner=False,
                transport="http",
                host=options.host,
                port=options.port,
                path=options.path,
                # Every tool answers from the database alone, so no session state is kept
                # between requests and any replica behind a Service can answer any call.
                stateless_http=True,
                uvicorn_config={"log_config": None},  # our log format, on stderr
                # DNS rebinding: a web page in the user's browser must not reach the server
                # through a name of its own. Only the hosts and origins named are accepted.
                host_origin_protection=True,
                allowed_hosts=_listed("MCP_ALLOWED_HOSTS"),
                allowed_origins=_listed("MCP_ALLOWED_ORIGINS"),
                middleware=[
                    Middleware(
                        BearerTokenGate,
                        session_factory=session_factory,
                        settings=settings,
                        user_tools=USER_TOOLS,
                    )
                ],
            )
    finally:
        await engine.dispose()
    return 0


def main(argv: list[str] | None = None) -> int:
    options = parse_args(argv)
    configure_logging(SERVICE_NAME)
    _route_library_logs_to_root()
    try:
        settings = Settings()
    except ValidationError as exc:
        print(f"{PROG}: invalid configuration:\n{exc}", file=sys.stderr)
        return 2
    try:
        return anyio.run(serve, settings, options)
    except KeyboardInterrupt:
        return 0


if __name__ == "__main__":
    sys.exit(main())
