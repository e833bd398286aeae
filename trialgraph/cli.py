"""The ``trialgraph`` command: wires the stages together, nothing more.

Results go to stdout (``--format json`` prints a JSON array and nothing else there);
progress, problems and logs go to stderr.
"""

from __future__ import annotations

import csv
import io
import json
import logging
import os
import sys
from collections.abc import Sequence
from importlib import resources
from pathlib import Path
from typing import Any

import click

from trialgraph.errors import ExitCode, GraphError, TrialgraphError, exit_codes_text
from trialgraph.settings import Settings

log = logging.getLogger("trialgraph")
DEMO_QUESTION = ("Which PD-1 combinations are tested in hepatocellular carcinoma (HCC)?", {"target": "PD-1", "condition": "HCC"})


def _settings() -> Settings:
    """Settings from the environment. The Neo4j password is never a command-line option: it comes
    from NEO4J_PASSWORD, or, at a terminal, from a prompt that does not echo it."""
    env = dict(os.environ)
    ctx = click.get_current_context(silent=True)
    engine = ctx.find_root().obj.get("engine") if ctx and ctx.find_root().obj else None
    if engine:
        env["TRIALGRAPH_ENGINE"] = engine
    if env.get("NEO4J_URI") and env.get("NEO4J_PASSWORD") is None and sys.stdin.isatty():
        env["NEO4J_PASSWORD"] = click.prompt(f"Neo4j password for {env.get('NEO4J_USER', 'neo4j')} at {env['NEO4J_URI']}",
                                             hide_input=True, err=True)
    return Settings.from_env(env)


def _gateway(settings: Settings):
    from trialgraph.graph.gateway import connect

    return connect(settings)


def _text(v: Any) -> str:
    """A value as the tables print it. Queries return plain data (lists, maps); the display is made
    here: a map of a known shape as its usual phrase (an arm "label [type]: what it gives", a sponsor
    "name (role)", a site "facility (city)"), any other map as "key: value" pairs."""
    if v is None:
        return ""
    if isinstance(v, list):  # maps hold lists of their own ("x, y"): a list of maps is split by "; "
        return ("; " if any(isinstance(x, dict) for x in v) else ", ").join(map(_text, v))
    if isinstance(v, dict):
        keys = set(v)
        if keys == {"label", "type", "gives"}:
            return f"{v['label']} [{v['type'] or '?'}]: {', '.join(map(_text, v['gives'] or []))}"
        if keys == {"name", "role"}:
            return f"{v['name']} ({v['role']})"
        if keys == {"facility", "city"}:
            return f"{v['facility']} ({v['city'] or '?'})"
        if keys == {"label", "caption"}:
            return f"{v['label']}: {v['caption'] if v['caption'] is not None else '?'}"
        return "; ".join(f"{k}: {_text(x)}" for k, x in v.items())
    return str(v)


def _render(rows: Sequence[dict[str, Any]], fmt: str, columns: Sequence[str] | None = None) -> str:
    columns = list(columns or (rows[0].keys() if rows else []))
    if fmt == "json":
        return json.dumps(list(rows), ensure_ascii=False, indent=2)
    if fmt == "csv":
        buf = io.StringIO()
        w = csv.writer(buf, lineterminator="\n")
        w.writerow(columns)
        for r in rows:
            w.writerow(["; ".join(map(_text, v)) if isinstance(v, list) else _text(v) for v in (r.get(c) for c in columns)])
        return buf.getvalue().rstrip("\n")
    if not rows:
        return "(no rows)"

    table = [[_text(r.get(c)) for c in columns] for r in rows]
    widths = [min(60, max(len(c), *(len(row[i]) for row in table))) for i, c in enumerate(columns)]

    def line(values: Sequence[str]) -> str:
        return "  ".join(v[:w].ljust(w) for v, w in zip(values, widths, strict=True)).rstrip()

    return "\n".join([line(columns), line(["-" * w for w in widths]), *(line(r) for r in table)])


def _record(row: dict[str, Any], columns: Sequence[str]) -> str:
    """One row as a vertical record: a line per column, list items one per line under it."""
    width = max(map(len, columns))
    lines = []
    for c in columns:
        v = row.get(c)
        items = [_text(x) for x in v] if isinstance(v, list) else [_text(v)]
        for i, item in enumerate(items or [""]):
            lines.append(f"{c if i == 0 else '':<{width}}  {item}".rstrip())
    return "\n".join(lines)


def _answer(rows: Sequence[dict[str, Any]], fmt: str, columns: Sequence[str] | None = None) -> str:
    """A query's answer: a table, or, for a single row in table format, a vertical record."""
    if fmt == "table" and len(rows) == 1:
        return _record(rows[0], list(columns or rows[0].keys()))
    return _render(rows, fmt, columns)


