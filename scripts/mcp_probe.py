"""Check the Workout Tracker MCP server end to end, as an MCP client.

    python scripts/mcp_probe.py [--server scripts/exercises_mcp.py] [--user USERNAME] [--write]
    python scripts/mcp_probe.py --url http://127.0.0.1:8003/mcp [--token ACCESS_TOKEN] [--write]

Starts the server over stdio with this Python (it inherits ``DATABASE_URL`` and the rest
of the environment; ``--user`` is passed on), or connects to a running HTTP server
(``--token`` is sent as the bearer token). It lists the tools, calls each one, including
404 and 400 cases, and prints what each returned. Signed in (``--user``/``--token``) it
reads that lifter's log with every log tool; ``--write`` also logs one workout (twice with
one client_id: the second call must return the first). Not signed in, the log tools must
refuse with 401. Exits 1 on the first answer that is not what the tools promise, 0 when
every check passes. Without ``--write`` it only reads: an empty database is fine.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import sys
import uuid
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from fastmcp import Client
from fastmcp.client.transports import ClientTransport, PythonStdioTransport, StreamableHttpTransport

DEFAULT_SERVER = Path(__file__).resolve().parent / "exercises_mcp.py"
PROGRAM_TOOLS = {"list-exercises", "get-exercise", "calculate-volume"}
LOG_TOOLS = {
    "search-exercise-templates",
    "list-workouts",
    "get-workout",
    "log-workout",
    "get-exercise-history",
    "get-progress",
    "get-personal-records",
    "get-training-stats",
}
EXERCISE_FIELDS = {"id", "name", "sets", "reps", "weight", "workout_day"}
MAX_ID = 2**31 - 1

Check = Callable[[dict[str, Any]], str | None]


class ProbeFailedError(Exception):
    pass


class Probe:
    def __init__(self, client: Client[Any]) -> None:
        self.client = client
        self.calls = 0

    async def call(
        self, tool: str, arguments: dict[str, Any], status: int, check: Check | None = None
    ) -> dict[str, Any]:
        """Call ``tool``, print its answer, fail unless it has ``status`` and passes ``check``."""
        self.calls += 1
        result = await self.client.call_tool(tool, arguments, raise_on_error=False)
        text = result.content[0].text if result.content else ""  # type: ignore[union-attr]
        print(f"{tool} {json.dumps(arguments)} -> {text}")
        try:
            answer = json.loads(text)
        except json.JSONDecodeError as exc:
            raise ProbeFailedError(f"{tool}: the answer is not JSON: {text!r}") from exc
        if not isinstance(answer, dict):
            raise ProbeFailedError(f"{tool}: the answer is not a JSON object")
        if answer.get("status") != status:
            raise ProbeFailedError(f"{tool}: expected status {status}, got {answer.get('status')}")
        if result.is_error != (status >= 400):
            raise ProbeFailedError(f"{tool}: isError is {result.is_error} for status {status}")
        if result.structured_content is not None and result.structured_content != answer:
            raise ProbeFailedError(f"{tool}: structured content differs from the text content")
        problem = check(answer) if check else None
        if status >= 400 and not answer.get("detail"):
            problem = "a refusal without a detail"
        if problem:
            raise ProbeFailedError(f"{tool}: {problem}")
        return answer


def _page_check(page_size: int) -> Check:
    def check(answer: dict[str, Any]) -> str | None:
        items = answer.get("items")
        if not isinstance(items, list) or not isinstance(answer.get("total"), int):
            return "no items list or total"
        if len(items) > page_size:
            return f"{len(items)} items on a page of {page_size}"
        wrong = [item for item in items if set(item) != EXERCISE_FIELDS]
        return f"items with other fields: {wrong}" if wrong else None

    return check


async def run_probe(probe: Probe, *, signed_in: bool = False, write: bool = False) -> None:
    tools = {tool.name: tool for tool in await probe.client.list_tools()}
    print(f"tools: {', '.join(sorted(tools))}")
    if not set(tools) >= PROGRAM_TOOLS:
        raise ProbeFailedError(f"expected tools {sorted(PROGRAM_TOOLS)}, got {sorted(tools)}")
    for name in PROGRAM_TOOLS:
        annotations = tools[name].annotations
        if not (annotations and annotations.read_only_hint):
            raise ProbeFailedError(f"{name} is not marked read-only")
    await probe_program(probe)
    if signed_in or write:
        if not set(tools) >= LOG_TOOLS:
            raise ProbeFailedError(f"expected the log tools {sorted(LOG_TOOLS - set(tools))}")
        await probe_log(probe, write=write)
    elif "list-workouts" in tools:
        await probe.call("list-workouts", {}, 401)


async def probe_program(probe: Probe) -> None:
    first = await probe.call("list-exercises", {"page": 1, "page_size": 5}, 200, _page_check(5))
    total: int = first["total"]
    newest = await probe.call(
        "list-exercises",
        {"page": 1, "page_size": 1, "sort_by": "id", "sort_order": "desc"},
        200,
        _page_check(1),
    )
    if first["items"]:
        wanted = first["items"][0]
        await probe.call(
            "get-exercise",
            {"exercise_id": wanted["id"]},
            200,
            lambda answer: None if answer.get("exercise") == wanted else "not the listed exercise",
        )
    else:
        print("(no exercises yet: the found case of get-exercise is not checked)")
    unknown_id = newest["items"][0]["id"] + 1 if newest["items"] else 1
    await probe.call("get-exercise", {"exercise_id": min(unknown_id, MAX_ID)}, 404)
    await probe.call("list-exercises", {"page": 0}, 400)
    await probe.call("list-exercises", {"sort_by": "colour"}, 400)
    await probe.call(
        "calculate-volume",
        {},
        200,
        lambda answer: (
            None
            if answer.get("exercise_count") == total
            and answer.get("weighted_exercises", 0) + answer.get("bodyweight_exercises", 0) == total
            else f"counts disagree with list-exercises' total {total}"
        ),
    )


def _has_key(*keys: str) -> Check:
    def check(answer: dict[str, Any]) -> str | None:
        missing = [key for key in keys if key not in answer]
        return f"no {', '.join(missing)} in the answer" if missing else None

    return check


def _logged(sent: dict[str, Any]) -> Check:
    def check(answer: dict[str, Any]) -> str | None:
        if answer.get("source") != "mcp" or answer.get("title") != sent["title"]:
            return "not the workout sent (title or source differ)"
        sets = [len(e.get("sets", [])) for e in answer.get("exercises", [])]
        return None if sets == [3] else f"expected one exercise with 3 sets, got {sets}"

    return check


async def probe_log(probe: Probe, *, write: bool) -> None:
    """The signed-in lifter's log: every read tool, a 404, a 400, and with ``write`` a
    workout logged twice under one client_id."""
    found = await probe.call(
        "search-exercise-templates", {"q": "bench", "page_size": 5}, 200, _has_key("items")
    )
    if not found["items"]:
        raise ProbeFailedError("search-exercise-templates: no exercise matches 'bench'")
    template = found["items"][0]
    if write:
        workout = {
            "title": "MCP probe",
            "started_at": datetime.now(UTC).isoformat(),
            "client_id": str(uuid.uuid4()),
            "exercises": [{"name": template["name"], "sets": [{"reps": 5, "weight_kg": 60}] * 3}],
        }
        first = await probe.call("log-workout", workout, 201, _logged(workout))
        again = await probe.call("log-workout", workout, 200, _logged(workout))
        if again.get("id") != first.get("id"):
            raise ProbeFailedError("log-workout: the same client_id logged a second workout")
    listing = await probe.call("list-workouts", {"page_size": 5}, 200, _has_key("items", "total"))
    if listing["items"]:
        newest = listing["items"][0]
        await probe.call(
            "get-workout",
            {"workout_id": newest["id"]},
            200,
            lambda answer: None if answer.get("id") == newest["id"] else "not the listed workout",
        )
    await probe.call("get-workout", {"workout_id": MAX_ID}, 404)
    await probe.call(
        "get-exercise-history",
        {"template_id": template["id"], "page_size": 1},
        200,
        _has_key("items", "total"),
    )
    await probe.call("get-progress", {"template_id": template["id"]}, 200, _has_key("points"))
    await probe.call("get-progress", {"template_id": template["id"], "metric": "speed"}, 400)
    await probe.call("get-personal-records", {}, 200, _has_key("items"))
    await probe.call(
        "get-training-stats", {}, 200, _has_key("workouts", "sets", "volume_kg", "streak_weeks")
    )


async def main_async(
    server: Path,
    *,
    user: str | None = None,
    url: str | None = None,
    token: str | None = None,
    write: bool = False,
) -> int:
    transport: ClientTransport
    if url is not None:
        headers = {"Authorization": f"Bearer {token}"} if token else None
        transport = StreamableHttpTransport(url, headers=headers)
    else:
        transport = PythonStdioTransport(
            server,
            args=["--user", user] if user else None,
            env=dict(os.environ),
            python_cmd=sys.executable,
            keep_alive=False,
        )
    client: Client[Any] = Client(transport, timeout=60)
    probe = Probe(client)
    try:
        async with client:
            await run_probe(probe, signed_in=bool(user or token), write=write)
    except ProbeFailedError as exc:
        print(f"FAILED: {exc}", file=sys.stderr)
        return 1
    except Exception as exc:  # the server did not start or the session broke
        print(f"FAILED: cannot talk to the MCP server: {exc!r}", file=sys.stderr)
        return 1
    print(f"OK: {probe.calls} calls answered as expected")
    return 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument(
        "--server", type=Path, default=DEFAULT_SERVER, help="the MCP server script to start"
    )
    parser.add_argument("--user", help="stdio: the lifter the server acts for (--user)")
    parser.add_argument("--url", help="a running HTTP server's MCP endpoint, instead of stdio")
    parser.add_argument("--token", help="with --url: an access token (POST /auth/login)")
    parser.add_argument(
        "--write", action="store_true", help="also log a workout (needs --user or --token)"
    )
    args = parser.parse_args(argv)
    if args.user and args.url:
        parser.error("--user is for a stdio server; an HTTP server takes --token")
    if args.token and not args.url:
        parser.error("--token needs --url (over stdio the server acts for --user)")
    if args.write and not (args.user or args.token):
        parser.error("--write needs --user or --token: a workout belongs to a lifter")
    return asyncio.run(
        main_async(args.server, user=args.user, url=args.url, token=args.token, write=args.write)
    )


if __name__ == "__main__":
    sys.exit(main())
