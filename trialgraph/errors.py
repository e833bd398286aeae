"""The package's exceptions: one root, small named subclasses, and the command's exit codes.

Every error class carries the exit code the ``trialgraph`` command ends with when it is raised;
``EXIT_CODES`` is the one table of them (printed by ``trialgraph --help`` and in the README).
"""

from __future__ import annotations

from enum import IntEnum


class ExitCode(IntEnum):
    OK = 0
    REJECTED = 1  # some input was rejected (the rest loaded), or the answer is empty / not found
    USAGE = 2  # a usage or configuration error: bad option, unknown name, missing file
    INTERNAL = 3  # a bug in trialgraph (rerun with --debug for the traceback)
    GRAPH_UNAVAILABLE = 4  # the graph server (local server or Neo4j) cannot be reached or started
    NETWORK = 5  # clinicaltrials.gov cannot be reached, or kept failing after the retries


EXIT_CODES: tuple[tuple[int, str], ...] = (
    (ExitCode.OK, "ok"),
    (ExitCode.REJECTED, "some input was rejected (the rest loaded), or the answer is empty or names nothing found"),
    (ExitCode.USAGE, "usage or configuration error (bad option or parameter, unknown name, missing file)"),
    (ExitCode.INTERNAL, "internal error, a bug (rerun with --debug for the traceback)"),
    (ExitCode.GRAPH_UNAVAILABLE, "the graph server (local server or Neo4j) cannot be reached or started"),
    (ExitCode.NETWORK, "clinicaltrials.gov cannot be reached, or kept failing after the retries"),
)


def exit_codes_text() -> str:
    """The exit-code table as lines of text, for ``--help``."""
    return "\n".join(f"{int(code)}  {meaning}" for code, meaning in EXIT_CODES)


class TrialgraphError(Exception):
    """Root of every error trialgraph raises on purpose."""

    exit_code: int = ExitCode.USAGE


class NotFoundError(TrialgraphError):
    """What the user asked about is not in the graph (a trial, an empty answer to draw)."""

    exit_code = ExitCode.REJECTED


class ConfigError(TrialgraphError):
    """A setting is missing or malformed."""


class LoaderError(TrialgraphError):
    """An input file could not be read into records.

    Always names the file and, where known, the field that failed.
    """

    def __init__(self, file: str, field: str | None, message: str) -> None:
        self.file = file
        self.field = field
        self.message = message
        where = f"{file}: {field}" if field else file
        super().__init__(f"{where}: {message}")


class UnknownLayoutError(LoaderError):
    """No loader recognises the file's content."""


class ResolutionError(TrialgraphError):
    """A name given by the user (a target, a condition, ...) is not in the reference data."""


class GraphError(TrialgraphError):
    """The graph database refused or failed a statement."""


class GraphUnavailableError(GraphError):
    """The graph database cannot be reached."""

    exit_code = ExitCode.GRAPH_UNAVAILABLE


class ServerError(TrialgraphError):
    """The bundled local graph server could not be started, stopped or inspected."""

    exit_code = ExitCode.GRAPH_UNAVAILABLE


class QueryError(TrialgraphError):
    """A library query is unknown or was given wrong parameters."""
