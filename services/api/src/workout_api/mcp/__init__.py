"""The MCP server: exercises as read-only tools for MCP clients, over stdio or streamable HTTP.

It is part of ``workout_api`` so it answers from the same repository, sorting rules and
database as the REST API, and its answers equal ``GET /exercises`` and ``GET /exercises/{id}``.
"""
