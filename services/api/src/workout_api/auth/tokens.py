"""HS256 JWTs: short-lived access tokens and 7-day refresh tokens that cannot stand in for them."""

from __future__ import annotations

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


def issue_token(
    *, secret: str, username: str, role: str, token_type: TokenType, lifetime: timedelta
) -> str:
    now = datetime.now(UTC)
    payload: dict[str, Any] = {
        "sub": username,
        "role": role,
        "type": token_type.value,
        "iat": now,
        "exp": now + lifetime,
    }
    return jwt.encode(payload, secret, algorithm=ALGORITHM)


def decode_token(token: str, *, secret: str, expected: TokenType) -> TokenClaims:
    try:
        payload = jwt.decode(
            token,
            secret,
            algorithms=[ALGORITHM],
            options={"require": ["sub", "role", "exp", "type"]},
        )
    except jwt.ExpiredSignatureError as exc:
        raise InvalidTokenError("Token has expired") from exc
    except jwt.PyJWTError as exc:
        raise InvalidTokenError("Could not validate credentials") from exc
    token_type = payload.get("type")
    if token_type != expected.value:
        raise InvalidTokenError(f"Wrong token type: {expected.value} token required")
    sub, role = payload.get("sub"), payload.get("role")
    if not isinstance(sub, str) or not isinstance(role, str):
        raise InvalidTokenError("Could not validate credentials")
    return TokenClaims(
        username=sub,
        role=role,
        token_type=TokenType(token_type),
        expires_at=datetime.fromtimestamp(int(payload["exp"]), UTC),
    )
