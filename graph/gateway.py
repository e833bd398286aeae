"""One gateway for database access, two engines, one Cypher.

``Neo4jGateway`` drives Neo4j with the official driver (managed transactions, transient errors
retried, the database always named). ``FalkorGateway`` drives the bundled local server with
the official falkordb client over RESP (each query atomic). They differ in schema DDL and in
what :class:`Capabilities` says; code and tests ask the gateway instead of guessing the engine.

Units of work: ``with gateway.transaction() as tx: tx.run(stmt, params); ...`` runs several
statements as one unit. On Neo4j that is one explicit transaction: it commits at the end of the
block, or rolls back whole if anything in it fails. FalkorDB has no multi-statement
transactions: its unit is a Redis MULTI/EXEC block, sent at the end of the with block. The
server runs the statements back to back with no other client in between, and a client that
dies (or raises) before the end sends nothing. A statement the server refuses inside EXEC does
not undo the ones before it, so the writer checks every value's type against the model first
(graph/model.py check_props) and writes the mark that a trial is whole (its row digests) last.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

from trialgraph.errors import GraphError, GraphUnavailableError
from trialgraph.graph import catalog, schema
from trialgraph.settings import Neo4jSettings, Settings

log = logging.getLogger(__name__)
Rows = list[dict[str, Any]]


@dataclass(frozen=True)
class Capabilities:
    """Where the engines differ, stated by the gateway (tests ask it, never accept two answers)."""

    atomic_transactions: bool  # a failing statement rolls back the other statements of its transaction
    call_in_transactions: bool  # CALL { ... } IN TRANSACTIONS (needs an auto-commit statement)
    fulltext_ddl: bool  # CREATE FULLTEXT INDEX ... (else a procedure creates full-text indexes)


class Transaction:
    """Several statements as one unit of work (Gateway.transaction)."""

    def run(self, cypher: str, params: Mapping[str, Any] | None = None) -> None:
        raise NotImplementedError


class Gateway:
    engine: str = ""
    capabilities = Capabilities(atomic_transactions=False, call_in_transactions=False, fulltext_ddl=False)

    def transaction(self) -> Any:
        """``with gateway.transaction() as tx: tx.run(...)``: the statements commit together
        (see the module docstring for what that means on each engine)."""
        raise NotImplementedError

    def stream(self, cypher: str, params: Mapping[str, Any] | None = None) -> Iterator[dict[str, Any]]:
        """A read's rows one by one (Neo4j streams them from the server; the local server
        answers a statement whole, so its rows are yielded from the answer)."""
        yield from self.read(cypher, params)

    def read(self, cypher: str, params: Mapping[str, Any] | None = None) -> Rows:
        raise NotImplementedError

    def write(self, cypher: str, params: Mapping[str, Any] | None = None) -> Rows:
        raise NotImplementedError

    def ensure_schema(self) -> None:
        raise NotImplementedError

    def check_read_only(self, cypher: str, params: Mapping[str, Any] | None = None) -> None:
        """Raise GraphError when a statement would write (``trialgraph cypher`` without --write)."""
        raise NotImplementedError

    def plan(self, cypher: str, params: Mapping[str, Any] | None = None) -> list[str]:
        """The engine's execution plan for a statement, one operator per line (nothing runs)."""
        raise NotImplementedError

    def describe(self) -> str:
        raise NotImplementedError

    def clear(self, batch: int = 10_000) -> int:
        """Empty the graph in batches (each its own transaction, so a registry-size graph never
        needs one huge transaction); the schema stays. Returns the number of nodes deleted."""
        stmt, total = catalog.statement("clear"), 0
        while True:
            rows = self.write(stmt, {"batch": batch})
            n = int(rows[0]["deleted"]) if rows else 0
            total += n
            if n < batch:
                return total

    def journal_key(self) -> str:
        """Names this graph for the load journal (trialgraph/journal.py); no secrets in it."""
        raise NotImplementedError

    def close(self) -> None:
        pass

    def __enter__(self) -> Gateway:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


