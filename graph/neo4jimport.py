"""CSV files for ``neo4j-admin database import full``: the whole graph rebuilt in Neo4j offline.

One node file per label (``nodes-Trial.csv``: the natural key is the ``:ID`` of the label's own
id space, ``nct_id:ID(Trial)``) and one relationship file per type (``rels-HAS_SITE.csv``:
``:START_ID(Trial)``, ``:END_ID(Site)``), with typed headers (``enrollment:long``,
``phases:string[]``), plus ``schema.cypher`` (the constraints and indexes to create after the
import) and ``import.sh`` (the exact command). Built from the same rows as the RDF and networkx
exports, so it works from the graph or straight from files.

Arrays are joined with U+001F (unit separator), which never occurs in loaded text (control
characters are removed at the loader boundary); text may span lines (--multiline-fields).
"""

from __future__ import annotations

import csv
import shlex
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TextIO

from trialgraph.graph import catalog, model, schema
from trialgraph.graph.rdf import Rows

ARRAY_DELIMITER = "\x1f"
def _csv_type(props: tuple[model.Prop, ...], name: str) -> str:
    """A property's neo4j-admin header type, from its kind in graph/model.py."""
    return model.CSV_TYPES[next(p.kind for p in props if p.name == name)]


def _cell(value: Any) -> Any:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, list | tuple):
        return ARRAY_DELIMITER.join(str(v) for v in value)
    return value


def node_header(label: str) -> list[str]:
    spec = schema.NODES[label]
    cols = [f"{spec.key}:ID({label})"]
    cols += [f"{p}:{_csv_type(spec.props, p)}" for p in spec.properties if p != spec.key]
    return [*cols, ":LABEL"]


def rel_header(rel_type: str) -> list[str]:
    spec = schema.RELATIONSHIPS[rel_type]
    return [f":START_ID({spec.start})", f":END_ID({spec.end})",
            *(f"{p}:{_csv_type(spec.props, p)}" for p in spec.properties), ":TYPE"]


@dataclass
class ImportReport:
    nodes: dict[str, int] = field(default_factory=dict)
    relationships: dict[str, int] = field(default_factory=dict)
    renderings_skipped: int = 0  # a trial's second rendering in --from files (the graph merges them)
    files: list[Path] = field(default_factory=list)


class _Writer:
    def __init__(self, directory: Path) -> None:
        directory.mkdir(parents=True, exist_ok=True)
        self.dir = directory
        self._files: dict[str, tuple[TextIO, Any]] = {}
        self.report = ImportReport()
        # shared nodes (a site is named by many trials): the most complete spelling wins, as in the graph
        self.shared: dict[str, dict[str, tuple[str, dict[str, Any]]]] = {}
        self.trial_ids: set[str] = set()
        self.reference_conditions: dict[str, dict[str, Any]] = {}

    def _csv(self, name: str, header: list[str]) -> Any:
        if name not in self._files:
            path = self.dir / f"{name}.csv"
            f = path.open("w", encoding="utf-8", newline="")
            w = csv.writer(f, quoting=csv.QUOTE_MINIMAL, lineterminator="\n")
            w.writerow(header)
            self._files[name] = (f, w)
            self.report.files.append(path)
        return self._files[name][1]

    def node(self, label: str, key: str, props: dict[str, Any]) -> None:
        spec = schema.NODES[label]
        w = self._csv(f"nodes-{label}", node_header(label))
        w.writerow([key, *(_cell(props.get(p)) for p in spec.properties if p != spec.key), label])
        self.report.nodes[label] = self.report.nodes.get(label, 0) + 1

    def shared_node(self, label: str, key: str, props: dict[str, Any]) -> None:
        seen = self.shared.setdefault(label, {})
        rank = str(props.get("variant") or "")
        if key not in seen or rank > seen[key][0] or (not seen[key][1] and props):
            seen[key] = (rank, props)

    def rel(self, rel_type: str, start: str, end: str, props: dict[str, Any] | None = None) -> None:
        spec = schema.RELATIONSHIPS[rel_type]
        w = self._csv(f"rels-{rel_type}", rel_header(rel_type))
        w.writerow([start, end, *(_cell((props or {}).get(p)) for p in spec.properties), rel_type])
        self.report.relationships[rel_type] = self.report.relationships.get(rel_type, 0) + 1

    def close(self) -> None:
        for label, nodes in self.shared.items():
            for key, (_, props) in nodes.items():
                self.node(label, key, props)
        # a file for every declared type, if only its header (no INDICATED_FOR without registry
        # indications, no Outcome without results): the import command is the same for every graph
        for label in schema.NODES:
            self._csv(f"nodes-{label}", node_header(label))
        for rel_type in schema.RELATIONSHIPS:
            self._csv(f"rels-{rel_type}", rel_header(rel_type))
        for f, _ in self._files.values():
            f.close()


