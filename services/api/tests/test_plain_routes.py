"""PlainRoute: dependencies run before the endpoint; endpoints it cannot serve are refused."""

from __future__ import annotations

import fastapi
import httpx
import pytest
from fastapi import APIRouter, Depends, FastAPI, HTTPException, Request, Response

from workout_api.fastpath.plain_routes import VERIFIED_FASTAPI_MINOR, PlainRoute


async def refuse_without_key(request: Request) -> None:
    if request.headers.get("x-key") != "open":
        raise HTTPException(status_code=403, detail="no key")


async def echo(request: Request) -> Response:
    return Response(request.query_params.get("say", ""), media_type="text/plain")


def _app() -> FastAPI:
    router = APIRouter(route_class=PlainRoute)
    router.add_api_route("/echo", echo, dependencies=[Depends(refuse_without_key)])
    app = FastAPI()
    app.include_router(router)
    return app


async def test_dependencies_run_first_and_errors_use_the_app_handlers() -> None:
    transport = httpx.ASGITransport(app=_app())
    async with httpx.AsyncClient(transport=transport, base_url="http://test") as client:
        refused = await client.get("/echo", params={"say": "hi"})
        served = await client.get("/echo", params={"say": "hi"}, headers={"X-Key": "open"})
    assert (refused.status_code, refused.json()) == (403, {"detail": "no key"})
    assert (served.status_code, served.text) == (200, "hi")


async def takes_a_query_value(request: Request, say: str) -> Response:
    return Response(say)


def test_an_endpoint_with_parameters_is_refused_when_declared() -> None:
    router = APIRouter(route_class=PlainRoute)
    with pytest.raises(TypeError, match="taking the Request alone"):
        router.add_api_route("/say", takes_a_query_value)


def test_the_list_route_keeps_its_documented_parameters() -> None:
    from workout_api.main import create_app

    operation = create_app().openapi()["paths"]["/exercises"]["get"]
    names = {parameter["name"] for parameter in operation["parameters"]}
    assert names == {"page", "page_size", "sort_by", "sort_order", "format"}
    assert {"200", "304", "400", "422", "429"} <= set(operation["responses"])


def test_fastapi_is_the_minor_version_plain_routes_were_checked_against() -> None:
    # PlainRoute reads FastAPI internals; an upgrade must come with a re-check of them (and
    # of the list's figures in make bench) before VERIFIED_FASTAPI_MINOR moves.
    installed = ".".join(fastapi.__version__.split(".")[:2])
    assert installed == VERIFIED_FASTAPI_MINOR, (
        f"FastAPI {fastapi.__version__} is installed; workout_api.fastpath.plain_routes was "
        f"verified against {VERIFIED_FASTAPI_MINOR}.x"
    )
