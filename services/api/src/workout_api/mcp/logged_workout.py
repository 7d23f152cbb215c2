"""``log-workout``'s input: the body of ``POST /workouts``, where an exercise may be named.

Names are matched to the lifter's library as the importer matches them (name or alias,
case-insensitive). A name that matches nothing is refused with close names from the
library search: a slip of the tongue must not create an exercise behind the lifter's back.
"""

from __future__ import annotations

from typing import Annotated, Any

from pydantic import Field, model_validator
from sqlmodel.ext.asyncio.session import AsyncSession

from workout_api.training import templates
from workout_api.training.exceptions import invalid_field
from workout_api.training.schemas import ExerciseIn, Id, TemplateName, WorkoutIn

CLOSE_NAMES_SHOWN = 5
MIN_WORD_LENGTH = 3


class LoggedExercise(ExerciseIn):
    # The REST body needs template_id; here the exercise's name may stand in for it.
    template_id: Annotated[
        Id | None,
        Field(description="Id of the exercise in the library (from search-exercise-templates)"),
    ] = None  # type: ignore[assignment]
    name: Annotated[
        TemplateName | None,
        Field(
            description="Or the exercise's name or alias, any case, e.g. 'Bench Press'; "
            "it must match an exercise of your library exactly"
        ),
    ] = None

    @model_validator(mode="after")
    def _named_once(self) -> LoggedExercise:
        if (self.template_id is None) == (self.name is None):
            raise ValueError("give either template_id or name (not both)")
        return self


async def _close_names(session: AsyncSession, user_id: int, name: str) -> list[str]:
    """Library names the search finds for the whole name, else for its longer words."""
    words = sorted((w for w in name.split() if len(w) >= MIN_WORD_LENGTH), key=len, reverse=True)
    # "squats" finds "Back Squat": a plural is searched for as its singular too.
    singulars = [w[:-1] for w in [name, *words] if w.lower().endswith("s")]
    queries = [name, *singulars, *words]
    found: list[str] = []
    for query in queries:
        _, items = await templates.page(
            session,
            user_id=user_id,
            q=query,
            muscle=None,
            equipment=None,
            type_=None,
            custom=None,
            page=1,
            page_size=CLOSE_NAMES_SHOWN,
        )
        found.extend(item["name"] for item in items if item["name"] not in found)
        if len(found) >= CLOSE_NAMES_SHOWN:
            break
    return found[:CLOSE_NAMES_SHOWN]


async def _unmatched(session: AsyncSession, user_id: int, name: str) -> str:
    close = await _close_names(session, user_id, name)
    hint = (
        f"close names: {', '.join(repr(n) for n in close)}"
        if close
        else "nothing close found; use search-exercise-templates"
    )
    return f"no exercise called {name!r} in your library ({hint}); give one of those names or its template_id"


async def workout_in(
    session: AsyncSession,
    *,
    user_id: int,
    body: dict[str, Any],
    exercises: list[LoggedExercise],
) -> WorkoutIn:
    """The ``POST /workouts`` body, every named exercise replaced by its template id."""
    library = await templates.name_index(session, user_id)
    resolved: list[dict[str, Any]] = []
    for index, exercise in enumerate(exercises):
        template_id = exercise.template_id
        if exercise.name is not None:
            template_id = library.get(exercise.name.lower())
            if template_id is None:
                raise invalid_field(
                    ("exercises", index, "name"), await _unmatched(session, user_id, exercise.name)
                )
        resolved.append({**exercise.model_dump(exclude={"name"}), "template_id": template_id})
    return WorkoutIn.model_validate({**body, "exercises": resolved})
