"""Helpers several test modules share (conftest puts this folder on sys.path)."""

from __future__ import annotations

import copy
import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

from trialgraph.graph import catalog
from trialgraph.graph.gateway import Gateway
from trialgraph.graph.rdf import trial_pages

FIXTURES = Path(__file__).resolve().parent / "fixtures"


def fingerprint(gw: Gateway) -> dict:
    """Counts per label and type, and every trial with its structure and properties."""
    labels = {r["label"]: r["count"] for r in gw.read(catalog.statement("count-labels"))}
    rels = {r["type"]: r["count"] for r in gw.read(catalog.statement("count-relationships"))}
    trials = list(trial_pages(gw))
    return {"labels": labels, "relationships": rels, "trials": _canonical(trials)}


def _canonical(value):
    """Lists of maps in a fixed order (the export does not promise one inside a trial)."""
    if isinstance(value, dict):
        return {k: _canonical(v) for k, v in sorted(value.items())}
    if isinstance(value, list):
        items = [_canonical(v) for v in value]
        return sorted(items, key=lambda v: json.dumps(v, sort_keys=True, default=str)) if any(isinstance(v, dict) for v in items) else items
    return value


def _many_trials(path: Path, n: int) -> Path:
    """n distinct API v2 records (the fixtures with fresh NCT ids), one per NDJSON line."""
    recs = [json.loads(p.read_text(encoding="utf-8")) for p in sorted((FIXTURES / "ctgov").glob("*.json"))]
    with path.open("w", encoding="utf-8") as f:
        for i in range(n):
            rec = copy.deepcopy(recs[i % len(recs)])
            rec["protocolSection"]["identificationModule"]["nctId"] = f"NCT9{i:07d}"
            f.write(json.dumps(rec) + "\n")
    return path


def _journal_lines(home: Path) -> int:
    files = list((home / "journal").glob("*.jsonl")) if (home / "journal").exists() else []
    return sum(1 for f in files for _ in f.open(encoding="utf-8")) - len(files)


def _cli(env: dict[str, str], *args: str) -> subprocess.Popen:
    exe = Path(sys.executable).parent / "trialgraph"  # the console script, as a user runs it
    return subprocess.Popen([str(exe), *args], env={**os.environ, **env},
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)


def _kill_when_journaled(proc: subprocess.Popen, home: Path, at: int, victim: int | None = None) -> bool:
    """SIGKILL ``victim`` (default: the loader) once the journal holds ``at`` documents."""
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline and proc.poll() is None:
        if _journal_lines(home) >= at:
            os.kill(victim or proc.pid, signal.SIGKILL)
            return True
        time.sleep(0.002)
    return False
