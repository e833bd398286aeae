"""The graph as linked data (RDF): IRIs, triples, streaming serialization.

One emitter serves both sources: the graph (paged Cypher reads, ``graph/cypher/export-*.cypher``)
and records read straight from files (no database). Both yield *trial rows* in the shape the
graph writer builds (``writer.trial_row``) plus the reference entities, and the emitter turns
them into triples:

- IRIs resolve in the real world where an identifier is sourced: trials as
  ``https://clinicaltrials.gov/study/NCT...``, conditions as MeSH RDF
  (``http://id.nlm.nih.gov/mesh/D006528``), targets as identifiers.org NCBI Gene
  (``https://identifiers.org/ncbigene:5133``); everything else gets a stable IRI under
  ``https://w3id.org/trialgraph/`` built from its natural key (same input, same IRI; never a
  database id).
- Types: the project ontology (``ontology/trialgraph.ttl``, prefix ``tg:``) plus schema.org
  (MedicalTrial, Drug, MedicalCondition, Organization, Place) and Biolink where it fits
  (``biolink:affects`` drug -> target, ``biolink:in_clinical_trials_for`` drug -> condition).
- Arms and what each gives are kept, so arm-level combinations survive the export.
- Results (issue 22): outcomes with their result groups and values, adverse event terms (shared)
  with each trial's report and per-group counts, cited articles as PubMed IRIs
  (``https://pubmed.ncbi.nlm.nih.gov/<pmid>``), drugs' indications. A relationship with
  properties (REPORTED, CITES, INDICATED_FOR) is also a node (tg:AdverseEventReport,
  tg:Citation, tg:Indication) next to the direct link, as conditions studied and site statuses are.

N-Triples and Turtle are written in chunks (flat memory at any size); JSON-LD is built in memory.
"""

from __future__ import annotations

import hashlib
import io
import itertools
import re
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from functools import lru_cache
from pathlib import PurePath
from typing import IO, Any
from urllib.parse import quote

from rdflib import RDF, RDFS, XSD, Graph, Literal, Namespace, URIRef
from rdflib.namespace import DCTERMS, OWL, SKOS

from trialgraph.graph import catalog, model
from trialgraph.graph.gateway import Gateway
from trialgraph.graph.results import _norm  # case and spacing ignored: how results match group titles to arms
from trialgraph.ontology.reference import ReferenceData
from trialgraph.ontology.registry import MESH_SOURCE

BASE = "https://w3id.org/trialgraph/"
TG = Namespace(BASE + "vocab#")
SDO = Namespace("https://schema.org/")
BIOLINK = Namespace("https://w3id.org/biolink/vocab/")
MESH = Namespace("http://id.nlm.nih.gov/mesh/")
NCBIGENE = Namespace("https://identifiers.org/ncbigene:")
UNIPROT = Namespace("https://identifiers.org/uniprot:")
HGNC = Namespace("https://identifiers.org/hgnc:")
OBO = Namespace("http://purl.obolibrary.org/obo/")
PUBMED = Namespace("https://pubmed.ncbi.nlm.nih.gov/")
BIOREGISTRY = "https://bioregistry.io/"
PREFIXES = {
    "tg": TG, "schema": SDO, "biolink": BIOLINK, "mesh": MESH, "ncbigene": NCBIGENE, "uniprot": UNIPROT,
    "hgnc": HGNC, "obo": OBO, "pubmed": PUBMED, "rdfs": RDFS, "xsd": XSD, "skos": SKOS, "dcterms": DCTERMS, "owl": OWL,
}
FORMATS = ("turtle", "nt", "jsonld")

Triple = tuple[URIRef, URIRef, URIRef | Literal]


# -- IRIs ---------------------------------------------------------------------------------------
def _slug(text: str) -> str:
    s = re.sub(r"[^a-z0-9]+", "-", text.casefold()).strip("-")
    return quote(s[:80].strip("-"), safe="-") or "x"


def _digest(text: str) -> str:
    return hashlib.sha1(text.encode()).hexdigest()[:12]


def trial_iri(nct: str) -> URIRef:
    return URIRef(f"https://clinicaltrials.gov/study/{nct}")


@lru_cache(maxsize=262_144)
def local_iri(kind: str, key: str) -> URIRef:
    """A stable project IRI from a natural key: readable slug plus a digest (slugs can collide)."""
    return URIRef(f"{BASE}{kind}/{_slug(key)}-{_digest(key)}")


def arm_iri(arm_id: str) -> URIRef:
    nct, _, rest = arm_id.partition(":arm:")
    return URIRef(f"{BASE}trial/{nct}/arm/{rest}")


def intervention_iri(intervention_id: str) -> URIRef:
    nct, _, rest = intervention_id.partition(":intervention:")
    return URIRef(f"{BASE}trial/{nct}/intervention/{rest}")


@lru_cache(maxsize=262_144)
def drug_iri(drug_id: str) -> URIRef:
    return URIRef(f"{BASE}drug/{quote(drug_id, safe='')}")


def target_iri(symbol: str, ncbi_gene: str | None) -> URIRef:
    return NCBIGENE[ncbi_gene] if ncbi_gene else URIRef(f"{BASE}target/{quote(symbol, safe='')}")


def family_iri(family_id: str) -> URIRef:
    return URIRef(f"{BASE}family/{quote(family_id, safe='')}")


@lru_cache(maxsize=262_144)
def condition_iri(condition_id: str) -> URIRef:
    if condition_id.startswith("MESH:"):
        return MESH[condition_id[5:]]
    return local_iri("condition", condition_id)


def sponsor_iri(sponsor_id: str) -> URIRef:
    return local_iri("sponsor", sponsor_id)


def site_iri(site_id: str) -> URIRef:
    return local_iri("site", site_id)


