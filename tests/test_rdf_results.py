"""Results as linked data (issue 22): outcomes, adverse events, publications and indications in the
RDF export, from the graph (both engines) and from files; SHACL; N-Triples streaming.

The golden facts are read off the raw records of tests/fixtures/results by hand (jq on the API
v2 JSON, ElementTree on the legacy XML), never through the loader:
- NCT00790751.json: resultsSection.adverseEventsModule has 9 seriousEvents and 5 otherEvents;
  eventGroups EG000-EG003 titled Placebo, Avanafil 50 mg, Avanafil 100 mg, Avanafil 200 mg (the
  armGroups are labelled placebo, avanafil 50 mg, avanafil 100 mg, avanafil 200 mg); serious
  "Acute myocardial infarction" (Cardiac disorders) has numAffected/numAtRisk 0/161, 1/160,
  0/161, 0/162; otherEvents include "Headache" (Nervous system disorders), which NCT01254396.json
  lists too. Its first outcome measure (PRIMARY) "Change in Percentage of Sexual Attempts in
  Which Subjects Were Able to Maintain an Erection of Sufficient Duration to Have Successful
  Intercourse", unit "percentage of sexual attempts", groups OG000-OG003 (same titles), denoms
  155, 154, 157, 156, values 14.1, 27.8, 43.4, 44.2. referencesModule: PMID 22248153, RESULT.
- NCT03917459.json: the first outcome measure (PRIMARY) "Erectile Function Score Using Index of
  Erectile Function (IIEF-15)", time frame "Week 12 (3 months)", LEAST_SQUARES_MEAN, groups LCZ696
  (denom 12, value 15.1) and Enalapril (13, 12.2), one analysis: pValue 0.3432, "Mixed Model
  Repeated Measures (MMRM)". No references.
- NCT00007644.xml: serious_events has the "Total, serious adverse events" row and one term,
  "Death" (General disorders), subjects_affected/at_risk 171/364 (E1, Radical Prostatectomy) and
  183/367 (E2, Watchful Waiting); 18 results_reference elements, 14 with a PMID (7577210,
  7638470, 9268976, 9674725, 10866876, 10717606, 11828353, 18695131, 16406915, 22808955,
  22983306, 23271771, 23988464, 24594482).
- NCT00499486.xml: serious_events: the Total row (7 of 31) and four terms, Hyperglycemia
  (Endocrine disorders), Failure to thrive (General disorders), dehydration (Metabolism and
  nutrition disorders), Hypotension (Vascular disorders); one results_reference, PMID 20664591.
- Indications: tests/fixtures/indications (ChEMBL, its source field): sorafenib for thyroid
  cancer (MESH:D013964), max phase 3.
"""

from __future__ import annotations

import io
import json
from collections import Counter
from pathlib import Path

import pytest
from rdflib import RDF, RDFS, Graph, Literal, URIRef
from rdflib.compare import isomorphic
from rdflib.namespace import DCTERMS

from trialgraph.graph import rdf, validate
from trialgraph.graph.gateway import Gateway
from trialgraph.graph.validate import ontology, validate_graph
from trialgraph.ontology.reference import reference_data
from trialgraph.pipeline import LoadReport, trial_rows

ROOT = Path(__file__).resolve().parents[1]
FIXTURES = ROOT / "tests" / "fixtures"
RESULTS = FIXTURES / "results"
TG, SDO = rdf.TG, rdf.SDO
PREFIXES = "\n".join(f"PREFIX {k}: <{v}>" for k, v in rdf.PREFIXES.items())


@pytest.fixture(params=["falkordb", "neo4j"])
def g(request: pytest.FixtureRequest, loaded_graph) -> Gateway:
    return loaded_graph(request.param, "rdf-results", RESULTS)


def nt_text(rows: rdf.Rows) -> str:
    buf = io.StringIO()
    rdf.write(rdf.triples(rows), buf, "nt", chunk=200)
    return buf.getvalue()


def parsed(text: str, fmt: str = "nt") -> Graph:
    out = Graph()
    out.parse(data=text, format=fmt)
    return out


_EXPORTS: dict[str, str] = {}


@pytest.fixture
def exported_nt(g: Gateway) -> str:
    """The results fixture's streamed N-Triples export from the graph on each engine (once per engine)."""
    if g.engine not in _EXPORTS:
        _EXPORTS[g.engine] = nt_text(rdf.rows_from_graph(g, reference_data(), page=3))
    return _EXPORTS[g.engine]


def file_rows() -> list[dict]:
    report = LoadReport()
    rows = list(trial_rows([RESULTS], report))
    assert report.ok, report.problems
    return rows


def by_trial_sparql(graph: Graph, query: str) -> list[tuple]:
    return sorted(tuple(None if v is None else v.toPython() for v in row) for row in graph.query(PREFIXES + query))