def write(rows: Rows, directory: Path) -> ImportReport:
    out = _Writer(directory)
    try:
        for f in rows.families:
            out.node("TargetFamily", f["props"]["family_id"], f["props"])
        for t in rows.targets:
            out.node("Target", t["props"]["symbol"], t["props"])
            for fid in t.get("families", ()):
                out.rel("MEMBER_OF", t["props"]["symbol"], fid)
        for d in rows.drugs:
            out.shared_node("Drug", d["props"]["drug_id"], d["props"])
            for a in d.get("acts_on", ()):
                out.rel("ACTS_ON", d["props"]["drug_id"], a["symbol"], a)
        out.reference_conditions = dict(rows.conditions)  # their properties, for conditions trials name
        for row in rows.trials:
            _trial(out, row)
    finally:
        out.close()
    _scripts(directory, out.report)
    return out.report


def _trial(out: _Writer, row: dict[str, Any]) -> None:
    """One trial row, written from the model (graph/model.py): each entity and relationship type
    the row holds, in the model's order."""
    nct = row["nct_id"]
    if nct in out.trial_ids:
        out.report.renderings_skipped += 1
        return
    out.trial_ids.add(nct)
    out.node("Trial", nct, row["props"])
    for node in model.TRIAL_NODES:
        for r in model.node_rows(node, row):
            if node.scope == "trial":
                out.node(node.label, r["key"], r["props"])
                out.rel(node.owner or "", r["owner"], r["key"])
            else:  # a condition read back without its map takes the reference one
                props = r["props"] or (out.reference_conditions.get(r["key"]) if node.label == "Condition" else None)
                out.shared_node(node.label, r["key"], props or {})
    for rel in model.TRIAL_RELS:
        end = model.NODES[rel.end]
        for r in model.rel_rows(rel, row):
            if end.scope != "trial":
                out.shared_node(end.label, r["end"], {})  # a reference drug an intervention uses: one node
            out.rel(rel.type, r["start"], r["end"], r["props"])


def _arguments(files: list[Path], directory: Path, database: str) -> list[str]:
    parts = ["database", "import", "full", database, "--overwrite-destination",
             "--multiline-fields=true", "--array-delimiter=U+001F", "--id-type=string"]
    for p in files:
        kind = "--nodes" if p.name.startswith("nodes-") else "--relationships"
        parts.append(f"{kind}={directory / p.name}")
    return parts


def admin_arguments(directory: Path, database: str = "neo4j") -> list[str]:
    """The arguments of ``neo4j-admin`` that import a written folder (run with Neo4j stopped):
    the same command as its import.sh, with absolute paths."""
    files = [*sorted(directory.glob("nodes-*.csv")), *sorted(directory.glob("rels-*.csv"))]
    return _arguments(files, directory, database)


def command(directory: Path, report: ImportReport, database: str = "neo4j") -> str:
    """The neo4j-admin command that imports these files (run with Neo4j stopped)."""
    return " ".join(shlex.quote(x) for x in ["neo4j-admin", *_arguments(report.files, directory, database)])


def _scripts(directory: Path, report: ImportReport) -> None:
    (directory / "schema.cypher").write_text(catalog.statement("schema.neo4j"), encoding="utf-8")
    (directory / "import.sh").write_text(
        "#!/bin/sh\n# Rebuild the graph in Neo4j from these files (Neo4j stopped; the database is replaced),\n"
        "# then start Neo4j and create the constraints and indexes:\n"
        "#   cypher-shell -u neo4j -d neo4j -f schema.cypher\nset -e\ncd \"$(dirname \"$0\")\"\n"
        + command(Path("."), report) + "\n",
        encoding="utf-8",
    )
    (directory / "import.sh").chmod(0o755)


def read(path: Path) -> Iterator[dict[str, str]]:
    """A written file's rows, keyed by header (arrays left joined): for tests and checks."""
    with path.open(encoding="utf-8", newline="") as f:
        yield from csv.DictReader(f)