def outcome_iri(key: str) -> URIRef:
    """'NCT00790751:primary:1' -> .../trial/NCT00790751/outcome/primary-1 (owned by the trial)."""
    nct, kind, ordinal = key.split(":")
    return URIRef(f"{BASE}trial/{nct}/outcome/{kind}-{ordinal}")


@lru_cache(maxsize=262_144)
def adverse_event_iri(key: str) -> URIRef:
    """An adverse event term (shared by the trials reporting it), from its key 'term|organ system'."""
    return local_iri("adverse-event", key)


def adverse_event_report_iri(nct: str, key: str, serious: bool) -> URIRef:
    """One trial's report of one term under one seriousness (the REPORTED relationship as a node)."""
    return URIRef(f"{BASE}trial/{nct}/adverse-event/{'serious' if serious else 'other'}-{_digest(key)}")


def publication_iri(pmid: str) -> URIRef:
    """The PubMed page of the article: resolves in the real world."""
    return PUBMED[pmid]


def citation_iri(nct: str, pmid: str) -> URIRef:
    """One trial's citation of one article (the CITES relationship as a node)."""
    return URIRef(f"{BASE}trial/{nct}/reference/{pmid}")


def indication_iri(drug_id: str, condition_id: str) -> URIRef:
    """A drug's indication for one condition (the INDICATED_FOR relationship as a node)."""
    return URIRef(f"{drug_iri(drug_id)}/indication/{_digest(condition_id)}")


# -- literals -----------------------------------------------------------------------------------
def date_literal(value: str) -> Literal:
    """'2021-07-19' -> xsd:date; '2021-07' -> xsd:gYearMonth; '2021' -> xsd:gYear."""
    if re.fullmatch(r"\d{4}-\d{2}-\d{2}", value):
        return Literal(value, datatype=XSD.date)
    if re.fullmatch(r"\d{4}-\d{2}", value):
        return Literal(value, datatype=XSD.gYearMonth)
    if re.fullmatch(r"\d{4}", value):
        return Literal(value, datatype=XSD.gYear)
    return Literal(value)


@lru_cache(maxsize=262_144)
def _plain_literal(text: str) -> Literal:
    return Literal(text)


def _text(v: Any) -> Literal:
    """A plain literal; short values (which recur: statuses, names, places) come from a cache."""
    v = str(v)
    return _plain_literal(v) if len(v) <= 120 else Literal(v)


def _lit(v: Any) -> Literal:
    if isinstance(v, bool):
        return Literal(v, datatype=XSD.boolean)
    if isinstance(v, int):
        return Literal(v, datatype=XSD.integer)
    if isinstance(v, float):
        return Literal(repr(v), datatype=XSD.decimal)
    return _text(v)


# -- triples ------------------------------------------------------------------------------------
# Free-text predicates (long literals), which a golden comparison may leave to separate checks.
FREE_TEXT = frozenset({"brief_summary", "detailed_description", "eligibility_criteria", "primary_outcomes",
                       "secondary_outcomes"})
# Trial properties exported as literals, graph property -> predicate: from graph/model.py (a
# property with an ``rdf`` predicate; kind "date" gives an xsd date literal).
_CURIES = {"tg": TG, "schema": SDO, "biolink": BIOLINK}


def term(curie: str) -> URIRef:
    """'schema:name' -> https://schema.org/name (the model's RDF terms)."""
    prefix, _, local = curie.partition(":")
    return _CURIES[prefix][local]


TRIAL_LITERALS: dict[str, URIRef] = {p.name: term(p.rdf) for p in model.NODES["Trial"].props
                                     if p.rdf and p.kind != "date"}
TRIAL_DATES: dict[str, URIRef] = {p.name: term(p.rdf) for p in model.NODES["Trial"].props
                                  if p.rdf and p.kind == "date"}


