"""The load pipeline: files -> loaders -> normalization -> graph writer.

Bad files are collected as problems and reported at the end; the good ones still load.
"""

from __future__ import annotations

import itertools
import logging
from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from trialgraph.errors import GraphUnavailableError, LoaderError
from trialgraph.graph import catalog
from trialgraph.graph.gateway import Gateway
from trialgraph.graph.merge import Disagreement
from trialgraph.graph.writer import GraphWriter, RowBuilder, WriteReport, row_digest
from trialgraph.journal import Journal, digest
from trialgraph.loaders import LoadProblem, documents, iter_files, load_text
from trialgraph.loaders.base import FieldWarning, ProblemKind
from trialgraph.ontology.normalize import Finding, ResolvedTrial, normalize
from trialgraph.ontology.reference import reference_data
from trialgraph.ontology.resolve import Resolver, default_resolver
from trialgraph.parallel import ordered_map
from trialgraph.records import Trial
from trialgraph.tally import Tally

log = logging.getLogger(__name__)


#: Distinct unresolved names the load report keeps counting (the most frequent ones).
UNRESOLVED_KEPT = 10_000


@dataclass
class Unresolved:
    """Names the resolver could not map, counted in bounded memory: at most ``2 * capacity``
    names are held; past that the least frequent half is dropped. A dropped name had at most
    ``floor`` places, so a count below ``floor`` may be short by up to ``floor`` (the report says
    so); the totals (``places``) stay exact, ``distinct`` is exact while nothing was dropped."""

    capacity: int = UNRESOLVED_KEPT
    counts: Counter[tuple[str, str]] = field(default_factory=Counter)
    examples: dict[tuple[str, str], list[str]] = field(default_factory=dict)  # up to 3 NCT ids each
    places: int = 0
    floor: int = 0  # the most places a dropped name had
    dropped: int = 0  # distinct names dropped (one name dropped twice counts twice)

    def add(self, f: Finding) -> None:
        key = (f.kind, f.value)
        self.places += 1
        self.counts[key] += 1
        ex = self.examples.setdefault(key, [])
        if len(ex) < 3 and f.nct_id not in ex:
            ex.append(f.nct_id)
        if len(self.counts) > 2 * self.capacity:
            self._prune()

    def _prune(self) -> None:
        ranked = sorted(self.counts.items(), key=lambda kv: (-kv[1], kv[0]))
        for key, n in ranked[self.capacity:]:
            del self.counts[key], self.examples[key]
            self.floor = max(self.floor, n)
        self.dropped += len(ranked) - self.capacity

    @property
    def truncated(self) -> bool:
        return self.dropped > 0

    @property
    def distinct(self) -> int | None:
        """Distinct names seen: exact while nothing was dropped, else None (more than ``capacity``)."""
        return None if self.truncated else len(self.counts)

    def rows(self, limit: int | None = None) -> list[dict[str, Any]]:
        """The most frequent names first (at most ``limit``, else every name still held)."""
        ranked = sorted(self.counts.items(), key=lambda kv: (-kv[1], kv[0]))[:limit]
        return [
            {"kind": kind, "name": value, "trials": n, "examples": self.examples[(kind, value)]}
            for (kind, value), n in ranked
        ]


