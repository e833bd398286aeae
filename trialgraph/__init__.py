"""trialgraph: a knowledge graph of clinical trials, their arms, drugs, targets and conditions.

    >>> import trialgraph
    >>> rows = trialgraph.query("combination-therapies", target="PD-1", condition="HCC")

``query`` runs a library query by name on the configured graph (``NEO4J_URI`` or the bundled
local server) and returns rows as dicts; ``query_df`` returns a pandas DataFrame.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from trialgraph.graph.gateway import Gateway

__version__ = "0.1.0"
__all__ = ["query", "query_df", "query_names"]


def query_names() -> list[str]:
    """The names of the library's queries."""
    from trialgraph.queries.library import library

    return list(library())


def query(name: str, /, gateway: Gateway | None = None, **params: Any) -> list[dict[str, Any]]:
    """Run the library query ``name`` with keyword parameters (aliases resolved); rows as dicts.
    ``skip`` and ``limit`` page the answer in the database (default: every row).

    Without ``gateway`` it connects to the configured graph (and closes the connection after).
    """
    from trialgraph.queries.library import run

    if gateway is not None:
        return run(gateway, name, **params)
    from trialgraph.graph.gateway import connect
    from trialgraph.settings import Settings

    with connect(Settings.from_env()) as gw:
        return run(gw, name, **params)


def query_df(name: str, /, gateway: Gateway | None = None, **params: Any):
    """Like :func:`query`, as a pandas DataFrame with the query's columns in order (needs pandas)."""
    try:
        import pandas as pd
    except ImportError as e:  # pragma: no cover - depends on the environment
        raise ImportError("query_df needs pandas: pip install pandas") from e
    from trialgraph.queries.library import get

    return pd.DataFrame(query(name, gateway, **params), columns=[c.name for c in get(name).columns])
