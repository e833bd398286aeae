"""The registry-scale reference tables (ontology/data/derived, ontology/registry.py).

Golden answers read by hand off the source files in ../shared/refdata (named per assertion)."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from trialgraph.ontology import reference_data
from trialgraph.ontology.registry import Registry, build_index, cache_dir, tables_digest
from trialgraph.ontology.resolve import Resolver

pytestmark = pytest.mark.unit


@pytest.fixture(scope="module")
def registry() -> Registry:
    path = cache_dir() / f"refdata-{tables_digest()}.sqlite"
    if not path.exists():
        build_index(path)
    return Registry(path)


@pytest.fixture(scope="module")
def resolver(registry: Registry) -> Resolver:
    return Resolver(reference_data(), registry)


def test_a_drug_the_curated_data_lacks_has_sourced_identity_mechanism_atc_and_indication(resolver, registry) -> None:
    # drugbank vocabulary.csv: DB09330 Osimertinib, UNII 3C06JJ0Z2O, synonym Mereletinib;
    # drugbank_mappings.tsv: DB09330 CHEMBL CHEMBL3353410
    d = resolver.drug("Osimertinib")
    assert d == "osimertinib" and d not in reference_data().drugs
    assert resolver.drug("Mereletinib") == "osimertinib"
    r = registry.drug(d)
    assert {"DRUGBANK:DB09330", "UNII:3C06JJ0Z2O", "CHEMBL.COMPOUND:CHEMBL3353410"} <= set(r.xrefs)
    # pharmgkb.drug.sssom.tsv: PA166131626 atc:L01EB04
    assert r.atc == ("L01EB04",)
    # chembl_mechanisms.csv: INHIBITOR CHEMBL3353410 -> CHEMBL203; chembl_targets.csv CHEMBL203 P00533;
    # hgnc_entries: P00533 is EGFR
    assert ("EGFR", "inhibitor", "chembl-36") in {(m.symbol, m.action, m.source) for m in registry.mechanisms(d)}
    # chembl_indications.csv: non-small cell lung carcinoma, max phase 4.0, CHEMBL3545063 (its
    # mesylate, in the same lspci cluster as DB09330); MeSH D002289 lists that term
    assert ("D002289", 4.0) in registry.indications(d)


def test_conditions_resolve_to_mesh_with_their_subtree(resolver, registry) -> None:
    # NCT05144867 (tests/fixtures/realdata) writes 'Breast Cancer', its conditionBrowseModule D001943
    r = resolver.condition("Breast Cancer")
    assert r.condition_id == "MESH:D001943" and r.name == "Breast Neoplasms"
    # mesh_id_label_mappings: D001943 trees C04.588.180|C17.800.090.500; D064726 Triple Negative
    # Breast Neoplasms C04.588.180.788 is under it
    assert registry.mesh("D001943").tree_numbers == ("C04.588.180", "C17.800.090.500")
    assert "MESH:D064726" in resolver.conditions("breast cancer")
    # an entry term of D006528 in MeSH: 'Carcinoma, Liver Cell'
    assert resolver.condition("Carcinoma, Liver Cell").condition_id == "MESH:D006528"


def test_the_curated_overlay_wins(resolver) -> None:
    # curated code names stay the curated drugs
    assert resolver.drug("SHR-1210") == "camrelizumab" and resolver.drug("AK105") == "penpulimab"
    assert resolver.targets("PD-1") == ("PDCD1",)


def test_the_committed_tables_match_their_manifest() -> None:
    import hashlib
    import json

    data = Path(__file__).resolve().parent.parent / "ontology" / "data" / "derived"
    manifest = json.loads((data / "manifest.json").read_text())
    for name, t in manifest["tables"].items():
        assert hashlib.sha256((data / name).read_bytes()).hexdigest() == t["sha256"], name
    notice = (data / "NOTICE.md").read_text()
    for lic in ("CC BY-SA 3.0", "CC BY-SA 4.0", "CC BY 4.0", "CC0 1.0"):
        assert lic in notice
    assert os.path.exists(data / "disagreements.tsv")


def test_the_writer_gives_a_registry_drug_its_mechanisms_and_indications(registry) -> None:
    from trialgraph.graph.writer import RowBuilder

    facts = dict(RowBuilder(reference_data(), registry).drug_facts(["osimertinib", "pembrolizumab"]))
    # osimertinib is not curated: written as a reference drug, acting on EGFR (ChEMBL 36, as above)
    (drug,) = facts["write-drugs"]["drugs"]
    assert drug["drug_id"] == "osimertinib" and drug["props"]["atc"] == ["L01EB04"]
    egfr = next(a for a in drug["acts_on"] if a["symbol"] == "EGFR")
    assert egfr["action"] == "inhibitor" and "chembl-36" in egfr["sources"]
    # both drugs' indications are replaced whole, as MeSH conditions (D002289: as above)
    assert facts["replace-INDICATED_FOR"]["rows"] == ["osimertinib", "pembrolizumab"]
    nsclc = {"start": "osimertinib", "end": "MESH:D002289", "props": {"max_phase": 4.0, "source": "chembl-36"}}
    assert nsclc in facts["write-INDICATED_FOR"]["rows"]
    conditions = {c["key"]: c["props"] for c in facts["write-Condition"]["rows"]}
    assert conditions["MESH:D002289"]["mesh_id"] == "D002289"


def test_a_misspelt_condition_is_not_taken_for_its_generic_last_word(resolver) -> None:
    # 'hepatocelular' (one l) is no MeSH term: the written words' run 'carcinoma' alone says only
    # "a carcinoma", so the condition stays unresolved (a query then answers "did you mean")
    assert not resolver.condition("hepatocelular carcinoma").resolved
    # a run that names a disease still does: MeSH D007172 Erectile Dysfunction
    assert resolver.condition("erectile dysfunction following radical prostatectomy").condition_id == "MESH:D007172"
