"""Reading export files: Strong CSV, Hevy CSV and this API's JSON, row by row.

A reader turns a file into workouts of exercise names and validated sets, and a list of
the rows it could not read (line number and reason). It never touches the database.
Files are read as a stream of rows: memory grows with the workouts found, not the file.
"""

from __future__ import annotations

import csv
import io
import json
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta, tzinfo
from typing import IO, Annotated, Any, Literal, NamedTuple

from pydantic import BaseModel, Field, TypeAdapter, ValidationError

from workout_api.training.schemas import (
    MAX_ID,
    Instant,
    Notes,
    SetIn,
    Source,
    TemplateCreate,
    Title,
)

KG_PER_LB = 0.45359237
METRES_PER_UNIT = {"km": 1000.0, "m": 1.0, "mi": 1609.344, "miles": 1609.344, "ft": 0.3048}
FORMATS = "Strong CSV, Hevy CSV or this API's JSON export"
SNIFF_BYTES = 64 * 1024

Format = Literal["strong", "hevy", "json"]


class UnreadableFileError(Exception):
    """The file is none of the accepted formats, or not text at all."""


@dataclass(frozen=True)
class RowError:
    line: int
    reason: str


class ImportedSet(NamedTuple):
    """A validated set, kept as a tuple: a 100,000-row file holds 100,000 of them."""

    type: str
    weight_kg: float | None
    reps: int | None
    duration_s: int | None
    distance_m: float | None
    rpe: float | None
    completed: bool


def imported(s: SetIn) -> ImportedSet:
    return ImportedSet(s.type, s.weight_kg, s.reps, s.duration_s, s.distance_m, s.rpe, s.completed)


@dataclass
class ParsedExercise:
    name: str
    notes: str | None = None
    superset: int | None = None
    sets: list[ImportedSet] = field(default_factory=list)


@dataclass
class ParsedWorkout:
    title: str
    started_at: datetime
    ended_at: datetime | None = None
    notes: str | None = None
    source: str = "strong"
    exercises: list[ParsedExercise] = field(default_factory=list)


@dataclass
class ParsedFile:
    source: Format
    workouts: list[ParsedWorkout] = field(default_factory=list)
    errors: list[RowError] = field(default_factory=list)
    # JSON only: the custom exercises of the exporting account, with all their fields.
    templates: list[TemplateCreate] = field(default_factory=list)


class RowProblemError(ValueError):
    """A value of a row that cannot be read; its message is the reason shown to the user."""


_title = TypeAdapter(Title)
_notes = TypeAdapter(Notes)
_instant = TypeAdapter(Instant)


# --- detection --------------------------------------------------------------------------


def _header_line(head: str) -> str:
    text = head.lstrip("\ufeff")
    return text.splitlines()[0] if text.strip() else ""


def detect(head: str) -> Format:
    """The format from the first bytes of the file (decoded), or UnreadableFileError."""
    text = head.lstrip("\ufeff").lstrip()
    if text.startswith("{"):
        return "json"
    header = _header_line(head).lower()
    if "exercise_title" in header and "start_time" in header:
        return "hevy"
    if "workout name" in header and "exercise name" in header and "set order" in header:
        return "strong"
    raise UnreadableFileError(f"Unrecognised file: upload a {FORMATS}")


def text_stream(binary: IO[bytes]) -> io.TextIOWrapper:
    """UTF-8 text (a byte-order mark dropped), newlines left to the csv module."""
    return io.TextIOWrapper(binary, encoding="utf-8-sig", newline="")


def read_head(binary: IO[bytes]) -> str:
    head = binary.read(SNIFF_BYTES)
    binary.seek(0)
    try:
        return head.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        if exc.start < len(head) - 4:  # not a character cut at the end of the sample
            raise UnreadableFileError(f"The file is not UTF-8 text: upload a {FORMATS}") from exc
        return head[: exc.start].decode("utf-8-sig")


# --- values -----------------------------------------------------------------------------


def _number(text: str, what: str, decimal_comma: bool = False) -> float | None:
    text = text.strip()
    if not text:
        return None
    if decimal_comma:
        text = text.replace(",", ".")
    try:
        value = float(text)
    except ValueError as exc:
        raise RowProblemError(f"{what} {text!r} is not a number") from exc
    if value != value or value in (float("inf"), float("-inf")):
        raise RowProblemError(f"{what} {text!r} is not a number")
    return value


def _whole(value: float | None, what: str) -> int | None:
    if value is None:
        return None
    if value != int(value):
        raise RowProblemError(f"{what} {value:g} is not a whole number")
    return int(value)


