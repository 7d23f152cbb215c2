"""Text cells of every CSV the API writes: never read as a formula by a spreadsheet."""

from __future__ import annotations

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def spreadsheet_text(value: str | None) -> str:
    """The text, with a leading apostrophe when a spreadsheet would run it (OWASP CSV
    injection); ``None`` is an empty cell."""
    if value is None:
        return ""
    return f"'{value}" if value.startswith(FORMULA_STARTS) else value
