"""Typed settings, read from the environment when asked (never at import time)."""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path

from trialgraph.errors import ConfigError

DEFAULT_GRAPH_NAME = "trialgraph"
DEFAULT_BATCH_SIZE = 100
ENGINES = ("falkordb", "neo4j")


@dataclass(frozen=True)
class Neo4jSettings:
    uri: str
    user: str
    database: str
    password: str = field(repr=False)  # never printed: repr and errors leave it out


@dataclass(frozen=True)
class Settings:
    home: Path
    graph_name: str
    batch_size: int
    local_port: int | None
    neo4j: Neo4jSettings | None
    # TRIALGRAPH_ENGINE (or --engine): "neo4j" without NEO4J_URI means the managed Neo4j
    # (trialgraph neo4j start); NEO4J_URI always means that Neo4j.
    engine_choice: str = "falkordb"

    @property
    def engine(self) -> str:
        return "neo4j" if self.neo4j or self.engine_choice == "neo4j" else "falkordb"

    @property
    def managed_neo4j(self) -> bool:
        return self.neo4j is None and self.engine_choice == "neo4j"

    @classmethod
    def from_env(cls, env: dict[str, str] | None = None) -> Settings:
        env = dict(os.environ if env is None else env)
        home = Path(env.get("TRIALGRAPH_HOME") or Path.home() / ".trialgraph").expanduser()
        port_text = env.get("TRIALGRAPH_PORT")
        try:
            port = int(port_text) if port_text else None
        except ValueError as e:
            raise ConfigError(f"TRIALGRAPH_PORT must be a port number, got {port_text!r}") from e
        if port is not None and not 0 < port < 65536:
            raise ConfigError(f"TRIALGRAPH_PORT must be between 1 and 65535, got {port}")
        batch_text = env.get("TRIALGRAPH_BATCH_SIZE")
        try:
            batch = int(batch_text) if batch_text else DEFAULT_BATCH_SIZE
        except ValueError as e:
            raise ConfigError(f"TRIALGRAPH_BATCH_SIZE must be a whole number, got {batch_text!r}") from e
        if batch < 1:
            raise ConfigError("TRIALGRAPH_BATCH_SIZE must be at least 1")
        engine = (env.get("TRIALGRAPH_ENGINE") or "falkordb").strip().lower()
        if engine not in ENGINES:
            raise ConfigError(f"TRIALGRAPH_ENGINE must be one of {', '.join(ENGINES)}, got {engine!r}")
        neo4j = None
        uri = env.get("NEO4J_URI")
        if uri:
            password = env.get("NEO4J_PASSWORD")
            if password is None:
                raise ConfigError("NEO4J_URI is set but NEO4J_PASSWORD is not: set it in the environment")
            neo4j = Neo4jSettings(
                uri=uri,
                user=env.get("NEO4J_USER", "neo4j"),
                database=env.get("NEO4J_DATABASE", "neo4j"),
                password=password,
            )
        return cls(
            home=home,
            graph_name=env.get("TRIALGRAPH_GRAPH", DEFAULT_GRAPH_NAME),
            batch_size=batch,
            local_port=port,
            neo4j=neo4j,
            engine_choice="neo4j" if uri else engine,
        )
