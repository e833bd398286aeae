"""Entity resolution: names as trials write them -> entities of the reference data.

The mechanism is general: every name is reduced to a key (case, punctuation, dosage forms,
routes and salt words removed), and keys index the reference data's names, code names,
brand names, salts and synonyms. A combination name ("X combined with Y", "X + Y") is split
only when every part resolves.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any

from trialgraph.errors import ResolutionError
from trialgraph.graph.model import unresolved_key
from trialgraph.ontology.reference import ReferenceData, reference_data
from trialgraph.ontology.registry import Registry, default_registry

# Words that describe a dosage form, route or salt, never which drug it is.
FORM_WORDS = frozenset(
    """injection injections injectable capsule capsules tablet tablets tab tabs oral orally
    solution suspension infusion intravenous iv subcutaneous sc for powder concentrate
    hydrochloride hcl tosylate mesylate mesilate dimesylate malate maleate citrate sulfate
    sulphate besylate tartrate sodium disodium potassium calcium acetate phosphate""".split()
)
PLACEBO_WORDS = frozenset({"placebo", "placebos", "dummy", "sham"})
# Words that describe a drug's class or target, never which drug it is ("PD-1 antibody X").
DESCRIPTOR_WORDS = frozenset(
    """anti pd 1 l1 pd1 pdl1 ctla4 ctla 4 antibody antibodies monoclonal mab humanized humanised
    recombinant fully human bispecific inhibitor blocker checkpoint""".split()
)
_COMBINATION = re.compile(
    r"\s+(?:combined\s+with|in\s+combination\s+with|combination\s+with|plus|and|with)\s+|\s*\+\s*|\s*/\s*",
    re.I,
)
_DOSE = re.compile(r"(?<![\w.])\d+(?:\.\d+)?\s*(?:%|mg/kg|g/kg|mg/m2|mg/m²|mcg|µg|mg|g|ml|iu|units?)(?![\w/])", re.I)
_PAREN = re.compile(r"\s*[(\[]([^)\]]*)[)\]]\s*")
_LEGAL = frozenset(
    """co ltd inc llc corp corporation company gmbh ag sa plc limited incorporated kg bv nv
    pty srl spa""".split()
)


def _fold(text: str) -> str:
    return unicodedata.normalize("NFKC", text).casefold()


_WORD = re.compile(r"[^\W_]+")


def _tokens(text: str) -> list[str]:
    return _WORD.findall(_fold(text))


# Chinese dosage-form words, written without spaces around the name: 注射液 injection,
# 胶囊 capsules, 片 tablets (suffixes); 注射用 "for injection" (prefix).
_CJK_FORM_SUFFIXES = ("注射液", "胶囊", "片")
_CJK_FORM_PREFIXES = ("注射用",)


def _cjk_drug_token(token: str) -> str:
    for prefix in _CJK_FORM_PREFIXES:
        if token.startswith(prefix) and len(token) > len(prefix):
            token = token[len(prefix):]
    for suffix in _CJK_FORM_SUFFIXES:
        if token.endswith(suffix) and len(token) > len(suffix):
            return token[: -len(suffix)]
    return token


def drug_key(text: str) -> str:
    """'AK105 Injection' -> 'ak105'; 'Sorafenib Tosylate Tablets' -> 'sorafenib'; 'TQB-2450' -> 'tqb2450';
    '恩朗苏拜单抗注射液' -> '恩朗苏拜单抗'."""
    toks = [_cjk_drug_token(t) for t in _tokens(text)]
    kept = [t for t in toks if t not in FORM_WORDS]
    return "".join(kept or toks)


def name_key(text: str) -> str:
    """Case, punctuation and spacing removed: 'PD-1' -> 'pd1'."""
    return "".join(_tokens(text))


def condition_key(text: str) -> str:
    return " ".join(_tokens(text))


@dataclass(frozen=True)
class InterventionResolution:
    drugs: tuple[str, ...] = ()  # drug ids
    placebo: bool = False
    unresolved: tuple[str, ...] = ()  # parts of the name that matched nothing


@dataclass(frozen=True)
class ConditionResolution:
    condition_id: str
    name: str
    resolved: bool
    qualifiers: tuple[str, ...] = ()


@dataclass(frozen=True)
class Resolver:
    data: ReferenceData
    # the registry-scale tables (ontology/registry.py); the curated data above wins over them
    registry: Registry | None = None
    _drugs: dict[str, str] = field(default_factory=dict)
    _targets: dict[str, str] = field(default_factory=dict)
    _families: dict[str, str] = field(default_factory=dict)
    _conditions: dict[str, str] = field(default_factory=dict)
    _by_mesh: dict[str, str] = field(default_factory=dict)  # MeSH descriptor id -> reference condition id
    _by_heading: dict[str, str] = field(default_factory=dict)  # MeSH heading (condition key) -> condition id
    _condition_names: dict[str, tuple[str, ...]] = field(default_factory=dict)  # condition id -> its name keys

    def __post_init__(self) -> None:
        for d in self.data.drugs.values():
            for n in (*d.all_names, *d.identifiers):  # identifiers as CURIEs: 'DRUGBANK:DB00398'
                self._add(self._drugs, drug_key(n), d.id, "drug")
        for t in self.data.targets.values():
            for n in (t.symbol, *( [t.name] if t.name else []), *t.aliases):
                self._add(self._targets, name_key(n), t.symbol, "target")
        for f in self.data.families.values():
            for n in (f.id, f.name, *f.aliases):
                self._add(self._families, name_key(n), f.id, "family")
        for c in self.data.conditions.values():
            for n in (*c.all_names, *([c.mesh_heading] if c.mesh_heading else [])):
                self._add(self._conditions, condition_key(n), c.id, "condition")
            if c.mesh:
                self._by_mesh[c.mesh] = c.id
            if c.mesh_heading:
                self._by_heading[condition_key(c.mesh_heading)] = c.id
            self._condition_names[c.id] = tuple(
                {condition_key(n) for n in (*c.all_names, *([c.mesh_heading] if c.mesh_heading else []))})

    @staticmethod
    def _add(index: dict[str, str], key: str, value: str, kind: str) -> None:
        if index.get(key, value) != value:
            raise ResolutionError(f"reference data: {kind} name key {key!r} means both {index[key]!r} and {value!r}")
        index[key] = value

    # -- drugs -------------------------------------------------------------------------------
    def drug(self, name: str, registry: bool = True) -> str | None:
        """The drug id a single name means, or None: the curated reference data first, then (with
        ``registry``) the registry-scale tables, each tried on the same spellings of the name."""
        keys = [drug_key(name)]
        # "Penpulimab (AK105)": the name outside the brackets, or the one inside.
        inner = _PAREN.findall(name)
        outer = _PAREN.sub(" ", name).strip()
        keys += [drug_key(cand) for cand in (outer, *inner) if cand and cand != name]
        # "PD-1 Antibody SHR-1210", "anti-PD-L1 monoclonal antibody TQB2450": a class description
        # in front of (or after) the name; what is left must still be a whole known name
        toks = [t for t in _tokens(name) if t not in FORM_WORDS]
        kept = [t for t in toks if t not in DESCRIPTOR_WORDS]
        if kept and len(kept) < len(toks):
            keys.append("".join(kept))
        # an inverted heading, as MeSH and USP write them: 'Estrogens, Conjugated' is 'conjugated estrogens'
        head, comma, rest = name.partition(",")
        if comma and rest.strip() and "," not in rest and len(_tokens(head)) <= 2 and len(_tokens(rest)) <= 2:
            keys.append(drug_key(f"{rest} {head}"))
        for k in keys:
            if k in self._drugs:
                return self._drugs[k]
        if registry and self.registry is not None:
            for k in keys:
                if k and (d := self.registry.drug_id(k)) is not None:
                    return d
        return None

    def is_registry_drug(self, drug_id: str) -> bool:
        """A drug of the registry-scale tables, not of the curated data."""
        return drug_id not in self.data.drugs and self.registry is not None and self.registry.drug(drug_id) is not None

    def is_placebo(self, name: str) -> bool:
        toks = set(_tokens(name))
        return bool(toks & PLACEBO_WORDS) and self.drug(name, registry=False) is None

    def intervention(self, name: str, other_names: tuple[str, ...] = (), registry: bool = True,
                     mesh: Sequence[Any] = ()) -> InterventionResolution:
        """The drugs an intervention gives: one name, a combination, or its other names.
        ``registry``: also look in the registry-scale tables (off for procedures, devices,
        behavioural interventions: they are never resolved to drugs by the registry's names).
        ``mesh``: the record's own intervention descriptors (CT.gov's intervention browse); one
        whose term is the name in any word order, or that the name or an other name holds, gives
        the identity when the name alone does not."""
        if self.is_placebo(name) and not _COMBINATION.search(name):
            return InterventionResolution(placebo=True)
        if (d := self.drug(name, registry=False)) is not None:
            return InterventionResolution(drugs=(d,))
        if registry and (d := self.drug(name)) is not None:
            return InterventionResolution(drugs=(d,))
        parts = [p for p in _COMBINATION.split(name) if p and p.strip()]
        if len(parts) > 1:
            drugs: list[str] = []
            placebo = False
            missing: list[str] = []
            for part in parts:
                if (d := self.drug(part, registry)) is not None:
                    if d not in drugs:
                        drugs.append(d)
                elif self.is_placebo(part):
                    placebo = True
                else:
                    missing.append(part.strip())
            if not missing:
                return InterventionResolution(drugs=tuple(drugs), placebo=placebo)
        for other in other_names:
            if (d := self.drug(other, registry)) is not None:
                return InterventionResolution(drugs=(d,))
        registry = registry and self.registry is not None  # the rules below are the registry's
        if registry and (undosed := _DOSE.sub(" ", name)) != name and (d := self.drug(undosed)) is not None:
            return InterventionResolution(drugs=(d,))  # 'tadalafil 5mg'
        if registry and mesh:
            # the record's own intervention descriptors: the one the name (or an other name) is in
            # any word order, else the longest one it holds ('pegylated liposomal doxorubicin
            # hydrochloride', indexed 'Doxorubicin')
            words = {tuple(sorted(_tokens(n))) for n in (name, *other_names)}
            padded = [" " + " ".join(_tokens(n)) + " " for n in (name, *other_names)]
            held: list[tuple[int, str]] = []
            for m in mesh:
                term = getattr(m, "term", "") or ""
                if (d := self.drug(term)) is None:
                    continue
                if tuple(sorted(_tokens(term))) in words:
                    return InterventionResolution(drugs=(d,))
                if any(" " + " ".join(_tokens(term)) + " " in p for p in padded):
                    held.append((len(term), d))
            if held:
                return InterventionResolution(drugs=(max(held)[1],))
        return InterventionResolution(unresolved=(name,))

    # -- targets -----------------------------------------------------------------------------
    def targets(self, name: str) -> tuple[str, ...]:
        """Target symbols a user's name means: one target, or every member of a family."""
        key = name_key(name)
        if key in self._targets:
            return (self._targets[key],)
        if key in self._families:
            return self.data.members(self._families[key])
        if self.registry is not None and (sym := self.registry.target_symbol(key)) is not None:
            return (sym,)
        raise ResolutionError(f"unknown target {name!r}: not a target symbol, alias, name or family in the reference data")

    # -- conditions --------------------------------------------------------------------------
    def condition(self, text: str, mesh: Sequence[Any] = (), single: bool = False) -> ConditionResolution:
        """A trial's condition text -> one condition, with qualifiers such as 'advanced' kept apart.

        ``mesh``: the MeSH descriptors the registry itself assigned to the trial's conditions
        (ClinicalTrials.gov's condition browse: objects with ``id`` and ``term``). A written
        condition the reference data does not know, but which is one of those descriptors in any
        word order ('Non-Small-Cell Lung Carcinoma' for 'Carcinoma, Non-Small-Cell Lung'), is that
        descriptor. ``single``: the record lists this one condition only."""
        qualifiers: list[str] = []
        candidates = [text]
        outer = _PAREN.sub(" ", text).strip()
        if outer != text:
            candidates.append(outer)
        for cand in list(candidates):
            stripped, found = self._strip_qualifiers(cand)
            if found:
                candidates.append(stripped)
                qualifiers = qualifiers or found
        candidates += _PAREN.findall(text)
        for cand in candidates:
            key = condition_key(cand)
            if key in self._conditions:
                c = self.data.conditions[self._conditions[key]]
                return ConditionResolution(c.id, c.name, True, tuple(qualifiers))
        # the record's own descriptors: API v2 gives id and term, legacy XML the term (its heading)
        known = [(m, self._mesh_condition(m)) for m in mesh]
        words = {tuple(sorted(_tokens(m.term))): (m, cid) for m, cid in known if cid or getattr(m, "id", None)}
        for cand in candidates:
            if (hit := words.get(tuple(sorted(_tokens(cand))))) is not None:
                m, cid = hit
                if cid:
                    c = self.data.conditions[cid]
                    return ConditionResolution(c.id, c.name, True, tuple(qualifiers))
                return ConditionResolution(f"MESH:{self._mesh_id(m.id, m.term)}", m.term, True, tuple(qualifiers))
        # a written condition holding a name of a condition the record's descriptors name
        # ('Squamous Cell Non-small Cell Lung Cancer', indexed 'Carcinoma, Non-Small-Cell Lung')
        # (the longest name held wins: 'non small cell lung cancer' over 'lung cancer')
        padded = " " + condition_key(text) + " "
        held = [(len(n), cid) for _, cid in known if cid for n in self._condition_names[cid] if f" {n} " in padded]
        if held:
            c = self.data.conditions[max(held)[1]]
            return ConditionResolution(c.id, c.name, True, tuple(qualifiers))
        # the registry-scale MeSH: a descriptor's heading or entry term, as written or without
        # its qualifiers or brackets
        if self.registry is not None:
            keys = [condition_key(c) for c in candidates]
            keys += [v for k in keys if (v := _american(k)) != k]
            keys += [v for k in keys for v in _neoplasm_variants(k)]
            for key in keys:
                if (mid := self.registry.mesh_by_key(key)) is not None:
                    return self._mesh_resolution(mid, text, qualifiers)
            # the record's own descriptors again, by their entry terms: the one whose heading or
            # entry term the written condition holds (the longest held wins), plurals aside
            # ('Diabete Mellitus', 'Erectile Dysfunctions'); and a record of one condition and one
            # descriptor: that descriptor
            own = [mid for m in mesh if (mid := self._record_mesh_id(m))]
            held_keys = [f" {k} " for k in {*keys, *map(_singular_key, keys)}]
            best: tuple[int, str] | None = None
            for mid in own:
                for n in self.registry.mesh_name_keys(mid):
                    if not set(n.split()) - _VACUOUS_CONDITION_WORDS:
                        continue  # 'Syndrome', 'Disease': held by almost any written condition, saying nothing
                    for name in {n, _singular_key(n)}:
                        if any(f" {name} " in h for h in held_keys) and (best is None or len(name) > best[0]):
                            best = (len(name), mid)
            if best is not None:
                return self._mesh_resolution(best[1], text, qualifiers)
            # the one disease descriptor of the record whose heading or entry term holds the whole
            # written condition ('Cirrhosis' in a record indexed 'Liver Cirrhosis' and 'Fibrosis';
            # 'Myeloma', 'Multiple Myeloma'); never for a bare 'cancer', 'disease' ...
            holders = set()
            for mid in own:
                d = self.registry.mesh(mid)
                if d is None or not any(t.startswith(("C", "F03")) for t in d.tree_numbers):
                    continue
                names = {x for n in self.registry.mesh_name_keys(mid) for x in (n, _singular_key(n))}
                for k in {*keys, *map(_singular_key, keys)}:
                    if set(k.split()) - _GENERIC_CONDITION_WORDS and any(f" {k} " in f" {n} " for n in names):
                        holders.add(mid)
            if len(holders) == 1:
                return self._mesh_resolution(holders.pop(), text, qualifiers)
            if len(own) == 1 and single:
                return self._mesh_resolution(own[0], text, qualifiers)
            # the longest run of the written words, from its start or to its end, that is a disease
            # descriptor (MeSH C and F03 trees): 'erectile dysfunction following radical
            # prostatectomy' -> Erectile Dysfunction; 'primary peritoneal cavity cancer' -> ...
            # (a run to the end only for a record that assigned no descriptor: else its own
            # vocabulary decides, and 'Lung Non-Small Cell Squamous Carcinoma' is not guessed)
            if (mid := self._disease_span(keys, suffixes=not own)) is not None:
                return self._mesh_resolution(mid, text, qualifiers)
        name = text.strip()
        return ConditionResolution("text:" + condition_key(text), name, False, ())

    def _mesh_resolution(self, mid: str, text: str, qualifiers: list[str]) -> ConditionResolution:
        if (cid := self._by_mesh.get(mid)) is not None:
            c = self.data.conditions[cid]
            return ConditionResolution(c.id, c.name, True, tuple(qualifiers))
        d = self.registry.mesh(mid) if self.registry is not None else None
        return ConditionResolution(f"MESH:{mid}", d.heading if d else text.strip(), True, tuple(qualifiers))

    def _disease_span(self, keys: list[str], suffixes: bool) -> str | None:
        assert self.registry is not None
        best: tuple[int, str] | None = None
        for key in keys:
            toks = key.split()
            for i in range(len(toks)):
                for span in ((toks[i:], toks[: len(toks) - i]) if suffixes else (toks[: len(toks) - i],)):
                    if not span or len(span) == len(toks) or not set(span) - _GENERIC_CONDITION_WORDS:
                        continue  # never a bare 'carcinoma' out of a misspelt 'hepatocelular carcinoma'
                    k = " ".join(span)
                    for cand in (k, *_neoplasm_variants(k)):
                        mid = self.registry.mesh_by_key(cand)
                        d = self.registry.mesh(mid) if mid else None
                        disease = d is not None and any(t.startswith(("C", "F03")) for t in d.tree_numbers)
                        if d is not None and disease and (best is None or len(k) > best[0]):
                            best = (len(k), d.mesh_id)
        return best[1] if best else None

    def _mesh_id(self, mid: str, term: str | None = None) -> str:
        """A record's descriptor id as MeSH writes it. ClinicalTrials.gov writes some descriptors
        that MeSH numbers with seven characters zero-padded to ten (NCT00855582: 'D000011470'
        'Prostatic Hyperplasia', MeSH's D011470; MeSH's own ten-character ids, D000097910, are
        kept): the short id when the curated data or the MeSH table has it under the same heading."""
        if len(mid) != 10 or not mid.startswith("D000"):
            return mid
        short = "D" + mid[4:]
        heading: str | None = None
        if short in self._by_mesh:
            heading = self.data.conditions[self._by_mesh[short]].mesh_heading
        elif self.registry is not None and self.registry.mesh(mid) is None and (d := self.registry.mesh(short)) is not None:
            heading = d.heading
        if heading is None:
            return mid
        return short if term is None or condition_key(heading) == condition_key(term) else mid

    def _record_mesh_id(self, m: Any) -> str | None:
        """A record's descriptor as a MeSH id: API v2 gives it, legacy XML only the heading."""
        mid = getattr(m, "id", None)
        if mid:
            return self._mesh_id(mid, getattr(m, "term", None))
        return self.registry.mesh_by_key(condition_key(getattr(m, "term", "") or "")) if self.registry else None

    def _mesh_condition(self, m: Any) -> str | None:
        """The reference condition a record's MeSH descriptor is: by id, else by its heading."""
        mid = getattr(m, "id", None)
        if mid:
            return self._by_mesh.get(self._mesh_id(mid, getattr(m, "term", None)))
        return self._by_heading.get(condition_key(getattr(m, "term", "") or ""))

    def conditions(self, name: str) -> tuple[str, ...]:
        """Condition ids a user's name means (for query parameters): the condition and every
        narrower one ('liver cancer' includes hepatocellular carcinoma)."""
        r = self.condition(name)
        if not r.resolved:
            raise ResolutionError(f"unknown condition {name!r}: not a condition name, synonym or abbreviation in the reference data")
        found = set(self.data.narrower(r.condition_id))
        if self.registry is not None:  # the MeSH tree: every descriptor under the condition's tree numbers
            for cid in list(found):
                if cid.startswith("MESH:"):
                    found.update(f"MESH:{m}" for m in self.registry.narrower(cid[5:]))
        return tuple(sorted(found))

    # -- query parameters --------------------------------------------------------------------
    def drugs(self, name: str) -> tuple[str, ...]:
        """Drug ids a user's name means: a name, code name, brand, salt or dosage-form spelling in
        the reference data; otherwise the unresolved drug trials name the same way ('JAB-21822')."""
        if (d := self.drug(name)) is not None:
            return (d,)
        key = drug_key(name)
        if not key:
            raise ResolutionError(f"{name!r} is not a drug name: it has no letters or digits")
        return (unresolved_key(key),)

    def entity(self, name: str) -> dict[str, str | None]:
        """What a user's name means as one graph entity, for the path query: a trial (NCT id),
        drug, target, target family or condition from the reference data; anything else is
        taken as a sponsor name. The result is keyed by each kind's key property (nct_id, drug_id,
        symbol, family_id, condition_id, sponsor_id); exactly one is set."""
        out: dict[str, str | None] = dict.fromkeys(("nct_id", "drug_id", "symbol", "family_id", "condition_id", "sponsor_id"))
        key = name_key(name)
        if re.fullmatch(r"nct\d{8}", key):
            out["nct_id"] = key.upper()
        elif (d := self.drug(name)) is not None:
            out["drug_id"] = d
        elif key in self._targets:
            out["symbol"] = self._targets[key]
        elif key in self._families:
            out["family_id"] = self._families[key]
        elif (c := self.condition(name)).resolved:
            out["condition_id"] = c.condition_id
        elif sponsor_key(name):
            out["sponsor_id"] = sponsor_key(name)
        else:
            raise ResolutionError(f"{name!r} names nothing: give an NCT id, a drug, target, family, condition or sponsor")
        return out

    def _strip_qualifiers(self, text: str) -> tuple[str, list[str]]:
        words = sorted(self.data.qualifiers.words, key=len, reverse=True)
        low = " " + condition_key(text) + " "
        found = []
        for w in words:
            k = " " + condition_key(w) + " "
            if k in low:
                found.append(w)
                low = low.replace(k, " ")
        return low.strip(), found


