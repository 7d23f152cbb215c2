"""The start of a write to a lifter's log: the account behind the token, read with the bump
of the log version (``log_version``) that locks the log for the write.

On PostgreSQL one statement does both, where a signed-in write otherwise reads the account
and then bumps (two round trips before the write itself). The bump only happens for an
account that exists; whether the account may write is for the caller to check on the row,
and a refusal rolls the bump back with the transaction.
"""

from __future__ import annotations

from typing import NamedTuple

from sqlalchemy import exists, select
from sqlmodel.ext.asyncio.session import AsyncSession

from workout_api.auth.dependencies import check_account, unauthorized
from workout_api.auth.revocations import RevokedToken
from workout_api.auth.tokens import TokenClaims
from workout_api.fastpath.driver_reads import CompiledSelect, DriverConnection, fetch_rows
from workout_api.training import log_version
from workout_api.users.models import Role, User


class AccountRow(NamedTuple):
    username: str
    disabled: bool
    token_version: int
    role: str
    revoked: bool


def standing_role(claims: TokenClaims, account: AccountRow | None) -> Role:
    """The role of the account behind ``claims``; 401 or 403 unless the account still stands."""
    if account is None:
        raise unauthorized("Could not validate credentials")
    check_account(
        claims,
        username=account.username,
        disabled=account.disabled,
        token_version=account.token_version,
        revoked=account.revoked,
    )
    return Role(account.role)


_BUMP_WITH_ACCOUNT = CompiledSelect(
    sql="""
WITH account AS (
    SELECT id, username, disabled, token_version, role FROM app_user
    WHERE id = %(user_id)s::int
), bumped AS (
    INSERT INTO training_log_version (user_id, version)
    SELECT id, 1 FROM account
    ON CONFLICT (user_id) DO UPDATE SET version = training_log_version.version + 1
)
SELECT username, disabled, token_version, role,
    EXISTS (SELECT FROM revoked_token WHERE token_id = %(token_id)s::varchar)
FROM account
""",
    positions=None,
    defaults={},
)


async def bump_with_account(
    session: AsyncSession, *, user_id: int, token_id: str | None
) -> AccountRow | None:
    """The account ``user_id`` names (None when there is none), its log version bumped."""
    connection = await session.connection()
    if connection.dialect.name == "postgresql":
        driver = await DriverConnection.of(connection)
        rows = await fetch_rows(
            driver,
            _BUMP_WITH_ACCOUNT,
            {"user_id": user_id, "token_id": token_id},
            operation="INSERT training_log_version",
        )
    else:
        users = User.__table__.c  # type: ignore[attr-defined]
        revoked = exists().where(RevokedToken.token_id == token_id)  # type: ignore[arg-type]
        statement = select(
            users.username, users.disabled, users.token_version, users.role, revoked
        ).where(users.id == user_id)
        rows = list(await connection.execute(statement))
        if rows:
            await log_version.bump(session, user_id)
    if not rows:
        return None
    username, disabled, token_version, role, is_revoked = rows[0]
    return AccountRow(username, bool(disabled), int(token_version), role, bool(is_revoked))
