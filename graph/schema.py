"""The graph schema as the rest of the code reads it: labels, natural keys, property lists and
relationship types, all taken from the model (graph/model.py), where they are declared once.

Labels and relationship types are a closed set; nothing from input data ever becomes one.
The Cypher linter test uses :func:`db_schema` as its DbSchema, so a statement naming anything
else fails; the .grass check (graph/style.py) and the DDL test read the same NODES.
"""

from __future__ import annotations

from trialgraph.graph.model import NODES, RELATIONSHIPS, Node, Rel

NodeSpec = Node
RelSpec = Rel
__all__ = ["NODES", "RELATIONSHIPS", "NodeSpec", "RelSpec", "db_schema", "property_keys"]


def property_keys() -> list[str]:
    keys = {p for n in NODES.values() for p in n.properties}
    keys |= {p for r in RELATIONSHIPS.values() for p in r.properties}
    return sorted(keys)


def db_schema() -> dict:
    """The schema in the shape of @neo4j-cypher/language-support's DbSchema."""
    return {
        "labels": sorted(NODES),
        "relationshipTypes": sorted(RELATIONSHIPS),
        "propertyKeys": property_keys(),
        "graphSchema": [{"from": r.start, "to": r.end, "relType": r.type} for r in RELATIONSHIPS.values()],
    }
