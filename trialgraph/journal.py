"""The load journal: which documents' trials are committed to one graph, so a rerun of an
interrupted load skips finished work.

One append-only JSON-lines file per graph under ``$TRIALGRAPH_HOME/journal/``. A line is written
(and fsynced) only *after* the graph acknowledged the batch holding a document's last trial, and
the local server fsyncs every write before acknowledging it, so the journal never claims more than
the graph holds; a crash between the two costs one document's redo, which is harmless because
writes are idempotent. A document is identified by its name (``file``, ``file:line N``,
``archive.zip!member``) and the SHA-256 of its text: an edited file is loaded again.

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


class Journal:
    def __init__(self, path: Path) -> None:
        self.path = path
        self.context = context()
        self.committed: dict[tuple[str, str], int] = {}  # (document, digest) -> trials
        self._file: Any = None
        self.resumed = False

    def open(self, gateway: Gateway) -> None:
        """Read what an interrupted load committed (if it still holds), then append to it."""
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

    def record(self, document: str, sha: str, nct_ids: list[str]) -> None:
        """Note a committed document; durable at the next ``sync`` (once per committed batch: a
        crash before it only makes a rerun write those documents again, which changes nothing)."""
        self._file.write(json.dumps({"doc": document, "sha": sha, "nct_ids": nct_ids}, ensure_ascii=False) + "\n")

    def sync(self) -> None:
        self._file.flush()
        os.fsync(self._file.fileno())

    def _append(self, entry: dict[str, Any]) -> None:
        self._file.write(json.dumps(entry, ensure_ascii=False) + "\n")
        self.sync()

    def close(self) -> None:
        if self._file is not None:
            self._file.close()
            self._file = None

    def finish(self) -> None:
        """The load ran to its end: nothing is left to resume."""
        self.close()
        self.path.unlink(missing_ok=True)


def discard(home: Path, gateway: Gateway) -> None:
    """Forget an interrupted load of this graph (``db clear`` calls this)."""
    journal_path(home, gateway).unlink(missing_ok=True)
