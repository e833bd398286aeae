"""The load journal: which documents' trials are committed to one graph, so a rerun of an
interrupted load skips finished work.

One append-only JSON-lines file per graph under ``$TRIALGRAPH_HOME/journal/``. A line is written
(and fsynced) only *after* the graph acknowledged the batch holding a document's last trial, and
the local server fsyncs every write before acknowledging it, so the journal never claims more than
the graph holds; a crash between the two costs one document's redo, which is harmless because
writes are idempotent. A document is identified by its name (``file``, ``file:line N``,
``archive.zip!member``) and the SHA-256 of its text: an edited file is loaded again.

Next to it, the *index* (``<graph>.index.sqlite``) outlives the load: for each document committed
by any load, its digest and the content digest of each of its trials' rows (graph/writer.py). A
later load skips a document whose text is unchanged, without parsing it, once the graph confirms
that each of its trials still holds that row digest (so a cleared or edited graph is never
trusted on the index's word). The index is dropped when its context differs.

The journal belongs to an interrupted load: a load that runs to its end removes it. It is
ignored (and replaced) when the reference data or trialgraph's version changed since it was
written (trials would resolve differently), or when the trials of its last entry are missing
from the graph (the graph was cleared or restored behind its back).
"""

from __future__ import annotations

import hashlib
import json
import logging
import os
import re
import sqlite3
from importlib import metadata, resources
from pathlib import Path
from typing import Any

from trialgraph.graph import catalog
from trialgraph.graph.gateway import Gateway

log = logging.getLogger(__name__)