class _LazyGraph:
    """The configured graph, connected on first use (``query --explain`` may need none)."""

    def __init__(self) -> None:
        self._gw = None

    def _get(self):
        if self._gw is None:
            self._gw = _gateway(_settings())
        return self._gw

    def read(self, cypher: str, params: dict[str, Any] | None = None) -> list[dict[str, Any]]:
        return self._get().read(cypher, params)

    def describe(self) -> str:
        return self._get().describe()

    def __enter__(self) -> _LazyGraph:
        return self

    def __exit__(self, *exc: object) -> None:
        if self._gw is not None:
            self._gw.close()


class _Group(click.Group):
    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except TrialgraphError as e:
            if ctx.obj and ctx.obj.get("debug"):
                raise
            click.echo(f"error: {e}", err=True)
            sys.exit(int(e.exit_code))
        except (click.exceptions.Exit, click.ClickException, click.Abort, KeyboardInterrupt, SystemExit):
            raise
        except Exception as e:  # a bug: one line, not a traceback, unless --debug asks for it
            if ctx.obj and ctx.obj.get("debug"):
                raise
            click.echo(f"error: internal error ({type(e).__name__}: {e}); rerun with --debug for the traceback", err=True)
            sys.exit(ExitCode.INTERNAL)


@click.group(cls=_Group, epilog="\b\nExit codes:\n" + exit_codes_text())
@click.option("--debug", is_flag=True, help="Show debug logs and tracebacks.")
@click.option("--engine", type=click.Choice(["falkordb", "neo4j"]),
              help="The graph to use: the bundled local server (falkordb, the default) or the managed Neo4j "
                   "(trialgraph neo4j start); also TRIALGRAPH_ENGINE. NEO4J_URI selects any other Neo4j.")
@click.version_option(package_name="trialgraph")
@click.pass_context
def main(ctx: click.Context, debug: bool, engine: str | None) -> None:
    """trialgraph: clinical trials, their arms, drugs, targets and conditions, as a graph."""
    ctx.ensure_object(dict)
    ctx.obj["debug"] = debug
    ctx.obj["engine"] = engine
    logging.basicConfig(
        level=logging.DEBUG if debug else logging.WARNING, stream=sys.stderr, format="%(levelname)s %(name)s: %(message)s"
    )


# -- server ---------------------------------------------------------------------------------
@main.group()
def server() -> None:
    """The bundled local graph server (FalkorDB on loopback, data under TRIALGRAPH_HOME)."""


def _local():
    from trialgraph.graph.localserver import LocalServer

    s = _settings()
    return LocalServer(s.home, s.local_port)


@server.command("start")
def server_start() -> None:
    """Start the local server (a no-op when it runs)."""
    click.echo(str(_local().start()))


@server.command("stop")
def server_stop() -> None:
    """Stop the local server, saving its data."""
    local = _local()
    status = local.stop()
    if status.pid is None:
        click.echo(f"the local server was not running (nothing to stop; data under {local.home})")
    else:
        click.echo(f"stopped the local server (pid {status.pid}, port {status.port}); its data is saved under {local.home}")


@server.command("status")
def server_status() -> None:
    """Say whether the local server runs, and where. Exit code 0 if it runs, 1 if not."""
    status = _local().status()
    click.echo(str(status))
    sys.exit(0 if status.running else 1)


# -- neo4j ----------------------------------------------------------------------------------
@main.group("neo4j")
def neo4j_group() -> None:
    """A managed Neo4j server: Neo4j Community and Browser from Maven Central, on loopback, data
    under TRIALGRAPH_HOME/neo4j. Use it with --engine neo4j (or TRIALGRAPH_ENGINE=neo4j)."""


def _managed():
    from trialgraph.graph.neo4jserver import Neo4jServer

    return Neo4jServer.from_env(_settings().home)


@neo4j_group.command("start")
def neo4j_start() -> None:
    """Start the managed Neo4j (a no-op when it runs); the first start downloads Neo4j with Maven."""
    import time

    server = _managed()
    first = not server.status().running
    t0 = time.monotonic()
    if first:
        click.echo("starting Neo4j (the first start resolves Neo4j from Maven Central)...", err=True)
    st = server.start()
    if first:
        click.echo(f"started in {time.monotonic() - t0:.0f} s", err=True)
    click.echo(str(st))
    click.echo(f"Neo4j Browser: {st.browser_url} (connect to {st.bolt_uri} as neo4j; the password is in "
               f"{server.password_file}). Commands: trialgraph --engine neo4j ...")


@neo4j_group.command("stop")
def neo4j_stop() -> None:
    """Stop the managed Neo4j cleanly."""
    server = _managed()
    was = server.status().running
    server.stop()
    click.echo("stopped the managed Neo4j" if was else "the managed Neo4j was not running")


@neo4j_group.command("status")
def neo4j_status() -> None:
    """Ports, version and data size of the managed Neo4j. Exit code 0 if it runs, 1 if not."""
    st = _managed().status()
    click.echo(str(st))
    sys.exit(0 if st.running else 1)


