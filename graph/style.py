"""The graph's look, defined once in ``graph/browser/trialgraph.grass`` (Neo4j Browser's Graph
Style Sheet) and read here so the HTML view (graph/viz.py) draws the same colors, sizes and
captions as Neo4j Browser.

GraSS is a small CSS dialect: ``node``, ``relationship``, ``node.Label`` and ``relationship.TYPE``
rules of ``key: value;`` pairs. Captions interpolate ``{property}`` as Neo4j Browser does (lists
joined with ", ", a missing property gives ""), plus ``<type>`` / ``<id>``.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from typing import Any

from trialgraph.errors import TrialgraphError
from trialgraph.graph.schema import NODES, RELATIONSHIPS

GRASS = "trialgraph.grass"
_SELECTOR = re.compile(r"([A-Za-z_][\w.\-]*)\s*\{")
_COMMENT = re.compile(r"/\*.*?\*/", re.DOTALL)
_PLACEHOLDER = re.compile(r"\{([^{}]*)\}")


@dataclass(frozen=True)
class NodeStyle:
    label: str
    color: str
    border_color: str
    text_color: str
    diameter: int
    caption: str


def parse(text: str, source: str = GRASS) -> dict[str, dict[str, str]]:
    """GraSS text -> {selector: {key: value}}; a malformed rule names the file and the selector.

    Values may be quoted ('{name}' holds braces), so the text is scanned, not split by regex."""
    body = _COMMENT.sub("", text)
    rules: dict[str, dict[str, str]] = {}
    i, n = 0, len(body)
    while True:
        while i < n and body[i].isspace():
            i += 1
        if i >= n:
            return rules
        m = _SELECTOR.match(body, i)
        if not m:
            raise TrialgraphError(f"{source}: expected a selector and '{{' at: {body[i:i + 40]!r}")
        selector, i = m.group(1), m.end()
        decls, current, quote = [], [], None
        while i < n:
            ch = body[i]
            i += 1
            if quote:
                if ch == quote:
                    quote = None
                current.append(ch)
            elif ch in "'\"":
                quote = ch
                current.append(ch)
            elif ch == ";":
                decls.append("".join(current))
                current = []
            elif ch == "}":
                decls.append("".join(current))
                break
            else:
                current.append(ch)
        else:
            raise TrialgraphError(f"{source}: rule {selector}: no closing '}}'")
        props: dict[str, str] = {}
        for decl in decls:
            if not decl.strip():
                continue
            key, sep, value = decl.partition(":")
            if not sep:
                raise TrialgraphError(f"{source}: rule {selector}: declaration without ':': {decl.strip()!r}")
            props[key.strip()] = value.strip().strip("'\"")
        rules[selector] = props


@lru_cache(maxsize=1)
def grass_text() -> str:
    """The sheet as Browser is given it: without comments (Browser's GraSS parser has none: a comment
    would become part of the next selector, and an apostrophe in it would open a string)."""
    text = resources.files("trialgraph.graph").joinpath("browser", GRASS).read_text(encoding="utf-8")
    return _COMMENT.sub("", text).lstrip()


@lru_cache(maxsize=1)
def rules() -> dict[str, dict[str, str]]:
    return parse(grass_text())


def _px(value: str) -> int:
    return int(float(value.removesuffix("px")))


def node_style(label: str) -> NodeStyle:
    base, own = rules().get("node", {}), rules().get(f"node.{label}", {})
    merged = {**base, **own}
    return NodeStyle(
        label=label,
        color=merged["color"],
        border_color=merged.get("border-color", merged["color"]),
        text_color=merged.get("text-color-internal", "#000000"),
        diameter=_px(merged.get("diameter", "50px")),
        caption=merged.get("caption", "<id>"),
    )


def relationship_color(rel_type: str) -> str:
    return {**rules().get("relationship", {}), **rules().get(f"relationship.{rel_type}", {})}["color"]


def interpolate(template: str, props: Mapping[str, Any], *, rel_type: str | None = None, node_id: str | None = None) -> str:
    """Neo4j Browser's caption rule: ``{p}`` -> the property (lists joined by ", "), else ""."""

    def one(m: re.Match[str]) -> str:
        v = props.get(m.group(1))
        if isinstance(v, list | tuple):
            return ", ".join(map(str, v))
        if isinstance(v, str | int | float) and not isinstance(v, bool):
            return str(v)
        return ""

    text = _PLACEHOLDER.sub(one, template).strip()
    if template.strip() == "<type>" and rel_type:
        return rel_type
    if template.strip() == "<id>" and node_id:
        return node_id
    return text


def caption(label: str, props: Mapping[str, Any]) -> str:
    style = node_style(label)
    text = interpolate(style.caption, props)
    return text or str(props.get(NODES[label].key, ""))


def check() -> list[str]:
    """Problems with the style sheet against the graph schema (the tests call this)."""
    problems = []
    for selector, props in rules().items():
        kind, _, name = selector.partition(".")
        if kind not in ("node", "relationship"):
            problems.append(f"{GRASS}: unknown selector {selector!r}")
        elif kind == "node" and name and name not in NODES:
            problems.append(f"{GRASS}: {selector}: no such label in the schema")
        elif kind == "relationship" and name and name not in RELATIONSHIPS:
            problems.append(f"{GRASS}: {selector}: no such relationship type in the schema")
        for placeholder in _PLACEHOLDER.findall(props.get("caption", "")):
            if kind == "node" and name and placeholder not in NODES[name].properties:
                problems.append(f"{GRASS}: {selector}: caption names {placeholder!r}, not a property of {name}")
    for label in NODES:
        if f"node.{label}" not in rules():
            problems.append(f"{GRASS}: no rule for label {label}")
    return problems