class FalkorGateway(Gateway):
    engine = "falkordb"

    def __init__(self, host: str, port: int, graph_name: str) -> None:
        from falkordb import FalkorDB

        self.host, self.port, self.graph_name = host, port, graph_name
        try:
            self._db = FalkorDB(host=host, port=port)
            self._db.connection.ping()
        except Exception as e:  # the client raises redis errors of several kinds
            raise GraphUnavailableError(f"cannot reach the local graph server at {host}:{port}: {e}") from e
        self._graph = self._db.select_graph(graph_name)

    def describe(self) -> str:
        return f"local server {self.host}:{self.port}, graph {self.graph_name!r}"

    def journal_key(self) -> str:
        return f"local-{self.graph_name}"  # the port may change between server starts; the data does not

    def _run(self, cypher: str, params: Mapping[str, Any] | None, read_only: bool) -> Rows:
        import redis

        try:
            q = self._graph.ro_query if read_only else self._graph.query
            result = q(cypher, dict(params or {}))
        except redis.ConnectionError as e:
            raise GraphUnavailableError(f"lost the local graph server at {self.host}:{self.port}: {e}") from e
        except redis.ResponseError as e:
            if "empty key" in str(e) and read_only:
                return []  # the graph does not exist yet: nothing to read
            raise GraphError(f"the local graph server refused the statement: {e}") from e
        header = [h[1] if isinstance(h, (list, tuple)) else h for h in (result.header or [])]
        return [dict(zip(header, (_plain(v) for v in row), strict=True)) for row in result.result_set]

    def read(self, cypher: str, params: Mapping[str, Any] | None = None) -> Rows:
        return self._run(cypher, params, read_only=True)

    def write(self, cypher: str, params: Mapping[str, Any] | None = None) -> Rows:
        return self._run(cypher, params, read_only=False)

    def plan(self, cypher: str, params: Mapping[str, Any] | None = None) -> list[str]:
        return str(self._graph.explain(cypher, dict(params or {}))).splitlines()

    @contextmanager
    def transaction(self) -> Iterator[Transaction]:
        tx = _FalkorTransaction(self)
        yield tx  # an exception in the block sends nothing
        tx.commit()

    def check_read_only(self, cypher: str, params: Mapping[str, Any] | None = None) -> None:
        pass  # read() runs GRAPH.RO_QUERY, which refuses a writing statement before it runs

    def ensure_schema(self) -> None:
        import redis

        for stmt in catalog.ddl_statements("schema.falkordb"):
            try:
                self._graph.query(stmt)
            except redis.ResponseError as e:
                if "already indexed" not in str(e):
                    raise GraphError(f"schema statement failed: {stmt}: {e}") from e
        try:
            self._graph.query(catalog.statement("fulltext.falkordb"), {"label": "Trial", "property": "eligibility_criteria"})
        except redis.ResponseError as e:
            if "already indexed" not in str(e):
                raise GraphError(f"cannot create the full-text index on Trial.eligibility_criteria: {e}") from e
        existing = {(row[1], tuple(row[2])) for row in self._graph.query("CALL db.constraints()").result_set}
        for spec in schema.NODES.values():
            if (spec.label, (spec.key,)) in existing:
                continue
            try:
                self._db.connection.execute_command(
                    "GRAPH.CONSTRAINT", "CREATE", self.graph_name, "UNIQUE", "NODE", spec.label,
                    "PROPERTIES", 1, spec.key,
                )
            except redis.ResponseError as e:
                if "already exists" not in str(e):
                    raise GraphError(f"cannot create the unique constraint on {spec.label}.{spec.key}: {e}") from e
        self._await_constraints()

    def _await_constraints(self, timeout: float = 60.0) -> None:
        deadline = time.monotonic() + timeout
        while True:
            rows = self._graph.query("CALL db.constraints()").result_set
            pending = [r for r in rows if r[4] != "OPERATIONAL"]
            if not pending:
                return
            if any(r[4] == "FAILED" for r in rows):
                raise GraphError(f"a unique constraint failed to build (duplicate keys?): {pending}")
            if time.monotonic() > deadline:
                raise GraphError(f"constraints still pending after {timeout:.0f}s: {pending}")
            time.sleep(0.02)

    def close(self) -> None:
        try:
            self._db.connection.close()
        except Exception:  # closing a broken connection is not worth an error
            log.debug("closing the local server connection failed", exc_info=True)


class _FalkorTransaction(Transaction):
    """Statements queued, then sent in one MULTI/EXEC block (see the module docstring)."""

    def __init__(self, gw: FalkorGateway) -> None:
        self.gw = gw
        self.queued: list[tuple[str, str]] = []

    def run(self, cypher: str, params: Mapping[str, Any] | None = None) -> None:
        # the client's own rendering of parameters (the CYPHER header it sends with every query)
        self.queued.append((cypher, self.gw._graph._build_params_header(dict(params or {})) + cypher))

    def commit(self) -> None:
        import redis

        if not self.queued:
            return
        pipe = self.gw._db.connection.pipeline(transaction=True)
        for _, query in self.queued:
            pipe.execute_command("GRAPH.QUERY", self.gw.graph_name, query, "--compact")
        try:
            results = pipe.execute(raise_on_error=False)
        except redis.ConnectionError as e:
            raise GraphUnavailableError(f"lost the local graph server at {self.gw.host}:{self.gw.port}: {e}") from e
        except redis.ResponseError as e:
            raise GraphError(f"the local graph server refused the transaction: {e}") from e
        for (cypher, _), res in zip(self.queued, results, strict=True):
            if isinstance(res, Exception):
                first = cypher.strip().splitlines()[-1] if cypher.strip() else ""
                raise GraphError(f"the local graph server refused a statement of the transaction ({first}): {res}")


