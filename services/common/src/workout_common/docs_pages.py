"""Whether a service serves its interactive docs and OpenAPI document (``DOCS_ENABLED``)."""

from __future__ import annotations

from typing import TypedDict


class DocsPaths(TypedDict):
    docs_url: str | None
    redoc_url: str | None
    openapi_url: str | None


def docs_paths(enabled: bool) -> DocsPaths:
    """Keyword arguments for ``FastAPI(...)``: the contract's paths, or none of them."""
    if not enabled:
        return DocsPaths(docs_url=None, redoc_url=None, openapi_url=None)
    return DocsPaths(docs_url="/docs", redoc_url="/redoc", openapi_url="/openapi.json")
