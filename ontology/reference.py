"""The reference data in ``ontology/data/*.toml``: loaded, validated, every fact sourced."""

from __future__ import annotations

import re
import tomllib
from functools import lru_cache
from importlib import resources

from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator

from trialgraph.errors import TrialgraphError


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class SourceRef(_Model):
    id: str
    citation: str
    url: str | None = None


class Target(_Model):
    symbol: str
    name: str | None = None
    aliases: tuple[str, ...] = ()
    families: tuple[str, ...] = ()
    ncbi_gene: str | None = None
    uniprot: str | None = None
    hgnc_id: str | None = None
    sources: tuple[str, ...] = Field(min_length=1)


class Family(_Model):
    id: str
    name: str
    aliases: tuple[str, ...] = ()
    sources: tuple[str, ...] = Field(min_length=1)


class ActsOn(_Model):
    target: str | None = None
    targets: tuple[str, ...] = ()
    action: str
    sources: tuple[str, ...] = Field(min_length=1)

    @model_validator(mode="after")
    def _one_form(self) -> ActsOn:
        if bool(self.target) == bool(self.targets):
            raise ValueError("give either 'target' or 'targets'")
        return self

    @property
    def symbols(self) -> tuple[str, ...]:
        return (self.target,) if self.target else self.targets


# Identifier prefixes a drug's cross-references may use (bioregistry's prefixes, upper case),
# each with the pattern of its local ids.
XREF_PATTERNS = {
    "ATC": r"[A-Z]\d{2}[A-Z]{2}\d{2}",
    "CHEBI": r"\d+",
    "CHEMBL.COMPOUND": r"CHEMBL\d+",
    "DRUGBANK": r"DB\d{5}",
    "DRUGCENTRAL": r"\d+",
    "KEGG.DRUG": r"D\d{5}",
    "MESH": r"[CD]\d{6,9}",
    "NCIT": r"C\d+",
    "PUBCHEM.COMPOUND": r"\d+",
    "UNII": r"[A-Z0-9]{10}",
}


class Xrefs(_Model):
    """Identifiers of a drug in other resources ('DRUGBANK:DB00398'), with where they are stated."""

    ids: tuple[str, ...] = Field(min_length=1)
    sources: tuple[str, ...] = Field(min_length=1)

    @model_validator(mode="after")
    def _well_formed(self) -> Xrefs:
        for curie in self.ids:
            prefix, _, local = curie.partition(":")
            pattern = XREF_PATTERNS.get(prefix)
            if pattern is None:
                raise ValueError(f"{curie!r}: unknown prefix {prefix!r} (known: {', '.join(sorted(XREF_PATTERNS))})")
            if not re.fullmatch(pattern, local):
                raise ValueError(f"{curie!r}: a {prefix} id matches {pattern}")
        return self


class Drug(_Model):
    id: str
    name: str
    modality: str | None = None
    drug_class: str | None = None
    code_names: tuple[str, ...] = ()
    brand_names: tuple[str, ...] = ()
    synonyms: tuple[str, ...] = ()
    salts: tuple[str, ...] = ()
    acts_on: tuple[ActsOn, ...] = ()
    xrefs: tuple[Xrefs, ...] = ()
    sources: tuple[str, ...] = Field(min_length=1)

    @property
    def all_names(self) -> tuple[str, ...]:
        return (self.name, *self.code_names, *self.brand_names, *self.synonyms, *self.salts)

    @property
    def identifiers(self) -> tuple[str, ...]:
        return tuple(i for x in self.xrefs for i in x.ids)


class Condition(_Model):
    id: str
    name: str
    mesh: str | None = None
    mesh_heading: str | None = None
    mondo: str | None = None
    synonyms: tuple[str, ...] = ()
    abbreviations: tuple[str, ...] = ()
    broader: tuple[str, ...] = ()  # ids of broader conditions (MeSH hierarchy), each link sourced
    broader_sources: tuple[str, ...] = ()
    sources: tuple[str, ...] = Field(min_length=1)

    @property
    def all_names(self) -> tuple[str, ...]:
        return (self.name, *self.synonyms, *self.abbreviations)


class Qualifiers(_Model):
    words: tuple[str, ...]
    sources: tuple[str, ...] = Field(min_length=1)


