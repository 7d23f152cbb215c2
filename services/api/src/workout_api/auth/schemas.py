"""Request and response bodies of ``/auth``."""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import BaseModel, Field

from workout_api.validation import PlainText


class LoginRequest(BaseModel):
    username: Annotated[PlainText, Field(min_length=3, max_length=50)]
    password: Annotated[PlainText, Field(min_length=6, max_length=128)]


class RefreshRequest(BaseModel):
    refresh_token: Annotated[str, Field(min_length=1, max_length=4096)]


class Token(BaseModel):
    access_token: str
    token_type: Literal["bearer"] = "bearer"
    expires_in: int
    refresh_token: str
