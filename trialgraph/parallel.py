"""Work spread over processes, results in input order, memory bounded.

Used by the loader (parse and normalize while the writer writes) and the RDF export (build and
serialize triples while the reader reads). Workers die with their parent (Linux: the
parent-death signal) and ignore Ctrl-C, which the parent handles.
"""

from __future__ import annotations

import multiprocessing
import os
import signal
import sys
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import ProcessPoolExecutor
from typing import Any, TypeVar

T = TypeVar("T")
R = TypeVar("R")


def default_workers() -> int:
    return max(1, min(os.cpu_count() or 1, 8))


def _init(parent: int, initializer: Callable[..., None] | None, args: tuple[Any, ...]) -> None:
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    if sys.platform.startswith("linux"):
        import ctypes

        ctypes.CDLL(None, use_errno=True).prctl(1, signal.SIGKILL)  # PR_SET_PDEATHSIG
    if os.getppid() != parent:  # the parent died before the line above
        os._exit(1)
    if initializer:
        initializer(*args)


def ordered_map(fn: Callable[[T], R], items: Iterable[T], workers: int,
                initializer: Callable[..., None] | None = None, initargs: tuple[Any, ...] = (),
                in_flight: int = 3) -> Iterator[R]:
    """``fn`` over ``items`` in ``workers`` processes, yielding results in order; at most
    ``in_flight`` items per worker are pending at any time. ``fn`` must be a module-level function."""
    ctx = multiprocessing.get_context("spawn")  # no inherited sockets or locks
    pool = ProcessPoolExecutor(workers, mp_context=ctx, initializer=_init, initargs=(os.getpid(), initializer, initargs))
    try:
        pending: deque = deque()
        for item in items:
            pending.append(pool.submit(fn, item))
            while len(pending) > in_flight * workers:
                yield pending.popleft().result()
        while pending:
            yield pending.popleft().result()
    finally:  # also when the consumer stops early (the graph went away, Ctrl-C): pending work is
        # cancelled, running work (a few chunks) finishes, and the pool is gone before exit
        pool.shutdown(wait=True, cancel_futures=True)
