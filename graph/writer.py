"""The graph writer: resolved trials -> batched, atomic, idempotent writes.

Rows are built here from records and resolutions; the Cypher is in graph/cypher/*.cypher.
Only property names that graph/schema.py declares are ever written.
"""

from __future__ import annotations

import hashlib
import json
import logging
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from itertools import islice
from pathlib import PurePath
from typing import Any, TypeVar

import orjson

from trialgraph.errors import GraphError, GraphUnavailableError
from trialgraph.graph import catalog, model, schema
from trialgraph.graph.gateway import Gateway
from trialgraph.graph.gencypher import has_new_variant
from trialgraph.graph.merge import Disagreement, Stored, held_props, merge, older_version, rank
from trialgraph.graph.results import result_rows
from trialgraph.ontology.normalize import DRUG_LIKE_TYPES, ResolvedTrial, unresolved_drug_name
from trialgraph.ontology.reference import ReferenceData
from trialgraph.ontology.registry import MESH_SOURCE, Registry, default_registry
from trialgraph.ontology.resolve import country_code, sponsor_key
from trialgraph.ontology.sites import facility_name, placeholder
from trialgraph.ontology.sites import site_key as make_site_key
from trialgraph.records import Age, Trial, TrialDate
from trialgraph.tally import Tally

log = logging.getLogger(__name__)
T = TypeVar("T")


def batched(items: Iterable[T], size: int) -> Iterator[list[T]]:
    if size < 1:
        raise ValueError("batch size must be at least 1")
    it = iter(items)
    while batch := list(islice(it, size)):
        yield batch


def _props(label: str, values: dict[str, Any]) -> dict[str, Any]:
    """Drop None (absent) values; refuse a property the schema does not declare."""
    allowed = schema.NODES[label].properties
    out = {}
    for k, v in values.items():
        if k not in allowed:
            raise ValueError(f"property {k!r} is not declared for {label} in graph/schema.py")
        if v is None or v == []:
            continue
        out[k] = v
    return out


def _digest(*parts: str) -> str:
    return hashlib.sha1("\x1f".join(parts).encode()).hexdigest()[:16]


def arm_id(nct_id: str, label: str) -> str:
    return f"{nct_id}:arm:{_digest(label)}"


def intervention_id(nct_id: str, name: str) -> str:
    return f"{nct_id}:intervention:{_digest(name)}"


def _date(d: TrialDate | None) -> tuple[str | None, str | None]:
    return (d.date, d.type) if d else (None, None)


def _years(age: Age | None) -> float | None:
    if age is None:
        return None
    per_year = {"Years": 1, "Months": 12, "Weeks": 52.1775, "Days": 365.25, "Hours": 8766, "Minutes": 525960}
    return round(age.value / per_year.get(age.unit, 1), 4)


def source_name(file: str) -> str:
    """A source file by its name, without the directory it was loaded from (no local path enters
    the graph or its exports): '/home/u/data/ctgov.zip!NCT1.json' -> 'ctgov.zip!NCT1.json',
    '/tmp/x.ndjson#line 3' -> 'x.ndjson#line 3'."""
    cut = min((i for i in (file.find("!"), file.find("#")) if i >= 0), default=len(file))
    return PurePath(file[:cut]).name + file[cut:]