@dataclass
class LoadReport:
    """What a load did. Problems (rejections), warnings and disagreements are tallies: exact counts
    per kind, and the first few of each kind as examples (``trialgraph.tally``), so a load of a
    million bad records holds a few dozen of them, not a million."""

    files_read: int = 0
    trials_parsed: int = 0
    trials_written: int = 0
    trials_unchanged: int = 0  # the graph held them unchanged (content digest): not written again
    problems: Tally[LoadProblem] = field(default_factory=Tally)  # by ProblemKind
    unresolved: Unresolved = field(default_factory=Unresolved)
    renderings_merged: int = 0
    renderings_older: int = 0  # older versions of records the graph holds: skipped (graph/merge.py)
    disagreements: Tally[Disagreement] = field(default_factory=Tally)  # by field
    warnings: Tally[LoadProblem] = field(default_factory=Tally)  # by WarningKind: loaded, but changed on the way
    documents_skipped: int = 0  # committed by an interrupted load (journal), not read again
    documents_unchanged: int = 0  # the graph holds their trials unchanged (journal index): not parsed
    trials_skipped: int = 0

    @property
    def ok(self) -> bool:
        return not self.problems

    def reject(self, problem: LoadProblem) -> None:
        self.problems.add(problem.kind, problem)

    def warn(self, warning: LoadProblem) -> None:
        self.warnings.add(warning.kind, warning)

    def warnings_by_kind(self) -> dict[str, int]:
        """How many warnings of each kind (control-characters, invalid-value, ...), most first."""
        return self.warnings.by_kind()

    def as_dict(self) -> dict[str, Any]:
        """The report as JSON-ready data (``trialgraph load --report``): for rejections, warnings and
        disagreements, the total, the count of each kind, and the first examples of each kind."""
        return {
            "files_read": self.files_read,
            "trials_read": self.trials_parsed,
            "trials_written": self.trials_written,
            "trials_unchanged": self.trials_unchanged,
            "documents_unchanged": self.documents_unchanged,
            "renderings_merged": self.renderings_merged,
            "renderings_older": self.renderings_older,
            "resumed": {"documents_skipped": self.documents_skipped, "trials_skipped": self.trials_skipped},
            "rejected": _tallied(self.problems, _problem),
            "warnings": _tallied(self.warnings, _problem),
            "unresolved": self.unresolved.rows(),
            "unresolved_places": self.unresolved.places,
            "unresolved_truncated": self.unresolved.truncated,
            "disagreements": _tallied(self.disagreements, lambda d: {
                "nct_id": d.nct_id, "field": d.field, "kept_layout": d.kept_layout, "kept": d.kept,
                "other_layout": d.other_layout, "other": d.other}),
        }


def _problem(p: LoadProblem) -> dict[str, Any]:
    return {"file": p.file, "field": p.field, "kind": p.kind, "message": p.message}


def _tallied(tally: Tally[Any], shape: Callable[[Any], dict[str, Any]]) -> dict[str, Any]:
    return {"total": len(tally), "by_kind": tally.by_kind(), "examples_per_kind": tally.keep,
            "examples": [shape(x) for x in tally]}


@dataclass
class Built:
    """One document, parsed, normalized and turned into graph rows (what a worker sends back)."""

    document: str
    sha: str
    rows: list[dict[str, Any]] = field(default_factory=list)
    findings: list[Finding] = field(default_factory=list)
    warnings: list[LoadProblem] = field(default_factory=list)
    problem: LoadProblem | None = None


class Builder:
    """Document text -> typed records -> resolved entities -> rows. The same in every process."""

    def __init__(self, resolver: Resolver | None = None) -> None:
        self.resolver = resolver or default_resolver()
        self.rows = RowBuilder(reference_data())

    @staticmethod
    def parse(name: str, text: str, sha: str = "") -> tuple[Built, list[Trial]]:
        """A document's typed records, and what was wrong with it (no resolution yet)."""
        found: list[FieldWarning] = []
        built = Built(name, sha)
        try:
            trials = load_text(text, name, found)
        except LoaderError as e:
            built.problem = LoadProblem(e.file, e.field, e.message)
            log.debug("skipped %s", name, exc_info=True)
            return built, []
        built.warnings = [LoadProblem(name, w.field, f"{w.nct_id}: {w.message}" if w.nct_id else w.message, w.kind)
                          for w in found]
        return built, trials

    def build(self, name: str, text: str, sha: str = "") -> Built:
        built, trials = self.parse(name, text, sha)
        for trial in trials:
            rt = normalize(trial, self.resolver)
            built.findings.extend(rt.findings)
            built.rows.append(self.rows.row(rt))
        return built

    def build_many(self, docs: list[tuple[str, str, str]]) -> list[Built]:
        return [self.build(*d) for d in docs]


_WORKER: Builder | None = None


def _worker_init(resolver: Resolver | None) -> None:
    global _WORKER
    _WORKER = Builder(resolver)


def _worker_build(docs: list[tuple[str, str, str]]) -> list[Built]:
    assert _WORKER is not None
    return _WORKER.build_many(docs)


