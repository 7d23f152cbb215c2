"""Text cells of every CSV the API writes, made safe to open in a spreadsheet.

A cell starting with ``=``, ``+``, ``-``, ``@``, a tab or a carriage return is read as a
formula by Excel, LibreOffice and Google Sheets (``=HYPERLINK(...)`` in an exercise name would
run on the machine of whoever opens an export). As OWASP recommends for CSV injection, such a
cell gets a leading single quote, which spreadsheets show as text and never evaluate.
Only text columns pass through here; numbers are written as numbers.
"""

from __future__ import annotations

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def spreadsheet_text(value: str | None) -> str:
    """The text, quoted when a spreadsheet would run it; ``None`` is an empty cell."""
    if value is None:
        return ""
    return "'" + value if value.startswith(FORMULA_STARTS) else value
