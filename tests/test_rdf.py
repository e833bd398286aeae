"""Linked data: the RDF export (from the graph and from files), SHACL, SPARQL parity, networkx."""

from __future__ import annotations

import io
from collections.abc import Iterator
from pathlib import Path

import networkx as nx
import pytest
from click.testing import CliRunner
from rdflib import RDF, Graph, Literal, URIRef
from rdflib.compare import graph_diff, isomorphic, to_isomorphic
from rdflib.namespace import DCTERMS

from trialgraph.cli import main
from trialgraph.graph import rdf, validate
from trialgraph.graph.gateway import Gateway
from trialgraph.graph.nx import to_networkx, write_graphml
from trialgraph.graph.validate import ontology, validate_graph
from trialgraph.ontology.reference import reference_data
from trialgraph.pipeline import LoadReport, trial_rows
from trialgraph.queries import library as lib

ROOT = Path(__file__).resolve().parents[1]
SEEDS = ROOT / "trialgraph" / "samples" / "seeds"
GOLDEN = ROOT / "tests" / "fixtures" / "rdf" / "NCT03945799.ttl"
TG = rdf.TG
SDO = rdf.SDO
PREFIXES = "\n".join(f"PREFIX {k}: <{v}>" for k, v in rdf.PREFIXES.items())


@pytest.fixture(params=["falkordb", "neo4j"])
def g(request: pytest.FixtureRequest, loaded_graph) -> Gateway:
    return loaded_graph(request.param, "rdf", SEEDS)


_EXPORTS: dict[str, Graph] = {}


@pytest.fixture
def exported(g: Gateway) -> Graph:
    """The seeds' export from the graph on each engine (built once per engine)."""
    if g.engine not in _EXPORTS:
        buf = io.StringIO()
        rdf.write(rdf.triples(rdf.rows_from_graph(g, reference_data(), page=2)), buf, "turtle", chunk=300)
        out = Graph()
        out.parse(data=buf.getvalue(), format="turtle")
        _EXPORTS[g.engine] = out
    return _EXPORTS[g.engine]


def trial_part(triples: Iterator, nct: str) -> Graph:
    """The structured triples of one trial: without free text, sources and reference entities."""
    free = {rdf.TRIAL_LITERALS[k] for k in rdf.FREE_TEXT if k in rdf.TRIAL_LITERALS} | {SDO.description}
    out = Graph()
    for s, p, o in triples:
        if p in free or p == DCTERMS.source or str(s).startswith(str(rdf.MESH)):
            continue
        out.add((s, p, o))
    return out


@pytest.mark.integration
def test_golden_trial_from_the_graph_and_from_the_file(g: Gateway) -> None:
    golden = Graph()
    golden.parse(GOLDEN, format="turtle")
    (row,) = [r for r in rdf.rows_from_graph(g, reference_data()).trials if r["nct_id"] == "NCT03945799"]
    from_graph = trial_part(rdf.trial_triples(row), "NCT03945799")
    (file_row,) = list(trial_rows([next(SEEDS.glob("002_*.txt"))], LoadReport()))
    from_file = trial_part(rdf.trial_triples(file_row), "NCT03945799")
    for got in (from_graph, from_file):
        if not isomorphic(got, golden):
            _, only_got, only_golden = graph_diff(to_isomorphic(got), to_isomorphic(golden))
            pytest.fail(f"export differs from golden:\n+ {sorted(only_got)}\n- {sorted(only_golden)}")
    # free text checked apart: the summary as the page gives it
    t = rdf.trial_iri("NCT03945799")
    summary = [o for s, p, o in rdf.trial_triples(row) if s == t and p == SDO.description]
    assert summary == [Literal("To assess the primary effects and safety of Anlotinib in HCC patients at high risk of post surgery recurrence.")]