class _V:
    """The vocabulary terms the emitters use, made once (each Namespace attribute access builds a
    new URIRef)."""

    BIOLINK_Gene = BIOLINK.Gene
    BIOLINK_affects = BIOLINK.affects
    BIOLINK_in_clinical_trials_for = BIOLINK.in_clinical_trials_for
    DCTERMS_bibliographicCitation = DCTERMS.bibliographicCitation
    DCTERMS_source = DCTERMS.source
    RDFS_label = RDFS.label
    RDF_type = RDF.type
    SDO_Drug = SDO.Drug
    SDO_MedicalCondition = SDO.MedicalCondition
    SDO_MedicalTrial = SDO.MedicalTrial
    SDO_Organization = SDO.Organization
    SDO_Place = SDO.Place
    SDO_ScholarlyArticle = SDO.ScholarlyArticle
    SDO_addressCountry = SDO.addressCountry
    SDO_addressLocality = SDO.addressLocality
    SDO_addressRegion = SDO.addressRegion
    SDO_citation = SDO.citation
    SDO_code = SDO.code
    SDO_description = SDO.description
    SDO_healthCondition = SDO.healthCondition
    SDO_identifier = SDO.identifier
    SDO_latitude = SDO.latitude
    SDO_longitude = SDO.longitude
    SDO_name = SDO.name
    SDO_postalCode = SDO.postalCode
    SDO_sponsor = SDO.sponsor
    SKOS_altLabel = SKOS.altLabel
    SKOS_exactMatch = SKOS.exactMatch
    TG_AdverseEvent = TG.AdverseEvent
    TG_AdverseEventGroupCount = TG.AdverseEventGroupCount
    TG_AdverseEventReport = TG.AdverseEventReport
    TG_Arm = TG.Arm
    TG_Citation = TG.Citation
    TG_Condition = TG.Condition
    TG_ConditionStudied = TG.ConditionStudied
    TG_Drug = TG.Drug
    TG_Indication = TG.Indication
    TG_Intervention = TG.Intervention
    TG_Mechanism = TG.Mechanism
    TG_OptionGroup = TG.OptionGroup
    TG_Outcome = TG.Outcome
    TG_Publication = TG.Publication
    TG_OutcomeGroup = TG.OutcomeGroup
    TG_OutcomeValue = TG.OutcomeValue
    TG_SiteStatus = TG.SiteStatus
    TG_Target = TG.Target
    TG_TargetFamily = TG.TargetFamily
    TG_Trial = TG.Trial
    TG_actionType = TG.actionType
    TG_actsOn = TG.actsOn
    TG_adverseEvent = TG.adverseEvent
    TG_affected = TG.affected
    TG_affectedArm = TG.affectedArm
    TG_agencyClass = TG.agencyClass
    TG_analysisMethod = TG.analysisMethod
    TG_analysisPopulation = TG.analysisPopulation
    TG_arm = TG.arm
    TG_armType = TG.armType
    TG_asWritten = TG.asWritten
    TG_assessment = TG.assessment
    TG_atRisk = TG.atRisk
    TG_broader = TG.broader
    TG_category = TG.category
    TG_collaborator = TG.collaborator
    TG_condition = TG.condition
    TG_countryCode = TG.countryCode
    TG_dispersionType = TG.dispersionType
    TG_drugClass = TG.drugClass
    TG_gives = TG.gives
    TG_givesDrug = TG.givesDrug
    TG_hasAdverseEventReport = TG.hasAdverseEventReport
    TG_hasArm = TG.hasArm
    TG_hasCitation = TG.hasCitation
    TG_hasConditionStudied = TG.hasConditionStudied
    TG_hasGroupCount = TG.hasGroupCount
    TG_hasIndication = TG.hasIndication
    TG_hasIntervention = TG.hasIntervention
    TG_hasMechanism = TG.hasMechanism
    TG_hasOptionGroup = TG.hasOptionGroup
    TG_hasOutcome = TG.hasOutcome
    TG_hasResultGroup = TG.hasResultGroup
    TG_hasSite = TG.hasSite
    TG_hasSiteStatus = TG.hasSiteStatus
    TG_hasValue = TG.hasValue
    TG_indicatedFor = TG.indicatedFor
    TG_interventionType = TG.interventionType
    TG_isPlacebo = TG.isPlacebo
    TG_maxPhase = TG.maxPhase
    TG_measure = TG.measure
    TG_memberOf = TG.memberOf
    TG_modality = TG.modality
    TG_numericValue = TG.numericValue
    TG_optionDrug = TG.optionDrug
    TG_optionIntervention = TG.optionIntervention
    TG_ordinal = TG.ordinal
    TG_organSystem = TG.organSystem
    TG_otherName = TG.otherName
    TG_outcomeType = TG.outcomeType
    TG_pValue = TG.pValue
    TG_paramType = TG.paramType
    TG_participants = TG.participants
    TG_pmid = TG.pmid
    TG_publication = TG.publication
    TG_qualifier = TG.qualifier
    TG_recruitmentStatus = TG.recruitmentStatus
    TG_referenceType = TG.referenceType
    TG_reported = TG.reported
    TG_resolved = TG.resolved
    TG_resultGroup = TG.resultGroup
    TG_resultsReported = TG.resultsReported
    TG_serious = TG.serious
    TG_site = TG.site
    TG_symbol = TG.symbol
    TG_target = TG.target
    TG_timeFrame = TG.timeFrame
    TG_unit = TG.unit
    TG_usesDrug = TG.usesDrug
    TG_value = TG.value
    TG_vocabulary = TG.vocabulary
    XSD_decimal = XSD.decimal


def _values(v: Any) -> list[Any]:
    if v is None:
        return []
    return list(v) if isinstance(v, list | tuple) else [v]


def option_group_triples(owner: URIRef, members: list[tuple[str, Any]], pred: URIRef) -> Iterator[Triple]:
    """An arm's (or an intervention's) option groups: (group, member IRI) pairs -> one
    tg:OptionGroup node per group, its members given by ``pred`` (tg:optionIntervention for an
    arm's alternative interventions, tg:optionDrug for an intervention's own "A or B")."""
    for group, member in members:
        og = URIRef(f"{owner}/option/{group}")
        yield owner, _V.TG_hasOptionGroup, og
        yield og, _V.RDF_type, _V.TG_OptionGroup
        yield og, pred, member