_DURATION_PART = re.compile(r"(\d+(?:\.\d+)?)\s*([hms])")


def parse_duration(text: str) -> int | None:
    """Strong's ``1h 24m``, ``52m``, ``55s`` (or plain seconds) as seconds."""
    text = text.strip().lower()
    if not text:
        return None
    if re.fullmatch(r"\d+(\.\d+)?", text):
        return int(float(text))
    parts = _DURATION_PART.findall(text)
    if not parts or _DURATION_PART.sub("", text).strip():
        raise RowProblemError(f"duration {text!r} is not like 1h 24m, 52m or 55s")
    scale = {"h": 3600, "m": 60, "s": 1}
    return int(sum(float(amount) * scale[unit] for amount, unit in parts))


def _local(naive: datetime, zone: tzinfo) -> datetime:
    return naive if naive.tzinfo is not None else naive.replace(tzinfo=zone)


def _instant_of(value: datetime, what: str) -> datetime:
    try:
        return _instant.validate_python(value)
    except ValidationError as exc:
        raise RowProblemError(f"{what} must be between 1900 and 2999") from exc


STRONG_TIME_FORMATS = ("%Y-%m-%d %H:%M:%S", "%Y-%m-%d %H:%M")
HEVY_TIME_FORMAT = "%d %b %Y, %H:%M"
MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")


def parse_time(text: str, zone: tzinfo, what: str) -> datetime:
    """Strong's ``2024-05-28 07:32:10``, Hevy's ``28 May 2024, 07:32`` or ISO 8601; a time
    without an offset is read in ``zone``."""
    text = text.strip()
    if not text:
        raise RowProblemError(f"{what} is empty")
    match = re.fullmatch(r"(\d{1,2}) ([A-Za-z]{3})[a-z]* (\d{4}),? (\d{1,2}):(\d{2})", text)
    if match:
        day, month, year, hour, minute = match.groups()
        try:
            month_number = MONTHS.index(month.title()) + 1
            naive = datetime(int(year), month_number, int(day), int(hour), int(minute))
        except ValueError as exc:
            raise RowProblemError(f"{what} {text!r} is not a date and time") from exc
        return _instant_of(_local(naive, zone), what)
    for pattern in STRONG_TIME_FORMATS:
        try:
            return _instant_of(_local(datetime.strptime(text, pattern), zone), what)
        except ValueError:
            continue
    try:
        return _instant_of(_local(datetime.fromisoformat(text), zone), what)
    except ValueError as exc:
        raise RowProblemError(f"{what} {text!r} is not a date and time") from exc


def _set(**values: Any) -> ImportedSet:
    try:
        return imported(SetIn(**values))
    except ValidationError as exc:
        reasons = "; ".join(
            (f"{'.'.join(map(str, e['loc']))}: " if e["loc"] else "") + e["msg"]
            for e in exc.errors()
        )
        raise RowProblemError(reasons) from exc


def _check_title(text: str) -> str:
    try:
        return _title.validate_python(text.strip())
    except ValidationError as exc:
        raise RowProblemError("workout title must be 1 to 100 printable characters") from exc


def _check_notes(text: str | None, what: str) -> str | None:
    if text is None or not text.strip():
        return None
    try:
        return _notes.validate_python(text)
    except ValidationError as exc:
        raise RowProblemError(f"{what} must be at most 5,000 characters") from exc


def _check_name(text: str) -> str:
    name = text.strip()
    try:
        return _title.validate_python(name)
    except ValidationError as exc:
        raise RowProblemError("exercise name must be 1 to 100 printable characters") from exc


# --- CSV --------------------------------------------------------------------------------


def _rows(text: IO[str], delimiter: str) -> Iterator[tuple[int, list[str]]]:
    """Each record with the line it starts on (quoted fields may span lines)."""
    reader = csv.reader(text, delimiter=delimiter)
    line = 1
    while True:
        try:
            record = next(reader)
        except StopIteration:
            return
        except csv.Error as exc:  # an unclosed quote, a field over the csv module's limit
            raise UnreadableFileError(f"line {line}: the CSV cannot be read ({exc})") from exc
        yield line, record
        line = reader.line_num + 1


def _columns(header: list[str]) -> dict[str, int]:
    return {name.strip().lstrip("\ufeff").lower(): index for index, name in enumerate(header)}