def check_golden(graph: Graph) -> None:
    """The golden facts of the module docstring, asked in SPARQL the way a user would."""
    avanafil = rdf.trial_iri("NCT00790751")
    # serious and other adverse events: one report per term and seriousness
    counts = by_trial_sparql(graph, f"""
        SELECT ?serious (COUNT(?r) AS ?n) WHERE {{ <{avanafil}> tg:hasAdverseEventReport ?r . ?r tg:serious ?serious }}
        GROUP BY ?serious""")
    assert counts == [(False, 5), (True, 9)]
    ami = by_trial_sparql(graph, f"""
        SELECT ?title ?affected ?atRisk ?armLabel WHERE {{
          <{avanafil}> tg:hasAdverseEventReport ?r .
          ?r tg:serious true ; tg:adverseEvent ?ae ; tg:hasGroupCount ?c .
          ?ae rdfs:label "Acute myocardial infarction" ; tg:organSystem "Cardiac disorders" .
          ?c rdfs:label ?title ; tg:affected ?affected ; tg:atRisk ?atRisk .
          OPTIONAL {{ ?c tg:arm/rdfs:label ?armLabel }}
        }}""")
    assert ami == sorted([("Placebo", 0, 161, "placebo"), ("Avanafil 50 mg", 1, 160, "avanafil 50 mg"),
                          ("Avanafil 100 mg", 0, 161, "avanafil 100 mg"), ("Avanafil 200 mg", 0, 162, "avanafil 200 mg")])
    totals = by_trial_sparql(graph, f"""
        SELECT ?affected ?atRisk ?arm WHERE {{
          <{avanafil}> tg:hasAdverseEventReport ?r . ?r tg:adverseEvent/rdfs:label "Acute myocardial infarction" ;
          tg:affected ?affected ; tg:atRisk ?atRisk ; tg:affectedArm/rdfs:label ?arm }}""")
    assert totals == [(1, 644, "avanafil 50 mg")]
    # a shared term: one node, reported by both trials that list it
    headache = by_trial_sparql(graph, """
        SELECT ?nct WHERE { ?t tg:reported ?ae ; schema:identifier ?nct .
                            ?ae rdfs:label "Headache" ; tg:organSystem "Nervous system disorders" }""")
    assert headache == [("NCT00790751",), ("NCT01254396",)]
    # the first primary outcome: groups, participants, values (as written and as numbers)
    outcome = rdf.outcome_iri("NCT00790751:primary:1")
    assert (avanafil, TG.hasOutcome, outcome) in graph
    assert graph.value(outcome, TG.outcomeType) == Literal("primary")
    assert str(graph.value(outcome, TG.measure)).startswith("Change in Percentage of Sexual Attempts in Which")
    assert graph.value(outcome, TG.unit) == Literal("percentage of sexual attempts")
    values = by_trial_sparql(graph, f"""
        SELECT ?group ?n ?value ?number WHERE {{
          <{outcome}> tg:hasValue ?v . ?v tg:value ?value ; tg:numericValue ?number ; tg:resultGroup ?g .
          ?g rdfs:label ?group ; tg:participants ?n }}""")
    assert [(grp, n, v, float(x)) for grp, n, v, x in values] == sorted([
        ("Placebo", 155, "14.1", 14.1), ("Avanafil 50 mg", 154, "27.8", 27.8), ("Avanafil 100 mg", 157, "43.4", 43.4),
        ("Avanafil 200 mg", 156, "44.2", 44.2)])
    # a p-value at the level a user asks: the outcome measure
    p = by_trial_sparql(graph, """
        SELECT ?nct ?measure ?p ?method WHERE {
          ?t schema:identifier ?nct ; tg:hasOutcome ?o . ?o tg:outcomeType "primary" ; tg:measure ?measure ;
          tg:pValue ?p ; tg:analysisMethod ?method ; tg:timeFrame "Week 12 (3 months)" }""")
    assert p == [("NCT03917459", "Erectile Function Score Using Index of Erectile Function (IIEF-15)", "0.3432",
                  "Mixed Model Repeated Measures (MMRM)")]
    lcz = by_trial_sparql(graph, f"""
        SELECT ?group ?n ?value WHERE {{ <{rdf.outcome_iri('NCT03917459:primary:1')}> tg:hasValue ?v .
          ?v tg:value ?value ; tg:resultGroup ?g . ?g rdfs:label ?group ; tg:participants ?n }}""")
    assert lcz == [("Enalapril", 13, "12.2"), ("LCZ696", 12, "15.1")]
    # legacy XML: serious terms without the Total rows
    serious = by_trial_sparql(graph, f"""
        SELECT ?term ?system WHERE {{ <{rdf.trial_iri('NCT00499486')}> tg:hasAdverseEventReport ?r .
          ?r tg:serious true ; tg:adverseEvent ?ae . ?ae rdfs:label ?term ; tg:organSystem ?system }}""")
    assert serious == sorted([("Hyperglycemia", "Endocrine disorders"), ("Failure to thrive", "General disorders"),
                              ("dehydration", "Metabolism and nutrition disorders"), ("Hypotension", "Vascular disorders")])
    death = by_trial_sparql(graph, f"""
        SELECT ?term ?group ?affected ?atRisk WHERE {{ <{rdf.trial_iri('NCT00007644')}> tg:hasAdverseEventReport ?r .
          ?r tg:serious true ; tg:adverseEvent/rdfs:label ?term ; tg:hasGroupCount ?c .
          ?c rdfs:label ?group ; tg:affected ?affected ; tg:atRisk ?atRisk }}""")
    assert death == [("Death", "Radical Prostatectomy", 171, 364), ("Death", "Watchful Waiting", 183, 367)]
    # publications: PubMed IRIs, the reference type on the citation
    pub = rdf.publication_iri("22248153")
    assert pub == URIRef("https://pubmed.ncbi.nlm.nih.gov/22248153")
    assert (avanafil, SDO.citation, pub) in graph and (pub, RDF.type, SDO.ScholarlyArticle) in graph
    assert by_trial_sparql(graph, f"""SELECT ?type WHERE {{ <{avanafil}> tg:hasCitation ?c .
                                     ?c tg:publication <{pub}> ; tg:referenceType ?type }}""") == [("RESULT",)]
    assert "avanafil" in str(graph.value(pub, DCTERMS.bibliographicCitation))
    pivot = {str(graph.value(o, TG.pmid)) for o in graph.objects(rdf.trial_iri("NCT00007644"), SDO.citation)}
    assert pivot == {"7577210", "7638470", "9268976", "9674725", "10866876", "10717606", "11828353", "18695131",
                     "16406915", "22808955", "22983306", "23271771", "23988464", "24594482"}
    assert (rdf.trial_iri("NCT00499486"), SDO.citation, rdf.publication_iri("20664591")) in graph