def trial_triples(row: dict[str, Any]) -> Iterator[Triple]:
    """Triples of one trial row (writer.trial_row shape): the trial, its arms, interventions,
    condition links, sponsors and sites."""
    nct = row["nct_id"]
    p = row["props"]
    t = trial_iri(nct)
    yield t, _V.RDF_type, _V.SDO_MedicalTrial
    yield t, _V.RDF_type, _V.TG_Trial
    yield t, _V.SDO_identifier, _text(nct)
    yield t, _V.RDFS_label, _text(p.get("brief_title") or nct)
    for key, pred in TRIAL_LITERALS.items():
        for v in _values(p.get(key)):
            yield t, pred, _lit(v)
    for key, pred in TRIAL_DATES.items():
        if p.get(key):
            yield t, pred, date_literal(str(p[key]))
    for src in _values(p.get("sources")) or _values(p.get("source_layout")):
        layout, _, file = str(src).partition(":")  # the file's name only: no local paths in published data
        yield t, _V.DCTERMS_source, _text(f"{layout}:{PurePath(file).name}" if file else layout)
    for nd in row.get("unresolved_drugs", ()):
        yield from drug_triples({"drug_id": nd["drug_id"], "name": nd["name"], "resolved": False}, ())
    interventions = {i["intervention_id"]: i for i in row["interventions"]}
    drugs_of = {iid: i["drug_ids"] for iid, i in interventions.items()}
    for iid, i in interventions.items():
        iv = intervention_iri(iid)
        ip = i["props"]
        yield t, _V.TG_hasIntervention, iv
        yield iv, _V.RDF_type, _V.TG_Intervention
        yield iv, _V.RDFS_label, _text(ip.get("name", iid))
        if ip.get("type"):
            yield iv, _V.TG_interventionType, _text(ip["type"])
        for other in _values(ip.get("other_names")):
            yield iv, _V.TG_otherName, _text(other)
        yield iv, _V.TG_isPlacebo, _lit(bool(ip.get("is_placebo")))
        for did in i["drug_ids"]:
            yield iv, _V.TG_usesDrug, drug_iri(did)
        yield from option_group_triples(iv, [(u["option_group"], drug_iri(u["drug_id"]))
                                             for u in i.get("uses", ()) if u.get("option_group") is not None],
                                        _V.TG_optionDrug)
    for a in row["arms"]:
        arm = arm_iri(a["arm_id"])
        ap = a["props"]
        yield t, _V.TG_hasArm, arm
        yield arm, _V.RDF_type, _V.TG_Arm
        yield arm, _V.RDFS_label, _text(ap.get("label", a["arm_id"]))
        if ap.get("type"):
            yield arm, _V.TG_armType, _text(ap["type"])
        if ap.get("description"):
            yield arm, _V.SDO_description, _text(ap["description"])
        for iid in a["intervention_ids"]:
            yield arm, _V.TG_gives, intervention_iri(iid)
            for did in drugs_of.get(iid, ()):
                yield arm, _V.TG_givesDrug, drug_iri(did)
        yield from option_group_triples(arm, [(g["option_group"], intervention_iri(g["intervention_id"]))
                                              for g in a.get("gives", ()) if g.get("option_group") is not None],
                                        _V.TG_optionIntervention)
    all_drugs = sorted({d for ds in drugs_of.values() for d in ds})
    for c in row["conditions"]:
        cid = c["condition_id"]
        cond = condition_iri(cid)
        yield t, _V.SDO_healthCondition, cond
        link = URIRef(f"{BASE}trial/{nct}/condition/{_digest(cid)}")
        yield t, _V.TG_hasConditionStudied, link
        yield link, _V.RDF_type, _V.TG_ConditionStudied
        yield link, _V.TG_condition, cond
        for text in _values(c.get("as_written")):
            yield link, _V.TG_asWritten, _text(text)
        for q in _values(c.get("qualifiers")):
            yield link, _V.TG_qualifier, _text(q)
        props = c.get("props") or {}
        # curated conditions are stated once, by reference_triples; a registry MeSH descriptor
        # (sourced from the MeSH table only) with each trial naming it, like a written condition
        if not props.get("sources") or props["sources"] == [MESH_SOURCE]:
            yield from condition_triples(cid, props)
        for did in all_drugs:
            yield drug_iri(did), _V.BIOLINK_in_clinical_trials_for, cond
    for s in row["sponsors"]:
        org = sponsor_iri(s["sponsor_id"])
        yield t, _V.SDO_sponsor if s["role"] == "lead" else _V.TG_collaborator, org
        yield org, _V.RDF_type, _V.SDO_Organization
        yield org, _V.RDFS_label, _text(s["props"].get("name", s["sponsor_id"]))
        if s["props"].get("agency_class"):
            yield org, _V.TG_agencyClass, _text(s["props"]["agency_class"])
    for x in row["sites"]:
        place = site_iri(x["site_id"])
        xp = x["props"]
        yield t, _V.TG_hasSite, place
        yield place, _V.RDF_type, _V.SDO_Place
        yield place, _V.RDFS_label, _text(xp.get("facility") or x["site_id"])
        for key, pred in (("city", _V.SDO_addressLocality), ("state", _V.SDO_addressRegion), ("zip", _V.SDO_postalCode),
                          ("country", _V.SDO_addressCountry), ("country_code", _V.TG_countryCode)):
            if xp.get(key):
                yield place, pred, _text(xp[key])
        for key, pred in (("latitude", _V.SDO_latitude), ("longitude", _V.SDO_longitude)):
            if xp.get(key) is not None:
                yield place, pred, Literal(repr(float(xp[key])), datatype=_V.XSD_decimal)
        if x.get("status") or x.get("as_written"):
            status = URIRef(f"{BASE}trial/{nct}/site/{_digest(x['site_id'])}")
            yield t, _V.TG_hasSiteStatus, status
            yield status, _V.RDF_type, _V.TG_SiteStatus
            yield status, _V.TG_site, place
            if x.get("status"):
                yield status, _V.TG_recruitmentStatus, _text(x["status"])
            for text in _values(x.get("as_written")):
                yield status, _V.TG_asWritten, _text(text)
    yield from results_triples(row)


_DECIMAL = re.compile(r"-?[0-9]+(\.[0-9]+)?")


def _decimal(text: str) -> Literal | None:
    """A reported value that is a plain number ('14.1', '-3', '0') as xsd:decimal, else None
    ('NA', '<0.001', '12 to 14'). An integer gets '.0' so Turtle writes it as a decimal."""
    text = text.strip()
    if not _DECIMAL.fullmatch(text):
        return None
    return Literal(text if "." in text else f"{text}.0", datatype=_V.XSD_decimal)


def _arm_of(row: dict[str, Any]) -> dict[str, URIRef]:
    """The trial's arms by normalized label (graph/results.py's rule): a result or event group
    titled like an arm is linked to it."""
    return {_norm(a["props"].get("label")): arm_iri(a["arm_id"]) for a in row.get("arms", ()) if a["props"].get("label")}


