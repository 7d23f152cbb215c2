"""Who is calling the coach: a signed-in account (its API token, checked by the API) or an
address.

The coach holds no signing key: a bearer token is shown to the API's ``GET /auth/me`` once and
the answer kept for a minute (by the token's hash), so a stream of requests with one token
costs one API read a minute. A token the API refuses is a 401 here too. While the API cannot
be reached the caller counts as its address.
"""

from __future__ import annotations

import hashlib
import logging
import time
from dataclasses import dataclass, field
from typing import Annotated

import httpx
from fastapi import Depends, HTTPException, Request, status

logger = logging.getLogger(__name__)

KEEP_SECONDS = 60.0
MAX_KEPT = 10_000


# Roles that own a training log: the service identity reads nobody's.
LIFTER_ROLES = frozenset({"user", "admin", "readonly"})


@dataclass(frozen=True)
class Caller:
    key: str  # what its limits are counted by
    role: str | None  # None: not signed in
    username: str | None = None
    # The caller's own access token, used only to read the caller's own log; never logged.
    token: str | None = field(default=None, repr=False)

    @property
    def lifter(self) -> bool:
        """Signed in as an account with a training log of its own."""
        return self.token is not None and self.username is not None and self.role in LIFTER_ROLES


class CallerDirectory:
    def __init__(self, api_http: httpx.AsyncClient) -> None:
        self._api_http = api_http
        self._kept: dict[str, tuple[float, Caller]] = {}

    async def identify(self, request: Request) -> Caller:
        address = request.client.host if request.client else "unknown"
        scheme, _, token = request.headers.get("authorization", "").partition(" ")
        if scheme.lower() != "bearer" or not token.strip():
            return Caller(key=f"address:{address}", role=None)
        digest = hashlib.sha256(token.strip().encode()).hexdigest()
        kept = self._kept.get(digest)
        if kept is not None and kept[0] > time.monotonic():
            return kept[1]
        try:
            answer = await self._api_http.get(
                "/auth/me", headers={"Authorization": f"Bearer {token.strip()}"}, auth=None
            )
        except httpx.HTTPError:
            logger.warning("cannot check a caller's token: the Workout API is unreachable")
            return Caller(key=f"address:{address}", role=None)
        if answer.status_code in (401, 403):
            detail = answer.json().get("detail", "Could not validate credentials")
            raise HTTPException(
                status.HTTP_401_UNAUTHORIZED, detail=detail, headers={"WWW-Authenticate": "Bearer"}
            )
        if answer.status_code != 200:
            return Caller(key=f"address:{address}", role=None)
        account = answer.json()
        caller = Caller(
            key=f"account:{account['username']}",
            role=str(account["role"]),
            username=str(account["username"]),
            token=token.strip(),
        )
        if len(self._kept) >= MAX_KEPT:
            self._kept.clear()
        self._kept[digest] = (time.monotonic() + KEEP_SECONDS, caller)
        return caller


async def current_caller(request: Request) -> Caller:
    directory: CallerDirectory = request.app.state.callers
    caller: Caller | None = getattr(request.state, "caller", None)
    if caller is None:
        caller = request.state.caller = await directory.identify(request)
    return caller


CallerDep = Annotated[Caller, Depends(current_caller)]