def trial_row(rt: ResolvedTrial) -> dict[str, Any]:
    t: Trial = rt.trial
    nct = t.nct_id
    design, elig = t.design, t.eligibility
    start, start_type = _date(t.start_date)
    pcd, pcd_type = _date(t.primary_completion_date)
    comp, comp_type = _date(t.completion_date)
    sites = _site_rows(t)
    props = _props(
        "Trial",
        {
            "nct_id": nct,
            "brief_title": t.brief_title,
            "official_title": t.official_title,
            "acronym": t.acronym,
            "org_study_id": t.org_study_id,
            "secondary_ids": [i.value for i in t.identifiers if i.type != "org_study_id"],
            "overall_status": t.overall_status,
            "why_stopped": t.why_stopped,
            "phases": list(t.phases),
            "study_type": t.study_type,
            "enrollment": t.enrollment.count if t.enrollment else None,
            "enrollment_type": t.enrollment.type if t.enrollment else None,
            "start_date": start,
            "start_date_type": start_type,
            "primary_completion_date": pcd,
            "primary_completion_date_type": pcd_type,
            "completion_date": comp,
            "completion_date_type": comp_type,
            "first_posted_date": _date(t.first_posted_date)[0],
            "last_update_date": _date(t.last_update_date)[0],
            "brief_summary": t.brief_summary,
            "detailed_description": t.detailed_description,
            "keywords": list(t.keywords),
            "condition_mesh_ids": [m.id for m in t.condition_mesh if m.id],
            "condition_mesh_terms": [m.term for m in t.condition_mesh],
            "intervention_mesh_ids": [m.id for m in t.intervention_mesh if m.id],
            "intervention_mesh_terms": [m.term for m in t.intervention_mesh],
            "allocation": design.allocation if design else None,
            "intervention_model": design.intervention_model if design else None,
            "primary_purpose": design.primary_purpose if design else None,
            "masking": design.masking if design else None,
            "who_masked": list(design.who_masked) if design else None,
            "minimum_age": elig.minimum_age.text if elig and elig.minimum_age else None,
            "maximum_age": elig.maximum_age.text if elig and elig.maximum_age else None,
            "minimum_age_years": _years(elig.minimum_age) if elig else None,
            "maximum_age_years": _years(elig.maximum_age) if elig else None,
            "sex": elig.sex if elig else None,
            "healthy_volunteers": elig.healthy_volunteers if elig else None,
            "eligibility_criteria": elig.criteria if elig else None,
            "funder_types": list(t.funder_types),
            "responsible_party": t.responsible_party,
            # absent is not zero: a rendering that lists no sites and states no count says nothing
            "site_count": t.site_count if t.site_count is not None else (len(sites) or None),
            "countries": list(t.countries) or sorted({s.country for s in t.sites if s.country}),
            "central_contacts": [c.name for c in t.contacts],
            "reference_pmids": [r.pmid for r in t.references if r.pmid],
            "reference_citations": [r.citation for r in t.references],
            "primary_outcomes": [o.measure for o in t.outcomes if o.kind == "primary"],
            "secondary_outcomes": [o.measure for o in t.outcomes if o.kind == "secondary"],
            "related_nct_ids": [r.nct_id for r in t.related_trials],
            "has_results": t.has_results,
            "source_layout": t.source.layout,
            "source_file": source_name(t.source.file),
        },
    )
    interventions = []
    unresolved_drugs: dict[str, dict[str, Any]] = {}
    seen: set[str] = set()
    for iv in t.interventions:
        res = rt.interventions[iv.name]
        iid = intervention_id(nct, iv.name)
        if iid in seen:  # the same name listed twice is one intervention (its first listing)
            continue
        seen.add(iid)
        drug_ids = rt.drug_ids(iv.name, iv.type)
        if res.unresolved and not res.placebo and iv.type in DRUG_LIKE_TYPES:
            # a drug the reference data does not know is still a drug: kept, flagged unresolved
            unresolved_drugs.setdefault(drug_ids[0], {"drug_id": drug_ids[0], "name": unresolved_drug_name(iv.name)})
        own = rt.intervention_groups.get(iv.name, {})
        interventions.append(
            {
                "intervention_id": iid,
                "drug_ids": drug_ids,
                # drugs the intervention's own name offers as alternatives ("cisplatin or carboplatin")
                "uses": [{"drug_id": d, "option_group": own.get(d)} for d in drug_ids],
                "props": _props(
                    "Intervention",
                    {
                        "intervention_id": iid,
                        "nct_id": nct,
                        "name": iv.name,
                        "type": iv.type,
                        "description": iv.description,
                        "other_names": list(iv.other_names),
                        "is_placebo": res.placebo,
                        "resolved": not res.unresolved,
                    },
                ),
            }
        )
    arms = []
    for arm in t.arms:
        aid = arm_id(nct, arm.label)
        if aid in seen:  # the same label twice is one arm (its first listing)
            continue
        seen.add(aid)
        names = list(dict.fromkeys(arm.interventions))
        groups = rt.arm_groups.get(arm.label, {})
        arms.append(
            {
                "arm_id": aid,
                "intervention_ids": list(dict.fromkeys(intervention_id(nct, name) for name in names)),
                "gives": [{"intervention_id": intervention_id(nct, name), "option_group": groups.get(name)}
                          for name in names],
                "props": _props(
                    "Arm",
                    {"arm_id": aid, "nct_id": nct, "label": arm.label, "type": arm.type, "description": arm.description},
                ),
            }
        )
    conditions: dict[str, dict[str, Any]] = {}
    for text, res in rt.conditions:
        c = conditions.setdefault(
            res.condition_id,
            {
                "condition_id": res.condition_id,
                "as_written": [],
                "qualifiers": [],
                "props": _props(
                    "Condition",
                    {"condition_id": res.condition_id, "name": res.name, "resolved": res.resolved,
                     # a descriptor the registry assigned (reference conditions get their own props)
                     "mesh_id": res.condition_id[5:] if res.condition_id.startswith("MESH:") else None},
                ),
            },
        )
        c["as_written"].append(text)
        c["qualifiers"] += [q for q in res.qualifiers if q not in c["qualifiers"]]
    for c in conditions.values():  # no qualifier is an absent property on both engines, never []
        c["qualifiers"] = c["qualifiers"] or None
    sponsors = []
    for s in t.sponsors:
        sid = sponsor_key(s.name)
        sponsors.append(
            {"sponsor_id": sid, "role": s.role, "props": _props("Sponsor", {"name": s.name, "agency_class": s.agency_class})}
        )
    return {
        "nct_id": nct,
        "props": props,
        "unresolved_drugs": list(unresolved_drugs.values()),
        "interventions": interventions,
        "arms": arms,
        "conditions": list(conditions.values()),
        "sponsors": sponsors,
        "sites": sites,
    }


