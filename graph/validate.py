"""SHACL validation of exported RDF against ontology/shapes.ttl (pyshacl)."""

from __future__ import annotations

from importlib import resources
from pathlib import Path

from rdflib import Graph

from trialgraph.errors import TrialgraphError

_SUFFIX_FORMATS = {".ttl": "turtle", ".nt": "nt", ".jsonld": "json-ld", ".json": "json-ld"}


def shapes() -> Graph:
    g = Graph()
    g.parse(data=resources.files("trialgraph.ontology").joinpath("shapes.ttl").read_text(encoding="utf-8"), format="turtle")
    return g


def ontology() -> Graph:
    g = Graph()
    g.parse(data=resources.files("trialgraph.ontology").joinpath("trialgraph.ttl").read_text(encoding="utf-8"), format="turtle")
    return g


def validate_graph(data: Graph) -> tuple[bool, str]:
    from pyshacl import validate as shacl

    conforms, _, text = shacl(data, shacl_graph=shapes(), inference="none", advanced=True)
    return bool(conforms), str(text)


def parse(text: str, fmt: str) -> Graph:
    """RDF text as a graph. trialgraph uses no ConjunctiveGraph; rdflib's own JSON-LD parser
    (7.x) wraps a plain Graph in one and warns that it is deprecated (parsing into a Dataset
    instead warns of Dataset.default_context, from the same parser): that one warning of
    rdflib's internals is silenced here, and only around this parse."""
    import warnings

    g = Graph()
    with warnings.catch_warnings():
        warnings.filterwarnings("ignore", r"ConjunctiveGraph is deprecated", DeprecationWarning)
        g.parse(data=text, format=fmt)
    return g


def validate(path: Path, fmt: str | None = None) -> tuple[bool, str]:
    """SHACL validation of an RDF file. N-Triples is validated a trial at a time (flat memory:
    ``stream_results``), the other formats whole."""
    fmt = fmt or _SUFFIX_FORMATS.get(path.suffix.lower())
    if fmt is None:
        raise TrialgraphError(f"{path}: cannot tell the RDF format from the name; give --format")
    if fmt == "nt":
        try:
            found = stream_results(path)
        except Exception as e:  # rdflib raises many parser-specific types
            raise TrialgraphError(f"{path}: not valid {fmt}: {e}") from e
        return not found, report_text(found)
    try:
        data = parse(path.read_text(encoding="utf-8"), fmt)
    except Exception as e:  # rdflib raises many parser-specific types
        raise TrialgraphError(f"{path}: not valid {fmt}: {e}") from e
    return validate_graph(data)


# -- N-Triples, a trial at a time ---------------------------------------------------------------
SH = "http://www.w3.org/ns/shacl#"
_RDF_TYPE = "<http://www.w3.org/1999/02/22-rdf-syntax-ns#type>"

Result = tuple[str, str, str, str]  # focus node, path, constraint component, value


def results(report: Graph) -> set[Result]:
    """The violations of a pyshacl results graph, as comparable tuples (no blank-node ids)."""
    from rdflib import BNode, Namespace, URIRef

    sh = Namespace(SH)

    def path(p: object) -> str:
        if isinstance(p, BNode):
            inv = report.value(p, sh.inversePath)
            return f"^{inv}" if inv is not None else "(path)"
        return str(p)

    out = set()
    for r in report.subjects(URIRef(SH + "resultSeverity"), None):
        out.add((str(report.value(r, sh.focusNode)), path(report.value(r, sh.resultPath)),
                 str(report.value(r, sh.sourceConstraintComponent)), str(report.value(r, sh.value))))
    return out


def graph_results(data: Graph) -> set[Result]:
    from pyshacl import validate as shacl

    _, report, _ = shacl(data, shacl_graph=shapes(), inference="none", advanced=True)
    return results(report)


def _subject(line: str) -> str:
    return line[1:line.index(">")] if line.startswith("<") else line.split(" ", 1)[0]


