"""Database triggers written for each dialect, created and dropped by the migrations."""

from __future__ import annotations

from dataclasses import dataclass

from alembic import op


@dataclass(frozen=True)
class Triggers:
    postgresql: str  # one script: functions, then the triggers that run them
    postgresql_drop: str
    sqlite: tuple[str, ...]  # one statement per trigger
    sqlite_names: tuple[str, ...]

    def create(self) -> None:
        if op.get_bind().dialect.name == "postgresql":
            op.execute(self.postgresql)
        else:
            for statement in self.sqlite:
                op.execute(statement)

    def drop(self) -> None:
        if op.get_bind().dialect.name == "postgresql":
            op.execute(self.postgresql_drop)
        else:
            for name in self.sqlite_names:
                op.execute(f"DROP TRIGGER IF EXISTS {name}")
