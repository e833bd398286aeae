"""Reload: load N synthetic trials into a fresh local server, then load the same file again.

    python benchmarks/reload.py 20000 --work /tmp/trialgraph-bench

Each load runs as a user runs it (``trialgraph load FILE --workers 2``). Reported per load: wall
time, the CPU of the loader and its workers (``RUSAGE_CHILDREN``) and of the server (``/proc``),
and the summary line. Nothing here is a test.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import shutil
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from run import run_cli, server  # noqa: E402

TICK = os.sysconf("SC_CLK_TCK")


def _cpu_s(pid: int) -> float:
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / TICK  # utime + stime


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("n", type=int)
    ap.add_argument("--work", type=Path, default=Path("/tmp/trialgraph-bench"))
    ap.add_argument("--workers", type=int, default=2)
    ap.add_argument("--json", type=Path)
    args = ap.parse_args()
    args.work.mkdir(parents=True, exist_ok=True)
    data = args.work / f"synth-{args.n}.ndjson"
    home = args.work / f"home-reload-{args.n}"
    env = {**os.environ, "TRIALGRAPH_HOME": str(home), "TRIALGRAPH_GRAPH": "reload"}
    env.pop("NEO4J_URI", None)
    shutil.rmtree(home, ignore_errors=True)  # a fresh server: the first load starts from an empty graph
    if not data.exists():
        run_cli(["synth", str(args.n), "-o", str(data), "--seed", "1"], env)
    out: dict = {"n": args.n, "started": time.strftime("%Y-%m-%d %H:%M:%S"), "loads": []}
    with server(home) as srv:
        spid = srv.status().pid
        assert spid
        for label in ("first", "again"):
            c0, s0 = resource.getrusage(resource.RUSAGE_CHILDREN), _cpu_s(spid)
            r = run_cli(["load", str(data), "--workers", str(args.workers), "--unresolved", "0"], env)
            c1, s1 = resource.getrusage(resource.RUSAGE_CHILDREN), _cpu_s(spid)
            loader = (c1.ru_utime + c1.ru_stime) - (c0.ru_utime + c0.ru_stime)
            load = {"load": label, "wall_s": r["wall_s"], "loader_cpu_s": loader, "server_cpu_s": s1 - s0,
                    "rss_main_mb": r["rss_main_mb"], "rss_tree_mb": r["rss_tree_mb"],
                    "summary": r["stdout"].strip().splitlines()[0]}
            out["loads"].append(load)
            print(f"{label:6} wall {r['wall_s']:6.1f} s  loader CPU {loader:6.1f} s  server CPU {s1 - s0:6.1f} s  "
                  f"RSS {r['rss_main_mb']:.0f} MB (with workers {r['rss_tree_mb']:.0f})  | {load['summary']}", flush=True)
    first, again = out["loads"]
    out["ratio_wall"] = again["wall_s"] / first["wall_s"]
    out["ratio_cpu"] = (again["loader_cpu_s"] + again["server_cpu_s"]) / (first["loader_cpu_s"] + first["server_cpu_s"])
    print(f"reload / first load: {out['ratio_wall']:.2f}x wall, {out['ratio_cpu']:.2f}x CPU (loader + server)")
    if args.json:
        args.json.write_text(json.dumps(out, indent=1), encoding="utf-8")


if __name__ == "__main__":
    main()
