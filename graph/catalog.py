"""Cypher statements live in ``.cypher`` files inside the package; this loads them by name."""

from __future__ import annotations

import re
from functools import cache
from importlib import resources

from trialgraph.errors import TrialgraphError

_PARAM = re.compile(r"\$([A-Za-z_][A-Za-z0-9_]*)")


@cache
def statement(name: str, package: str = "trialgraph.graph", folder: str = "cypher") -> str:
    """The text of ``<folder>/<name>.cypher`` in the package."""
    base = resources.files(package)
    path = base.joinpath(folder, f"{name}.cypher") if folder else base.joinpath(f"{name}.cypher")
    try:
        return path.read_text(encoding="utf-8")
    except FileNotFoundError as e:
        raise TrialgraphError(f"no Cypher statement named {name!r} in {package}") from e


def ddl_statements(name: str) -> list[str]:
    """A schema (DDL) file's statements. DDL files hold no string literals, so a ';' at the end
    of a line is always a statement end (a test checks the files hold no quotes)."""
    text = statement(name)
    body = "\n".join(line for line in text.splitlines() if not line.lstrip().startswith("//"))
    return [s.strip() for s in re.split(r";\s*$", body, flags=re.M) if s.strip()]


def parameters(text: str) -> set[str]:
    """The $parameters a statement uses (comments excluded)."""
    code = "\n".join(line for line in text.splitlines() if not line.lstrip().startswith("//"))
    return set(_PARAM.findall(code))
