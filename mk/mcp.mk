# The MCP server: exercises as tools for MCP clients (see docs/mcp.md).
.PHONY: mcp mcp-http mcp-probe

MCP_PORT ?= 8003

mcp: $(STAMP)  ## run the MCP server over stdio (for an MCP client to launch)
	$(PY) python scripts/exercises_mcp.py

mcp-http: $(STAMP)  ## run the MCP server over streamable HTTP on :$(MCP_PORT)/mcp
	$(PY) python scripts/exercises_mcp.py --transport http --host 127.0.0.1 --port $(MCP_PORT)

mcp-probe: $(STAMP)  ## start the MCP server over stdio, call every tool, check the answers
	$(PY) python scripts/mcp_probe.py
