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
    fmt = fmt or _SUFFIX_FORMATS.get(path.suffix.lower())
    if fmt is None:
        raise TrialgraphError(f"{path}: cannot tell the RDF format from the name; give --format")
    try:
        data = parse(path.read_text(encoding="utf-8"), fmt)
    except Exception as e:  # rdflib raises many parser-specific types
        raise TrialgraphError(f"{path}: not valid {fmt}: {e}") from e
    return validate_graph(data)