def _site_rows(t: Trial) -> list[dict[str, Any]]:
    """A trial's sites, one row per site: spellings of one site (a department, a typo) fold into
    one row, and the trial's own spellings stay on it as as_written."""
    sites: dict[str, dict[str, Any]] = {}
    for s in t.sites:
        sid = make_site_key(s.facility, s.city, s.country)
        name = facility_name(s.facility) if s.facility else None
        site = sites.get(sid)
        if site is None:
            site = sites[sid] = {
                "site_id": sid,
                "status": s.status,
                "as_written": [],
                "props": _props(
                    "Site",
                    {
                        "facility": name,
                        "city": s.city,
                        "state": s.state,
                        "zip": s.zip,
                        "country": s.country,
                        "country_code": country_code(s.country),
                        "latitude": s.latitude,
                        "longitude": s.longitude,
                        "placeholder": placeholder(name),
                    },
                ),
            }
        if s.facility and s.facility != name and s.facility not in site["as_written"]:
            site["as_written"].append(s.facility)
    for site in sites.values():
        site["as_written"] = site["as_written"] or None
    return list(sites.values())


def reference_params(data: ReferenceData) -> tuple[dict[str, Any], dict[str, Any]]:
    """Parameters of write-targets.cypher and write-drugs.cypher."""
    families = [
        {
            "family_id": f.id,
            "props": _props(
                "TargetFamily", {"family_id": f.id, "name": f.name, "aliases": list(f.aliases), "sources": list(f.sources)}
            ),
        }
        for f in data.families.values()
    ]
    targets = [
        {
            "symbol": t.symbol,
            "families": list(t.families),
            "props": _props(
                "Target",
                {
                    "symbol": t.symbol,
                    "name": t.name,
                    "aliases": list(t.aliases),
                    "ncbi_gene": t.ncbi_gene,
                    "uniprot": t.uniprot,
                    "hgnc_id": t.hgnc_id,
                    "sources": list(t.sources),
                },
            ),
        }
        for t in data.targets.values()
    ]
    drugs = [
        {
            "drug_id": d.id,
            "props": _props(
                "Drug",
                {
                    "drug_id": d.id,
                    "name": d.name,
                    "modality": d.modality,
                    "drug_class": d.drug_class,
                    "code_names": list(d.code_names),
                    "brand_names": list(d.brand_names),
                    "synonyms": list(d.synonyms),
                    "salts": list(d.salts),
                    "xrefs": list(d.identifiers),
                    "atc": _atc(d.id),
                    "sources": list(d.sources),
                    "resolved": True,
                },
            ),
            "acts_on": [
                {"symbol": sym, "action": a.action, "sources": list(a.sources)} for a in d.acts_on for sym in a.symbols
            ],
        }
        for d in data.drugs.values()
    ]
    return {"families": families, "targets": targets}, {"drugs": drugs}


