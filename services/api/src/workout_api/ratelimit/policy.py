"""The §7.1 table: which limit applies to which kind of endpoint for which kind of caller."""

from __future__ import annotations

from enum import StrEnum

from workout_api.settings import Settings
from workout_api.users.models import Role

ANONYMOUS = "anonymous"


class Category(StrEnum):
    PUBLIC = "public"  # GET /
    AUTH = "auth"  # /auth/*
    READ = "read"  # GET /exercises*
    WRITE = "write"  # POST/PATCH/DELETE /exercises*
    ADMIN = "admin"  # /admin/*
    IMPORT = "import"  # POST /imports (training log)


def caller_class(role: str | None) -> str:
    """The column of the table a caller falls in: anonymous, user, admin or service.

    ``readonly`` accounts share the ``user`` column; the service identity has its own
    limits for exercise reads and writes and the ``user`` ones elsewhere.
    """
    if role == Role.ADMIN:
        return "admin"
    if role == Role.SERVICE:
        return "service"
    if role in (Role.USER, Role.READONLY):
        return "user"
    return ANONYMOUS


def limit_for(settings: Settings, category: Category, role: str | None) -> str:
    column = caller_class(role)
    if category is Category.ADMIN:
        return settings.ratelimit_admin
    if category is Category.IMPORT:
        return settings.ratelimit_import_user
    if column == "service":
        if category is Category.READ:
            return settings.ratelimit_service_read
        if category is Category.WRITE:
            return settings.ratelimit_service_write
        column = "user"
    value: str = getattr(settings, f"ratelimit_{category.value}_{column}")
    return value