# MeSH files cancers under "... Neoplasms" (its entry terms: 'Breast Tumor' for Breast Neoplasms,
# 'Tumor' and 'Neoplasm' for Neoplasms), and ClinicalTrials.gov's own condition browse indexes a
# trial's 'Breast Cancer' as 'Breast Neoplasms' (NCT05144867 in tests/fixtures/realdata: 'Breast Cancer', conditionBrowseModule D001943):
# a written cancer, tumour or tumor is looked up as a neoplasm too.
_NEOPLASM_WORDS = {"cancer": "neoplasms", "cancers": "neoplasms", "tumour": "neoplasms", "tumours": "neoplasms",
                   "tumor": "neoplasms", "tumors": "neoplasms", "carcinoma": "neoplasms"}


# Words that alone say no more than "a disease": a written condition of these only is never
# narrowed to one of the record's descriptors that holds it; and a descriptor named by vacuous
# words only ('Syndrome', 'Disease') is never the one a written condition holds.
_GENERIC_CONDITION_WORDS = frozenset(
    """cancer cancers tumor tumors tumour tumours neoplasm neoplasms neoplasia carcinoma carcinomas malignancy malignancies
    disease diseases disorder disorders syndrome syndromes condition conditions oncology lesion lesions
    adult adults child children childhood pediatric paediatric primary secondary acute chronic""".split()
)
_VACUOUS_CONDITION_WORDS = frozenset("syndrome syndromes disease diseases disorder disorders condition conditions".split())
# British spellings MeSH writes the American way (MeSH 'Leukemia, Myeloid, Acute': 'Acute Myeloid
# Leukaemia' in NCT05086315); whole words only.
_AMERICAN = {
    "leukaemia": "leukemia", "leukaemias": "leukemias", "leukaemic": "leukemic", "tumour": "tumor", "tumours": "tumors",
    "oesophageal": "esophageal", "oesophagus": "esophagus", "oesophagogastric": "esophagogastric", "anaemia": "anemia",
    "anaemias": "anemias", "haemorrhage": "hemorrhage", "haemorrhagic": "hemorrhagic", "haematological": "hematological",
    "haematologic": "hematologic", "haemophilia": "hemophilia", "haemolytic": "hemolytic", "haemoglobinuria": "hemoglobinuria",
    "paediatric": "pediatric", "oedema": "edema", "diarrhoea": "diarrhea", "ischaemic": "ischemic", "ischaemia": "ischemia",
    "oestrogen": "estrogen", "gynaecological": "gynecological", "gynaecologic": "gynecologic", "faecal": "fecal",
    "coeliac": "celiac", "foetal": "fetal", "dyspnoea": "dyspnea", "apnoea": "apnea", "tumoural": "tumoral",
    "haemangioma": "hemangioma", "lymphoedema": "lymphedema", "oesophagitis": "esophagitis", "anaesthesia": "anesthesia",
}


