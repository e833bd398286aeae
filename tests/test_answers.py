"""Answers a user can trust, seen from the command line (issue 20): unknown names are errors with
suggestions, a trial that is not there says so, placeholder sites are not shared sites, no local
path reaches the graph, one-row answers read as a record, and `trialgraph cypher`.

The graph: the 5 seed pages, the 15 API v2 records and the 5 legacy XML records. Expected values
are read off those documents:
- seed 000 (trialgraph/samples/seeds/000_*.txt) is NCT04344158, lead sponsor "Chia Tai Tianqing
  Pharmaceutical Group Co., Ltd.", giving anlotinib (a VEGFR inhibitor) in an arm;
- seed 001 lists "Adjuvant Therapy" among its conditions (not a disease the reference data knows);
- NCT05288205 and NCT06008288 (API JSON) give JAB-21822, a drug the reference data does not know;
- NCT01642004 and NCT02481830 (legacy XML, Bristol-Myers Squibb) name most of their sites
  "Local Institution", with only a city.
"""

from __future__ import annotations

import json
import xml.etree.ElementTree as ET
from collections.abc import Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner

from trialgraph.cli import main
from trialgraph.graph.gateway import Gateway
from trialgraph.graph.localserver import LocalServer

pytestmark = pytest.mark.integration
FIXTURES = Path(__file__).resolve().parent / "fixtures"


@pytest.fixture(scope="module")
def graph(loaded_local_graph, seeds_dir: Path) -> Iterator[Gateway]:
    with loaded_local_graph("answers", seeds_dir, FIXTURES / "ctgov", FIXTURES / "ctgov_xml") as gw:
        yield gw


@pytest.fixture(scope="module")
def env(graph: Gateway, local_server: LocalServer) -> dict[str, str]:
    return {"TRIALGRAPH_HOME": str(local_server.home), "TRIALGRAPH_PORT": str(local_server.status().port),
            "TRIALGRAPH_GRAPH": graph.graph_name, "NEO4J_URI": ""}


