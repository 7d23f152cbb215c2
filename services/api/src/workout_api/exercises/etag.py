"""Weak ETags for exercise lists, derived from the data version rather than the rows.

The contract describes a SHA-256 over the JSON body; hashing the data version and the
normalised query instead gives the same guarantees (it changes whenever the body could
change, and differs per page/sort) while letting a conditional GET skip reading rows.
"""

from __future__ import annotations

import hashlib

from workout_api.exercises.columns import DataVersion
from workout_api.exercises.sorting import Sort

REPRESENTATION = "exercise-page/v1"


def list_etag(version: DataVersion, *, page: int, page_size: int, sort: Sort) -> str:
    key = (
        f"{REPRESENTATION}|{version.version}|{version.exercise_count}|"
        f"{page}|{page_size}|{sort.column}|{sort.order.value}"
    )
    digest = hashlib.sha256(key.encode()).hexdigest()
    return f'W/"{digest}"'


def _opaque(tag: str) -> str:
    tag = tag.strip()
    return tag[2:] if tag.startswith("W/") else tag


def etag_matches(if_none_match: str | None, etag: str) -> bool:
    """Weak comparison (RFC 9110 §13.1.2) against every tag listed in ``If-None-Match``."""
    if not if_none_match:
        return False
    if if_none_match.strip() == "*":
        return True
    wanted = _opaque(etag)
    return any(_opaque(candidate) == wanted for candidate in if_none_match.split(","))