# how an indication of the registry tables cites its source (ontology/data/derived/NOTICE.md)
INDICATION_SOURCE = "chembl-36"


def _atc(drug_id: str) -> list[str] | None:
    """A curated drug's ATC codes, from the registry tables (PharmGKB) where they know it."""
    reg = default_registry()
    d = reg.drug(drug_id) if reg is not None else None
    return list(d.atc) if d is not None else None


def _trees(mesh_id: str | None) -> list[str] | None:
    reg = default_registry()
    d = reg.mesh(mesh_id) if reg is not None and mesh_id else None
    return list(d.tree_numbers) if d is not None else None


def registry_condition_props(registry: Registry, mesh_id: str) -> dict[str, Any] | None:
    """A MeSH descriptor the curated data does not hold, as a Condition node's properties."""
    d = registry.mesh(mesh_id)
    if d is None:
        return None
    return _props("Condition", {"condition_id": f"MESH:{mesh_id}", "name": d.heading, "mesh_id": mesh_id,
                                "mesh_heading": d.heading, "tree_numbers": list(d.tree_numbers), "resolved": True,
                                "sources": [MESH_SOURCE]})


def condition_reference_props(data: ReferenceData) -> dict[str, dict[str, Any]]:
    """Reference properties of each known condition, merged onto Condition nodes as trials name them."""
    return {
        c.id: _props(
            "Condition",
            {
                "condition_id": c.id,
                "name": c.name,
                "mesh_id": c.mesh,
                "mesh_heading": c.mesh_heading,
                "mondo_id": c.mondo,
                "synonyms": [*c.synonyms, *c.abbreviations],
                "tree_numbers": _trees(c.mesh),
                "resolved": True,
                "sources": list(c.sources),
            },
        )
        for c in data.conditions.values()
    }


def variant(props: dict[str, Any]) -> str:
    """Order-independent choice among spellings of one shared node: the most complete wins, then
    the highest digest (any fixed tie-break would do; this one needs no state)."""
    filled = sum(v is not None and v != [] for k, v in props.items() if k != "variant")
    canonical = json.dumps({k: v for k, v in props.items() if k != "variant"}, sort_keys=True, default=str)
    return f"{filled:03d}:{hashlib.sha1(canonical.encode()).hexdigest()[:16]}"


@dataclass
class WriteReport:
    trials_written: int = 0
    trials_unchanged: int = 0  # renderings the graph already holds, unchanged: not written again
    renderings_merged: int = 0  # another rendering (layout and file) merged into a trial of the graph or batch
    renderings_older: int = 0  # an older version of a record the graph holds (merge.older_version): skipped
    # (nct_id, reason) of the trials refused, and the disagreements between renderings (by field):
    # exact counts, a few examples each (trialgraph.tally)
    failed: Tally[tuple[str, str]] = field(default_factory=Tally)
    disagreements: Tally[Disagreement] = field(default_factory=Tally)


def row_digest(row: dict[str, Any]) -> str:
    """``layout:digest`` of one rendering's row (writer.trial_row shape, before merging): the
    same record read the same way gives the same digest."""
    body = orjson.dumps({k: v for k, v in row.items() if k != "digest"}, option=orjson.OPT_SORT_KEYS, default=str)
    return f"{row['props'].get('source_layout', '')}:{hashlib.sha1(body).hexdigest()[:20]}"


