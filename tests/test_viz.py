"""Visual exploration: the Neo4j Browser style sheet and guide, and the HTML graph view, checked
as a person sees it: the page opened in headless Chromium (Debian's, no download), a screenshot
taken, and the nodes drawn on it counted by color, label by label."""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import tomllib
import urllib.request
import uuid
from html.parser import HTMLParser
from pathlib import Path

import pytest
from click.testing import CliRunner

from trialgraph.cli import main
from trialgraph.errors import TrialgraphError
from trialgraph.graph import catalog, guide, style, viz
from trialgraph.graph.gateway import Gateway
from trialgraph.graph.schema import NODES
from trialgraph.queries import library

ROOT = Path(__file__).resolve().parent.parent
SHOT = Path(__file__).resolve().parent / "browser" / "shot.mjs"
SEEDS = ROOT / "trialgraph" / "samples" / "seeds"
CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")

# Golden facts read off the seed pages (trialgraph/samples/seeds): the PD-1 combinations in HCC
# are NCT04344158 (AK105 + anlotinib vs sorafenib, Chia Tai Tianqing) and NCT04523493
# (toripalimab + lenvatinib vs lenvatinib, Shanghai Junshi); two arms each, the drugs below.
PD1_HCC_TRIALS = {"NCT04344158", "NCT04523493"}
PD1_HCC_DRUGS = {"penpulimab", "anlotinib", "sorafenib", "toripalimab", "lenvatinib"}


def reference_targets(drug_ids: set[str]) -> set[str]:
    """The drugs' targets, read straight from the reference data file (not through the code)."""
    data = tomllib.loads((ROOT / "ontology" / "data" / "drugs.toml").read_text(encoding="utf-8"))
    out: set[str] = set()
    for d in data["drug"]:
        if d["id"] in drug_ids:
            for a in d.get("acts_on", []):
                out.update(a.get("targets", [a.get("target")]))
    return out - {None}


# -- style sheet ------------------------------------------------------------------------------
@pytest.mark.unit
def test_style_sheet_covers_the_schema_and_captions_name_real_properties() -> None:
    assert style.check() == []
    assert style.node_style("Trial").caption == "{acronym} {nct_id}"
    assert style.node_style("Drug").caption == "{name}" and style.node_style("Target").caption == "{symbol}"
    colors = [style.node_style(label).color.lower() for label in NODES]
    assert len(set(colors)) == len(colors), "two labels share a color"


@pytest.mark.unit
def test_captions_interpolate_as_neo4j_browser_does() -> None:
    assert style.caption("Trial", {"nct_id": "NCT04344158"}) == "NCT04344158"
    assert style.caption("Trial", {"nct_id": "NCT03412773", "acronym": "RATIONALE-301"}) == "RATIONALE-301 NCT03412773"
    assert style.interpolate("{x}", {"x": ["a", "b"]}) == "a, b"
    assert style.interpolate("{x}", {"x": True}) == ""
    assert style.interpolate("<type>", {}, rel_type="GIVES") == "GIVES"


@pytest.mark.unit
def test_a_broken_style_sheet_is_named_with_its_rule() -> None:
    with pytest.raises(TrialgraphError, match=r"x\.grass: rule node\.Trial: declaration without ':'"):
        style.parse("node.Trial { color #fff; }", "x.grass")
    with pytest.raises(TrialgraphError, match=r"x\.grass: rule node: no closing"):
        style.parse("node { color: #fff;", "x.grass")
    assert style.parse("node.Trial { caption: '{a}; {b}'; }")["node.Trial"]["caption"] == "{a}; {b}"


