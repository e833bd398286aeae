"""The graph as an interactive HTML page, without Neo4j: ``trialgraph viz``.

A library query answers with rows; the page draws the entities those rows name (trials from
``nct_id``/``nct_ids``, drugs from ``drug``/``drugs``/``target_drugs``, targets from
``target``/``targets``, plus what the parameters named) with their structure, read by
``graph/cypher/viz-subgraph.cypher``: trial -> arms -> interventions -> drugs -> targets,
conditions, sponsors (sites on request). Colors, sizes and captions come from the Neo4j Browser
style sheet (graph/style.py), so the page and Browser look alike.

Drawing uses ``neo4j-viz`` (Neo4j's visualization library, GPL-3.0, an optional extra:
``pip install 'trialgraph[viz]'``); the page is self-contained (no network at view time).
"""

from __future__ import annotations

import html
from dataclasses import dataclass, field
from typing import Any

from trialgraph.errors import NotFoundError, TrialgraphError
from trialgraph.graph import catalog, style
from trialgraph.graph.gateway import Gateway
from trialgraph.graph.schema import NODES
from trialgraph.queries import library

TRIAL_COLUMNS = ("nct_id", "nct_ids")
DRUG_COLUMNS = ("drug", "drugs", "target_drugs")
TARGET_COLUMNS = ("target", "targets")
#: Long free text stays out of the page's property panel (it is in the graph and the RDF).
LONG_TEXT = ("brief_summary", "detailed_description", "eligibility_criteria", "primary_outcomes",
             "secondary_outcomes", "reference_citations", "central_contacts", "field_sources", "disagreements")
LAYOUTS = ("hierarchical", "forcedirected")


@dataclass
class Focus:
    """What a view is about: the entities a query's answer (and its parameters) named."""

    nct_ids: set[str] = field(default_factory=set)
    drug_ids: set[str] = field(default_factory=set)
    drug_names: set[str] = field(default_factory=set)
    symbols: set[str] = field(default_factory=set)

    def empty(self) -> bool:
        return not (self.nct_ids or self.drug_ids or self.drug_names or self.symbols)

    def add_rows(self, rows: list[dict[str, Any]]) -> None:
        for row in rows:
            for columns, bucket in ((TRIAL_COLUMNS, self.nct_ids), (DRUG_COLUMNS, self.drug_names),
                                    (TARGET_COLUMNS, self.symbols)):
                for c in columns:
                    v = row.get(c)
                    if isinstance(v, str):
                        bucket.add(v)
                    elif isinstance(v, list | tuple):
                        bucket.update(x for x in v if isinstance(x, str))

    def add_params(self, query: library.Query, resolved: dict[str, Any]) -> None:
        for p in query.params:
            v = resolved.get(p.name)
            if v is None:
                continue
            if p.kind == "nct":
                self.nct_ids.add(v)
            elif p.kind == "drug":
                self.drug_ids.update(v)
            elif p.kind == "target":
                self.symbols.update(v)
            elif p.kind == "entity":
                self.nct_ids.update(x for x in [v.get("nct_id")] if x)
                self.drug_ids.update(x for x in [v.get("drug_id")] if x)
                self.symbols.update(x for x in [v.get("symbol")] if x)


@dataclass
class Subgraph:
    nodes: dict[str, tuple[str, dict[str, Any]]] = field(default_factory=dict)  # id -> (label, props)
    relationships: dict[tuple[str, str, str], dict[str, Any]] = field(default_factory=dict)  # (a, type, b) -> props

    def counts(self) -> dict[str, int]:
        out: dict[str, int] = {}
        for label, _ in self.nodes.values():
            out[label] = out.get(label, 0) + 1
        return dict(sorted(out.items()))


def node_id(label: str, props: dict[str, Any]) -> str:
    return f"{label}:{props[NODES[label].key]}"


def subgraph(gateway: Gateway, focus: Focus, *, sites: bool = False) -> Subgraph:
    params = {
        "nct_ids": sorted(focus.nct_ids), "drug_ids": sorted(focus.drug_ids), "drug_names": sorted(focus.drug_names),
        "symbols": sorted(focus.symbols), "sites": sites,
    }
    g = Subgraph()
    for row in gateway.read(catalog.statement("viz-subgraph"), params):
        a = node_id(row["a_label"], row["a"])
        g.nodes.setdefault(a, (row["a_label"], row["a"]))
        if row["type"] is None:
            continue
        b = node_id(row["b_label"], row["b"])
        g.nodes.setdefault(b, (row["b_label"], row["b"]))
        g.relationships.setdefault((a, row["type"], b), row["r"] or {})
    return g