def _american(key: str) -> str:
    return " ".join(_AMERICAN.get(t, t) for t in key.split())


def _singular_key(key: str) -> str:
    """'erectile dysfunctions' and 'erectile dysfunction' -> 'erectile dysfunction'; 'diabetes
    mellitus' and 'diabete mellitus' -> 'diabete mellitus' (both sides are compared this way)."""
    return " ".join(_singular(t) for t in key.split())


def _neoplasm_variants(key: str) -> list[str]:
    """'breast cancer' -> ['breast neoplasms', 'breast neoplasm']; 'cancer of the breast' is not rewritten."""
    toks = key.split()
    if not toks or toks[-1] not in _NEOPLASM_WORDS:
        return []
    if len(toks) == 1:
        return ["neoplasms"]
    head = " ".join(toks[:-1])
    return [f"{head} neoplasms", f"{head} neoplasm"]


def _singular(token: str) -> str:
    """'biosciences' -> 'bioscience', 'sciences' -> 'science'; 'ss' endings and short words kept."""
    return token[:-1] if len(token) > 4 and token.endswith("s") and not token.endswith(("ss", "us", "is")) else token


def sponsor_key(name: str) -> str:
    """'Shanghai Junshi Bioscience Co., Ltd.' and 'Shanghai Junshi Biosciences' ->
    'shanghai junshi bioscience': case, punctuation, legal suffixes and plurals ignored."""
    toks = _tokens(name)
    while toks and toks[-1] in _LEGAL:
        toks.pop()
    return " ".join(_singular(t) for t in toks)


# Country names the registries write that ISO 3166 (pycountry) spells otherwise.
_COUNTRY_ALIASES = {"turkey": "TR", "uk": "GB", "united kingdom": "GB", "korea south": "KR", "south korea": "KR",
                    "macedonia": "MK", "swaziland": "SZ", "czech republic": "CZ"}


@lru_cache(maxsize=4096)
def country_code(country: str | None) -> str | None:
    """ISO 3166-1 alpha-2 code of a country name ('China' -> 'CN'), from pycountry's copy of the
    ISO 3166 tables (Debian iso-codes); None when unknown."""
    if not country or not country.strip():
        return None
    import pycountry

    alias = _COUNTRY_ALIASES.get(" ".join(_tokens(country)))
    if alias:
        return alias
    try:
        return pycountry.countries.lookup(country.strip()).alpha_2
    except LookupError:
        return None


@lru_cache(maxsize=1)
def default_resolver() -> Resolver:
    return Resolver(reference_data(), default_registry())
