"""Named regimens and fixed-dose combinations (``ontology/data/regimens.toml``): a name that
stands for several drugs given together ("FOLFOX" is leucovorin, fluorouracil and oxaliplatin;
"BMS-986489" is BMS-986012 and nivolumab in one product). Every regimen cites its source."""

from __future__ import annotations

import tomllib
from functools import lru_cache
from importlib import resources

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from trialgraph.ontology.reference import ReferenceDataError, SourceRef, reference_data


class Regimen(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    name: str
    synonyms: tuple[str, ...] = ()
    drugs: tuple[str, ...] = Field(min_length=2)
    kind: str  # regimen, fixed-dose combination
    sources: tuple[str, ...] = Field(min_length=1)


class RegimenTable(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    sources: dict[str, SourceRef]
    regimens: tuple[Regimen, ...]


@lru_cache(maxsize=1)
def regimen_table() -> RegimenTable:
    """The regimen table, validated: every source defined, every component a reference drug."""
    name = "ontology/data/regimens.toml"
    text = resources.files("trialgraph.ontology").joinpath("data", "regimens.toml").read_text(encoding="utf-8")
    try:
        raw = tomllib.loads(text)
        sources = {s["id"]: SourceRef(**s) for s in raw.get("source", [])}
        table = RegimenTable(sources=sources, regimens=tuple(Regimen(**r) for r in raw.get("regimen", [])))
    except (tomllib.TOMLDecodeError, ValidationError, KeyError, TypeError) as e:
        raise ReferenceDataError(f"{name}: {e}") from e
    data = reference_data()
    drugs = data.drugs
    for r in table.regimens:
        for s in r.sources:  # a source of this file or of the other reference files
            if s not in table.sources and s not in data.sources:
                raise ReferenceDataError(f"{name}: regimen {r.name} cites unknown source {s!r}")
        for d in r.drugs:
            if d not in drugs:
                raise ReferenceDataError(f"{name}: regimen {r.name} names unknown drug {d!r}")
    return table