@pytest.mark.integration
def test_results_from_the_graph_golden_facts(exported_nt: str) -> None:
    check_golden(parsed(exported_nt))


@pytest.mark.unit
def test_results_from_files_golden_facts() -> None:
    check_golden(parsed(nt_text(rdf.rows_from_records(file_rows(), reference_data()))))


@pytest.mark.integration
def test_streamed_and_in_memory_exports_state_the_same_triples(g: Gateway, exported_nt: str) -> None:
    stated = [rdf.nt_line(*t) for t in rdf.triples(rdf.rows_from_graph(g, reference_data()))]
    out = [ln + "\n" for ln in exported_nt.splitlines()]
    assert [k for k, c in Counter(out).items() if c > 1] == []  # each triple once
    assert set(out) == set(stated)
    # shared nodes once: a term named by two trials (Headache), an article by one
    headache = rdf.adverse_event_iri("headache|nervous system disorders")
    assert sum(1 for ln in stated if ln.startswith(f"<{headache}> <{RDF.type}>")) == 2
    assert sum(1 for ln in out if ln.startswith(f"<{headache}> <{RDF.type}>")) == 1
    # Turtle (in chunks), JSON-LD (in memory) and the parallel writer give the same graph
    as_nt = parsed(exported_nt)
    ttl = io.StringIO()
    rdf.write(rdf.triples(rdf.rows_from_graph(g, reference_data())), ttl, "turtle", chunk=300)
    assert isomorphic(parsed(ttl.getvalue(), "turtle"), as_nt)
    js = io.StringIO()
    rdf.write(rdf.triples(rdf.rows_from_graph(g, reference_data())), js, "jsonld")
    assert isomorphic(validate.parse(js.getvalue(), "json-ld"), as_nt)
    parallel = io.StringIO()
    rdf.write_parallel(rdf.rows_from_graph(g, reference_data()), parallel, "nt", workers=2, chunk=2)
    assert parallel.getvalue() == exported_nt


@pytest.mark.unit
def test_from_files_streamed_and_in_memory_state_the_same_triples() -> None:
    rows = file_rows()
    data = reference_data()
    out = [ln + "\n" for ln in nt_text(rdf.rows_from_records(rows, data)).splitlines()]
    assert set(out) == {rdf.nt_line(*t) for t in rdf.triples(rdf.rows_from_records(rows, data))}
    ttl = io.StringIO()
    rdf.write(rdf.triples(rdf.rows_from_records(rows, data)), ttl, "turtle", chunk=300)
    assert isomorphic(parsed(ttl.getvalue(), "turtle"), parsed("".join(out)))


