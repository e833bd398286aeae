"""The query library: ``queries/*.cypher``, each with a header that says what it answers.

Header lines (``//`` comments at the top of the file)::

    // name: combination-therapies
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
- ``text`` -> the value as given; ``int`` -> a whole number; ``flag`` -> true or false
  (true/yes/1, false/no/0).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from typing import Any

from trialgraph.errors import QueryError, ResolutionError
from trialgraph.graph import catalog
from trialgraph.graph.gateway import Gateway, Rows
from trialgraph.ontology.resolve import Resolver, default_resolver, sponsor_key
from trialgraph.records import NCT_ID

KINDS = ("target", "condition", "drug", "sponsor", "nct", "entity", "text", "int", "flag")
_FLAGS = {"true": True, "yes": True, "1": True, "false": False, "no": False, "0": False}
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
            if kind not in KINDS:
                raise QueryError(f"queries/{name}.cypher: parameter {m.group(1)} has unknown kind {kind!r}")
            example = next((a[len("e.g.") :].strip() for a in attrs if a.startswith("e.g.")), None)
            params.append(Param(m.group(1), kind, "optional" not in attrs, example, m.group(3).strip()))
            last = None
        elif m := _COLUMN.match(body):
            columns.append(Column(m.group(1), m.group(2).strip()))
            last = None
        elif m := re.match(r"^(name|description):\s*(.*)$", body):
            fields[m.group(1)] = m.group(2).strip()
            last = m.group(1)
        elif last == "description" and body:
            fields["description"] += " " + body
    if fields.get("name") != name:
        raise QueryError(f"queries/{name}.cypher: header 'name:' must be {name!r}, found {fields.get('name')!r}")
    if not fields.get("description"):
        raise QueryError(f"queries/{name}.cypher: header has no 'description:'")
    return Query(name, fields["description"], tuple(params), tuple(columns), text)


@lru_cache(maxsize=1)
def library() -> dict[str, Query]:
    files = sorted(f.name for f in resources.files("trialgraph.queries").iterdir() if f.name.endswith(".cypher"))
    out = {}
    for fname in files:
        name = fname[: -len(".cypher")]
        out[name] = parse_header(name, catalog.statement(name, "trialgraph.queries", ""))
    return out


def get(name: str) -> Query:
    try:
        return library()[name]
    except KeyError:
        raise QueryError(f"no query named {name!r}; see 'trialgraph queries' for the list") from None


def resolve_params(query: Query, given: dict[str, Any], resolver: Resolver | None = None) -> dict[str, Any]:
    """User values -> the Cypher parameters (aliases resolved once, here, before the query runs)."""
    resolver = resolver or default_resolver()
    unknown = set(given) - {p.name for p in query.params}
    if unknown:
        names = ", ".join(p.name for p in query.params) or "none"
        raise QueryError(f"query {query.name} has no parameter {sorted(unknown)[0]!r} (parameters: {names})")
    out: dict[str, Any] = {}
    for p in query.params:
        value = given.get(p.name)
        if value is None or value == "":
            if p.required:
                raise QueryError(f"query {query.name} needs the parameter {p.name!r} (e.g. {p.example})")
            out[p.name] = None
            continue
        try:
            if p.kind == "target":
                out[p.name] = list(resolver.targets(str(value)))
            elif p.kind == "condition":
                out[p.name] = list(resolver.conditions(str(value)))
            elif p.kind == "drug":
                out[p.name] = list(resolver.drugs(str(value)))
            elif p.kind == "sponsor":
                key = sponsor_key(str(value))
                if not key:
                    raise QueryError(f"query {query.name}, parameter {p.name}: {value!r} has no letters or digits")
                out[p.name] = key
            elif p.kind == "nct":
                nct = str(value).strip().upper()
                if not NCT_ID.match(nct):
                    raise QueryError(f"query {query.name}, parameter {p.name}: not an NCT id (NCT followed by 8 digits): {value!r}")
                out[p.name] = nct
            elif p.kind == "entity":
                out[p.name] = resolver.entity(str(value))
            elif p.kind == "int":
                out[p.name] = int(value)
            elif p.kind == "flag":
                flag = value if isinstance(value, bool) else _FLAGS.get(str(value).strip().lower())
                if flag is None:
                    raise QueryError(f"query {query.name}, parameter {p.name}: not true or false: {value!r}")
                out[p.name] = flag
            else:
                out[p.name] = str(value)
        except ResolutionError as e:
            raise QueryError(f"query {query.name}, parameter {p.name}: {e}") from e
        except ValueError as e:
            raise QueryError(f"query {query.name}, parameter {p.name}: not a whole number: {value!r}") from e
    return out


def run(gateway: Gateway, name: str, resolver: Resolver | None = None, **params: Any) -> Rows:
    query = get(name)
    return gateway.read(query.cypher, resolve_params(query, params, resolver))


def markdown() -> str:
    """The query library as a Markdown page (docs/queries.md is this, kept in sync by a test)."""
    lines = [
        "# The query library",
        "",
        "Generated from the headers of `queries/*.cypher` by `trialgraph queries --format markdown`;",
        "do not edit by hand. Run any of them with `trialgraph query NAME -p key=value`, or from Python",
        "with `trialgraph.query(NAME, key=value)`. Parameter values accept every alias the reference",
        "data knows; `--explain` shows how they were resolved.",
        "",
    ]
    for q in library().values():
        lines += [f"## {q.name}", "", q.description, ""]
        if q.params:
            lines += ["| parameter | kind | required | example | meaning |", "|---|---|---|---|---|"]
            for p in q.params:
                lines.append(f"| `{p.name}` | {p.kind} | {'yes' if p.required else 'no'} | {p.example or ''} | {p.description} |")
            lines.append("")
        lines += ["| column | meaning |", "|---|---|"]
        lines += [f"| `{c.name}` | {c.description} |" for c in q.columns]
        example = " ".join(f"-p {p.name}={_quote(p.example)}" for p in q.params if p.example)
        lines += ["", "```sh", f"trialgraph query {q.name} {example}".rstrip(), "```", ""]
    return "\n".join(lines)


def _quote(value: str | None) -> str:
    v = value or ""
    return f"'{v}'" if any(ch in v for ch in " ,'\"") else v
