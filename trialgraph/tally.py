"""Counts per kind with a few examples of each: how a load report holds its problems, warnings
and disagreements in bounded memory, however many there are (the counts stay exact)."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Generic, TypeVar

T = TypeVar("T")

#: Examples a report keeps of each kind (its counts stay exact).
EXAMPLES_KEPT = 20


@dataclass
class Tally(Generic[T]):
    """How many items of each kind were seen, and the first ``keep`` items of each kind.

    ``len()`` is the number seen; iterating gives the kept examples, in the order they came.
    Memory is at most ``keep`` items per kind, whatever the number seen."""

    keep: int = EXAMPLES_KEPT
    counts: Counter[str] = field(default_factory=Counter)
    kept: list[T] = field(default_factory=list)

    def add(self, kind: str, item: T) -> None:
        self.counts[kind] += 1
        if self.counts[kind] <= self.keep:
            self.kept.append(item)

    def count(self, kind: str, n: int) -> None:
        """``n`` more items of a kind, counted without examples (they were kept elsewhere)."""
        if n > 0:
            self.counts[kind] += n

    def __len__(self) -> int:
        return sum(self.counts.values())

    def __bool__(self) -> bool:
        return len(self) > 0

    def __iter__(self) -> Iterator[T]:
        return iter(self.kept)

    def by_kind(self) -> dict[str, int]:
        """Every kind with its count, most first."""
        return dict(sorted(self.counts.items(), key=lambda kv: (-kv[1], kv[0])))

    def left_out(self) -> dict[str, int]:
        """Per kind, how many items were counted but not kept as examples."""
        return {k: n - self.keep for k, n in self.by_kind().items() if n > self.keep}
