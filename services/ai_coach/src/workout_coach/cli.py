"""``workout-coach``: serve the AI Coach (port 8001 unless ``PORT`` or ``--port`` says otherwise)."""

from __future__ import annotations

import argparse
import os
from collections.abc import Sequence

import uvicorn

DEFAULT_PORT = 8001


def main(argv: Sequence[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="workout-coach", description=__doc__)
    parser.add_argument("command", nargs="?", default="serve", choices=["serve"])
    parser.add_argument("--host", default=os.environ.get("HOST", "0.0.0.0"))
    parser.add_argument("--port", type=int, default=int(os.environ.get("PORT", DEFAULT_PORT)))
    args = parser.parse_args(argv)
    uvicorn.run(
        "workout_coach.main:create_app",
        factory=True,  # the app is built when the server starts, never at import
        host=args.host,
        port=args.port,
        proxy_headers=True,
        server_header=False,  # no "server: uvicorn" banner
        log_config=None,
        access_log=False,  # RequestContextMiddleware writes one access line per request
    )


if __name__ == "__main__":
    main()