class _Documents:
    """Reads the documents of the input, skipping those a journal says are committed and those
    the graph holds unchanged (the journal's index, confirmed by the graph)."""

    def __init__(self, report: LoadReport, journal: Journal | None = None, gateway: Gateway | None = None) -> None:
        self.report = report
        self.journal = journal
        self.gateway = gateway

    def texts(self, paths: list[Path]) -> Iterator[tuple[str, str, str]]:
        """(document name, text, digest) of each document to read; unreadable ones are reported."""
        docs = self._texts(paths)
        index = self.journal.index if self.journal else None
        if index is None or self.gateway is None:
            yield from docs
            return
        read_digests = catalog.statement("read-digests")
        while window := list(itertools.islice(docs, 256)):
            known = index.lookup([(name, sha) for name, _, sha in window])
            held: dict[str, set[str]] = {}
            if known:
                ids = sorted({nct for trials in known.values() for nct, _ in trials})
                held = {r["nct_id"]: set(r["row_digests"] or []) for r in self.gateway.read(read_digests, {"nct_ids": ids})}
            for name, text, sha in window:
                trials = known.get(name)
                if trials and all(d in held.get(nct, ()) for nct, d in trials):  # the graph holds it unchanged
                    self.report.documents_unchanged += 1
                    self.report.trials_unchanged += len(trials)
                    continue
                yield name, text, sha

    def _texts(self, paths: list[Path]) -> Iterator[tuple[str, str, str]]:
        try:
            files = list(iter_files(paths))
        except LoaderError as e:
            self.report.reject(LoadProblem(e.file, e.field, e.message))
            return
        for path in files:
            self.report.files_read += 1
            try:
                for name, read in documents(path):
                    try:
                        text = read()
                    except LoaderError as e:
                        self.report.reject(LoadProblem(e.file, e.field, e.message))
                        continue
                    sha = digest(text) if self.journal else ""
                    if self.journal and (done := self.journal.trials_committed(name, sha)) is not None:
                        self.report.documents_skipped += 1
                        self.report.trials_skipped += done
                        continue
                    yield name, text, sha
            except LoaderError as e:  # the file itself (not one document in it) could not be read
                self.report.reject(LoadProblem(e.file, e.field, e.message))

    def trials(self, paths: list[Path]) -> Iterator[Trial]:
        """The typed records only: resolving them is the caller's (``resolved``)."""
        for name, text, sha in self.texts(paths):
            built, trials = Builder.parse(name, text, sha)
            self._account(built)
            self.report.trials_parsed += len(trials)
            yield from trials

    def _account(self, built: Built) -> None:
        if built.problem:
            self.report.reject(built.problem)
        for w in built.warnings:
            self.report.warn(w)
        for f in built.findings:
            self.report.unresolved.add(f)

    def built(self, paths: list[Path], resolver: Resolver | None = None, workers: int = 1,
              chunk: int = 64) -> Iterator[Built]:
        """Each document built, in input order. With workers > 1, parsing, normalization and row
        building run in that many processes while the caller writes; at most a few chunks per
        worker are in flight, so memory stays flat at any input size."""
        texts = self.texts(paths)
        first = list(itertools.islice(texts, chunk))
        if workers <= 1 or len(first) < chunk:  # small inputs are not worth starting processes for
            builder = Builder(resolver)
            for doc in itertools.chain(first, texts):
                yield self._counted(builder.build(*doc))
            return
        chunks = itertools.chain([first], iter(lambda: list(itertools.islice(texts, chunk)), []))
        for built in ordered_map(_worker_build, chunks, workers, _worker_init, (resolver,)):
            yield from (self._counted(b) for b in built)

    def _counted(self, built: Built) -> Built:
        self._account(built)
        self.report.trials_parsed += len(built.rows)
        return built


def built_documents(paths: list[Path], report: LoadReport, resolver: Resolver | None = None,
                    workers: int = 1) -> Iterator[Built]:
    """Each document parsed, normalized and turned into rows, without a database."""
    return _Documents(report).built(paths, resolver, workers)


def read_trials(paths: list[Path], report: LoadReport) -> Iterator[Trial]:
    """Every trial the files hold; a file that fails is reported and skipped."""
    return _Documents(report).trials(paths)


