"""The built wheel ships the Cypher, the reference data and the sample trials, under trialgraph/."""

from __future__ import annotations

import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

pytestmark = pytest.mark.unit
ROOT = Path(__file__).resolve().parent.parent


def test_wheel_contents(tmp_path: Path) -> None:
    # Build from a clean copy: a stale build/ folder in the work tree must not leak into the wheel.
    src = tmp_path / "src"
    shutil.copytree(ROOT, src, ignore=shutil.ignore_patterns(".git", ".venv", "build", "node_modules", "*.egg-info"))
    out = tmp_path / "dist"
    subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--no-deps", "--no-build-isolation", "-q", "-w", str(out), str(src)],
        check=True,
        capture_output=True,
    )
    (wheel,) = out.glob("trialgraph-*.whl")
    names = set(zipfile.ZipFile(wheel).namelist())
    cypher = {p.name for p in (ROOT / "graph" / "cypher").glob("*.cypher")}
    queries = {p.name for p in (ROOT / "queries").glob("*.cypher")}
    assert {f"trialgraph/graph/cypher/{n}" for n in cypher} <= names
    assert {f"trialgraph/queries/{n}" for n in queries} <= names
    assert {"trialgraph/ontology/data/drugs.toml", "trialgraph/ontology/data/targets.toml",
            "trialgraph/ontology/data/conditions.toml", "trialgraph/ontology/trialgraph.ttl",
            "trialgraph/ontology/shapes.ttl", "trialgraph/graph/browser/trialgraph.grass",
            "trialgraph/graph/neo4j/pom.xml"} <= names
    assert len([n for n in names if n.startswith("trialgraph/samples/seeds/")]) == 5
    assert "trialgraph/cli.py" in names and "trialgraph/loaders/ctgov_page.py" in names
    # one import namespace: no top-level graph/, queries/ ... modules, no tests
    assert not any(n.split("/")[0] in {"graph", "loaders", "queries", "ontology", "tests"} for n in names)
