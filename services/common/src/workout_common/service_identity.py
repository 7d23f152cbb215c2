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