@neo4j_group.command("import")
@click.argument("directory", type=click.Path(path_type=Path, file_okay=False, exists=True))
def neo4j_import(directory: Path) -> None:
    """Rebuild the managed Neo4j's database from `trialgraph export neo4j-import DIR` with
    neo4j-admin database import full (the server is stopped for it and started again), then
    create the constraints and indexes."""
    from trialgraph.graph import catalog
    from trialgraph.graph.gateway import Neo4jGateway

    server = _managed()
    out = server.import_csv(directory)
    with Neo4jGateway(server.settings()) as gw:
        gw.ensure_schema()
        nodes = sum(r["count"] for r in gw.read(catalog.statement("count-labels")))
        rels = sum(r["count"] for r in gw.read(catalog.statement("count-relationships")))
    for ln in [ln for ln in out.splitlines() if ln.strip()][-3:]:
        click.echo(ln, err=True)
    click.echo(f"imported {directory} into the managed Neo4j: {nodes} nodes, {rels} relationships")


# -- load -----------------------------------------------------------------------------------
class _Progress:
    """Studies read and their rate, on stderr: a live line on a terminal, a line per 10,000 otherwise."""

    def __init__(self) -> None:
        import time

        self.clock = time.monotonic
        self.start = self.clock()
        self.tty = sys.stderr.isatty()
        self.n = 0

    def __call__(self, n: int) -> None:
        self.n = n
        if (self.tty and n % 100 == 0) or n % 10_000 == 0:
            rate = n / max(self.clock() - self.start, 1e-9)
            click.echo(f"\rread {n} studies ({rate:,.0f}/s)", err=True, nl=not self.tty)

    def done(self) -> None:
        if self.tty and self.n >= 100:
            click.echo("", err=True)


@main.command()
@click.argument("paths", nargs=-1, required=True, type=click.Path(path_type=Path, exists=True))
@click.option("--batch-size", type=click.IntRange(min=1), help="Trials per write statement.")
@click.option("--report", "report_file", type=click.Path(path_type=Path, dir_okay=False),
              help="Also write the load report (counts, rejections, unresolved names, disagreements) as JSON.")
@click.option("--unresolved", "show_unresolved", type=click.IntRange(min=0), default=20, show_default=True,
              help="How many of the most frequent unresolved names to list.")
@click.option("--workers", type=click.IntRange(min=1), help="Processes that parse and normalize while the "
              "writer writes (default: one per CPU, at most 8; inputs under 64 documents use one).")
def load(paths: tuple[Path, ...], batch_size: int | None, report_file: Path | None, show_unresolved: int,
         workers: int | None) -> None:
    """Load trial files or folders into the graph (layout detected from content)."""
    from trialgraph.journal import Journal, journal_path
    from trialgraph.parallel import default_workers
    from trialgraph.pipeline import load as run_load

    s = _settings()
    progress = _Progress()
    with _gateway(s) as gw:
        journal = Journal(journal_path(s.home, gw))
        report = run_load(list(paths), gw, batch_size or s.batch_size, progress=progress, journal=journal,
                          workers=workers or default_workers())
        where = gw.describe()
    progress.done()
    if report.documents_skipped:
        click.echo(f"resumed an interrupted load: skipped {report.documents_skipped} document(s) "
                   f"({report.trials_skipped} trial(s)) it had already committed")
    rejected = len(report.problems) if not report.problems else (
        f"{len(report.problems)} (" + ", ".join(f"{n} {kind}" for kind, n in report.problems.by_kind().items()) + ")")
    click.echo(
        f"read {report.trials_parsed} trial record(s) from {report.files_read} file(s); wrote {report.trials_written} "
        f"trial(s) into {where}; {report.trials_unchanged} unchanged; merged {report.renderings_merged} extra "
        f"rendering(s); rejected {rejected}"
        + (f"; skipped {report.renderings_older} older version(s) of records the graph holds" if report.renderings_older else "")
        + (f"; {len(report.warnings)} warning(s): " + ", ".join(f"{n} {kind}" for kind, n in report.warnings_by_kind().items())
           if report.warnings else "")
    )
    if notes := _notes_skipped(paths):
        shown = ", ".join(notes[:5]) + (f" and {len(notes) - 5} more" if len(notes) > 5 else "")
        click.echo(f"skipped {len(notes)} file{'s' if len(notes) > 1 else ''}: {shown} "
                   f"({'not trial documents' if len(notes) > 1 else 'not a trial document'})")
    un = report.unresolved
    rows = un.rows(show_unresolved)
    if un.places:
        distinct = f"{un.distinct}" if un.distinct is not None else f"more than {un.capacity:,}"
        click.echo(f"\nunresolved names: {distinct} distinct, in {un.places} place(s)"
                   + (f" (counts under {un.floor + 1} may be short by up to {un.floor})" if un.truncated else "")
                   + (f"; the {min(show_unresolved, len(rows))} most frequent:" if show_unresolved else ""))
        if show_unresolved:
            click.echo(_render(rows, "table", ["kind", "name", "trials", "examples"]))
    for what, tally in (("disagreement", report.disagreements), ("rejected", report.problems),
                        ("warning", report.warnings)):
        for item in tally:
            click.echo(f"{what}: {item}", err=True)
        for kind, n in tally.left_out().items():  # the report keeps the first few of each kind
            click.echo(f"{what}: ... and {n:,} more of kind {kind} (first {tally.keep} shown)", err=True)
    if report_file:
        report_file.write_text(json.dumps(report.as_dict(), ensure_ascii=False, indent=2, default=str), encoding="utf-8")
        click.echo(f"report written to {report_file}")
    sys.exit(1 if report.problems else 0)


