"""``python -m workout_api.mcp``: the MCP server (see :mod:`workout_api.mcp.cli`)."""

import sys

from workout_api.mcp.cli import main

sys.exit(main())
