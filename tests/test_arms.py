"""What an arm gives (ontology/arms.py): alternatives, optional drugs and regimen strings, read
from arm and intervention texts. Every text below is quoted from a registry record (the NCT id
says which; the records are in tests/fixtures/combination_audit/records/), and every expected
structure is what the text says, read by a person."""

from __future__ import annotations

import pytest

from trialgraph.ontology.arms import arm_option_groups, split_regimen
from trialgraph.ontology.reference import reference_data
from trialgraph.ontology.resolve import default_resolver

pytestmark = pytest.mark.unit


def groups(label: str, description: str, interventions: dict[str, tuple[str, ...]]) -> dict[str, str]:
    return arm_option_groups((label, description), interventions, {}, default_resolver())


def alternatives(g: dict[str, str]) -> list[set[str]]:
    """The groups of alternatives (two or more members), as sets of intervention names."""
    out: dict[str, set[str]] = {}
    for name, group in g.items():
        out.setdefault(group, set()).add(name)
    return sorted((s for k, s in out.items() if not k.startswith("optional")), key=sorted)


def optional(g: dict[str, str]) -> set[str]:
    return {n for n, group in g.items() if group.startswith("optional")}


# -- alternative forms -------------------------------------------------------------------------
def test_physicians_choice_of_either_a_or_b() -> None:
    # NCT06282575, standard-of-care arm
    g = groups("Standard-of-care Therapy Arm",
               "Standard of care treatment of CisGem with or without a PD-1/L1 inhibitor. PD-1/L1 inhibitor will be "
               "physician's choice of either Durvalumab or Pembrolizumab, where approved under local regulations.",
               {"Cisplatin": ("cisplatin",), "Gemcitabine": ("gemcitabine",), "Pembrolizumab": ("pembrolizumab",),
                "Durvalumab": ("durvalumab",)})
    assert alternatives(g) == [{"Durvalumab", "Pembrolizumab"}]
    assert "Cisplatin" not in g and "Gemcitabine" not in g  # the backbone is given to every participant


def test_either_a_or_b_along_with_a_regimen() -> None:
    # NCT06750094, arm B: the FOLFIRI drugs are given to all, with one of the two antibodies
    g = groups("Arm B: Cetuximab or Bevacizumab + FOLFIRI",
               "Participants will receive either cetuximab or bevacizumab along with FOLFIRI as a chemotherapy regimen",
               {"Cetuximab": ("cetuximab",), "Bevacizumab": ("bevacizumab",), "5-fluorouracil": ("fluorouracil",),
                "Irinotecan": ("irinotecan",)})
    assert alternatives(g) == [{"Bevacizumab", "Cetuximab"}] and not optional(g)


def test_x_alone_or_x_in_combination_with_y() -> None:
    # NCT04892173, arm A: cetuximab is given to some participants only
    g = groups("Arm A", "JNJ-90301900 (NBTXR3), as an intratumoral/intranodal injection, activated by investigator's "
               "choice of RT alone or RT in combination with cetuximab.",
               {"JNJ-90301900 (NBTXR3)": ("unresolved:jnj90301900nbtxr3",), "Cetuximab": ("cetuximab",)})
    assert optional(g) == {"Cetuximab"} and not alternatives(g)


def test_with_or_without() -> None:
    # NCT06282575: "CisGem with or without a PD-1/L1 inhibitor" (a class, so nothing of CisGem is optional)
    g = groups("Zanidatamab with Standard-of-care Therapy Arm",
               "Zanidatamab plus standard of care treatment of CisGem with or without a PD-1/L1 inhibitor.",
               {"Zanidatamab": ("unresolved:zanidatamab",), "Cisplatin": ("cisplatin",), "Gemcitabine": ("gemcitabine",)})
    assert g == {}


@pytest.mark.parametrize("label", ["camizestrant ± abemaciclib", "Sevoflurane 0.2% +/- 30% Nitrous oxide"])
def test_plus_minus_marks_the_next_drug_optional(label: str) -> None:
    # NCT05952557 arm B; NCT00000262
    if "camizestrant" in label:
        iv = {"Camizestrant": ("unresolved:camizestrant",), "Abemaciclib": ("unresolved:abemaciclib",)}
        expected = {"Abemaciclib"}
    else:
        iv = {"30% Nitrous oxide": ("unresolved:30nitrousoxide",), "0.2% sevoflurane": ("unresolved:02sevoflurane",)}
        expected = {"30% Nitrous oxide"}
    assert optional(groups(label, label, iv)) == expected


