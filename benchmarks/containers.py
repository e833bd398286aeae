"""Containers: a zip against the same files unpacked, and a JSON array or search page against NDJSON.

    python benchmarks/containers.py zip DIR ARCHIVE.zip
    python benchmarks/containers.py synth-zip N WORKDIR      # N synthetic studies, a member each
    python benchmarks/containers.py array N WORKDIR           # N synthetic studies as an array, a page, NDJSON

Each input is read in its own child process (so peak RSS is that input's alone), twice: reading
the documents only (``documents()`` and each document's text: the cost the container adds), and
parsing + normalizing + building rows (``built_documents``, one process, no database). CPU time
is the child's own; peak RSS is its VmHWM (``ru_maxrss`` would include what a fork inherited). Nothing here is a test.
"""

from __future__ import annotations

import argparse
import json
import resource
import subprocess
import sys
import time
import zipfile
from pathlib import Path

CHILD = r"""
import json, re, sys, time
from pathlib import Path
from trialgraph.loaders import documents, iter_files
from trialgraph.pipeline import LoadReport, built_documents
mode, path = sys.argv[1], Path(sys.argv[2])
t0, c0 = time.perf_counter(), time.process_time()
if mode == "read":
    n = nbytes = 0
    for f in iter_files([path]):
        for name, read in documents(f):
            nbytes += len(read()); n += 1
else:
    rep = LoadReport()
    n = sum(len(b.rows) for b in built_documents([path], rep))
    nbytes = len(rep.problems)
print(json.dumps({"n": n, "extra": nbytes, "wall_s": time.perf_counter() - t0, "cpu_s": time.process_time() - c0,
                  "rss_mb": int(re.search(r"VmHWM:\s+(\d+)", Path("/proc/self/status").read_text())[1]) / 1024}))
"""


def measure(mode: str, path: Path) -> dict:
    r = subprocess.run([sys.executable, "-c", CHILD, mode, str(path)], capture_output=True, text=True, check=True)
    return json.loads(r.stdout.strip().splitlines()[-1])


def compare(inputs: dict[str, Path], modes: tuple[str, ...] = ("read", "build")) -> dict:
    out: dict = {}
    for mode in modes:
        for label, path in inputs.items():
            m = measure(mode, path)
            out[f"{mode}:{label}"] = m
            print(f"{mode:5} {label:10} {m['n']:>7,} documents/trials  wall {m['wall_s']:7.2f} s  "
                  f"cpu {m['cpu_s']:7.2f} s  peak RSS {m['rss_mb']:6.0f} MB", flush=True)
        base = next(iter(inputs))
        for label in list(inputs)[1:]:
            ratio = out[f"{mode}:{label}"]["cpu_s"] / max(out[f"{mode}:{base}"]["cpu_s"], 1e-9)
            print(f"{mode:5} {label} / {base}: {ratio:.2f}x CPU", flush=True)
    return out


def synth(n: int, work: Path) -> Path:
    ndjson = work / f"synth-{n}.ndjson"
    if not ndjson.exists():
        subprocess.run([str(Path(sys.executable).parent / "trialgraph"), "synth", str(n), "-o", str(ndjson), "--seed", "1"], check=True)
    return ndjson


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    sub = ap.add_subparsers(dest="cmd", required=True)
    z = sub.add_parser("zip")
    z.add_argument("folder", type=Path)
    z.add_argument("archive", type=Path)
    s = sub.add_parser("synth-zip")
    s.add_argument("n", type=int)
    s.add_argument("work", type=Path)
    a = sub.add_parser("array")
    a.add_argument("n", type=int)
    a.add_argument("work", type=Path)
    ap.add_argument("--json", type=Path)
    args = ap.parse_args()
    t0 = time.strftime("%Y-%m-%d %H:%M:%S")
    if args.cmd == "zip":
        res = compare({"folder": args.folder, "zip": args.archive})
    elif args.cmd == "synth-zip":
        args.work.mkdir(parents=True, exist_ok=True)
        folder, archive = args.work / f"members-{args.n}", args.work / f"members-{args.n}.zip"
        if not archive.exists():
            folder.mkdir(exist_ok=True)
            with synth(args.n, args.work).open(encoding="utf-8") as f, zipfile.ZipFile(archive, "w", zipfile.ZIP_DEFLATED) as zf:
                for line in f:
                    nct = json.loads(line)["protocolSection"]["identificationModule"]["nctId"]
                    (folder / f"{nct}.json").write_text(line, encoding="utf-8")
                    zf.writestr(f"{nct}.json", line)
        res = compare({"folder": folder, "zip": archive})
    else:
        args.work.mkdir(parents=True, exist_ok=True)
        ndjson = synth(args.n, args.work)
        array, page = args.work / f"array-{args.n}.json", args.work / f"page-{args.n}.json"
        if not page.exists():
            studies = [json.loads(line) for line in ndjson.open(encoding="utf-8")]
            array.write_text(json.dumps(studies, indent=2), encoding="utf-8")
            page.write_text(json.dumps({"studies": studies, "nextPageToken": "x"}), encoding="utf-8")
            del studies
        print(f"array {array.stat().st_size / 1e6:.0f} MB, page {page.stat().st_size / 1e6:.0f} MB, "
              f"NDJSON {ndjson.stat().st_size / 1e6:.0f} MB", flush=True)
        res = compare({"ndjson": ndjson, "array": array, "page": page}, ("build",))
    res["started"] = t0
    res["self_rss_mb"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    if args.json:
        args.json.write_text(json.dumps(res, indent=1), encoding="utf-8")


if __name__ == "__main__":
    main()
