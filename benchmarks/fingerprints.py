"""Graph fingerprints and load times on both engines, for a change that must leave the graph
identical (issue 23: the per-entity writer).

    python benchmarks/fingerprints.py --json /tmp/before.json [--synth 20000] [--engines falkordb neo4j]

For each input set (the seeds; every test fixture; every test fixture loaded twice; N synthetic
trials from `trialgraph synth`), load it with trialgraph.pipeline.load into a fresh graph on the
local server and on the managed Neo4j, and record the sha256 of tests/support.py's fingerprint
(counts per label and type, every trial with its structure and properties), the counts, and the
load's wall time. Compare two runs' JSON with --compare A.json B.json. Nothing here is a test.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import subprocess
import sys
import tempfile
import time
import uuid
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests"))

from support import fingerprint  # noqa: E402  (tests/support.py)
from trialgraph.graph.gateway import FalkorGateway, Gateway, Neo4jGateway  # noqa: E402
from trialgraph.graph.localserver import HOST, LocalServer, free_port  # noqa: E402
from trialgraph.graph.neo4jserver import Neo4jServer  # noqa: E402
from trialgraph.pipeline import load  # noqa: E402


def datasets(work: Path, synth: int) -> dict[str, list[list[Path]]]:
    fixtures = ROOT / "tests" / "fixtures"
    out = {
        "seeds": [[ROOT / "trialgraph" / "samples" / "seeds"]],
        "fixtures": [[fixtures]],
        "fixtures-twice": [[fixtures], [fixtures]],
        "renderings-after-api": [[fixtures / "ctgov"], [fixtures / "ctgov_xml", fixtures / "renderings",
                                                        fixtures / "combination_audit"]],
    }
    if synth:
        data = work / f"synth-{synth}.ndjson"
        if not data.exists():
            subprocess.run([str(Path(sys.executable).parent / "trialgraph"), "synth", str(synth), "-o", str(data),
                            "--seed", "1"], check=True)
        out[f"synth-{synth}"] = [[data]]
    return out


def run(gw: Gateway, loads: list[list[Path]]) -> dict:
    gw.clear()
    gw.ensure_schema()
    t0 = time.perf_counter()
    written = 0
    for paths in loads:
        written += load(paths, gw, workers=2).trials_written
    wall = time.perf_counter() - t0
    fp = fingerprint(gw)
    digest = hashlib.sha256(json.dumps(fp, sort_keys=True, default=str).encode()).hexdigest()
    return {"sha256": digest, "labels": fp["labels"], "relationships": fp["relationships"],
            "trials_written": written, "load_s": round(wall, 2)}


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--json", type=Path)
    ap.add_argument("--synth", type=int, default=20_000)
    ap.add_argument("--engines", nargs="+", default=["falkordb", "neo4j"])
    ap.add_argument("--compare", type=Path, nargs=2)
    args = ap.parse_args()
    if args.compare:
        a, b = (json.loads(p.read_text()) for p in args.compare)
        same = True
        for engine in a:
            for name in a[engine]:
                x, y = a[engine][name], b.get(engine, {}).get(name)
                ok = y is not None and x["sha256"] == y["sha256"]
                same &= ok
                print(f"{engine:9s} {name:22s} {'identical' if ok else 'DIFFERENT'}  load {x['load_s']} s -> "
                      f"{y['load_s'] if y else '-'} s")
        sys.exit(0 if same else 1)
    work = Path(tempfile.mkdtemp(prefix="tg-fp-"))
    sets = datasets(work, args.synth)
    out: dict[str, dict] = {}
    if "falkordb" in args.engines:
        srv = LocalServer(work / "falkor", free_port())
        srv.start()
        try:
            with FalkorGateway(HOST, srv.status().port or 0, f"fp-{uuid.uuid4().hex[:6]}") as gw:
                for name, loads in sets.items():
                    out.setdefault("falkordb", {})[name] = r = run(gw, loads)
                    print("falkordb", name, r, flush=True)
        finally:
            srv.stop()
    if "neo4j" in args.engines:
        n4j = Neo4jServer(work / "neo4j", free_port(), free_port(), heap="1g", pagecache="256m")
        n4j.start()
        try:
            with Neo4jGateway(n4j.settings()) as gw:
                for name, loads in sets.items():
                    out.setdefault("neo4j", {})[name] = r = run(gw, loads)
                    print("neo4j", name, r, flush=True)
        finally:
            n4j.stop()
    if args.json:
        args.json.write_text(json.dumps(out, indent=2))


if __name__ == "__main__":
    main()
