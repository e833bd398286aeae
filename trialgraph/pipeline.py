"""The load pipeline: files -> loaders -> normalization -> graph writer.

Bad files are collected as problems and reported at the end; the good ones still load.
"""

from __future__ import annotations

import logging
from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from trialgraph.errors import GraphUnavailableError, LoaderError
from trialgraph.graph.gateway import Gateway
from trialgraph.graph.merge import Disagreement
from trialgraph.graph.writer import GraphWriter, RowBuilder, WriteReport
from trialgraph.journal import Journal, digest
from trialgraph.loaders import LoadProblem, documents, iter_files, load_text
from trialgraph.ontology.normalize import Finding, ResolvedTrial, normalize
from trialgraph.ontology.reference import reference_data
from trialgraph.ontology.resolve import Resolver, default_resolver
from trialgraph.records import Trial

log = logging.getLogger(__name__)


@dataclass
class Unresolved:
    """Names the resolver could not map, counted (memory grows with distinct names, not trials)."""

    counts: Counter[tuple[str, str]] = field(default_factory=Counter)
    examples: dict[tuple[str, str], list[str]] = field(default_factory=dict)  # up to 3 NCT ids each

    def add(self, f: Finding) -> None:
        key = (f.kind, f.value)
        self.counts[key] += 1
        ex = self.examples.setdefault(key, [])
        if len(ex) < 3 and f.nct_id not in ex:
            ex.append(f.nct_id)

    def rows(self) -> list[dict[str, Any]]:
        return [
            {"kind": kind, "name": value, "trials": n, "examples": self.examples[(kind, value)]}
            for (kind, value), n in sorted(self.counts.items(), key=lambda kv: (-kv[1], kv[0]))
        ]


@dataclass
class LoadReport:
    files_read: int = 0
    trials_parsed: int = 0
    trials_written: int = 0
    problems: list[LoadProblem] = field(default_factory=list)
    unresolved: Unresolved = field(default_factory=Unresolved)
    renderings_merged: int = 0
    disagreements: list[Disagreement] = field(default_factory=list)
    warnings: list[LoadProblem] = field(default_factory=list)  # loaded, but changed on the way (control characters)
    documents_skipped: int = 0  # committed by an interrupted load (journal), not read again
    trials_skipped: int = 0

    @property
    def ok(self) -> bool:
        return not self.problems

    def as_dict(self) -> dict[str, Any]:
        """The report as JSON-ready data (``trialgraph load --report``)."""
        return {
            "files_read": self.files_read,
            "trials_read": self.trials_parsed,
            "trials_written": self.trials_written,
            "renderings_merged": self.renderings_merged,
            "resumed": {"documents_skipped": self.documents_skipped, "trials_skipped": self.trials_skipped},
            "rejected": [{"file": p.file, "field": p.field, "message": p.message} for p in self.problems],
            "warnings": [{"file": p.file, "field": p.field, "message": p.message} for p in self.warnings],
            "unresolved": self.unresolved.rows(),
            "disagreements": [
                {"nct_id": d.nct_id, "field": d.field, "kept_layout": d.kept_layout, "kept": d.kept,
                 "other_layout": d.other_layout, "other": d.other}
                for d in self.disagreements
            ],
        }


@dataclass
class _Pending:
    sha: str
    remaining: int
    nct_ids: list[str] = field(default_factory=list)
    failed: bool = False  # a trial of it was refused: not journaled, so a rerun reports it again