def results_triples(row: dict[str, Any]) -> Iterator[Triple]:
    """A trial's results (graph/results.py rows): its outcome measures with the reported groups,
    values and p-values; the adverse event terms it reports, each report (REPORTED, with its
    counts) a tg:AdverseEventReport node with one tg:AdverseEventGroupCount per event group; the
    articles it cites, each citation (CITES, with its reference type) a tg:Citation node. Shared
    nodes (terms, articles) come as one run of triples each, stated once per trial."""
    nct = row["nct_id"]
    t = trial_iri(nct)
    arms = _arm_of(row)
    for o in row.get("outcomes") or ():
        op = o["props"]
        out = outcome_iri(o["key"])
        yield t, _V.TG_hasOutcome, out
        yield out, _V.RDF_type, _V.TG_Outcome
        yield out, _V.RDFS_label, _text(op.get("measure") or o["key"])
        for key, pred in (("measure", _V.TG_measure), ("kind", _V.TG_outcomeType), ("time_frame", _V.TG_timeFrame),
                          ("description", _V.SDO_description), ("param_type", _V.TG_paramType),
                          ("dispersion_type", _V.TG_dispersionType), ("unit", _V.TG_unit),
                          ("population", _V.TG_analysisPopulation)):
            if op.get(key):
                yield out, pred, _text(op[key])
        if op.get("ordinal") is not None:
            yield out, _V.TG_ordinal, _lit(int(op["ordinal"]))
        yield out, _V.TG_resultsReported, _lit(bool(op.get("reported")))
        for v in _values(op.get("p_values")):
            yield out, _V.TG_pValue, _text(v)
        for v in _values(op.get("analysis_methods")):
            yield out, _V.TG_analysisMethod, _text(v)
        titles = list(_values(op.get("result_groups")))
        values, value_groups = _values(op.get("values")), _values(op.get("value_groups"))
        titles += [g for g in dict.fromkeys(value_groups) if g not in titles]  # a value's group the list lacks
        participants = _values(op.get("participants"))
        group_of: dict[str, URIRef] = {}
        for i, title in enumerate(titles):
            grp = URIRef(f"{out}/group/{i + 1}")
            group_of.setdefault(title, grp)
            yield out, _V.TG_hasResultGroup, grp
            yield grp, _V.RDF_type, _V.TG_OutcomeGroup
            yield grp, _V.RDFS_label, _text(title)
            if i < len(participants) and len(participants) == len(_values(op.get("result_groups"))):
                yield grp, _V.TG_participants, _lit(int(participants[i]))
            if _norm(title) in arms:
                yield grp, _V.TG_arm, arms[_norm(title)]
        categories = _values(op.get("value_categories"))
        for i, value in enumerate(values):
            val = URIRef(f"{out}/value/{i + 1}")
            yield out, _V.TG_hasValue, val
            yield val, _V.RDF_type, _V.TG_OutcomeValue
            yield val, _V.TG_value, _text(value)
            number = _decimal(str(value))
            if number is not None:
                yield val, _V.TG_numericValue, number
            if i < len(value_groups):
                yield val, _V.TG_resultGroup, group_of[value_groups[i]]
            if i < len(categories) and categories[i]:
                yield val, _V.TG_category, _text(categories[i])
    stated: set[str] = set()
    for ae in row.get("adverse_events") or ():
        key, serious = ae["key"], bool(ae.get("serious"))
        term = adverse_event_iri(key)
        rep = adverse_event_report_iri(nct, key, serious)
        yield t, _V.TG_reported, term
        yield t, _V.TG_hasAdverseEventReport, rep
        yield rep, _V.RDF_type, _V.TG_AdverseEventReport
        yield rep, _V.TG_adverseEvent, term
        yield rep, _V.TG_serious, _lit(serious)
        for k, pred in (("affected", _V.TG_affected), ("at_risk", _V.TG_atRisk)):
            if ae.get(k) is not None:
                yield rep, pred, _lit(int(ae[k]))
        for k, pred in (("vocabulary", _V.TG_vocabulary), ("assessment", _V.TG_assessment)):
            if ae.get(k):
                yield rep, pred, _text(ae[k])
        for label in _values(ae.get("arms")):
            if _norm(label) in arms:
                yield rep, _V.TG_affectedArm, arms[_norm(label)]
        affected, at_risk = _values(ae.get("group_affected")), _values(ae.get("group_at_risk"))
        for i, title in enumerate(_values(ae.get("groups"))):
            cnt = URIRef(f"{rep}/group/{i + 1}")
            yield rep, _V.TG_hasGroupCount, cnt
            yield cnt, _V.RDF_type, _V.TG_AdverseEventGroupCount
            yield cnt, _V.RDFS_label, _text(title)
            if i < len(affected):
                yield cnt, _V.TG_affected, _lit(int(affected[i]))
            if i < len(at_risk):
                yield cnt, _V.TG_atRisk, _lit(int(at_risk[i]))
            if _norm(title) in arms:
                yield cnt, _V.TG_arm, arms[_norm(title)]
        if key not in stated:  # the term itself: one run, once per trial
            stated.add(key)
            yield from adverse_event_triples(key, ae.get("props") or {})
    for pub in row.get("publications") or ():
        pmid = str(pub["pmid"])
        art = publication_iri(pmid)
        cit = citation_iri(nct, pmid)
        yield t, _V.SDO_citation, art
        yield t, _V.TG_hasCitation, cit
        yield cit, _V.RDF_type, _V.TG_Citation
        yield cit, _V.TG_publication, art
        if pub.get("type"):
            yield cit, _V.TG_referenceType, _text(pub["type"])
        yield from publication_triples(pmid, pub.get("props") or {})


def adverse_event_triples(key: str, props: dict[str, Any]) -> Iterator[Triple]:
    """An adverse event term: its spelling, organ system and vocabulary (a shared node)."""
    term = adverse_event_iri(key)
    yield term, _V.RDF_type, _V.TG_AdverseEvent
    yield term, _V.RDFS_label, _text(props.get("term") or key)
    if props.get("organ_system"):
        yield term, _V.TG_organSystem, _text(props["organ_system"])
    if props.get("vocabulary"):
        yield term, _V.TG_vocabulary, _text(props["vocabulary"])


def publication_triples(pmid: str, props: dict[str, Any]) -> Iterator[Triple]:
    """An article by its PMID (a shared node), with the citation as the first trial naming it wrote it."""
    art = publication_iri(pmid)
    yield art, _V.RDF_type, _V.SDO_ScholarlyArticle
    yield art, _V.RDF_type, _V.TG_Publication
    yield art, _V.RDFS_label, _text(f"PMID {pmid}")
    yield art, _V.TG_pmid, _text(pmid)
    if props.get("citation"):
        yield art, _V.DCTERMS_bibliographicCitation, _text(props["citation"])


