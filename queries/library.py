"""The query library: ``queries/*.cypher``, each with a header that says what it answers.

Header lines (``//`` comments at the top of the file)::

    // name: combination-therapies
    // theme: combinations and mechanisms
    // description: one paragraph, may continue on following '//' lines
    // param: target (target, optional, e.g. PD-1) what the parameter means
    // column: nct_id  what the column holds

A parameter's kind says how the user's value is resolved before the query runs:

- ``target`` -> list of target symbols (a family gives its members);
- ``condition`` -> list of condition ids (the condition and every narrower one);
- ``drug`` -> list of drug ids (any name, code name, brand or dosage-form spelling);
- ``sponsor`` -> the sponsor key (case, punctuation and legal suffixes removed);
- ``nct`` -> an NCT id (checked, upper-cased);
- ``entity`` -> a map with one of trial/drug/target/family/condition/sponsor set;
- ``facility`` -> part of a site's facility name, as given;
- ``text`` -> the value as given; ``int`` -> a whole number; ``flag`` -> true or false
  (true/yes/1, false/no/0).

Every statement also takes the paging parameters ``$skip`` and ``$limit`` (:data:`PAGING`; not
declared in the header): it ends with ``ORDER BY`` (a total order, so pages are stable) and
``SKIP $skip LIMIT $limit``. ``resolve_params`` fills them in: skip 0, and without a limit
:data:`ALL`, so that an absent limit means every row on both engines.

Given the graph (``resolve_params(..., graph=gw)``, as the CLI and :func:`run` do), a name is
also checked against it: a name neither the reference data nor the graph knows is an error
that suggests the closest known names ("did you mean pembrolizumab?"), never an empty answer;
names only the graph knows (an unresolved drug or condition as trials write it, a sponsor) are
accepted; an NCT id the graph does not hold is a :class:`NotFoundError`.
"""

from __future__ import annotations

import difflib
import logging
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from typing import Any

from trialgraph.errors import NotFoundError, QueryError, ResolutionError
from trialgraph.graph import catalog
from trialgraph.graph.gateway import Gateway, Rows
from trialgraph.graph.model import is_unresolved, unresolved_key
from trialgraph.ontology.resolve import Resolver, condition_key, default_resolver, drug_key, sponsor_key
from trialgraph.records import NCT_ID

log = logging.getLogger(__name__)
_FLAGS = {"true": True, "yes": True, "1": True, "false": False, "no": False, "0": False}
#: The themes ``trialgraph queries`` groups the library by, in its order (every query names one).
THEMES = ("combinations and mechanisms", "trials", "eligibility", "results and safety", "sites and geography",
          "landscape", "connections")
#: The paging parameters every statement takes, beside those its header declares.
PAGING = ("skip", "limit")
#: "No limit": the largest SKIP or LIMIT the local server reads right. FalkorDB (4.16) takes
#: them as 32-bit values: LIMIT 4294967296 (2**32) answers no rows at all, so larger values are
#: refused here rather than passed on. Neo4j takes any of them.
ALL = 2**31 - 1
_PARAM = re.compile(r"^param:\s*(\w+)\s*\(([^)]*)\)\s*(.*)$")
_COLUMN = re.compile(r"^column:\s*(\w+)\s*(.*)$")


@dataclass(frozen=True)
class Param:
    name: str
    kind: str
    required: bool
    example: str | None
    description: str


@dataclass(frozen=True)
class Column:
    name: str
    description: str


@dataclass(frozen=True)
class Query:
    name: str
    description: str
    params: tuple[Param, ...]
    columns: tuple[Column, ...]
    cypher: str
    theme: str = ""

    def param(self, name: str) -> Param | None:
        return next((p for p in self.params if p.name == name), None)


