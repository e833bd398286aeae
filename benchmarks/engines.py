"""Both engines side by side: the local server (FalkorDB) and the managed Neo4j, in one run.

    python benchmarks/engines.py --sizes 20000 100000 --json benchmarks/engines.json

For each N: generate N studies (trialgraph synth); load them with the CLI into a fresh local
server and into a fresh managed Neo4j (`trialgraph --engine neo4j load`, as a user runs it);
rebuild Neo4j offline from the same NDJSON (`trialgraph export neo4j-import --from` then
`trialgraph neo4j import`, i.e. neo4j-admin database import full), end to end; time every library
query on both (p50/p95 over the same parameters); sample each server's peak RSS. Heap and page
cache of Neo4j are printed with the figures. Nothing here is a test: no figure passes or fails.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import sys
import time
from pathlib import Path
from typing import Any

from run import Sampler, counts, machine, query_params, run_cli, time_queries  # benchmarks/run.py

from trialgraph.graph.gateway import FalkorGateway, Neo4jGateway
from trialgraph.graph.localserver import HOST, LocalServer
from trialgraph.graph.neo4jserver import Neo4jServer


def bench(n: int, work: Path, seed: int, workers: int) -> dict[str, Any]:
    res: dict[str, Any] = {"n": n}
    data = work / f"synth-{n}-seed{seed}.ndjson"
    print(f"\n== N = {n:,}", flush=True)
    base = {k: v for k, v in os.environ.items() if k not in ("NEO4J_URI", "TRIALGRAPH_ENGINE")}
    if not data.exists():
        run_cli(["synth", str(n), "-o", str(data), "--seed", str(seed)], base)
    params = query_params(data)

    # -- local server
    home = work / f"falkor-{n}"
    shutil.rmtree(home, ignore_errors=True)
    srv = LocalServer(home)
    st = srv.start()
    try:
        env = {**base, "TRIALGRAPH_HOME": str(home), "TRIALGRAPH_GRAPH": "bench"}
        r = run_cli(["load", str(data), "--workers", str(workers), "--unresolved", "0"], env)
        with FalkorGateway(HOST, srv.status().port or 0, "bench") as gw:
            nodes, rels, _ = counts(gw)
            res["falkordb"] = {"load_s": r["wall_s"], "trials_per_s": n / r["wall_s"],
                               "elements_per_s": (nodes + rels) / r["wall_s"], "nodes": nodes, "relationships": rels,
                               "queries": time_queries(gw, params, plans=False)}
        res["falkordb"]["server_rss_mb"] = _hwm_mb(st.pid)
    finally:
        srv.stop()
    f = res["falkordb"]
    print(f"local server: load {f['load_s']:.1f} s, {f['trials_per_s']:,.0f} trials/s, "
          f"{f['elements_per_s']:,.0f} nodes+relationships/s, server peak RSS {f['server_rss_mb']:.0f} MB", flush=True)

    # -- managed Neo4j: transactional load, then neo4j-admin import of the same NDJSON
    home = work / f"neo4j-{n}"
    shutil.rmtree(home, ignore_errors=True)
    n4j = Neo4jServer(home)
    st = n4j.start()
    sampler = Sampler(st.pid or 0)
    try:
        env = {**base, "TRIALGRAPH_HOME": str(home), "TRIALGRAPH_ENGINE": "neo4j",
               "TRIALGRAPH_NEO4J_BOLT_PORT": str(st.bolt_port), "TRIALGRAPH_NEO4J_HTTP_PORT": str(st.http_port)}
        r = run_cli(["load", str(data), "--workers", str(workers), "--unresolved", "0"], env)
        with Neo4jGateway(n4j.settings()) as gw:
            nodes, rels, _ = counts(gw)
            res["neo4j"] = {"load_s": r["wall_s"], "trials_per_s": n / r["wall_s"],
                            "elements_per_s": (nodes + rels) / r["wall_s"], "nodes": nodes, "relationships": rels,
                            "queries": time_queries(gw, params, plans=False), "heap": n4j.heap, "pagecache": n4j.pagecache}
        csv_dir = work / f"csv-{n}"
        shutil.rmtree(csv_dir, ignore_errors=True)
        t0 = time.perf_counter()
        e = run_cli(["export", "neo4j-import", str(csv_dir), "--from", str(data)], env)
        t1 = time.perf_counter()
        run_cli(["neo4j", "import", str(csv_dir)], env)
        t2 = time.perf_counter()
        with Neo4jGateway(n4j.settings()) as gw:
            inodes, irels, _ = counts(gw)
        res["neo4j_import"] = {"export_s": t1 - t0, "import_s": t2 - t1, "total_s": t2 - t0, "nodes": inodes,
                               "relationships": irels, "elements_per_s": (inodes + irels) / (t2 - t0),
                               "export_rss_mb": e["rss_tree_mb"]}
    finally:
        sampler.stop()
        n4j.stop()
    res["neo4j"]["server_rss_mb"] = sampler.peak_main / 1024
    g, i = res["neo4j"], res["neo4j_import"]
    print(f"Neo4j: load {g['load_s']:.1f} s, {g['trials_per_s']:,.0f} trials/s, {g['elements_per_s']:,.0f} "
          f"nodes+relationships/s, server peak RSS {g['server_rss_mb']:.0f} MB (heap {g['heap']}, page cache "
          f"{g['pagecache']}); neo4j-admin path {i['total_s']:.1f} s end to end (export {i['export_s']:.1f} s, "
          f"import {i['import_s']:.1f} s), {i['elements_per_s']:,.0f} nodes+relationships/s", flush=True)
    for name in sorted(f["queries"]):
        a, b = f["queries"][name], g["queries"][name]
        print(f"  {name:24s} local p50/p95 {a['p50_ms']:7.1f}/{a['p95_ms']:7.1f} ms   "
              f"Neo4j {b['p50_ms']:7.1f}/{b['p95_ms']:7.1f} ms   rows {a['rows_last']}/{b['rows_last']}")
    return res


def _hwm_mb(pid: int | None) -> float:
    from run import _hwm_kb

    return _hwm_kb(pid) / 1024 if pid else 0.0


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--sizes", type=int, nargs="+", default=[20_000, 100_000])
    ap.add_argument("--work", type=Path, default=Path("/tmp/trialgraph-engines"))
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--workers", type=int, default=2)
    ap.add_argument("--json", type=Path)
    args = ap.parse_args()
    args.work.mkdir(parents=True, exist_ok=True)
    out = {"machine": machine(), "python": sys.version.split()[0], "runs": [bench(n, args.work, args.seed, args.workers)
                                                                          for n in args.sizes]}
    if args.json:
        args.json.write_text(json.dumps(out, indent=2))


if __name__ == "__main__":
    main()
