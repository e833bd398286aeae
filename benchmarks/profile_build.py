"""Where a loader's time goes: pyinstrument over parsing + normalization + row building.

    pip install pyinstrument   # not a dependency of trialgraph
    python benchmarks/profile_build.py FILE.ndjson --trials 10000 [--markdown out.md]

Builds the first N studies of FILE in one process (``Builder.build``, what each worker runs),
sampled by pyinstrument, and prints the ten functions with the most *self* time (time in the
function itself, not in what it calls), in microseconds per trial, plus the ``orjson.loads``
and ``json.loads`` floors of the same bytes. Not a test.
"""

from __future__ import annotations

import argparse
import json
import time
from collections import Counter
from pathlib import Path

import orjson
from pyinstrument import Profiler

from trialgraph.pipeline import Builder


def self_times(frame, out: Counter) -> None:
    """Self time per function: pyinstrument keeps it in a synthetic ``[self]`` child."""
    if not frame.is_synthetic:
        own = sum(c.time for c in frame.children if c.is_synthetic_leaf)
        if own:
            out[f"{frame.function} ({Path(frame.file_path or '?').name})"] += own
    for c in frame.children:
        self_times(c, out)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("file", type=Path)
    ap.add_argument("--trials", type=int, default=10_000)
    ap.add_argument("--top", type=int, default=10)
    ap.add_argument("--markdown", type=Path)
    args = ap.parse_args()
    lines = []
    with args.file.open(encoding="utf-8") as f:
        for k, line in enumerate(f):
            if k >= args.trials:
                break
            lines.append(line)
    n = len(lines)
    t0 = time.process_time()
    for line in lines:
        orjson.loads(line)
    floor_orjson = (time.process_time() - t0) / n * 1e6
    t0 = time.process_time()
    for line in lines:
        json.loads(line)
    floor_json = (time.process_time() - t0) / n * 1e6
    builder = Builder()
    builder.build(f"{args.file.name}:line 1", lines[0])  # warm caches and imports
    profiler = Profiler(interval=0.0005)
    t0 = time.process_time()
    profiler.start()
    for k, line in enumerate(lines):
        builder.build(f"{args.file.name}:line {k + 1}", line)
    profiler.stop()
    total = (time.process_time() - t0) / n * 1e6
    times: Counter = Counter()
    root = profiler.last_session.root_frame()
    self_times(root, times)
    sampled = sum(times.values())
    rows = [f"| {i} | `{where}` | {t / sampled * total:,.0f} | {t / sampled:.0%} |"
            for i, (where, t) in enumerate(times.most_common(args.top), start=1)]
    text = (f"{n:,} trials of {args.file.name}: {total:,.0f} µs CPU per trial (profiled); orjson.loads floor "
            f"{floor_orjson:,.0f} µs, json.loads {floor_json:,.0f} µs (ratio to orjson: {total / floor_orjson:.0f}x)\n\n"
            "| # | function (self time) | µs/trial | share |\n|---:|---|---:|---:|\n" + "\n".join(rows) + "\n")
    print(text)
    if args.markdown:
        args.markdown.write_text(text, encoding="utf-8")


if __name__ == "__main__":
    main()
