"""The registry-scale reference tables (ontology/data/derived, built by ontology/build.py), as an
on-disk index.

The committed tables are compressed TSV. On first use they are indexed into one SQLite file under
the cache folder (``$TRIALGRAPH_CACHE``, else ``$TRIALGRAPH_HOME/cache``, else
``~/.trialgraph/cache``), named by the digest of the tables and of this module's key functions, so
a rebuilt table or a changed key gives a new index and an old one is never read. Building it takes
a few seconds once per machine; afterwards a process opens it in milliseconds and memory holds only
what lookups touched (SQLite's page cache and small LRU caches), not the tables.

Lookup keys are the resolver's own (``drug_key``, ``name_key``, ``condition_key``), computed here
from the names as written, so the index always agrees with the resolver.
"""

from __future__ import annotations

import csv
import gzip
import hashlib
import logging
import os
import sqlite3
import threading
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from pathlib import Path

log = logging.getLogger(__name__)

TABLES = ("drugs.tsv.gz", "drug_names.tsv.gz", "mechanisms.tsv.gz", "targets.tsv.gz", "mesh.tsv.gz",
          "indications.tsv.gz")
INDEX_VERSION = "2"

# The source id a Condition node from the registry's MeSH table carries (graph/writer.py sets it;
# graph/rdf.py states such a condition with the trials naming it, not as a curated one).
MESH_SOURCE = "mesh-2024"
# Source ids of the derived tables -> how the graph cites them (ontology/build.py SOURCE_INFO).
MECHANISM_SOURCES = {"chembl-36": "ChEMBL 36", "drugcentral-2023": "DrugCentral 2023",
                     "drugcentral-2016": "DrugCentral 2016"}


@dataclass(frozen=True)
class Mechanism:
    symbol: str
    action: str | None
    source: str  # derived-table source id (chembl-36, drugcentral-2023, drugcentral-2016)


def _pipes(cell: str) -> tuple[str, ...]:
    """A table cell holding a '|'-separated list, as a tuple (empty items dropped)."""
    return tuple(x for x in cell.split("|") if x)


@dataclass(frozen=True)
class RegistryDrug:
    drug_id: str
    name: str
    xrefs: tuple[str, ...]  # CURIEs: DRUGBANK:DB00001, UNII:..., CHEMBL.COMPOUND:..., MESH:..., RXNORM:...
    atc: tuple[str, ...]
    sources: tuple[str, ...]  # derived-table source ids stating its identity


@dataclass(frozen=True)
class RegistryTarget:
    symbol: str
    hgnc_id: str | None
    name: str | None
    ncbi_gene: str | None
    uniprot: str | None
    aliases: tuple[str, ...]


@dataclass(frozen=True)
class MeshDescriptor:
    mesh_id: str
    heading: str
    tree_numbers: tuple[str, ...]


def _data_dir() -> Path:
    return Path(str(resources.files("trialgraph.ontology").joinpath("data", "derived")))


def cache_dir() -> Path:
    if os.environ.get("TRIALGRAPH_CACHE"):
        return Path(os.environ["TRIALGRAPH_CACHE"]).expanduser()
    home = Path(os.environ.get("TRIALGRAPH_HOME") or Path.home() / ".trialgraph").expanduser()
    return home / "cache"


def tables_digest(data: Path | None = None) -> str:
    """sha256 over the derived tables and the key functions' source: names the index."""
    import inspect

    from trialgraph.ontology import resolve

    data = data or _data_dir()
    h = hashlib.sha256(INDEX_VERSION.encode())
    for name in TABLES:
        h.update((data / name).read_bytes())
    for fn in (resolve.drug_key, resolve.name_key, resolve.condition_key, resolve._tokens, resolve._cjk_drug_token):
        h.update(inspect.getsource(fn).encode())
    h.update(repr(sorted(resolve.FORM_WORDS)).encode())
    return h.hexdigest()[:20]


def _rows(path: Path):
    with gzip.open(path, "rt", encoding="utf-8", newline="") as f:
        r = csv.reader(f, delimiter="\t", quoting=csv.QUOTE_NONE)
        next(r)
        yield from r