# -- Browser guide -----------------------------------------------------------------------------
class _Guide(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.slides = 0
        self.runnable: list[str] = []
        self._in_pre = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "slide":
            self.slides += 1
        if tag == "pre" and "runnable" in (dict(attrs).get("class") or ""):
            self._in_pre = True
            self.runnable.append("")

    def handle_endtag(self, tag: str) -> None:
        if tag == "pre":
            self._in_pre = False

    def handle_data(self, data: str) -> None:
        if self._in_pre:
            self.runnable[-1] += data


@pytest.mark.unit
def test_guide_has_a_slide_per_library_query_with_runnable_resolved_parameters() -> None:
    parsed = _Guide()
    parsed.feed(guide.guide_html())
    queries = library.library()
    assert parsed.slides == 2 + len(queries)
    statements = [s for s in parsed.runnable if not s.startswith(":")]
    # every runnable statement is a shipped .cypher file's statement, byte for byte (so it is linted)
    shipped = {guide._statement(q.cypher) for q in queries.values()}
    shipped |= {guide._statement(catalog.statement(n)) for n in ("count-labels", "browser-trial")}
    assert set(statements) == shipped
    # the flagship question comes first, with PD-1 and HCC resolved as the library resolves them
    first_params = next(s for s in parsed.runnable if s.startswith(":params {target"))
    assert first_params.startswith(':params {target: ["PDCD1"], condition: [')
    assert '"MESH:D006528"' in first_params
    assert parsed.runnable.index(first_params) < parsed.runnable.index(guide._statement(queries["trial"].cypher))


@pytest.mark.integration
def test_browser_command_writes_and_serves_style_and_guide(tmp_path: Path) -> None:
    result = CliRunner().invoke(main, ["browser", "-o", str(tmp_path)], catch_exceptions=False)
    assert result.exit_code == 0
    assert ":style http://localhost:8002/trialgraph.grass" in result.stdout
    assert ":play http://localhost:8002/trialgraph-guide.html" in result.stdout
    assert "remote_content_hostname_whitelist" in result.stdout
    assert (tmp_path / "trialgraph.grass").read_text() == style.grass_text()
    server = guide.serve(tmp_path, port=0)
    try:
        port = server.server_address[1]
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/trialgraph-guide.html") as r:
            assert r.headers["Access-Control-Allow-Origin"] == "*"
            assert b'<article class="guide"' in r.read()
    finally:
        server.shutdown()
    assert server.server_address[0] == "127.0.0.1"


@pytest.mark.integration
def test_the_guides_trial_statement_draws_the_trial_on_the_local_server(seeded_graph: Gateway) -> None:
    rows = seeded_graph.read(catalog.statement("browser-trial"), {"nct_id": "NCT04344158"})
    # seed 000: the AK105 arm gives AK105 and anlotinib, the comparator arm sorafenib (3 arm paths),
    # 3 intervention->drug paths, one path per (drug, target), one condition, one sponsor
    per_drug = sum(len(reference_targets({d})) for d in ("penpulimab", "anlotinib", "sorafenib"))
    assert len(rows) == 3 + 3 + per_drug + 1 + 1


# -- HTML view ----------------------------------------------------------------------------------
@pytest.fixture(params=["falkordb", "neo4j"])
def seeded_graph(request: pytest.FixtureRequest, loaded_graph) -> Gateway:
    return loaded_graph(request.param, "viz", SEEDS)


@pytest.mark.integration
def test_query_view_draws_the_pd1_hcc_combinations_and_their_structure(seeded_graph: Gateway) -> None:
    g = viz.for_query(seeded_graph, "combination-therapies", {"target": "PD-1", "condition": "HCC"})
    ids = {label: {nid.split(":", 1)[1] for nid, (lab, _) in g.nodes.items() if lab == label} for label in NODES}
    assert ids["Trial"] == PD1_HCC_TRIALS
    assert ids["Drug"] == PD1_HCC_DRUGS
    assert ids["Target"] == reference_targets(PD1_HCC_DRUGS)
    assert len(ids["Arm"]) == 4 and len(ids["Sponsor"]) == 2 and ids["Site"] == set()
    assert ("Drug:penpulimab", "ACTS_ON", "Target:PDCD1") in g.relationships
    # arm-level structure: the AK105 arm gives penpulimab and anlotinib, the comparator gives sorafenib
    gives = {(a, b) for (a, t, b) in g.relationships if t == "GIVES"}
    assert len(gives) == 5


@pytest.mark.integration
def test_trial_view_draws_every_site_of_the_trial(seeded_graph: Gateway) -> None:
    g = viz.for_trial(seeded_graph, "NCT04344158")
    sites = seeded_graph.read("MATCH (:Trial {nct_id: $n})-[:HAS_SITE]->(s:Site) RETURN count(s) AS n", {"n": "NCT04344158"})
    assert g.counts()["Site"] == sites[0]["n"] > 50
    with pytest.raises(TrialgraphError, match="no trial NCT00000000 in the graph"):
        viz.for_trial(seeded_graph, "NCT00000000")


@pytest.mark.integration
def test_viz_command_writes_a_self_contained_page(cli_env, seeded_graph: Gateway, tmp_path: Path) -> None:
    env = cli_env(seeded_graph)
    out = tmp_path / "pd1.html"
    result = CliRunner().invoke(main, ["viz", "combination-therapies", "-p", "target=PD-1", "-p", "condition=HCC",
                                       "-o", str(out)], env=env, catch_exceptions=False)
    assert result.exit_code == 0, result.output
    assert re.search(r"wrote .*pd1\.html: \d+ nodes .*2 Trial", result.stdout)
    page = out.read_text(encoding="utf-8")
    assert not re.search(r"""<(script|link)[^>]+(src|href)=["']https?:""", page), "the page must work offline"
    data = json.loads(re.search(r'<script type="application/json" id="neo4j-viz-data">(.*?)</script>', page, re.DOTALL).group(1))
    assert {n["caption"] for n in data["nodes"]} >= {"NCT04344158", "NCT04523493", "penpulimab", "PDCD1"}
    result = CliRunner().invoke(main, ["viz", "-o", str(out)], env=env)
    assert result.exit_code == 2 and "either a query NAME or --trial" in result.output


# -- as a person sees it -----------------------------------------------------------------------
def _browser_or_skip() -> str:
    node = shutil.which("node")
    missing = [what for what, ok in (("Chromium at " + CHROMIUM, Path(CHROMIUM).exists()), ("node", node is not None),
               ("tests/browser/node_modules (npm ci --prefix tests/browser)", (SHOT.parent / "node_modules").exists()))
               if not ok]
    if missing:
        reason = "headless browser test needs " + ", ".join(missing) + " (tests/setup-browser installs them)"
        if os.environ.get("TRIALGRAPH_REQUIRE_BROWSER"):
            pytest.fail(reason)
        pytest.skip(reason)
    return node  # type: ignore[return-value]


def screenshot(page: Path, png: Path, click_fit: bool = False) -> dict:
    """What a reader sees once the layout settles (the page fits itself on load); with
    ``click_fit``, after pressing its "Zoom to fit" button."""
    proc = subprocess.run([_browser_or_skip(), str(SHOT), str(page), str(png)], capture_output=True, text=True,
                          timeout=180, check=False,
                          env={**os.environ, "CHROMIUM": CHROMIUM, "CLICK_FIT": "1" if click_fit else "0"})
    assert proc.returncode == 0, proc.stderr
    return json.loads(proc.stdout.strip().splitlines()[-1])


def drawn_nodes(png: Path, overlays: list[dict], min_area: int = 80) -> dict[str, int]:
    """Count the node discs of each label's color on the screenshot: connected regions of that
    color (outside the page's overlays: legend, buttons, banner) of at least ``min_area`` pixels."""
    import numpy as np
    from PIL import Image

    rgb = np.asarray(Image.open(png).convert("RGB")).astype(int)
    h, w, _ = rgb.shape
    free = np.ones((h, w), bool)
    for r in overlays:
        free[max(0, int(r["y"])):int(r["y"] + r["h"]) + 1, max(0, int(r["x"])):int(r["x"] + r["w"]) + 1] = False
    counts = {}
    for label in NODES:
        hexc = style.node_style(label).color.lstrip("#")
        c = np.array([int(hexc[i:i + 2], 16) for i in (0, 2, 4)])
        mask = (np.abs(rgb - c).max(axis=2) <= 20) & free
        seen = np.zeros_like(mask)
        n = 0
        for y, x in zip(*np.nonzero(mask), strict=True):
            if seen[y, x]:
                continue
            stack, area = [(y, x)], 0
            seen[y, x] = True
            while stack:
                cy, cx = stack.pop()
                area += 1
                for ny, nx in ((cy + 1, cx), (cy - 1, cx), (cy, cx + 1), (cy, cx - 1)):
                    if 0 <= ny < h and 0 <= nx < w and mask[ny, nx] and not seen[ny, nx]:
                        seen[ny, nx] = True
                        stack.append((ny, nx))
            n += area >= min_area
        if n:
            counts[label] = n
    return counts


@pytest.mark.integration
@pytest.mark.parametrize("view", ["query", "trial"])
def test_page_draws_every_node_in_headless_chromium(view: str, seeded_graph: Gateway, tmp_path: Path) -> None:
    if view == "query":
        g = viz.for_query(seeded_graph, "combination-therapies", {"target": "PD-1", "condition": "HCC"})
        page = viz.render(g, "combination-therapies target=PD-1 condition=HCC")
    else:
        g = viz.for_trial(seeded_graph, "NCT04344158")
        page = viz.render(g, "NCT04344158", layout="forcedirected")
    html_file, png = tmp_path / f"{view}.html", tmp_path / f"{view}.png"
    html_file.write_text(page, encoding="utf-8")
    shot = screenshot(html_file, png)  # nobody presses "Zoom to fit": the first view shows every node
    assert shot["errors"] == [] and shot["settled"] and not shot["fitted"], shot
    assert shot["canvas"]["painted"] > 0.02, f"canvas looks blank: {shot['canvas']}"
    assert shot["banner"] == {"nodes": str(len(g.nodes)), "relationships": str(len(g.relationships))}
    # what a person sees: one disc per node, in its label's color
    assert drawn_nodes(png, shot["overlays"]) == g.counts(), f"screenshot: {png}"
    if keep := os.environ.get("TRIALGRAPH_KEEP_SCREENSHOTS"):
        Path(keep).mkdir(parents=True, exist_ok=True)
        shutil.copy(png, Path(keep) / f"viz-{view}-{uuid.uuid4().hex[:6]}.png")


@pytest.mark.integration
def test_the_view_reads_the_same_subgraph_on_each_engine(seeded: Gateway) -> None:
    # `seeded` is the seed graph on the local server and, where one answers, on Neo4j
    g = viz.for_query(seeded, "combination-therapies", {"target": "PD-1", "condition": "HCC"})
    assert {nid for nid, (label, _) in g.nodes.items() if label == "Trial"} == {f"Trial:{n}" for n in PD1_HCC_TRIALS}
    assert {("Drug:penpulimab", "ACTS_ON", "Target:PDCD1"), ("Drug:toripalimab", "ACTS_ON", "Target:PDCD1")} <= set(g.relationships)
    assert sum(1 for (_, t, _) in g.relationships if t == "GIVES") == 5