def _notes_skipped(paths: Sequence[Path]) -> list[str]:
    """The notes (README, LICENSE, SOURCES...) inside the folders given, which the loader skips on
    purpose (loaders/base.py iter_files), by their path inside the folder."""
    from trialgraph.loaders.base import FOLDER_NOTES

    return [str(f.relative_to(p)) for p in paths if p.is_dir() for f in sorted(p.rglob("*"))
            if f.is_file() and f.name.upper().startswith(FOLDER_NOTES)
            and not any(part.startswith(".") for part in f.relative_to(p).parts)]


# -- fetch ----------------------------------------------------------------------------------
@main.command()
@click.argument("nct_ids", nargs=-1)
@click.option("-o", "--output", type=click.Path(path_type=Path, dir_okay=False), required=True,
              help="NDJSON file to write (one API v2 study per line).")
@click.option("--condition", help="Condition or disease search (query.cond).")
@click.option("--intervention", help="Intervention or treatment search (query.intr).")
@click.option("--sponsor", help="Sponsor or collaborator search (query.spons).")
@click.option("--term", help="Other terms, in the registry's search syntax (query.term).")
@click.option("--since", type=click.DateTime(["%Y-%m-%d"]), help="Only studies updated on or after this date (LastUpdatePostDate).")
@click.option("--until", type=click.DateTime(["%Y-%m-%d"]), help="Only studies updated on or before this date.")
@click.option("--start-from", type=click.DateTime(["%Y-%m-%d"]), help="Only studies starting on or after this date.")
@click.option("--start-to", type=click.DateTime(["%Y-%m-%d"]), help="Only studies starting on or before this date.")
@click.option("--limit", type=click.IntRange(min=1), help="Stop after this many studies.")
@click.option("--page-size", type=click.IntRange(1, 1000), default=1000, show_default=True)
@click.option("--pace", type=click.FloatRange(min=0), default=1.2, show_default=True, help="Seconds between requests.")
@click.option("--retries", type=click.IntRange(min=0), default=5, show_default=True, help="Retries, with exponential backoff, of a 429 "
              "or 5xx answer or a dropped connection; a host that cannot be reached (DNS, refused) is retried once.")
def fetch(nct_ids: tuple[str, ...], output: Path, condition: str | None, intervention: str | None, sponsor: str | None,
          term: str | None, since, until, start_from, start_to, limit: int | None, page_size: int, pace: float,
          retries: int) -> None:
    """Fetch studies from the ClinicalTrials.gov API v2 into NDJSON that `load` reads."""
    from trialgraph.loaders.ctgov_api import Client, Search
    from trialgraph.loaders.ctgov_api import fetch as run_fetch

    def day(d):
        return d.date() if d else None

    search = Search(tuple(i.strip().upper() for i in nct_ids), condition, intervention, sponsor, term,
                    day(since), day(until), day(start_from), day(start_to))

    def progress(n: int) -> None:
        if n % 1000 == 0:
            click.echo(f"fetched {n} studies", err=True)

    with Client(pace=pace, retries=retries, page_size=page_size) as client:
        report = run_fetch(client, search, output, limit, progress)
    total = f" of {report.total} matching" if report.total is not None else ""
    click.echo(f"wrote {report.studies} studies{total} to {output} ({report.requests} requests, {report.retries} retries)")
    if report.missing:
        click.echo(f"not found: {', '.join(report.missing)}", err=True)
        sys.exit(1)


# -- synth ----------------------------------------------------------------------------------
@main.command()
@click.argument("n", type=click.IntRange(min=1))
@click.option("-o", "--output", type=click.Path(path_type=Path, dir_okay=False), required=True,
              help="NDJSON file to write (one API v2-shaped study per line).")