class _Workouts:
    """Workouts being assembled, keyed by start time and title, in the file's order.

    Every row repeats its workout's cells and exercise name: they are read once per
    distinct text (``heads``, ``names``), which is most of the time of a large file.
    """

    def __init__(self) -> None:
        self.by_key: dict[tuple[datetime, str], ParsedWorkout] = {}
        self.heads: dict[tuple[str, ...], Any] = {}
        self.names: dict[str, str] = {}

    def name(self, text: str) -> str:
        found = self.names.get(text)
        if found is None:
            found = self.names[text] = _check_name(text)
        return found

    def head(self, cells: tuple[str, ...], read_head: Any) -> Any:
        found = self.heads.get(cells)
        if found is None:
            if len(self.heads) > 1000:  # rows of one workout follow each other
                self.heads.clear()
            found = self.heads[cells] = read_head()
        return found

    def get(self, started_at: datetime, title: str, make: Any) -> ParsedWorkout:
        key = (started_at, title)
        found = self.by_key.get(key)
        if found is None:
            found = self.by_key[key] = make()
        return found

    @staticmethod
    def exercise(workout: ParsedWorkout, name: str, superset: int | None) -> ParsedExercise:
        last = workout.exercises[-1] if workout.exercises else None
        if last is not None and last.name.lower() == name.lower() and last.superset == superset:
            return last
        exercise = ParsedExercise(name=name, superset=superset)
        workout.exercises.append(exercise)
        return exercise


def _add_note(exercise: ParsedExercise, note: str | None) -> None:
    if note and note.strip():
        note = note.strip()
        if exercise.notes is None:
            exercise.notes = note
        elif note not in exercise.notes.split("\n"):
            exercise.notes = f"{exercise.notes}\n{note}"


STRONG_REQUIRED = ("date", "workout name", "exercise name", "set order", "weight", "reps")
STRONG_SET_TYPES = {"w": "warmup", "d": "dropset", "f": "failure"}


def read_strong(text: IO[str], *, weight_unit: str, zone: tzinfo) -> ParsedFile:
    parsed = ParsedFile(source="strong")
    delimiter = _delimiter(text)
    rows = _rows(text, delimiter)
    try:
        _, header = next(rows)
    except StopIteration as exc:
        raise UnreadableFileError(f"The file is empty: upload a {FORMATS}") from exc
    col = _columns(header)
    missing = [name for name in STRONG_REQUIRED if name not in col]
    if missing:
        raise UnreadableFileError(f"Strong CSV without the column(s) {', '.join(missing)}")
    decimal_comma = delimiter == ";"
    workouts = _Workouts()
    for line, row in rows:
        if not any(cell.strip() for cell in row):
            continue
        try:
            _strong_row(row, col, workouts, weight_unit, zone, decimal_comma)
        except RowProblemError as exc:
            parsed.errors.append(RowError(line, str(exc)))
        except IndexError:
            parsed.errors.append(RowError(line, f"{len(row)} cells, the header has {len(col)}"))
    parsed.workouts = list(workouts.by_key.values())
    return parsed


def _cell(row: list[str], col: dict[str, int], name: str) -> str:
    index = col.get(name)
    if index is None:
        return ""
    return row[index]


def _strong_row(
    row: list[str],
    col: dict[str, int],
    workouts: _Workouts,
    weight_unit: str,
    zone: tzinfo,
    decimal_comma: bool,
) -> None:
    if len(row) < len(col):
        raise IndexError
    order = _cell(row, col, "set order").strip()
    cells = (
        _cell(row, col, "date"),
        _cell(row, col, "workout name"),
        _cell(row, col, "duration") or _cell(row, col, "workout duration"),
        _cell(row, col, "workout notes"),
    )
    started_at, title, duration, workout_notes = workouts.head(
        cells,
        lambda: (
            parse_time(cells[0], zone, "date"),
            _check_title(cells[1]),
            parse_duration(cells[2]),
            _check_notes(cells[3], "workout notes"),
        ),
    )

    def make() -> ParsedWorkout:
        ended = None if duration is None else started_at + timedelta(seconds=duration)
        return ParsedWorkout(
            title=title, started_at=started_at, ended_at=ended, notes=workout_notes, source="strong"
        )

    workout = workouts.get(started_at, title, make)
    if order.lower() == "rest timer":  # the rest after a set, not a set
        return
    if order.isdigit():
        set_type = "normal"
    elif order.lower() in STRONG_SET_TYPES:
        set_type = STRONG_SET_TYPES[order.lower()]
    else:
        raise RowProblemError(f"set order {order!r} is not a number, W, D, F or Rest Timer")
    name = workouts.name(_cell(row, col, "exercise name"))
    unit = (_cell(row, col, "weight unit").strip().lower() or weight_unit).rstrip("s")
    if unit not in ("kg", "lb"):
        raise RowProblemError(f"weight unit {unit!r} is not kg or lbs")
    weight = _number(_cell(row, col, "weight"), "weight", decimal_comma)
    distance_unit = _cell(row, col, "distance unit").strip().lower() or (
        "km" if weight_unit == "kg" else "mi"
    )
    if distance_unit not in METRES_PER_UNIT:
        raise RowProblemError(f"distance unit {distance_unit!r} is not km, m, mi or ft")
    distance = _number(_cell(row, col, "distance"), "distance", decimal_comma)
    seconds = _number(_cell(row, col, "seconds"), "seconds", decimal_comma)
    reps = _whole(_number(_cell(row, col, "reps"), "reps", decimal_comma), "reps")
    # Strong writes 0 for no weight, distance or time; 0 reps is a set done for nothing.
    made = _set(
        type=set_type,
        weight_kg=weight * (KG_PER_LB if unit == "lb" else 1.0) if weight else None,
        reps=reps,
        duration_s=_whole(seconds, "seconds") if seconds else None,
        distance_m=distance * METRES_PER_UNIT[distance_unit] if distance else None,
        rpe=_number(_cell(row, col, "rpe"), "RPE", decimal_comma),
    )
    exercise = workouts.exercise(workout, name, None)
    _add_note(exercise, _check_notes(_cell(row, col, "notes"), "notes"))
    exercise.sets.append(made)