def _source(props: dict[str, Any]) -> str:
    layout, file = props.get("source_layout", ""), props.get("source_file")
    return f"{layout}:{file}" if file else layout


def next_digests(held: list[str], digest: str) -> list[str]:
    """The digests a trial holds once a rendering with ``digest`` is merged into it. A digest is
    kept only while merging its rendering again would change nothing. A rendering of a layout
    the trial has not seen only adds its digest (it wins or fills gaps; the others would lose or
    find no gap again). A new version of a layout the trial holds replaces that layout's digest,
    and the lower-precedence renderings lose theirs (the new version may have dropped values they
    would fill again); higher-precedence ones keep theirs."""
    layout = digest.split(":", 1)[0]
    layouts = {d.split(":", 1)[0] for d in held}
    keep = [d for d in held if d.split(":", 1)[0] != layout and (layout not in layouts or rank(d.split(":", 1)[0]) > rank(layout))]
    return sorted({*keep, digest})


class RowBuilder:
    """Resolved trials -> rows (the shape write-trials.cypher takes and the exports read)."""

    def __init__(self, data: ReferenceData, registry: Registry | None = None) -> None:
        self.data = data
        self.registry = registry if registry is not None else default_registry()
        # reference conditions are the same for every trial: their variant is ranked once, here
        self._condition_props = {cid: {**p, "variant": variant(p)} for cid, p in condition_reference_props(data).items()}
        self._by_mesh = {c.mesh: c.id for c in data.conditions.values() if c.mesh}

    def condition_props(self, condition_id: str) -> dict[str, Any] | None:
        """The properties (with variant) of a condition the reference data (curated or MeSH) knows."""
        if condition_id in self._condition_props:
            return self._condition_props[condition_id]
        if condition_id.startswith("MESH:") and self.registry is not None:
            mid = condition_id[5:]
            if mid in self._by_mesh:
                return self._condition_props[self._by_mesh[mid]]
            if (p := registry_condition_props(self.registry, mid)) is not None:
                self._condition_props[condition_id] = p = {**p, "variant": variant(p)}
                return p
        return None

    def drug_facts(self, drug_ids: Iterable[str]) -> list[tuple[str, dict[str, Any]]]:
        """(statement name, parameters) for the registry facts of these drugs, in writing order:
        the drugs of the registry tables (not curated) with their mechanisms (write-targets for
        their targets, write-drugs); then the indications of every one of them the tables know
        (curated ones too): their MeSH conditions (write-Condition, shared like a trial's), and
        each drug's INDICATED_FOR set replaced whole (replace- and write-INDICATED_FOR, generated
        from graph/model.py)."""
        targets: dict[str, dict[str, Any]] = {}
        drugs: list[dict[str, Any]] = []
        conditions: dict[str, dict[str, Any]] = {}
        indicated: list[str] = []
        indications: list[dict[str, Any]] = []
        reg = self.registry
        for did in sorted(set(drug_ids)):
            d = reg.drug(did) if reg is not None else None
            if reg is None or d is None:
                continue
            if did not in self.data.drugs:
                acts: dict[str, dict[str, Any]] = {}
                for m in reg.mechanisms(did):
                    a = acts.setdefault(m.symbol, {"symbol": m.symbol, "action": None, "sources": []})
                    a["action"] = a["action"] or m.action
                    a["sources"] = sorted({*a["sources"], m.source})
                    if m.symbol not in self.data.targets and m.symbol not in targets:
                        t = reg.target(m.symbol)
                        if t is not None:
                            targets[m.symbol] = {"symbol": t.symbol, "families": [], "props": _props("Target", {
                                "symbol": t.symbol, "name": t.name, "aliases": list(t.aliases), "ncbi_gene": t.ncbi_gene,
                                "uniprot": t.uniprot, "hgnc_id": t.hgnc_id, "sources": ["hgnc"]})}
                acts_on = [a for a in acts.values() if a["symbol"] in targets or a["symbol"] in self.data.targets]
                drugs.append({"drug_id": did, "acts_on": acts_on, "props": _props("Drug", {
                    "drug_id": did, "name": d.name, "xrefs": list(d.xrefs), "atc": list(d.atc),
                    "sources": list(d.sources), "resolved": True})})
            indicated.append(did)
            for mid, phase in reg.indications(did):
                if (p := self.condition_props(f"MESH:{mid}")) is not None:
                    conditions[p["condition_id"]] = {"key": p["condition_id"], "props": p}
                    indications.append({"start": did, "end": p["condition_id"],
                                        "props": {"max_phase": float(phase), "source": INDICATION_SOURCE}})
        out: list[tuple[str, dict[str, Any]]] = []
        if targets:
            out.append(("write-targets", {"families": [], "targets": list(targets.values())}))
        if drugs:
            out.append(("write-drugs", {"drugs": drugs}))
        if conditions:
            out.append(("write-Condition", {"rows": list(conditions.values())}))
        if indicated:
            out.append(("replace-INDICATED_FOR", {"rows": indicated}))
        if indications:
            out.append(("write-INDICATED_FOR", {"rows": indications}))
        return out

    def row(self, rt: ResolvedTrial) -> dict[str, Any]:
        row = trial_row(rt)
        # Sites, sponsors, text conditions and unresolved drugs are shared by trials that may spell
        # them differently (a zip code with or without its suffix, a hyphen): each spelling carries
        # a variant rank and the graph keeps the highest, so the result never depends on load order.
        for c in row["conditions"]:
            if (p := self.condition_props(c["condition_id"])) is not None:
                c["props"] = p
            elif c.get("props") is not None:
                c["props"] = {**c["props"], "variant": variant(c["props"])}
        for kind, key in (("sponsors", "sponsor_id"), ("sites", "site_id")):
            for x in row[kind]:
                if x.get("props") is not None:  # the key too: the winning spelling replaces the node's map
                    x["props"] = {**x["props"], "variant": variant(x["props"]), key: x[key]}
        for d in row["unresolved_drugs"]:
            d["variant"] = variant({"name": d["name"]})
        row.update(result_rows(rt.trial))  # outcomes, adverse events, publications (graph/results.py)
        for kind in ("adverse_events", "publications"):
            for x in row[kind]:
                x["props"] = {**x["props"], "variant": variant(x["props"])}
        row["digest"] = row_digest(row)  # computed where the row is built (a worker), for the reload check
        return row