@click.option("--seed", type=int, default=0, show_default=True, help="Same seed, same registry.")
def synth(n: int, output: Path, seed: int) -> None:
    """Generate a synthetic registry of N studies (NCT9xxxxxxx ids) for benchmarks."""
    from trialgraph.synth import write_file

    shape = write_file(n, output, seed)
    per = shape.per_trial()
    click.echo(f"wrote {shape.trials} studies to {output}: {shape.arms} arms ({per['arms']:.2f}/trial), "
               f"{shape.arm_interventions} arm-intervention links, {shape.site_links} site links "
               f"({per['site_links']:.2f}/trial, largest trial {shape.max_sites})")


# -- queries --------------------------------------------------------------------------------
@main.command("queries")
@click.option("--format", "fmt", type=click.Choice(["table", "json", "markdown"]), default="table")
def list_queries(fmt: str) -> None:
    """The query library: names, descriptions, parameters."""
    from trialgraph.queries.library import by_theme, markdown

    if fmt == "markdown":
        click.echo(markdown(), nl=False)
        return

    rows = [
        {
            "name": q.name,
            "theme": theme,
            "description": q.description,
            "parameters": [
                f"{p.name} ({p.kind}{'' if p.required else ', optional'}{f', e.g. {p.example}' if p.example else ''})"
                for p in q.params
            ],
            "columns": [c.name for c in q.columns],
        }
        for theme, queries in by_theme()
        for q in queries
    ]
    if fmt == "json":
        click.echo(_render(rows, "json"))
        return
    theme = None
    for r in rows:
        if r["theme"] != theme:
            theme = r["theme"]
            click.echo(f"== {theme} ==\n")
        click.echo(f"{r['name']}\n  {r['description']}")
        for p in r["parameters"]:
            click.echo(f"  -p {p}")
        click.echo(f"  columns: {', '.join(r['columns'])}\n")


_PAGE_MAX = 2**31 - 1  # queries.library.ALL: the largest SKIP or LIMIT both engines read right


def _parse_params(pairs: Sequence[str]) -> dict[str, str]:
    out = {}
    for pair in pairs:
        key, sep, value = pair.partition("=")
        if not sep or not key:
            raise click.BadParameter(f"expected key=value, got {pair!r}", param_hint="-p")
        out[key.strip()] = value
    return out


@main.command()
@click.argument("name")
@click.option("-p", "--param", "params", multiple=True, help="A parameter as key=value (repeatable).")
@click.option("--format", "fmt", type=click.Choice(["table", "json", "csv"]), default="table")
@click.option("--limit", type=click.IntRange(min=1, max=_PAGE_MAX - 1),
              help="Return at most this many rows (the statement's LIMIT; default: all).")
@click.option("--skip", type=click.IntRange(min=0, max=_PAGE_MAX), default=0,
              help="Leave out this many rows first (the statement's SKIP): with --limit, a page.")
@click.option("--explain", is_flag=True, help="Print the Cypher and the resolved parameters; run nothing.")
def query(name: str, params: tuple[str, ...], fmt: str, limit: int | None, skip: int, explain: bool) -> None:
    """Run a library query by name (see `trialgraph queries`).

    --skip and --limit page through the answer in the database: the statement orders its rows
    fully, so page 2 (--skip 20 --limit 20) follows page 1 (--limit 20) without overlap."""
    from trialgraph.queries.library import check_columns, get, resolve_params

    q = get(name)
    given: dict[str, Any] = {**_parse_params(params), "skip": skip}
    if limit is not None:
        given["limit"] = limit + 1  # one more row than shown tells whether the answer goes on
    with _LazyGraph() as graph:
        # names are checked against the reference data and the graph: an unknown one is an error
        cypher_params = resolve_params(q, given, graph=graph)  # type: ignore[arg-type]  # reads as a Gateway
        if explain:
            click.echo(q.cypher.rstrip())
            click.echo("\n// parameters, resolved:")
            click.echo(json.dumps(cypher_params, ensure_ascii=False, indent=2))
            return
        rows = check_columns(q, graph.read(q.cypher, cypher_params))
    if limit is not None and len(rows) > limit:
        rows = rows[:limit]
        click.echo(f"showing rows {skip + 1} to {skip + limit}; more with --skip {skip + limit}", err=True)
    click.echo(_answer(rows, fmt, [c.name for c in q.columns]))


def _print_answer(rows: list[dict[str, Any]], fmt: str, limit: int | None, columns: Sequence[str] | None = None) -> None:
    if limit is not None and len(rows) > limit:
        click.echo(f"showing {limit} of {len(rows)} rows", err=True)
        rows = rows[:limit]
    click.echo(_answer(rows, fmt, columns))


def _cypher_value(text: str) -> Any:
    """A -p value of the cypher command: JSON when it parses as JSON (5, 2.5, true, ["a", "b"],
    null), else the text itself."""
    try:
        return json.loads(text)
    except ValueError:
        return text


@main.command("cypher")
@click.argument("statement")
@click.option("-p", "--param", "params", multiple=True,
              help="A $parameter as key=value (repeatable); the value is JSON when it parses as JSON, else text.")