def condition_triples(condition_id: str, props: dict[str, Any]) -> Iterator[Triple]:
    cond = condition_iri(condition_id)
    yield cond, _V.RDF_type, _V.SDO_MedicalCondition
    yield cond, _V.RDF_type, _V.TG_Condition
    yield cond, _V.RDFS_label, _text(props.get("name") or condition_id)
    yield cond, _V.TG_resolved, _lit(bool(props.get("resolved", condition_id.startswith("MESH:"))))
    if props.get("mesh_id"):
        yield cond, _V.SDO_code, _text(f"MESH:{props['mesh_id']}")
    if props.get("mondo_id"):
        yield cond, _V.SKOS_exactMatch, OBO[props["mondo_id"].replace(":", "_")]
    for syn in _values(props.get("synonyms")):
        yield cond, _V.SKOS_altLabel, _text(syn)


def reference_triples(drugs: Iterable[dict[str, Any]], targets: Iterable[dict[str, Any]],
                      families: Iterable[dict[str, Any]], broader: Iterable[tuple[str, str]] = (),
                      conditions: Iterable[tuple[str, dict[str, Any]]] = ()) -> Iterator[Triple]:
    """Drugs (with mechanisms), targets, families, reference conditions and the broader links
    between them."""
    stated: set[str] = set()
    for cid, props in conditions:
        stated.add(cid)
        yield from condition_triples(cid, props)
    symbols: dict[str, URIRef] = {}
    for t in targets:
        tp = t["props"]
        iri = target_iri(tp["symbol"], tp.get("ncbi_gene"))
        symbols[tp["symbol"]] = iri
        yield iri, _V.RDF_type, _V.TG_Target
        yield iri, _V.RDF_type, _V.BIOLINK_Gene
        yield iri, _V.RDFS_label, _text(tp["symbol"])
        yield iri, _V.TG_symbol, _text(tp["symbol"])
        if tp.get("name"):
            yield iri, _V.SDO_name, _text(tp["name"])
        for alias in _values(tp.get("aliases")):
            yield iri, _V.SKOS_altLabel, _text(alias)
        if tp.get("uniprot"):
            yield iri, _V.SKOS_exactMatch, UNIPROT[tp["uniprot"]]
        if tp.get("hgnc_id"):
            yield iri, _V.SKOS_exactMatch, HGNC[tp["hgnc_id"].removeprefix("HGNC:")]
        for fid in t.get("families", ()):
            yield iri, _V.TG_memberOf, family_iri(fid)
    for f in families:
        fp = f["props"]
        iri = family_iri(fp["family_id"])
        yield iri, _V.RDF_type, _V.TG_TargetFamily
        yield iri, _V.RDFS_label, _text(fp.get("name") or fp["family_id"])
        for alias in _values(fp.get("aliases")):
            yield iri, _V.SKOS_altLabel, _text(alias)
    for d in drugs:
        yield from drug_triples(d["props"], d.get("acts_on", ()), symbols, d.get("indications") or (), stated)
    for narrow, broad in broader:
        yield condition_iri(narrow), _V.TG_broader, condition_iri(broad)


def xref_iri(curie: str) -> URIRef:
    """'MESH:D016190' -> the MeSH RDF IRI; 'NCIT:C162774' -> the OBO PURL; any other prefix
    ('DRUGBANK:DB00398') -> its bioregistry.io resolver IRI."""
    prefix, _, local = curie.partition(":")
    if prefix == "MESH":
        return MESH[local]
    if prefix == "NCIT":
        return OBO[f"NCIT_{local}"]
    return URIRef(f"{BIOREGISTRY}{prefix.lower()}:{local}")


def drug_triples(dp: dict[str, Any], acts_on: Iterable[dict[str, Any]],
                 symbols: dict[str, URIRef] | None = None,
                 indications: Iterable[dict[str, Any]] = (), stated: frozenset[str] | set[str] = frozenset()
                 ) -> Iterator[Triple]:
    """A drug (reference or unresolved), its mechanisms and its indications (INDICATED_FOR, each
    a tg:Indication node with the highest phase reached and the source); an indication's
    condition is stated here unless the reference data states it (``stated``)."""
    symbols = symbols or {}
    iri = drug_iri(dp["drug_id"])
    yield iri, _V.RDF_type, _V.SDO_Drug
    yield iri, _V.RDF_type, _V.TG_Drug
    yield iri, _V.RDFS_label, _text(dp.get("name") or dp["drug_id"])
    yield iri, _V.TG_resolved, _lit(bool(dp.get("resolved", True)))
    for key, pred in (("modality", _V.TG_modality), ("drug_class", _V.TG_drugClass)):
        if dp.get(key):
            yield iri, pred, _text(dp[key])
    for key in ("code_names", "brand_names", "synonyms"):
        for v in _values(dp.get(key)):
            yield iri, _V.SKOS_altLabel, _text(v)
    for curie in _values(dp.get("xrefs")):
        yield iri, _V.SKOS_exactMatch, xref_iri(curie)
    for a in acts_on:
        tgt = symbols.get(a["symbol"]) or target_iri(a["symbol"], None)
        yield iri, _V.TG_actsOn, tgt
        yield iri, _V.BIOLINK_affects, tgt
        mech = URIRef(f"{iri}/mechanism/{quote(a['symbol'], safe='')}")
        yield iri, _V.TG_hasMechanism, mech
        yield mech, _V.RDF_type, _V.TG_Mechanism
        yield mech, _V.TG_target, tgt
        if a.get("action"):
            yield mech, _V.TG_actionType, _text(a["action"])
        for src in _values(a.get("sources")):
            yield mech, _V.DCTERMS_source, _text(src)
    for ind in indications:
        cid = ind["condition_id"]
        cond = condition_iri(cid)
        node = indication_iri(dp["drug_id"], cid)
        yield iri, _V.TG_indicatedFor, cond
        yield iri, _V.TG_hasIndication, node
        yield node, _V.RDF_type, _V.TG_Indication
        yield node, _V.TG_condition, cond
        if ind.get("max_phase") is not None:
            yield node, _V.TG_maxPhase, Literal(repr(float(ind["max_phase"])), datatype=_V.XSD_decimal)
        if ind.get("source"):
            yield node, _V.DCTERMS_source, _text(ind["source"])
        props = ind.get("props") or {}
        if cid not in stated and not props.get("sources"):  # reference conditions: by reference_triples
            yield from condition_triples(cid, props)


