"""Entity resolution against the reference data."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from trialgraph.errors import ResolutionError
from trialgraph.ontology import Resolver, default_resolver, reference_data

pytestmark = pytest.mark.unit


@pytest.mark.parametrize(
    "name, drug",
    [
        ("AK105", "penpulimab"), ("AK105 Injection", "penpulimab"), ("Penpulimab", "penpulimab"),
        ("Penpulimab (AK105)", "penpulimab"), ("JS001", "toripalimab"), ("Toripalimab", "toripalimab"),
        ("TQB2450 injection", "benmelstobart"), ("TQB-2450", "benmelstobart"),
        ("Anlotinib Hydrochloride Capsules", "anlotinib"), ("Anlotinib hydrochloride capsules", "anlotinib"),
        ("Anlotinib", "anlotinib"), ("Sorafenib Tosylate Tablets", "sorafenib"), ("Nexavar", "sorafenib"),
        ("lenvatinib", "lenvatinib"), ("Lenvatinib mesylate capsules", "lenvatinib"),
    ],
)
def test_drug_spellings_resolve_to_one_drug(name: str, drug: str) -> None:
    r = default_resolver().intervention(name)
    assert r.drugs == (drug,) and not r.placebo and not r.unresolved


# Aliases collected from the sources named (ontology/data/drugs.toml): each spelling, the drug it
# names, and the source that says so. Registry spellings add salts, forms and hyphens.
SOURCED_ALIASES = [
    ("MK-3475", "pembrolizumab", "jir-2021-6661406"), ("Keytruda", "pembrolizumab", "jir-2021-6661406"),
    ("lambrolizumab", "pembrolizumab", "wikipedia-pembrolizumab"),
    ("ONO-4538", "nivolumab", "nci-drug-dictionary-nivolumab"), ("BMS-936558", "nivolumab", "nci-drug-dictionary-nivolumab"),
    ("MDX1106", "nivolumab", "jir-2021-6661406"), ("Opdivo", "nivolumab", "nci-drug-dictionary-nivolumab"),
    ("REGN2810", "cemiplimab", "wikipedia-cemiplimab"), ("cemiplimab-rwlc", "cemiplimab", "PMID:30456447"),
    ("Libtayo", "cemiplimab", "PMID:30456447"), ("Jemperli", "dostarlimab", "jemperli-label"),
    ("dostarlimab-gxly", "dostarlimab", "jemperli-label"), ("BGB-A317", "tislelizumab", "beigene-tislelizumab-moa"),
    ("Tevimbra", "tislelizumab", "tevimbra-smpc"), ("tislelizumab-jsgr", "tislelizumab", "pharmaletter-tevimbra-2024"),
    ("SHR-1210", "camrelizumab", "ctgov-NCT03764293"), ("AiRuiKa", "camrelizumab", "camrelizumab-first-approval"),
    ("IBI308", "sintilimab", "wikipedia-sintilimab"), ("Tyvyt", "sintilimab", "PMC7726413"),
    ("HX008", "pucotenlimab", "maestro-pucotenlimab-2022"), ("Puyouheng", "pucotenlimab", "maestro-pucotenlimab-2022"),
    ("Anyouping", "finotonlimab", "apexonco-china-pd-l1-2025"),
    ("MPDL3280A", "atezolizumab", "jir-2021-6661406"), ("Tecentriq", "atezolizumab", "jir-2021-6661406"),
    ("MEDI4736", "durvalumab", "jir-2021-6661406"), ("Imfinzi", "durvalumab", "jir-2021-6661406"),
    ("MSB0010718C", "avelumab", "jir-2021-6661406"), ("Bavencio", "avelumab", "jir-2021-6661406"),
    ("Ariely", "adebrelimab", "apexonco-china-pd-l1-2025"),
    ("AK104", "cadonilimab", "doi:10.1007/s40265-022-01761-9"), ("AK112", "ivonescimab", "ppc-ivonescimab-2023"),
    ("SMT112", "ivonescimab", "ppc-ivonescimab-2023"), ("MDX-010", "ipilimumab", "wikipedia-ipilimumab"),
    ("Yervoy", "ipilimumab", "wikipedia-ipilimumab"), ("CP-675,206", "tremelimumab", "gtopdb-8462"),
    ("ticilimumab", "tremelimumab", "gtopdb-8462"), ("Imjudo", "tremelimumab", "gtopdb-8462"),
    ("Apatinib Mesylate", "apatinib", "ctgov-NCT03764293"),
    # VEGF/VEGFR-pathway agents
    ("Inlyta", "axitinib", "ashp-axitinib"), ("BAY 73-4506", "regorafenib", "PMC5844550"),
    ("Stivarga", "regorafenib", "PMC5844550"), ("ZD6474", "vandetanib", "aacr-ccr-vandetanib"),
    ("Caprelsa", "vandetanib", "aacr-ccr-vandetanib"), ("Zactima", "vandetanib", "hemonc-vandetanib"),
    ("AV-951", "tivozanib", "haberkorn-tivozanib"), ("KRN951", "tivozanib", "haberkorn-tivozanib"),
    ("Fotivda", "tivozanib", "adis-tivozanib-2017"), ("HMPL-013", "fruquintinib", "hutchmed-fruquintinib"),
    ("Elunate", "fruquintinib", "chimed-elunate-2018"), ("Sulanda", "surufatinib", "doi:10.1007/s40265-021-01489-y"),
    ("Sulfatinib", "surufatinib", "hutchmed-sulfatinib"), ("HMPL-012", "surufatinib", "hutchmed-sulfatinib"),
    ("BIBF 1120", "nintedanib", "PMID:26677336"), ("Vargatef", "nintedanib", "mims-vargatef"),
    ("Zepsun", "donafenib", "doi:10.1007/s40265-021-01603-0"),
    ("Donafenib Tosylate Tablets", "donafenib", "doi:10.1007/s40265-021-01603-0"),
    ("Beovu", "brolucizumab", "doi:10.1038/s41433-020-0831-2"), ("Vabysmo", "faricimab", "PMID:35474059"),
    ("faricimab-svoa", "faricimab", "PMID:35474059"), ("KH902", "conbercept", "nihr-conbercept"),
    ("Lumitin", "conbercept", "wikipedia-conbercept"),
    # checkpoint antibodies approved since the first list
    ("INCMGA00012", "retifanlimab", "tabs-retifanlimab"), ("MGA012", "retifanlimab", "tabs-retifanlimab"),
    ("Zynyz", "retifanlimab", "tabs-retifanlimab"), ("retifanlimab-dlwr", "retifanlimab", "tabs-retifanlimab"),
    ("HLX10", "serplulimab", "tabs-serplulimab"), ("Hetronifly", "serplulimab", "tabs-serplulimab"),
    ("CK-301", "cosibelimab", "checkpoint-ck301"), ("TG-1501", "cosibelimab", "tgtx-tg1501"),
    ("Unloxcyt", "cosibelimab", "unloxcyt-label"), ("cosibelimab-ipdl", "cosibelimab", "unloxcyt-label"),
    ("QL1706", "iparomlimab-tuvonralimab", "NCIT:C162774"), ("PSB205", "iparomlimab-tuvonralimab", "PMID:37158938"),
    ("Erbitux", "cetuximab", "nrdd-2005-erbitux"), ("Rivoceranib", "apatinib", "lskb-rivoceranib-2019"),
    ("Aitan", "apatinib", "koreabiomed-rivoceranib"), ("Enshuxing", "enlonstobart", "sumgen-enlonstobart"),
    ("恩朗苏拜单抗注射液", "enlonstobart", "cspc-enlonstobart-2024"),
]


@pytest.mark.parametrize("alias, drug, source", SOURCED_ALIASES)
def test_sourced_aliases_resolve_and_their_drug_cites_the_source(alias: str, drug: str, source: str) -> None:
    assert default_resolver().intervention(alias).drugs == (drug,)
    assert source in reference_data().drugs[drug].sources, f"{drug} does not cite {source}"


@pytest.mark.parametrize(
    "name, drugs",
    [  # intervention names as registries write them (ClinicalTrials.gov titles and arms)
        ("PD-1 Antibody SHR-1210", ("camrelizumab",)), ("SHR-1210 plus Apatinib Mesylate", ("camrelizumab", "apatinib")),
        ("Durvalumab + Tremelimumab", ("durvalumab", "tremelimumab")), ("Nivolumab and Ipilimumab", ("nivolumab", "ipilimumab")),
        ("Pembrolizumab Injection", ("pembrolizumab",)), ("Tislelizumab (BGB-A317)", ("tislelizumab",)),
        ("anti-PD-L1 monoclonal antibody TQB2450", ("benmelstobart",)),
        # a class with no name in it is not guessed to be any drug of the class
        ("Anti-PD-1 antibody", ()), ("PD-1 inhibitor", ()), ("Recombinant Humanized Anti-PD-1 Monoclonal Antibody", ()),
    ],
)
def test_registry_spellings_of_checkpoint_combinations(name: str, drugs: tuple[str, ...]) -> None:
    assert default_resolver().intervention(name).drugs == drugs


def test_every_checkpoint_antibody_acts_on_its_checkpoint() -> None:
    data = reference_data()
    on = {d.id: {s for a in d.acts_on for s in a.symbols} for d in data.drugs.values()}
    for drug in ("pembrolizumab", "nivolumab", "cemiplimab", "dostarlimab", "tislelizumab", "camrelizumab", "sintilimab",
                 "zimberelimab", "pucotenlimab", "finotonlimab", "toripalimab", "penpulimab", "retifanlimab", "serplulimab",
                 "enlonstobart"):
        assert on[drug] == {"PDCD1"}, drug
    for drug in ("atezolizumab", "durvalumab", "avelumab", "envafolimab", "sugemalimab", "adebrelimab", "socazolimab",
                 "tagitanlimab", "benmelstobart", "cosibelimab"):
        assert on[drug] == {"CD274"}, drug
    assert on["ipilimumab"] == on["tremelimumab"] == {"CTLA4"} and on["cadonilimab"] == {"PDCD1", "CTLA4"}
    assert on["iparomlimab-tuvonralimab"] == {"PDCD1", "CTLA4"}  # a mixture of two antibodies, one per checkpoint


def test_every_vegf_pathway_agent_acts_on_a_ligand_or_a_receptor_of_the_pathway() -> None:
    data, res = reference_data(), default_resolver()
    on = {d.id: {s for a in d.acts_on for s in a.symbols} for d in data.drugs.values()}
    receptors, ligands = set(res.targets("VEGFR")), {"VEGFA", "VEGFB", "PGF"}
    kinase_inhibitors = ("sorafenib", "sunitinib", "pazopanib", "axitinib", "cabozantinib", "lenvatinib", "regorafenib",
                         "vandetanib", "tivozanib", "apatinib", "anlotinib", "fruquintinib", "surufatinib", "nintedanib")
    for drug in kinase_inhibitors:
        assert on[drug] & receptors and not on[drug] & ligands, drug
    for drug in ("bevacizumab", "ranibizumab", "brolucizumab", "aflibercept", "conbercept", "faricimab"):
        assert on[drug] & ligands and not on[drug] & receptors, drug  # they bind the ligand, not its receptor
    assert on["ramucirumab"] == {"KDR"}
    # a query by family finds the kinase inhibitors, a query by ligand the ligand binders
    assert {d for d, t in on.items() if t & receptors} >= set(kinase_inhibitors)
    assert on["faricimab"] == {"VEGFA", "ANGPT2"} and res.targets("Ang-2") == ("ANGPT2",)
    assert res.targets("TIE2") == ("TEK",) and "TEK" in on["regorafenib"]
    # donafenib's source names its targets by family only: it is in the reference data, with no acts_on
    assert "donafenib" in data.drugs and on["donafenib"] == set()


def test_an_antibody_against_the_ligand_does_not_act_on_the_receptor() -> None:
    data, res = reference_data(), default_resolver()
    on = {d.id: {s for a in d.acts_on for s in a.symbols} for d in data.drugs.values()}
    receptors = set(res.targets("VEGFR"))
    assert receptors == {"FLT1", "KDR", "FLT4"} and res.targets("VEGF") == ("VEGFA",)
    assert on["bevacizumab"] == {"VEGFA"} and not on["bevacizumab"] & receptors  # binds VEGF-A, not VEGFR2
    assert on["aflibercept"] == {"VEGFA", "VEGFB", "PGF"} and not on["aflibercept"] & receptors
    assert on["ramucirumab"] == {"KDR"}  # the antibody against the receptor itself
    assert "VEGFA" not in data.members("VEGFR")


def test_combination_product_maps_to_both_drugs() -> None:
    r = default_resolver().intervention("Toripalimab combined with Lenvatinib")
    assert set(r.drugs) == {"toripalimab", "lenvatinib"} and not r.placebo


def test_placebo_is_recognised_and_is_no_drug() -> None:
    res = default_resolver()
    assert res.intervention("Placebo").placebo and res.intervention("Placebo").drugs == ()
    r = res.intervention("Placebo combined with Lenvatinib")
    assert r.placebo and r.drugs == ("lenvatinib",)


def test_unknown_drug_is_kept_unresolved_not_guessed() -> None:
    r = default_resolver().intervention("Some new compound XYZ-9")
    assert r.drugs == () and r.unresolved == ("Some new compound XYZ-9",)
    # a name with "and" that does not split into known drugs is not split
    assert default_resolver().intervention("Diet and exercise").unresolved == ("Diet and exercise",)


def test_drugs_link_to_targets() -> None:
    data = reference_data()
    targets = {d.id: {s for a in d.acts_on for s in a.symbols} for d in data.drugs.values()}
    assert targets["penpulimab"] == {"PDCD1"} and targets["toripalimab"] == {"PDCD1"}
    assert targets["benmelstobart"] == {"CD274"}  # a PD-L1 antibody, not a PD-1 one
    assert {"FLT1", "KDR", "FLT4"} <= targets["lenvatinib"]
    assert {"KDR", "FLT4"} <= targets["anlotinib"]


@pytest.mark.parametrize("alias", ["PD-1", "PDCD1", "pd1", "programmed cell death protein 1"])
def test_target_aliases(alias: str) -> None:
    assert default_resolver().targets(alias) == ("PDCD1",)


def test_family_expands_to_members() -> None:
    assert set(default_resolver().targets("VEGFR")) == {"FLT1", "KDR", "FLT4"}
    with pytest.raises(ResolutionError, match="unknown target"):
        default_resolver().targets("not-a-target")


@pytest.mark.parametrize(
    "text, qualifiers",
    [
        ("Advanced Hepatocellular Carcinoma (HCC)", ("advanced",)),
        ("Hepatocellular Carcinoma", ()),
        ("Carcinoma, Hepatocellular", ()),
        ("HCC", ()),
        ("hepatocellular carcinoma", ()),
    ],
)
def test_hcc_spellings_are_one_condition(text: str, qualifiers: tuple[str, ...]) -> None:
    r = default_resolver().condition(text)
    assert r.resolved and r.condition_id == "MESH:D006528" and r.qualifiers == qualifiers


def test_unknown_condition_is_kept_as_text() -> None:
    r = default_resolver().condition("Adjuvant Therapy")
    assert not r.resolved and r.name == "Adjuvant Therapy"


def test_every_reference_fact_cites_a_defined_source() -> None:
    data = reference_data()
    cited = {s for d in data.drugs.values() for s in (*d.sources, *(x for a in d.acts_on for x in a.sources))}
    cited |= {s for t in data.targets.values() for s in t.sources}
    cited |= {s for c in data.conditions.values() for s in c.sources}
    assert cited and cited <= set(data.sources)
    assert all(s.citation for s in data.sources.values())


def test_sponsor_and_site_keys() -> None:
    from trialgraph.ontology.resolve import country_code, sponsor_key
    from trialgraph.ontology.sites import site_key

    # the issue's example: one sponsor
    assert sponsor_key("Shanghai Junshi Bioscience Co., Ltd.") == sponsor_key("Shanghai Junshi Biosciences")
    assert sponsor_key("Chinese Academy of Medical Sciences") == sponsor_key("Chinese academy of medical science")
    assert sponsor_key("Akeso") != sponsor_key("Akesobio")
    # ISO 3166-1 alpha-2 (pycountry's ISO tables)
    assert [country_code(c) for c in ("China", "United States", "Korea, Republic of", "Türkiye", "Turkey", "Atlantis")] == [
        "CN", "US", "KR", "TR", "TR", None,
    ]
    assert site_key("Seoul National University Hospital", "Seoul", "Korea, Republic of") == site_key(
        "Seoul National University Hospital", "Seoul", "South Korea")


CTGOV_FIXTURES = Path(__file__).resolve().parent / "fixtures" / "ctgov"


def _record(nct: str) -> dict:
    """A real ClinicalTrials.gov API v2 record of the fixtures, as JSON."""
    return json.loads((CTGOV_FIXTURES / f"{nct}.json").read_text(encoding="utf-8"))


def _conditions_of(nct: str) -> dict[str, str]:
    """As written -> condition id, for a real ClinicalTrials.gov record of the fixtures."""
    from trialgraph.loaders.base import load_text
    from trialgraph.ontology.normalize import normalize

    path = CTGOV_FIXTURES / f"{nct}.json"
    (trial,) = load_text(path.read_text(encoding="utf-8"), path.name)
    return {text: res.condition_id for text, res in normalize(trial, default_resolver()).conditions}


def test_the_records_own_mesh_descriptors_resolve_the_conditions_it_names() -> None:
    # NCT04267848 lists 'Lung Non-Small Cell Carcinoma' and the registry assigned D002289
    # 'Carcinoma, Non-Small-Cell Lung': the same words in another order are that descriptor.
    got = _conditions_of("NCT04267848")
    assert got["Lung Non-Small Cell Carcinoma"] == "MESH:D002289"
    # a condition holding a name ('lung cancer') of a descriptor the record assigned (D008175 'Lung
    # Neoplasms') is that condition: the record's own vocabulary and its text agree
    assert got["Stage II Lung Cancer AJCC v8"] == "MESH:D008175"
    # a condition with no descriptor of its own words, and holding no name of one, stays text,
    # not guessed to be a neighbour
    assert got["Lung Non-Small Cell Squamous Carcinoma"].startswith("text:")


def test_legacy_xml_mesh_terms_resolve_like_api_descriptors() -> None:
    # NCT01642004 (legacy XML) names 'Squamous Cell Non-small Cell Lung Cancer' and its
    # condition_browse gives the heading 'Carcinoma, Non-Small-Cell Lung' (no id): the heading is the
    # reference data's D002289, and the text holds its synonym 'Non-Small Cell Lung Cancer'
    from trialgraph.loaders.base import load_text

    path = Path(__file__).parent / "fixtures" / "ctgov_xml" / "NCT01642004.xml"
    (trial,) = load_text(path.read_text(encoding="utf-8"), path.name)
    assert [m.term for m in trial.condition_mesh] == ["Lung Neoplasms", "Carcinoma, Non-Small-Cell Lung"]
    assert [m.term for m in trial.intervention_mesh] == ["Docetaxel", "Nivolumab", "Antibodies, Monoclonal"]
    res = default_resolver().condition("Squamous Cell Non-small Cell Lung Cancer", trial.condition_mesh)
    assert res.condition_id == "MESH:D002289"
    # without the record's descriptors the curated data alone does not guess (issue 17's rule)
    curated = Resolver(reference_data())
    assert not curated.condition("Squamous Cell Non-small Cell Lung Cancer", []).resolved


def test_a_descriptor_the_reference_data_knows_becomes_the_reference_condition() -> None:
    from types import SimpleNamespace

    res = default_resolver().condition("Carcinoma, Liver Cell", [SimpleNamespace(id="D006528", term="Liver Cell Carcinoma")])
    assert res.condition_id == "MESH:D006528" and res.name == reference_data().conditions["MESH:D006528"].name
    res = Resolver(reference_data()).condition("Carcinoma, Liver Cell", [])
    assert not res.resolved  # without the record's descriptor, the curated data does not guess


def test_drug_identifiers_are_well_formed_curies() -> None:
    from pydantic import ValidationError

    from trialgraph.ontology.reference import Xrefs

    for d in reference_data().drugs.values():
        assert len(set(d.identifiers)) == len(d.identifiers), d.id
    with pytest.raises(ValidationError, match="unknown prefix"):
        Xrefs(ids=("DRUGBNK:DB00398",), sources=("s",))
    with pytest.raises(ValidationError, match="a DRUGBANK id matches"):
        Xrefs(ids=("DRUGBANK:00398",), sources=("s",))


def test_drug_mesh_ids_are_the_ones_the_records_assigned() -> None:
    """A MeSH id cited from a ClinicalTrials.gov record is one that record's intervention MeSH
    terms hold, for a term that names the same drug."""
    data, res = reference_data(), default_resolver()
    checked = 0
    for d in data.drugs.values():
        for x in d.xrefs:
            for curie in (i for i in x.ids if i.startswith("MESH:")):
                for src in (s for s in x.sources if s.startswith("ctgov-")):
                    record = _record(src.removeprefix("ctgov-"))
                    meshes = record["derivedSection"]["interventionBrowseModule"]["meshes"]
                    terms = [m["term"] for m in meshes if m["id"] == curie.removeprefix("MESH:")]
                    assert terms and res.drug(terms[0]) == d.id, (d.id, curie, src)
                    checked += 1
    assert checked >= 18
    # identifiers resolve as names, so a query may name a drug by one
    assert res.drug("DRUGBANK:DB00398") == "sorafenib" and res.drug("MESH:D016190") == "carboplatin"
    assert "ATC:L01EX02" in data.drugs["sorafenib"].identifiers


def test_drug_identifiers_become_exact_matches_in_rdf() -> None:
    from trialgraph.graph import rdf

    props = {"drug_id": "carboplatin", "name": "carboplatin", "xrefs": ["MESH:D016190", "DRUGBANK:DB00398", "NCIT:C1"]}
    matches = {str(o) for _, p, o in rdf.drug_triples(props, ()) if str(p).endswith("exactMatch")}
    assert matches == {"http://id.nlm.nih.gov/mesh/D016190", "https://bioregistry.io/drugbank:DB00398",
                       "http://purl.obolibrary.org/obo/NCIT_C1"}


@pytest.mark.parametrize(
    "written, condition, qualifiers",
    [  # condition names as the real records write them
        ("Non-small Cell Lung Cancer", "MESH:D002289", ()),  # NCT05288205, NCT05786924
        ("Non Small Cell Lung Cancer", "MESH:D002289", ()),  # NCT02679963
        ("NSCLC", "MESH:D002289", ()), ("Recurrent NSCLC", "MESH:D002289", ("recurrent",)),  # NCT05786924
        ("Metastatic Lung Cancer", "MESH:D008175", ("metastatic",)), ("Lung Cancer", "MESH:D008175", ()),
        ("Pancreas Cancer", "MESH:D010190", ()), ("Pancreatic Cancer", "MESH:D010190", ()),
        ("Gastric Cancer", "MESH:D013274", ()), ("Colon Cancer", "MESH:D003110", ()),
        ("Rectal Cancer", "MESH:D012004", ()), ("Thyroid Cancer", "MESH:D013964", ()),
        ("Colorectal Cancer", "MESH:D015179", ()),
    ],
)
def test_registry_condition_names_resolve(written: str, condition: str, qualifiers: tuple[str, ...]) -> None:
    r = default_resolver().condition(written)
    assert (r.condition_id, r.qualifiers) == (condition, qualifiers)


def test_condition_mesh_ids_are_the_ones_the_records_assigned() -> None:
    """A reference condition that cites a ClinicalTrials.gov record carries a descriptor that
    record's condition MeSH terms hold, under the same heading."""
    checked = 0
    for c in reference_data().conditions.values():
        for src in (s for s in c.sources if s.startswith("ctgov-")):
            nct = src.removeprefix("ctgov-").split("-")[0]
            record = _record(nct)
            meshes = {m["id"]: m["term"] for m in record["derivedSection"]["conditionBrowseModule"]["meshes"]}
            assert meshes.get(c.mesh) == c.mesh_heading, (c.id, src)
            checked += 1
    assert checked >= 9


def test_conditions_under_a_broader_one() -> None:
    data = reference_data()
    assert data.narrower("MESH:D008175") == ("MESH:D002289", "MESH:D008175")  # lung: NSCLC under it
    assert data.narrower("MESH:D010190") == ("MESH:D010190", "MESH:D021441")  # pancreas: ductal carcinoma
    assert default_resolver().conditions("NSCLC") == ("MESH:D002289",)


def test_target_identifiers() -> None:
    import re

    targets = reference_data().targets.values()
    ids = [t.hgnc_id for t in targets if t.hgnc_id]
    assert all(re.fullmatch(r"HGNC:\d+", i) for i in ids) and len(set(ids)) == len(ids)
    # the kinases, receptors and checkpoints drugs act on all carry one; three ligands are still
    # without, and TIGIT (rilvegostomig's second arm), whose HGNC id no source at hand states
    assert {t.symbol for t in targets if not t.hgnc_id} == {"VEGFB", "PGF", "ANGPT2", "TIGIT"}
    by_symbol = {t.symbol: t.hgnc_id for t in targets}
    assert (by_symbol["KDR"], by_symbol["PDCD1"], by_symbol["VEGFA"]) == ("HGNC:6307", "HGNC:8760", "HGNC:12680")