class ReferenceData(_Model):
    sources: dict[str, SourceRef]
    targets: dict[str, Target]
    families: dict[str, Family]
    drugs: dict[str, Drug]
    conditions: dict[str, Condition]
    qualifiers: Qualifiers

    def members(self, family_id: str) -> tuple[str, ...]:
        return tuple(sorted(t.symbol for t in self.targets.values() if family_id in t.families))

    def narrower(self, condition_id: str) -> tuple[str, ...]:
        """The condition and every condition under it (transitively), sorted."""
        found = {condition_id}
        frontier = [condition_id]
        while frontier:
            cur = frontier.pop()
            for c in self.conditions.values():
                if cur in c.broader and c.id not in found:
                    found.add(c.id)
                    frontier.append(c.id)
        return tuple(sorted(found))


class ReferenceDataError(TrialgraphError):
    pass


def _read(name: str) -> dict:
    text = resources.files("trialgraph.ontology").joinpath("data", name).read_text(encoding="utf-8")
    try:
        return tomllib.loads(text)
    except tomllib.TOMLDecodeError as e:
        raise ReferenceDataError(f"ontology/data/{name}: {e}") from e


@lru_cache(maxsize=1)
def reference_data() -> ReferenceData:
    """All reference data, validated: every fact's source exists, every target a drug names exists."""
    files = {n: _read(n) for n in ("targets.toml", "drugs.toml", "conditions.toml")}
    try:
        sources: dict[str, SourceRef] = {}
        for name, data in files.items():
            for s in data.get("source", []):
                ref = SourceRef(**s)
                if ref.id in sources and sources[ref.id] != ref:
                    raise ReferenceDataError(f"ontology/data/{name}: source {ref.id!r} defined twice, differently")
                sources[ref.id] = ref
        targets = {t.symbol: t for t in (Target(**x) for x in files["targets.toml"].get("target", []))}
        families = {f.id: f for f in (Family(**x) for x in files["targets.toml"].get("family", []))}
        drugs = {d.id: d for d in (Drug(**x) for x in files["drugs.toml"].get("drug", []))}
        conditions = {c.id: c for c in (Condition(**x) for x in files["conditions.toml"].get("condition", []))}
        qualifiers = Qualifiers(**files["conditions.toml"]["qualifiers"])
    except (ValidationError, KeyError, TypeError) as e:
        raise ReferenceDataError(f"ontology/data: {e}") from e
    data = ReferenceData(
        sources=sources, targets=targets, families=families, drugs=drugs, conditions=conditions, qualifiers=qualifiers
    )
    _check_references(data)
    return data


def _check_references(data: ReferenceData) -> None:
    def check_sources(owner: str, ids: tuple[str, ...]) -> None:
        for s in ids:
            if s not in data.sources:
                raise ReferenceDataError(f"ontology/data: {owner} cites unknown source {s!r}")

    for t in data.targets.values():
        check_sources(f"target {t.symbol}", t.sources)
        for f in t.families:
            if f not in data.families:
                raise ReferenceDataError(f"ontology/data: target {t.symbol} names unknown family {f!r}")
    for f in data.families.values():
        check_sources(f"family {f.id}", f.sources)
    for d in data.drugs.values():
        check_sources(f"drug {d.id}", d.sources)
        for x in d.xrefs:
            check_sources(f"drug {d.id} identifiers", x.sources)
        for a in d.acts_on:
            check_sources(f"drug {d.id} mechanism", a.sources)
            for sym in a.symbols:
                if sym not in data.targets:
                    raise ReferenceDataError(f"ontology/data: drug {d.id} acts on unknown target {sym!r}")
    for c in data.conditions.values():
        check_sources(f"condition {c.id}", c.sources)
        for b in c.broader:
            if b not in data.conditions:
                raise ReferenceDataError(f"ontology/data: condition {c.id} names unknown broader condition {b!r}")
        if c.broader and not c.broader_sources:
            raise ReferenceDataError(f"ontology/data: condition {c.id}: broader links need broader_sources")
        check_sources(f"condition {c.id} broader", c.broader_sources)
    check_sources("qualifiers", data.qualifiers.sources)
