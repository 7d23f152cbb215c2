"""The user table and the shapes the API shows and accepts."""

from __future__ import annotations

from datetime import UTC, datetime
from enum import StrEnum
from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator
from sqlalchemy import Boolean, Column, DateTime, Index, Integer, String, text
from sqlmodel import Field as SQLField
from sqlmodel import SQLModel

from workout_api import metadata as _metadata  # noqa: F401  (naming convention first)
from workout_api.validation import PlainText, StrictNumber


class Role(StrEnum):
    ADMIN = "admin"
    USER = "user"
    READONLY = "readonly"
    SERVICE = "service"


WRITER_ROLES = frozenset({Role.ADMIN, Role.USER})

Username = Annotated[str, Field(min_length=3, max_length=50, pattern=r"^[A-Za-z0-9_.@-]+$")]
Email = Annotated[PlainText, Field(min_length=3, max_length=254, pattern=r"^[^@\s]+@[^@\s]+$")]
# bcrypt reads at most 72 bytes; longer passwords are refused rather than silently cut.
NewPassword = Annotated[PlainText, Field(min_length=8, max_length=72)]


def _utcnow() -> datetime:
    return datetime.now(UTC)


class User(SQLModel, table=True):
    __tablename__ = "app_user"
    __table_args__ = (
        # "Admin" and "admin" are one name: a look-alike account cannot be created.
        Index("uq_app_user_username_lower", text("lower(username)"), unique=True),
        {"sqlite_autoincrement": True},  # an id is never given twice
    )

    id: int | None = SQLField(default=None, sa_column=Column(Integer, primary_key=True))
    username: str = SQLField(sa_column=Column(String(50), nullable=False, unique=True))
    email: str | None = SQLField(default=None, sa_column=Column(String(254), nullable=True))
    role: str = SQLField(sa_column=Column(String(20), nullable=False))
    disabled: bool = SQLField(default=False, sa_column=Column(Boolean, nullable=False))
    hashed_password: str = SQLField(sa_column=Column(String(100), nullable=False))
    # Bumped by a password change or a disable: every token issued before no longer works.
    token_version: int = SQLField(
        default=0, sa_column=Column(Integer, nullable=False, server_default="0")
    )
    # A display preference (kg or lb): weights are always stored in kilograms.
    weight_unit: str = SQLField(
        default="kg", sa_column=Column(String(2), nullable=False, server_default="kg")
    )
    created_at: datetime = SQLField(
        default_factory=_utcnow, sa_column=Column(DateTime(timezone=True), nullable=False)
    )

    @property
    def role_enum(self) -> Role:
        return Role(self.role)

    def end_sessions(self) -> None:
        """Every token issued so far stops working."""
        self.token_version += 1


class UserPublic(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    username: str
    email: str | None
    role: Role
    disabled: bool


def _not_a_service_role(role: Role | None) -> Role | None:
    if role is Role.SERVICE:
        raise ValueError(
            "service accounts come from the configuration (SERVICE_ACCOUNT_USERNAME), "
            "not from the API"
        )
    return role


class UserCreate(BaseModel):
    username: Username
    password: NewPassword
    email: Email | None = None
    role: Role = Role.USER

    _role_is_not_service = field_validator("role")(_not_a_service_role)


class UserUpdate(BaseModel):
    """What an admin may change on an account; omitted fields stay as they are."""

    role: Role | None = None
    disabled: Annotated[bool, StrictNumber] | None = None
    email: Email | None = None
    password: NewPassword | None = None

    _role_is_not_service = field_validator("role")(_not_a_service_role)

    @model_validator(mode="after")
    def _no_null_role_or_flag(self) -> UserUpdate:
        for field in ("role", "disabled", "password"):
            if field in self.model_fields_set and getattr(self, field) is None:
                raise ValueError(f"{field} cannot be null")
        return self


class PasswordChange(BaseModel):
    current_password: Annotated[PlainText, Field(min_length=1, max_length=128)]
    new_password: NewPassword
