"""Whether a live object already carries every field the operator would apply."""

from __future__ import annotations

from typing import Any


def carries(live: Any, desired: Any) -> bool:
    """``True`` when every field of ``desired`` is in ``live`` with the same value.

    Fields the API server adds (defaults, status, metadata) are ignored, so an object that
    matches needs no write; any field changed or removed behind the operator's back makes it
    ``False`` and the object is applied again.
    """
    if isinstance(desired, dict):
        if not isinstance(live, dict):
            return False
        return all(key in live and carries(live[key], value) for key, value in desired.items())
    if isinstance(desired, list):
        if not isinstance(live, list) or len(live) != len(desired):
            return False
        return all(carries(a, b) for a, b in zip(live, desired, strict=True))
    if isinstance(desired, bool) or isinstance(live, bool):
        return live is desired
    if isinstance(desired, int | float) and isinstance(live, int | float):
        return live == desired
    return bool(live == desired)
