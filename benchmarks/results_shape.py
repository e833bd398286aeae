"""The registry proportions behind ``trialgraph synth``'s results (trialgraph/synth.py): read off
real records, not the loader under test. Run on the project's shared real-data folder (a copy of
public ClinicalTrials.gov records, SOURCES.md there) or any folder of API v2 JSON / legacy XML:

    python benchmarks/results_shape.py /path/to/realdata

It counts, per layout: studies; studies with a results section; protocol outcomes per study
(primary, secondary, other); serious and other adverse-event terms per study with results;
references per study and the share with a PMID. It prints JSON; BENCHMARKS.md quotes it.
"""

from __future__ import annotations

import json
import sys
import xml.etree.ElementTree as ET
import zipfile
from collections import Counter
from pathlib import Path


def _studies(doc):
    if isinstance(doc, dict) and isinstance(doc.get("studies"), list):
        return doc["studies"]
    return doc if isinstance(doc, list) else [doc]


def _json_docs(path: Path):
    if path.suffix == ".zip":
        with zipfile.ZipFile(path) as z:
            for n in z.namelist():
                if n.endswith(".json"):
                    yield from _studies(json.loads(z.read(n)))
                elif n.endswith(".xml"):
                    yield z.read(n)
        return
    text = path.read_text(encoding="utf-8")
    try:
        yield from _studies(json.loads(text))
    except ValueError:
        for line in text.splitlines():
            if line.strip():
                yield json.loads(line)


def count(root: Path) -> dict:
    c: Counter = Counter()
    seen: set[str] = set()
    for path in sorted(root.rglob("*")):
        if not path.is_file() or path.suffix not in (".json", ".zip", ".xml"):
            continue
        docs = [path.read_bytes()] if path.suffix == ".xml" else list(_json_docs(path))
        for doc in docs:
            if isinstance(doc, bytes):
                _xml(doc, c, seen)
            elif isinstance(doc, dict):
                _v2(doc, c, seen)
    out = {}
    for layout in ("v2", "xml"):
        n, r = c[f"{layout}:studies"], c[f"{layout}:with_results"]
        refs = c[f"{layout}:references"]
        out[layout] = {
            "studies": n, "with_results": r, "results_share": round(r / n, 4) if n else None,
            "primary_per_study": round(c[f"{layout}:primary"] / n, 3) if n else None,
            "secondary_per_study": round(c[f"{layout}:secondary"] / n, 3) if n else None,
            "other_per_study": round(c[f"{layout}:other"] / n, 3) if n else None,
            "serious_terms_per_study_with_results": round(c[f"{layout}:serious"] / r, 2) if r else None,
            "other_terms_per_study_with_results": round(c[f"{layout}:other_ae"] / r, 2) if r else None,
            "references_per_study": round(refs / n, 3) if n else None,
            "pmid_share_of_references": round(c[f"{layout}:pmids"] / refs, 3) if refs else None,
            "reference_types": {k.split(":")[-1]: round(v / refs, 3) for k, v in sorted(c.items())
                                if k.startswith(f"{layout}:type:")} if refs else None,
        }
    return out


def _v2(s: dict, c: Counter, seen: set[str]) -> None:
    p = s.get("protocolSection") or {}
    nct = (p.get("identificationModule") or {}).get("nctId")
    if not nct or "statusModule" not in p or nct in seen:  # a field-subset record, or seen already
        return
    seen.add(nct)
    c["v2:studies"] += 1
    o = p.get("outcomesModule") or {}
    c["v2:primary"] += len(o.get("primaryOutcomes") or [])
    c["v2:secondary"] += len(o.get("secondaryOutcomes") or [])
    c["v2:other"] += len(o.get("otherOutcomes") or [])
    refs = (p.get("referencesModule") or {}).get("references") or []
    c["v2:references"] += len(refs)
    c["v2:pmids"] += sum(1 for r in refs if r.get("pmid"))
    for r in refs:
        c[f"v2:type:{r.get('type') or 'none'}"] += 1
    if "resultsSection" in s:
        c["v2:with_results"] += 1
        ae = s["resultsSection"].get("adverseEventsModule") or {}
        c["v2:serious"] += len(ae.get("seriousEvents") or [])
        c["v2:other_ae"] += len(ae.get("otherEvents") or [])


def _xml(data: bytes, c: Counter, seen: set[str]) -> None:
    try:
        r = ET.fromstring(data)
    except ET.ParseError:
        return
    nct = r.findtext("id_info/nct_id")
    if r.tag != "clinical_study" or not nct or nct in seen or r.find("overall_status") is None:
        return
    seen.add(nct)
    c["xml:studies"] += 1
    for tag, key in (("primary_outcome", "primary"), ("secondary_outcome", "secondary"), ("other_outcome", "other")):
        c[f"xml:{key}"] += len(r.findall(tag))
    refs = r.findall("reference") + r.findall("results_reference")
    c["xml:references"] += len(refs)
    c["xml:pmids"] += sum(1 for x in refs if x.findtext("PMID"))
    for x in refs:
        c[f"xml:type:{'RESULT' if x.tag == 'results_reference' else 'none'}"] += 1
    if r.find("clinical_results") is not None:
        c["xml:with_results"] += 1
        for tag, key in (("serious_events", "serious"), ("other_events", "other_ae")):
            cats = r.findall(f"clinical_results/reported_events/{tag}/category_list/category")
            c[f"xml:{key}"] += sum(1 for cat in cats if cat.findtext("title") != "Total" for _ in cat.findall("event_list/event"))


if __name__ == "__main__":
    print(json.dumps(count(Path(sys.argv[1])), indent=2))