# -- sources of rows ------------------------------------------------------------------------------
@dataclass
class Rows:
    """What an export needs: trial rows (streamed) and the reference entities."""

    trials: Iterable[dict[str, Any]]
    drugs: list[dict[str, Any]]
    targets: list[dict[str, Any]]
    families: list[dict[str, Any]]
    broader: list[tuple[str, str]]
    conditions: list[tuple[str, dict[str, Any]]]


def _broader(data: ReferenceData) -> list[tuple[str, str]]:
    return [(c.id, b) for c in data.conditions.values() for b in c.broader]


def _conditions(data: ReferenceData) -> list[tuple[str, dict[str, Any]]]:
    from trialgraph.graph.writer import condition_reference_props

    return sorted(condition_reference_props(data).items())


def trial_pages(gateway: Gateway, page: int = 500) -> Iterator[dict[str, Any]]:
    """Every trial row of the graph, in NCT id order, read a page at a time and streamed
    (Gateway.stream), as the writer built it: without the writer's ``row_digests``."""
    ids = sorted(r["nct_id"] for r in gateway.read(catalog.statement("export-trial-ids")))
    stmt, results = catalog.statement("export-trials"), catalog.statement("export-results")
    for k in range(0, len(ids), page):
        found = {r["nct_id"]: r for r in gateway.read(results, {"ids": ids[k:k + page]})}
        for row in gateway.stream(stmt, {"ids": ids[k:k + page]}):  # rows as the server sends them
            row["props"].pop("row_digests", None)  # the writer's reload bookkeeping, not data to export
            res = found.get(row["nct_id"], {})
            row.update({key: res.get(key) or [] for key in ("outcomes", "adverse_events", "publications")})
            yield row


def rows_from_graph(gateway: Gateway, data: ReferenceData, page: int = 500) -> Rows:
    def trials() -> Iterator[dict[str, Any]]:
        yield from trial_pages(gateway, page)

    ref = gateway.read(catalog.statement("export-reference"))
    drugs = [r for r in ref if r["kind"] == "drug"]
    targets = [r for r in ref if r["kind"] == "target"]
    families = [r for r in ref if r["kind"] == "family"]
    return Rows(trials(), drugs, targets, families, _broader(data), _conditions(data))


def rows_from_records(trials: Iterable[dict[str, Any]], data: ReferenceData) -> Rows:
    """Rows straight from files (no database): trial rows plus the reference data."""
    from trialgraph.graph.writer import reference_params

    targets_params, drugs_params = reference_params(data)
    return Rows(trials, drugs_params["drugs"], targets_params["targets"], targets_params["families"], _broader(data),
                _conditions(data))


def triples(rows: Rows) -> Iterator[Triple]:
    yield from reference_triples(rows.drugs, rows.targets, rows.families, rows.broader, rows.conditions)
    for row in rows.trials:
        yield from trial_triples(row)


# -- serialization ---------------------------------------------------------------------------------
_NT_ESCAPE = {"\\": "\\\\", '"': '\\"', "\n": "\\n", "\r": "\\r", "\t": "\\t"}
# one C-level pass per literal (str.translate), not a Python loop over its characters
_NT_TABLE = str.maketrans({**{chr(c): f"\\u{c:04X}" for c in range(0x20)}, **_NT_ESCAPE})


def _nt_term(term: URIRef | Literal) -> str:
    if isinstance(term, URIRef):
        return f"<{term}>"
    text = str(term).translate(_NT_TABLE)
    if term.language:
        return f'"{text}"@{term.language}'
    if term.datatype and term.datatype != XSD.string:
        return f'"{text}"^^<{term.datatype}>'
    return f'"{text}"'


def nt_line(s: URIRef, p: URIRef, o: URIRef | Literal) -> str:
    return f"{_nt_term(s)} {_nt_term(p)} {_nt_term(o)} .\n"


# -- each distinct triple once ----------------------------------------------------------------------
_TRIAL_IRI = "https://clinicaltrials.gov/study/"
_TRIAL_OWNED = BASE + "trial/"


def _owner(subject: str) -> str | None:
    """The NCT id of the trial a subject belongs to (the trial, its arms, interventions,
    condition links, site statuses, outcomes, adverse event reports and citations), or None for a
    node trials share (drugs, conditions, sponsors, sites, adverse event terms, articles,
    reference data)."""
    if subject.startswith(_TRIAL_IRI):
        return subject[len(_TRIAL_IRI):]
    if subject.startswith(_TRIAL_OWNED):
        return subject[len(_TRIAL_OWNED):].split("/", 1)[0]
    return None


def _key(text: str) -> int:
    return int.from_bytes(hashlib.blake2b(text.encode("utf-8", "surrogatepass"), digest_size=16).digest(), "big")


