"""The loader interface, the registry of layouts, and reading files safely."""

from __future__ import annotations

import json
import re
import zipfile
from collections.abc import Callable, Iterator
from contextvars import ContextVar
from dataclasses import dataclass
from enum import StrEnum
from pathlib import Path
from typing import Any, Protocol

from pydantic import ValidationError

from trialgraph.errors import LoaderError, UnknownLayoutError
from trialgraph.records import Trial, drop_invalid_values

# Files in a folder whose names start with these are notes about the data, not data.
FOLDER_NOTES = ("README", "LICENSE", "SOURCES")
# Any file larger than this is not a trial page.
MAX_FILE_BYTES = 64 * 1024 * 1024


class Loader(Protocol):
    """One input layout: recognise it from content, parse it into trial records."""

    name: str

    def detect(self, text: str) -> bool: ...

    def parse(self, text: str, file: str) -> Iterator[Trial]: ...


class WarningKind(StrEnum):
    """What happened to a field that was dropped or changed while its trial still loaded."""

    CONTROL_CHARACTERS = "control-characters"  # removed from a text
    INVALID_VALUE = "invalid-value"  # not a value of the registry's enumeration: dropped
    UNPARSED_FIELD = "unparsed-field"  # a field or block the loader could not read: dropped
    AMBIGUOUS_CELLS = "ambiguous-cells"  # a table row read one way of several


class ProblemKind(StrEnum):
    """Why a trial or a document was rejected."""

    UNREADABLE = "unreadable"  # a file or document that could not be read or parsed
    NOT_WRITTEN = "not-written"  # a trial the graph (or the model's property types) refused


@dataclass(frozen=True)
class LoadProblem:
    """A file (or a record in it) that could not be loaded; reported at the end of a load."""

    file: str
    field: str | None
    message: str
    kind: WarningKind | ProblemKind = ProblemKind.UNREADABLE

    def __str__(self) -> str:
        where = f"{self.file}: {self.field}" if self.field else self.file
        return f"{where}: {self.message}"


@dataclass(frozen=True)
class FieldWarning:
    """A field that was dropped or changed while its trial still loaded (the rule: what cannot be
    parsed costs that field, not the trial). ``kind`` groups warnings in the load summary."""

    kind: WarningKind
    field: str
    message: str
    nct_id: str | None = None


_COLLECTED: ContextVar[list[FieldWarning] | None] = ContextVar("trialgraph_field_warnings", default=None)


def warn(field: str, message: str, kind: WarningKind = WarningKind.UNPARSED_FIELD, nct_id: str | None = None) -> None:
    """Record a field-level warning for the document being parsed (by ``parse_with``); outside a
    parse (a loader called directly) the warning is only logged."""
    collected = _COLLECTED.get()
    if collected is None:
        import logging

        logging.getLogger(__name__).warning("%s: %s", field, message)
        return
    collected.append(FieldWarning(kind, field, message, nct_id))


def read_text(path: Path) -> str:
    """The file's text: UTF-8 (with or without BOM), else a LoaderError naming the file."""
    name = str(path)
    try:
        size = path.stat().st_size
        if size > MAX_FILE_BYTES:
            raise LoaderError(name, None, f"file is {size} bytes, larger than the {MAX_FILE_BYTES} bytes allowed")
        data = path.read_bytes()
    except OSError as e:
        raise LoaderError(name, None, f"cannot read file: {e.strerror or e}") from e
    return decode(data, name)


def decode(data: bytes, name: str) -> str:
    if not data.strip():
        raise LoaderError(name, None, "file is empty")
    if b"\x00" in data:
        raise LoaderError(name, "encoding", "file contains NUL bytes: binary, or UTF-16 (save it as UTF-8)")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as e:
        raise LoaderError(
            name, "encoding", f"not valid UTF-8 (byte 0x{data[e.start]:02x} at offset {e.start}); save it as UTF-8"
        ) from e


def _named(e: ValidationError, file: str) -> LoaderError:
    """A validation failure as a LoaderError naming the file and the field."""
    err = e.errors()[0]
    field = ".".join(str(p) for p in err["loc"]) or e.title
    return LoaderError(file, field, err["msg"])


def build_trial(file: str, **fields: object) -> Trial:
    """Validate fields into a Trial; a validation failure names the file and the field."""
    try:
        return Trial(**fields)
    except ValidationError as e:
        raise _named(e, file) from e


def require(value: object, file: str, field: str, what: str = "missing") -> object:
    """A value the record cannot do without (its identity, a title): missing means truncated."""
    if value is None or value == "" or value == ():
        raise LoaderError(file, field, f"{what} (is the page truncated?)")
    return value


