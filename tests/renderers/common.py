"""What the page layouts do to text: one line per value, paragraphs, whitespace collapsed."""

from __future__ import annotations

from typing import Any

from trialgraph.loaders import text as tx
from trialgraph.records import Trial

#: Fields every rendering compares on (the record's source differs by definition).
IGNORED = ("source",)


def line(text: str | None) -> str:
    """A value printed on one line: white space (and line breaks) collapsed."""
    return tx.clean(text or "")


def paragraphs(text: str | None) -> list[str]:
    """A text printed as paragraphs, one per non-empty line."""
    return [tx.clean(x) for x in (text or "").splitlines() if x.strip()]


def block(text: str | None) -> str | None:
    """A text block as the page loaders read it back (lines kept, trailing blanks dropped)."""
    return tx.join_text((text or "").splitlines())


def dump(trial: Trial) -> dict[str, Any]:
    data = trial.model_dump(mode="json")
    for k in IGNORED:
        data.pop(k, None)
    return data
