"""Workout Tracker exercises as MCP tools, over stdio (default) or streamable HTTP.

    python scripts/exercises_mcp.py [--transport stdio|http] [--port N]

Reads ``DATABASE_URL`` like the API. Without it, the server opens the same SQLite file
``make run`` uses (``data/workout_tracker.db`` at the repository root) whatever the
directory it is started from, since MCP clients seldom start it from the checkout.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

from workout_api.mcp.cli import main

ROOT = Path(__file__).resolve().parent.parent

if __name__ == "__main__":
    os.environ.setdefault("DATABASE_URL", f"sqlite:///{ROOT / 'data' / 'workout_tracker.db'}")
    sys.exit(main())