class Distinct:
    """N-Triples with each distinct triple once, in the order first stated, in bounded memory.

    A trial's own triples (its subject is the trial or a node only it has) are stated by that
    trial alone: they are made distinct within the trial. Triples about shared nodes (a site, a
    sponsor, a drug, a condition: stated again by every trial that names them) come in runs, the
    consecutive lines of one subject; a run is kept once, by a 128-bit digest of its text, so
    memory grows with the distinct shared nodes, not with the triples. From the graph, a shared
    node's run is the same for every trial (one node, one set of properties), so every duplicate
    goes; from files, two spellings of one node give two runs, each stated once."""

    def __init__(self) -> None:
        self.seen: set[int] = set()
        self.owner: str | None = None
        self.own: set[str] = set()

    def segments(self, triples_: Iterable[Triple]) -> Iterator[tuple[int | None, str, int]]:
        """(run key or None, text, lines): a trial's own lines, already distinct (key None), and
        the runs about shared nodes, for ``keep`` to filter (here or in another process)."""
        subject, run, own = "", list[str](), list[str]()
        for s, p, o in triples_:
            line = nt_line(s, p, o)
            owner = _owner(s)
            if owner is None:
                if s != subject:
                    if run:
                        text = "".join(run)
                        yield _key(text), text, len(run)
                        run = []
                    elif own:
                        yield None, "".join(own), len(own)
                        own = []
                    subject = s
                run.append(line)
                continue
            if run:
                text = "".join(run)
                yield _key(text), text, len(run)
                run, subject = [], ""
            if owner != self.owner:
                self.owner, self.own = owner, set()
            if line not in self.own:
                self.own.add(line)
                own.append(line)
        if run:
            text = "".join(run)
            yield _key(text), text, len(run)
        if own:
            yield None, "".join(own), len(own)

    def keep(self, key: int | None) -> bool:
        """Whether a segment is new (a trial's own lines always are)."""
        if key is None:
            return True
        if key in self.seen:
            return False
        self.seen.add(key)
        return True


def write(triples_: Iterable[Triple], out: IO[str], fmt: str, chunk: int = 50_000,
          progress: Callable[[int], None] | None = None, distinct: Distinct | None = None) -> int:
    """Serialize; N-Triples and Turtle stream in chunks. Returns the number of triples written.
    N-Triples states each distinct triple once (``Distinct``); Turtle is made distinct within each
    chunk of ``chunk`` triples."""
    if fmt not in FORMATS:
        raise ValueError(f"unknown RDF format {fmt!r}; one of {', '.join(FORMATS)}")
    n = 0
    if fmt == "nt":
        distinct = distinct or Distinct()
        buf: list[str] = []
        for key, text, lines in distinct.segments(triples_):
            if not distinct.keep(key):
                continue
            buf.append(text)
            n += lines
            if len(buf) >= chunk:
                out.write("".join(buf))
                buf.clear()
                if progress:
                    progress(n)
        out.write("".join(buf))
        return n
    if fmt == "turtle":
        _turtle_prefixes(out)
        return _turtle_blocks(triples_, out, chunk, progress)
    g = _graph()
    for t in triples_:
        g.add(t)
    out.write(g.serialize(format="json-ld", context={k: str(v) for k, v in PREFIXES.items()}, indent=1))
    return len(g)


def _trial_chunk(job: tuple[str, list[dict[str, Any]]]) -> tuple[Any, int]:
    """A worker's share of a parallel export: the trials' triples, serialized (N-Triples: as
    segments, for the main process to keep each shared run once)."""
    fmt, rows = job
    trials_ = (t for row in rows for t in trial_triples(row))
    if fmt == "nt":
        return list(Distinct().segments(trials_)), 0
    buf = io.StringIO()
    n = _turtle_blocks(trials_, buf)
    return buf.getvalue(), n


def write_parallel(rows: Rows, out: IO[str], fmt: str, workers: int, chunk: int = 100,
                   progress: Callable[[int], None] | None = None) -> int:
    """N-Triples or Turtle, the trials' triples built and serialized in ``workers`` processes
    while this one reads; output in the same order as ``write``, memory bounded."""
    from trialgraph.parallel import ordered_map

    if fmt not in ("nt", "turtle"):
        return write(triples(rows), out, fmt, progress=progress)
    ref = reference_triples(rows.drugs, rows.targets, rows.families, rows.broader, rows.conditions)
    distinct = Distinct()
    if fmt == "turtle":
        _turtle_prefixes(out)
        n = _turtle_blocks(ref, out)
    else:
        n = write(ref, out, "nt", distinct=distinct)
    trial_rows = iter(rows.trials)
    jobs = iter(lambda: (fmt, list(itertools.islice(trial_rows, chunk))), (fmt, []))
    for result, k in ordered_map(_trial_chunk, jobs, workers):
        if fmt == "nt":
            kept = [(text, lines) for key, text, lines in result if distinct.keep(key)]
            out.write("".join(text for text, _ in kept))
            n += sum(lines for _, lines in kept)
        else:
            out.write(result)
            n += k
        if progress:
            progress(n)
    return n


def _turtle_prefixes(out: IO[str]) -> None:
    for prefix, ns in PREFIXES.items():
        out.write(f"@prefix {prefix}: <{ns}> .\n")
    out.write("\n")


def _turtle_blocks(triples_: Iterable[Triple], out: IO[str], chunk: int = 50_000,
                   progress: Callable[[int], None] | None = None) -> int:
    """Turtle without the prefix lines, a block per ``chunk`` triples (flat memory)."""
    n = 0
    g = _graph()
    for t in triples_:
        g.add(t)
        n += 1
        if len(g) >= chunk:
            _flush_turtle(g, out)
            g = _graph()
            if progress:
                progress(n)
    _flush_turtle(g, out)
    return n


def _graph() -> Graph:
    g = Graph(bind_namespaces="none")
    for prefix, ns in PREFIXES.items():
        g.bind(prefix, ns, override=True)
    return g


def _flush_turtle(g: Graph, out: IO[str]) -> None:
    if not len(g):
        return
    text = g.serialize(format="turtle")
    out.write("".join(line + "\n" for line in text.splitlines() if not line.startswith("@prefix")).lstrip("\n"))
    out.write("\n")