def _delimiter(text: IO[str]) -> str:
    """Strong writes ``,`` or ``;`` (locales with a decimal comma): the header says which."""
    start = text.tell()
    first = text.readline()
    text.seek(start)
    return ";" if first.count(";") > first.count(",") else ","


HEVY_SET_TYPES = {
    "normal": "normal",
    "warmup": "warmup",
    "failure": "failure",
    "dropset": "dropset",
}


def read_hevy(text: IO[str], *, zone: tzinfo) -> ParsedFile:
    parsed = ParsedFile(source="hevy")
    rows = _rows(text, ",")
    try:
        _, header = next(rows)
    except StopIteration as exc:
        raise UnreadableFileError(f"The file is empty: upload a {FORMATS}") from exc
    col = _columns(header)
    missing = [
        name
        for name in ("title", "start_time", "exercise_title", "set_type", "reps")
        if name not in col
    ]
    if "weight_kg" not in col and "weight_lbs" not in col:
        missing.append("weight_kg or weight_lbs")
    if missing:
        raise UnreadableFileError(f"Hevy CSV without the column(s) {', '.join(missing)}")
    workouts = _Workouts()
    for line, row in rows:
        if not any(cell.strip() for cell in row):
            continue
        try:
            _hevy_row(row, col, workouts, zone)
        except RowProblemError as exc:
            parsed.errors.append(RowError(line, str(exc)))
        except IndexError:
            parsed.errors.append(RowError(line, f"{len(row)} cells, the header has {len(col)}"))
    parsed.workouts = list(workouts.by_key.values())
    return parsed


def _hevy_head(cells: tuple[str, ...], zone: tzinfo) -> tuple[Any, ...]:
    started_at = parse_time(cells[0], zone, "start_time")
    ended_at = parse_time(cells[1], zone, "end_time") if cells[1] else None
    if ended_at is not None and ended_at < started_at:
        raise RowProblemError("end_time is before start_time")
    return started_at, ended_at, _check_title(cells[2]), _check_notes(cells[3], "description")