@pytest.mark.integration
def test_export_of_the_seeds_conforms_to_the_shapes(exported: Graph) -> None:
    conforms, text = validate_graph(exported)
    assert conforms, text
    # and the shapes do catch a broken trial
    broken = Graph()
    for triple in exported:
        broken.add(triple)
    t = rdf.trial_iri("NCT04344158")
    broken.remove((t, SDO.identifier, None))
    broken.add((t, TG.enrollment, Literal("many")))
    conforms, text = validate_graph(broken)
    assert not conforms and "identifier" in text and "enrollment" in text


@pytest.mark.integration
def test_sparql_parity_pd1_combinations_in_hcc(g: Gateway, exported: Graph, combination_sparql_query) -> None:
    cypher = {(r["nct_id"], r["arm"]) for r in lib.run(g, "combination-therapies", target="PD-1", condition="HCC")}
    got = {(str(r.nct), str(r.label)) for r in exported.query(combination_sparql_query(["PDCD1"], "mesh:D006528"))}
    assert got == cypher == {("NCT04344158", "AK105 combined with Anlotinib"), ("NCT04523493", "Experimental group")}


@pytest.mark.integration
def test_sparql_parity_trials_for_a_target_family(g: Gateway, exported: Graph) -> None:
    cypher = {r["nct_id"] for r in lib.run(g, "trials-for-target", target="VEGFR")}
    family = rdf.family_iri("VEGFR")
    assert (family, RDF.type, TG.TargetFamily) in exported
    sparql = PREFIXES + f"""
    SELECT DISTINCT ?nct WHERE {{
      ?trial tg:hasIntervention/tg:usesDrug/tg:actsOn/tg:memberOf <{family}> ; schema:identifier ?nct .
    }}"""
    got = {str(r.nct) for r in exported.query(sparql)}
    assert got == cypher and len(got) == 5  # every seed trial gives anlotinib, lenvatinib or sorafenib


@pytest.mark.integration
def test_the_parallel_export_writes_what_the_serial_one_writes(g: Gateway, exported: Graph) -> None:
    serial = io.StringIO()
    n = rdf.write(rdf.triples(rdf.rows_from_graph(g, reference_data())), serial, "nt")
    parallel = io.StringIO()
    assert rdf.write_parallel(rdf.rows_from_graph(g, reference_data()), parallel, "nt", workers=2, chunk=2) == n
    assert parallel.getvalue() == serial.getvalue()  # the same lines in the same order
    ttl = io.StringIO()
    rdf.write_parallel(rdf.rows_from_graph(g, reference_data()), ttl, "turtle", workers=2, chunk=2)
    as_ttl = Graph()
    as_ttl.parse(data=ttl.getvalue(), format="turtle")
    assert isomorphic(as_ttl, exported)


@pytest.mark.integration
def test_streamed_formats_agree(g: Gateway, exported: Graph) -> None:
    rows = rdf.rows_from_graph(g, reference_data())
    nt = io.StringIO()
    rdf.write(rdf.triples(rows), nt, "nt", chunk=100)
    as_nt = Graph()
    as_nt.parse(data=nt.getvalue(), format="nt")
    assert isomorphic(as_nt, exported)
    js = io.StringIO()
    rdf.write(rdf.triples(rdf.rows_from_graph(g, reference_data())), js, "jsonld")
    as_js = validate.parse(js.getvalue(), "json-ld")  # a Dataset underneath: no ConjunctiveGraph warning
    assert isomorphic(as_js, exported)


@pytest.mark.unit
def test_iris_resolve_to_real_identifiers_and_are_stable() -> None:
    assert rdf.trial_iri("NCT04344158") == URIRef("https://clinicaltrials.gov/study/NCT04344158")
    assert rdf.condition_iri("MESH:D006528") == URIRef("http://id.nlm.nih.gov/mesh/D006528")
    assert rdf.target_iri("PDCD1", "5133") == URIRef("https://identifiers.org/ncbigene:5133")
    a = rdf.sponsor_iri("shanghai junshi bioscience")
    assert a == rdf.sponsor_iri("shanghai junshi bioscience") and a.startswith(rdf.BASE + "sponsor/shanghai-junshi")
    assert rdf.date_literal("2021-07").datatype == rdf.XSD.gYearMonth
    assert rdf.nt_line(URIRef("http://x/s"), URIRef("http://x/p"), Literal('a "q"\nb\\')) == (
        '<http://x/s> <http://x/p> "a \\"q\\"\\nb\\\\" .\n'
    )