def _objects(line: str) -> list[str]:
    """The IRI an N-Triples line points to (its object), if it is one."""
    body = line.rstrip().removesuffix(".").rstrip()
    if body.endswith(">"):
        start = body.rfind("<")
        if start > 0 and body[start - 1] == " ":
            return [body[start + 1:-1]]
    return []


def stream_results(path: Path, chunk: int = 200, shared_chunk: int = 2000) -> set[Result]:
    """SHACL violations of an N-Triples file, validated ``chunk`` trials at a time (each trial's
    own triples, with the types of what they point to), then the shared nodes (sites, sponsors,
    drugs, conditions, reference data) ``shared_chunk`` nodes at a time (each with all its triples and
    the types of what it points to); the lines wait on disk (SQLite), so memory stays flat. A
    violation is kept only where its focus node is one the batch validates whole, so the result is
    the whole-graph validation's."""
    import sqlite3
    import tempfile

    from trialgraph.graph.rdf import _owner

    with tempfile.TemporaryDirectory() as tmp:
        db = sqlite3.connect(Path(tmp) / "lines.sqlite")
        db.execute("CREATE TABLE lines (owner TEXT, subject TEXT, line TEXT)")
        db.execute("CREATE TABLE types (subject TEXT, line TEXT)")
        with path.open(encoding="utf-8") as f:
            batch, types = [], []
            for line in f:
                if not line.strip() or line.lstrip().startswith("#"):
                    continue
                s = _subject(line)
                batch.append((_owner(s), s, line))
                if f" {_RDF_TYPE} " in line:
                    types.append((s, line))
                if len(batch) >= 50_000:
                    db.executemany("INSERT INTO lines VALUES (?, ?, ?)", batch)
                    db.executemany("INSERT INTO types VALUES (?, ?)", types)
                    batch, types = [], []
            db.executemany("INSERT INTO lines VALUES (?, ?, ?)", batch)
            db.executemany("INSERT INTO types VALUES (?, ?)", types)
        db.execute("CREATE INDEX lines_owner ON lines (owner, subject)")
        db.execute("CREATE INDEX lines_subject ON lines (subject)")
        db.execute("CREATE INDEX types_subject ON types (subject)")
        found: set[Result] = set()

        def check(lines: list[str], focus: set[str]) -> None:
            targets = {o for ln in lines for o in _objects(ln)} - focus
            extra: list[str] = []
            for k in range(0, len(targets), 500):
                part = sorted(targets)[k:k + 500]
                extra += [r[0] for r in db.execute(
                    f"SELECT line FROM types WHERE subject IN ({','.join('?' * len(part))})", part)]
            g = Graph()
            g.parse(data="".join(lines + extra), format="nt")
            found.update(r for r in graph_results(g) if r[0] in focus)

        owners = [r[0] for r in db.execute("SELECT DISTINCT owner FROM lines WHERE owner IS NOT NULL ORDER BY owner")]
        for k in range(0, len(owners), chunk):
            part = owners[k:k + chunk]
            rows = db.execute(f"SELECT subject, line FROM lines WHERE owner IN ({','.join('?' * len(part))})", part).fetchall()
            check([ln for _, ln in rows], {s for s, _ in rows})
        shared = [r[0] for r in db.execute("SELECT DISTINCT subject FROM lines WHERE owner IS NULL ORDER BY subject")]
        for k in range(0, len(shared), shared_chunk):
            part = shared[k:k + shared_chunk]
            rows = db.execute(f"SELECT line FROM lines WHERE subject IN ({','.join('?' * len(part))})", part).fetchall()
            check([r[0] for r in rows], set(part))
        db.close()
    return found


def report_text(found: set[Result]) -> str:
    lines = [f"Validation Report (N-Triples, validated a trial at a time)\nConforms: {not found}",
             f"Results ({len(found)}):" if found else ""]
    for focus, path_, component, value in sorted(found):
        lines.append(f"  {component.rsplit('#', 1)[-1]}: focus {focus}, path {path_}, value {value}")
    return "\n".join(ln for ln in lines if ln)
