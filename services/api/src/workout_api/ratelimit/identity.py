"""Who a request counts against: ``{username}:{role}`` with a valid access token, else the IP."""

from __future__ import annotations

from starlette.requests import Request

from workout_api.auth.tokens import InvalidTokenError, TokenType, decode_token
from workout_api.users.models import Role

_ROLES = frozenset(role.value for role in Role)


def client_ip(request: Request) -> str:
    return request.client.host if request.client else "unknown"


def identity_key(request: Request, secret: str) -> str:
    authorization = request.headers.get("authorization", "")
    scheme, _, token = authorization.partition(" ")
    if scheme.lower() == "bearer" and token:
        try:
            claims = decode_token(token.strip(), secret=secret, expected=TokenType.ACCESS)
        except InvalidTokenError:
            return client_ip(request)
        return f"{claims.username}:{claims.role}"
    return client_ip(request)


def role_of_key(key: str) -> str | None:
    """The role in a ``{username}:{role}`` key; ``None`` for an IP (IPv6 parts are never roles)."""
    _, sep, role = key.rpartition(":")
    return role if sep and role in _ROLES else None