def resolved(trials: Iterator[Trial], resolver: Resolver, report: LoadReport) -> Iterator[ResolvedTrial]:
    for trial in trials:
        rt = normalize(trial, resolver)
        for f in rt.findings:
            report.unresolved.add(f)
        yield rt


@dataclass
class _Pending:
    sha: str
    remaining: int
    nct_ids: list[str] = field(default_factory=list)
    digests: list[str] = field(default_factory=list)
    failed: bool = False  # a trial of it was refused: not journaled, so a rerun reports it again


class _Commits:
    """Tells the journal when every trial of a document has been committed (once per batch)."""

    def __init__(self, journal: Journal | None) -> None:
        self.journal = journal
        self.pending: dict[str, _Pending] = {}

    def items(self, built: Iterator[Built], progress: Callable[[int], None] | None) -> Iterator[tuple[str, dict[str, Any]]]:
        n = 0
        for b in built:
            if self.journal and b.rows:
                self.pending[b.document] = _Pending(b.sha, len(b.rows))
            for row in b.rows:
                n += 1
                if progress:
                    progress(n)
                yield b.document, row

    def committed(self, batch: list[tuple[str, dict[str, Any]]], failed: set[str]) -> None:
        if not self.journal:
            return
        for document, row in batch:
            p = self.pending.get(document)
            if p is None:
                continue
            p.remaining -= 1
            p.nct_ids.append(row["nct_id"])
            p.digests.append(row.get("digest") or row_digest(row))
            p.failed = p.failed or row["nct_id"] in failed
            if p.remaining == 0:
                if not p.failed:
                    self.journal.record(document, p.sha, p.nct_ids, p.digests)
                del self.pending[document]
        self.journal.sync()


def load(paths: list[Path], gateway: Gateway, batch_size: int = 100, resolver: Resolver | None = None,
         progress: Callable[[int], None] | None = None, journal: Journal | None = None,
         workers: int = 1) -> LoadReport:
    """Load files into the graph. ``progress`` is called with the number of trials read so far.

    With a ``journal`` (the CLI passes one), documents an interrupted load already committed are
    skipped, each document is journaled once its trials are committed, and a load that runs to its
    end removes the journal. If the graph goes away mid-load, the error says how to resume.
    ``workers`` processes parse and normalize while this one writes."""
    report = LoadReport()
    writer = GraphWriter(gateway, reference_data(), batch_size)
    writer.prepare()
    docs = _Documents(report, journal, gateway)
    commits = _Commits(journal)
    if journal:
        journal.open(gateway)
    items = commits.items(docs.built(paths, resolver, workers), progress)
    try:
        written: WriteReport = writer.write(items, on_commit=commits.committed)
    except GraphUnavailableError as e:
        if journal:
            journal.close()
            how = ("start Neo4j again (trialgraph neo4j start, for the managed one)" if gateway.engine == "neo4j"
                   else "start the server again (trialgraph server start)")
            raise GraphUnavailableError(
                f"{e}. What was committed is kept and journaled ({journal.path}): {how} and rerun the same load to resume"
            ) from e
        raise
    if journal:
        journal.finish()
    report.trials_written = written.trials_written
    report.trials_unchanged += written.trials_unchanged
    report.renderings_merged = written.renderings_merged
    report.renderings_older = written.renderings_older
    report.disagreements = written.disagreements
    shown = 0
    for nct, reason in written.failed:  # the writer's examples, then the count of the others
        report.reject(LoadProblem(nct, None, f"not written: {reason}", ProblemKind.NOT_WRITTEN))
        shown += 1
    report.problems.count(ProblemKind.NOT_WRITTEN, len(written.failed) - shown)
    return report


def trial_rows(paths: list[Path], report: LoadReport, resolver: Resolver | None = None) -> Iterator[dict[str, Any]]:
    """Trial rows (graph/writer.py shape) straight from files, without a database: for the RDF and
    networkx exports ``--from``. Each rendering is its own row (merging renderings of one trial
    needs the graph: load them, then export from it)."""
    from trialgraph.graph.merge import merge

    for built in _Documents(report).built(paths, resolver):
        for row in built.rows:
            yield merge(None, row).row