class Neo4jGateway(Gateway):
    engine = "neo4j"
    capabilities = Capabilities(atomic_transactions=True, call_in_transactions=True, fulltext_ddl=True)

    def __init__(self, settings: Neo4jSettings) -> None:
        import neo4j
        from neo4j.exceptions import AuthError, ServiceUnavailable

        self.settings = settings
        # Our statements are linted against the schema (tests/test_cypher.py): the server's
        # notifications (an unknown label in an empty graph, ...) are noise in a user's terminal.
        self._driver = neo4j.GraphDatabase.driver(settings.uri, auth=(settings.user, settings.password),
                                                  notifications_min_severity="OFF")
        try:
            self._driver.verify_connectivity()
        except (ServiceUnavailable, AuthError, OSError, ValueError) as e:
            self._driver.close()
            # The driver's messages never carry the password; say which server and user failed.
            raise GraphUnavailableError(
                f"cannot connect to Neo4j at {settings.uri} as {settings.user!r}: {type(e).__name__}: {e}"
            ) from e

    def describe(self) -> str:
        return f"Neo4j {self.settings.uri}, database {self.settings.database!r}"

    def journal_key(self) -> str:
        import hashlib

        where = hashlib.sha256(f"{self.settings.uri}|{self.settings.database}".encode()).hexdigest()[:12]
        return f"neo4j-{self.settings.database}-{where}"

    def _run(self, cypher: str, params: Mapping[str, Any] | None, routing: str) -> Rows:
        import neo4j
        from neo4j.exceptions import Neo4jError, ServiceUnavailable

        try:
            records, _, _ = self._driver.execute_query(
                cypher,
                dict(params or {}),
                database_=self.settings.database,
                routing_=neo4j.RoutingControl.READ if routing == "r" else neo4j.RoutingControl.WRITE,
            )
        except ServiceUnavailable as e:
            raise GraphUnavailableError(f"lost Neo4j at {self.settings.uri}: {e}") from e
        except Neo4jError as e:
            raise GraphError(f"Neo4j refused the statement: {e.code}: {e.message}") from e
        return [dict(r) for r in records]

    def read(self, cypher: str, params: Mapping[str, Any] | None = None) -> Rows:
        return self._run(cypher, params, "r")

    def write(self, cypher: str, params: Mapping[str, Any] | None = None) -> Rows:
        return self._run(cypher, params, "w")

    @contextmanager
    def transaction(self) -> Iterator[Transaction]:
        from neo4j.exceptions import Neo4jError, ServiceUnavailable, SessionExpired

        session = self._driver.session(database=self.settings.database)
        try:
            tx = session.begin_transaction()
            yield _Neo4jTransaction(tx, self)
            tx.commit()
        except (ServiceUnavailable, SessionExpired) as e:
            raise GraphUnavailableError(f"lost Neo4j at {self.settings.uri}: {e}") from e
        except Neo4jError as e:
            raise GraphError(f"Neo4j refused the transaction: {e.code}: {e.message}") from e
        finally:
            session.close()  # an open transaction is rolled back

    def stream(self, cypher: str, params: Mapping[str, Any] | None = None) -> Iterator[dict[str, Any]]:
        import neo4j
        from neo4j.exceptions import Neo4jError, ServiceUnavailable

        try:
            with self._driver.session(database=self.settings.database, default_access_mode=neo4j.READ_ACCESS) as s:
                for record in s.run(cypher, dict(params or {})):
                    yield dict(record)
        except ServiceUnavailable as e:
            raise GraphUnavailableError(f"lost Neo4j at {self.settings.uri}: {e}") from e
        except Neo4jError as e:
            raise GraphError(f"Neo4j refused the statement: {e.code}: {e.message}") from e

    def run_autocommit(self, cypher: str, params: Mapping[str, Any] | None = None) -> Rows:
        """One statement in an auto-commit transaction: what ``CALL { ... } IN TRANSACTIONS``
        needs (capabilities.call_in_transactions)."""
        from neo4j.exceptions import Neo4jError, ServiceUnavailable

        try:
            with self._driver.session(database=self.settings.database) as s:
                return [dict(r) for r in s.run(cypher, dict(params or {}))]
        except ServiceUnavailable as e:
            raise GraphUnavailableError(f"lost Neo4j at {self.settings.uri}: {e}") from e
        except Neo4jError as e:
            raise GraphError(f"Neo4j refused the statement: {e.code}: {e.message}") from e

    def _explain(self, cypher: str, params: Mapping[str, Any] | None) -> Any:
        """EXPLAIN's summary (nothing runs): the plan and the statement's query type."""
        import neo4j
        from neo4j.exceptions import Neo4jError, ServiceUnavailable

        try:
            _, summary, _ = self._driver.execute_query("EXPLAIN " + cypher, dict(params or {}),
                                                       database_=self.settings.database,
                                                       routing_=neo4j.RoutingControl.READ)
        except ServiceUnavailable as e:
            raise GraphUnavailableError(f"lost Neo4j at {self.settings.uri}: {e}") from e
        except Neo4jError as e:
            raise GraphError(f"Neo4j refused the statement: {e.code}: {e.message}") from e
        return summary

    def plan(self, cypher: str, params: Mapping[str, Any] | None = None) -> list[str]:
        """EXPLAIN's plan: one operator a line, leaves first, with Neo4j's details
        (``NodeUniqueIndexSeek | UNIQUE t:Trial(nct_id) ...``)."""
        lines: list[str] = []

        def walk(op: dict[str, Any], depth: int) -> None:
            for child in op.get("children", []):
                walk(child, depth + 1)
            name = str(op.get("operatorType", "?")).split("@")[0]
            details = str((op.get("args") or {}).get("Details", ""))
            lines.append(f"{'  ' * depth}{name} | {details}".rstrip(" |"))

        walk(self._explain(cypher, params).plan or {}, 0)
        return lines

    def check_read_only(self, cypher: str, params: Mapping[str, Any] | None = None) -> None:
        # READ routing alone lets a single server run a write; EXPLAIN says what the statement does
        summary = self._explain(cypher, params)
        if summary.query_type not in ("r", None):
            raise GraphError(f"the statement writes (query type {summary.query_type!r}): add --write to run it")

    def ensure_schema(self) -> None:
        for stmt in catalog.ddl_statements("schema.neo4j"):
            self.write(stmt)
        self.write(catalog.statement("await-indexes.neo4j"))

    def close(self) -> None:
        self._driver.close()


