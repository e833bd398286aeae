"""Neo4j Browser, as a person sees it: the Browser that Neo4j serves at /browser/, opened in
headless Chromium (tests/browser/neo4j-browser.mjs), connected through its own connection form,
given the style sheet and guide exactly as `trialgraph browser --serve` serves them, its guide
walked slide by slide, and two of its statements run by clicking them: the combination-therapies
slide's (a table) and the one-trial slide's (a graph, whose screenshot is counted disc by disc).

Runs on the Neo4j the tests use (conftest: the managed server here and in CI); it needs that
Neo4j to serve Browser over HTTP, and Chromium (tests/setup-browser). CI sets
TRIALGRAPH_REQUIRE_NEO4J=1 and TRIALGRAPH_REQUIRE_BROWSER=1: there it fails rather than skips.
"""

from __future__ import annotations

import importlib.util
import json
import os
import shutil
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest

from trialgraph.graph import guide, style
from trialgraph.graph.localserver import free_port
from trialgraph.queries import library
from trialgraph.settings import Neo4jSettings

ROOT = Path(__file__).resolve().parent.parent
SCRIPT = Path(__file__).resolve().parent / "browser" / "neo4j-browser.mjs"
SEEDS = ROOT / "trialgraph" / "samples" / "seeds"
TRIAL_SLIDE = "One trial, drawn: NCT04344158"
COMBINATIONS_SLIDE = "Query: combination-therapies"


def _viz_tests():
    """tests/test_viz.py: its golden facts of the seeds, its disc counter and its browser check
    (one copy of each; the test modules are not a package)."""
    spec = importlib.util.spec_from_file_location("_trialgraph_test_viz", Path(__file__).with_name("test_viz.py"))
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


viz_tests = _viz_tests()

# Golden facts read off seed 000 (trialgraph/samples/seeds/000_9ca5cb94685733a2.txt), NCT04344158:
# arms "AK105 combined with Anlotinib" and "Sorafenib Tosylate Tablets"; interventions AK105
# Injection, Anlotinib Hydrochloride Capsules, Sorafenib Tosylate Tablets; the drugs penpulimab
# (AK105), anlotinib, sorafenib; one condition (advanced HCC); one sponsor (Chia Tai Tianqing).
TRIAL_DRUGS = {"penpulimab", "anlotinib", "sorafenib"}


def expected_trial_drawing() -> dict[str, int]:
    return {"Trial": 1, "Arm": 2, "Intervention": 3, "Drug": len(TRIAL_DRUGS),
            "Target": len(viz_tests.reference_targets(TRIAL_DRUGS)), "Condition": 1, "Sponsor": 1}


def discs_closed(png: Path, out: Path, reach: int = 3) -> Path:
    """The screenshot with each label's disc made whole again: Browser wraps a long caption across
    the disc, and the text lines cut its fill in parts. Each label's fill pixels are grown by
    ``reach`` pixels (closing gaps up to twice that; the discs stand much further apart)."""
    import numpy as np
    from PIL import Image

    rgb = np.asarray(Image.open(png).convert("RGB")).astype(int)
    painted = rgb.copy()
    for label in expected_trial_drawing():
        s = style.node_style(label)
        fill = np.array([int(s.color.lstrip("#")[i:i + 2], 16) for i in (0, 2, 4)])
        mask = np.abs(rgb - fill).max(axis=2) <= 20
        for _ in range(reach):
            grown = mask.copy()
            grown[1:] |= mask[:-1]
            grown[:-1] |= mask[1:]
            grown[:, 1:] |= mask[:, :-1]
            grown[:, :-1] |= mask[:, 1:]
            mask = grown
        painted[mask] = fill
    Image.fromarray(painted.astype("uint8")).save(out)
    return out


def _unavailable(reason: str) -> None:
    if os.environ.get("TRIALGRAPH_REQUIRE_NEO4J") == "1" and os.environ.get("TRIALGRAPH_REQUIRE_BROWSER"):
        pytest.fail(reason)
    pytest.skip(reason)


def browser_url(gw, settings: Neo4jSettings) -> str:
    """Where this Neo4j serves Browser: its HTTP connector, as the server itself reports it."""
    conf = {r["name"]: r["value"] for r in gw.read(
        "SHOW SETTINGS YIELD name, value WHERE name IN ['server.http.enabled', 'server.http.listen_address'] "
        "RETURN name, value")}
    if conf.get("server.http.enabled") != "true":
        _unavailable(f"the Neo4j at {settings.uri} serves no HTTP, so no Browser")
    host = settings.uri.split("://", 1)[1].rsplit(":", 1)[0]
    url = f"http://{host}:{conf['server.http.listen_address'].rsplit(':', 1)[1]}/browser/"
    try:
        with urllib.request.urlopen(url, timeout=30) as r:
            assert b"Neo4j Browser" in r.read()
    except (OSError, urllib.error.URLError) as e:
        _unavailable(f"no Neo4j Browser at {url}: {e}")
    return url