def _hevy_row(row: list[str], col: dict[str, int], workouts: _Workouts, zone: tzinfo) -> None:
    if len(row) < len(col):
        raise IndexError
    cells = (
        _cell(row, col, "start_time"),
        _cell(row, col, "end_time").strip(),
        _cell(row, col, "title"),
        _cell(row, col, "description"),
    )
    started_at, ended_at, title, notes = workouts.head(cells, lambda: _hevy_head(cells, zone))
    workout = workouts.get(
        started_at,
        title,
        lambda: ParsedWorkout(
            title=title, started_at=started_at, ended_at=ended_at, notes=notes, source="hevy"
        ),
    )
    set_type = HEVY_SET_TYPES.get(_cell(row, col, "set_type").strip().lower())
    if set_type is None:
        raise RowProblemError(
            f"set_type {_cell(row, col, 'set_type')!r} is not normal, warmup, failure or dropset"
        )
    superset = _whole(_number(_cell(row, col, "superset_id"), "superset_id"), "superset_id")
    if superset is not None and not 0 <= superset <= MAX_ID:
        raise RowProblemError(f"superset_id {superset} is not between 0 and {MAX_ID}")
    if "weight_lbs" in col:
        pounds = _number(_cell(row, col, "weight_lbs"), "weight_lbs")
        weight = None if pounds is None else pounds * KG_PER_LB
    else:
        weight = _number(_cell(row, col, "weight_kg"), "weight_kg")
    if "distance_miles" in col:
        miles = _number(_cell(row, col, "distance_miles"), "distance_miles")
        distance = None if miles is None else miles * METRES_PER_UNIT["mi"]
    else:
        km = _number(_cell(row, col, "distance_km"), "distance_km")
        distance = None if km is None else km * 1000
    seconds = _number(_cell(row, col, "duration_seconds"), "duration_seconds")
    made = _set(
        type=set_type,
        weight_kg=weight,
        reps=_whole(_number(_cell(row, col, "reps"), "reps"), "reps"),
        duration_s=_whole(seconds, "duration_seconds"),
        distance_m=distance,
        rpe=_number(_cell(row, col, "rpe"), "rpe"),
    )
    exercise = workouts.exercise(
        workout, workouts.name(_cell(row, col, "exercise_title")), superset
    )
    _add_note(exercise, _check_notes(_cell(row, col, "exercise_notes"), "exercise_notes"))
    exercise.sets.append(made)


# --- JSON -------------------------------------------------------------------------------

JSON_FORMAT = "workout-tracker-export"


class JsonExercise(BaseModel):
    name: Title
    notes: Notes | None = None
    superset: Annotated[int, Field(ge=0, le=MAX_ID)] | None = None
    sets: list[SetIn] = []


class JsonWorkout(BaseModel):
    title: Title
    notes: Notes | None = None
    started_at: Instant
    ended_at: Instant | None = None
    source: Source = "json"
    exercises: list[JsonExercise] = []


class JsonHead(BaseModel):
    format: Literal["workout-tracker-export"]
    version: Literal[1]
    exercise_templates: list[TemplateCreate] = Field(default_factory=list)


def read_json(text: IO[str]) -> ParsedFile:
    """This API's export: read whole (the standard library has no streaming JSON parser;
    a 20 MB file is a few times that in memory, see docs/api.md)."""
    try:
        document = json.load(text)
    except json.JSONDecodeError as exc:
        raise UnreadableFileError(f"line {exc.lineno}: not valid JSON ({exc.msg})") from exc
    if not isinstance(document, dict):
        raise UnreadableFileError(f"Unrecognised JSON: upload a {FORMATS}")
    try:
        head = JsonHead.model_validate(document)
    except ValidationError as exc:
        raise UnreadableFileError(
            f"Not this API's JSON export ({exc.errors()[0]['msg']}): upload a {FORMATS}"
        ) from exc
    parsed = ParsedFile(source="json", templates=head.exercise_templates)
    items = document.get("workouts", [])
    if not isinstance(items, list):
        raise UnreadableFileError("workouts must be a list")
    for index, item in enumerate(items):
        try:
            data = JsonWorkout.model_validate(item)
        except ValidationError as exc:
            error = exc.errors()[0]
            where = ".".join(str(part) for part in error["loc"])
            # JSON has no rows: the line is the workout's place in the list, from 1.
            parsed.errors.append(RowError(index + 1, f"workouts[{index}].{where}: {error['msg']}"))
            continue
        parsed.workouts.append(
            ParsedWorkout(
                title=data.title,
                started_at=data.started_at,
                ended_at=data.ended_at,
                notes=data.notes,
                source=data.source,
                exercises=[
                    ParsedExercise(
                        name=exercise.name.strip(),
                        notes=exercise.notes,
                        superset=exercise.superset,
                        sets=[imported(s) for s in exercise.sets],
                    )
                    for exercise in data.exercises
                ],
            )
        )
    return parsed


def read(binary: IO[bytes], *, source: str, weight_unit: str, zone: tzinfo = UTC) -> ParsedFile:
    """Detect (or check) the format and read the whole file."""
    head = read_head(binary)
    found = detect(head)
    if source != "auto" and source != found:
        raise UnreadableFileError(f"source={source} but the file looks like a {found} export")
    text = text_stream(binary)
    try:
        if found == "json":
            return read_json(text)
        if found == "hevy":
            return read_hevy(text, zone=zone)
        return read_strong(text, weight_unit=weight_unit, zone=zone)
    except UnicodeDecodeError as exc:
        raise UnreadableFileError("The file is not UTF-8 text") from exc
    finally:
        text.detach()