def build_index(target: Path, data: Path | None = None) -> None:
    """Index the derived tables into a new SQLite file at ``target`` (written aside, then renamed,
    so a concurrent reader sees the whole index or none)."""
    from trialgraph.ontology.resolve import condition_key, drug_key, name_key

    data = data or _data_dir()
    target.parent.mkdir(parents=True, exist_ok=True)
    tmp = target.with_name(f"{target.name}.{os.getpid()}.{threading.get_ident()}.tmp")
    db = sqlite3.connect(tmp)
    try:
        db.executescript("""
            PRAGMA journal_mode = OFF; PRAGMA synchronous = OFF;
            CREATE TABLE drugs (drug_id TEXT PRIMARY KEY, name TEXT, xrefs TEXT, atc TEXT, sources TEXT);
            CREATE TABLE drug_names (key TEXT PRIMARY KEY, drug_id TEXT, source TEXT) WITHOUT ROWID;
            CREATE TABLE mechanisms (drug_id TEXT, symbol TEXT, action TEXT, source TEXT, ref TEXT);
            CREATE TABLE targets (symbol TEXT PRIMARY KEY, hgnc_id TEXT, name TEXT, ncbi_gene TEXT, uniprot TEXT, aliases TEXT);
            CREATE TABLE target_names (key TEXT PRIMARY KEY, symbol TEXT) WITHOUT ROWID;
            CREATE TABLE mesh (mesh_id TEXT PRIMARY KEY, heading TEXT, tree_numbers TEXT, entry_terms TEXT);
            CREATE TABLE mesh_names (key TEXT PRIMARY KEY, mesh_id TEXT) WITHOUT ROWID;
            CREATE TABLE mesh_tree (tree_number TEXT PRIMARY KEY, mesh_id TEXT) WITHOUT ROWID;
            CREATE TABLE indications (drug_id TEXT, mesh_id TEXT, max_phase REAL, efo_id TEXT, chembl_id TEXT);
        """)
        db.executemany("INSERT INTO drugs VALUES (?,?,?,?,?)", _rows(data / "drugs.tsv.gz"))
        db.executemany("INSERT OR IGNORE INTO drug_names VALUES (?,?,?)",
                       ((drug_key(n), d, s) for n, d, s in _rows(data / "drug_names.tsv.gz") if drug_key(n)))
        db.executemany("INSERT INTO mechanisms VALUES (?,?,?,?,?)", _rows(data / "mechanisms.tsv.gz"))
        targets = list(_rows(data / "targets.tsv.gz"))
        db.executemany("INSERT INTO targets VALUES (?,?,?,?,?,?)", targets)
        names: dict[str, set[str]] = {}
        for sym, _h, name, _g, _u, aliases in targets:
            for n in (sym, name, *aliases.split("|")):
                if n and (k := name_key(n)):
                    names.setdefault(k, set()).add(sym)
        # a symbol is its own name first; an alias two targets share means neither
        own = {name_key(t[0]): t[0] for t in targets}
        db.executemany("INSERT INTO target_names VALUES (?,?)",
                       ((k, own.get(k) or next(iter(v))) for k, v in names.items() if k in own or len(v) == 1))
        mesh_keys: dict[str, set[str]] = {}
        mesh_rows = []
        for mid, heading, entry, trees in _rows(data / "mesh.tsv.gz"):
            mesh_rows.append((mid, heading, trees, entry))
            for n in (heading, *entry.split("|")):
                if n and (k := condition_key(n)):
                    mesh_keys.setdefault(k, set()).add(mid)
        db.executemany("INSERT INTO mesh VALUES (?,?,?,?)", mesh_rows)
        heading_of = {condition_key(h): m for m, h, _, _ in mesh_rows}
        db.executemany("INSERT INTO mesh_names VALUES (?,?)",
                       ((k, heading_of.get(k) or next(iter(v))) for k, v in mesh_keys.items()
                        if k in heading_of or len(v) == 1))
        db.executemany("INSERT OR IGNORE INTO mesh_tree VALUES (?,?)",
                       ((tn, m) for m, _, trees, _ in mesh_rows for tn in trees.split("|") if tn))
        db.executemany("INSERT INTO indications VALUES (?,?,?,?,?)", _rows(data / "indications.tsv.gz"))
        db.executescript("""
            CREATE INDEX mechanisms_drug ON mechanisms (drug_id);
            CREATE INDEX mechanisms_symbol ON mechanisms (symbol);
            CREATE INDEX indications_drug ON indications (drug_id);
        """)
        db.commit()
    finally:
        db.close()
    os.replace(tmp, target)


