"""Entity resolution against the reference data."""

from __future__ import annotations

import pytest

from trialgraph.errors import ResolutionError
from trialgraph.ontology import default_resolver, reference_data

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
    from trialgraph.ontology.resolve import country_code, site_key, sponsor_key

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