def registry() -> list[Loader]:
    from trialgraph.loaders import ctgov_classic, ctgov_json, ctgov_page, ctgov_xml, medpath, veeva

    # The page layouts first: their marks are specific (a banner, an 'NCT ID:' line), while API v2
    # detection also takes text that opens like JSON and does not parse (a page titled "[18F]...").
    return [
        ctgov_classic.CtgovClassicJsonLoader(),
        ctgov_page.CtgovPageLoader(),
        veeva.VeevaLoader(),
        medpath.MedPathLoader(),
        ctgov_json.CtgovJsonLoader(),
        ctgov_xml.CtgovXmlLoader(),
    ]


def detect(text: str, file: str) -> Loader:
    for loader in registry():
        if loader.detect(text):
            return loader
    raise UnknownLayoutError(
        file, None, "unknown layout: not ClinicalTrials.gov API v2 JSON or legacy XML, a ClinicalTrials.gov page, a Veeva page or a MedPath page"
    )


def iter_files(paths: list[Path]) -> Iterator[Path]:
    """Files named, and the files inside folders named (sorted; hidden files and a folder's
    README/LICENSE notes skipped, since a data folder often carries one)."""
    for path in paths:
        if path.is_dir():
            for child in sorted(path.rglob("*")):
                if (child.is_file() and not any(part.startswith(".") for part in child.relative_to(path).parts)
                        and not child.name.upper().startswith(FOLDER_NOTES)):
                    yield child
        elif path.exists():
            yield path
        else:
            raise LoaderError(str(path), None, "no such file or folder")


NDJSON_SUFFIXES = (".ndjson", ".jsonl")


def _is_ndjson(path: Path) -> bool:
    """NDJSON by name, or a .json file whose first line is a whole JSON object and has a next line."""
    if path.suffix.lower() in NDJSON_SUFFIXES:
        return True
    if path.suffix.lower() != ".json":
        return False
    try:
        with path.open("rb") as f:
            first = f.readline(1 << 20)
            if not first.endswith(b"\n"):
                from trialgraph.loaders.ctgov_json import container

                if container(first):  # an array or search page on one line: streamed, not read as a line
                    return False
                first += f.readline(MAX_FILE_BYTES)
            second = f.readline(64)
    except OSError:
        return False
    if not first.endswith(b"\n") or not first.strip().startswith(b"{") or not second.strip():
        return False
    try:
        return isinstance(json.loads(first), dict)
    except ValueError:
        return False


def _json_container(path: Path) -> str | None:
    """A JSON array or search page of studies (streamed element by element), by its first bytes."""
    from trialgraph.loaders.ctgov_json import container

    try:
        with path.open("rb") as f:
            return container(f.read(256))
    except OSError:
        return None


def _ndjson_lines(path: Path) -> Iterator[tuple[str, Callable[[], str]]]:
    """Each line of an NDJSON file as its own document (``file:line N``), read lazily, so a file
    of any size streams in flat memory and a bad line rejects only itself."""
    try:
        f = path.open("rb")
    except OSError as e:
        raise LoaderError(str(path), None, f"cannot read file: {e.strerror or e}") from e
    with f:
        for n, raw in enumerate(f, start=1):
            if not raw.strip():
                continue
            name = f"{path}:line {n}"
            if len(raw) > MAX_FILE_BYTES:
                yield name, _fail(LoaderError(name, None, f"line is {len(raw)} bytes, larger than {MAX_FILE_BYTES}"))
                continue
            yield name, (lambda raw=raw, name=name: decode(raw, name))  # type: ignore[misc]  # defaults bind the loop values


def _fail(error: LoaderError) -> Callable[[], str]:
    def read() -> str:
        raise error

    return read


def documents(path: Path) -> Iterator[tuple[str, Callable[[], str]]]:
    """The documents a file holds: itself, or each member of a zip (the registry's bulk
    download), named ``archive.zip!member``. Each comes with a function that reads its text;
    call it before asking for the next document (a zip is opened once, for the whole walk, so
    each member costs the same however many the archive holds)."""
    if _is_ndjson(path):
        yield from _ndjson_lines(path)
        return
    if prefix := _json_container(path):
        from trialgraph.loaders.ctgov_json import elements

        yield from elements(path, prefix)
        return
    if path.suffix.lower() != ".zip" and not zipfile.is_zipfile(path):
        yield str(path), lambda: read_text(path)
        return
    try:
        archive = zipfile.ZipFile(path)
        members = [i for i in archive.infolist() if not i.is_dir() and not i.filename.startswith(("__MACOSX/", "."))]
    except (OSError, zipfile.BadZipFile) as e:
        raise LoaderError(str(path), None, f"not a readable zip archive: {e}") from e
    with archive:
        for info in sorted(members, key=lambda i: i.filename):
            name = f"{path}!{info.filename}"

            def read(info: zipfile.ZipInfo = info, name: str = name) -> str:
                if info.file_size > MAX_FILE_BYTES:
                    raise LoaderError(name, None, f"member is {info.file_size} bytes, larger than {MAX_FILE_BYTES} allowed")
                try:
                    return decode(archive.read(info), name)
                except (OSError, ValueError, zipfile.BadZipFile) as e:  # ValueError: read after the walk ended
                    raise LoaderError(name, None, f"cannot read archive member: {e}") from e

            yield name, read


