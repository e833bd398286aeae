"""Site identity: one hospital written several ways within a city is one site; two hospitals are two."""

from __future__ import annotations

import pytest

from trialgraph.ontology.sites import facility_name, placeholder, site_key

pytestmark = pytest.mark.unit


# Each group: spellings of one hospital in one city, as real records write them (the seed page
# NCT04344158 and the ClinicalTrials.gov records in tests/fixtures and ../shared/ctgov_samples).
@pytest.mark.parametrize(
    "city, country, spellings",
    [
        ("Changsha", "China", ["Hunan Cancer Hospital",  # NCT05288205, NCT06008288
                      "Hunan Cancar Hospital",  # seed NCT04344158
                      "Hunan Cancer Hospital(Department II of Gastroenterology and Urology/Hepatobiliary Surgery)"]),
        ("Tianjin", "China", ["Tianjin Medical University Cancer Institute＆Hospital",  # NCT06008288 (full-width ampersand)
                     "Tianjin Medical University Cancar institute & Hospital"]),  # seed NCT04344158
        ("Changsha", "China", ["Xiangya Hospital Central South University",  # seed NCT04344158
                      "Xiangya Hospital Central South Univesity"]),  # NCT05288205
        ("Zhengzhou", "China", ["The First Affiliated Hospital of Zhengzhou University",  # NCT06008288
                       "The First Affiliated Hosipital Of Zhengzhou University"]),  # NCT05288205
        ("Hohhot", "China", ["The Affiliated Hospital of Inner Mongolia Medical University",
                    "The Affilated Hospital of Inner Mongolia Medical University"]),  # a ctgov sample
        ("Nashville", "United States", ["Vanderbilt University School of Medicine", "Vanderbilt Univeristy School of Medicine"]),
        # departments before the name, after a comma, or in brackets
        ("Beijing", "China", ["Peking Union Medical College Hospital",
                     "Department of Oncology, Peking Union Medical College Hospital",
                     "Peking Union Medical College Hospital, Dept. of Medical Oncology",
                     "Peking Union Medical College Hospital (Division of Thoracic Surgery)"]),
        ("Paris", "France", ["Hôpital Saint-Louis", "Hopital Saint-Louis", "Hôpital Saint-Louis, Service d'Oncologie"]),
    ],
)
def test_spellings_of_one_hospital_are_one_site(city: str, country: str, spellings: list[str]) -> None:
    keys = {site_key(s, city, country) for s in spellings}
    assert len(keys) == 1, keys


@pytest.mark.parametrize(
    "a, b",
    [
        ("Hunan Cancer Hospital", "Henan Cancer Hospital"),  # one letter apart, two provinces' hospitals
        ("Xiangya Hospital Central South University", "The Third Xiangya Hospital of Central South University"),
        ("The First Affiliated Hospital of Zhengzhou University", "The Second Affiliated Hospital of Zhengzhou University"),
        ("Affiliated Hospital of North Sichuan Medical College", "Affiliated Hospital of South Sichuan Medical College"),
        ("Cancer Center", "Cancer Centers"),  # not a typo: both are words
        ("Centra Health", "Centre Health"),  # Centra is a name
        ("Peking Union Medical College Hospital", "Peking Union Medical College"),
    ],
)
def test_different_hospitals_in_one_city_stay_apart(a: str, b: str) -> None:
    assert site_key(a, "Changsha", "China") != site_key(b, "Changsha", "China")


def test_one_name_in_two_cities_is_two_sites() -> None:
    assert site_key("Hunan Cancer Hospital", "Changsha", "China") != site_key("Hunan Cancer Hospital", "Beijing", "China")
    assert site_key("Research Site", "Seoul", "Korea, Republic of") != site_key("Research Site", "Seoul", "Japan")


def test_display_name_folds_only_what_it_must() -> None:
    assert facility_name("Hunan Cancar Hospital") == "Hunan Cancer Hospital"
    assert facility_name("HUNAN CANCAR HOSPITAL") == "HUNAN CANCER HOSPITAL"
    assert facility_name("Hunan Cancer Hospital(Department II of Gastroenterology and Urology/Hepatobiliary Surgery)") == (
        "Hunan Cancer Hospital")
    assert facility_name("Department of Oncology, Peking Union Medical College Hospital") == (
        "Peking Union Medical College Hospital")
    # names as the seed pages write them (NCT04344158, NCT04523493): typos, cut-off words, departments
    assert facility_name("Nanyang First People's Hospita") == "Nanyang First People's Hospital"
    assert facility_name("Shanxi Provinaial Cancer Hospital") == "Shanxi Provincial Cancer Hospital"
    assert facility_name("The First Hospital Affiliated to Jilin Universit") == (
        "The First Hospital Affiliated to Jilin University")
    assert facility_name('Communal Non-profit Enterprise "Regional Center of Oncology", Department of Abdominal '
                         'Organs Oncosurgery') == 'Communal Non-profit Enterprise "Regional Center of Oncology"'
    assert facility_name("State Inst. O.O.Shalimov Nat. scientific certer of Surgery and Transplantology of Nat. "
                         "Academy of Med.Sciences of Ukraine, Dep.of Oncology") == (
        "State Inst. O.O.Shalimov Nat. scientific center of Surgery and Transplantology of Nat. Academy of "
        "Med.Sciences of Ukraine")
    # left exactly as written: names from real records that are close to common words but are not typos
    for name in (
        "University of New Mexico Cancer Center",
        # "Heath" is a word and a name of its own, so it is left alone even where it is a typo of "Health"
        "Cone Heath Cancer Center at Mebane",
        "Institut Bergonié - Centre Régional de Lutte Contre Le Cancer de Bordeaux et Sud Ouest",
        "Cancer and Blood Specialists-Henderson", "Veteran's Affairs Medical Center - Saint Louis",
        "Sun Yat-sen University Cancer Center (SYSUCC)", "Union Hospital, Tongji Medical College, Huazhong University",
        "West Virginia University Charleston Division", "line one\nline two\ttab",
    ):
        assert facility_name(name) == name
    # a name that is only a department is kept, not emptied
    assert facility_name("Department of Oncology") == "Department of Oncology"


# Placeholders, as real records write them (ontology/sites.py PLACEHOLDERS says where each is seen)
@pytest.mark.parametrize("facility", [
    "Local Institution", "Local Institution - 0312", "Research Site", "research site", "Study Site",
    "GSK Investigational Site", "Novo Nordisk Investigational Site", "Novartis Investigative Site,",
    "Novartis Investigator site", "Investigational Site Number : 1240004", "Forest Investigative Site 2665",
    "Site #143", "Site # 239",
    "For additional information regarding investigative sites for this trial, contact 1-877-CTLILLY "
    "(1-877-285-4559, 1-317-615-4559) Mon - Fri from 9 AM to 5 PM Eastern Time (UTC/GMT - 5 hours, EST), or speak "
    "with your personal physician.",
])
def test_sponsor_placeholders_are_recognized(facility: str) -> None:
    assert placeholder(facility)


# Real places whose names contain the same words: never placeholders
@pytest.mark.parametrize("facility", [
    "Khayelitsha Clinical Research Site",  # an ACTG site
    "Scarborough Hospital - General Site", "GCM Medical Group, PSC - Hato Rey Site", "Hunan Cancer Hospital",
    "Local Institution of Oncology Madrid", "Research Site Management Center of Peking University", "", None,
])
def test_places_are_not_placeholders(facility: str | None) -> None:
    assert not placeholder(facility)