def run(env: dict[str, str], *args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(main, list(args), env=env, catch_exceptions=False)
    return result.exit_code, result.stdout, result.stderr


def rows(env: dict[str, str], *args: str) -> list[dict]:
    code, out, err = run(env, *args, "--format", "json")
    assert code == 0, err
    return json.loads(out)


# -- 1. unknown names are errors, with the closest known names ---------------------------------
def test_a_misspelt_drug_is_an_error_that_suggests_the_drug(env: dict[str, str]) -> None:
    code, out, err = run(env, "query", "trials-for-drug", "-p", "drug=pembrolizumb")
    assert code == 2 and out == ""
    assert "unknown drug 'pembrolizumb'" in err and "did you mean pembrolizumab" in err
    code, out, err = run(env, "query", "trials-for-drug", "-p", "drug=pembrolizumb", "--explain")
    assert code == 2 and "unresolved:" not in out and "did you mean pembrolizumab" in err


def test_every_kind_of_name_is_checked(env: dict[str, str]) -> None:
    for args, words in (
        (["query", "trials-for-condition", "-p", "condition=hepatocelular carcinoma"], "did you mean"),
        (["query", "trials-for-sponsor", "-p", "sponsor=Allis"], "did you mean Allist"),
        (["query", "trials-for-target", "-p", "target=PDCD"], "did you mean"),
        (["query", "trials-at-site", "-p", "facility=Hunan Cancar Hospitall"], "did you mean Hunan Cancer Hospital"),
        (["query", "path", "-p", "from=foo", "-p", "to=HCC"], "'foo' names nothing"),
    ):
        code, out, err = run(env, *args)
        assert code == 2 and out == "" and words in err, (args, err)


def test_names_the_graph_holds_as_written_are_accepted(env: dict[str, str]) -> None:
    # JAB-21822 is not in the reference data; the two Allist trials give it
    assert [r["nct_id"] for r in rows(env, "query", "trials-for-drug", "-p", "drug=JAB-21822")] == ["NCT05288205", "NCT06008288"]
    # "Adjuvant Therapy" is a condition only as seed 001 (NCT05111366) writes it
    assert "NCT05111366" in {r["nct_id"] for r in rows(env, "query", "trials-for-condition", "-p", "condition=Adjuvant Therapy")}
    # a name the reference data knows is an answer, even an empty one (no trial gives ipilimumab here)
    code, out, err = run(env, "query", "trials-for-drug", "-p", "drug=Yervoy")
    assert code == 0 and out.strip() == "(no rows)", err


# -- 2. path resolves its ends like the other queries --------------------------------------------
def test_path_finds_a_sponsor_by_the_short_name_sponsor_portfolio_uses(env: dict[str, str]) -> None:
    (portfolio,) = rows(env, "query", "sponsor-portfolio", "-p", "sponsor=Chia Tai Tianqing")
    assert "NCT04344158" in portfolio["nct_ids"]
    paths = rows(env, "query", "path", "-p", "from=Chia Tai Tianqing", "-p", "to=VEGFR")
    assert paths, "no path from the sponsor to the VEGFR family"
    assert all(p["nodes"][0] == {"label": "Sponsor", "caption": portfolio["sponsor"]}
               and p["nodes"][-1]["label"] == "TargetFamily" for p in paths)
    # and an unresolved drug as trials write it is a path end too
    assert rows(env, "query", "path", "-p", "from=JAB-21822", "-p", "to=NCT05288205")[0]["length"] >= 1


# -- 3. placeholder sites ---------------------------------------------------------------------------
def _xml_sites(nct: str) -> set[tuple[str, str, str]]:
    root = ET.parse(FIXTURES / "ctgov_xml" / f"{nct}.xml").getroot()
    return {(f.findtext("name"), f.findtext("address/city"), f.findtext("address/country"))
            for f in root.iter("facility")}


def test_placeholder_sites_are_kept_but_not_shared(env: dict[str, str]) -> None:
    a, b = _xml_sites("NCT01642004"), _xml_sites("NCT02481830")
    real_shared = {(n, c) for n, c, _ in a & b if n != "Local Institution"}
    assert len(a & b) - len(real_shared) == 16  # the documents: 16 of the 18 same-named sites are placeholders
    (other,) = [r for r in rows(env, "query", "site-overlap", "-p", "nct_id=NCT01642004") if r["nct_id"] == "NCT02481830"]
    assert not any("Local Institution" in s["facility"] for s in other["sites"]), other["sites"]
    assert real_shared <= {(s["facility"], s["city"]) for s in other["sites"]}
    assert other["shared_sites"] == len(other["sites"]) < 5
    # kept on the trial, flagged
    sites = rows(env, "query", "sites-for-trial", "-p", "nct_id=NCT01642004")
    local = {(s["city"], s["country"]) for s in sites if s["facility"] == "Local Institution"}
    assert local == {(c, k) for n, c, k in a if n == "Local Institution"}
    flagged = rows(env, "cypher", "MATCH (:Trial {nct_id: $id})-[:HAS_SITE]->(s:Site) WHERE s.placeholder "
                   "RETURN count(s) AS n", "-p", "id=NCT01642004")
    assert flagged == [{"n": len(local)}]
    # and trials-at-site does not list them: no real site is called that
    code, out, err = run(env, "query", "trials-at-site", "-p", "facility=Local Institution")
    assert code == 2 and "no site in the graph has a facility name containing 'Local Institution'" in err


# -- 4. a trial that is not there ------------------------------------------------------------------
def test_a_trial_not_in_the_graph_says_so(env: dict[str, str]) -> None:
    for name in ("trial", "sites-for-trial", "site-overlap"):
        code, out, err = run(env, "query", name, "-p", "nct_id=NCT99999999")
        assert code == 1 and out == "" and "no trial NCT99999999 in the graph" in err, (name, err)


# -- 5. sources by layout and file name ----------------------------------------------------------
def test_sources_name_the_layout_and_file_not_a_local_path(env: dict[str, str], seeds_dir: Path) -> None:
    (trial,) = rows(env, "query", "trial", "-p", "nct_id=NCT04344158")
    seed = next(seeds_dir.glob("000_*.txt")).name
    assert trial["sources"] == [f"ctgov_page:{seed}"]
    (api,) = rows(env, "query", "trial", "-p", "nct_id=NCT05288205")
    assert api["sources"] == ["ctgov_api_v2:NCT05288205.json"]
    files = rows(env, "cypher", "MATCH (t:Trial) RETURN t.source_file AS f, t.sources AS s")
    assert files and not [r for r in files if "/" in r["f"] or any("/" in s for s in r["s"])]


# -- 13. one row reads as a record ------------------------------------------------------------------
def test_a_single_row_in_table_format_is_a_vertical_record(env: dict[str, str]) -> None:
    code, out, _ = run(env, "query", "trial", "-p", "nct_id=NCT04344158")
    assert code == 0
    lines = out.splitlines()
    assert lines[0].split() == ["nct_id", "NCT04344158"]
    assert lines[1].startswith("title ") and "NCT04344158" not in lines[1]
    fields = [ln.split()[0] for ln in lines if ln and not ln.startswith(" ")]
    assert fields == ["nct_id", "title", "status", "phases", "arms", "interventions", "drugs", "targets", "conditions",
                      "sponsors", "sites", "sources"]
    # a list value gives one item per line: the two arms of the document
    at = next(i for i, ln in enumerate(lines) if ln.startswith("arms "))
    arms = [lines[at][len("arms"):].strip(), lines[at + 1].strip()]
    assert sorted(a.split(" [")[0] for a in arms) == ["AK105 combined with Anlotinib", "Sorafenib Tosylate Tablets"]
    assert not lines[at + 2].startswith(" ")


# -- 15. trialgraph cypher ---------------------------------------------------------------------------
def test_cypher_runs_one_statement_read_only_unless_write(env: dict[str, str], local_server: LocalServer) -> None:
    got = rows(env, "cypher", "MATCH (t:Trial {nct_id: $id}) RETURN t.nct_id AS nct_id, t.phases AS phases", "-p",
               "id=NCT04344158")
    assert got == [{"nct_id": "NCT04344158", "phases": ["PHASE3"]}]
    code, out, _ = run(env, "cypher", "MATCH (t:Trial) RETURN t.nct_id AS nct_id ORDER BY nct_id LIMIT $n", "-p", "n=2",
                       "--format", "csv")
    assert code == 0 and out.splitlines()[0] == "nct_id" and len(out.splitlines()) == 3
    write = "CREATE (:Sponsor {sponsor_id: $id, name: $id}) RETURN $id AS id"
    code, out, err = run(env, "cypher", write, "-p", "id=zz-test")
    assert code == 2 and out == "" and "add --write" in err
    assert rows(env, "cypher", "MATCH (s:Sponsor {sponsor_id: $id}) RETURN count(s) AS n", "-p", "id=zz-test") == [{"n": 0}]
    own = {**env, "TRIALGRAPH_GRAPH": env["TRIALGRAPH_GRAPH"] + "-cypher"}  # writes go to a graph of their own
    code, _, err = run(own, "cypher", write, "-p", "id=zz-test", "--write")
    assert code == 0, err
    assert rows(own, "cypher", "MATCH (s:Sponsor) RETURN s.name AS name") == [{"name": "zz-test"}]
    code, out, err = run(env, "cypher", "MATCH (n RETURN n")
    assert code == 2 and out == "" and "refused the statement" in err and "Traceback" not in err
    run(own, "db", "clear", "--yes")


# -- 12. viz: an empty answer draws nothing ----------------------------------------------------------
def test_viz_of_an_empty_answer_writes_nothing(env: dict[str, str], tmp_path: Path) -> None:
    assert rows(env, "query", "combination-therapies", "-p", "target=CTLA-4", "-p", "condition=HCC") == []
    out = tmp_path / "empty.html"
    code, stdout, err = run(env, "viz", "combination-therapies", "-p", "target=CTLA-4", "-p", "condition=HCC", "-o", str(out))
    assert code == 1 and not out.exists() and "no answer" in err and "nothing to draw" in err
    code, _, err = run(env, "viz", "--trial", "NCT99999999", "-o", str(out))
    assert code == 1 and not out.exists() and "no trial NCT99999999 in the graph" in err


# -- 6. the README's figures ---------------------------------------------------------------------------
def test_readme_site_figure_of_nct04344158_is_the_graph(env: dict[str, str], seeds_dir: Path) -> None:
    import re

    readme = (Path(__file__).resolve().parent.parent / "README.md").read_text(encoding="utf-8")
    sites, listed = map(int, re.search(r"NCT04344158 \(.*?its (\d+)\s+sites \(the page lists (\d+) locations", readme,
                                       re.S).groups())
    page = next(seeds_dir.glob("000_*.txt")).read_text(encoding="utf-8")
    assert page.count("\nSite Status\n") == listed  # one "Site Status" line per location on the page
    assert len(rows(env, "query", "sites-for-trial", "-p", "nct_id=NCT04344158")) == sites
    (trial,) = rows(env, "query", "trial", "-p", "nct_id=NCT04344158")
    assert trial["sites"] == sites


def test_a_zip_member_is_named_by_archive_and_member(env: dict[str, str], tmp_path: Path) -> None:
    import zipfile

    archive = tmp_path / "deep" / "folder" / "ctgov.zip"
    archive.parent.mkdir(parents=True)
    with zipfile.ZipFile(archive, "w") as z:
        z.write(FIXTURES / "ctgov" / "NCT06008288.json", "NCT06008288.json")
    own = {**env, "TRIALGRAPH_GRAPH": env["TRIALGRAPH_GRAPH"] + "-zip"}
    code, _, err = run(own, "load", str(archive))
    assert code == 0, err
    (trial,) = rows(own, "query", "trial", "-p", "nct_id=NCT06008288")
    assert trial["sources"] == ["ctgov_api_v2:ctgov.zip!NCT06008288.json"]
    run(own, "db", "clear", "--yes")