@pytest.fixture
def served(tmp_path: Path):
    """`trialgraph browser --serve` itself, on a free port: the base URL it serves on."""
    port = free_port()
    proc = subprocess.Popen([sys.executable, "-c", "from trialgraph.cli import main; main()", "browser", "-o",
                             str(tmp_path / "browser"), "--serve", "--port", str(port)],
                            stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    base = f"http://localhost:{port}"
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                urllib.request.urlopen(f"{base}/{style.GRASS}", timeout=5).close()
                break
            except OSError:
                assert proc.poll() is None and time.monotonic() < deadline, proc.communicate()[0]
                time.sleep(0.2)
        yield base
    finally:
        proc.terminate()
        proc.wait(timeout=30)


def run_browser(plan: dict, password: str, out: Path) -> dict:
    node = viz_tests._browser_or_skip()
    (out / "plan.json").write_text(json.dumps(plan))
    proc = subprocess.run([node, str(SCRIPT), str(out / "plan.json"), str(out)], capture_output=True, text=True,
                          timeout=900, check=False,
                          env={**os.environ, "CHROMIUM": viz_tests.CHROMIUM, "NEO4J_PASSWORD": password})
    assert proc.returncode == 0, proc.stderr[-3000:]
    return json.loads(proc.stdout.strip().splitlines()[-1])


@pytest.mark.integration
def test_neo4j_browser_draws_the_guides_statements_in_the_style_sheets_colors(
        neo4j_settings: Neo4jSettings, loaded_graph, served: str, tmp_path: Path) -> None:
    gw = loaded_graph("neo4j", "viz", SEEDS)  # the seeds, in the tests' one shared Neo4j database
    plan = {"browser": browser_url(gw, neo4j_settings), "bolt": neo4j_settings.uri,
            "style": f"{served}/{style.GRASS}", "guide": f"{served}/trialgraph-guide.html",
            "run": [COMBINATIONS_SLIDE, TRIAL_SLIDE]}
    seen = run_browser(plan, neo4j_settings.password, tmp_path)
    assert seen["connected"], seen
    assert seen["errors"] == [] and seen["errorFrames"] == [], seen

    # :style: Browser parsed every rule of the sheet, each under its own selector, with its color
    printed = [line.strip() for line in seen["style"].splitlines()]
    for selector, props in style.rules().items():
        assert f"{selector} {{" in printed, f"Browser lost rule {selector!r}:\n{seen['style']}"
        assert f"color: {props['color']};" in printed

    # :play: every slide renders with a title and runnable statements, the model first
    titles = [s["title"] for s in seen["slides"]]
    assert len(titles) == 2 + len(library.library())
    assert titles[:2] == ["trialgraph: clinical trials as a graph", TRIAL_SLIDE]
    assert set(titles[2:]) == {f"Query: {name}" for name in library.library()}
    assert all(s["runnable"] >= 1 for s in seen["slides"]), seen["slides"]

    # the combination-therapies slide (its :params, then its statement): one row per combination arm
    table = seen["runs"][COMBINATIONS_SLIDE]
    assert table["kind"] == "table", table
    for text in (*viz_tests.PD1_HCC_TRIALS, "penpulimab", "toripalimab", "anlotinib", "lenvatinib"):
        assert text in table["text"], f"{text} not in the table Browser shows:\n{table['text']}"

    # the one-trial slide: a graph, every node in its label's .grass color, captioned as the sheet says
    graph = seen["runs"][TRIAL_SLIDE]
    assert graph["kind"] == "graph" and graph["settled"], {k: v for k, v in graph.items() if k != "nodes"}
    expected = expected_trial_drawing()
    color_of = {style.node_style(label).color.lower(): label for label in expected}
    drawn = {}
    for n in graph["nodes"]:
        label = color_of.get(n["fill"].lower(), n["fill"])
        drawn[label] = drawn.get(label, 0) + 1
    assert drawn == expected
    captions = {n["caption"] for n in graph["nodes"]}
    assert {"NCT04344158", "penpulimab", "PDCD1"} <= captions, captions
    # what a person sees: one disc per node on the screenshot, in its label's color
    discs = discs_closed(Path(graph["shot"]), tmp_path / "discs.png")
    assert viz_tests.drawn_nodes(discs, graph["overlays"]) == expected, graph["shot"]
    if keep := os.environ.get("TRIALGRAPH_KEEP_SCREENSHOTS"):
        Path(keep).mkdir(parents=True, exist_ok=True)
        shutil.copy(tmp_path / "page.png", Path(keep) / "neo4j-browser.png")
        shutil.copy(graph["shot"], Path(keep) / "neo4j-browser-trial.png")


@pytest.mark.integration
def test_the_guide_server_answers_browsers_cors_preflight(tmp_path: Path) -> None:
    # Browser fetches a :play guide with a preflight first; a 501 there made it say "No guide"
    guide.write(tmp_path)
    server = guide.serve(tmp_path, port=0)
    try:
        asked = urllib.request.Request(f"http://127.0.0.1:{server.server_address[1]}/{guide.GUIDE}", method="OPTIONS",
                                       headers={"Origin": "http://127.0.0.1:7474", "Access-Control-Request-Method": "GET",
                                                "Access-Control-Request-Headers": "content-type"})
        with urllib.request.urlopen(asked) as r:
            assert r.status == 204
            assert r.headers["Access-Control-Allow-Origin"] == "*"
            assert "GET" in r.headers["Access-Control-Allow-Methods"]
            assert r.headers["Access-Control-Allow-Headers"] == "content-type"
    finally:
        server.shutdown()


@pytest.mark.unit
def test_the_sheet_browser_is_given_has_no_comment() -> None:
    # Browser's GraSS parser knows no comments: one would become part of the next rule's selector
    assert "/*" not in style.grass_text() and "/*" in (ROOT / "graph" / "browser" / style.GRASS).read_text()
    assert style.rules()["node"]["color"] == "#A5ABB6"