def broken(graph: Graph) -> Graph:
    """The export with one report without its term, a count that is no number, a citation of an
    article that is no Publication, an outcome of an unknown type and an article's PMID that is
    no number."""
    out = Graph()
    for t in graph:
        out.add(t)
    avanafil = "NCT00790751"
    rep = rdf.adverse_event_report_iri(avanafil, "acute myocardial infarction|cardiac disorders", True)
    out.remove((rep, TG.adverseEvent, None))
    out.remove((rep, TG.atRisk, None))
    out.add((rep, TG.atRisk, Literal("many")))
    cit = rdf.citation_iri(avanafil, "22248153")
    out.remove((cit, TG.publication, None))
    out.add((cit, TG.publication, URIRef("https://example.org/not-an-article")))
    outcome = rdf.outcome_iri("NCT00790751:primary:1")
    out.remove((outcome, TG.outcomeType, None))
    out.add((outcome, TG.outcomeType, Literal("tertiary")))
    pub = rdf.publication_iri("20664591")  # a shared node: checked apart from the trials
    out.remove((pub, TG.pmid, None))
    out.add((pub, TG.pmid, Literal("PMID20664591")))
    return out


@pytest.mark.integration
def test_results_export_conforms_and_a_broken_one_does_not(exported_nt: str, tmp_path: Path) -> None:
    graph = parsed(exported_nt)
    conforms, text = validate_graph(graph)
    assert conforms, text
    bad = broken(graph)
    conforms, text = validate_graph(bad)
    assert not conforms
    for word in ("adverseEvent", "atRisk", "publication", "outcomeType", "pmid"):
        assert word in text
    # the N-Triples validator (a trial at a time) finds what whole-graph validation finds
    good_file, bad_file = tmp_path / "good.nt", tmp_path / "bad.nt"
    good_file.write_text(exported_nt, encoding="utf-8")
    bad_file.write_text(bad.serialize(format="nt"), encoding="utf-8")
    assert validate.stream_results(good_file) == set()
    whole = validate.graph_results(bad)
    rep = rdf.adverse_event_report_iri("NCT00790751", "acute myocardial infarction|cardiac disorders", True)
    assert {r[0] for r in whole} == {str(rep), str(rdf.citation_iri("NCT00790751", "22248153")),
                                     str(rdf.outcome_iri("NCT00790751:primary:1")), str(rdf.publication_iri("20664591"))}
    assert validate.stream_results(bad_file, chunk=2, shared_chunk=7) == whole


@pytest.mark.unit
def test_results_from_files_conform() -> None:
    conforms, text = validate_graph(parsed(nt_text(rdf.rows_from_records(file_rows(), reference_data()))))
    assert conforms, text


@pytest.mark.integration
def test_every_results_term_is_declared_in_the_ontology(exported_nt: str) -> None:
    graph = parsed(exported_nt)
    onto = ontology()
    used = {p for p in graph.predicates() if str(p).startswith(str(TG))}
    used |= {o for o in graph.objects(None, RDF.type) if str(o).startswith(str(TG))}
    declared = {s for s in onto.subjects() if str(s).startswith(str(TG))}
    assert {TG.AdverseEventReport, TG.Citation, TG.OutcomeValue, TG.pValue} <= used
    assert used <= declared, sorted(used - declared)
    assert [term for term in used if onto.value(term, RDFS.label) is None] == []


@pytest.mark.integration
def test_indications(g: Gateway, tmp_path: Path) -> None:
    data = json.loads((FIXTURES / "indications" / "indications.json").read_text(encoding="utf-8"))
    write = (FIXTURES / "indications" / "write-indications.cypher").read_text(encoding="utf-8")
    remove = (FIXTURES / "indications" / "remove-indications.cypher").read_text(encoding="utf-8")
    g.write(write, {"indications": data["indications"], "source": "ChEMBL"})
    try:
        text = nt_text(rdf.rows_from_graph(g, reference_data()))
    finally:
        g.write(remove)
    graph = parsed(text)
    sorafenib, thyroid = rdf.drug_iri("sorafenib"), rdf.condition_iri("MESH:D013964")
    assert (sorafenib, TG.indicatedFor, thyroid) in graph
    ind = rdf.indication_iri("sorafenib", "MESH:D013964")
    assert (sorafenib, TG.hasIndication, ind) in graph and (ind, TG.condition, thyroid) in graph
    assert graph.value(ind, TG.maxPhase) == Literal("3.0", datatype=rdf.XSD.decimal)
    assert graph.value(ind, DCTERMS.source) == Literal("ChEMBL")
    assert {str(o) for o in graph.objects(rdf.drug_iri("lenvatinib"), TG.indicatedFor)} == {
        str(rdf.condition_iri("MESH:D013964")), str(rdf.condition_iri("MESH:D015179"))}
    conforms, report = validate_graph(graph)
    assert conforms, report
    out = [ln + "\n" for ln in text.splitlines()]
    assert [k for k, c in Counter(out).items() if c > 1] == []
