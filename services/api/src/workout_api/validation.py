"""Input rules shared by every request body: text the databases can store."""

from __future__ import annotations

from typing import Annotated

from pydantic import AfterValidator, Strict

# Characters that change how text around them shows without showing themselves: C1 controls,
# bidirectional overrides and isolates (a name could read backwards, "U+202E"), and invisible
# spaces. Zero-width (non-)joiners stay allowed: emoji sequences and several scripts need them.
_HIDDEN = frozenset(
    [chr(c) for c in range(0x80, 0xA0)]
    + ["\u061c", "\u200e", "\u200f", "\u200b", "\u2060", "\ufeff"]
    + [chr(c) for c in range(0x202A, 0x202F)]
    + [chr(c) for c in range(0x2066, 0x206A)]
)


def _printable(value: str) -> str:
    if any(ord(ch) < 32 and ch not in "\t" for ch in value) or "\x7f" in value:
        raise ValueError("must not contain control characters")
    if not _HIDDEN.isdisjoint(value):
        raise ValueError(
            "must not contain invisible or direction-changing characters "
            "(C1 controls, bidirectional overrides, zero-width spaces)"
        )
    try:
        value.encode("utf-8")
    except UnicodeEncodeError as exc:
        raise ValueError("must be valid UTF-8 text") from exc
    return value


def _visible(value: str) -> str:
    if not value.strip():
        raise ValueError("must contain something other than spaces")
    return value


PlainText = Annotated[str, AfterValidator(_printable)]
# A name someone will read in a list: plain text that is not only spaces.
VisibleText = Annotated[PlainText, AfterValidator(_visible)]
# JSON numbers and booleans as they are: "5" and true are not taken for 5, nor 1 for true.
StrictNumber = Strict()
