"""What the app does to its database when it starts: migrate, provision accounts."""

from __future__ import annotations

import logging
from datetime import UTC, datetime

import anyio
from sqlalchemy.exc import DBAPIError, OperationalError

from workout_api import migrations
from workout_api.exercises.column_types import check_exercise_columns
from workout_api.resources import AppResources
from workout_api.training.demo_data import seed_demo_data
from workout_api.users import service as user_service
from workout_api.users.models import Role
from workout_api.users.service import DEV_USERS

logger = logging.getLogger(__name__)

DEMO_USERNAME = "user"


async def provision_accounts(resources: AppResources) -> None:
    """The service identity always; the dev users in development; the first admin if configured."""
    settings, hasher = resources.settings, resources.hasher
    async with resources.session_factory() as session:
        await user_service.ensure_account(
            session,
            hasher,
            username=settings.service_account_username,
            password=settings.service_account_password,
            role=Role.SERVICE,
            reset_existing=True,
        )
        if settings.seeds_dev_users:
            for username, password, email, role in DEV_USERS:
                account = await user_service.ensure_account(
                    session,
                    hasher,
                    username=username,
                    password=password,
                    role=role,
                    email=email,
                    reset_existing=False,
                )
                if settings.seed_demo_data and username == DEMO_USERNAME and account.id:
                    created = await seed_demo_data(
                        session, user_id=account.id, today=datetime.now(UTC).date()
                    )
                    logger.info("demo training for %r: %d new workouts", username, created)
        if settings.initial_admin_username and settings.initial_admin_password:
            await user_service.ensure_account(
                session,
                hasher,
                username=settings.initial_admin_username,
                password=settings.initial_admin_password,
                role=Role.ADMIN,
                email=settings.initial_admin_email,
                reset_existing=False,
            )


async def prepare_database(resources: AppResources) -> None:
    """Migrate (when configured), check the exercise table, provision accounts and fail the
    imports a stopped process left running.

    An unreachable database is logged, not fatal, so the API still starts and ``/health``
    reports it; an exercise table of other column types stops the start-up
    (:class:`~workout_api.exercises.column_types.ExerciseTableMismatchError`).
    """
    settings = resources.settings
    try:
        if settings.migrate_on_start:
            await anyio.to_thread.run_sync(migrations.upgrade, settings.database_url)
            logger.info("database schema migrated to %s", migrations.head_revision())
        async with resources.engine.connect() as connection:
            await check_exercise_columns(connection)
        await provision_accounts(resources)
        await resources.import_jobs.fail_abandoned()
    except (OperationalError, DBAPIError, OSError) as exc:
        logger.error(
            "database not ready at startup (%s); /health reports it until it is",
            str(exc).splitlines()[0] if str(exc) else exc.__class__.__name__,
        )