class _Documents:
    """Reads the documents of the input, skipping those a journal says are committed, and tells
    the journal when every trial of a document has been committed."""

    def __init__(self, report: LoadReport, journal: Journal | None = None) -> None:
        self.report = report
        self.journal = journal
        self.pending: dict[str, _Pending] = {}

    def trials(self, paths: list[Path]) -> Iterator[Trial]:
        try:
            files = list(iter_files(paths))
        except LoaderError as e:
            self.report.problems.append(LoadProblem(e.file, e.field, e.message))
            return
        for path in files:
            self.report.files_read += 1
            try:
                yield from self._file_trials(path)
            except LoaderError as e:  # the file itself (not one document in it) could not be read
                self.report.problems.append(LoadProblem(e.file, e.field, e.message))

    def _file_trials(self, path: Path) -> Iterator[Trial]:
        for name, read in documents(path):  # a document's trials all parse, or none is used
            removed: dict[tuple[str, str], int] = {}
            try:
                text = read()
                sha = digest(text) if self.journal else ""
                if self.journal and (done := self.journal.trials_committed(name, sha)) is not None:
                    self.report.documents_skipped += 1
                    self.report.trials_skipped += done
                    continue
                trials = load_text(text, name, removed)
            except LoaderError as e:
                self.report.problems.append(LoadProblem(e.file, e.field, e.message))
                log.debug("skipped %s", name, exc_info=True)
                continue
            for (nct, fld), n in removed.items():
                self.report.warnings.append(LoadProblem(name, fld, f"{nct}: removed {n} control character(s)"))
            self.report.trials_parsed += len(trials)
            if self.journal and trials:
                self.pending[name] = _Pending(sha, len(trials))
            yield from trials

    def committed(self, batch: list[ResolvedTrial], failed: set[str]) -> None:
        """The graph acknowledged ``batch``: journal the documents now wholly committed."""
        if not self.journal:
            return
        for rt in batch:
            name = rt.trial.source.file
            p = self.pending.get(name)
            if p is None:
                continue
            p.remaining -= 1
            p.nct_ids.append(rt.trial.nct_id)
            p.failed = p.failed or rt.trial.nct_id in failed
            if p.remaining == 0:
                if not p.failed:
                    self.journal.record(name, p.sha, p.nct_ids)
                del self.pending[name]


def read_trials(paths: list[Path], report: LoadReport) -> Iterator[Trial]:
    """Every trial the files hold; a file that fails is reported and skipped."""
    return _Documents(report).trials(paths)


def resolved(trials: Iterator[Trial], resolver: Resolver, report: LoadReport,
             progress: Callable[[int], None] | None = None) -> Iterator[ResolvedTrial]:
    for n, trial in enumerate(trials, 1):
        rt = normalize(trial, resolver)
        for f in rt.findings:
            report.unresolved.add(f)
        if progress:
            progress(n)
        yield rt


def load(paths: list[Path], gateway: Gateway, batch_size: int = 100, resolver: Resolver | None = None,
         progress: Callable[[int], None] | None = None, journal: Journal | None = None) -> LoadReport:
    """Load files into the graph. ``progress`` is called with the number of trials read so far.

    With a ``journal`` (the CLI passes one), documents an interrupted load already committed are
    skipped, each document is journaled once its trials are committed, and a load that runs to its
    end removes the journal. If the graph goes away mid-load, the error says how to resume."""
    report = LoadReport()
    writer = GraphWriter(gateway, reference_data(), batch_size)
    writer.prepare()
    docs = _Documents(report, journal)
    if journal:
        journal.open(gateway)
    trials = resolved(docs.trials(paths), resolver or default_resolver(), report, progress)
    try:
        written: WriteReport = writer.write(trials, on_commit=docs.committed)
    except GraphUnavailableError as e:
        if journal:
            journal.close()
            raise GraphUnavailableError(
                f"{e}. What was committed is kept and journaled ({journal.path}): start the server again "
                "(trialgraph server start) and rerun the same load to resume"
            ) from e
        raise
    if journal:
        journal.finish()
    report.trials_written = written.trials_written
    report.renderings_merged = written.renderings_merged
    report.disagreements = written.disagreements
    for nct, reason in written.failed:
        report.problems.append(LoadProblem(nct, None, f"not written: {reason}"))
    return report


def trial_rows(paths: list[Path], report: LoadReport, resolver: Resolver | None = None) -> Iterator[dict[str, Any]]:
    """Trial rows (graph/writer.py shape) straight from files, without a database: for the RDF and
    networkx exports ``--from``. Each rendering is its own row (merging renderings of one trial
    needs the graph: load them, then export from it)."""
    from trialgraph.graph.merge import merge

    builder = RowBuilder(reference_data())
    for rt in resolved(read_trials(paths, report), resolver or default_resolver(), report):
        yield merge(None, builder.row(rt)).row