@click.option("--format", "fmt", type=click.Choice(["table", "json", "csv"]), default="table")
@click.option("--limit", type=click.IntRange(min=1), help="Print at most this many rows.")
@click.option("--write", is_flag=True, help="Allow the statement to write (without it, a writing statement is refused).")
def cypher(statement: str, params: tuple[str, ...], fmt: str, limit: int | None, write: bool) -> None:
    """Run one Cypher statement on the configured graph, read-only unless --write.

    Parameters are $names in the statement, given with -p: trialgraph cypher STATEMENT -p id=NCT04344158
    (the README shows a whole example).
    """
    values = {k: _cypher_value(v) for k, v in _parse_params(params).items()}
    with _gateway(_settings()) as gw:
        if write:
            rows = gw.write(statement, values)
        else:
            gw.check_read_only(statement, values)
            try:
                rows = gw.read(statement, values)
            except GraphError as e:
                if "read-only" in str(e):  # the local server's GRAPH.RO_QUERY refused a write
                    raise GraphError(f"{e}: the statement writes; add --write to run it") from e
                raise
    _print_answer(rows, fmt, limit)


# -- visual ---------------------------------------------------------------------------------
@main.command()
@click.argument("name", required=False)
@click.option("-p", "--param", "params", multiple=True, help="A parameter of the query as key=value (repeatable).")
@click.option("--trial", "nct_id", help="Draw one trial (with its sites) instead of a query's answer.")
@click.option("-o", "--output", type=click.Path(path_type=Path, dir_okay=False), required=True, help="The HTML file to write.")
@click.option("--limit", type=click.IntRange(min=1), default=25, show_default=True, help="Draw the entities of at most this many rows.")
@click.option("--sites/--no-sites", default=None, help="Draw trial sites (default: only with --trial).")
@click.option("--layout", type=click.Choice(["auto", "hierarchical", "forcedirected"]), default="auto", show_default=True,
              help="auto: hierarchical, or force-directed when sites are drawn.")
def viz(name: str | None, params: tuple[str, ...], nct_id: str | None, output: Path, limit: int, sites: bool | None,
        layout: str) -> None:
    """Draw a library query's answer (or one trial) as an interactive HTML page.

    Uses the colors and captions of the Neo4j Browser style sheet; the page works offline.
    Example: trialgraph viz combination-therapies -p target=PD-1 -p condition=HCC -o pd1-hcc.html
    """
    from trialgraph.graph import viz as gviz
    from trialgraph.records import NCT_ID

    if bool(name) == bool(nct_id):
        raise click.UsageError("give either a query NAME or --trial NCTID")
    with _gateway(_settings()) as gw:
        if nct_id:
            nct = nct_id.strip().upper()
            if not NCT_ID.match(nct):
                raise click.BadParameter(f"not an NCT id: {nct_id!r}", param_hint="--trial")
            draw_sites = True if sites is None else sites
            g, title = gviz.for_trial(gw, nct, sites=draw_sites), nct
        else:
            assert name  # checked above: a NAME or --trial, not both
            draw_sites = bool(sites)
            g = gviz.for_query(gw, name, _parse_params(params), limit=limit, sites=draw_sites)
            title = " ".join([name, *params])
    if layout == "auto":
        layout = "forcedirected" if draw_sites else "hierarchical"
    page = gviz.render(g, title, layout=layout)  # an empty answer raised above: nothing is written
    output.parent.mkdir(parents=True, exist_ok=True)
    output.write_text(page, encoding="utf-8")
    counts = ", ".join(f"{n} {label}" for label, n in g.counts().items())
    click.echo(f"wrote {output}: {len(g.nodes)} nodes ({counts}), {len(g.relationships)} relationships")


@main.command()
@click.option("-o", "--output", "directory", type=click.Path(path_type=Path, file_okay=False),
              help="Where to write the style sheet and guide (default: $TRIALGRAPH_HOME/browser).")
@click.option("--serve", is_flag=True, help="Serve them on loopback for Neo4j Browser until Ctrl-C.")
@click.option("--port", type=click.IntRange(1, 65535), default=8002, show_default=True)
def browser(directory: Path | None, serve: bool, port: int) -> None:
    """Neo4j Browser style sheet (.grass) and guide (:play), and how to apply them."""
    import time

    from trialgraph.graph import guide

    directory = directory or _settings().home / "browser"
    for f in guide.write(directory):
        click.echo(f"wrote {f}")
    base = f"http://localhost:{port}"
    click.echo("")
    click.echo(guide.instructions(base))
    if serve:
        server = guide.serve(directory, port)
        click.echo(f"serving {directory} on {base} (Ctrl-C to stop)")
        try:
            while True:
                time.sleep(3600)
        except KeyboardInterrupt:
            pass
        finally:
            server.shutdown()


