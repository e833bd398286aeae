"""What the layouts' results sections share: outcome kinds, whole counts, and reported outcome
measures attached to the protocol's outcomes.

A results section lists its outcome measures again (with a type, a title and the reported
values); each is attached to the protocol outcome of the same kind and title (case and spacing
ignored). One the protocol does not list (a post-hoc analysis, a retitled measure) is appended
to the trial's outcomes of its kind."""

from __future__ import annotations

import re
from collections.abc import Iterable

from trialgraph.loaders.base import WarningKind, warn
from trialgraph.records import Outcome, OutcomeResult

#: The registry's outcome types (API v2 ``PRIMARY`` ..., legacy XML ``Other Pre-specified`` ...).
KINDS = {"PRIMARY": "primary", "SECONDARY": "secondary", "OTHER_PRE_SPECIFIED": "other", "POST_HOC": "other"}


def outcome_kind(value: str | None, field: str, nct: str | None) -> str | None:
    if not value:
        return None
    kind = KINDS.get(re.sub(r"[^A-Z]+", "_", value.upper()).strip("_"))
    if kind is None:
        warn(field, f"{value!r} is not an outcome type of the registry: dropped", kind=WarningKind.INVALID_VALUE, nct_id=nct)
    return kind


def whole(value: object, field: str, nct: str | None) -> int | None:
    """A count as an int: 12 or "12"; anything else (a negative, "NA", 1.5) warns and is None."""
    if value is None or value == "":
        return None
    if isinstance(value, bool):
        pass
    elif isinstance(value, int) and value >= 0:
        return value
    elif isinstance(value, str) and value.strip().isdigit():
        return int(value.strip())
    warn(field, f"not a whole number of participants: {str(value)[:40]!r}: dropped", nct_id=nct)
    return None


def _key(text: str) -> str:
    return " ".join(re.findall(r"\w+", text.casefold()))


def attach(outcomes: Iterable[Outcome],
           reported: Iterable[tuple[str, str, str | None, str | None, OutcomeResult]]) -> tuple[Outcome, ...]:
    """The protocol's outcomes with each reported measure ``(kind, title, time_frame,
    description, result)`` attached to the first outcome of its kind and title not yet holding
    one; a reported measure matching none is appended after the outcomes of its kind."""
    out = list(outcomes)
    for kind, title, time_frame, description, result in reported:
        k = _key(title)
        hit = next((i for i, o in enumerate(out) if o.kind == kind and o.result is None and _key(o.measure) == k), None)
        if hit is not None:
            out[hit] = out[hit].model_copy(update={"result": result})
            continue
        last = max((i for i, o in enumerate(out) if o.kind == kind), default=None)
        new = Outcome(kind=kind, measure=title, time_frame=time_frame, description=description, result=result)
        if last is None:
            order = ("primary", "secondary", "other")
            last = max((i for i, o in enumerate(out) if order.index(o.kind) < order.index(kind)), default=-1)
        out.insert(last + 1, new)
    return tuple(out)
