"""One trial, many renderings: merge a new rendering of a trial into what the graph holds.

The same trial can arrive from several sources (the API JSON, the CT.gov page, the legacy XML,
the Veeva and MedPath mirrors). It stays one Trial node. The rules:

- **Precedence** (highest first): ``ctgov_api_v2`` > ``ctgov_page`` > ``ctgov_xml`` > ``veeva``
  > ``medpath``. The API JSON is the registry's canonical record; the CT.gov page renders the
  current record; the legacy XML is a retired snapshot format; the mirrors re-render the registry.
- **Field by field**: a value from a higher (or the same) source replaces a value from a lower
  one; a value only a lower source has fills the gap; a newer version of the same source
  replaces that source's earlier values (what it no longer says is dropped, nothing stale
  stays).
- **Structure** (arms with their interventions, conditions, sponsors, sites) is taken whole from
  one source per component, by the same precedence; a source that shows no sites (a page that
  only counts them) does not erase the sites another source listed.
- **Versions**: a rendering of the same layout with an earlier last-update date than the one the
  graph holds from that layout is an older version of the record: it is skipped, not merged
  (``older_version``), so a stale or trimmed copy loaded after the current record loses nothing.
- **Provenance**: the Trial keeps ``sources`` (every rendering, ``layout:file``), ``source_layout``
  / ``source_file`` (the highest-precedence rendering) and ``field_sources`` (``field=layout``
  for every field or component whose value came from another rendering).
- **Disagreements**: where two renderings give different values (compared ignoring case,
  punctuation and spacing; a shorter value that is a prefix of the other, such as a month-precision
  date, agrees), the kept value follows precedence and the disagreement is reported by the load and
  stored in ``disagreements`` as ``field: <kept layout> kept, <other layout> differs``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from trialgraph.graph import model

PRECEDENCE = ("ctgov_api_v2", "ctgov_page", "ctgov_xml", "veeva", "medpath")
# Structural components, each replaced whole, and the row lists that make each one up: the
# replace rules are data on the models (graph/model.py: each entity's component).
PARTS = {c: model.row_lists(c) for c in model.COMPONENTS}
COMPONENTS = tuple(PARTS)
BOOKKEEPING = frozenset({"nct_id", "source_layout", "source_file", "sources", "field_sources", "disagreements"})


def rank(layout: str) -> int:
    """Higher is preferred; a layout not in the list ranks lowest."""
    return len(PRECEDENCE) - PRECEDENCE.index(layout) if layout in PRECEDENCE else 0


@dataclass(frozen=True)
class Disagreement:
    nct_id: str
    field: str
    kept_layout: str
    kept: Any
    other_layout: str
    other: Any

    def stored(self) -> str:
        return f"{self.field}: {self.kept_layout} kept, {self.other_layout} differs"

    def __str__(self) -> str:
        return (f"{self.nct_id} {self.field}: {self.kept_layout} says {_short(self.kept)}, "
                f"{self.other_layout} says {_short(self.other)}; kept {self.kept_layout}")


def _short(v: Any, n: int = 70) -> str:
    s = repr(v)
    return s if len(s) <= n else s[: n - 3] + "..."


def _norm(v: Any) -> Any:
    if isinstance(v, str):
        return re.sub(r"[\W_]+", "", v.casefold())
    if isinstance(v, list | tuple):
        return tuple(sorted(str(_norm(x)) for x in v))
    if isinstance(v, bool) or v is None:
        return v
    if isinstance(v, int | float):
        return float(v)
    return v


def agree(a: Any, b: Any) -> bool:
    na, nb = _norm(a), _norm(b)
    if na == nb:
        return True
    if isinstance(na, str) and isinstance(nb, str) and na and nb:
        return na.startswith(nb) or nb.startswith(na)
    return False


def summary(row: dict[str, Any]) -> dict[str, Any]:
    """What the disagreement check compares for each structural component of a row."""
    return {
        "arms": sorted(a["props"].get("label", "") for a in row["arms"]),
        "conditions": sorted(c["condition_id"] for c in row["conditions"]),
        "sponsors": sorted(f"{s['role']}:{s['sponsor_id']}" for s in row["sponsors"]),
        "sites": len(row["sites"]),
        "results": sum(len(row.get(k) or []) for k in PARTS["results"]),
    }


@dataclass
class Stored:
    """A trial as the graph holds it: its properties and a summary of its structure."""

    props: dict[str, Any]
    structure: dict[str, Any]

    @classmethod
    def from_graph(cls, record: dict[str, Any]) -> Stored:
        structure = {c: sorted(record[c]) if isinstance(record[c], list) else record[c] for c in COMPONENTS}
        return cls(dict(record["props"]), structure)


@dataclass
class Merged:
    row: dict[str, Any]
    disagreements: list[Disagreement] = field(default_factory=list)


def _note_layouts(note: str) -> tuple[str, ...]:
    m = re.match(r"^[^:]+: (\S+) kept, (\S+) differs$", note)
    return m.groups() if m else ()


def _layout(source: str) -> str:
    return source.split(":", 1)[0]


def held_props(previous: Stored | dict[str, Any]) -> dict[str, Any]:
    """The trial's properties as the graph holds them (Stored) or as a row merged earlier in the batch has them."""
    return previous.props if isinstance(previous, Stored) else previous["props"]