def parse_header(name: str, text: str) -> Query:
    fields: dict[str, str] = {}
    params: list[Param] = []
    columns: list[Column] = []
    last: str | None = None
    for line in text.splitlines():
        if not line.startswith("//"):
            break
        body = line[2:].strip()
        if m := _PARAM.match(body):
            attrs = [a.strip() for a in m.group(2).split(",")]
            kind = attrs[0]
            if m.group(1) in PAGING:
                raise QueryError(f"queries/{name}.cypher: {m.group(1)} is a paging parameter every query takes: "
                                 "not declared in the header")
            if kind not in RESOLVERS:
                raise QueryError(f"queries/{name}.cypher: parameter {m.group(1)} has unknown kind {kind!r}")
            example = next((a[len("e.g.") :].strip() for a in attrs if a.startswith("e.g.")), None)
            params.append(Param(m.group(1), kind, "optional" not in attrs, example, m.group(3).strip()))
            last = None
        elif m := _COLUMN.match(body):
            columns.append(Column(m.group(1), m.group(2).strip()))
            last = None
        elif m := re.match(r"^(name|description|theme):\s*(.*)$", body):
            fields[m.group(1)] = m.group(2).strip()
            last = m.group(1)
        elif last == "description" and body:
            fields["description"] += " " + body
    if fields.get("name") != name:
        raise QueryError(f"queries/{name}.cypher: header 'name:' must be {name!r}, found {fields.get('name')!r}")
    if not fields.get("description"):
        raise QueryError(f"queries/{name}.cypher: header has no 'description:'")
    if not _pages(text):
        raise QueryError(f"queries/{name}.cypher: the statement must end with ORDER BY (a total order) and then "
                         "'SKIP $skip LIMIT $limit'")
    if fields.get("theme") not in THEMES:
        raise QueryError(f"queries/{name}.cypher: header 'theme:' must be one of {', '.join(THEMES)}; "
                         f"found {fields.get('theme')!r}")
    return Query(name, fields["description"], tuple(params), tuple(columns), text, fields["theme"])


def _pages(text: str) -> bool:
    """Whether a statement ends with its final RETURN, an ORDER BY, then ``SKIP $skip LIMIT $limit``."""
    last = text.rstrip().rsplit("\nRETURN ", 1)
    return len(last) == 2 and "\nORDER BY " in last[1] and last[1].endswith("\nSKIP $skip LIMIT $limit")


@lru_cache(maxsize=1)
def library() -> dict[str, Query]:
    files = sorted(f.name for f in resources.files("trialgraph.queries").iterdir() if f.name.endswith(".cypher"))
    out = {}
    for fname in files:
        name = fname[: -len(".cypher")]
        out[name] = parse_header(name, catalog.statement(name, "trialgraph.queries", ""))
    return out


def by_theme() -> list[tuple[str, list[Query]]]:
    """The library grouped by theme, in THEMES order, each group by name."""
    queries = list(library().values())
    return [(t, [q for q in queries if q.theme == t]) for t in THEMES if any(q.theme == t for q in queries)]


def get(name: str) -> Query:
    try:
        return library()[name]
    except KeyError:
        raise QueryError(f"no query named {name!r}; see 'trialgraph queries' for the list") from None


def resolve_params(query: Query, given: dict[str, Any], resolver: Resolver | None = None,
                   graph: Gateway | None = None) -> dict[str, Any]:
    """User values -> the Cypher parameters (aliases resolved once, here, before the query runs).

    With ``graph``, names are also checked against the graph (see the module docstring)."""
    resolver = resolver or default_resolver()
    unknown = set(given) - {p.name for p in query.params} - set(PAGING)
    if unknown:
        names = ", ".join(p.name for p in query.params) or "none"
        raise QueryError(f"query {query.name} has no parameter {sorted(unknown)[0]!r} (parameters: {names})")
    names = _Names(resolver, graph)
    out: dict[str, Any] = {}
    for p in query.params:
        value = given.get(p.name)
        if value is None or value == "":
            if p.required:
                raise QueryError(f"query {query.name} needs the parameter {p.name!r} (e.g. {p.example})")
            out[p.name] = None
            continue
        try:
            out[p.name] = _resolve(p.kind, str(value), resolver, names)
        except ResolutionError as e:
            raise QueryError(f"query {query.name}, parameter {p.name}: {e}") from e
        except NotFoundError as e:
            raise NotFoundError(f"query {query.name}, parameter {p.name}: {e}") from e
        except ValueError as e:
            raise QueryError(f"query {query.name}, parameter {p.name}: not a whole number: {value!r}") from e
    out["skip"] = _page_value(query, "skip", given.get("skip"), 0)
    out["limit"] = _page_value(query, "limit", given.get("limit"), ALL)
    return out


def _page_value(query: Query, name: str, value: Any, default: int) -> int:
    """``$skip`` or ``$limit``: a whole number from 0 to :data:`ALL`; absent, the default."""
    if value is None or value == "":
        return default
    try:
        n = int(value)
    except (TypeError, ValueError):
        raise QueryError(f"query {query.name}, {name}: not a whole number: {value!r}") from None
    if not 0 <= n <= ALL:
        raise QueryError(f"query {query.name}, {name}: must be from 0 to {ALL:,}, got {n:,}")
    return n


def _resolve(kind: str, value: str, resolver: Resolver, names: _Names) -> Any:
    return RESOLVERS[kind](value, resolver, names)


def _target(value: str, resolver: Resolver, names: _Names) -> Any:
    try:
        return list(resolver.targets(value))
    except ResolutionError as e:
        raise names.unknown(e, value, "target") from None


