"""The Neo4j Browser guide (HTML slides for ``:play``) and the files ``trialgraph browser`` serves.

The guide is generated from the query library: one slide per query, its header's description,
a runnable ``:params`` block holding the header's example values *as the library resolves
them* (PD-1 -> ["PDCD1"], HCC -> the condition and every narrower one), and the query itself,
runnable. The slide that draws a trial runs ``graph/cypher/browser-trial.cypher``. Nothing here is
Cypher written inline: every statement shown comes from a ``.cypher`` file.
"""

from __future__ import annotations

import html
import json
import threading
from functools import partial
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

from trialgraph.graph import catalog, style
from trialgraph.graph.schema import NODES, RELATIONSHIPS
from trialgraph.queries import library

GUIDE = "trialgraph-guide.html"
DEFAULT_PORT = 8002
EXAMPLE_TRIAL = "NCT04344158"


def cypher_map(params: dict[str, Any]) -> str:
    """Parameters as a Cypher map literal for Browser's ``:params`` (JSON values are Cypher values)."""
    return "{" + ", ".join(f"{k}: {json.dumps(v, ensure_ascii=False)}" for k, v in params.items()) + "}"


def _pre(text: str) -> str:
    return f'<pre mode="cypher" class="pre-scrollable code runnable">{html.escape(text.strip())}</pre>'


def _statement(text: str) -> str:
    """A .cypher file without its leading // header (Browser shows the statement, not our docs)."""
    lines = text.strip().splitlines()
    while lines and lines[0].startswith("//"):
        lines.pop(0)
    return "\n".join(lines)


def _slide(title: str, lead: str, body: str) -> str:
    return (
        '<slide class="row-fluid">\n<div class="col-sm-12">\n'
        f"<h3>{html.escape(title)}</h3>\n<p class=\"lead\">{lead}</p>\n{body}\n</div>\n</slide>"
    )


def slides() -> list[tuple[str, str, str]]:
    """(title, lead HTML, body HTML) per slide."""
    labels = ", ".join(f"<code>{label}</code>" for label in NODES)
    rels = ", ".join(f"<code>{r}</code>" for r in RELATIONSHIPS)
    out = [
        (
            "trialgraph: clinical trials as a graph",
            ("Trials, their arms and interventions, the drugs those give, the drugs' molecular targets, "
             "the conditions studied, sponsors and sites."),
            f"<p>Labels: {labels}.</p><p>Relationships: {rels}.</p>"
            "<p>Click a statement to put it in the editor, then run it. The style sheet "
            "(<code>trialgraph.grass</code>) colors each label and captions trials by acronym and NCT id, "
            "drugs by name and targets by gene symbol.</p>" + _pre(_statement(catalog.statement("count-labels"))),
        ),
        (
            f"One trial, drawn: {EXAMPLE_TRIAL}",
            ("A phase III trial of penpulimab (AK105, anti-PD-1) with anlotinib against sorafenib in "
             "hepatocellular carcinoma: its arms, what each arm gives, the drugs and their targets."),
            _pre(f":params {cypher_map({'nct_id': EXAMPLE_TRIAL})}") + _pre(_statement(catalog.statement("browser-trial"))),
        ),
    ]
    first = "combination-therapies"  # the question trialgraph exists to answer comes first
    queries = sorted(library.library().values(), key=lambda q: (q.name != first, q.name))
    for q in queries:
        given = {p.name: p.example for p in q.params if p.example}
        resolved = library.resolve_params(q, given)
        asked = ", ".join(f"{k}={v}" for k, v in given.items())
        lead = html.escape(q.description)
        body = ""
        if q.params:
            body += f"<p>Example: <code>{html.escape(asked)}</code>, resolved by trialgraph into the parameters below "
            body += f"(the command line does this for you: <code>trialgraph query {html.escape(q.name)}"
            body += "".join(f" -p {html.escape(k)}={html.escape(str(v))}" for k, v in given.items()) + "</code>).</p>"
        body += _pre(f":params {cypher_map(resolved)}")  # always: every statement takes $skip and $limit
        body += _pre(_statement(q.cypher))
        out.append((f"Query: {q.name}", lead, body))
    return out


def guide_html() -> str:
    body = "\n".join(_slide(*s) for s in slides())
    return (
        "<style type=\"text/css\" media=\"screen\">\n</style>\n"
        '<article class="guide" ng-controller="AppCtrl">\n'
        '<carousel class="deck container-fluid">\n'
        f"{body}\n"
        "</carousel>\n</article>\n"
    )


def write(directory: Path) -> list[Path]:
    """Write the style sheet and the guide into ``directory``; returns the files."""
    directory.mkdir(parents=True, exist_ok=True)
    grass = directory / style.GRASS
    grass.write_text(style.grass_text(), encoding="utf-8")
    guide = directory / GUIDE
    guide.write_text(guide_html(), encoding="utf-8")
    return [grass, guide]


class _CorsHandler(SimpleHTTPRequestHandler):
    """Neo4j Browser fetches guides and styles cross-origin: allow it, serve nothing else."""

    def end_headers(self) -> None:
        self.send_header("Access-Control-Allow-Origin", "*")
        self.send_header("Cache-Control", "no-store")
        super().end_headers()

    def do_OPTIONS(self) -> None:  # Browser's fetch of a guide sends a CORS preflight first
        self.send_response(204)
        self.send_header("Access-Control-Allow-Methods", "GET, OPTIONS")
        self.send_header("Access-Control-Allow-Headers", self.headers.get("Access-Control-Request-Headers") or "*")
        self.end_headers()

    def log_message(self, format: str, *args: Any) -> None:
        pass


def serve(directory: Path, port: int = DEFAULT_PORT, host: str = "127.0.0.1") -> ThreadingHTTPServer:
    """Serve ``directory`` on loopback (CORS allowed) in a background thread; caller shuts it down."""
    server = ThreadingHTTPServer((host, port), partial(_CorsHandler, directory=str(directory)))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server


def instructions(base_url: str) -> str:
    return f"""Neo4j Browser setup for trialgraph

1. Let Browser fetch from this machine: in neo4j.conf set
     browser.remote_content_hostname_whitelist=localhost
   (docker-compose.yml in the repository already sets it) and restart Neo4j.
2. Keep `trialgraph browser --serve` running (it serves the two files below on {base_url}).
3. In Neo4j Browser run:
     :style {base_url}/{style.GRASS}
     :play {base_url}/{GUIDE}
   (or drag {style.GRASS} onto the Browser window).
"""