# -- export / validate ----------------------------------------------------------------------
def _export_rows(from_paths: tuple[Path, ...], stack):
    """Rows from files (--from) or from the configured graph."""
    from trialgraph.graph import rdf
    from trialgraph.ontology.reference import reference_data
    from trialgraph.pipeline import LoadReport, trial_rows

    if from_paths:
        report = LoadReport()
        return rdf.rows_from_records(trial_rows(list(from_paths), report), reference_data()), report
    gw = stack.enter_context(_gateway(_settings()))
    return rdf.rows_from_graph(gw, reference_data()), None


@main.group()
def export() -> None:
    """Export the graph (or files, with --from): RDF, networkx, or CSV for neo4j-admin import."""


@export.command("rdf")
@click.option("--format", "fmt", type=click.Choice(["turtle", "nt", "jsonld"]), default="turtle", show_default=True)
@click.option("-o", "--output", type=click.Path(path_type=Path, dir_okay=False), help="File to write (default: stdout).")
@click.option("--from", "from_paths", multiple=True, type=click.Path(path_type=Path),
              help="Export these trial files instead of the graph (repeatable; no database needed).")
@click.option("--workers", type=click.IntRange(min=1), help="Processes that build and serialize triples "
              "(N-Triples and Turtle; default: one per CPU, at most 8).")
def export_rdf(fmt: str, output: Path | None, from_paths: tuple[Path, ...], workers: int | None) -> None:
    """RDF: Turtle and N-Triples stream in chunks; JSON-LD is built in memory."""
    import contextlib

    from trialgraph.graph import rdf
    from trialgraph.parallel import default_workers

    workers = workers or default_workers()
    with contextlib.ExitStack() as stack:
        rows, report = _export_rows(from_paths, stack)
        out = stack.enter_context(output.open("w", encoding="utf-8")) if output else sys.stdout
        progress = _triples_progress() if output else None
        if workers > 1:
            n = rdf.write_parallel(rows, out, fmt, workers, progress=progress)
        else:
            n = rdf.write(rdf.triples(rows), out, fmt, progress=progress)
    if output:
        click.echo(f"wrote {n} triples ({fmt}) to {output}", err=True)
    if report and report.problems:
        for p in report.problems:
            click.echo(f"rejected: {p}", err=True)
        sys.exit(1)


def _triples_progress():
    def progress(n: int) -> None:
        if sys.stderr.isatty():
            click.echo(f"\r{n:,} triples", err=True, nl=False)

    return progress


@export.command("neo4j-import")
@click.argument("directory", type=click.Path(path_type=Path, file_okay=False))
@click.option("--from", "from_paths", multiple=True, type=click.Path(path_type=Path),
              help="Export these trial files instead of the graph (repeatable; no database needed).")
@click.option("--database", default="neo4j", show_default=True, help="The Neo4j database the printed command imports into.")
def export_neo4j_import(directory: Path, from_paths: tuple[Path, ...], database: str) -> None:
    """CSV files for neo4j-admin database import full: rebuild the whole graph in Neo4j offline."""
    import contextlib

    from trialgraph.graph import neo4jimport

    with contextlib.ExitStack() as stack:
        rows, report = _export_rows(from_paths, stack)
        written = neo4jimport.write(rows, directory)
    nodes, rels = sum(written.nodes.values()), sum(written.relationships.values())
    click.echo(f"wrote {nodes} nodes and {rels} relationships in {len(written.files)} CSV files to {directory}")
    if written.renderings_skipped:
        click.echo(f"skipped {written.renderings_skipped} further rendering(s) of trials already written "
                   "(load them into the graph to merge renderings, then export from it)")
    click.echo("\nWith Neo4j stopped (this replaces the database), run:\n  "
               + neo4jimport.command(directory.resolve(), written, database)
               + f"\nthen start Neo4j and create the constraints and indexes:\n  cypher-shell -d {database} -f "
               + str((directory / "schema.cypher").resolve()))
    if report and report.problems:
        for p in report.problems:
            click.echo(f"rejected: {p}", err=True)
        sys.exit(1)


@export.command("networkx")
@click.option("-o", "--output", type=click.Path(path_type=Path, dir_okay=False), required=True, help="GraphML file to write.")
@click.option("--from", "from_paths", multiple=True, type=click.Path(path_type=Path),
              help="Export these trial files instead of the graph (repeatable).")
def export_networkx(output: Path, from_paths: tuple[Path, ...]) -> None:
    """GraphML of the graph (for networkx, Gephi, Cytoscape)."""
    import contextlib

    from trialgraph.graph.nx import to_networkx, write_graphml

    with contextlib.ExitStack() as stack:
        rows, _ = _export_rows(from_paths, stack)
        g = to_networkx(rows)
    write_graphml(g, output)
    click.echo(f"wrote {g.number_of_nodes()} nodes and {g.number_of_edges()} edges to {output}")


@main.group()
def validate() -> None:
    """Validate exported files."""