@pytest.mark.integration
def test_every_vocabulary_term_used_is_declared_in_the_ontology(exported: Graph) -> None:
    onto = ontology()
    used = {p for p in exported.predicates() if str(p).startswith(str(TG))}
    used |= {o for o in exported.objects(None, RDF.type) if str(o).startswith(str(TG))}
    declared = {s for s in onto.subjects() if str(s).startswith(str(TG))}
    assert used and used <= declared, sorted(used - declared)


@pytest.mark.unit
def test_graph_schema_and_ontology_agree() -> None:
    from trialgraph.graph import schema

    onto = ontology()
    classes = {str(s).removeprefix(str(TG)) for s in onto.subjects(RDF.type, rdf.OWL.Class)}
    # every label with an ontology class of its own; Sponsor and Site map to schema.org classes
    assert set(schema.NODES) - {"Sponsor", "Site"} <= classes


@pytest.mark.integration
def test_networkx_export(g: Gateway, tmp_path: Path) -> None:
    nxg = to_networkx(rdf.rows_from_graph(g, reference_data()))
    labels = [d["type"] for _, d in nxg.nodes(data=True)]
    # the seed documents: 5 trials, 7 arms, 10 interventions, 104 site entries (81 + 22 + 1), two of them one hospital
    assert (labels.count("Trial"), labels.count("Arm"), labels.count("Intervention"), labels.count("Site")) == (5, 7, 10, 103)
    assert nxg.nodes["Trial:NCT04344158"]["label"] == "NCT04344158" and nxg.nodes["Drug:penpulimab"]["label"] == "penpulimab"
    # drug co-usage projection: drugs given in the same arm
    co = nx.Graph()
    for arm, data in nxg.nodes(data=True):
        if data["type"] != "Arm":
            continue
        drugs = sorted({d for _, iv, e in nxg.out_edges(arm, data=True) if e["type"] == "GIVES"
                        for _, d, e2 in nxg.out_edges(iv, data=True) if e2["type"] == "USES_DRUG"})
        co.add_edges_from((a, b) for i, a in enumerate(drugs) for b in drugs[i + 1:])
    assert co.has_edge("Drug:anlotinib", "Drug:penpulimab") and co.has_edge("Drug:lenvatinib", "Drug:toripalimab")
    assert not co.has_edge("Drug:anlotinib", "Drug:sorafenib")  # different arms of NCT04344158
    path = tmp_path / "seeds.graphml"
    write_graphml(nxg, path)
    back = nx.read_graphml(path)
    assert back.number_of_nodes() == nxg.number_of_nodes()
    assert not any("variant" in d for _, d in back.nodes(data=True))  # the writer's bookkeeping is not exported


@pytest.mark.unit
def test_cli_export_from_files_and_validate(tmp_path: Path) -> None:
    out = tmp_path / "seeds.ttl"
    r = CliRunner().invoke(main, ["export", "rdf", "--from", str(SEEDS), "-o", str(out)])
    assert r.exit_code == 0, r.output
    r = CliRunner().invoke(main, ["validate", "rdf", str(out)])
    assert r.exit_code == 0 and "Conforms: True" in r.output
    bad = tmp_path / "bad.ttl"
    bad.write_text(out.read_text(encoding="utf-8").replace('schema:identifier "NCT04344158"', 'schema:identifier "X1"'))
    r = CliRunner().invoke(main, ["validate", "rdf", str(bad)])
    assert r.exit_code == 1 and "Conforms: False" in r.output
