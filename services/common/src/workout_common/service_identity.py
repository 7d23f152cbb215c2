"""The platform's own callers (coach, worker) sign in to the Workout API as a service identity.

The identity has role ``service``: read-only on exercises and throttled only by the
``RATELIMIT_SERVICE_*`` limits, so user rate limits never slow the platform down.
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import AsyncGenerator
from dataclasses import dataclass

import httpx

logger = logging.getLogger(__name__)

DEFAULT_SERVICE_USERNAME = "workout-service"
DEFAULT_SERVICE_PASSWORD = "dev-only-service-password"  # refused by the API in production
TOKEN_REFRESH_MARGIN_SECONDS = 60.0


@dataclass(frozen=True)
class ServiceCredentials:
    username: str
    password: str


class ServiceTokenAuth(httpx.Auth):
    """httpx auth flow: sign in once, reuse the access token, sign in again on 401 or expiry.

    When the API refuses the credentials the request goes out anonymously (public reads
    still work, at anonymous rate limits) and a warning is logged once.
    """

    def __init__(self, credentials: ServiceCredentials, login_path: str = "/auth/login") -> None:
        self._credentials = credentials
        self._login_path = login_path
        self._token: str | None = None
        self._expires_at = 0.0
        self._lock = asyncio.Lock()
        self._warned = False

    def _token_valid(self) -> bool:
        return self._token is not None and time.monotonic() < self._expires_at

    def _login_request(self, original: httpx.Request) -> httpx.Request:
        return httpx.Request(
            "POST",
            original.url.copy_with(path=self._login_path, query=None),
            json={
                "username": self._credentials.username,
                "password": self._credentials.password,
            },
            headers={
                k: v
                for k, v in original.headers.items()
                if k.lower() in ("x-trace-id", "user-agent")
            },
        )

    def _accept_login(self, response: httpx.Response) -> None:
        if response.status_code == 200:
            body = response.json()
            self._token = str(body["access_token"])
            lifetime = float(body.get("expires_in", 1800))
            self._expires_at = time.monotonic() + max(lifetime - TOKEN_REFRESH_MARGIN_SECONDS, 1.0)
            self._warned = False
            return
        self._token = None
        if not self._warned:
            logger.warning(
                "service sign-in as %r refused (HTTP %d); calling the Workout API anonymously",
                self._credentials.username,
                response.status_code,
            )
            self._warned = True

    async def async_auth_flow(
        self, request: httpx.Request
    ) -> AsyncGenerator[httpx.Request, httpx.Response]:
        for attempt in range(2):
            if not self._token_valid():
                async with self._lock:
                    if not self._token_valid():
                        login_response = yield self._login_request(request)
                        await login_response.aread()
                        self._accept_login(login_response)
            if self._token:
                request.headers["Authorization"] = f"Bearer {self._token}"
            else:
                request.headers.pop("Authorization", None)
            response = yield request
            if response.status_code != 401 or attempt == 1 or self._token is None:
                return
            self._token = None  # expired or revoked: sign in again once


class ForwardedServiceToken(httpx.Auth):
    """The service identity's API token on calls to another service (the worker's calls to
    the coach), so that service counts them against the identity's limits.

    The token is fetched from the API with a client of its own and kept until shortly before
    it expires. When the API cannot be reached or refuses, the call goes out without a token
    (and the next sign-in is tried 30 s later): the other service still answers, at its
    anonymous limits.
    """

    RETRY_SECONDS = 30.0

    def __init__(self, credentials: ServiceCredentials, api_url: str, timeout: float) -> None:
        self._credentials = credentials
        self._login_url = f"{api_url.rstrip('/')}/auth/login"
        self._timeout = timeout
        self._token: str | None = None
        self._next_sign_in = 0.0
        self._lock = asyncio.Lock()

    async def _current_token(self) -> str | None:
        async with self._lock:
            if time.monotonic() < self._next_sign_in:
                return self._token
            self._token, lifetime = None, self.RETRY_SECONDS
            try:
                async with httpx.AsyncClient(timeout=self._timeout) as http:
                    answer = await http.post(
                        self._login_url,
                        json={
                            "username": self._credentials.username,
                            "password": self._credentials.password,
                        },
                    )
                if answer.status_code == 200:
                    body = answer.json()
                    self._token = str(body["access_token"])
                    expires_in = float(body.get("expires_in", 1800))
                    lifetime = max(expires_in - TOKEN_REFRESH_MARGIN_SECONDS, 1.0)
                else:
                    logger.warning(
                        "service sign-in as %r refused (HTTP %d); calling without a token",
                        self._credentials.username,
                        answer.status_code,
                    )
            except httpx.HTTPError as exc:
                logger.warning("service sign-in failed (%s); calling without a token", exc)
            self._next_sign_in = time.monotonic() + lifetime
            return self._token

    async def async_auth_flow(
        self, request: httpx.Request
    ) -> AsyncGenerator[httpx.Request, httpx.Response]:
        token = await self._current_token()
        if token:
            request.headers["Authorization"] = f"Bearer {token}"
        yield request