class _Neo4jTransaction(Transaction):
    def __init__(self, tx: Any, gw: Neo4jGateway) -> None:
        self.tx, self.gw = tx, gw

    def run(self, cypher: str, params: Mapping[str, Any] | None = None) -> None:
        self.tx.run(cypher, dict(params or {})).consume()


_LEAVES = (str, int, float, bool, type(None))


def _plain(value: Any) -> Any:
    """FalkorDB client values -> plain Python (nodes and edges to their property maps)."""
    kind = type(value)
    if kind in _LEAVES:  # most values: checked first, this runs for every value of every row
        return value
    if isinstance(value, list):
        return [v if type(v) in _LEAVES else _plain(v) for v in value]
    if isinstance(value, dict):  # the client's maps are OrderedDicts: made plain (order is not data)
        return {k: v if type(v) in _LEAVES else _plain(v) for k, v in value.items()}
    from falkordb import Edge, Node

    if isinstance(value, (Node, Edge)):
        return dict(value.properties)
    return value


def connect(settings: Settings | None = None, start_local: bool = True) -> Gateway:
    """The configured graph: Neo4j when NEO4J_URI is set, else the bundled local server
    (started if it is not running and start_local is true)."""
    from trialgraph.graph.localserver import HOST, LocalServer

    settings = settings or Settings.from_env()
    if settings.neo4j:
        return Neo4jGateway(settings.neo4j)
    if settings.managed_neo4j:
        from trialgraph.graph.neo4jserver import Neo4jServer

        managed = Neo4jServer.from_env(settings.home)
        if start_local:
            managed.start()
        return Neo4jGateway(managed.settings())
    server = LocalServer(settings.home, settings.local_port)
    status = server.start() if start_local else server.status()
    if not status.running:
        raise GraphUnavailableError(f"the local graph server is {status}: start it with trialgraph server start")
    assert status.port is not None
    return FalkorGateway(HOST, status.port, settings.graph_name)
