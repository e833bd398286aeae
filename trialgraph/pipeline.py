"""The load pipeline: files -> loaders -> normalization -> graph writer.

Bad files are collected as problems and reported at the end; the good ones still load.
"""

from __future__ import annotations

import logging
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

from trialgraph.errors import LoaderError
from trialgraph.graph.gateway import Gateway
from trialgraph.graph.writer import GraphWriter, WriteReport
from trialgraph.loaders import LoadProblem, documents, iter_files, load_text
from trialgraph.ontology.normalize import Finding, ResolvedTrial, normalize
from trialgraph.ontology.reference import reference_data
from trialgraph.ontology.resolve import Resolver, default_resolver
from trialgraph.records import Trial

log = logging.getLogger(__name__)


@dataclass
class LoadReport:
    files_read: int = 0
    trials_parsed: int = 0
    trials_written: int = 0
    problems: list[LoadProblem] = field(default_factory=list)
    findings: list[Finding] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.problems


def read_trials(paths: list[Path], report: LoadReport) -> Iterator[Trial]:
    """Every trial the files hold; a file that fails is reported and skipped."""
    try:
        files = list(iter_files(paths))
    except LoaderError as e:
        report.problems.append(LoadProblem(e.file, e.field, e.message))
        return
    for path in files:
        report.files_read += 1
        try:
            docs = list(documents(path))
        except LoaderError as e:
            report.problems.append(LoadProblem(e.file, e.field, e.message))
            continue
        for name, read in docs:  # a document's trials all parse, or none is used
            try:
                trials = load_text(read(), name)
            except LoaderError as e:
                report.problems.append(LoadProblem(e.file, e.field, e.message))
                log.debug("skipped %s", name, exc_info=True)
                continue
            report.trials_parsed += len(trials)
            yield from trials


def resolved(trials: Iterator[Trial], resolver: Resolver, report: LoadReport) -> Iterator[ResolvedTrial]:
    for trial in trials:
        rt = normalize(trial, resolver)
        report.findings.extend(rt.findings)
        yield rt


def load(paths: list[Path], gateway: Gateway, batch_size: int = 100, resolver: Resolver | None = None) -> LoadReport:
    report = LoadReport()
    writer = GraphWriter(gateway, reference_data(), batch_size)
    writer.prepare()
    written: WriteReport = writer.write(resolved(read_trials(paths, report), resolver or default_resolver(), report))
    report.trials_written = written.trials_written
    for nct, reason in written.failed:
        report.problems.append(LoadProblem(nct, None, f"not written: {reason}"))
    return report
