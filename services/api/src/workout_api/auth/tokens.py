"""HS256 JWTs: short-lived access tokens and 7-day refresh tokens that cannot stand in for them.

Each token names the account by id (``uid``) and the account's token version (``ver``) as
well as by name: a password change or a disable bumps the version and so ends every earlier
token, and a new account that reuses a deleted one's name has another id. Refresh tokens
carry a ``jti`` so that one of them can be ended alone (``POST /auth/logout``).
"""

from __future__ import annotations

import functools
import time
import uuid
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from enum import StrEnum
from typing import Any

import jwt

ALGORITHM = "HS256"


class TokenType(StrEnum):
    ACCESS = "access"
    REFRESH = "refresh"


class InvalidTokenError(Exception):
    """The token is missing, forged, expired or of the wrong type; ``str()`` says which."""


@dataclass(frozen=True)
class TokenClaims:
    username: str
    role: str
    token_type: TokenType
    expires_at: datetime
    user_id: int
    version: int
    token_id: str | None = None


@dataclass(frozen=True)
class TokenSubject:
    """The account a token is issued for."""

    user_id: int
    username: str
    role: str
    version: int


def issue_token(
    *, secret: str, subject: TokenSubject, token_type: TokenType, lifetime: timedelta
) -> str:
    now = datetime.now(UTC)
    payload: dict[str, Any] = {
        "sub": subject.username,
        "uid": subject.user_id,
        "ver": subject.version,
        "role": subject.role,
        "type": token_type.value,
        "iat": now,
        "exp": now + lifetime,
    }
    if token_type is TokenType.REFRESH:
        payload["jti"] = uuid.uuid4().hex
    return jwt.encode(payload, secret, algorithm=ALGORITHM)


def decode_token(token: str, *, secret: str, expected: TokenType) -> TokenClaims:
    """The claims of a valid, unexpired token of type ``expected``.

    Checking a signature and its encoding costs about as much as a small read, and a client
    sends the same token with every request until it expires: a verified token's claims
    are kept (by token, key and type), and only their expiry is checked again.
    """
    claims = _verified_claims(token, secret, expected)
    if claims.expires_at.timestamp() <= time.time():
        raise InvalidTokenError("Token has expired")
    return claims


@functools.lru_cache(maxsize=4096)
def _verified_claims(token: str, secret: str, expected: TokenType) -> TokenClaims:
    try:
        payload = jwt.decode(
            token,
            secret,
            algorithms=[ALGORITHM],
            options={"require": ["sub", "uid", "ver", "role", "exp", "type"]},
        )
    except jwt.ExpiredSignatureError as exc:
        raise InvalidTokenError("Token has expired") from exc
    except jwt.PyJWTError as exc:
        raise InvalidTokenError("Could not validate credentials") from exc
    token_type = payload.get("type")
    if token_type != expected.value:
        raise InvalidTokenError(f"Wrong token type: {expected.value} token required")
    sub, role = payload.get("sub"), payload.get("role")
    uid, ver, jti = payload.get("uid"), payload.get("ver"), payload.get("jti")
    if (
        not isinstance(sub, str)
        or not isinstance(role, str)
        or type(uid) is not int
        or type(ver) is not int
        or not (jti is None or isinstance(jti, str))
    ):
        raise InvalidTokenError("Could not validate credentials")
    return TokenClaims(
        username=sub,
        role=role,
        token_type=TokenType(token_type),
        expires_at=datetime.fromtimestamp(int(payload["exp"]), UTC),
        user_id=uid,
        version=ver,
        token_id=jti,
    )