@validate.command("rdf")
@click.argument("file", type=click.Path(path_type=Path, dir_okay=False, exists=True))
@click.option("--format", "fmt", type=click.Choice(["turtle", "nt", "json-ld"]), help="Default: from the file name.")
def validate_rdf(file: Path, fmt: str | None) -> None:
    """Check an RDF file against trialgraph's SHACL shapes (ontology/shapes.ttl), with pyshacl."""
    from trialgraph.graph.validate import validate

    conforms, text = validate(file, fmt)
    click.echo(text.rstrip())
    sys.exit(0 if conforms else 1)


# -- stats / db -----------------------------------------------------------------------------
def graph_stats(gw) -> dict[str, list[dict[str, Any]]]:
    from trialgraph.graph import catalog

    return {
        "nodes": gw.read(catalog.statement("count-labels")),
        "relationships": gw.read(catalog.statement("count-relationships")),
    }


@main.command()
@click.option("--format", "fmt", type=click.Choice(["table", "json"]), default="table")
def stats(fmt: str) -> None:
    """Node counts per label and relationship counts per type."""
    with _gateway(_settings()) as gw:
        st = graph_stats(gw)
        where = gw.describe()
    if fmt == "json":
        click.echo(json.dumps(st, indent=2))
        return
    click.echo(f"{where}\n")
    click.echo(_render(st["nodes"], "table", ["label", "count"]))
    click.echo("")
    click.echo(_render(st["relationships"], "table", ["type", "count"]))


@main.group()
def db() -> None:
    """The configured graph as a whole."""


@db.command("clear")
@click.option("--yes", is_flag=True, help="Really empty the graph.")
def db_clear(yes: bool) -> None:
    """Empty the configured graph (every node and relationship)."""
    from trialgraph.journal import discard

    s = _settings()
    with _gateway(s) as gw:
        where = gw.describe()
        if not yes:
            raise click.UsageError(f"this empties {where}: run again with --yes")
        gw.clear()
        discard(s.home, gw)  # an interrupted load of this graph has nothing left to resume
    click.echo(f"emptied {where}")


# -- the main job ---------------------------------------------------------------------------
DEMO_GRAPH = "trialgraph-demo"


@main.command()
def demo() -> None:
    """Load the bundled sample trials into their own graph and answer the example question.

    On the local server the demo uses its own graph (trialgraph-demo), emptied first, so every
    run prints the same; the server keeps running after it (trialgraph server stop ends it)."""
    import dataclasses

    from trialgraph.pipeline import load as run_load
    from trialgraph.queries.library import check_columns, get, resolve_params

    s = _settings()
    local = s.engine == "falkordb"  # Neo4j (any, the managed one too) has one database: never emptied here
    if local:
        s = dataclasses.replace(s, graph_name=DEMO_GRAPH)
    seeds = resources.files("trialgraph").joinpath("samples", "seeds")
    with resources.as_file(seeds) as folder, _gateway(s) as gw:
        if local:
            gw.clear()  # the demo's own graph: the same answer every run
        report = run_load([Path(folder)], gw, s.batch_size)
        click.echo(f"loaded {report.trials_written} sample trial(s) into {gw.describe()}")
        for p in report.problems:
            click.echo(f"problem: {p}", err=True)
        question, params = DEMO_QUESTION
        q = get("combination-therapies")
        rows = check_columns(q, gw.read(q.cypher, resolve_params(q, params, graph=gw)))
        ttl, triples, conforms = export_demo_rdf(gw, s)
    click.echo(f"\n{question}\n(trialgraph query combination-therapies -p target=PD-1 -p condition=HCC)\n")
    click.echo(_render(rows, "table", ["nct_id", "arm", "drugs", "target_drugs", "phases", "status"]))
    click.echo(f"\nexported {triples} triples; SHACL: {'conforms' if conforms else 'DOES NOT CONFORM'}")
    click.echo(f"\nThe graph as linked data: {ttl} (trialgraph export rdf; validate with trialgraph validate rdf {ttl})")
    if local:
        click.echo(f"\nThe local server is still running, with the demo in graph {DEMO_GRAPH!r} "
                   f"(query it with TRIALGRAPH_GRAPH={DEMO_GRAPH}); stop it with: trialgraph server stop")
    if report.problems:
        sys.exit(1)


def export_demo_rdf(gw, s: Settings) -> tuple[Path, int, bool]:
    """The demo's RDF export: the whole graph as Turtle under TRIALGRAPH_HOME, SHACL-checked."""
    from trialgraph.graph import rdf
    from trialgraph.graph.validate import validate
    from trialgraph.ontology.reference import reference_data

    path = s.home / "exports" / "trialgraph.ttl"
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("w", encoding="utf-8") as out:
        n = rdf.write(rdf.triples(rdf.rows_from_graph(gw, reference_data())), out, "turtle")
    conforms, _ = validate(path, "turtle")
    return path, n, conforms



if __name__ == "__main__":  # pragma: no cover
    main()
