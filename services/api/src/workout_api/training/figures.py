"""The training log's arithmetic: which sets count, volume, e1RM, an exercise's figures in
one workout, and records over a history. Pure functions, shared by the write path and
the tests' full recomputation."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any, Final, Protocol, get_args

from workout_api.training.schemas import RecordKind

KINDS: Final[tuple[str, ...]] = get_args(RecordKind)  # the answer's own list of kinds
REP_MAXES: Final = (1, 3, 5, 10)
# Record kind → the column of ``workout_exercise_summary`` holding the workout's best.
SUMMARY_COLUMN: Final = {
    "heaviest_weight": "max_weight",
    "best_e1rm": "best_e1rm",
    "best_set_volume": "best_set_volume",
    "most_reps": "max_reps",
    "rep_max_1": "rep_max_1",
    "rep_max_3": "rep_max_3",
    "rep_max_5": "rep_max_5",
    "rep_max_10": "rep_max_10",
}
EPLEY_MAX_REPS: Final = 12


class SetLike(Protocol):
    @property
    def type(self) -> str: ...
    @property
    def weight_kg(self) -> float | None: ...
    @property
    def reps(self) -> int | None: ...
    @property
    def completed(self) -> bool: ...


def is_working(s: SetLike) -> bool:
    """Completed and not a warm-up: what volume and statistics count."""
    return s.completed and s.type != "warmup"


def counts_for_records(s: SetLike) -> bool:
    """A working set with at least one rep: what records and e1RM count."""
    return is_working(s) and s.reps is not None and s.reps >= 1


def e1rm(weight_kg: float, reps: int) -> float | None:
    """Epley: ``w * (1 + r / 30)`` for 2 ≤ r ≤ 12, ``w`` for one rep, none above 12."""
    if reps == 1:
        return weight_kg
    if 2 <= reps <= EPLEY_MAX_REPS:
        return weight_kg * (1 + reps / 30)
    return None


def set_volume(s: SetLike) -> float:
    if s.weight_kg is None or s.reps is None:
        return 0.0
    return s.weight_kg * s.reps


def _max(values: Iterable[float | None]) -> float | None:
    present = [value for value in values if value is not None]
    return max(present) if present else None


def exercise_figures(sets: Sequence[SetLike]) -> dict[str, Any]:
    """One exercise's figures in one workout (the summary row's values)."""
    working = [s for s in sets if is_working(s)]
    counted = [s for s in working if counts_for_records(s)]
    weighted = [s for s in counted if s.weight_kg is not None]
    figures: dict[str, Any] = {
        "set_count": len(sets),
        "working_sets": len(working),
        "volume_kg": sum(set_volume(s) for s in working),
        "max_weight": _max(s.weight_kg for s in weighted),
        "best_e1rm": _max(e1rm(s.weight_kg, s.reps) for s in weighted),  # type: ignore[arg-type]
        "best_set_volume": _max(set_volume(s) for s in weighted),
        "max_reps": max((s.reps for s in counted), default=None),  # type: ignore[type-var]
    }
    for n in REP_MAXES:
        figures[f"rep_max_{n}"] = _max(
            s.weight_kg for s in weighted if s.reps is not None and s.reps >= n
        )
    return figures


@dataclass(frozen=True)
class Best:
    value: float
    workout_id: int
    achieved_at: datetime


def records_over(
    rows: Iterable[Mapping[str, Any]],
) -> tuple[dict[str, Best], dict[int, int]]:
    """Records of one exercise from its summary rows (any order).

    Returns the best per kind (the first workout to reach it, in time order) and, per
    workout, how many records it set first (value above every earlier workout's).
    """
    ordered = sorted(rows, key=lambda row: (row["started_at"], row["workout_id"]))
    best: dict[str, Best] = {}
    counts: dict[int, int] = {}
    for row in ordered:
        improved = records_set_by(row, best)
        best.update(improved)
        counts[row["workout_id"]] = len(improved)
    return best, counts


def records_set_by(row: Mapping[str, Any], best: Mapping[str, Best]) -> dict[str, Best]:
    """The records a workout's summary row sets first, after every workout in ``best``: a
    value above the best so far (an equal one leaves the record with the earlier workout)."""
    improved: dict[str, Best] = {}
    for kind in KINDS:
        value = row[SUMMARY_COLUMN[kind]]
        if value is None:
            continue
        current = best.get(kind)
        if current is None or value > current.value:
            improved[kind] = Best(float(value), row["workout_id"], row["started_at"])
    return improved


def monday_of(day: date) -> date:
    return day - timedelta(days=day.weekday())


def week_start(instant: datetime) -> date:
    """Monday of the ISO week (in UTC) an instant falls in."""
    return monday_of(instant.date())


def first_of_month(day: date) -> date:
    return day.replace(day=1)