def parse_with(loader: Loader, text: str, name: str) -> tuple[list[Trial], list[FieldWarning]]:
    """One loader's records for one document, with control characters and values outside the
    registry's enumerations removed, and a warning for each field dropped or changed on the way.
    A value that fails validation anywhere on the way (a date that is not a date, in the loader or
    after cleaning) is a LoaderError naming the field."""
    collected: list[FieldWarning] = []
    token = _COLLECTED.set(collected)
    try:
        parsed = list(loader.parse(text, name))
    except ValidationError as e:
        raise _named(e, name) from e
    finally:
        _COLLECTED.reset(token)
    collected = list(dict.fromkeys(collected))  # a field read twice is one warning
    if len(parsed) == 1:  # a page: its warnings are its one trial's
        collected = [w if w.nct_id else FieldWarning(w.kind, w.field, w.message, parsed[0].nct_id) for w in collected]
    try:
        trials, removed = strip_controls(parsed, text)
    except ValidationError as e:
        raise _named(e, name) from e
    warnings = collected + [
        FieldWarning(WarningKind.CONTROL_CHARACTERS, fld, f"removed {n} control character(s)", nct) for (nct, fld), n in removed.items()
    ]
    out = []
    for t in trials:
        t, dropped = drop_invalid_values(t)
        warnings += [FieldWarning(WarningKind.INVALID_VALUE, fld, f"{value!r} is not a value of the registry's {what}: dropped", t.nct_id)
                     for fld, value, what in dropped]
        out.append(t)
    return out, warnings


def load_text(text: str, name: str, warnings: list[FieldWarning] | None = None) -> list[Trial]:
    """Every trial of one document, or a LoaderError: a document is used whole or not at all.

    Control characters and values outside the registry's enumerations are removed here, at the
    boundary; each field dropped or changed is added to ``warnings`` for the caller to report."""
    trials, found = parse_with(detect(text, name), text, name)
    if warnings is not None:
        warnings.extend(found)
    return trials


def load_file(path: Path) -> Iterator[Trial]:
    for name, read in documents(path):
        yield from load_text(read(), name)


# -- the loader boundary: control characters ------------------------------------------------
#: C0 controls but tab, line feed and carriage return; DEL; C1 controls. NUL cannot be stored by
#: the local server, and none of them belongs in registry text.
CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")
#: Text that may hold one: the character itself, or a JSON / XML escape of one.
_ESCAPED_CONTROL = re.compile(r"\\u00[01][0-9a-fA-F]|\\u00[89][0-9a-fA-F]|\\u007[fF]|&#(x0*[0-9a-fA-F]{1,2}|0*\d{1,3});")


def _may_hold_control(text: str) -> bool:
    """A cheap test first (a character class scans fast; an alternation does not)."""
    if CONTROL.search(text):
        return True
    return ("\\u00" in text or "&#" in text) and _ESCAPED_CONTROL.search(text) is not None


def _clean(value: Any, path: str, removed: dict[str, int]) -> Any:
    if isinstance(value, str):
        cleaned, n = CONTROL.subn("", value)
        if n:
            removed[path] = removed.get(path, 0) + n
        return cleaned
    if isinstance(value, list | tuple):
        return [_clean(v, f"{path}[{i}]", removed) for i, v in enumerate(value)]
    if isinstance(value, dict):
        return {k: _clean(v, f"{path}.{k}" if path else k, removed) for k, v in value.items()}
    return value


def strip_controls(trials: list[Trial], text: str) -> tuple[list[Trial], dict[tuple[str, str], int]]:
    """The trials with control characters removed from every text field, and where they were
    (``(nct_id, field path) -> count``). Only documents that may hold one pay for the walk."""
    if not _may_hold_control(text):
        return trials, {}
    out, removed = [], {}
    for t in trials:
        found: dict[str, int] = {}
        data = _clean(t.model_dump(), "", found)
        if found:
            t = Trial.model_validate(data)
            removed.update({(t.nct_id, k): v for k, v in found.items()})
        out.append(t)
    return out, removed