def _condition(value: str, resolver: Resolver, names: _Names) -> Any:
    try:
        return list(resolver.conditions(value))
    except ResolutionError as e:
        if (found := names.condition(value)) is not None:
            return [found]
        raise names.unknown(e, value, "condition") from None


def _drug(value: str, resolver: Resolver, names: _Names) -> Any:
    ids = list(resolver.drugs(value))
    if is_unresolved(ids[0]) and not names.has_drug(ids[0]):
        raise names.unknown(ResolutionError(f"unknown drug {value!r}: not a drug name, code name or brand in the "
                                            "reference data, nor a drug the graph's trials name"), value, "drug")
    return ids


def _sponsor(value: str, resolver: Resolver, names: _Names) -> Any:
    key = sponsor_key(value)
    if not key:
        raise ResolutionError(f"{value!r} has no letters or digits")
    if names.graph is not None and not names.sponsors(key):
        raise names.unknown(ResolutionError(f"no sponsor in the graph has the words {value!r} in its name"),
                            value, "sponsor")
    return key


def _nct(value: str, resolver: Resolver, names: _Names) -> Any:
    nct = value.strip().upper()
    if not NCT_ID.match(nct):
        raise ResolutionError(f"not an NCT id (NCT followed by 8 digits): {value!r}")
    names.require_trial(nct)
    return nct


def _facility(value: str, resolver: Resolver, names: _Names) -> Any:
    if names.graph is not None and not names.graph.read(catalog.statement("lookup-facility"), {"facility": value}):
        raise names.unknown(ResolutionError(f"no site in the graph has a facility name containing {value!r}"),
                            value, "facility")
    return value


def _flag(value: str, resolver: Resolver, names: _Names) -> Any:
    flag = _FLAGS.get(value.strip().lower())
    if flag is None:
        raise ResolutionError(f"not true or false (true/yes/1, false/no/0): {value!r}")
    return flag


def _entity(value: str, resolver: Resolver, names: _Names) -> dict[str, str | None]:
    """The path query's ends: what the reference data says first; a name it does not know is what
    the graph holds under it (an unresolved drug, a condition, a sponsor, by the same resolution
    as the other queries), else an error."""
    found = resolver.entity(value)
    if found["nct_id"]:
        names.require_trial(found["nct_id"])
        return found
    if not found["sponsor_id"] or names.graph is None:
        return found  # the reference data knows it (or there is no graph to ask)
    found["sponsor_id"] = None
    if names.has_drug(drug := unresolved_key(drug_key(value))):
        return {**found, "drug_id": drug}
    if (condition := names.condition(value)) is not None:
        return {**found, "condition_id": condition}
    sponsors = names.sponsors(sponsor_key(value))
    if sponsors:
        if len(sponsors) > 1:
            log.warning("%r matches %d sponsors; the path starts from %s (most trials)", value, len(sponsors),
                        sponsors[0]["name"])
        return {**found, "sponsor_id": sponsors[0]["id"]}
    raise names.unknown(ResolutionError(f"{value!r} names nothing in the reference data or the graph: give an NCT id, "
                                        "a drug, target, family, condition or sponsor"), value, "entity")


# Parameter kinds: the kind a query header names -> what turns a user's value into the Cypher
# parameter (a registry: a new kind is one function here).
RESOLVERS: dict[str, Callable[[str, Resolver, _Names], Any]] = {
    "target": _target,
    "condition": _condition,
    "drug": _drug,
    "sponsor": _sponsor,
    "nct": _nct,
    "entity": lambda value, resolver, names: _entity(value, resolver, names),
    "facility": _facility,
    "text": lambda value, resolver, names: value,
    "int": lambda value, resolver, names: int(value),
    "flag": _flag,
}