def for_query(gateway: Gateway, name: str, params: dict[str, Any], *, limit: int = 25, sites: bool = False) -> Subgraph:
    """Run a library query and return the subgraph its first ``limit`` rows name."""
    query = library.get(name)
    resolved = library.resolve_params(query, {**params, "limit": limit}, graph=gateway)
    rows = gateway.read(query.cypher, resolved)
    if not rows:
        raise NotFoundError(f"query {name} has no answer for these parameters: nothing to draw, no file written")
    focus = Focus()
    focus.add_rows(rows)
    focus.add_params(query, resolved)
    if focus.empty():
        raise NotFoundError(f"query {name} answered nothing to draw (no trial, drug or target in {len(rows)} rows)")
    return subgraph(gateway, focus, sites=sites)


def for_trial(gateway: Gateway, nct_id: str, *, sites: bool = True) -> Subgraph:
    g = subgraph(gateway, Focus(nct_ids={nct_id}), sites=sites)
    if not g.nodes:
        raise NotFoundError(f"no trial {nct_id} in the graph ({gateway.describe()}): nothing to draw, no file written")
    return g


def _shown(props: dict[str, Any]) -> dict[str, Any]:
    out = {}
    for k, v in props.items():
        if k in LONG_TEXT or v is None:
            continue
        if isinstance(v, str) and len(v) > 300:
            v = v[:297] + "..."
        out[k] = v
    return out


def render(g: Subgraph, title: str, *, layout: str = "hierarchical") -> str:
    """The subgraph as one self-contained HTML page."""
    try:
        from neo4j_viz import Node, Relationship, VisualizationGraph
    except ImportError as e:
        raise TrialgraphError("the HTML view needs neo4j-viz: pip install 'trialgraph[viz]'") from e
    if layout not in LAYOUTS:
        raise TrialgraphError(f"unknown layout {layout!r}: one of {', '.join(LAYOUTS)}")
    nodes = []
    for nid, (label, props) in sorted(g.nodes.items()):
        s = style.node_style(label)
        nodes.append(Node(id=nid, caption=style.caption(label, props), caption_size=3, color=s.color, size=s.diameter / 2,
                          properties={"label": label, **_shown(props)}))
    rels = [
        Relationship(source=a, target=b, caption=style.interpolate(style.rules()["relationship"]["caption"], props, rel_type=t),
                     color=style.relationship_color(t), properties={"type": t, **props})
        for (a, t, b), props in sorted(g.relationships.items())
    ]
    vg = VisualizationGraph(nodes=nodes, relationships=rels)
    legend: dict[Any, Any] = {label: style.node_style(label).color for label in g.counts()}
    vg.set_legend(nodes=legend)
    page = vg.render(layout=layout, height="100vh", theme="light", max_allowed_nodes=20_000).data
    if not isinstance(page, str):
        raise TrialgraphError("neo4j-viz returned no page")
    summary = ", ".join(f"{n} {label}" for label, n in g.counts().items())
    banner = (
        f'<div id="trialgraph-summary" data-nodes="{len(nodes)}" data-relationships="{len(rels)}" '
        'style="position:fixed;left:50%;top:10px;transform:translateX(-50%);z-index:10;font:12px system-ui,sans-serif;'
        'color:#333;background:rgba(255,255,255,.85);padding:4px 8px;border-radius:4px">'
        f"<b>{html.escape(title)}</b> &middot; {len(nodes)} nodes ({html.escape(summary)}), {len(rels)} relationships &middot; trialgraph</div>"
    )
    page = page.replace("<title>neo4j-viz</title>", f"<title>{html.escape(title)} - trialgraph</title>", 1)
    body = page.find("<body")
    if body >= 0:
        end = page.find(">", body) + 1
        page = page[:end] + banner + page[end:]
    close = page.rfind("</body>")
    return page[:close] + FIT_ON_LOAD + page[close:] if close >= 0 else page + FIT_ON_LOAD


#: The first view shows the whole graph: while the layout settles, the page presses the
#: library's own "Zoom to fit" button, and stops as soon as the reader pans, zooms or clicks.
FIT_ON_LOAD = """<script id="trialgraph-fit-on-load">
(function () {
  var touched = false;
  ["wheel", "mousedown", "touchstart", "keydown"].forEach(function (e) {
    addEventListener(e, function (ev) { if (ev.isTrusted) { touched = true; } }, true);
  });
  function fit() {
    if (touched) { return; }
    var buttons = document.querySelectorAll("button");
    for (var i = 0; i < buttons.length; i++) {
      var b = buttons[i];
      if ((b.getAttribute("aria-label") || b.title || b.textContent || "").trim() === "Zoom to fit") { b.click(); return; }
    }
  }
  [300, 800, 1500, 2500, 4000, 6000].forEach(function (ms) { setTimeout(fit, ms); });
})();
</script>
"""