def test_choice_between_classes_makes_the_regimens_alternatives() -> None:
    # NCT06346392: one regimen of the investigator's choice; apatinib is given alone, ramucirumab with paclitaxel
    iv = {"Ramucirumab+ paclitaxel": ("ramucirumab", "paclitaxel"), "Paclitaxel": ("paclitaxel",),
          "Docetaxel": ("docetaxel",), "Irinotecan": ("irinotecan",), "TAS-102": ("trifluridine-tipiracil",),
          "Apatinib": ("apatinib",)}
    g = groups("Investigator's choice arm", "Participants in the Investigator's choice arm will receive a regimen of "
               "Investigator's choice, including regionally accepted chemotherapies or targeted therapies.", iv)
    assert alternatives(g) == [set(iv)]


def test_two_drugs_on_one_target_not_joined_are_alternatives() -> None:
    # NCT06532149, cohort C (observational): three PD-1 antibodies, none joined to another
    g = groups("Cohort C", "Male patients diagnosed with advanced/metastatic non oncogene-addicted NSCLC, who are "
               "receving immunotherapy (single agent or combintions without cytotoxic agents)",
               {"Pembrolizumab": ("pembrolizumab",), "Cemiplimab": ("cemiplimab",), "Nivolumab": ("nivolumab",)})
    assert alternatives(g) == [{"Cemiplimab", "Nivolumab", "Pembrolizumab"}]


def test_two_drugs_on_one_target_joined_by_plus_stay_together() -> None:
    # NCT00491738 arm 1 gives bevacizumab and sunitinib (different targets); two VEGFR kinase
    # inhibitors joined by '+' (NCT00495872 style labels) are a combination
    g = groups("Sorafenib + Sunitinib", "", {"Sorafenib": ("sorafenib",), "Sunitinib": ("sunitinib",)})
    assert g == {}


# -- what must stay a combination ----------------------------------------------------------------
@pytest.mark.parametrize(
    ("nct", "label", "description", "interventions"),
    [
        ("NCT04267848", "Arm C (platinum doublet, combination pembrolizumab)",
         "INITIAL THERAPY: Patients receive 1 of 4 platinum doublet regimens\\* based on the treating physician's "
         "choice of each cycle and pembrolizumab IV over 25-40 minutes on day 1 of each cycle or for cycles 1 and 3 "
         "(patients enrolled after 10/14/2020). Treatment repeats every 21 days for 4 cycles in the absence of disease "
         "progression or unacceptable toxicity.",
         {"Carboplatin": ("carboplatin",), "Pembrolizumab": ("pembrolizumab",), "Paclitaxel": ("paclitaxel",)}),
        ("NCT06103864", "Investigator's Choice of Chemotherapy (ICC) in combination with pembrolizumab",
         "Arm 2: Investigator's Choice of Chemotherapy (ICC) in combination with pembrolizumab (paclitaxel, "
         "nab-paclitaxel, or gemcitabine + carboplatin)",
         {"Paclitaxel": ("paclitaxel",), "Gemcitabine": ("gemcitabine",), "Carboplatin": ("carboplatin",),
          "Pembrolizumab": ("pembrolizumab",)}),
        ("NCT06119581", "Part B: LY3537982 plus Pembrolizumab, Pemetrexed, and Platinum",
         "LY3537982 administered orally in combination with pembrolizumab, pemetrexed, and platinum (cisplatin or "
         "carboplatin) administered IV in 21-day cycles.",
         {"LY3537982": ("olomorasib",), "Pembrolizumab": ("pembrolizumab",), "Cisplatin": ("cisplatin",),
          "Carboplatin": ("carboplatin",), "Pemetrexed": ("pemetrexed",)}),
        ("NCT06692738", "Arm B", "Pembrolizumab in combination with carboplatin and paclitaxel or nab-paclitaxel "
         "followed by pembrolizumab",
         {"Pembrolizumab": ("pembrolizumab",), "Carboplatin": ("carboplatin",), "Paclitaxel": ("paclitaxel",),
          "Nab-paclitaxel": ("unresolved:nabpaclitaxel",)}),
    ],
)
def test_or_elsewhere_leaves_the_checkpoint_drug_given_to_all(nct: str, label: str, description: str,
                                                             interventions: dict[str, tuple[str, ...]]) -> None:
    g = groups(label, description, interventions)
    assert "Pembrolizumab" not in g and "LY3537982" not in g, (nct, g)


