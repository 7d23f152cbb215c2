"""Check the exercises MCP server end to end, as an MCP client over stdio.

    python scripts/mcp_probe.py [--server scripts/exercises_mcp.py]

Starts the server with this Python (it inherits ``DATABASE_URL`` and the rest of the
environment), lists its tools, calls each one, including a 404 and two 400 cases, and
prints what each returned. Exits 1 on the first answer that is not what the tools
promise, 0 when every check passes. It only reads: an empty database is fine.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

from fastmcp import Client
from fastmcp.client.transports import PythonStdioTransport

DEFAULT_SERVER = Path(__file__).resolve().parent / "exercises_mcp.py"
EXPECTED_TOOLS = {"list-exercises", "get-exercise", "calculate-volume"}
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


async def run_probe(probe: Probe) -> None:
    tools = {tool.name: tool for tool in await probe.client.list_tools()}
    print(f"tools: {', '.join(sorted(tools))}")
    if set(tools) != EXPECTED_TOOLS:
        raise ProbeFailedError(f"expected tools {sorted(EXPECTED_TOOLS)}, got {sorted(tools)}")
    for tool in tools.values():
        if not (tool.annotations and tool.annotations.read_only_hint):
            raise ProbeFailedError(f"{tool.name} is not marked read-only")

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


async def main_async(server: Path) -> int:
    transport = PythonStdioTransport(
        server, env=dict(os.environ), python_cmd=sys.executable, keep_alive=False
    )
    client: Client[Any] = Client(transport, timeout=60)
    probe = Probe(client)
    try:
        async with client:
            await run_probe(probe)
    except ProbeFailedError as exc:
        print(f"FAILED: {exc}", file=sys.stderr)
        return 1
    except Exception as exc:  # the server did not start or the session broke
        print(f"FAILED: cannot talk to the MCP server: {exc!r}", file=sys.stderr)
        return 1
    print(f"OK: {len(EXPECTED_TOOLS)} tools, {probe.calls} calls answered as expected")
    return 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument(
        "--server", type=Path, default=DEFAULT_SERVER, help="the MCP server script to start"
    )
    args = parser.parse_args(argv)
    return asyncio.run(main_async(args.server))


if __name__ == "__main__":
    sys.exit(main())