class Registry:
    """Read-only lookups in the index (one connection per thread)."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self._local = threading.local()

    @property
    def _db(self) -> sqlite3.Connection:
        db = getattr(self._local, "db", None)
        if db is None:
            db = self._local.db = sqlite3.connect(f"file:{self.path}?mode=ro", uri=True, check_same_thread=False)
        return db

    def _one(self, sql: str, *args: str) -> tuple | None:
        return self._db.execute(sql, args).fetchone()

    def _value(self, sql: str, *args: str) -> str | None:
        """The first column of the first row, or None."""
        row = self._one(sql, *args)
        return row[0] if row else None

    @lru_cache(maxsize=65536)  # noqa: B019 - one Registry per process (default_registry)
    def drug_id(self, key: str) -> str | None:
        return self._value("SELECT drug_id FROM drug_names WHERE key = ?", key)

    @lru_cache(maxsize=16384)  # noqa: B019
    def drug(self, drug_id: str) -> RegistryDrug | None:
        row = self._one("SELECT drug_id, name, xrefs, atc, sources FROM drugs WHERE drug_id = ?", drug_id)
        if row is None:
            return None
        return RegistryDrug(row[0], row[1], _pipes(row[2]), _pipes(row[3]), _pipes(row[4]))

    @lru_cache(maxsize=16384)  # noqa: B019
    def mechanisms(self, drug_id: str) -> tuple[Mechanism, ...]:
        rows = self._db.execute("SELECT symbol, action, source FROM mechanisms WHERE drug_id = ? ORDER BY symbol, source",
                                (drug_id,)).fetchall()
        return tuple(Mechanism(s, a or None, src) for s, a, src in rows)

    @lru_cache(maxsize=16384)  # noqa: B019
    def indications(self, drug_id: str) -> tuple[tuple[str, float], ...]:
        """(MeSH descriptor id, max phase) of a drug's ChEMBL indications."""
        return tuple(self._db.execute("SELECT mesh_id, max_phase FROM indications WHERE drug_id = ? ORDER BY mesh_id",
                                      (drug_id,)).fetchall())

    @lru_cache(maxsize=4096)  # noqa: B019
    def target(self, symbol: str) -> RegistryTarget | None:
        row = self._one("SELECT symbol, hgnc_id, name, ncbi_gene, uniprot, aliases FROM targets WHERE symbol = ?", symbol)
        if row is None:
            return None
        return RegistryTarget(row[0], row[1] or None, row[2] or None, row[3] or None, (row[4] or "").split(",")[0] or None,
                              _pipes(row[5]))

    def target_symbol(self, key: str) -> str | None:
        return self._value("SELECT symbol FROM target_names WHERE key = ?", key)

    @lru_cache(maxsize=65536)  # noqa: B019
    def mesh_by_key(self, key: str) -> str | None:
        return self._value("SELECT mesh_id FROM mesh_names WHERE key = ?", key)

    @lru_cache(maxsize=16384)  # noqa: B019
    def mesh(self, mesh_id: str) -> MeshDescriptor | None:
        row = self._one("SELECT mesh_id, heading, tree_numbers FROM mesh WHERE mesh_id = ?", mesh_id)
        if row is None:
            return None
        return MeshDescriptor(row[0], row[1], _pipes(row[2]))

    @lru_cache(maxsize=16384)  # noqa: B019
    def mesh_name_keys(self, mesh_id: str) -> tuple[str, ...]:
        """Condition keys of a descriptor's heading and entry terms."""
        from trialgraph.ontology.resolve import condition_key

        row = self._one("SELECT heading, entry_terms FROM mesh WHERE mesh_id = ?", mesh_id)
        if row is None:
            return ()
        return tuple(dict.fromkeys(k for n in (row[0], *row[1].split("|")) if n and (k := condition_key(n))))

    def narrower(self, mesh_id: str) -> tuple[str, ...]:
        """The descriptor and every descriptor under any of its tree numbers, sorted."""
        d = self.mesh(mesh_id)
        if d is None:
            return ()
        found = {mesh_id}
        for tn in d.tree_numbers:
            found.update(r[0] for r in self._db.execute(
                "SELECT mesh_id FROM mesh_tree WHERE tree_number > ? AND tree_number < ?", (tn + ".", tn + "/")))
        return tuple(sorted(found))

    def drug_names(self) -> list[str]:
        """Every drug's preferred name (for suggestions)."""
        return [r[0] for r in self._db.execute("SELECT name FROM drugs")]


_lock = threading.Lock()


@lru_cache(maxsize=1)
def default_registry() -> Registry | None:
    """The index of the committed tables (built on first use), or None when the package has none.

    Opt-in for now (``TRIALGRAPH_REGISTRY=1``): the combination audit labels and the RDF shapes
    do not yet cover the registry-resolved drugs and MeSH conditions (see the branch report)."""
    if os.environ.get("TRIALGRAPH_REGISTRY") != "1":
        return None
    data = _data_dir()
    if not all((data / t).exists() for t in TABLES):
        log.warning("no derived reference tables in %s: registry-scale resolution is off", data)
        return None
    path = cache_dir() / f"refdata-{tables_digest(data)}.sqlite"
    with _lock:
        if not path.exists():
            log.info("indexing the reference tables into %s (once)", path)
            build_index(path, data)
    return Registry(path)