class GraphWriter(RowBuilder):
    def __init__(self, gateway: Gateway, data: ReferenceData, batch_size: int = 100) -> None:
        super().__init__(data)
        self.gateway = gateway
        self.batch_size = batch_size
        self._facts_written: set[str] = set()  # drugs whose registry facts this writer has written

    def write_drug_facts(self, rows: list[dict[str, Any]]) -> None:
        """The registry facts (ontology/registry.py) of the drugs these trials give, once per
        writer and before the trials name them, in one transaction: registry drugs with their
        mechanisms and targets, and drugs' indications (:meth:`RowBuilder.drug_facts`)."""
        if self.registry is None:
            return
        ids = {d for r in rows for i in r["interventions"] for d in i["drug_ids"]} - self._facts_written
        if not ids:
            return
        statements = self.drug_facts(ids)
        if statements:
            with self.gateway.transaction() as tx:
                for name, params in statements:
                    tx.run(catalog.statement(name), params)
        self._facts_written |= ids

    def prepare(self) -> None:
        """Schema, then the reference entities (idempotent)."""
        self.gateway.ensure_schema()
        targets, drugs = reference_params(self.data)
        self.gateway.write(catalog.statement("write-targets"), targets)
        self.gateway.write(catalog.statement("write-drugs"), drugs)

    def merged_rows(self, rows: list[dict[str, Any]], report: WriteReport,
                    held: dict[str, list[str]] | None = None) -> tuple[list[dict[str, Any]], set[str]]:
        """The batch's rows, each merged with the graph's copy of its trial and with other
        renderings of the same trial in the batch (graph/merge.py); and the ids of the trials
        the graph already holds. ``held``: the digests the graph's trials hold (``read-digests``;
        read here if not given). A rendering the graph holds unchanged is skipped."""
        if held is None:
            held = self.held_digests(rows)
        digests: dict[str, list[str]] = {}
        pending: list[dict[str, Any]] = []
        for row in rows:
            nct, d = row["nct_id"], row.get("digest") or row_digest(row)
            now = digests.get(nct, held.get(nct) or [])
            if d in now:  # merging it again would change nothing
                report.trials_unchanged += 1
                continue
            digests[nct] = next_digests(now, d)
            pending.append(row)
        ids = sorted({r["nct_id"] for r in pending if r["nct_id"] in held})
        stored = {r["nct_id"]: Stored.from_graph(r)
                  for r in self.gateway.read(catalog.statement("read-trials"), {"nct_ids": ids})} if ids else {}
        for st in stored.values():
            st.props.pop("row_digests", None)  # the writer's bookkeeping, not a value to merge
        out: dict[str, dict[str, Any]] = {}
        for row in pending:
            nct = row["nct_id"]
            previous = out.get(nct) or stored.get(nct)
            held_date = older_version(previous, row)
            if held_date is not None:
                report.renderings_older += 1
                log.warning("%s: %s is an older version (last update %s) of the record the graph holds (%s): skipped",
                            nct, row["props"].get("source_file") or row["props"].get("source_layout"),
                            row["props"].get("last_update_date"), held_date)
                continue
            if previous is not None:
                sources = held_props(previous).get("sources", [])
                if _source(row["props"]) not in sources:  # a second rendering, not the same one again
                    report.renderings_merged += 1
            m = merge(previous, row)
            out[nct] = m.row
            for d in m.disagreements:
                report.disagreements.add(d.field, d)
        for nct, row in out.items():
            row.pop("digest", None)
            row["props"] = {**row["props"], "row_digests": digests[nct]}
        return list(out.values()), set(held)

    def held_digests(self, rows: list[dict[str, Any]]) -> dict[str, list[str]]:
        """nct_id -> the digests the graph's trial holds, for the trials of ``rows`` it holds."""
        ids = sorted({r["nct_id"] for r in rows})
        return {r["nct_id"]: list(r["row_digests"] or [])
                for r in self.gateway.read(catalog.statement("read-digests"), {"nct_ids": ids})}

    def write(self, items: Iterable[tuple[str, dict[str, Any]]], report: WriteReport | None = None,
              on_commit: Callable[[list[tuple[str, dict[str, Any]]], set[str]], None] | None = None) -> WriteReport:
        """Write (document, row) items in batches. Each batch is one unit of work
        (Gateway.transaction): one UNWIND statement per entity and relationship type
        (graph/cypher/write-*.cypher, generated from graph/model.py), so a trial lands whole or
        not at all. Trials the graph does not hold yet take the CREATE statements; the others the
        MERGE ones, after the components their rendering replaces are removed (replace-*.cypher).
        A trial with a value of the wrong type for the model is refused before anything is
        written. A batch the graph refuses is retried trial by trial, so one bad trial is
        reported and the others still land. A rendering the graph already holds unchanged (its
        row digest is among the trial's ``row_digests``) is counted as unchanged and not written.
        ``on_commit(batch, failed_nct_ids)`` hears of each batch once the graph has it."""
        report = report or WriteReport()
        for batch in batched(items, self.batch_size):
            rows, stored = self.merged_rows([row for _, row in batch], report)
            self.write_drug_facts(rows)
            failed: set[str] = set()  # this batch's refused trials
            good, entities = [], {}
            for row in rows:
                try:
                    entities[row["nct_id"]] = ent = model.trial_entities(row)
                    check_row(row, ent)
                    good.append(row)
                except model.PropertyTypeError as e:
                    self._refuse(report, failed, row["nct_id"], str(e))
            if good:
                self._write(good, stored, report, entities, failed)
            if on_commit:
                on_commit(batch, failed)
        return report

    def write_rows(self, rows: list[dict[str, Any]], stored: set[str],
                   entities: dict[str, dict[str, list[dict[str, Any]]]] | None = None) -> None:
        """One transaction: the statements of merged rows (``stored``: the ids of the trials the
        graph already holds)."""
        with self.gateway.transaction() as tx:
            for name, params in batch_statements(rows, stored, entities):
                tx.run(catalog.statement(name), {"rows": params})

    @staticmethod
    def _refuse(report: WriteReport, failed: set[str], nct_id: str, reason: str) -> None:
        failed.add(nct_id)
        report.failed.add("not-written", (nct_id, reason))

    def _write(self, rows: list[dict[str, Any]], stored: set[str], report: WriteReport,
               entities: dict[str, dict[str, list[dict[str, Any]]]] | None = None,
               failed: set[str] | None = None) -> None:
        """Write the rows, else each on its own; ``failed`` collects the ids of those refused."""
        failed = set() if failed is None else failed
        try:
            self.write_rows(rows, stored, entities)
            report.trials_written += len(rows)
            return
        except GraphUnavailableError:
            raise
        except GraphError as e:
            if len(rows) > 1:
                log.warning("a batch of %d trials failed (%s); writing them one by one", len(rows), e)
            error = e
        # Isolate the bad trial; the others still land whole. Each is merged (not created): on the
        # local server, which has no rollback, part of the failed batch may be in the graph already.
        for row in rows:
            try:
                if len(rows) == 1 and row["nct_id"] in stored:
                    raise error
                self.write_rows([row], {row["nct_id"]})
                report.trials_written += 1
            except GraphUnavailableError:
                raise
            except GraphError as e2:
                self._refuse(report, failed, row["nct_id"], str(e2))
                if not self.gateway.capabilities.atomic_transactions:  # part of it may be there: not whole
                    self.gateway.write(catalog.statement("unmark-Trial-digests"), {"rows": [row["nct_id"]]})