# -- recall gaps: regimen strings, fixed-dose combinations, bispecifics, code names ---------------
@pytest.mark.parametrize(
    ("nct", "name", "drugs", "alternative"),
    [
        ("NCT06726265", "cisplatin or carboplatin + pemetrexed", {"cisplatin", "carboplatin", "pemetrexed"},
         {"cisplatin", "carboplatin"}),
        ("NCT00500292", "FOLFOX regimen=oxaliplatin, fluorouracil, & folinic acid",
         {"oxaliplatin", "fluorouracil", "leucovorin"}, set()),
        ("NCT03424005", "Chemotherapy (Gemcitabine + Carboplatin or Eribulin)", {"gemcitabine", "carboplatin", "eribulin"},
         {"carboplatin", "eribulin"}),
        ("NCT06194448", "Cisplatin or Carboplatin; Pemetrexed or Paclitaxel",
         {"cisplatin", "carboplatin", "pemetrexed", "paclitaxel"}, {"cisplatin", "carboplatin"}),
        ("NCT06646276", "BMS-986489 (BMS-986012+Nivolumab)", {"bms-986012", "nivolumab"}, set()),
    ],
)
def test_regimen_strings_are_split_with_their_alternatives(nct: str, name: str, drugs: set[str],
                                                           alternative: set[str]) -> None:
    split = split_regimen(name, default_resolver())
    assert split is not None, nct
    got, grouped = split
    assert set(got) == drugs
    first = {d for d, g in grouped.items() if g == grouped.get(next(iter(alternative)), None)} if alternative else set()
    assert first == alternative


def test_a_name_with_other_words_is_not_split() -> None:
    assert split_regimen("Pembrolizumab until progression or unacceptable toxicity", default_resolver()) is None


@pytest.mark.parametrize(
    ("name", "drug", "targets"),
    [
        ("Rilvegostomig", "rilvegostomig", {"PDCD1", "TIGIT"}),   # NCT06764875
        ("AZD2936", "rilvegostomig", {"PDCD1", "TIGIT"}),
        ("Volrustomig", "volrustomig", {"PDCD1", "CTLA4"}),       # NCT05984277
        ("MEDI5752", "volrustomig", {"PDCD1", "CTLA4"}),
        ("Amivantamab", "amivantamab", {"EGFR", "MET"}),          # NCT06662786
        ("Famitinib", "famitinib", {"KDR", "KIT", "PDGFRB"}),
        ("LY3537982", "olomorasib", set()),                       # NCT06119581: other name Olomorasib
        ("Olomorasib", "olomorasib", set()),
    ],
)
def test_bispecifics_and_code_names_resolve_with_their_mechanisms(name: str, drug: str, targets: set[str]) -> None:
    r = default_resolver().intervention(name)
    assert r.drugs == (drug,)
    d = reference_data().drugs[drug]
    assert {s for a in d.acts_on for s in a.symbols} == targets


def test_two_doses_of_one_unknown_drug_are_one_drug() -> None:
    # NCT00000250: "inhaling 0% and 40% N2O in 2 sampling trials"; NCT05388825: 'TPN171H 2.5mg', 'TPN171H 5mg'
    from trialgraph.ontology.normalize import unresolved_drug_id, unresolved_drug_name

    assert unresolved_drug_id("0% N2O") == unresolved_drug_id("40% N2O") == "unresolved:n2o"
    assert unresolved_drug_id("TPN171H 2.5mg") == unresolved_drug_id("TPN171H 5mg")
    assert unresolved_drug_name("40% N2O") == "N2O" and unresolved_drug_name("TPN171H 2.5mg") == "TPN171H"
    # a code name's digits are no dose
    assert unresolved_drug_id("BMS-986012") == "unresolved:bms986012" and unresolved_drug_name("JAB-21822") == "JAB-21822"


def test_two_formulations_of_one_drug_offered_as_alternatives() -> None:
    # NCT06692738, Arm B: with the registry tables Nab-paclitaxel is paclitaxel (its active drug),
    # so "paclitaxel or nab-paclitaxel" offers no choice between drugs; the two interventions are
    # the alternatives, and pembrolizumab and carboplatin are still given to every participant
    g = groups("Arm B", "Pembrolizumab in combination with carboplatin and paclitaxel or nab-paclitaxel followed by "
               "pembrolizumab",
               {"Pembrolizumab": ("pembrolizumab",), "Carboplatin": ("carboplatin",), "Paclitaxel": ("paclitaxel",),
                "Nab-paclitaxel": ("paclitaxel",)})
    assert alternatives(g) == [{"Nab-paclitaxel", "Paclitaxel"}] and not optional(g)