def field_sources(props: dict[str, Any]) -> dict[str, str]:
    """field -> layout, for each field whose value came from another rendering than the primary one."""
    return dict(f.split("=", 1) for f in props.get("field_sources", []) if "=" in f)


def older_version(previous: Stored | dict[str, Any] | None, row: dict[str, Any]) -> str | None:
    """The date the graph's (or the batch's) copy holds when ``row`` is an older version of it:
    the same layout (and so the same registry record) with an earlier last-update date than the
    one that layout gave before. A refresh never goes back in time: a trimmed or stale copy of a
    record loaded after the current one must not replace it (compared at the precision both give:
    '2023-09' is not older than '2023-09-10')."""
    if previous is None:
        return None
    old_props = held_props(previous)
    if field_sources(old_props).get("last_update_date", old_props.get("source_layout")) != row["props"].get("source_layout"):
        return None
    old, new = old_props.get("last_update_date"), row["props"].get("last_update_date")
    if not isinstance(old, str) or not isinstance(new, str):
        return None
    n = min(len(old), len(new))
    return old if new[:n] < old[:n] else None


def merge(previous: Stored | dict[str, Any] | None, row: dict[str, Any]) -> Merged:
    """``row`` (from writer.trial_row) merged into ``previous``.

    ``previous`` is the graph's trial (:class:`Stored`), a row merged earlier in the same batch, or
    None. The result is a row for write-trials.cypher, with ``replace`` flags per component: a
    component not replaced keeps what the graph (or the earlier row) has.
    """
    props = dict(row["props"])
    layout, file = props.pop("source_layout"), props.pop("source_file", None)
    new_source = f"{layout}:{file}" if file else layout
    has = {c: any(row.get(k) for k in PARTS[c]) for c in COMPONENTS}

    if previous is None:
        out = {**row, "props": {**props, "source_layout": layout, "source_file": file, "sources": [new_source]}}
        out["replace"] = dict.fromkeys(COMPONENTS, True)
        return Merged(out)

    if isinstance(previous, Stored):
        old_props, old_structure = previous.props, previous.structure
        old_lists: dict[str, list[Any]] = {k: [] for keys in PARTS.values() for k in keys}
        old_replace = dict.fromkeys(COMPONENTS, False)
    else:  # a row merged earlier in this batch
        old_props, old_structure = previous["props"], summary(previous)
        old_lists = {k: previous.get(k, []) for keys in PARTS.values() for k in keys}
        old_replace = dict(previous["replace"])

    old_primary = old_props.get("source_layout", "")
    field_src = field_sources(old_props)

    def src_of(f: str) -> str:
        return field_src.get(f, old_primary)

    sources = [s for s in old_props.get("sources", []) if _layout(s) != layout] + [new_source]
    sources.sort(key=lambda s: -rank(_layout(s)))
    primary = _layout(sources[0])
    nct = row["nct_id"]
    disagreements: list[Disagreement] = []
    kept_notes = [d for d in old_props.get("disagreements", []) if layout not in _note_layouts(d)]

    merged: dict[str, Any] = {}
    chosen: dict[str, str] = {}
    for f in sorted((set(old_props) | set(props)) - BOOKKEEPING):
        old = old_props.get(f) if src_of(f) != layout else None  # a newer version of a source replaces it
        new = props.get(f)
        if old is None and new is None:
            continue
        if new is None:
            merged[f], chosen[f] = old, src_of(f)
            continue
        if old is None:
            merged[f], chosen[f] = new, layout
            continue
        new_wins = rank(layout) >= rank(src_of(f))
        winner, loser = (layout, src_of(f)) if new_wins else (src_of(f), layout)
        merged[f], chosen[f] = (new, layout) if new_wins else (old, src_of(f))
        if not agree(old, new):
            disagreements.append(Disagreement(nct, f, winner, merged[f], loser, old if new_wins else new))

    out = dict(row)
    replace: dict[str, bool] = {}
    new_structure = summary(row)
    for c in COMPONENTS:
        old_src = src_of(c)
        same = old_src == layout
        if has[c] and (same or rank(layout) >= rank(old_src) or not old_structure[c]):
            replace[c] = True
            chosen[c] = layout
            if not same and old_structure[c] and not agree(old_structure[c], new_structure[c]):
                disagreements.append(Disagreement(nct, c, layout, new_structure[c], old_src, old_structure[c]))
        elif same:  # the newer version of the component's source shows none: drop what it showed
            replace[c] = True
            chosen[c] = layout
        else:
            replace[c] = old_replace[c]
            chosen[c] = old_src
            for k in PARTS[c]:
                out[k] = old_lists[k]
            if has[c] and not agree(old_structure[c], new_structure[c]):
                disagreements.append(Disagreement(nct, c, old_src, old_structure[c], layout, new_structure[c]))

    for c in COMPONENTS:  # an empty component has no provenance, whatever rendering left it empty
        if not (new_structure[c] if chosen[c] == layout else old_structure[c]):
            del chosen[c]

    primary_file = next((s.split(":", 1)[1] for s in sources if _layout(s) == primary and ":" in s), None)
    merged.update(
        nct_id=nct,
        source_layout=primary,
        source_file=primary_file,
        sources=sources,
        field_sources=sorted(f"{f}={s}" for f, s in chosen.items() if s != primary),
        disagreements=sorted({*kept_notes, *(d.stored() for d in disagreements)}),
    )
    out["props"] = {k: v for k, v in merged.items() if v not in (None, [])}
    out["replace"] = replace
    return Merged(out, disagreements)