def check_row(row: dict[str, Any], entities: dict[str, list[dict[str, Any]]] | None = None) -> None:
    """Every value of a merged trial row has the type its model declares (model.check_props)."""
    where = f"trial {row['nct_id']}"
    model.check_props("Trial", row["props"], where)
    entities = entities if entities is not None else model.trial_entities(row)
    for node in model.TRIAL_NODES:
        for r in entities[node.label]:
            model.check_props(node.label, r["props"], where)


def batch_statements(rows: list[dict[str, Any]], stored: set[str],
                     entities: dict[str, dict[str, list[dict[str, Any]]]] | None = None) -> list[tuple[str, list[Any]]]:
    """(statement name, its $rows) for a batch of merged rows, in writing order: what replaced
    components remove, the trials, every entity type, every relationship type, the digests.
    Generated statements (graph/gencypher.py); the model says what goes where. ``entities``:
    nct_id -> model.trial_entities(row), when the caller has them already."""
    ent = entities if entities is not None else {r["nct_id"]: model.trial_entities(r) for r in rows}
    new = [r for r in rows if r["nct_id"] not in stored]
    old = [r for r in rows if r["nct_id"] in stored]
    out: list[tuple[str, list[Any]]] = []

    def add(name: str, params: list[Any]) -> None:
        if params:
            out.append((name, params))

    for component in model.COMPONENTS:
        ids = [r["nct_id"] for r in old if r.get("replace", {}).get(component)]
        for node in model.owned_by(component):
            add(f"replace-{node.label}", ids)
        for rel in model.TRIAL_RELS:
            if rel.component == component:
                add(f"replace-{rel.type}", ids)
    add("write-Trial", [{"key": r["nct_id"], "props": {k: v for k, v in r["props"].items() if k != "row_digests"}}
                        for r in rows])
    entity_types: list[model.Node | model.Rel] = [*model.TRIAL_NODES, *model.TRIAL_RELS]
    for entity in entity_types:
        kind = entity.label if isinstance(entity, model.Node) else entity.type
        name = f"write-{kind}"
        if has_new_variant(entity):
            add(name + ".new", [x for r in new for x in ent[r["nct_id"]][kind]])
            add(name, [x for r in old for x in ent[r["nct_id"]][kind]])
        else:
            add(name, [x for r in rows for x in ent[r["nct_id"]][kind]])
    add("write-Trial-digests", [{"key": r["nct_id"], "row_digests": r["props"].get("row_digests")} for r in rows])
    return out
