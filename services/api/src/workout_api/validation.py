"""Input rules shared by every request body: text the databases can store."""

from __future__ import annotations

from typing import Annotated

from pydantic import AfterValidator


def _printable(value: str) -> str:
    if any(ord(ch) < 32 and ch not in "\t" for ch in value) or "\x7f" in value:
        raise ValueError("must not contain control characters")
    try:
        value.encode("utf-8")
    except UnicodeEncodeError as exc:
        raise ValueError("must be valid UTF-8 text") from exc
    return value


PlainText = Annotated[str, AfterValidator(_printable)]