def digest(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8", "surrogatepass")).hexdigest()[:32]


def context() -> str:
    """What a journal's entries depend on: trialgraph's version and the reference data."""
    h = hashlib.sha256()
    try:
        h.update(metadata.version("trialgraph").encode())
    except metadata.PackageNotFoundError:  # pragma: no cover - running from a source tree
        h.update(b"source")
    data = resources.files("trialgraph.ontology").joinpath("data")
    for name in sorted(f.name for f in data.iterdir() if f.name.endswith(".toml")):
        h.update(name.encode())
        h.update(data.joinpath(name).read_bytes())
    return h.hexdigest()[:16]


def journal_path(home: Path, gateway: Gateway) -> Path:
    key = re.sub(r"[^A-Za-z0-9_.-]+", "_", gateway.journal_key())
    return home / "journal" / f"{key}.jsonl"


class Index:
    """Documents committed by earlier loads: name -> (text digest, "nct=row digest" of each trial).
    On disk (SQLite), so memory does not grow with the registry."""

    def __init__(self, path: Path, context_: str) -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        self.path = path
        self.db = sqlite3.connect(path)
        self.db.execute("CREATE TABLE IF NOT EXISTS meta (k TEXT PRIMARY KEY, v TEXT)")
        self.db.execute("CREATE TABLE IF NOT EXISTS docs (doc TEXT PRIMARY KEY, sha TEXT, trials TEXT)")
        row = self.db.execute("SELECT v FROM meta WHERE k = 'context'").fetchone()
        if row is None or row[0] != context_:
            self.db.execute("DELETE FROM docs")
            self.db.execute("INSERT OR REPLACE INTO meta VALUES ('context', ?)", (context_,))
        self.db.commit()

    def lookup(self, docs: list[tuple[str, str]]) -> dict[str, list[tuple[str, str]]]:
        """For the (document, digest) pairs the index holds with that digest: their trials as
        (nct_id, row digest) pairs."""
        out: dict[str, list[tuple[str, str]]] = {}
        for k in range(0, len(docs), 500):
            part = dict(docs[k:k + 500])
            marks = ",".join("?" * len(part))
            for doc, sha, trials in self.db.execute(f"SELECT doc, sha, trials FROM docs WHERE doc IN ({marks})", list(part)):
                if part.get(doc) == sha and trials:
                    out[doc] = [tuple(t.split("=", 1)) for t in trials.split("\n")]
        return out

    def record(self, document: str, sha: str, trials: list[tuple[str, str]]) -> None:
        self.db.execute("INSERT OR REPLACE INTO docs VALUES (?, ?, ?)",
                        (document, sha, "\n".join(f"{n}={d}" for n, d in trials)))

    def sync(self) -> None:
        self.db.commit()

    def close(self) -> None:
        self.db.commit()
        self.db.close()


class Journal:
    def __init__(self, path: Path) -> None:
        self.path = path
        self.context = context()
        self.committed: dict[tuple[str, str], int] = {}  # (document, digest) -> trials
        self._file: Any = None
        self.resumed = False
        self.index: Index | None = None

    def open(self, gateway: Gateway) -> None:
        """Read what an interrupted load committed (if it still holds), then append to it."""
        self.index = Index(index_path(self.path), self.context)
        entries: list[dict[str, Any]] = []
        if self.path.exists():
            entries = self._read()
        if entries and self._holds(entries, gateway):
            self.committed = {(e["doc"], e["sha"]): len(e["nct_ids"]) for e in entries[1:]}
            self.resumed = bool(self.committed)
            self._file = self.path.open("a", encoding="utf-8")
        else:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            self._file = self.path.open("w", encoding="utf-8")
            self._append({"journal": "trialgraph load", "context": self.context})

    def _read(self) -> list[dict[str, Any]]:
        entries = []
        with self.path.open(encoding="utf-8") as f:
            for line in f:
                try:
                    entries.append(json.loads(line))
                except ValueError:  # a line cut short by a crash: what follows it is not trusted
                    break
        return entries

    def _holds(self, entries: list[dict[str, Any]], gateway: Gateway) -> bool:
        if entries[0].get("context") != self.context:
            log.warning("load journal %s was written with other reference data or version: starting over", self.path)
            return False
        if len(entries) == 1:
            return True
        last = entries[-1].get("nct_ids") or []
        found = {r["nct_id"] for r in gateway.read(catalog.statement("read-trials"), {"nct_ids": last})}
        if set(last) - found:
            log.warning("load journal %s names trials the graph does not hold (cleared?): starting over", self.path)
            return False
        return True

    def trials_committed(self, document: str, sha: str) -> int | None:
        """How many trials of this document an interrupted load committed; None if it did not."""
        return self.committed.get((document, sha))

    def record(self, document: str, sha: str, nct_ids: list[str], digests: list[str] | None = None) -> None:
        """Note a committed document; durable at the next ``sync`` (once per committed batch: a
        crash before it only makes a rerun write those documents again, which changes nothing).
        With the row digests of its trials, the index notes it too."""
        self._file.write(json.dumps({"doc": document, "sha": sha, "nct_ids": nct_ids}, ensure_ascii=False) + "\n")
        if self.index is not None and digests is not None and len(digests) == len(nct_ids):
            self.index.record(document, sha, list(zip(nct_ids, digests, strict=True)))

    def sync(self) -> None:
        self._file.flush()
        os.fsync(self._file.fileno())
        if self.index is not None:
            self.index.sync()

    def _append(self, entry: dict[str, Any]) -> None:
        self._file.write(json.dumps(entry, ensure_ascii=False) + "\n")
        self.sync()

    def close(self) -> None:
        if self._file is not None:
            self._file.close()
            self._file = None
        if self.index is not None:
            self.index.close()
            self.index = None

    def finish(self) -> None:
        """The load ran to its end: nothing is left to resume."""
        self.close()
        self.path.unlink(missing_ok=True)


def index_path(journal: Path) -> Path:
    return journal.with_name(journal.name.removesuffix(".jsonl") + ".index.sqlite")


def discard(home: Path, gateway: Gateway) -> None:
    """Forget an interrupted load of this graph, and the index of what loads committed (``db
    clear`` calls this)."""
    path = journal_path(home, gateway)
    path.unlink(missing_ok=True)
    index_path(path).unlink(missing_ok=True)
