"""Resolution coverage on a folder of trial records (issue 18's figures).

    python benchmarks/coverage.py PATH... [--json FILE] [--top 30] [--no-registry]

Reads the records as `trialgraph load` does (one rendering per NCT id: the first read), resolves
them with the default resolver (curated data + registry tables) and prints:
- condition mentions (a trial's condition as written) linked to a MeSH descriptor;
- drug mentions (DRUG / BIOLOGICAL / COMBINATION_PRODUCT / GENETIC / untyped interventions,
  placebo excluded) linked to a drug with at least one sourced identifier (by identity source);
- those drug mentions reaching at least one target with a sourced mechanism (by mechanism
  source; and counting only sources that state an action type);
- the most frequent names still unresolved.
No database is needed.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import time
from collections import Counter
from pathlib import Path
from typing import Any

from trialgraph.ontology.normalize import normalize
from trialgraph.ontology.reference import reference_data
from trialgraph.ontology.resolve import Resolver, default_resolver
from trialgraph.pipeline import LoadReport, read_trials

DRUG_TYPES = {None, "DRUG", "BIOLOGICAL", "COMBINATION_PRODUCT", "GENETIC"}
WITH_ACTION = {"curated", "chembl-36", "drugcentral-2016"}


def drug_facts(resolver: Resolver, drug_id: str) -> tuple[list[str], set[str]]:
    """(identity sources, mechanism sources) of a resolved drug."""
    cur = resolver.data.drugs.get(drug_id)
    reg = resolver.registry.drug(drug_id) if resolver.registry is not None else None
    ids: list[str] = []
    if cur is not None and cur.identifiers:
        ids.append("curated")
    if reg is not None and reg.xrefs:
        ids += list(reg.sources)
    mech: set[str] = set()
    if cur is not None and cur.acts_on:
        mech.add("curated")
    elif resolver.registry is not None:
        mech |= {m.source for m in resolver.registry.mechanisms(drug_id)}
    return ids, mech


def coverage(paths: list[Path], resolver: Resolver, top: int = 30) -> dict[str, Any]:
    report = LoadReport()
    seen: set[str] = set()
    cond_total = cond_mesh = 0
    cond_unresolved: Counter[str] = Counter()
    drug_total = drug_ident = drug_target = drug_target_action = 0
    ident_by: Counter[str] = Counter()
    target_by: Counter[str] = Counter()
    drug_unresolved: Counter[str] = Counter()
    no_target: Counter[str] = Counter()
    for trial in read_trials(paths, report):
        if trial.nct_id in seen:
            continue
        seen.add(trial.nct_id)
        rt = normalize(trial, resolver)
        for text, res in rt.conditions:
            cond_total += 1
            if res.condition_id.startswith("MESH:"):
                cond_mesh += 1
            else:
                cond_unresolved[text.strip().lower()] += 1
        for iv in trial.interventions:
            res = rt.interventions[iv.name]
            if iv.type not in DRUG_TYPES or res.placebo:
                continue
            if not res.drugs and not res.unresolved:
                continue  # nothing but placebo words
            drug_total += 1
            facts = [drug_facts(resolver, d) for d in res.drugs]
            ids = [i for f in facts for i in f[0]]
            mech = {m for f in facts for m in f[1]}
            if ids:
                drug_ident += 1
                ident_by[ids[0]] += 1
            else:
                drug_unresolved[iv.name.strip().lower()] += 1
            if mech:
                drug_target += 1
                target_by["curated" if "curated" in mech else "+".join(sorted(mech))] += 1
                if mech & WITH_ACTION:
                    drug_target_action += 1
            elif ids:
                no_target[", ".join(res.drugs)] += 1

    def pct(a: int, b: int) -> float:
        return round(100 * a / b, 1) if b else 0.0

    return {
        "trials": len(seen),
        "condition_mentions": cond_total,
        "conditions_linked_to_mesh": cond_mesh,
        "conditions_linked_pct": pct(cond_mesh, cond_total),
        "drug_mentions": drug_total,
        "drugs_with_identity": drug_ident,
        "drugs_with_identity_pct": pct(drug_ident, drug_total),
        "identity_by_source": dict(ident_by.most_common()),
        "drugs_reaching_a_target": drug_target,
        "drugs_reaching_a_target_pct": pct(drug_target, drug_total),
        "drugs_reaching_a_target_with_action_pct": pct(drug_target_action, drug_total),
        "target_by_source": dict(target_by.most_common()),
        "top_unresolved_conditions": cond_unresolved.most_common(top),
        "top_unresolved_drugs": drug_unresolved.most_common(top),
        "top_identified_drugs_without_target": no_target.most_common(top),
    }


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("paths", nargs="+", type=Path)
    ap.add_argument("--json", type=Path)
    ap.add_argument("--top", type=int, default=30)
    ap.add_argument("--no-registry", action="store_true", help="the curated reference data only (the figures before)")
    args = ap.parse_args(argv)
    os.environ.setdefault("TRIALGRAPH_REGISTRY", "1")
    resolver = Resolver(reference_data()) if args.no_registry else default_resolver()
    t0 = time.process_time()
    out = coverage(args.paths, resolver, args.top)
    out["cpu_seconds"] = round(time.process_time() - t0, 1)
    for k, v in out.items():
        if isinstance(v, list):
            print(f"{k}:")
            for name, n in v:
                print(f"  {n:5d}  {name}")
        else:
            print(f"{k}: {v}")
    if args.json:
        args.json.write_text(json.dumps(out, indent=1) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
