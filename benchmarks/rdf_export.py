"""The N-Triples export of a loaded graph: lines, distinct triples, distinct triples/s, RSS.

    python benchmarks/rdf_export.py HOME GRAPH OUT.nt [--workers 2] [--python PYTHON]

Starts the local server of HOME (a graph loaded before, e.g. by benchmarks/reload.py), runs
``trialgraph export rdf --format nt`` as a user runs it, sampling the peak RSS of the exporter and
its workers, then counts the lines of the file and its distinct lines (``sort -u``).
``--python`` runs another installation (to measure the code before a change). Not a test.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import subprocess
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from run import Sampler, server  # noqa: E402


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("home", type=Path)
    ap.add_argument("graph")
    ap.add_argument("out", type=Path)
    ap.add_argument("--workers", type=int, default=2)
    ap.add_argument("--python", default=sys.executable)
    ap.add_argument("--json", type=Path)
    args = ap.parse_args()
    env = {**os.environ, "TRIALGRAPH_HOME": str(args.home), "TRIALGRAPH_GRAPH": args.graph}
    env.pop("NEO4J_URI", None)
    with server(args.home):
        c0 = resource.getrusage(resource.RUSAGE_CHILDREN)
        t0 = time.perf_counter()
        proc = subprocess.Popen([args.python, "-m", "trialgraph.cli", "export", "rdf", "--format", "nt", "-o",
                                 str(args.out), "--workers", str(args.workers)], env=env, cwd="/",
                                stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        sampler = Sampler(proc.pid)
        _, err = proc.communicate()
        sampler.stop()
        wall = time.perf_counter() - t0
        c1 = resource.getrusage(resource.RUSAGE_CHILDREN)
    if proc.returncode != 0:
        raise SystemExit(err[-2000:])
    lines = int(subprocess.run(["wc", "-l", str(args.out)], capture_output=True, text=True, check=True).stdout.split()[0])
    distinct = int(subprocess.run(f"LC_ALL=C sort -u -S 200M {args.out} | wc -l", shell=True, capture_output=True,
                                  text=True, check=True).stdout.strip())
    res = {"lines": lines, "distinct": distinct, "duplicates": lines - distinct, "wall_s": wall,
           "cpu_s": (c1.ru_utime + c1.ru_stime) - (c0.ru_utime + c0.ru_stime),
           "distinct_per_s": distinct / wall, "lines_per_s": lines / wall,
           "rss_main_mb": sampler.peak_main / 1024, "rss_tree_mb": sampler.peak_tree / 1024, "workers": args.workers}
    print(f"{lines:,} lines, {distinct:,} distinct ({(lines - distinct) / lines:.1%} duplicates) in {wall:.1f} s "
          f"(CPU {res['cpu_s']:.1f} s): {distinct / wall:,.0f} distinct triples/s; RSS {res['rss_main_mb']:.0f} MB "
          f"(with workers {res['rss_tree_mb']:.0f} MB)", flush=True)
    if args.json:
        args.json.write_text(json.dumps(res, indent=1), encoding="utf-8")


if __name__ == "__main__":
    main()
