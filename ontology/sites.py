"""Sites: facility + city + country identify a site.

Registries write one hospital several ways within a city: with a department in brackets or
after a comma ("Hunan Cancer Hospital(Department II of ...)"), or with a typo in a common word
("Hunan Cancar Hospital"). Both are folded here, per name and without looking at other names,
so a site's identity never depends on what else was loaded or in which order.

Some sponsors publish no site names at all, only a placeholder per site ("Local Institution",
"Research Site", "Pfizer Investigational Site", "Investigational Site Number : 1240004"): such a
site names no one place, so two trials "sharing" it share nothing. ``placeholder()`` recognizes
them (PLACEHOLDERS below, each with where it was seen); the site is kept on the trial, flagged
``Site.placeholder``, and left out of site-overlap and trials-at-site.

What is never changed: a proper name. "Henan" is one letter from "Hunan", but only the common
words of institution names below are corrected, so two hospitals that differ by a place name,
an ordinal ("First"/"Second") or a number stay two sites.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

from trialgraph.ontology.resolve import _tokens, country_code

# Common words of institution names, the only words a typo is corrected to.
FACILITY_WORDS = frozenset(
    """hospital hospitals cancer cancers center centers centre centres clinic clinics clinical
    institute institutes institution university universities medical medicine college colleges
    affiliated general provincial municipal central research oncology foundation health sciences
    science memorial children childrens women womens maternity regional national county district
    teaching community people peoples military veteran veterans hematology radiology surgery
    surgical academy association comprehensive specialty specialist specialists private public""".split()
)
# Words one edit from a word above that are words of their own (other languages, or names seen
# in real records), left as written.
OTHER_WORDS = frozenset(
    """hopital hospitalier hospitaliere hospitalario hospitalaria ospedale ospedaliera klinikum
    kliniken klinik universitario universitaria universitat universite universita universidad
    universitatsklinikum centro centrum centra instituto istituto institut medica medico medicale
    medicina clinica clinico clinique contre heath""".split()
)
# A bracket or comma part naming a department, ward or unit of the facility, not the facility.
DEPARTMENT_WORDS = frozenset(
    """department departments dept dep division div ward section service services unit servicio
    departamento departement abteilung reparto""".split()
)
# Placeholder site names of the registry, matched against the whole facility name (case ignored,
# trailing punctuation allowed). Counts are location entries in real records: the fixtures
# (tests/fixtures/ctgov_xml, whole files from ctti-clinicaltrials/aact) and a collection of about
# 5,200 real records (API v2 JSON, legacy XML and classic JSON saved by 15 public repositories,
# the fixtures' sources among them: aact, gowthamrao/py_load_clinicaltrialsgov, ...).
PLACEHOLDERS: tuple[tuple[str, str, str], ...] = (
    ("local-institution", r"local institution(?:\s*[-:]\s*\d+)?",
     "Bristol-Myers Squibb's anonymised sites: 'Local Institution' 189 times in NCT01642004 (78) and "
     "NCT02481830 (111) in tests/fixtures/ctgov_xml; 1,356 entries in the real records, 'Local Institution "
     "- 0312' numbered ones included"),
    ("sponsor-investigational-site",
     r"(?:[\w&.'-]+\s+){0,3}investigat(?:ional|ive|or)\s+site(?:\s*(?:number|no\.?|#)?\s*:?\s*\d+)?",
     "'GSK Investigational Site' (1,091 entries), 'Novo Nordisk Investigational Site' (901), 'Pfizer "
     "Investigational Site' (651), 'Novartis Investigative Site' (133), 'Investigational Site Number : "
     "1240004' (Sanofi's numbered form): 3,638 entries of 540 distinct names in the real records"),
    ("research-site", r"(?:clinical\s+)?(?:research|study)\s+site",
     "AstraZeneca's 'Research Site' (9,405 entries, any case) and 'Study Site' (23) in the real records; a "
     "name in front ('Khayelitsha Clinical Research Site', a real ACTG site) is a place and is not matched"),
    ("site-number", r"site\s*(?:number|no\.?|#)\s*:?\s*\d+",
     "'Site # 239', 'Site #143': 35 entries in the real records"),
    ("lilly-contact", r"for additional information regarding investigative sites\b.*",
     "Eli Lilly's 'For additional information regarding investigative sites for this trial, contact "
     "1-877-CTLILLY ...' in the facility field: 448 entries in the real records"),
)
_PLACEHOLDER = re.compile(r"^\s*(?:" + "|".join(f"(?:{p})" for _, p, _ in PLACEHOLDERS) + r")[\s,.;]*$", re.I | re.S)


def placeholder(facility: str | None) -> bool:
    """True when a facility name is a sponsor's placeholder for a site, not a place:
    'Local Institution', 'Research Site', 'GSK Investigational Site', 'Site #143' (PLACEHOLDERS)."""
    return bool(facility and _PLACEHOLDER.match(facility))


_BRACKETS = re.compile(r"\s*[(\[]([^)\]]*)[)\]]")
_WORD = re.compile(r"[^\W\d_]+")


def _one_edit(a: str, b: str) -> bool:
    """True when b is a itself with one letter replaced, added, dropped, or two neighbours swapped."""
    if a == b or abs(len(a) - len(b)) > 1:
        return False
    if len(a) == len(b):
        diff = [i for i, (x, y) in enumerate(zip(a, b, strict=True)) if x != y]
        return len(diff) == 1 or (len(diff) == 2 and diff[1] == diff[0] + 1
                                  and a[diff[0]] == b[diff[1]] and a[diff[1]] == b[diff[0]])
    short, long_ = (a, b) if len(a) < len(b) else (b, a)
    i = next((k for k, (x, y) in enumerate(zip(short, long_, strict=False)) if x != y), len(short))
    return short[i:] == long_[i + 1:]


def _plain(text: str) -> str:
    """Accents removed, case folded: 'Hôpital Régional' -> 'hopital regional'."""
    if text.isascii():
        return text.casefold()
    return "".join(c for c in unicodedata.normalize("NFKD", text) if not unicodedata.combining(c)).casefold()


@lru_cache(maxsize=65536)
def _correction(written: str) -> str | None:
    """The common word a misspelt word means ('Cancar' -> 'Cancer', in the writer's case), or
    None. Only words of five letters or more, with the same first letter and exactly one
    candidate, are corrected."""
    word = _plain(written)
    if len(word) < 5 or word in FACILITY_WORDS or word in OTHER_WORDS:
        return None
    found = [w for w in FACILITY_WORDS if len(w) >= 5 and w[0] == word[0] and _one_edit(word, w)]
    return _same_case(written, found[0]) if len(found) == 1 else None


def _same_case(written: str, word: str) -> str:
    if written.isupper():
        return word.upper()
    if written[:1].isupper():
        return word.capitalize()
    return word


def _is_department(part: str) -> bool:
    toks = _tokens(part)
    return bool(toks) and (toks[0] in DEPARTMENT_WORDS or toks[-1] in DEPARTMENT_WORDS)


@lru_cache(maxsize=65536)
def facility_name(facility: str) -> str:
    """The facility a written name means, in the writer's own case:
    'Hunan Cancer Hospital(Department II of Gastroenterology ...)' -> 'Hunan Cancer Hospital',
    'Department of Oncology, Peking Union Medical College Hospital' -> 'Peking Union Medical College Hospital',
    'Hunan Cancar Hospital' -> 'Hunan Cancer Hospital'."""
    name = _BRACKETS.sub(lambda m: "" if any(t in DEPARTMENT_WORDS for t in _tokens(m[1])) else m[0], facility)
    parts = name.split(",")
    kept = [p.strip() for p in parts if p.strip() and not _is_department(p)]
    if kept and len(kept) < len(parts):
        name = ", ".join(kept)
    if any(_correction(w) for w in _WORD.findall(name)):
        name = _WORD.sub(lambda m: _correction(m[0]) or m[0], name)
    if name == facility:
        return facility  # nothing folded: the name exactly as written (spacing included)
    return " ".join(name.split()) or facility.strip()


@lru_cache(maxsize=65536)
def site_key(facility: str, city: str | None, country: str | None) -> str:
    """Facility + city + country identify a site: the facility as facility_name() reads it, the
    country by its ISO code when known, so 'Korea, Republic of' and 'South Korea' are one country;
    accents are ignored ('Hôpital' and 'Hopital')."""
    code = country_code(country)
    return "|".join(" ".join(_tokens(_plain(x or ""))) for x in (facility_name(facility or ""), city,
                                                                  code.lower() if code else country))