class _Names:
    """The names a user's value is checked against: the reference data's, and the graph's."""

    def __init__(self, resolver: Resolver, graph: Gateway | None) -> None:
        self.resolver, self.graph = resolver, graph

    def _read(self, statement: str, **params: Any) -> Rows:
        return self.graph.read(catalog.statement(statement), params) if self.graph is not None else []

    def has_drug(self, drug_id: str) -> bool:
        return self.graph is None or bool(self._read("lookup-drug", drug_id=drug_id))

    def condition(self, name: str) -> str | None:
        rows = self._read("lookup-condition", condition_id="text:" + condition_key(name), name=name.strip())
        return rows[0]["id"] if rows else None

    def sponsors(self, key: str) -> Rows:
        return self._read("lookup-sponsor", sponsor=key)

    def require_trial(self, nct: str) -> None:
        if self.graph is not None and not self._read("lookup-trial", nct_id=nct):
            raise NotFoundError(f"no trial {nct} in the graph ({self.graph.describe()})")

    def unknown(self, error: ResolutionError, value: str, kind: str) -> ResolutionError:
        """The error, with the closest known names of that kind as suggestions."""
        close = _closest(value, self.known(kind), parts=kind in ("sponsor", "facility"))
        return ResolutionError(f"{error}; did you mean {' or '.join(close)}?" if close else str(error))

    def known(self, kind: str) -> list[str]:
        data = self.resolver.data
        graph = {"drug": ("names-drugs",), "condition": ("names-conditions",), "sponsor": ("names-sponsors",),
                 "facility": ("names-facilities",),
                 "entity": ("names-drugs", "names-conditions", "names-sponsors")}.get(kind, ())
        reference: dict[str, Callable[[], Iterable[str]]] = {
            "drug": lambda: (n for d in data.drugs.values() for n in d.all_names),
            "target": lambda: [*(n for t in data.targets.values() for n in (t.symbol, t.name, *t.aliases) if n),
                               *(n for f in data.families.values() for n in (f.id, f.name, *f.aliases))],
            "condition": lambda: (n for c in data.conditions.values() for n in c.all_names),
        }
        out = list(reference[kind]()) if kind in reference else []
        if kind == "entity":
            out += [*reference["drug"](), *reference["target"](), *reference["condition"]()]
        for statement in graph:
            out += [r["name"] for r in self._read(statement) if r.get("name")]
        return out


def _closest(value: str, candidates: Iterable[str], n: int = 3, parts: bool = False) -> list[str]:
    """The known names closest to a value (difflib, case ignored), each once. With ``parts``
    (names matched by their words: sponsors, facilities) a name's first words count as a name
    too, as many as the value has ('Allis' -> 'Allist', of 'Allist Pharmaceuticals Co., Ltd.')."""
    by_key: dict[str, str] = {}
    words = len(value.split())
    for c in candidates:
        if parts and len(c.split()) > words:
            head = " ".join(c.split()[:words]).rstrip(",.;:")
            by_key.setdefault(head.casefold(), head)
        by_key.setdefault(c.casefold(), c)
    return [by_key[k] for k in difflib.get_close_matches(value.strip().casefold(), list(by_key), n=n, cutoff=0.6)]


def run(gateway: Gateway, name: str, resolver: Resolver | None = None, **params: Any) -> Rows:
    query = get(name)
    return check_columns(query, gateway.read(query.cypher, resolve_params(query, params, resolver, graph=gateway)))


def check_columns(query: Query, rows: Rows) -> Rows:
    """Every row's keys are exactly the header's columns, in order, on whichever engine answered
    (a statement and its header cannot drift apart unnoticed)."""
    want = [c.name for c in query.columns]
    for row in rows:
        if list(row) != want:
            raise QueryError(f"query {query.name}: the statement returned columns {list(row)}, its header declares {want}")
    return rows


def markdown() -> str:
    """The query library as a Markdown page (docs/queries.md is this, kept in sync by a test)."""
    lines = [
        "# The query library",
        "",
        "Generated from the headers of `queries/*.cypher` by `trialgraph queries --format markdown`;",
        "do not edit by hand. Run any of them with `trialgraph query NAME -p key=value`, or from Python",
        "with `trialgraph.query(NAME, key=value)`. Parameter values accept every alias the reference",
        "data knows; `--explain` shows how they were resolved. Every query also pages: `--limit N` and",
        "`--skip N` become its `LIMIT $limit` and `SKIP $skip`, after an `ORDER BY` that orders the rows",
        "fully, so pages do not overlap (from Python: `trialgraph.query(NAME, skip=20, limit=20)`).",
        "",
    ]
    for theme, queries in by_theme():
        lines += [f"## {theme.capitalize()}", ""]
        for q in queries:
            lines += _markdown_query(q)
    return "\n".join(lines)


def _markdown_query(q: Query) -> list[str]:
    lines = [f"### {q.name}", "", q.description, ""]
    if q.params:
        lines += ["| parameter | kind | required | example | meaning |", "|---|---|---|---|---|"]
        for p in q.params:
            lines.append(f"| `{p.name}` | {p.kind} | {'yes' if p.required else 'no'} | {p.example or ''} | {p.description} |")
        lines.append("")
    lines += ["| column | meaning |", "|---|---|"]
    lines += [f"| `{c.name}` | {c.description} |" for c in q.columns]
    example = " ".join(f"-p {p.name}={_quote(p.example)}" for p in q.params if p.example)
    lines += ["", "```sh", f"trialgraph query {q.name} {example}".rstrip(), "```", ""]
    return lines


def _quote(value: str | None) -> str:
    v = value or ""
    return f"'{v}'" if any(ch in v for ch in " ,'\"") else v
