"""The graph as a networkx MultiDiGraph (and GraphML), for analytics.

Nodes are keyed ``Label:key`` (``Trial:NCT04344158``, ``Drug:penpulimab``) with a ``type``
attribute (the graph label), a ``label`` attribute (the caption tools such as Gephi show: NCT
id, drug name, target symbol, arm label, ...) and the node's properties; edges carry their
relationship ``type`` and properties.
Built from the same rows as the RDF export (graph/rdf.py), so it works from the graph or from
files; a trial's entities and relationships are walked from the model (graph/model.py). GraphML cannot hold lists: :func:`write_graphml` joins them with "; ".
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import networkx as nx

from trialgraph.graph import model
from trialgraph.graph.rdf import Rows

CAPTIONS = ("acronym", "nct_id", "symbol", "label", "name", "facility", "family_id", "drug_id", "condition_id")


def _add(g: nx.MultiDiGraph, label: str, key: str, props: dict[str, Any]) -> str:
    node = f"{label}:{key}"
    # "variant" is the writer's bookkeeping (which spelling of a shared node won), not data
    attrs = {k: v for k, v in props.items() if v is not None and k not in ("type", "label", "variant")}
    if label == "Arm" and props.get("type"):
        attrs["arm_type"] = props["type"]
    if label == "Intervention" and props.get("type"):
        attrs["intervention_type"] = props["type"]
    caption = next((str(props[k]) for k in CAPTIONS if props.get(k)), key)
    if node in g:
        g.nodes[node].update(attrs)
        if g.nodes[node].get("label") == key:
            g.nodes[node]["label"] = caption
    else:
        g.add_node(node, type=label, label=caption, **attrs)
    return node


def to_networkx(rows: Rows) -> nx.MultiDiGraph:
    g = nx.MultiDiGraph()
    for f in rows.families:
        _add(g, "TargetFamily", f["props"]["family_id"], f["props"])
    for t in rows.targets:
        node = _add(g, "Target", t["props"]["symbol"], t["props"])
        for fid in t.get("families", ()):
            g.add_edge(node, f"TargetFamily:{fid}", type="MEMBER_OF")
    for d in rows.drugs:
        node = _add(g, "Drug", d["props"]["drug_id"], d["props"])
        for a in d.get("acts_on", ()):
            g.add_edge(node, f"Target:{a['symbol']}", type="ACTS_ON", action=a.get("action"))
    for row in rows.trials:  # each entity and relationship type the model puts in a trial row
        _add(g, "Trial", row["nct_id"], row["props"])
        for node in model.TRIAL_NODES:
            for r in model.node_rows(node, row):
                _add(g, node.label, r["key"], {node.key: r["key"], **r["props"]})
                if node.scope == "trial":
                    g.add_edge(f"Trial:{r['owner']}", f"{node.label}:{r['key']}", type=node.owner)
        for rel in model.TRIAL_RELS:
            start, end = model.NODES[rel.start], model.NODES[rel.end]
            for r in model.rel_rows(rel, row):
                if end.scope != "trial":  # a reference drug an intervention uses
                    _add(g, end.label, r["end"], {end.key: r["end"]})
                # 'type' names the relationship type, so a property of that name (CITES's reference
                # type) is renamed as Arm and Intervention types are: cites_type
                props = {(f"{rel.type.lower()}_type" if k == "type" else k): v for k, v in r["props"].items()}
                g.add_edge(f"{start.label}:{r['start']}", f"{end.label}:{r['end']}", type=rel.type, **props)
    return g


def _scalar(v: Any) -> Any:
    if isinstance(v, list | tuple):
        return "; ".join(map(str, v))
    return v


def write_graphml(g: nx.MultiDiGraph, path: Path) -> None:
    h = nx.MultiDiGraph()
    for n, data in g.nodes(data=True):
        h.add_node(n, **{k: _scalar(v) for k, v in data.items() if v is not None})
    for u, v, data in g.edges(data=True):
        h.add_edge(u, v, **{k: _scalar(x) for k, x in data.items() if x is not None})
    nx.write_graphml(h, path)
