"""Which muscle group an exercise trains: the exercise library's answer for a name or alias
it knows (its primary muscle, mapped to the coach's groups by the library's data file),
otherwise inferred from the name with a keyword table."""

from __future__ import annotations

import re
from functools import lru_cache
from typing import Final

from workout_common.exercise_library import LibraryExercise, coach_groups, library, names_of

TRAINED_GROUPS: Final = ("chest", "back", "shoulders", "biceps", "triceps", "legs", "core")
FULL_BODY: Final = "full_body"
OTHER: Final = "other"

# Checked in order, first match wins: the more specific names come before the generic ones
# ("leg raise" is core before "leg" is legs, "close grip bench" is triceps before "bench").
_KEYWORDS: Final[tuple[tuple[str, tuple[str, ...]], ...]] = (
    (
        "core",
        (
            r"leg raises?",
            r"knee raises?",
            r"planks?",
            r"crunch(?:es)?",
            r"sit ?ups?",
            r"ab wheel",
            r"roll ?outs?",
            r"russian twists?",
            r"dead ?bugs?",
            r"hollow (?:hold|body|rock)",
            r"mountain climbers?",
            r"pallof",
            r"wood ?chops?",
            r"obliques?",
            r"v ?ups?",
            r"flutter kicks?",
            r"abs?",
            r"core",
        ),
    ),
    (
        "legs",
        (
            r"romanian deadlifts?",
            r"rdls?",
            r"stiff legg?e?d? deadlifts?",
            r"(?:leg|hamstring|nordic) curls?",
            r"nordics?",
            r"leg press(?:es)?",
            r"leg extensions?",
            r"squats?",
            r"lunges?",
            r"step ?ups?",
            r"calf",
            r"calves",
            r"hip thrusts?",
            r"glutes?",
            r"bridges?",
            r"hamstrings?",
            r"quads?",
            r"good mornings?",
            r"legs?",
            r"box jumps?",
            r"wall sits?",
        ),
    ),
    (
        "triceps",
        (
            r"close grip (?:bench|press)",
            r"triceps?",
            r"skull ?crushers?",
            r"push ?downs?",
            r"kick ?backs?",
            r"french press",
            r"dips?",
            r"overhead extensions?",
        ),
    ),
    (
        "shoulders",
        (
            r"overhead press",
            r"shoulders?",
            r"military press",
            r"ohp",
            r"(?:lateral|side|front) raises?",
            r"rear delts?",
            r"reverse fl(?:y|ye|yes|ies)",
            r"arnold",
            r"upright rows?",
            r"face pulls?",
            r"delts?",
            r"deltoids?",
            r"push press",
            r"landmine press",
        ),
    ),
    (
        FULL_BODY,
        (
            r"burpees?",
            r"cleans?",
            r"snatch(?:es)?",
            r"thrusters?",
            r"(?:kettlebell )?swings?",
            r"turkish get ?ups?",
            r"man ?makers?",
            r"farmers?(?: walks?| carry| carries)?",
            r"sled",
        ),
    ),
    (
        "back",
        (
            r"deadlifts?",
            r"rows?",
            r"pull ?ups?",
            r"chin ?ups?",
            r"pull ?downs?",
            r"lats?",
            r"back extensions?",
            r"hyperextensions?",
            r"supermans?",
            r"shrugs?",
            r"back",
        ),
    ),
    (
        "chest",
        (
            r"bench",
            r"chest",
            r"push ?ups?",
            r"fl(?:y|ye|yes|ies)",
            r"pecs?",
            r"pec deck",
            r"cross ?overs?",
            r"(?:incline|decline) (?:\w+ )?press",
        ),
    ),
    ("biceps", (r"curls?", r"biceps?")),
)

_PATTERNS: Final = tuple(
    (group, re.compile(r"\b(?:" + "|".join(keywords) + r")\b")) for group, keywords in _KEYWORDS
)
_SEPARATORS = re.compile(r"[^a-z0-9]+")


def normalise_name(name: str) -> str:
    """Lower case, every run of punctuation or spaces turned into one space ("Pull-Up" → "pull up")."""
    return _SEPARATORS.sub(" ", name.lower()).strip()


@lru_cache(maxsize=1)
def _library_by_name() -> dict[str, LibraryExercise]:
    return {normalise_name(name): exercise for exercise in library() for name in names_of(exercise)}


def library_exercise(name: str) -> LibraryExercise | None:
    """The built-in exercise with this name or alias, if any."""
    return _library_by_name().get(normalise_name(name))


@lru_cache(maxsize=1)
def _library_groups() -> dict[str, str]:
    groups = coach_groups()
    return {name: groups[exercise.primary_muscle] for name, exercise in _library_by_name().items()}


@lru_cache(maxsize=4096)
def infer_muscle_group(name: str) -> str:
    """The group an exercise trains most: one of :data:`TRAINED_GROUPS`, ``full_body`` or ``other``."""
    normalised = normalise_name(name)
    known = _library_groups().get(normalised)
    if known is not None:
        return known
    for group, pattern in _PATTERNS:
        if pattern.search(normalised):
            return group
    return OTHER
