"""The whole path on a real server: seed pages -> graph -> the PD-1/HCC question.

Expected answers are read off the seed documents: NCT04344158 gives AK105 (penpulimab, anti-PD-1)
with anlotinib in one arm, for advanced HCC; NCT04523493 gives toripalimab (JS001, anti-PD-1)
with lenvatinib, for advanced HCC; NCT04970914 gives penpulimab with anlotinib, for colorectal
cancer; NCT05111366 gives TQB2450 (anti-PD-L1) with anlotinib, for HCC; NCT03945799 gives
anlotinib alone.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from trialgraph.errors import GraphError
from trialgraph.graph import catalog
from trialgraph.graph.gateway import Gateway
from trialgraph.graph.writer import GraphWriter
from trialgraph.ontology import default_resolver, reference_data
from trialgraph.ontology.normalize import normalize
from trialgraph.pipeline import load
from trialgraph.queries import library as lib
from trialgraph.records import Arm, Intervention, Site, Sponsor, Trial

pytestmark = pytest.mark.integration


def combos(gw: Gateway, **params: str) -> list[tuple[str, str, list[str]]]:
    return [(r["nct_id"], r["arm"], r["drugs"]) for r in lib.run(gw, "combination-therapies", **params)]


def test_pd1_combinations_in_hcc(seeded: Gateway) -> None:
    assert combos(seeded, target="PD-1", condition="HCC") == [
        ("NCT04344158", "AK105 combined with Anlotinib", ["anlotinib", "penpulimab"]),
        ("NCT04523493", "Experimental group", ["lenvatinib", "toripalimab"]),
    ]


@pytest.mark.parametrize("target", ["PD-1", "PDCD1", "programmed cell death protein 1"])
@pytest.mark.parametrize("condition", ["HCC", "hcc", "hepatocellular carcinoma", "Carcinoma, Hepatocellular"])
def test_aliases_give_the_same_answer(seeded: Gateway, target: str, condition: str) -> None:
    assert [r[0] for r in combos(seeded, target=target, condition=condition)] == ["NCT04344158", "NCT04523493"]


def test_pd1_in_any_condition_adds_the_colorectal_trial(seeded: Gateway) -> None:
    assert [r[0] for r in combos(seeded, target="PD-1")] == ["NCT04344158", "NCT04523493", "NCT04970914"]


def test_pd_l1_is_not_pd_1(seeded: Gateway) -> None:
    assert combos(seeded, target="PD-L1", condition="HCC") == [
        ("NCT05111366", "TQB2450 injection combined with Anlotinib hydrochloride capsules", ["anlotinib", "benmelstobart"])
    ]


def test_comparator_placebo_and_monotherapy_arms_are_not_combinations(seeded: Gateway) -> None:
    rows = combos(seeded)
    arms = {(n, a) for n, a, _ in rows}
    assert ("NCT04344158", "Sorafenib Tosylate Tablets") not in arms  # the comparator arm
    assert ("NCT04523493", "Control group") not in arms  # placebo + lenvatinib: one active drug
    assert all(n != "NCT03945799" for n, _, _ in rows)  # anlotinib alone
    assert len(rows) == 4


def test_seed_graph_shape(seeded: Gateway) -> None:
    nodes = {r["label"]: r["count"] for r in seeded.read(catalog.statement("count-labels"))}
    assert nodes["Trial"] == 5
    assert nodes["Arm"] == 2 + 1 + 1 + 1 + 2
    # 000, 004 and 002 list 81 + 22 + 1 sites (Veeva pages only count them); two of 000's are one
    # hospital, written "Hunan Cancar Hospital" and "Hunan Cancer Hospital(Department II of ...)"
    assert nodes["Site"] == 81 + 22 + 1 - 1
    trial = seeded.read("MATCH (t:Trial {nct_id: $id}) RETURN t.site_count AS n, t.phases AS p", {"id": "NCT04970914"})
    assert trial == [{"n": 8, "p": ["PHASE2"]}]
    hcc = seeded.read(
        "MATCH (t:Trial)-[s:STUDIES]->(c:Condition {condition_id: $c}) RETURN t.nct_id AS nct, s.qualifiers AS q ORDER BY nct",
        {"c": "MESH:D006528"},
    )
    assert hcc == [  # no qualifier: an absent property on both engines
        {"nct": "NCT03945799", "q": None},
        {"nct": "NCT04344158", "q": ["advanced"]},
        {"nct": "NCT04523493", "q": ["advanced"]},
        {"nct": "NCT05111366", "q": None},
    ]


def _snapshot(gw: Gateway) -> tuple:
    nodes = gw.read("MATCH (n) RETURN labels(n)[0] AS l, properties(n) AS p")
    rels = gw.read("MATCH (a)-[r]->(b) RETURN type(r) AS t, properties(r) AS p, properties(a) AS a, properties(b) AS b")
    key = lambda d: json.dumps(d, sort_keys=True, default=str)
    return sorted(key(n) for n in nodes), sorted(key(r) for r in rels)


def test_reload_changes_nothing(seeded: Gateway, seeds_dir: Path) -> None:
    before = _snapshot(seeded)
    report = load([seeds_dir], seeded, batch_size=2)
    # every trial is held unchanged (its content digest): none is written again
    assert report.ok and (report.trials_written, report.trials_unchanged, report.renderings_merged) == (0, 5, 0)
    assert _snapshot(seeded) == before


def _trial(nct: str, title: str, **kw: object) -> Trial:
    return Trial(nct_id=nct, source={"layout": "test", "file": "test"}, brief_title=title, **kw)


def _write(gw: Gateway, *trials: Trial) -> None:
    writer = GraphWriter(gw, reference_data(), batch_size=10)
    writer.prepare()
    writer.write((t.nct_id, writer.row(normalize(t, default_resolver()))) for t in trials)


HOSTILE = [
    "Xi'an People's Hospital",
    'say "hello" \\ back\\slash \\n not-a-newline',
    "`backtick` $param {brace} }) ]",
    "'}) MATCH (n) DETACH DELETE n //",
    "emoji 🧬💊 and ünïcödé — “quotes” ’",
    "line one\nline two\ttab",
]


def test_hostile_text_round_trips_and_changes_nothing_else(graph: Gateway) -> None:
    trials = [
        _trial(
            f"NCT0000000{k}",
            text,
            sponsors=(Sponsor(name=text, role="lead"),),
            sites=(Site(facility=text, city=text, country="China"),),
            arms=(Arm(label=text, interventions=(text,)),),
            interventions=(Intervention(name=text, type="DRUG"),),
        )
        for k, text in enumerate(HOSTILE)
    ]
    _write(graph, *trials)
    got = graph.read(
        "MATCH (t:Trial)-[:HAS_ARM]->(a:Arm)-[:GIVES]->(i:Intervention) MATCH (t)-[:SPONSORED_BY]->(s:Sponsor) "
        "MATCH (t)-[:HAS_SITE]->(x:Site) "
        "RETURN t.nct_id AS id, t.brief_title AS title, a.label AS arm, i.name AS iv, s.name AS sp, x.facility AS site "
        "ORDER BY id"
    )
    assert [(r["title"], r["arm"], r["iv"], r["sp"], r["site"]) for r in got] == [(h,) * 5 for h in HOSTILE]
    counts = {r["label"]: r["count"] for r in graph.read(catalog.statement("count-labels"))}
    assert counts["Trial"] == len(HOSTILE)
    # nothing deleted by the injected text: the reference drugs, plus each hostile name kept as an
    # unresolved drug, stored exactly as written
    assert counts["Drug"] == len(reference_data().drugs) + len(HOSTILE)
    unresolved = graph.read("MATCH (d:Drug) WHERE d.resolved = false RETURN d.name AS name ORDER BY name")
    assert sorted(r["name"] for r in unresolved) == sorted(HOSTILE)


def test_a_failing_batch_writes_no_partial_trial(graph: Gateway) -> None:
    from trialgraph.graph.model import PropertyTypeError
    from trialgraph.graph.writer import WriteReport, check_row, trial_row

    good = trial_row(normalize(_trial("NCT00000001", "good", arms=(Arm(label="A"),)), default_resolver()))
    bad = trial_row(normalize(_trial("NCT00000002", "bad", arms=(Arm(label="B"),)), default_resolver()))
    bad["props"]["brief_title"] = {"nested": "maps are not property values"}  # the engine refuses this
    writer = GraphWriter(graph, reference_data(), batch_size=10)
    writer.prepare()
    rows, stored = writer.merged_rows([good, bad], WriteReport())
    # the model's types refuse the bad trial before anything is written, naming trial and field
    with pytest.raises(PropertyTypeError, match=r"trial NCT00000002: Trial\.brief_title must be string, got dict"):
        check_row(rows[1])
    # past that check, the engine refuses the batch's transaction: no trial of it is there
    with pytest.raises(GraphError):
        writer.write_rows(rows, stored)
    assert graph.read("MATCH (n) WHERE n:Trial OR n:Arm OR n:Intervention RETURN count(n) AS n") == [{"n": 0}]
    # The writer isolates the bad trial; the good one still lands whole (both paths: trials new to
    # the graph, and trials it holds, which it merges).
    for statement_kind in ("new", "merging"):
        graph.clear()
        writer.prepare()
        if statement_kind == "merging":  # both trials already in the graph, so the writer merges
            writer.write_rows([{**r, "props": {"nct_id": r["nct_id"]}, "arms": [], "interventions": []} for r in rows], set())
        report = GraphWriter(graph, reference_data(), batch_size=10).write([("good", good), ("bad", bad)])
        assert report.trials_written == 1 and [n for n, _ in report.failed] == ["NCT00000002"], statement_kind
        assert "Trial.brief_title must be string" in list(report.failed)[0][1]
        assert graph.read("MATCH (t:Trial)-[:HAS_ARM]->(a:Arm) RETURN t.nct_id AS t, a.label AS a") == [
            {"t": "NCT00000001", "a": "A"}
        ]


def test_an_engine_refusal_mid_batch_still_isolates_the_bad_trial(graph: Gateway) -> None:
    """A value the engine refuses in a later statement of the batch (a map smuggled past the model's
    check into a relationship property). The batch fails; retried trial by trial, the good trial
    lands whole and the bad one is reported, not marked whole."""
    from trialgraph.graph.writer import WriteReport

    good = trial_row_of(_trial("NCT00000003", "good", arms=(Arm(label="A"),)))
    bad = trial_row_of(_trial("NCT00000004", "bad", arms=(Arm(label="B"),), sponsors=(Sponsor(name="Acme", role="lead"),)))
    writer = GraphWriter(graph, reference_data(), batch_size=10)
    writer.prepare()
    rows, stored = writer.merged_rows([good, bad], WriteReport())
    rows[1]["sponsors"][0]["role"] = {"nested": "map"}  # SPONSORED_BY's role: written by the relationship statement
    report = WriteReport()
    writer._write(rows, stored, report)
    assert report.trials_written == 1 and [n for n, _ in report.failed] == ["NCT00000004"]
    assert graph.read("MATCH (t:Trial {nct_id: 'NCT00000003'})-[:HAS_ARM]->(a:Arm) "
                      "RETURN t.brief_title AS t, a.label AS a, t.row_digests IS NOT NULL AS whole") == [
        {"t": "good", "a": "A", "whole": True}]
    # the bad trial is not marked whole, so a reload writes it again: on Neo4j its transaction left
    # nothing; the local server, which cannot roll back, keeps what it did write, unmarked
    expected = [] if graph.capabilities.atomic_transactions else [{"d": None}]
    assert graph.read("MATCH (t:Trial {nct_id: 'NCT00000004'}) RETURN t.row_digests AS d") == expected


def trial_row_of(trial: Trial) -> dict:
    from trialgraph.graph.writer import trial_row

    return trial_row(normalize(trial, default_resolver()))


def test_a_changed_record_leaves_nothing_stale(graph: Gateway) -> None:
    _write(graph, _trial("NCT00000009", "v1", arms=(Arm(label="old arm"),), conditions=("HCC",)))
    _write(graph, _trial("NCT00000009", "v2", arms=(Arm(label="new arm"),), conditions=("Colorectal Cancer",)))
    got = graph.read(
        "MATCH (t:Trial {nct_id: $id}) OPTIONAL MATCH (t)-[:HAS_ARM]->(a:Arm) OPTIONAL MATCH (t)-[:STUDIES]->(c:Condition) "
        "RETURN t.brief_title AS title, collect(DISTINCT a.label) AS arms, collect(DISTINCT c.name) AS conditions",
        {"id": "NCT00000009"},
    )
    assert got == [{"title": "v2", "arms": ["new arm"], "conditions": ["colorectal cancer"]}]
    assert graph.read("MATCH (a:Arm) RETURN count(a) AS n") == [{"n": 1}]


def test_api_v2_and_legacy_xml_records_load_beside_the_pages(graph: Gateway, seeds_dir: Path) -> None:
    fixtures = Path(__file__).resolve().parent / "fixtures"
    report = load([seeds_dir, fixtures / "ctgov", fixtures / "ctgov_xml"], graph)
    assert report.ok and report.trials_written == 5 + 15 + 5
    placebo = graph.read(
        "MATCH (:Trial {nct_id: $id})-[:HAS_ARM]->(a:Arm)-[:GIVES]->(i:Intervention) "
        "RETURN a.label AS arm, i.is_placebo AS placebo ORDER BY arm",
        {"id": "NCT02679963"},
    )
    assert placebo == [{"arm": "Maintenance Olaparib", "placebo": False}, {"arm": "Placebo", "placebo": True}]
    got = graph.read(
        "MATCH (t:Trial {nct_id: $id})-[:HAS_ARM]->(a:Arm) RETURN t.condition_mesh_ids AS mesh, count(a) AS arms",
        {"id": "NCT05786924"},
    )
    assert got[0]["arms"] == 16 and "D002289" in got[0]["mesh"]
    sites = graph.read("MATCH (:Trial {nct_id: $id})-[:HAS_SITE]->(s:Site) RETURN count(s) AS n", {"id": "NCT04956640"})
    assert sites == [{"n": 49}]


def test_a_shared_node_does_not_depend_on_load_order(graph: Gateway) -> None:
    """Two trials name one site, each with fields the other lacks: the site takes the map of the more
    complete spelling whole, whichever trial comes first (neo4j-admin import found the union the
    writer made before depended on the order)."""
    a = _trial("NCT00000021", "a", sites=(Site(facility="Mayo Clinic", city="Rochester", country="United States",
                                               zip="55905"),))
    b = _trial("NCT00000022", "b", sites=(Site(facility="Mayo Clinic", city="Rochester", country="United States",
                                               state="Minnesota", latitude=44.02, longitude=-92.47),))
    seen = []
    for order in ((a, b), (b, a)):
        graph.clear()
        _write(graph, *order)
        seen.append(graph.read("MATCH (s:Site) RETURN properties(s) AS p"))
    assert seen[0] == seen[1] and len(seen[0]) == 1
    site = seen[0][0]["p"]
    assert site["state"] == "Minnesota" and "zip" not in site  # b's spelling is the more complete one


def test_a_transaction_commits_its_statements_together(graph: Gateway) -> None:
    create = "UNWIND $ids AS id CREATE (:Trial {nct_id: id})"
    count = "MATCH (t:Trial) RETURN count(t) AS n"
    with graph.transaction() as tx:
        tx.run(create, {"ids": ["NCT00000101", "NCT00000102"]})
        tx.run("MATCH (t:Trial {nct_id: $id}) SET t.brief_title = $title", {"id": "NCT00000101", "title": "one"})
    assert graph.read("MATCH (t:Trial) RETURN t.nct_id AS id, t.brief_title AS title ORDER BY id") == [
        {"id": "NCT00000101", "title": "one"}, {"id": "NCT00000102", "title": None}]
    # the code inside the block fails: on both engines nothing of the block is in the graph
    with pytest.raises(RuntimeError), graph.transaction() as tx:
        tx.run(create, {"ids": ["NCT00000103"]})
        raise RuntimeError("the caller gave up")
    assert graph.read(count) == [{"n": 2}]
    # the engine refuses a statement: Neo4j rolls the transaction back; the local server, which
    # has no multi-statement transactions, keeps the statements before it (its capabilities say so)
    with pytest.raises(GraphError), graph.transaction() as tx:
        tx.run(create, {"ids": ["NCT00000104"]})
        tx.run("MATCH (t:Trial) SET t.x = $m", {"m": {"nested": "map"}})
    assert graph.read(count) == [{"n": 2 if graph.capabilities.atomic_transactions else 3}]
    # a streamed read gives the rows a read gives
    stmt = "MATCH (t:Trial) RETURN t.nct_id AS id ORDER BY id"
    assert list(graph.stream(stmt)) == graph.read(stmt)


def test_statements_the_rest_of_the_suite_sends_to_one_engine_only(seeded: Gateway, seeds_dir: Path) -> None:
    """Recording every statement the whole suite sent to each engine found six .cypher files that
    reach one engine, or none, on their own paths: the suggestion and lookup statements (their
    tests run the CLI on the local server), INDICATED_FOR's (written only with the registry tables
    on) and unmark-Trial-digests (sent only where a transaction cannot roll back). Each runs here,
    on both engines, against the seed pages."""
    g, st = seeded, catalog.statement
    # 000_9ca5cb94685733a2.txt: NCT04344158, hepatocellular carcinoma, at "Hunan Cancer
    # Hospital(Department II of ...)" (folded into Hunan Cancer Hospital)
    assert "hepatocellular carcinoma" in {r["name"] for r in g.read(st("names-conditions"))}
    assert "Hunan Cancer Hospital" in {r["name"] for r in g.read(st("names-facilities"))}
    assert g.read(st("lookup-condition"), {"condition_id": "text:no such condition", "name": "Hepatocellular Carcinoma"}) == [
        {"id": "MESH:D006528"}]
    # an indication as the registry writer sends it (sorafenib for thyroid cancer, ChEMBL max
    # phase 3: tests/fixtures/indications), then the drug's set replaced
    indicated = ("MATCH (:Drug {drug_id: 'sorafenib'})-[r:INDICATED_FOR]->(c:Condition) "
                 "RETURN c.condition_id AS c, r.max_phase AS p, r.source AS s")
    g.write(st("write-INDICATED_FOR"),
            {"rows": [{"start": "sorafenib", "end": "MESH:D013964", "props": {"max_phase": 3.0, "source": "chembl-36"}}]})
    assert g.read(indicated) == [{"c": "MESH:D013964", "p": 3.0, "s": "chembl-36"}]
    g.write(st("replace-INDICATED_FOR"), {"rows": ["sorafenib"]})
    assert g.read(indicated) == []
    # a trial unmarked is no longer taken for whole: the same load writes it, and only it, again
    digests = "MATCH (t:Trial {nct_id: 'NCT04344158'}) RETURN t.row_digests AS d"
    assert g.read(digests)[0]["d"]
    g.write(st("unmark-Trial-digests"), {"rows": ["NCT04344158"]})
    assert g.read(digests) == [{"d": None}]
    report = load([seeds_dir], g)
    assert (report.trials_written, report.trials_unchanged) == (1, 4) and g.read(digests)[0]["d"]
